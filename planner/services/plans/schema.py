"""The plan schema: loaded from planner/data, a fast check, messages in words."""

from __future__ import annotations

import json
import re
from functools import lru_cache

from flask_babel import gettext as _
from jsonschema import Draft202012Validator

from planner.services.plans.common import (
    SCHEMA_PATH,
    Problem,
    _shown,
    json_path,
)


@lru_cache(maxsize=1)
def plan_schema() -> dict:
    """The JSON Schema of the plan format (planner/data/plan-format.schema.json)."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


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


# A fast yes/no check of the same schema. jsonschema needs seconds for a national
# plan (15 MB); these compiled checks take a fraction of that. They cover exactly the
# keywords the schema uses (another keyword raises) with jsonschema's meaning, so a
# document they accept is one jsonschema accepts; a refused document goes through
# jsonschema for the full list of errors. tests/test_plans.py compares the two.

_IGNORED_KEYWORDS = {"$schema", "$id", "$defs", "title", "description"}
#: Python types of the JSON types that need no further test.
_PY_TYPES = {
    "string": (str,),
    "boolean": (bool,),
    "null": (type(None),),
    "array": (list,),
    "object": (dict,),
}


def _type_check(names: list[str]):
    """JSON Schema's "type": booleans are no numbers, 2.0 is an integer."""
    plain = tuple(t for name in names for t in _PY_TYPES.get(name, ()))
    if "number" in names:

        def check(v) -> bool:
            if isinstance(v, bool):
                return bool in plain
            return isinstance(v, int | float) or isinstance(v, plain)

    elif "integer" in names:

        def check(v) -> bool:
            if isinstance(v, bool):
                return bool in plain
            if isinstance(v, int):
                return True
            if isinstance(v, float):
                return v.is_integer()
            return isinstance(v, plain)

    else:

        def check(v) -> bool:
            return isinstance(v, plain)

    return check


def _json_equal(a, b) -> bool:
    """JSON equality: true and 1 differ, 1 and 1.0 do not."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, str) != isinstance(b, str):
        return False
    return a == b


def _is_number(v) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _all(checks: list):
    """One function applying every check, stopping at the first that fails."""
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda v: first(v) and second(v)

    def every(v) -> bool:
        for check in checks:
            if not check(v):
                return False
        return True

    return every


def _object_check(node: dict, defs: dict, compiled: dict):
    """ "properties", "required" and "additionalProperties" in one pass over a dict."""
    props = {
        k: _compile(sub, defs, compiled)
        for k, sub in node.get("properties", {}).items()
    }
    required = tuple(node.get("required", ()))
    closed = node.get("additionalProperties", True)
    if closed not in (True, False):
        raise ValueError("additionalProperties other than true or false")
    closed = closed is False

    def check(v) -> bool:
        if not isinstance(v, dict):
            return True
        for name in required:
            if name not in v:
                return False
        for key, item in v.items():
            test = props.get(key)
            if test is None:
                if closed:
                    return False
            elif not test(item):
                return False
        return True

    return check


_OBJECT_KEYWORDS = {"properties", "required", "additionalProperties"}


def _compile(node: dict, defs: dict, compiled: dict):
    """A function telling whether a value satisfies the schema ``node``."""
    checks = []
    if _OBJECT_KEYWORDS & node.keys():
        checks.append(_object_check(node, defs, compiled))
    for keyword, value in node.items():
        if keyword in _IGNORED_KEYWORDS or keyword in _OBJECT_KEYWORDS:
            continue
        if keyword == "$ref":
            name = value.removeprefix("#/$defs/")
            if name not in compiled:
                compiled[name] = None  # being compiled: recursion goes through a cell
                compiled[name] = _compile(defs[name], defs, compiled)
            checks.append(lambda v, name=name: compiled[name](v))
        elif keyword == "type":
            checks.insert(0, _type_check(value if isinstance(value, list) else [value]))
        elif keyword == "enum":
            hashable = all(isinstance(o, str) or o is None for o in value)
            if hashable:
                options = frozenset(value)
                checks.append(
                    lambda v, options=options: (
                        (v is None or isinstance(v, str)) and v in options
                    )
                )
            else:
                checks.append(
                    lambda v, options=value: any(_json_equal(v, o) for o in options)
                )
        elif keyword == "const":
            checks.append(lambda v, c=value: _json_equal(v, c))
        elif keyword == "items":
            item = _compile(value, defs, compiled)
            checks.append(
                lambda v, item=item: not isinstance(v, list) or all(map(item, v))
            )
        elif keyword == "pattern":
            search = re.compile(value).search
            checks.append(
                lambda v, search=search: not isinstance(v, str) or bool(search(v))
            )
        elif keyword == "minLength":
            checks.append(lambda v, n=value: not isinstance(v, str) or len(v) >= n)
        elif keyword == "maxLength":
            checks.append(lambda v, n=value: not isinstance(v, str) or len(v) <= n)
        elif keyword == "maxItems":
            checks.append(lambda v, n=value: not isinstance(v, list) or len(v) <= n)
        elif keyword == "minimum":
            checks.append(lambda v, n=value: not (_is_number(v) and v < n))
        elif keyword == "maximum":
            checks.append(lambda v, n=value: not (_is_number(v) and v > n))
        else:
            raise ValueError(f"schema keyword {keyword!r} has no fast check")
    return _all(checks)


@lru_cache(maxsize=1)
def _fast_check():
    """The compiled yes/no check of the whole schema."""
    schema = plan_schema()
    return _compile(schema, schema["$defs"], {})


def schema_accepts(doc) -> bool:
    """Whether ``doc`` satisfies the plan schema (the fast check)."""
    return _fast_check()(doc)


def _schema_problems(doc: dict) -> list[Problem]:
    """Every schema violation, in document order, with an Indonesian message."""
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
        what = patterns.get(expected)
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


_DATETIME_NO_ZONE = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$")
