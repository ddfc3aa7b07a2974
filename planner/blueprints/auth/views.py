"""Sign-in, sign-out, password reset and accepting an invitation."""

import hashlib

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from planner.blueprints.auth import bp
from planner.blueprints.auth.forms import (
    AcceptInvitationForm,
    ForgotPasswordForm,
    LoginForm,
    ResetPasswordForm,
)
from planner.blueprints.main.views import landing_url, safe_next
from planner.commit import save
from planner.extensions import db, limiter, login_manager
from planner.models import User
from planner.services.accounts import (
    accept_invitation as accept_invitation_service,
)
from planner.services.accounts import (
    authenticate,
    end_sessions,
    normalise_email,
    record_login,
    request_password_reset,
    user_from_token,
)
from planner.services.accounts import (
    reset_password as reset_password_service,
)
from planner.services.mail import mail_configured


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The user of an "id:session_version" session, if that version is still current."""
    try:
        raw_id, raw_version = user_id.split(":", 1)
        uid, version = int(raw_id), int(raw_version)
    except (AttributeError, ValueError):
        return None
    user = db.session.get(User, uid)
    if user is None or user.session_version != version or not user.is_active:
        return None
    return user


def _login_rate_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _submitted_email_key() -> str:
    """Rate-limit key of the account being tried (hashed: the input may be huge)."""
    email = normalise_email(request.form.get("email"))
    return "email:" + hashlib.sha256(email.encode()).hexdigest()


def _failed_sign_in(response) -> bool:
    """Only failed attempts count against the sign-in limits."""
    return response.status_code != 302


def _next_url() -> str:
    """A safe ``next`` when given, else where the signed-in user's work is."""
    target = safe_next(request.args.get("next"), "")
    return target or landing_url(current_user)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_rate_limit, methods=["POST"], deduct_when=_failed_sign_in)
@limiter.limit(
    _login_rate_limit,
    key_func=_submitted_email_key,
    methods=["POST"],
    deduct_when=_failed_sign_in,
)
def login():
    """Sign in with email and password."""
    if current_user.is_authenticated:
        return redirect(_next_url())
    form = LoginForm()
    failed = False
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is not None:
            save(lambda: record_login(user))
            login_user(user, remember=form.remember.data)
            flash(_("Selamat datang, %(name)s.", name=user.display_name), "success")
            return redirect(_next_url())
        failed = True
    return render_template("auth/login.html", form=form, failed=failed)


@bp.post("/logout")
def logout():
    """Sign out everywhere (POST only, so a link or image cannot sign anyone out)."""
    if current_user.is_authenticated:
        user = current_user._get_current_object()
        save(lambda: end_sessions(user))
    logout_user()
    flash(_("Anda sudah keluar."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/forgot", methods=["GET", "POST"])
@limiter.limit(_login_rate_limit, methods=["POST"])
@limiter.limit(_login_rate_limit, key_func=_submitted_email_key, methods=["POST"])
def forgot_password():
    """Ask for a reset link; the reply never tells whether the account exists."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        request_password_reset(form.email.data)
        if mail_configured():
            flash(
                _(
                    "Jika alamat itu terdaftar, tautan untuk mengatur ulang kata sandi "
                    "sudah dikirim ke sana. Periksa juga folder spam."
                ),
                "info",
            )
        else:
            # The same words for every address: the reply still never tells whether
            # the account exists. The link is in the server's log for an admin.
            flash(
                _(
                    "Jika alamat itu terdaftar, tautannya TIDAK dikirim: server ini "
                    "belum bisa mengirim email. Minta admin Rombongan memberikan "
                    "tautan Anda."
                ),
                "warning",
            )
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot_password.html", form=form)


def _bad_link():
    return render_template("auth/bad_link.html"), 400


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Choose a new password from a reset link (single-use, time-limited)."""
    user = user_from_token(token, "reset")
    if user is None:
        return _bad_link()
    form = ResetPasswordForm()
    if form.validate_on_submit() and save(
        lambda: reset_password_service(user, new=form.password.data),
        form=form,
        field="password",
    ):
        logout_user()
        flash(_("Kata sandi sudah diganti. Silakan masuk."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form, user=user)


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    """Accept an invitation: confirm the display name, choose a password, sign in."""
    user = user_from_token(token, "invitation")
    if user is None:
        return _bad_link()
    form = AcceptInvitationForm(data={"display_name": user.display_name})
    if form.validate_on_submit() and save(
        lambda: accept_invitation_service(user, data=form.data),
        form=form,
        field="password",
    ):
        login_user(user)
        flash(
            _("Selamat datang di Rombongan, %(name)s.", name=user.display_name),
            "success",
        )
        return redirect(landing_url(user))
    return render_template("auth/accept_invitation.html", form=form, user=user)
