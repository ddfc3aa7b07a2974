"""The first check of a plan document: its format and version, then the JSON Schema.

The schema (``planner/data/plan-format.schema.json``) is used as it is, twice:
fastjsonschema compiles it into a yes/no check that takes a fraction of a second for a
national plan, and only a refused document goes through jsonschema, which lists every
error with its path. fastjsonschema reads a pattern's final ``$`` as the end of the
text (``\\Z``) where jsonschema also allows a final newline, so it may refuse what
jsonschema accepts, never the reverse (``tests/test_plans.py`` compares the two): a
document it refuses and jsonschema accepts is valid, and the checks after the schema
judge such a value (a slug or NIK must match whole, a date must be in the calendar).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache

import fastjsonschema
from flask_babel import gettext as _
from jsonschema import Draft202012Validator

from planner.services.plans.common import (
    FORMAT,
    SCHEMA_PATH,
    VERSION,
    Problem,
    _shown,
    json_path,
)


@lru_cache(maxsize=1)
def plan_schema() -> dict:
    """The JSON Schema of the plan format (planner/data/plan-format.schema.json)."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def _no_remote(uri: str):
    raise ValueError(f"the plan schema refers to {uri}: only local references")


#: A generated call of a definition's function with the JSON path of the value it
#: checks, formatted first (``str.format(**locals())`` for an array entry); the path
#: only names the value in an error, and this check only answers yes or no.
_NAMED_CALL = re.compile(
    r'(validate_\w+\(\w+, custom_formats), \(name_prefix or "data"\) \+ "[^"]*"'
    r"(?:\.format\(\*\*locals\(\)\))?\)"
)


@lru_cache(maxsize=1)
def _fast_check():
    """fastjsonschema's compiled check of the schema; it never fills in defaults
    (``use_default=False``: the document is not changed) nor fetches anything.

    Its generated code is compiled as :func:`fastjsonschema.compile` does, but that
    each call of a definition's function leaves out the path of the value (62,000
    paths formatted per national plan, for messages never shown): twice as fast,
    and six times under tracemalloc, which pays for every allocation in a large
    function.
    """
    code = fastjsonschema.compile_to_code(
        plan_schema(),
        handlers={"http": _no_remote, "https": _no_remote, "file": _no_remote},
        use_default=False,
        use_formats=False,
    )
    entry = re.search(r"^def (\w+)\(", code, re.MULTILINE).group(1)
    namespace: dict = {}
    exec(_NAMED_CALL.sub(r"\1)", code), namespace)  # noqa: S102 - our own schema
    return namespace[entry]


@lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    """jsonschema's validator of the schema with its ``$ref``s inlined (twice as fast:
    resolving references dominates otherwise)."""
    return Draft202012Validator(_inline(plan_schema(), plan_schema()["$defs"]))


def _inline(node, defs: dict):
    if isinstance(node, dict):
        if "$ref" in node:
            return _inline(defs[node["$ref"].removeprefix("#/$defs/")], defs)
        return {k: _inline(v, defs) for k, v in node.items() if k != "$defs"}
    if isinstance(node, list):
        return [_inline(v, defs) for v in node]
    return node


def schema_accepts(doc) -> bool:
    """Whether ``doc`` satisfies the plan schema (the fast check; see the module)."""
    try:
        _fast_check()(doc)
    except fastjsonschema.JsonSchemaValueException:
        return False
    return True


def format_problem(doc) -> Problem | None:
    """Not a plan, another format or another version: the one problem to report."""
    supported = _(
        "yang didukung: “%(format)s” versi %(version)s", format=FORMAT, version=VERSION
    )
    if not isinstance(doc, dict):
        return Problem("$", _("Berkas bukan rencana Rombongan (%(s)s).", s=supported))
    found = doc.get("format")
    if found != FORMAT:
        if "format" not in doc:
            return Problem(
                "$",
                _(
                    "Kolom “format” tidak ada: ini bukan berkas rencana Rombongan "
                    "(%(s)s).",
                    s=supported,
                ),
            )
        return Problem(
            "$.format",
            _(
                "Format %(found)s tidak didukung; %(s)s.",
                found=_shown(found),
                s=supported,
            ),
        )
    version = doc.get("version")
    if isinstance(version, bool) or version != VERSION:
        if "version" not in doc:
            return Problem("$", _("Kolom “version” tidak ada; %(s)s.", s=supported))
        return Problem(
            "$.version",
            _(
                "Versi format %(found)s tidak didukung; %(s)s.",
                found=_shown(version),
                s=supported,
            ),
        )
    return None


