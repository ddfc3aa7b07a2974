"""Language choice: Bahasa Indonesia unless the user picked English."""

from flask import current_app, has_request_context, session
from flask_login import current_user


def select_locale() -> str:
    """The session's choice, then the account's, then Indonesian."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI commands, exports built in the background
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    if (
        current_user
        and current_user.is_authenticated
        and current_user.locale in languages
    ):
        return current_user.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]
