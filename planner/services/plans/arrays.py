"""Bulk inserts on PostgreSQL as one ``INSERT … SELECT FROM unnest(arrays)`` per batch.

psycopg's executemany sends one INSERT per row (pipelined): at 52,000 rows for a
national plan the server parses, plans and runs each one, most of the import's time.
A multi-row ``VALUES`` (SQLAlchemy's insertmanyvalues) has as many placeholders as
values, which psycopg parses again for every batch. Here each column goes as one
array parameter, so a batch of 1,000 rows is one short statement with one
placeholder per column, however many rows it carries.

Rows are given as dicts, as for a Core INSERT, and are inserted as it would: each
value goes through its column type's bind processing (an enum checked and stored by
value, an aware time converted to UTC), missing columns get their Python-side
defaults one row at a time (a fresh feed token each), and the rows keep their order
(``WITH ORDINALITY``), so serial ids are handed out in it. The statement goes through
the session's connection, around the session's ``do_orm_execute`` listener, which
would read the arrays as one row: the feed revisions are noted here instead, as that
listener notes a Core INSERT's rows.
"""

from __future__ import annotations

import re
from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from planner.extensions import db
from planner.revisions import note_inserted

#: Column types sent as arrays, by their affinity: the element type of the array.
#: Text for every string: a cast to VARCHAR(n) would cut a long value silently where
#: the INSERT refuses it.
_ARRAY_OF = {
    sa.String: sa.Text,
    sa.Integer: sa.Integer,
    sa.Float: sa.Float,
    sa.Boolean: sa.Boolean,
    sa.Date: sa.Date,
}


def _element(column: sa.Column) -> sa.types.TypeEngine | None:
    """The array element type a column's values travel as; None: not supported."""
    affinity = column.type._type_affinity
    if affinity is sa.DateTime:
        impl = getattr(column.type, "impl", column.type)
        return sa.DateTime(timezone=bool(getattr(impl, "timezone", False)))
    element = _ARRAY_OF.get(affinity)
    return element() if element is not None else None


def _python_default(column: sa.Column):
    """A missing column's value maker ``() -> value``: its scalar or context-free
    callable default, ``None`` when it has none that the database does not supply,
    ``False`` when its default needs the INSERT's context (not supported here)."""
    default = column.default
    if default is None:
        return None
    if default.is_scalar:
        value = default.arg
        return lambda: value
    if default.is_callable and default.arg is not getattr(default, "_fn", None):
        make = default.arg  # SQLAlchemy's wrapper of a function taking no context
        return lambda: make(None)
    return False


@lru_cache(maxsize=128)
def _plan(table: sa.Table, keys: tuple[str, ...], dialect: sa.Dialect):
    """The statement's SQL for rows with ``keys`` and, per column, how its values are
    made ready; None when a column cannot go as an array."""
    given = [table.c[k] for k in keys]
    extra = []
    for column in table.columns:
        if column.key in keys:
            continue
        make = _python_default(column)
        if make is False:
            return None
        if make is not None:
            extra.append((column, make))
    columns = given + [column for column, _make in extra]
    elements = [_element(column) for column in columns]
    if any(element is None for element in elements):
        return None
    names = [f"c{n}" for n in range(len(columns))]
    arrays = sa.func.unnest(
        *(
            sa.bindparam(name, type_=postgresql.ARRAY(element))
            for name, element in zip(names, elements, strict=True)
        )
    )
    source = arrays.table_valued(*names, with_ordinality="n").render_derived()
    stmt = sa.insert(table).from_select(
        [column.name for column in columns],
        sa.select(*(source.c[name] for name in names)).order_by(source.c.n),
        include_defaults=False,
    )
    # The arrays go in psycopg's binary format (%b): its text format quotes and
    # escapes every element with regular expressions, the dearest part otherwise.
    sql = _PLACEHOLDER.sub(r"%(\1)b", str(stmt.compile(dialect=dialect)))
    processors = [
        column.type.dialect_impl(dialect).bind_processor(dialect) for column in columns
    ]
    return sql, names, given, extra, processors


_PLACEHOLDER = re.compile(r"%\((c[0-9]+)\)s")


def insert_arrays(table: sa.Table, rows: list[dict], *, batch: int) -> bool:
    """Insert ``rows`` (dicts with the same keys) into ``table`` as arrays of
    ``batch`` values at most; False (nothing sent) when a column cannot go that way,
    for the caller's plain INSERT."""
    if not rows:
        return True
    keys = tuple(rows[0])
    first = rows[0].keys()
    if any(row.keys() != first for row in rows):
        return False
    connection = db.session.connection()
    plan = _plan(table, keys, connection.dialect)
    if plan is None:
        return False
    sql, names, given, extra, processors = plan
    for start in range(0, len(rows), batch):
        chunk = rows[start : start + batch]
        values = [[row[column.key] for row in chunk] for column in given]
        values += [[make() for _row in chunk] for _column, make in extra]
        params = {}
        for n, (name, column_values, process) in enumerate(
            zip(names, values, processors, strict=True)
        ):
            if process is not None:
                column_values = [process(value) for value in column_values]
            if n and column_values.count(None) == len(column_values):
                # unnest() pads a NULL array with NULLs to the others' length: a
                # column without values (notes, titles) is not sent element by
                # element. The first array always is, so the rows are counted.
                column_values = None
            params[name] = column_values
        connection.exec_driver_sql(sql, params)
    note_inserted(db.session, table.name, rows)
    return True
