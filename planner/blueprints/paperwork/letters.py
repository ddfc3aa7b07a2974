"""Views of the invitation letters: letterhead and numbering, issuing, the PDFs (one
per delegation, or all in one for printing). Organisers of the event and admins."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from planner.blueprints.downloads import download, send_export
from planner.blueprints.paperwork import bp
from planner.blueprints.paperwork.forms import LetterSettingsForm
from planner.commit import save
from planner.exports.paperwork.letters import letters_pdf
from planner.extensions import db
from planner.jobs.exports import letter_page_url, letters_file
from planner.models import Delegation, Event
from planner.permissions import can_manage_paperwork, require
from planner.services.export_sizes import letter_count
from planner.services.paperwork.images import MAX_IMAGE_BYTES
from planner.services.paperwork.letters import (
    event_letters,
    issue_letters,
    letter_settings,
    save_letter_settings,
)
from planner.services.rosters import load_event


def _manage(event_id: int) -> Event:
    event = load_event(event_id) or abort(404)
    require(can_manage_paperwork(current_user, event))
    return event


_page_url = letter_page_url


@bp.route("/letters", methods=["GET", "POST"])
@login_required
def letters(event_id: int):
    """The letterhead, number pattern and signatory, and the letters issued."""
    event = _manage(event_id)
    settings = letter_settings(event)
    form = LetterSettingsForm(obj=settings)
    if form.validate_on_submit():
        upload, logo = form.logo.data, None
        if upload and getattr(upload, "filename", ""):
            logo = upload.read(MAX_IMAGE_BYTES + 1)
            upload.close()
        if save(
            lambda: save_letter_settings(event, data=form.data, logo=logo), form=form
        ):
            flash(_("Pengaturan surat undangan disimpan."), "success")
            return redirect(url_for("paperwork.letters", event_id=event_id))
    return (
        render_template(
            "paperwork/letters.html",
            event=event,
            form=form,
            settings=settings,
            letters=event_letters(event) if settings else [],
        ),
        422 if form.errors else 200,
    )


@bp.post("/letters/issue")
@login_required
def issue_letters_view(event_id: int):
    """Number a letter for every delegation that has none."""
    event = _manage(event_id)
    outcome = save(lambda: issue_letters(event))
    if outcome:
        flash(_("%(n)s surat diberi nomor.", n=len(outcome.value)), "success")
    return redirect(url_for("paperwork.letters", event_id=event_id))


@bp.get("/letters.pdf")
@login_required
def letters_print(event_id: int):
    """Every letter in one PDF, for printing."""
    event = _manage(event_id)
    settings = letter_settings(event) or abort(404)
    return send_export(
        "letters",
        lambda: letters_file(event, settings),
        rows=letter_count(event),
        params={"event_id": event.id},
        back_url=url_for("paperwork.letters", event_id=event.id),
    )


@bp.get("/letters/<int:delegation_id>.pdf")
@login_required
def letter(event_id: int, delegation_id: int):
    """One delegation's letter."""
    event = _manage(event_id)
    delegation = db.one_or_404(
        db.select(Delegation).filter_by(id=delegation_id, event_id=event_id)
    )
    settings = letter_settings(event) or abort(404)
    views = event_letters(event, delegation_id) or abort(404)
    data = letters_pdf(views, settings, _page_url(event_id))
    return download(
        data, "application/pdf", _("Surat undangan") + f" {delegation.name}", "pdf"
    )
