"""The audit trail: who changed what in an event's plan, when, before and after.

Rows are written by ``planner.audit`` from the session's flushes and are append-only:
database triggers refuse UPDATE and DELETE on both SQLite and PostgreSQL, for admins
too. There are deliberately no foreign keys: an entry outlives the user, the event and
the row it describes (a deleted vehicle's entry says what the vehicle was).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DDL, JSON, Index, Integer, String, event
from sqlalchemy.orm import Mapped, mapped_column

from planner.extensions import db
from planner.models.types import UTCDateTime, utcnow


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"
    __table_args__ = (
        Index("ix_audit_entries_event_at", "event_id", "at"),
        Index("ix_audit_entries_entity", "entity", "entity_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: The event the change belongs to (no foreign key: see the module docstring).
    event_id: Mapped[int | None] = mapped_column(Integer)
    #: The signed-in user; NULL for terminal commands and imports without a user.
    user_id: Mapped[int | None] = mapped_column(Integer, index=True)
    #: The user's email at the time, so the entry reads the same after they leave.
    user_label: Mapped[str | None] = mapped_column(String(254))
    #: delegation, delegate, vehicle, trip, leg, seat, agenda_item, agenda_speaker
    entity: Mapped[str] = mapped_column(String(24))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    #: create, update, delete, or a delegate's step (confirmed, replaced, …)
    action: Mapped[str] = mapped_column(String(24))
    #: What the row was called: "Travel 1", "Siti Aminah", "Pembukaan".
    summary: Mapped[str | None] = mapped_column(String(300))
    #: {field: [before, after]}; creates have before None, deletes after None.
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    def __repr__(self) -> str:
        return f"<AuditEntry {self.id} {self.entity}:{self.entity_id} {self.action}>"


_MESSAGE = "audit_entries is append-only"

#: Triggers refusing UPDATE, DELETE and (PostgreSQL) TRUNCATE, created with the table by
#: migration or create_all. They bind the tables' owner too; the application itself runs
#: as a role that does not own the tables, so it cannot disable them or drop the table
#: (``flask database runtime-role``, docs/security.md).
APPEND_ONLY = {
    "sqlite": [
        "CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries "
        f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END",
        "CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries "
        f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END",
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION audit_entries_append_only() RETURNS trigger "
        f"LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '{_MESSAGE}'; END $$",
        "CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE "
        "ON audit_entries FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only()",
        "CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_append_only()",
    ],
}

DROP_APPEND_ONLY = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS audit_entries_no_update",
        "DROP TRIGGER IF EXISTS audit_entries_no_delete",
    ],
    "postgresql": [
        "DROP TRIGGER IF EXISTS audit_entries_append_only ON audit_entries",
        "DROP TRIGGER IF EXISTS audit_entries_no_truncate ON audit_entries",
        "DROP FUNCTION IF EXISTS audit_entries_append_only()",
    ],
}

for _dialect, _statements in APPEND_ONLY.items():
    for _statement in _statements:
        event.listen(
            AuditEntry.__table__,
            "after_create",
            DDL(_statement).execute_if(dialect=_dialect),
        )
