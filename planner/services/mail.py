"""Outgoing mail: SMTP when a server is configured, otherwise the application log."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app


def build_message(to: str, subject: str, body: str) -> EmailMessage:
    """A plain-text message from the configured sender."""
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="rombongan")
    message.set_content(body)
    return message


def mail_configured() -> bool:
    """Whether mail can be sent at all (``MAIL_SERVER`` is set)."""
    return bool(current_app.config.get("MAIL_SERVER"))


def send_mail(to: str, subject: str, body: str) -> bool:
    """Send one plain-text mail; return False (and log why) when it was not sent.

    Without ``MAIL_SERVER`` nothing is sent: the whole message goes to the log at
    WARNING level (gunicorn shows WARNING, not INFO), so an administrator can copy a
    link out of it, and the caller tells the user that no mail went out.
    """
    config = current_app.config
    message = build_message(to, subject, body)
    if not mail_configured():
        # The plain text, not the MIME form: quoted-printable would break long links.
        current_app.logger.warning(
            "MAIL_SERVER is not set; mail logged instead of sent.\n"
            "From: %s\nTo: %s\nSubject: %s\n\n%s",
            message["From"],
            to,
            subject,
            body,
        )
        return False
    try:
        with smtplib.SMTP(
            config["MAIL_SERVER"], int(config.get("MAIL_PORT") or 25), timeout=30
        ) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException):
        current_app.logger.exception("Sending mail to %s failed", to)
        return False
    return True
