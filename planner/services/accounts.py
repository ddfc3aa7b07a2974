"""Accounts: sign-in, password rules, invitations, reset links and role changes."""

from __future__ import annotations

import functools
import hashlib
import hmac
from collections.abc import Iterable
from pathlib import Path

from email_validator import EmailNotValidError, validate_email
from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.security import check_password_hash, generate_password_hash

from planner.extensions import db
from planner.models import Person, Region, User, utcnow
from planner.services import PlannerError
from planner.services.mail import send_mail

MIN_PASSWORD_LENGTH = 10
#: Longer passwords only cost hashing time; the sign-in form refuses them too.
MAX_PASSWORD_LENGTH = 200
#: Token purposes: the itsdangerous salt and the config key of the link's lifetime.
TOKEN_PURPOSES = {
    "reset": ("password-reset", "PASSWORD_RESET_MAX_AGE"),
    "invitation": ("invitation", "INVITATION_MAX_AGE"),
}
_COMMON_PASSWORDS = (
    Path(__file__).resolve().parent.parent / "data" / "common_passwords.txt"
)


def normalise_email(value: str | None) -> str:
    """Emails are compared stripped and lower-case."""
    return (value or "").strip().lower()


@functools.cache
def common_passwords() -> frozenset[str]:
    """The shipped list of passwords too common to allow, lower-case."""
    lines = _COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.strip().lower()
        for line in lines
        if line.strip() and not line.startswith("#")
    )


def check_password_rules(password: str, *, email: str) -> None:
    """Refuse short, common, or email-derived passwords with an Indonesian message."""
    password = password or ""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PlannerError(
            _("Kata sandi minimal %(n)s karakter.", n=MIN_PASSWORD_LENGTH),
            field="password",
        )
    lowered = password.lower()
    if lowered in common_passwords():
        raise PlannerError(
            _("Kata sandi ini terlalu umum dan mudah ditebak. Pilih yang lain."),
            field="password",
        )
    email = normalise_email(email)
    local_part = email.split("@", 1)[0]
    if lowered == email or (len(local_part) >= 3 and local_part in lowered):
        raise PlannerError(
            _("Kata sandi tidak boleh sama dengan atau memuat alamat email Anda."),
            field="password",
        )


# Signing in -------------------------------------------------------------------


@functools.cache
def _dummy_hash() -> str:
    """Compared against when the email is unknown, so both failures take as long."""
    return generate_password_hash("rombongan-dummy-password")


def authenticate(email: str, password: str) -> User | None:
    """The active account with this email and password, or None."""
    email = normalise_email(email)
    user = None
    if email and len(email) <= 254:
        user = db.session.execute(
            db.select(User).filter_by(email=email)
        ).scalar_one_or_none()
    if user is None or not user.password_hash:
        check_password_hash(_dummy_hash(), password or "")
        return None
    if not user.check_password(password or "") or not user.is_active:
        return None
    return user


def record_login(user: User) -> None:
    """Remember when the user last signed in."""
    user.last_login_at = utcnow()
    db.session.flush()


# Tokens in links --------------------------------------------------------------


def _fingerprint(user: User) -> str:
    """Changes with the password, session version or email: links are single-use."""
    raw = f"{user.email}|{user.password_hash or ''}|{user.session_version}"
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    salt, _config_key = TOKEN_PURPOSES[purpose]
    return URLSafeTimedSerializer(current_app.secret_key, salt=salt)


def make_token(user: User, purpose: str) -> str:
    """A signed, timed token for a reset or invitation link."""
    return _serializer(purpose).dumps([user.id, _fingerprint(user)])


def user_from_token(token: str, purpose: str) -> User | None:
    """The user a link was made for, or None when it is bad, expired or already used."""
    _salt, config_key = TOKEN_PURPOSES[purpose]
    try:
        payload = _serializer(purpose).loads(
            token, max_age=current_app.config[config_key]
        )
    except BadSignature:
        return None
    if not (
        isinstance(payload, list)
        and len(payload) == 2
        and isinstance(payload[0], int)
        and isinstance(payload[1], str)
    ):
        return None
    user = db.session.get(User, payload[0])
    if user is None or user.is_disabled:
        return None
    if not hmac.compare_digest(_fingerprint(user), payload[1]):
        return None
    if purpose == "invitation" and user.password_hash is not None:
        return None
    if purpose == "reset" and user.password_hash is None:
        return None
    return user


# Mail -------------------------------------------------------------------------


def _locale_of(user: User) -> str:
    return user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]


