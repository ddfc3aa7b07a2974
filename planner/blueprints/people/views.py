"""People pages: the scoped list, a person's record, adding and editing."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import false
from sqlalchemy.orm import joinedload

from planner import permissions
from planner.blueprints.listing import paginate
from planner.blueprints.main.views import safe_next
from planner.blueprints.people import bp
from planner.blueprints.people.forms import PersonForm
from planner.commit import save, show_error
from planner.extensions import db
from planner.models import Person, Region, SocialPillar
from planner.permissions import (
    can_create_person,
    can_edit_person,
    can_list_people,
    can_view_person,
    covered_region_ids,
    require,
    sees_all_people,
)
from planner.services import PlannerError
from planner.services.people import (
    MAX_QUERY_LENGTH,
    PossibleDuplicate,
    create_person,
    format_phone,
    update_person,
    visible_people,
)

#: Highest page number honoured (a bigger one would overflow the database's OFFSET).


@bp.app_template_filter("phone")
def phone_filter(value: str | None) -> str:
    """Show a stored E.164 number as "+62 812-3456-7890"."""
    return format_phone(value)


def _regions_for(user, *, keep: Region | None = None) -> list[Region]:
    """Regions the user may put people in (plus ``keep``, the person's current one)."""
    stmt = db.select(Region).options(joinedload(Region.parent)).order_by(Region.code)
    if not sees_all_people(user):
        ids = set(covered_region_ids(user))
        if keep is not None:
            ids.add(keep.id)
        stmt = stmt.where(Region.id.in_(ids)) if ids else stmt.where(false())
    return list(db.session.scalars(stmt))


def _grouped(regions: list[Region]) -> list[tuple[str, list[Region]]]:
    """Regions under their province's name, in code order."""
    groups: dict[str, list[Region]] = {}
    for region in regions:
        name = region.name if region.parent is None else region.parent.name
        groups.setdefault(name, []).append(region)
    return list(groups.items())


def _load_person(person_id: int) -> Person:
    """The person with their region and its province, or 404."""
    return db.one_or_404(
        db.select(Person)
        .options(joinedload(Person.region).joinedload(Region.parent))
        .filter_by(id=person_id)
    )


def _build_form(person: Person | None) -> PersonForm:
    """The person form, without the fields the current user may not touch."""
    may_set_region = can_list_people(current_user)
    regions = (
        _regions_for(current_user, keep=person.region if person else None)
        if may_set_region
        else None
    )
    form = PersonForm(obj=person, regions=regions)
    if not may_set_region:
        del form.region_id
    if person is not None and not permissions.can_view_nik(current_user, person):
        del form.nik
    if person is not None and not form.is_submitted():
        form.phone.data = format_phone(person.phone) or None
    if person is None and not form.is_submitted() and regions and len(regions) == 1:
        form.region_id.data = regions[
            0
        ].id  # a chapter head of one regency: preselect it
    return form


def _save(form: PersonForm, person: Person | None):
    """Run the service on a valid form; returns (person or None, similar people)."""
    data = {k: v for k, v in form.data.items() if k != "csrf_token"}
    similar = None

    def refused(exc: PlannerError) -> None:
        # A possible duplicate lists the similar people under the form's message.
        nonlocal similar
        if isinstance(exc, PossibleDuplicate):
            form.form_errors.append(str(exc))
            similar = exc.people
        else:
            show_error(exc, form)

    def action() -> Person:
        if person is None:
            return create_person(data=data, acting_user=current_user)
        return update_person(person, data=data, acting_user=current_user)

    return save(action, on_error=refused).value, similar


@bp.get("/")
@login_required
def index():
    """List the people the user may see, with search and filters."""
    require(can_list_people(current_user))
    q = request.args.get("q", "")[:MAX_QUERY_LENGTH]
    region_code = request.args.get("region", "")[:8]
    pillar = request.args.get("pillar", "")
    if pillar not in {p.value for p in SocialPillar}:
        pillar = ""
    people = paginate(
        visible_people(current_user, q=q, region_code=region_code, pillar=pillar)
    )
    return render_template(
        "people/index.html",
        people=people,
        q=q,
        region_code=region_code,
        pillar=pillar,
        region_groups=_grouped(_regions_for(current_user)),
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    """Add a person (chapter heads only in their own regions)."""
    require(can_create_person(current_user))
    form = _build_form(None)
    similar = None
    if form.validate_on_submit():
        person, similar = _save(form, None)
        if person is not None:
            flash(_("Data %(name)s disimpan.", name=person.formal_name), "success")
            return redirect(url_for("people.show", person_id=person.id))
    return render_template("people/new.html", form=form, similar=similar)


@bp.get("/<int:person_id>")
@login_required
def show(person_id: int):
    """Show one person's record; the NIK stays masked for those who may not see it."""
    person = _load_person(person_id)
    require(can_view_person(current_user, person))
    return render_template("people/show.html", person=person)


@bp.route("/<int:person_id>/edit", methods=["GET", "POST"])
@login_required
def edit(person_id: int):
    """Edit a person's record (participants their own, without moving region)."""
    person = _load_person(person_id)
    require(can_edit_person(current_user, person))
    form = _build_form(person)
    similar = None
    # Back to where the edit was asked for (a delegation's list of missing data).
    back = safe_next(
        request.args.get("next"), url_for("people.show", person_id=person_id)
    )
    if form.validate_on_submit():
        saved, similar = _save(form, person)
        if saved is not None:
            flash(
                _("Perubahan data %(name)s disimpan.", name=saved.formal_name),
                "success",
            )
            return redirect(back)
    return render_template(
        "people/edit.html", form=form, person=person, similar=similar, back=back
    )
