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
        # Columns, not entities: the 552 regions as ORM objects cost ~10 ms a page.
        rows = db.session.execute(
            db.select(Region.id, Region.code, Region.name, Region.parent_id)
        ).all()
        labels = {id_: f"{name} ({code})" for id_, code, name, _parent in rows}
    else:
        rows = [(r.id, r.code, r.name, r.parent_id) for r in regions]
        labels = {r.id: r.label for r in regions}
        labels.update((r.parent.id, r.parent.label) for r in regions if r.parent)
    choices = [] if multiple else [SelectChoice("", blank or _l("— Pilih wilayah —"))]
    for id_, _code, _name, parent_id in sorted(rows, key=lambda row: row[1]):
        if parent_id is None:
            label = _l("Seluruh provinsi %(name)s", name=labels[id_])
            optgroup = labels[id_]
        else:
            label = labels[id_]
            optgroup = labels[parent_id]
        choices.append(SelectChoice(str(id_), label, optgroup=optgroup))
    return choices
