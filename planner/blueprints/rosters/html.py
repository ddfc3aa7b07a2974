"""The whole event's table of totals per delegation, written in Python.

A national event lists 514 delegations: the Jinja loop spent about 8 ms a page
looking up attributes and escaping (some 4,000 calls of each). The same markup made
here with one ``escape`` per value costs a fraction of that;
``tests/test_rosters.py`` checks it against the loop it replaced.
"""

from __future__ import annotations

from jinja2.filters import do_urlencode
from markupsafe import Markup, escape

from planner.i18n import gettext
from planner.services.rosters import Roster


def totals_rows(roster: Roster, rosters_url: str) -> Markup:
    """The ``<tbody>`` rows: per province a heading row (a link to the province's
    page when it has a code), its delegations (each a link to its own roster) and
    its total; one row saying there are none when there are no delegations."""
    status = roster.status_filter
    base = escape(rosters_url)
    status_query = escape(do_urlencode({"status": status}))
    out: list[str] = []
    for p in roster.provinces:
        name = escape(p.name)
        if p.code:
            query = escape(do_urlencode({"province": p.code, "status": status}))
            code = escape(p.code)
            heading = (
                f'<a href="{base}?{query}">{name}</a>'
                f' <span class="text-muted small">({code})</span>'
            )
        else:
            heading = name
        out.append(
            '<tr class="table-light"><th scope="rowgroup" colspan="3">'
            f"{heading}</th></tr>"
        )
        for g in p.delegations:
            label = escape(g.name)
            if g.delegation_id:
                label = f'<a href="{base}{g.delegation_id}?{status_query}">{label}</a>'
            if g.code:
                label = (
                    f'{label} <span class="text-muted small">({escape(g.code)})</span>'
                )
            quota = "" if g.quota is None else escape(g.quota)
            out.append(
                f'<tr><td class="text-break">{label}</td>'
                f'<td class="text-end">{quota}</td>'
                f'<td class="text-end">{g.total}</td></tr>'
            )
        total = escape(gettext("Jumlah %(name)s", name=p.name))
        out.append(
            f'<tr class="fw-semibold"><td>{total}</td><td></td>'
            f'<td class="text-end">{p.total}</td></tr>'
        )
    if not roster.provinces:
        none = escape(gettext("Belum ada delegasi."))
        out.append(f'<tr><td colspan="3" class="text-muted">{none}</td></tr>')
    return Markup("\n".join(out))
