"""The paperwork of an event: budget (RAB) and payment sheets (daftar penerimaan)."""

from planner.services.paperwork import checks  # noqa: F401  (registers the to-do line)
