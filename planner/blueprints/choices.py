"""Select options shared by several features' forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

from planner.extensions import db
from planner.models import Region


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
