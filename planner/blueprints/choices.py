"""Select options shared by several features' forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

from planner.extensions import db
from planner.models import Region
from planner.models.types import MAX_ID

#: What a garbage id becomes: no row has it, so the select reports "not a choice".
BAD_ID = -1


def coerce_id(value) -> int | None:
    """A select's submitted id, never raising (WTForms' own message is English):
    empty → None, garbage or out of the database's range → an impossible id."""
    if value in (None, "", "None"):
        return None
    if isinstance(value, int):
        return value
    text = str(value).strip()
    if text.isdigit() and len(text) < 12 and int(text) <= MAX_ID:
        return int(text)
    return BAD_ID


def coerce_ids(value) -> int:
    """One id of a multi-select: like :func:`coerce_id`, empty included as garbage."""
    return coerce_id(value) or BAD_ID


def region_choices(
    regions: list[Region] | None = None,
    *,
    blank: str | None = None,
    multiple: bool = False,
) -> list[SelectChoice]:
    """Regions grouped per province in code order, the province itself first in its group.

    ``regions`` limits the list (a chapter head's own); their provinces must be loaded
    (``joinedload(Region.parent)``) or be among them. Without it, every region, in one
    query. A ``multiple`` select gets no blank option.
    """
    if regions is None:
        regions = db.session.scalars(db.select(Region).order_by(Region.code)).all()
    choices = [] if multiple else [SelectChoice("", blank or _l("— Pilih wilayah —"))]
    for region in sorted(regions, key=lambda r: r.code):
        province = region.parent or region
        if region.parent is None:
            label = _l("Seluruh provinsi %(name)s", name=region.label)
        else:
            label = region.label
        choices.append(SelectChoice(str(region.id), label, optgroup=province.label))
    return choices
