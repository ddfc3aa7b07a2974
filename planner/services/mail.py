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


def send_mail(to: str, subject: str, body: str) -> bool:
    """Send one plain-text mail; return False (and log why) when delivery failed.

    Without ``MAIL_SERVER`` the whole message goes to the log at INFO level, so an
    administrator can copy a link out of it on a server that cannot send mail.
    """
    config = current_app.config
    message = build_message(to, subject, body)
    if not config.get("MAIL_SERVER"):
        # The plain text, not the MIME form: quoted-printable would break long links.
        current_app.logger.info(
            "MAIL_SERVER is not set; mail logged instead of sent.\n"
            "From: %s\nTo: %s\nSubject: %s\n\n%s",
            message["From"],
            to,
            subject,
            body,
        )
        return True
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
