"""Views of the certificates: the template, issuing and revoking, the PDFs, and the
public verification page (rate-limited; the code is the only key)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from planner.blueprints.downloads import download, send_export
from planner.blueprints.paperwork import bp, verify_bp
from planner.blueprints.paperwork.forms import CertificateTemplateForm
from planner.commit import save
from planner.exports.paperwork.certificates import certificates_pdf
from planner.extensions import db, limiter
from planner.jobs.exports import certificates_file, verify_url
from planner.models import Delegate, Event
from planner.permissions import (
    can_manage_paperwork,
    can_view_certificate,
    require,
)
from planner.services.export_sizes import certificate_count
from planner.services.paperwork.certificates import (
    certificate_template,
    delegate_certificate,
    event_certificates,
    issue_certificates,
    revoke_certificate,
    save_template,
    verify,
)
from planner.services.paperwork.images import MAX_IMAGE_BYTES
from planner.services.rosters import load_event


def _manage(event_id: int) -> Event:
    event = load_event(event_id) or abort(404)
    require(can_manage_paperwork(current_user, event))
    return event


_verify_url = verify_url


@bp.route("/certificates", methods=["GET", "POST"])
@login_required
def certificates(event_id: int):
    """The certificate template and the certificates issued."""
    event = _manage(event_id)
    template = certificate_template(event)
    form = CertificateTemplateForm(obj=template)
    if form.validate_on_submit():
        upload, data = form.signature.data, None
        if upload and getattr(upload, "filename", ""):
            # One byte past the limit is enough to refuse it; the spooled file is
            # closed now rather than whenever it is collected.
            data = upload.read(MAX_IMAGE_BYTES + 1)
            upload.close()
        if save(
            lambda: save_template(event, data=form.data, signature=data), form=form
        ):
            flash(_("Templat sertifikat disimpan."), "success")
            return redirect(url_for("paperwork.certificates", event_id=event_id))
    return (
        render_template(
            "paperwork/certificates.html",
            event=event,
            form=form,
            template=template,
            certificates=event_certificates(event),
        ),
        422 if form.errors else 200,
    )


@bp.post("/certificates/issue")
@login_required
def issue(event_id: int):
    """Issue a certificate to every delegate who attended and has none."""
    event = _manage(event_id)
    outcome = save(lambda: issue_certificates(event))
    if outcome:
        flash(
            _("%(n)s sertifikat diterbitkan.", n=len(outcome.value)),
            "success",
        )
    return redirect(url_for("paperwork.certificates", event_id=event_id))


@bp.post("/certificates/revoke")
@login_required
def revoke(event_id: int):
    """Revoke one certificate (its id in the form)."""
    event = _manage(event_id)
    raw = request.form.get("certificate_id", "")
    certificate_id = int(raw) if raw.isdigit() and len(raw) < 10 else 0
    reason = request.form.get("reason", "")
    if save(lambda: revoke_certificate(event, certificate_id, reason)):
        flash(_("Sertifikat dicabut."), "success")
    return redirect(url_for("paperwork.certificates", event_id=event_id))


@bp.get("/certificates.pdf")
@login_required
def certificates_print(event_id: int):
    """Every certificate of the event in one PDF, for printing."""
    event = _manage(event_id)
    template = certificate_template(event) or abort(404)
    return send_export(
        "certificates",
        lambda: certificates_file(event, template),
        rows=certificate_count(event),
        params={"event_id": event.id},
        back_url=url_for("paperwork.certificates", event_id=event.id),
    )


@bp.get("/certificates/<int:delegate_id>.pdf")
@login_required
def certificate(event_id: int, delegate_id: int):
    """One delegate's certificate: organisers, and the delegate themself."""
    event = load_event(event_id) or abort(404)
    delegate = db.one_or_404(
        db.select(Delegate).filter_by(id=delegate_id, event_id=event_id)
    )
    require(can_view_certificate(current_user, event, delegate))
    view = delegate_certificate(event, delegate_id) or abort(404)
    template = certificate_template(event) or abort(404)
    data = certificates_pdf([view], template, _verify_url)
    return download(data, "application/pdf", _("Sertifikat") + f" {view.name}", "pdf")


@verify_bp.get("/<code>")
@limiter.limit("30 per minute")
def show(code: str):
    """Public: is this certificate genuine, and is it still valid?"""
    view = verify(code) or abort(404)
    response = render_template("paperwork/verify.html", view=view)
    return response, 200, {"Cache-Control": "no-store", "X-Robots-Tag": "noindex"}
