"""Event plans as files: one JSON document per event, written and read without loss.

The format ("rombongan-plan", version 1) is described in ``docs/plan-format.md`` and
checked by the JSON Schema in ``planner/data/plan-format.schema.json``. An export is
deterministic: entries are sorted by their natural attributes and their file-local keys
are made from their names, so that export → import into an empty database → export gives
the same document again (but for ``exported_at``).

Importing checks the whole document first (the schema, then every reference) and lists
every problem with its JSON path; nothing is written unless all is valid. Rows go in
with bulk INSERT statements in batches; the caller commits, or rolls back on error.

Modules: ``common`` (constants, problems, helpers), ``export``, ``reading`` (the file
as JSON), ``schema`` (the schema and its fast check), ``checks`` (every problem),
``writing`` (the import).
"""

from planner.services.plans.checks import validate_plan
from planner.services.plans.common import (
    BATCH,
    FORMAT,
    MAX_PLAN_BYTES,
    MAX_PROBLEMS,
    SCHEMA_PATH,
    TOP_KEYS,
    VERSION,
    ImportResult,
    PlanInvalid,
    Problem,
    json_path,
)
from planner.services.plans.export import dump_plan, export_plan
from planner.services.plans.reading import load_plan
from planner.services.plans.schema import plan_schema, schema_accepts
from planner.services.plans.writing import import_plan

__all__ = [
    "BATCH",
    "FORMAT",
    "MAX_PLAN_BYTES",
    "MAX_PROBLEMS",
    "SCHEMA_PATH",
    "TOP_KEYS",
    "VERSION",
    "ImportResult",
    "PlanInvalid",
    "Problem",
    "dump_plan",
    "export_plan",
    "import_plan",
    "json_path",
    "load_plan",
    "plan_schema",
    "schema_accepts",
    "validate_plan",
]
