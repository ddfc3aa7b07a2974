"""The paperwork of an event: budget (RAB), payment sheets (daftar penerimaan),
certificates (sertifikat) and their public verification page."""

from flask import Blueprint

bp = Blueprint("paperwork", __name__, url_prefix="/events/<int:event_id>/paperwork")
#: The public page a certificate's QR code opens.
verify_bp = Blueprint("verify", __name__, url_prefix="/verify")

from planner.blueprints.paperwork import (  # noqa: E402, F401
    certificates,
    letters,
    views,
)
