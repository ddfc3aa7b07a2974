"""Language choice: Bahasa Indonesia unless the user picked English; templates'
gettext reading the request's catalogue once."""

from flask import Flask, current_app, g, has_app_context, has_request_context, session
from flask_babel import LazyString, get_translations
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup


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


def translations():
    """Flask-Babel's catalogue for the current locale, kept beside that locale in
    Flask-Babel's own per-context namespace: a page translates dozens of strings, and
    each lookup through ``get_translations`` costs several context-local reads. A new
    locale object (``force_locale``, ``refresh``) is a new lookup."""
    try:
        babel_ctx = g._flask_babel
        locale, found = babel_ctx.planner_translations
        if babel_ctx.babel_locale is locale:
            return found
    except (AttributeError, RuntimeError):  # nothing cached yet; no app context
        pass
    found = get_translations()
    if has_app_context():
        babel_ctx = g._flask_babel
        locale = getattr(babel_ctx, "babel_locale", None)
        if locale is not None:
            babel_ctx.planner_translations = (locale, found)
    return found


def gettext(string: str, **variables) -> str:
    """Flask-Babel's ``gettext`` through :func:`translations`."""
    text = translations().ugettext(string)
    return text % variables if variables else text


def lazy_gettext(string: str, **variables) -> LazyString:
    """Flask-Babel's ``lazy_gettext`` (a label translated each time it is shown)
    through :func:`translations`."""
    return LazyString(gettext, string, **variables)


@pass_context
def _gettext(context, string: str, **variables) -> str:
    # As Jinja's "newstyle" gettext: escaped, always a format string.
    text = translations().ugettext(string)
    if context.eval_ctx.autoescape:
        text = Markup(text)
    return text % variables


@pass_context
def _ngettext(context, singular: str, plural: str, num: int, **variables) -> str:
    variables.setdefault("num", num)
    text = translations().ungettext(singular, plural, num)
    if context.eval_ctx.autoescape:
        text = Markup(text)
    return text % variables


def install_template_gettext(app: Flask) -> None:
    """Give templates ``_``, ``gettext`` and ``ngettext`` reading :func:`translations`
    (after Flask-Babel installed its own, which look the catalogue up per string)."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
    )
    # The same behaviour as the installed callables, one call deep instead of three
    # (Jinja's ``_`` resolves ``gettext`` from the context, then calls it, which calls
    # the function above).
    app.jinja_env.globals.update(_=_gettext, gettext=_gettext, ngettext=_ngettext)
