"""Region pages: the provinces, and one province or regency/city."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user, login_required
from sqlalchemy import func
from sqlalchemy.orm import joinedload, selectinload

from planner.blueprints.regions import bp
from planner.extensions import db
from planner.models import Place, Region, RegionKind
from planner.permissions import can_view_regions, require


@bp.get("/")
@login_required
def index():
    """The 38 provinces in code order, with zone, seat and count of regencies/cities."""
    require(can_view_regions(current_user))
    provinces = db.session.scalars(
        db.select(Region).filter_by(kind=RegionKind.PROVINSI).order_by(Region.code)
    ).all()
    counts = dict(
        db.session.execute(
            db.select(Region.parent_id, func.count(Region.id))
            .where(Region.parent_id.is_not(None))
            .group_by(Region.parent_id)
        ).all()
    )
    return render_template(
        "regions/index.html",
        provinces=provinces,
        counts=counts,
        total=sum(counts.values()),
    )


@bp.get("/<code>")
@login_required
def show(code: str):
    """A province with its regencies/cities, or a regency/city with its places."""
    region = db.one_or_404(
        db.select(Region)
        .filter_by(code=code[:8])
        .options(joinedload(Region.parent), selectinload(Region.children))
    )
    require(can_view_regions(current_user))
    places = []
    if not region.is_province:
        places = db.session.scalars(
            db.select(Place).filter_by(region_id=region.id).order_by(Place.name)
        ).all()
    return render_template("regions/show.html", region=region, places=places)