def send_invitation(user: User) -> tuple[bool, str]:
    """Mail the invitation link; (whether the mail was sent, the link)."""
    link = url_for(
        "auth.accept_invitation", token=make_token(user, "invitation"), _external=True
    )
    days = int(current_app.config["INVITATION_MAX_AGE"] // 86400)
    with force_locale(_locale_of(user)):
        subject = _("Undangan ke Rombongan")
        body = _(
            "Halo %(name)s,\n\n"
            "Anda diundang memakai Rombongan, "
            "perencana acara dan perjalanan PSM/IPSM.\n"
            "Buka tautan berikut untuk membuat kata sandi dan masuk:\n\n"
            "%(link)s\n\n"
            "Tautan ini berlaku %(days)s hari dan hanya bisa dipakai sekali.\n",
            name=user.display_name,
            link=link,
            days=days,
        )
    return send_mail(user.email, subject, body), link


def send_password_reset(user: User) -> bool:
    """Mail the password-reset link; False when the mail could not be sent."""
    link = url_for(
        "auth.reset_password", token=make_token(user, "reset"), _external=True
    )
    hours = int(current_app.config["PASSWORD_RESET_MAX_AGE"] // 3600)
    with force_locale(_locale_of(user)):
        subject = _("Atur ulang kata sandi Rombongan")
        body = _(
            "Halo %(name)s,\n\n"
            "Seseorang (semoga Anda) meminta pengaturan ulang kata sandi akun ini.\n"
            "Buka tautan berikut untuk membuat kata sandi baru:\n\n"
            "%(link)s\n\n"
            "Tautan ini berlaku %(hours)s jam dan hanya bisa dipakai sekali.\n"
            "Jika Anda tidak memintanya, abaikan email ini.\n",
            name=user.display_name,
            link=link,
            hours=hours,
        )
    return send_mail(user.email, subject, body)


def request_password_reset(email: str) -> None:
    """Mail a reset link (an invited account gets its invitation) if the account exists.

    Says nothing about whether it does: the caller shows the same reply either way.
    """
    email = normalise_email(email)
    if not email or len(email) > 254:
        return
    user = db.session.execute(
        db.select(User).filter_by(email=email)
    ).scalar_one_or_none()
    if user is None or user.is_disabled:
        return
    if user.password_hash is None:
        send_invitation(user)
    else:
        send_password_reset(user)


# Passwords --------------------------------------------------------------------


def reset_password(user: User, *, new: str) -> User:
    """Set a new password from a reset link; older sessions and links stop working."""
    check_password_rules(new, email=user.email)
    user.set_password(new)
    db.session.flush()
    return user


def change_password(user: User, *, current: str, new: str) -> User:
    """Change the password after checking the current one."""
    if not user.check_password(current or ""):
        raise PlannerError(_("Kata sandi saat ini salah."), field="current_password")
    if current == new:
        raise PlannerError(
            _("Kata sandi baru harus berbeda dari yang lama."), field="password"
        )
    return reset_password(user, new=new)


def accept_invitation(user: User, *, data: dict) -> User:
    """Finish an invited account: its display name and first password."""
    if user.password_hash is not None:
        raise PlannerError(_("Undangan ini sudah dipakai."))
    check_password_rules(data["password"], email=user.email)
    user.display_name = data["display_name"].strip()
    user.set_password(data["password"])
    user.last_login_at = utcnow()
    db.session.flush()
    return user


# Administration ---------------------------------------------------------------


def _regions(region_ids: Iterable[int] | None) -> list[Region]:
    ids = set(region_ids or ())
    if not ids:
        return []
    regions = list(
        db.session.scalars(
            db.select(Region).where(Region.id.in_(ids)).order_by(Region.code)
        )
    )
    if len(regions) != len(ids):
        raise PlannerError(_("Wilayah yang dipilih tidak dikenal."), field="region_ids")
    return regions


def _person(person_id: int | None, *, user: User | None) -> Person | None:
    if not person_id:
        return None
    person = db.session.get(Person, person_id)
    if person is None:
        raise PlannerError(
            _("Tidak ada orang dengan ID %(id)s.", id=person_id), field="person_id"
        )
    taken_by = db.session.execute(
        db.select(User.id).filter_by(person_id=person.id)
    ).scalar_one_or_none()
    if taken_by is not None and (user is None or taken_by != user.id):
        raise PlannerError(
            _("%(name)s sudah terhubung ke akun lain.", name=person.formal_name),
            field="person_id",
        )
    return person


def invite_user(*, data: dict) -> User:
    """Create an account without a password; the invitation link sets one."""
    email = normalise_email(data["email"])
    exists = db.session.execute(db.select(User.id).filter_by(email=email)).first()
    if exists:
        raise PlannerError(_("Email ini sudah dipakai akun lain."), field="email")
    user = User(
        email=email,
        display_name=data["display_name"].strip(),
        is_admin=bool(data.get("is_admin")),
        is_organiser=bool(data.get("is_organiser")),
        password_hash=None,
    )
    user.regions = _regions(data.get("region_ids"))
    user.person = _person(data.get("person_id"), user=None)
    db.session.add(user)
    db.session.flush()
    return user


def end_sessions(user: User) -> User:
    """End every session of ``user``, on every device, remember-me cookies included.

    The session version is part of the id in the session and remember-me cookies and
    the user loader compares it on every request, so copies of either stop working.
    """
    user.session_version = (user.session_version or 0) + 1
    db.session.flush()
    return user


def renew_invitation(user: User) -> User:
    """Make a fresh invitation link possible; links sent before stop working."""
    if user.password_hash is not None:
        raise PlannerError(_("Akun ini sudah aktif; undangan tidak diperlukan."))
    if user.is_disabled:
        raise PlannerError(_("Akun ini dinonaktifkan."))
    user.session_version = (user.session_version or 0) + 1
    db.session.flush()
    return user


def valid_email(value: str | None) -> str:
    """The normalised email, or PlannerError when it is no address one can sign in with."""
    email = normalise_email(value)
    if not email:
        raise PlannerError(_("Isi alamat email."), field="email")
    if len(email) > 254:
        raise PlannerError(_("Alamat email terlalu panjang."), field="email")
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        raise PlannerError(_("Alamat email tidak valid."), field="email") from None
    return email


def user_by_email(email: str | None) -> User | None:
    """The account with this email (compared normalised), or None."""
    return db.session.execute(
        db.select(User).filter_by(email=normalise_email(email))
    ).scalar_one_or_none()


def create_admin(*, email: str, password: str, display_name: str) -> User:
    """A new, active administrator with a password (``flask users create-admin``)."""
    email = valid_email(email)
    if user_by_email(email) is not None:
        raise PlannerError(_("Email ini sudah dipakai akun lain."), field="email")
    display_name = (display_name or "").strip()
    if not display_name:
        raise PlannerError(_("Isi nama tampilan."), field="display_name")
    if len(display_name) > 120:
        raise PlannerError(_("Nama paling banyak 120 karakter."), field="display_name")
    if len(password or "") > MAX_PASSWORD_LENGTH:
        raise PlannerError(
            _("Kata sandi paling banyak 200 karakter."), field="password"
        )
    check_password_rules(password, email=email)
    user = User(email=email, display_name=display_name, is_admin=True)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def promote_to_admin(user: User) -> User:
    """Make an existing account an administrator, and active again if it was disabled."""
    user.is_admin = True
    user.is_disabled = False
    db.session.flush()
    return user


def update_user(user: User, *, data: dict, acting_user: User) -> User:
    """Change an account's roles, regions, person link and status (admins only)."""
    if user.id == acting_user.id:
        if data.get("is_disabled"):
            raise PlannerError(
                _("Anda tidak dapat menonaktifkan akun Anda sendiri."),
                field="is_disabled",
            )
        if user.is_admin and not data.get("is_admin"):
            raise PlannerError(
                _("Anda tidak dapat mencabut peran admin Anda sendiri."),
                field="is_admin",
            )
    if "display_name" in data:
        user.display_name = data["display_name"].strip()
    user.is_admin = bool(data.get("is_admin"))
    user.is_organiser = bool(data.get("is_organiser"))
    user.is_disabled = bool(data.get("is_disabled"))
    user.regions = _regions(data.get("region_ids"))
    user.person = _person(data.get("person_id"), user=user)
    db.session.flush()
    return user


def update_profile(user: User, *, data: dict) -> User:
    """Change one's own display name and language."""
    locale = data.get("locale")
    if locale not in current_app.config["LANGUAGES"]:
        raise PlannerError(_("Bahasa tidak dikenal."), field="locale")
    user.display_name = data["display_name"].strip()
    user.locale = locale
    db.session.flush()
    return user


def remember_language(user: User, locale: str) -> User:
    """Keep the interface language the user switched to for their next sign-in."""
    if locale not in current_app.config["LANGUAGES"]:
        raise PlannerError(_("Bahasa tidak dikenal."), field="locale")
    user.locale = locale
    db.session.flush()
    return user
