"""Event plans as files: one JSON document per event, written and read without loss.

The format ("rombongan-plan", version 1) is described in ``docs/plan-format.md`` and
checked by the JSON Schema in ``planner/data/plan-format.schema.json``. An export is
deterministic: entries are sorted by their natural attributes and their file-local keys
are made from their names, so that export → import into an empty database → export gives
the same document again (but for ``exported_at``).

Importing goes schema → checks → writing: the schema check takes the document, the
checks take a document that satisfies it and return a typed :class:`CheckedPlan` (the
regions and accounts found, the phones in E.164, the notices), and the writer takes
only that. Every problem is listed with its JSON path; nothing is written unless all
is valid. Rows go in with bulk INSERT statements in batches; the caller commits
(``planner/commit.py``), or rolls back on error. ``import_plan`` and ``export_plan``
take an optional ``progress(done, total)`` callback for background jobs.

Modules: ``common`` (constants, problems, the checked plan, helpers), ``reading`` (the
file as JSON), ``schema`` (format, version and the schema), ``resolving`` (regions,
accounts and phones the file names), ``checks`` and ``transport_checks`` (every other
problem), ``matching`` (places and people already here), ``writing`` (the rows),
``importing`` (the three steps in order), ``export`` (the event as a document, and
its bytes), ``papers`` (the optional paperwork section: its export, checks and rows).
"""

from planner.services.plans.common import (
    BATCH,
    FORMAT,
    MAX_PLAN_BYTES,
    MAX_PROBLEMS,
    SCHEMA_PATH,
    TOP_KEYS,
    VERSION,
    CheckedPlan,
    ImportResult,
    PlanInvalid,
    Problem,
    ProgressCallback,
    json_path,
)
from planner.services.plans.export import dump_plan, export_plan
from planner.services.plans.importing import import_plan, validate_plan
from planner.services.plans.reading import load_plan
from planner.services.plans.schema import plan_schema, schema_accepts, schema_problems

__all__ = [
    "BATCH",
    "FORMAT",
    "MAX_PLAN_BYTES",
    "MAX_PROBLEMS",
    "SCHEMA_PATH",
    "TOP_KEYS",
    "VERSION",
    "CheckedPlan",
    "ImportResult",
    "PlanInvalid",
    "Problem",
    "ProgressCallback",
    "dump_plan",
    "export_plan",
    "import_plan",
    "json_path",
    "load_plan",
    "plan_schema",
    "schema_accepts",
    "schema_problems",
    "validate_plan",
]
