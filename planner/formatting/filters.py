"""The formatting helpers as Jinja filters and globals, and the ones that need a
request (the current page's address)."""

from __future__ import annotations

from flask import Flask, request, url_for

from planner.formatting.plain import (
    formal_name,
    format_date,
    format_date_range,
    format_datetime,
    format_day,
    format_number,
    format_rupiah,
    format_time,
    tz_abbr,
)


def register(app: Flask) -> None:
    """Make the helpers available as Jinja filters."""
    app.jinja_env.filters.update(
        day=format_day,
        date_id=format_date,
        time_in=format_time,
        datetime_in=format_datetime,
        tz_abbr=tz_abbr,
        formal_name=formal_name,
        number=format_number,
        rupiah=format_rupiah,
    )
    from planner import permissions

    app.jinja_env.globals.update(
        format_date_range=format_date_range, url_with=url_with, perm=permissions
    )


def url_with(**changes) -> str:
    """The current page's address with some query arguments replaced."""
    args = request.args.to_dict()
    args.update({k: v for k, v in changes.items() if v is not None})
    return url_for(request.endpoint, **(request.view_args or {}), **args)
