"""Keep every calendar feed's stored revision current, from the session.

A feed's ETag and its cache key are made of two stored revisions (``feed_revisions``):
its event's (the items, speakers, legs, vehicles, places and delegations' names every
feed of the event shows) and its owner's (a delegate's row, name, seats and stays with
room and roommates; a delegation's row, members and seats). Listening to the session
instead of calling a function from each service means no service can forget it:

- ``after_flush`` notes what the unit of work created, changed or deleted;
- ``do_orm_execute`` notes what bulk statements sent through ``session.execute`` touch
  (plan import, automatic seating, status moves): inserts by their values, updates
  and deletes by selecting the keys of the rows they will touch first, with the same
  WHERE clause, or, for an UPDATE whose WHERE clause pins them, by the key values the
  service names in the execution option ``touches`` (a status move or a quota place:
  one statement less); what cannot be told (an UPDATE run once per parameter set, a
  statement without WHERE) marks every event;
- ``before_flush`` and ``do_orm_execute`` also name, before a stay, room, delegate or
  delegation is deleted, the delegates who slept there or beside its members: the
  database deletes the beds with it (ON DELETE CASCADE), so afterwards nothing tells;
- ``before_commit`` turns the notes into scopes (an item into its event, a place into
  the events that use it and the delegates sleeping there, a person into their
  delegates, their roommates and the events where they speak, a bed into its
  delegate and everyone in its room, a stay or a room into its occupants, a region
  into every event) and writes a fresh random revision for each, in key order, as
  the last statements of the transaction: their row locks are held only while
  committing, and always taken in the same order.

Statements sent around the session (``session.connection().execute``, text SQL) are
not seen.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import event, inspect, select, union
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, aliased

from planner.models import (
    AgendaItem,
    AgendaSpeaker,
    Delegate,
    Event,
    Leg,
    RoomAssignment,
    Stay,
    utcnow,
)
from planner.models.feed import DELEGATE, DELEGATION, EVENT, FeedRevision

_INFO_KEY = "planner_feed_revisions"
_CHUNK = 1000

#: Table → the columns whose values name what a change touches.
KEYS: dict[str, tuple[str, ...]] = {
    "events": ("id",),
    "agenda_items": ("event_id",),
    "legs": ("event_id",),
    "vehicles": ("event_id",),
    "trips": ("event_id",),
    "agenda_speakers": ("item_id",),
    "agenda_item_delegations": ("item_id",),
    "leg_vehicles": ("leg_id",),
    "leg_delegations": ("leg_id",),
    "delegations": ("id", "event_id"),
    "delegates": ("id", "delegation_id"),
    "seat_assignments": ("delegate_id",),
    "places": ("id",),
    "people": ("id",),
    "regions": (),
    "stays": ("id",),
    "rooms": ("id",),
    "room_assignments": ("delegate_id", "room_id"),
}
#: Tables whose deleted rows take beds with them (ON DELETE CASCADE): the delegates
#: concerned are looked up before the rows go.
TAKES_BEDS = frozenset({"stays", "rooms", "delegates", "delegations"})
#: Columns of a delegation that feeds of its whole event show (its name on items and
#: legs); a change of any other (quota, count, head, token) is the delegation's own.
DELEGATION_SHOWN = frozenset({"name", "event_id"})


@dataclass
class Pending:
    """What this transaction touched so far, by kind of key."""

    events: set[int] = field(default_factory=set)
    delegates: set[int] = field(default_factory=set)
    delegations: set[int] = field(default_factory=set)
    items: set[int] = field(default_factory=set)
    legs: set[int] = field(default_factory=set)
    seated: set[int] = field(default_factory=set)  #: delegates whose seats changed
    places: set[int] = field(default_factory=set)
    people: set[int] = field(default_factory=set)
    stays: set[int] = field(default_factory=set)
    rooms: set[int] = field(default_factory=set)
    #: Delegates whose name (another person) or bed changed: their roommates' feeds
    #: show it. Looked up when committing, so a bed moved by a bulk UPDATE, whose new
    #: room is not seen, still reaches its new roommates.
    renamed: set[int] = field(default_factory=set)
    every_event: bool = False
    #: Events were inserted whose ids were not seen (a bulk INSERT).
    new_events: bool = False

    def __bool__(self) -> bool:
        return any(
            (
                self.events,
                self.delegates,
                self.delegations,
                self.items,
                self.legs,
                self.seated,
                self.places,
                self.people,
                self.stays,
                self.rooms,
                self.renamed,
                self.every_event,
                self.new_events,
            )
        )

    def note(self, table: str, values: dict, *, action: str, shown=True) -> None:
        """Note one row of ``table`` (its key columns in ``values``)."""

        def ids(name: str) -> Iterable[int]:
            value = values.get(name)
            if isinstance(value, set | list | tuple):
                return (v for v in value if v is not None)
            return () if value is None else (value,)

        if table == "events":
            self.events.update(ids("id"))
            if action == "insert" and not values.get("id"):
                self.new_events = True
        elif table in ("agenda_items", "legs", "vehicles", "trips"):
            self.events.update(ids("event_id"))
        elif table in ("agenda_speakers", "agenda_item_delegations"):
            self.items.update(ids("item_id"))
        elif table in ("leg_vehicles", "leg_delegations"):
            self.legs.update(ids("leg_id"))
        elif table == "delegations":
            self.delegations.update(ids("id"))
            if action != "update" or shown:
                self.events.update(ids("event_id"))
        elif table == "delegates":
            self.delegates.update(ids("id"))
            self.delegations.update(ids("delegation_id"))
        elif table == "seat_assignments":
            self.seated.update(ids("delegate_id"))
        elif table == "places" and action != "insert":
            self.places.update(ids("id"))
        elif table == "people" and action != "insert":
            self.people.update(ids("id"))
        elif table == "regions" and action != "insert":
            self.every_event = True
        elif table == "stays" and action != "insert":
            self.stays.update(ids("id"))
        elif table == "rooms" and action != "insert":
            self.rooms.update(ids("id"))
        elif table == "room_assignments":
            # The bed's delegate (both when given to another), everyone in the rooms
            # it left or joined (their roommates changed).
            self.delegates.update(ids("delegate_id"))
            self.renamed.update(ids("delegate_id"))
            self.rooms.update(ids("room_id"))


def pending(session: Session) -> Pending:
    found = session.info.get(_INFO_KEY)
    if found is None:
        found = session.info[_INFO_KEY] = Pending()
    return found


# Who sleeps where ---------------------------------------------------------------------


def _sleepers(table: str, ids: list[int]):
    """The ids of the delegates whose stays show rows of ``table``: a stay's or a
    room's occupants, those sleeping at a place, and everyone sharing a room with a
    delegate, a delegation's members or a person (their name is on the roommates'
    entries)."""
    if table == "stays":
        return select(RoomAssignment.delegate_id).where(RoomAssignment.stay_id.in_(ids))
    if table == "rooms":
        return select(RoomAssignment.delegate_id).where(RoomAssignment.room_id.in_(ids))
    if table == "places":
        return (
            select(RoomAssignment.delegate_id)
            .join(Stay, Stay.id == RoomAssignment.stay_id)
            .where(Stay.place_id.in_(ids))
        )
    mine, other = aliased(RoomAssignment), aliased(RoomAssignment)
    statement = select(other.delegate_id).join(mine, mine.room_id == other.room_id)
    if table == "delegates":
        return statement.where(mine.delegate_id.in_(ids))
    statement = statement.join(Delegate, Delegate.id == mine.delegate_id)
    if table == "delegations":
        return statement.where(Delegate.delegation_id.in_(ids))
    if table == "people":
        return statement.where(Delegate.person_id.in_(ids))
    raise ValueError(table)


def _note_sleepers(connection, notes: Pending, table: str, ids: Iterable[int]) -> None:
    """Note now the delegates whose beds go with rows about to be deleted."""
    for chunk in _chunks(i for i in ids if i is not None):
        notes.delegates.update(connection.scalars(_sleepers(table, chunk)))


# Noting changes ----------------------------------------------------------------------


def _before_flush(session: Session, flush_context, instances) -> None:
    deleted: dict[str, set[int]] = {}
    for obj in session.deleted:
        state = inspect(obj)
        table = state.mapper.local_table.name
        if table in TAKES_BEDS and state.identity is not None:
            deleted.setdefault(table, set()).add(state.identity[0])
    if deleted:
        connection, notes = session.connection(), pending(session)
        for table, ids in sorted(deleted.items()):
            _note_sleepers(connection, notes, table, ids)


def _after_flush(session: Session, flush_context) -> None:
    notes = pending(session)
    for action, objects in (
        ("insert", session.new),
        ("update", session.dirty),
        ("delete", session.deleted),
    ):
        for obj in objects:
            mapper = inspect(obj).mapper
            table = mapper.local_table.name
            keys = KEYS.get(table)
            if keys is None:
                continue
            state = inspect(obj)
            values: dict[str, set] = {}
            shown = True
            for key in keys:
                attr = mapper.get_property_by_column(mapper.local_table.c[key]).key
                history = state.attrs[attr].history
                values[key] = {*history.unchanged, *history.added, *history.deleted}
                if not values[key] and attr in state.dict:
                    values[key] = {state.dict[attr]}
            if keys and not any(values.values()):
                notes.every_event = True  # an expired row: what it touched is unknown
                continue
            if table == "delegations" and action == "update":
                shown = any(
                    state.attrs[name].history.has_changes() for name in DELEGATION_SHOWN
                )
            if (
                table == "delegates"
                and action == "update"
                and state.attrs["person_id"].history.has_changes()
            ):
                notes.renamed.update(values["id"])
            notes.note(table, values, action=action, shown=shown)


def _statement_table(statement) -> str | None:
    table = getattr(statement, "table", None)
    return getattr(table, "name", None)


def _set_columns(statement, parameters) -> set[str] | None:
    """The columns an UPDATE sets, or None when that cannot be told."""
    names: set[str] = set()
    for key in (getattr(statement, "_values", None) or {}).keys():
        names.add(getattr(key, "key", None) or getattr(key, "name", None) or str(key))
    for key, _value in getattr(statement, "_ordered_values", None) or ():
        names.add(getattr(key, "key", None) or str(key))
    if isinstance(parameters, dict):
        names.update(parameters)
    return names or None


def note_inserted(session, table_name: str, rows: list[dict]) -> None:
    """Note rows inserted into ``table_name`` without a Core INSERT the session saw
    (the plan import's array INSERT on PostgreSQL): the same notes
    :func:`_do_orm_execute` takes from one."""
    keys = KEYS.get(table_name)
    if keys is None:
        return
    notes = pending(session)
    if table_name == "events":  # an event without an id is noted as such
        for row in rows:
            notes.note(table_name, {k: row.get(k) for k in keys}, action="insert")
        return
    # Every other table's note takes the sets of ids a column holds, all at once.
    notes.note(
        table_name, {k: [row.get(k) for row in rows] for k in keys}, action="insert"
    )


def _do_orm_execute(state) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    if state.execution_options.get("feeds_unchanged"):
        # Its service knows no feed shows what it changes (a delegate's step between
        # two active statuses, a delegation's count of confirmed delegates).
        return
    statement = state.statement
    table_name = _statement_table(statement)
    if table_name not in KEYS:
        return
    notes = pending(state.session)
    keys = KEYS[table_name]
    parameters = state.parameters
    if state.is_insert:
        rows = parameters if isinstance(parameters, list) else [parameters or {}]
        if not any(rows):
            # INSERT … SELECT or values written into the statement: not told.
            notes.every_event = True
            notes.new_events = True
            return
        note_inserted(state.session, table_name, rows)
        return
    action = "update" if state.is_update else "delete"
    shown = renamed = True
    if state.is_update and table_name in ("delegations", "delegates"):
        columns = _set_columns(statement, parameters)
        shown = columns is None or bool(columns & DELEGATION_SHOWN)
        renamed = columns is None or "person_id" in columns
    touches = state.execution_options.get("touches")
    if state.is_update and touches is not None and set(keys) <= set(touches):
        notes.note(table_name, touches, action=action, shown=shown)
        if table_name == "delegates" and renamed:
            notes.renamed.add(touches["id"])
        return
    where = getattr(statement, "whereclause", None)
    if where is None or isinstance(parameters, list) or not keys:
        # Every event's revision changes, and with it the key of every feed.
        notes.every_event = True
        return
    table = statement.table
    connection = state.session.connection()
    found = connection.execute(
        select(*(table.c[k] for k in keys)).where(where), parameters or {}
    ).all()
    for row in found:
        notes.note(
            table_name, dict(zip(keys, row, strict=True)), action=action, shown=shown
        )
    # Every table taking beds has "id" first among its keys.
    if state.is_delete and table_name in TAKES_BEDS:
        _note_sleepers(connection, notes, table_name, (row[0] for row in found))
    elif state.is_update and table_name == "delegates" and renamed:
        notes.renamed.update(row[0] for row in found)


# Writing the revisions ---------------------------------------------------------------


def _chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    ordered = sorted(ids)
    for start in range(0, len(ordered), _CHUNK):
        yield ordered[start : start + _CHUNK]


def _scopes(connection, notes: Pending) -> dict[str, set[int]]:
    """The event, delegate and delegation ids whose revision must change."""
    events, delegates = set(notes.events), set(notes.delegates)
    delegations = set(notes.delegations)
    delegates |= notes.seated
    for chunk in _chunks(notes.items):
        events.update(
            connection.scalars(
                select(AgendaItem.event_id).where(AgendaItem.id.in_(chunk)).distinct()
            )
        )
    for chunk in _chunks(notes.legs):
        events.update(
            connection.scalars(select(Leg.event_id).where(Leg.id.in_(chunk)).distinct())
        )
    for chunk in _chunks(notes.seated):
        delegations.update(
            connection.scalars(
                select(Delegate.delegation_id)
                .where(Delegate.id.in_(chunk), Delegate.delegation_id.is_not(None))
                .distinct()
            )
        )
    for table, ids in (
        ("stays", notes.stays),
        ("rooms", notes.rooms),
        ("delegates", notes.renamed),
        ("places", notes.places),
        ("people", notes.people),
    ):
        for chunk in _chunks(ids):
            delegates.update(connection.scalars(_sleepers(table, chunk)))
    for chunk in _chunks(notes.places):
        events.update(
            connection.scalars(
                union(
                    select(Event.id).where(Event.venue_id.in_(chunk)),
                    select(AgendaItem.event_id).where(AgendaItem.place_id.in_(chunk)),
                    select(Leg.event_id).where(Leg.from_place_id.in_(chunk)),
                    select(Leg.event_id).where(Leg.to_place_id.in_(chunk)),
                )
            )
        )
    for chunk in _chunks(notes.people):
        delegates.update(
            connection.scalars(select(Delegate.id).where(Delegate.person_id.in_(chunk)))
        )
        events.update(
            connection.scalars(
                select(AgendaItem.event_id)
                .join(AgendaSpeaker, AgendaSpeaker.item_id == AgendaItem.id)
                .where(AgendaSpeaker.person_id.in_(chunk))
                .distinct()
            )
        )
    if notes.every_event:
        events.update(connection.scalars(select(Event.id)))
    elif notes.new_events:
        known = select(FeedRevision.owner_id).where(FeedRevision.kind == EVENT)
        events.update(
            connection.scalars(select(Event.id).where(Event.id.not_in(known)))
        )
    return {EVENT: events, DELEGATE: delegates, DELEGATION: delegations}


def write_revisions(connection, scopes: dict[str, set[int]]) -> None:
    """Give every scope named a fresh revision (one random value for this commit),
    rows in key order."""
    rows = [
        {"kind": kind, "owner_id": owner_id}
        for kind in sorted(scopes)
        for owner_id in sorted(scopes[kind])
        if owner_id is not None
    ]
    if not rows:
        return
    revision, now = secrets.randbits(62), utcnow()
    for row in rows:
        row.update(revision=revision, changed_at=now)
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(FeedRevision.__table__)
    statement = statement.on_conflict_do_update(
        index_elements=["kind", "owner_id"],
        set_={
            "revision": statement.excluded.revision,
            "changed_at": statement.excluded.changed_at,
        },
    )
    for start in range(0, len(rows), _CHUNK):
        connection.execute(statement, rows[start : start + _CHUNK])


def _before_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a SAVEPOINT: the outer commit writes
    session.flush()
    notes = session.info.get(_INFO_KEY)
    if not notes:
        return
    connection = session.connection()
    write_revisions(connection, _scopes(connection, notes))
    session.info[_INFO_KEY] = Pending()


def _after_transaction_end(session: Session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(_INFO_KEY, None)


def register(session_class) -> None:
    """Listen on the application's session class (idempotent)."""
    for name, listener in (
        ("before_flush", _before_flush),
        ("after_flush", _after_flush),
        ("do_orm_execute", _do_orm_execute),
        ("before_commit", _before_commit),
        ("after_transaction_end", _after_transaction_end),
    ):
        if not event.contains(session_class, name, listener):
            event.listen(session_class, name, listener)
