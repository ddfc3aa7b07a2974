"""Interface language: Indonesian by default, English on request, and a complete catalogue.

The English catalogue is compiled by ``make translations`` (``make test`` does it); the
``.mo`` files are not in git.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from babel.support import Translations

import planner

ROOT = Path(planner.__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "planner" / "translations"
POT = TRANSLATIONS / "messages.pot"
EN_PO = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"
EN_MO = EN_PO.with_suffix(".mo")
#: The keywords the README's extraction command passes: gettext's, plus the lazy forms.
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
PLACEHOLDER = re.compile(r"%\(\w+\)[sdf]")


def _switch(client, lang: str, next_url: str):
    response = client.post("/language", data={"lang": lang, "next": next_url})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(next_url)
    return response


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _read_po(path: Path):
    with path.open("rb") as f:
        return read_po(f, locale="en")


def _key(message) -> tuple[str, ...]:
    return (message.id,) if isinstance(message.id, str) else tuple(message.id)


def _strings(message) -> list[str]:
    return [message.string] if isinstance(message.string, str) else list(message.string)


# --- switching language -------------------------------------------------------------


def test_sign_in_page_is_indonesian_by_default(client):
    html = _page(client, "/auth/login")
    assert 'lang="id"' in html
    assert "Masuk ke Rombongan" in html
    assert "Lupa kata sandi?" in html
    assert "Sign in" not in html


def test_language_switch_to_english_and_back(client):
    _switch(client, "en", "/auth/login")
    html = _page(client, "/auth/login")
    assert 'lang="en"' in html
    assert "Sign in to Rombongan" in html
    assert "Forgotten your password?" in html
    assert "Remember me on this device" in html  # a lazy form label
    assert "Masuk ke Rombongan" not in html

    _switch(client, "id", "/auth/login")
    html = _page(client, "/auth/login")
    assert "Masuk ke Rombongan" in html
    assert "Ingat saya di perangkat ini" in html
    assert "Sign in to Rombongan" not in html


def test_unknown_language_is_ignored(client):
    _switch(client, "fr", "/auth/login")
    assert "Masuk ke Rombongan" in _page(client, "/auth/login")


def test_organiser_sees_events_in_english(client, make_user, make_event, login):
    user = make_user("organiser")
    make_event()  # an upcoming rakor
    login(user)
    html = _page(client, "/events/")
    assert "Buat acara" in html
    assert "Rapat koordinasi (rakor)" in html

    _switch(client, "en", "/events/")
    html = _page(client, "/events/")
    assert "Create event" in html
    assert "Upcoming" in html
    assert "All statuses" in html
    assert "Coordination meeting (rakor)" in html  # an enum label (lazy_gettext)
    assert "Buat acara" not in html
    assert "Rapat koordinasi (rakor)" not in html


# --- the catalogue ------------------------------------------------------------------


@pytest.fixture(scope="module")
def compiled() -> Translations:
    if not EN_MO.exists():
        pytest.fail(f"{EN_MO.relative_to(ROOT)} is missing: run `make translations`")
    translations = Translations.load(str(TRANSLATIONS), ["en"])
    assert isinstance(translations, Translations)
    return translations


def test_every_message_has_an_english_translation(compiled):
    """Every msgid of messages.pot is translated in en/messages.po and in the .mo."""
    template = _read_po(POT)
    catalogue = _read_po(EN_PO)
    problems = []
    for message in template:
        if not message.id:
            continue
        entry = catalogue.get(message.id, context=message.context)
        if entry is None or not all(_strings(entry)):
            problems.append(f"untranslated: {message.id!r}")
            continue
        if entry.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
        wanted = set(PLACEHOLDER.findall(_key(message)[0]))
        for text in _strings(entry):
            if set(PLACEHOLDER.findall(text)) != wanted:
                problems.append(f"placeholders differ: {message.id!r} -> {text!r}")
        if message.context:  # pgettext("perjalanan", "Pulang")
            compiled_text = compiled.pgettext(message.context, message.id)
        elif isinstance(message.id, str):
            compiled_text = compiled.gettext(message.id)
        else:
            singular, plural = message.id
            compiled_text = compiled.ngettext(singular, plural, 1)
        if compiled_text != _strings(entry)[0]:
            problems.append(f"stale .mo (run `make translations`): {message.id!r}")
    assert not problems, "\n".join(problems)


def test_catalogue_template_covers_the_source():
    """Every translatable string in planner/ is in messages.pot (re-extract if not)."""
    with (ROOT / "babel.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f)

    def wanted_dir(path: str) -> bool:  # unlike Babel's default, keep _macros/
        name = Path(path).name
        return not name.startswith(".") and name != "__pycache__"

    extracted = extract_from_dir(
        str(ROOT),
        method_map,
        options_map,
        keywords=KEYWORDS,
        directory_filter=wanted_dir,
    )
    in_source = {
        (message,) if isinstance(message, str) else tuple(message)
        for _filename, _lineno, message, _comments, _context in extracted
    }
    in_template = {_key(message) for message in _read_po(POT) if message.id}
    missing = sorted(in_source - in_template)
    assert not missing, "not in messages.pot (run pybabel extract/update): " + repr(
        missing
    )


#: Calls that mark a message for translation.
GETTEXT_CALLS = {"_", "_l", "gettext", "lazy_gettext", "ngettext", "pgettext"}


def test_no_message_inside_an_f_string():
    """Babel does not look inside f-strings (before Python 3.12): a message written
    there never reaches the catalogue and stays Indonesian on English pages."""
    problems = []
    for path in sorted((ROOT / "planner").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.JoinedStr):
                continue
            for inner in ast.walk(node):
                if (
                    isinstance(inner, ast.Call)
                    and isinstance(inner.func, ast.Name)
                    and inner.func.id in GETTEXT_CALLS
                ):
                    problems.append(f"{path.relative_to(ROOT)}:{inner.lineno}")
    assert not problems, "move these messages out of the f-string: " + ", ".join(
        problems
    )
