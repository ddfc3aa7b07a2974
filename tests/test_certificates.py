"""Certificates: the template's checks, issuing to those who attended, one PDF per
person and all in one, the public verification page, revoking."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from pypdf import PdfReader
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from planner.extensions import db, limiter
from planner.models import (
    AuditEntry,
    Certificate,
    CertificateTemplate,
    DelegateStatus,
)
from tests.conftest import PASSWORD, IsolatedClient

TEMPLATE = {
    "title": "Sertifikat",
    "number_pattern": "005/{n}/DINSOS/{roman_month}/{year}",
    "lesson_hours": "32",
    "signatory_name": "Drs. Budi Santoso, M.Si.",
    "signatory_position": "Kepala Dinas Sosial",
    "signatory_nip": "197501012000031001",
}


def _png(size=(200, 80)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "white").save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def bimtek(make_user, make_event, make_delegation, make_delegate, make_person):
    organiser = make_user("organiser")
    event = make_event(organisers=[organiser], title="Bimtek PSM Baru")
    delegation = make_delegation(event)
    attended = [
        make_delegate(delegation, status=DelegateStatus.ATTENDED) for _ in range(2)
    ]
    confirmed = make_delegate(delegation, status=DelegateStatus.CONFIRMED)
    person = attended[0].person
    participant = make_user("participant", person=person)
    return {
        "event": event,
        "organiser": organiser,
        "attended": attended,
        "confirmed": confirmed,
        "participant": participant,
    }


def _url(bimtek, tail=""):
    return f"/events/{bimtek['event'].id}/paperwork/certificates{tail}"


def _count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("number_pattern", "005/DINSOS/{year}", "harus memuat {n}"),
        ("number_pattern", "{n}/{bulan}", "hanya boleh memakai"),
        ("lesson_hours", "-2", "tidak boleh negatif"),
    ],
)
def test_bad_template_is_refused(client, login, bimtek, field, value, message):
    login(bimtek["organiser"])
    r = client.post(_url(bimtek), data={**TEMPLATE, field: value})
    assert r.status_code == 422
    assert message in r.get_data(as_text=True)
    assert _count(CertificateTemplate) == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not an image at all", "bukan gambar PNG atau JPEG"),
        (b"\x89PNG" + b"0" * (1024 * 1024 + 1), "paling besar 1 MB"),
    ],
)
def test_bad_signature_image_is_refused(client, login, bimtek, data, message):
    login(bimtek["organiser"])
    # Encoded in memory: the test client's own encoder spills big bodies to a
    # temporary file it never closes (a ResourceWarning).
    boundary, body = encode_multipart(
        {**TEMPLATE, "signature": FileStorage(io.BytesIO(data), filename="ttd.png")}
    )
    r = client.post(
        _url(bimtek),
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert r.status_code == 422
    assert message in r.get_data(as_text=True)
    assert _count(CertificateTemplate) == 0


def test_issue_print_verify_revoke(client, login, bimtek, tmp_path):
    login(bimtek["organiser"])
    r = client.post(
        _url(bimtek),
        data={**TEMPLATE, "signature": (io.BytesIO(_png()), "ttd.png")},
        content_type="multipart/form-data",
    )
    assert r.status_code == 302, r.get_data(as_text=True)[:3000]
    assert client.post(_url(bimtek, "/issue")).status_code == 302
    # Only those who attended; issuing again adds nothing.
    assert _count(Certificate) == 2
    client.post(_url(bimtek, "/issue"))
    assert _count(Certificate) == 2
    certs = db.session.scalars(
        db.select(Certificate).order_by(Certificate.sequence)
    ).all()
    ends = bimtek["event"].ends_on
    roman = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
    assert certs[0].number == f"005/1/DINSOS/{roman[ends.month - 1]}/{ends.year}"
    assert certs[1].number.startswith("005/2/")
    assert len({c.code for c in certs}) == 2
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{22}", c.code) for c in certs)
    assert (
        db.session.scalar(
            db.select(db.func.count())
            .select_from(AuditEntry)
            .filter_by(entity="certificate", action="create")
        )
        == 2
    )

    r = client.get(_url(bimtek, ".pdf"))
    assert r.status_code == 200
    reader = PdfReader(io.BytesIO(r.data))
    assert len(reader.pages) == 2
    assert reader.pages[0].mediabox.width > reader.pages[0].mediabox.height
    text = reader.pages[0].extract_text()
    assert certs[0].number in text
    assert f"/verify/{certs[0].code}" in text
    assert "32 jam pelajaran" in text
    (tmp_path / "certificates.pdf").write_bytes(r.data)

    anonymous = IsolatedClient(client.application, client.response_wrapper)
    page = anonymous.get(f"/verify/{certs[0].code}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "SAH dan berlaku" in html
    assert certs[0].delegate.person.formal_name in html
    assert "Bimtek PSM Baru" in html
    assert "32" in html
    assert (
        certs[0].delegate.person.phone is None
        or certs[0].delegate.person.phone not in html
    )
    assert anonymous.get("/verify/" + "A" * 22).status_code == 404

    r = client.post(
        _url(bimtek, "/revoke"),
        data={"certificate_id": str(certs[0].id), "reason": "Salah nama"},
    )
    assert r.status_code == 302
    html = anonymous.get(f"/verify/{certs[0].code}").get_data(as_text=True)
    assert "DICABUT" in html
    assert db.session.scalar(
        db.select(AuditEntry).filter_by(entity="certificate", action="update")
    )


def test_delegate_gets_own_certificate_only(client, login, bimtek):
    login(bimtek["organiser"])
    client.post(_url(bimtek), data=TEMPLATE)
    client.post(_url(bimtek, "/issue"))
    own, other = bimtek["attended"]
    participant = IsolatedClient(client.application, client.response_wrapper)
    participant.post(
        "/auth/login", data={"email": bimtek["participant"].email, "password": PASSWORD}
    )
    assert participant.get(_url(bimtek, f"/{own.id}.pdf")).status_code == 200
    assert participant.get(_url(bimtek, f"/{other.id}.pdf")).status_code == 403
    assert participant.get(_url(bimtek)).status_code == 403


@pytest.fixture
def fresh_limiter(app):
    """Empty rate-limit counters before and after the test."""
    with app.app_context():
        limiter.reset()
    yield
    with app.app_context():
        limiter.reset()


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": True}])
def test_verification_is_rate_limited(client, fresh_limiter):
    codes = [client.get("/verify/" + "B" * 22).status_code for _ in range(31)]
    assert codes[:30] == [404] * 30
    assert codes[30] == 429


def test_to_do_list_names_attendees_without_certificate(client, login, bimtek):
    login(bimtek["organiser"])
    event_id = bimtek["event"].id
    html = client.get(f"/events/{event_id}").get_data(as_text=True)
    assert f"/events/{event_id}/paperwork/certificates" in html
    assert "belum mendapat sertifikat" not in html  # no template yet
    client.post(_url(bimtek), data=TEMPLATE)
    html = client.get(f"/events/{event_id}").get_data(as_text=True)
    assert "2 peserta yang hadir belum mendapat sertifikat." in html
    client.post(_url(bimtek, "/issue"))
    html = client.get(f"/events/{event_id}").get_data(as_text=True)
    assert "belum mendapat sertifikat" not in html
