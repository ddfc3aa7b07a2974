"""Paginated lists, shared by every list page."""

from flask import current_app, request
from flask_sqlalchemy.pagination import Pagination

from planner.extensions import db

#: Far beyond any real list; keeps hostile page numbers out of SQL integer range.
MAX_PAGE = 100_000


def paginate(statement) -> Pagination:
    """One page of ``statement``: the ``page`` argument clamped, PAGE_SIZE rows per page."""
    page = request.args.get("page", 1, type=int) or 1
    return db.paginate(
        statement,
        page=min(max(page, 1), MAX_PAGE),
        per_page=current_app.config["PAGE_SIZE"],
        max_per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
    )
