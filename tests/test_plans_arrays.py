"""The plan import's array INSERT on PostgreSQL writes what a Core INSERT writes: the
same values after bind processing, Python defaults row by row, ids in row order, the
same feed-revision notes, and the same refusals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from planner.extensions import db
from planner.models import Delegate, DelegateChange, DelegateStatus, Person
from planner.revisions import pending
from planner.services.plans.arrays import insert_arrays

WIB = timezone(timedelta(hours=7))


@pytest.fixture
def postgresql_only(app_ctx):
    if db.session.get_bind().dialect.name != "postgresql":
        pytest.skip("the array INSERT is PostgreSQL's")


def _rows(event_id: int, delegation_id: int, people: list[int]) -> list[dict]:
    return [
        {
            "event_id": event_id,
            "delegation_id": delegation_id if n % 2 else None,
            "person_id": person_id,
            "role": "participant",
            "status": DelegateStatus.CONFIRMED if n % 3 else "nominated",
            "notes": None if n % 2 else f"catatan {n}",
            "confirmed_at": datetime(2027, 1, 19, 8, n, tzinfo=WIB) if n % 3 else None,
        }
        for n, person_id in enumerate(people)
    ]


def _stored(ids) -> list[tuple]:
    table = Delegate.__table__
    skipped = {"id", "feed_token", "created_at", "updated_at", "event_id", "person_id"}
    columns = [c for c in table.columns if c.name not in skipped]
    return [
        tuple(row)
        for row in db.session.execute(
            sa.select(*columns).where(table.c.id.in_(ids)).order_by(table.c.id)
        )
    ]


def test_array_insert_writes_what_the_core_insert_writes(
    postgresql_only, make_delegation, make_person
):
    delegation = make_delegation()
    people = [make_person().id for _ in range(10)]
    table = Delegate.__table__

    first = _rows(delegation.event_id, delegation.id, people[:5])
    before = datetime.now(UTC)
    db.session.execute(sa.insert(table), first)
    assert insert_arrays(
        table, _rows(delegation.event_id, delegation.id, people[5:]), batch=2
    )
    core_ids = list(
        db.session.scalars(
            sa.select(table.c.id)
            .where(table.c.person_id.in_(people[:5]))
            .order_by(table.c.person_id)
        )
    )
    array_ids = list(
        db.session.scalars(
            sa.select(table.c.id)
            .where(table.c.person_id.in_(people[5:]))
            .order_by(table.c.person_id)
        )
    )
    # Serial ids are handed out in the order of the rows, batch after batch.
    assert array_ids == sorted(array_ids) and array_ids[0] > core_ids[-1]
    core, arrays = _stored(core_ids), _stored(array_ids)
    # Same values (but the person): enums by value, times in UTC.
    assert core == arrays
    assert datetime(2027, 1, 19, 1, 1, tzinfo=UTC) in arrays[1]
    made = db.session.execute(
        sa.select(table.c.feed_token, table.c.created_at).where(
            table.c.id.in_(array_ids)
        )
    ).all()
    assert len({token for token, _at in made}) == 5  # a fresh token per row
    assert all(at >= before for _token, at in made)


def test_array_insert_keeps_ids_given_and_notes_the_same_revisions(
    postgresql_only, make_delegation, make_person
):
    delegation = make_delegation()
    people = [make_person().id for _ in range(4)]
    table = Delegate.__table__
    db.session.commit()
    rows = _rows(delegation.event_id, delegation.id, people)
    ids = list(
        db.session.scalars(
            sa.select(sa.func.nextval("delegates_id_seq")).select_from(
                sa.func.generate_series(1, len(rows))
            )
        )
    )
    for row, ident in zip(rows, ids, strict=True):
        row["id"] = ident
    notes = pending(db.session)
    notes.delegates.clear()
    notes.delegations.clear()
    assert insert_arrays(table, rows, batch=1000)
    assert notes.delegates == set(ids)
    assert notes.delegations == {delegation.id}
    assert (
        list(
            db.session.scalars(
                sa.select(table.c.person_id)
                .where(table.c.id.in_(ids))
                .order_by(table.c.id)
            )
        )
        == people
    )


def test_array_insert_refuses_what_the_core_insert_refuses(
    postgresql_only, make_delegate
):
    delegate = make_delegate()
    db.session.commit()
    table = DelegateChange.__table__
    row = {
        "delegate_id": delegate.id,
        "action": "confirmed",
        "at": datetime(2027, 1, 19, 8, tzinfo=WIB),
        "note": "x" * 501,  # a cast to VARCHAR(500) would cut it silently
    }
    with pytest.raises(sa.exc.DBAPIError):
        insert_arrays(table, [row], batch=1000)
    db.session.rollback()
    with pytest.raises(ValueError, match="naive"):
        insert_arrays(
            table, [{**row, "note": None, "at": datetime(2027, 1, 19)}], batch=1000
        )
    db.session.rollback()
    with pytest.raises(LookupError):
        insert_arrays(
            Person.__table__,
            [{"full_name": "Siti", "pillar": "bukan-pilar"}],
            batch=1000,
        )
    db.session.rollback()


def test_rows_of_different_keys_are_left_to_the_core_insert(postgresql_only):
    rows = [{"full_name": "Siti"}, {"full_name": "Budi", "nik": None}]
    assert insert_arrays(Person.__table__, rows, batch=1000) is False
