"""Views of the paperwork: the budget page (rates, hand-typed lines), its PDF and XLSX,
and the payment sheets as PDF. Organisers of the event and admins only."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from planner.blueprints.downloads import download, queue_export, send_file
from planner.blueprints.paperwork import bp
from planner.blueprints.paperwork.forms import BudgetForm, BudgetLineForm
from planner.commit import save
from planner.exports.paperwork.budget import budget_pdf, budget_xlsx
from planner.jobs.exports import is_big, payments_file
from planner.models import Event
from planner.permissions import can_manage_paperwork, require
from planner.services.export_sizes import payment_rows
from planner.services.paperwork.budget import budget_settings, compute_budget
from planner.services.paperwork.editing import (
    add_budget_line,
    delete_budget_line,
    update_budget,
)
from planner.services.paperwork.payments import PaymentKind, payment_sheet
from planner.services.paperwork.rates import fiscal_years, provinces
from planner.services.rosters import load_event

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _manage(event_id: int) -> Event:
    event = load_event(event_id) or abort(404)
    require(can_manage_paperwork(current_user, event))
    return event


def _line_form(event: Event, **kw) -> BudgetLineForm:
    form = BudgetLineForm(prefix="line", **kw)
    form.delegation_id.choices = [SelectChoice("", _("Kegiatan (umum)"))] + [
        SelectChoice(d.id, d.name) for d in event.delegations
    ]
    return form


def _budget_form(settings, **kw) -> BudgetForm:
    form = BudgetForm(obj=settings, **kw)
    form.province_code.choices = [SelectChoice("", _("Provinsi tempat acara"))] + [
        SelectChoice(code, name) for code, name in provinces(settings.fiscal_year)
    ]
    return form


def _page(event: Event, form: BudgetForm, line_form: BudgetLineForm, status=200):
    return (
        render_template(
            "paperwork/budget.html",
            event=event,
            form=form,
            line_form=line_form,
            sheet=compute_budget(event),
            years=fiscal_years(),
        ),
        status,
    )


@bp.route("/budget", methods=["GET", "POST"])
@login_required
def budget(event_id: int):
    """The budget computed from the plan, its rates and its hand-typed lines."""
    event = _manage(event_id)
    settings = budget_settings(event)
    form = _budget_form(settings)
    if form.validate_on_submit():
        if save(lambda: update_budget(event, data=form.data), form=form):
            flash(_("Anggaran disimpan."), "success")
            return redirect(url_for("paperwork.budget", event_id=event_id))
    status = 422 if form.errors else 200
    return _page(event, form, _line_form(event, formdata=None), status)


@bp.post("/budget/lines")
@login_required
def add_line(event_id: int):
    """Add a line typed by hand."""
    event = _manage(event_id)
    form = _line_form(event)
    if form.validate_on_submit():
        if save(lambda: add_budget_line(event, data=form.data), form=form):
            flash(_("Baris anggaran ditambahkan."), "success")
            return redirect(url_for("paperwork.budget", event_id=event_id))
    settings = budget_settings(event)
    return _page(event, _budget_form(settings, formdata=None), form, 422)


@bp.post("/budget/lines/delete")
@login_required
def delete_line(event_id: int):
    """Remove a hand-typed line (its id in the form)."""
    event = _manage(event_id)
    raw = request.form.get("line_id", "")
    line_id = int(raw) if raw.isdigit() and len(raw) < 10 else 0
    if save(lambda: delete_budget_line(event, line_id)):
        flash(_("Baris anggaran dihapus."), "success")
    return redirect(url_for("paperwork.budget", event_id=event_id))


@bp.get("/budget.pdf")
@login_required
def budget_print(event_id: int):
    """The budget as A4 PDF."""
    event = _manage(event_id)
    data = budget_pdf(compute_budget(event))
    return download(data, "application/pdf", _("RAB") + f" {event.title}", "pdf")


@bp.get("/budget.xlsx")
@login_required
def budget_sheet(event_id: int):
    """The budget as XLSX with live formulas."""
    event = _manage(event_id)
    data = budget_xlsx(compute_budget(event))
    return download(data, XLSX, _("RAB") + f" {event.title}", "xlsx")


@bp.get("/payments.pdf")
@login_required
def payments(event_id: int):
    """A payment sheet (``?kind=allowance|transport|honorarium``) as A4 PDF; when it
    cannot be made, the budget page says why."""
    event = _manage(event_id)
    try:
        kind = PaymentKind(request.args.get("kind", PaymentKind.ALLOWANCE))
    except ValueError:
        abort(404)
    if is_big("payments", payment_rows(event, kind)):
        return queue_export(
            "payments",
            params={"event_id": event.id, "kind": str(kind)},
            back_url=url_for("paperwork.budget", event_id=event_id),
        )
    outcome = save(lambda: payment_sheet(event, kind))
    if not outcome:
        return redirect(url_for("paperwork.budget", event_id=event_id))
    return send_file(payments_file(event, outcome.value))