def schema_problems(doc) -> list[Problem]:
    """The format and version problem, else every schema violation in document order
    with an Indonesian message; empty when the document satisfies the schema."""
    problem = format_problem(doc)
    if problem is not None:
        return [problem]
    if schema_accepts(doc):
        return []
    defs = plan_schema()["$defs"]
    patterns = {
        defs["datetime"]["pattern"]: "datetime",
        defs["date"]["pattern"]: "date",
        defs["key"]["pattern"]: "key",
        defs["slug"]["pattern"]: "slug",
        defs["region"]["pattern"]: "region",
        defs["email"]["pattern"]: "email",
        defs["person"]["properties"]["nik"]["pattern"]: "nik",
    }
    found = []
    for error in _validator().iter_errors(doc):
        path = list(error.absolute_path)
        found.append((path, _schema_message(error, patterns)))
    found.sort(
        key=lambda item: [
            (0, p, "") if isinstance(p, int) else (1, 0, p) for p in item[0]
        ]
    )
    return [Problem(json_path(path), message) for path, message in found]


_TYPE_NAMES = {
    "string": "teks",
    "integer": "bilangan bulat",
    "number": "angka",
    "boolean": "true atau false",
    "array": "daftar [ … ]",
    "object": "objek { … }",
    "null": "null",
}


def _schema_message(error, patterns: dict[str, str]) -> str:
    """A jsonschema error in words: what is wrong and what is expected."""
    kind, expected, value = error.validator, error.validator_value, error.instance
    if kind == "required":
        missing = [name for name in expected if name not in (value or {})]
        return _(
            "Kolom wajib “%(name)s” tidak ada.", name=missing[0] if missing else "?"
        )
    if kind == "additionalProperties":
        allowed = set(error.schema.get("properties", {}))
        extra = sorted(k for k in value if k not in allowed)
        return _(
            "Kolom tidak dikenal: %(names)s.",
            names=", ".join(f"“{name}”" for name in extra)[:300],
        )
    if kind == "type":
        types = expected if isinstance(expected, list) else [expected]
        return _(
            "Harus berupa %(type)s, bukan %(value)s.",
            type=_(" atau ").join(_TYPE_NAMES.get(t, t) for t in types),
            value=_shown(value),
        )
    if kind == "enum":
        choices = ", ".join(str(v) for v in expected if v is not None)
        return _(
            "Nilai %(value)s tidak dikenal; yang boleh: %(choices)s.",
            value=_shown(value),
            choices=choices,
        )
    if kind == "const":
        return _("Harus %(expected)s.", expected=_shown(expected))
    if kind == "pattern":
        return _pattern_message(patterns.get(expected), value)
    if kind == "minimum":
        return _("Paling kecil %(n)s.", n=expected)
    if kind == "maximum":
        return _("Paling besar %(n)s.", n=expected)
    if kind == "minLength":
        return _("Tidak boleh kosong.")
    if kind == "maxLength":
        return _("Paling panjang %(n)s karakter.", n=expected)
    if kind == "maxItems":
        return _("Paling banyak %(n)s butir.", n=expected)
    return _("Nilai tidak valid.")


def _pattern_message(what: str | None, value: str) -> str:
    """A text of the wrong shape: which shape is expected, with an example."""
    if what == "datetime":
        if _DATETIME_NO_ZONE.match(value):
            return _(
                "Waktu %(value)s tanpa zona waktu: tulis selisih dari UTC, "
                "misalnya 2027-01-19T08:00:00+07:00 (WIB).",
                value=_shown(value),
            )
        return _(
            "Waktu %(value)s tidak berbentuk ISO 8601, misalnya "
            "2027-01-19T08:00:00+07:00.",
            value=_shown(value),
        )
    if what == "date":
        return _(
            "Tanggal %(value)s harus berbentuk TTTT-BB-HH, misalnya 2027-01-19.",
            value=_shown(value),
        )
    if what == "key":
        return _(
            "Kunci %(value)s hanya boleh berisi huruf, angka, dan - _ . : "
            "(diawali huruf atau angka).",
            value=_shown(value),
        )
    if what == "slug":
        return _(
            "Slug %(value)s hanya boleh berisi huruf kecil, angka dan tanda "
            "hubung, misalnya rakor-ipsm-babel-2027.",
            value=_shown(value),
        )
    if what == "region":
        return _(
            "Kode wilayah %(value)s harus seperti 19 (provinsi) atau 19.71 "
            "(kabupaten/kota).",
            value=_shown(value),
        )
    if what == "email":
        return _("Alamat email %(value)s tidak valid.", value=_shown(value))
    if what == "nik":
        return _("NIK harus terdiri dari 16 angka.")
    return _("Bentuk %(value)s tidak sesuai.", value=_shown(value))


_DATETIME_NO_ZONE = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$")
