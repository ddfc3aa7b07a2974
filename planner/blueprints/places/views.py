"""Places: list, search, create, show and correct venues, ports and airports."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload

from planner.blueprints.listing import paginate
from planner.blueprints.places import bp
from planner.blueprints.places.forms import PlaceForm, PlaceSearchForm, is_coordinate
from planner.commit import save
from planner.extensions import db
from planner.geo import distance_km
from planner.models import Place, Region
from planner.permissions import can_manage_places, can_view_places, require
from planner.services.places import (
    create_place,
    geocode_place,
    search_places,
    suggest_coordinates,
    update_place,
)


def _km(value: float | None) -> str | None:
    """A distance as the reader's locale writes it: "12,3" in Indonesian."""
    return None if value is None else format_decimal(value, format="#,##0.0")


def _load_place(place_id: int) -> Place:
    return db.one_or_404(
        db.select(Place)
        .filter_by(id=place_id)
        .options(joinedload(Place.region).joinedload(Region.parent))
    )


def _parse_pick(value: str) -> tuple[str, str, str, str] | None:
    """A candidate button's value: "source|lat|lon|region_code"; None if malformed."""
    parts = (value or "")[:100].split("|")
    if len(parts) != 4:
        return None
    source, lat, lon, region_code = parts
    if not (is_coordinate(lat) and is_coordinate(lon)):
        return None
    return source, lat, lon, region_code


def _apply_pick(form: PlaceForm, value: str) -> bool:
    """Put a picked candidate's coordinates (and region, if empty) into the form."""
    pick = _parse_pick(value)
    if pick is None:
        return False
    source, lat, lon, region_code = pick
    for field, text in ((form.lat, lat), (form.lon, lon)):
        field.raw_data = [text]
        field.process_formdata([text])
    form.picked_source.data = source
    form.picked_lat.data = lat
    form.picked_lon.data = lon
    if form.region_id.data is None and region_code:
        region_id = db.session.scalar(
            db.select(Region.id).filter_by(code=region_code[:8])
        )
        if region_id is not None:
            form.region_id.data = region_id
            form.region_id.raw_data = [str(region_id)]
    return True


def _handle_lookup(form: PlaceForm):
    """Run the geocoder on the typed name/address, or apply a picked candidate.

    Returns the candidates to show, or None when the request is a normal save.
    """
    if "pick" in request.form:
        if _apply_pick(form, request.form["pick"]):
            flash(_("Koordinat diisi dari hasil pencarian. Periksa, lalu simpan."))
        return []
    if form.lookup.data:
        candidates = suggest_coordinates(form.name.data, form.address.data)
        if not candidates:
            flash(
                _("Tidak ada koordinat yang cocok. Isi sendiri, misalnya dari peta."),
                "warning",
            )
        return candidates
    return None


def _save(form: PlaceForm, action):
    """Validate, run the service through the commit point; refusals land on the form."""
    if not form.validate_on_submit():
        return None
    return save(lambda: action(form.data), form=form).value


@bp.get("/")
@login_required
def index():
    """List places, searchable by name/address and filterable by kind."""
    require(can_view_places(current_user))
    form = PlaceSearchForm(request.args)
    form.validate()
    query = form.q.data if not form.q.errors else ""
    page = paginate(search_places(query, form.kind.data))
    return render_template(
        "places/index.html",
        page=page,
        form=form,
        can_manage=can_manage_places(current_user),
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    """Create a place, optionally looking its coordinates up first."""
    require(can_manage_places(current_user))
    form = PlaceForm()
    candidates = _handle_lookup(form) if request.method == "POST" else None
    if candidates is None:
        place = _save(form, lambda data: create_place(data=data))
        if place is not None:
            flash(_("Tempat %(name)s disimpan.", name=place.name), "success")
            return redirect(url_for("places.show", place_id=place.id))
    return render_template("places/new.html", form=form, candidates=candidates or [])


@bp.get("/<int:place_id>")
@login_required
def show(place_id: int):
    """One place: where it is, where its coordinates come from, distance to the seat."""
    place = _load_place(place_id)
    require(can_view_places(current_user))
    province = place.region.province if place.region else None
    seat_km = _km(distance_km(place, place.region)) if place.region else None
    province_km = (
        _km(distance_km(place, province))
        if province is not None and province is not place.region
        else None
    )
    return render_template(
        "places/show.html",
        place=place,
        seat_km=seat_km,
        province=province,
        province_km=province_km,
        can_manage=can_manage_places(current_user),
    )


@bp.route("/<int:place_id>/edit", methods=["GET", "POST"])
@login_required
def edit(place_id: int):
    """Correct a place, its coordinates above all (a shipped place keeps its code)."""
    place = _load_place(place_id)
    require(can_manage_places(current_user))
    form = PlaceForm(obj=place)
    candidates = _handle_lookup(form) if request.method == "POST" else None
    if candidates is None:
        saved = _save(form, lambda data: update_place(place, data=data))
        if saved is not None:
            flash(_("Perubahan disimpan."), "success")
            return redirect(url_for("places.show", place_id=place.id))
    return render_template(
        "places/edit.html", form=form, place=place, candidates=candidates or []
    )


@bp.post("/<int:place_id>/geocode")
@login_required
def geocode(place_id: int):
    """Fill a place's missing coordinates from the geocoder's best match."""
    place = _load_place(place_id)
    require(can_manage_places(current_user))
    if save(lambda: geocode_place(place)).value:
        flash(_("Koordinat ditemukan. Periksa di peta, koreksi bila perlu."), "success")
    else:
        flash(_("Koordinat tidak ditemukan. Isi sendiri lewat Ubah."), "warning")
    return redirect(url_for("places.show", place_id=place.id))
