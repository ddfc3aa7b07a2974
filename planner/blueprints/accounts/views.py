"""Account administration (admins) and one's own profile and password."""

from flask import (
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user
from sqlalchemy import or_
from sqlalchemy.orm import selectinload

from planner.blueprints.accounts import bp
from planner.blueprints.accounts.forms import (
    InviteForm,
    PasswordForm,
    ProfileForm,
    UserEditForm,
)
from planner.blueprints.listing import paginate
from planner.commit import save
from planner.extensions import db
from planner.models import User
from planner.permissions import can_edit_user, can_manage_users, require
from planner.services.accounts import (
    change_password,
    invite_user,
    renew_invitation,
    send_invitation,
    update_profile,
    update_user,
)
from planner.services.mail import mail_configured

#: Longest search text taken from the query string.
MAX_QUERY = 100


def _flash_invitation_sent(user: User, outcome: tuple[bool, str]) -> None:
    sent, link = outcome
    if sent:
        flash(_("Undangan dikirim ke %(email)s.", email=user.email), "success")
    elif not mail_configured():
        # Only admins invite: they may see the link and pass it on by hand.
        flash(
            _(
                "Akun %(email)s tersimpan, tetapi email undangan TIDAK dikirim: server "
                "email belum diatur. Berikan sendiri tautan ini kepada pemiliknya "
                "(berlaku sekali): %(link)s",
                email=user.email,
                link=link,
            ),
            "warning",
        )
    else:
        flash(
            _(
                "Akun %(email)s tersimpan, tetapi email undangan gagal dikirim. "
                "Coba kirim ulang nanti.",
                email=user.email,
            ),
            "warning",
        )


@bp.get("/")
@login_required
def index():
    """List accounts with their roles, searchable by name or email (admins only)."""
    require(can_manage_users(current_user))
    q = request.args.get("q", "").strip()[:MAX_QUERY]
    query = (
        db.select(User)
        .options(selectinload(User.regions))
        .order_by(User.display_name, User.id)
    )
    if q:
        query = query.where(
            or_(
                User.display_name.icontains(q, autoescape=True),
                User.email.icontains(q, autoescape=True),
            )
        )
    page = paginate(query)
    return render_template("accounts/index.html", page=page, q=q)


@bp.route("/invite", methods=["GET", "POST"])
@login_required
def invite():
    """Create an account and mail its invitation link (admins only)."""
    require(can_manage_users(current_user))
    form = InviteForm()
    if form.validate_on_submit():
        user = save(lambda: invite_user(data=form.data), form=form).value
        if user is not None:
            _flash_invitation_sent(user, send_invitation(user))
            return redirect(url_for("accounts.index"))
    return render_template("accounts/invite.html", form=form)


@bp.route("/<int:user_id>/edit", methods=["GET", "POST"])
@login_required
def edit(user_id: int):
    """Change an account's roles, regions, person link and status (admins only)."""
    user = db.get_or_404(User, user_id)
    require(can_manage_users(current_user))
    form = UserEditForm(obj=user, region_ids=[r.id for r in user.regions])
    if form.validate_on_submit() and save(
        lambda: update_user(user, data=form.data, acting_user=current_user), form=form
    ):
        flash(_("Akun %(email)s disimpan.", email=user.email), "success")
        return redirect(url_for("accounts.index"))
    return render_template("accounts/edit.html", form=form, user=user)


@bp.post("/<int:user_id>/invitation")
@login_required
def resend_invitation(user_id: int):
    """Send a fresh invitation link; older links stop working (admins only)."""
    user = db.get_or_404(User, user_id)
    require(can_manage_users(current_user))
    if save(lambda: renew_invitation(user), category="warning"):
        _flash_invitation_sent(user, send_invitation(user))
    return redirect(url_for("accounts.edit", user_id=user.id))


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    """One's own display name and language."""
    user = current_user._get_current_object()
    require(can_edit_user(current_user, user))
    form = ProfileForm(obj=user)
    if not form.is_submitted() and not user.locale:
        form.locale.data = current_app.config["BABEL_DEFAULT_LOCALE"]
    if form.validate_on_submit() and save(
        lambda: update_profile(user, data=form.data), form=form
    ):
        session["lang"] = user.locale
        flash(_("Profil disimpan."), "success")
        return redirect(url_for("accounts.profile"))
    return render_template("accounts/profile.html", form=form, user=user)


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():
    """Change one's password; every other session and remember cookie is signed out."""
    user = current_user._get_current_object()
    require(can_edit_user(current_user, user))
    form = PasswordForm()
    if form.validate_on_submit() and save(
        lambda: change_password(
            user, current=form.current_password.data, new=form.password.data
        ),
        form=form,
        field="password",
    ):
        cookie = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
        # The session version changed: sign this session in again under the new one.
        login_user(user, remember=cookie in request.cookies)
        flash(_("Kata sandi diganti. Perangkat lain sudah dikeluarkan."), "success")
        return redirect(url_for("accounts.profile"))
    return render_template("accounts/password.html", form=form)
