"""Invitation letters: settings refused when wrong, one numbered letter per delegation,
the PDF read back (recipient, quota, deadline, link), the to-do list and history."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from PIL import Image
from pypdf import PdfReader
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from planner.extensions import db
from planner.models import AuditEntry, InvitationLetter, LetterSettings
from tests.conftest import region

SETTINGS = {
    "office_name": "Dinas Sosial Provinsi Kepulauan Bangka Belitung",
    "office_address": "Jl. Pulau Bangka, Air Itam, Pangkalpinang 33149",
    "number_pattern": "005/{n}/DINSOS/{roman_month}/{year}",
    "first_number": "41",
    "dated_on": "2026-05-04",
    "recipient_kind": "office",
    "signing_place": "Pangkalpinang",
    "signatory_name": "Drs. Budi Santoso, M.Si.",
    "signatory_position": "Kepala Dinas Sosial",
    "signatory_nip": "197501012000031001",
}


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 120), "navy").save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def invited(make_user, make_event, make_delegation):
    organiser = make_user("organiser")
    event = make_event(organisers=[organiser], title="Rakor IPSM Babel")
    a = make_delegation(
        event,
        region=region("19.01"),
        quota=12,
        deadline_at=datetime(2026, 5, 20, 10, 0, tzinfo=UTC),
    )
    b = make_delegation(event, region=region("19.02"), quota=4)
    return {"event": event, "organiser": organiser, "a": a, "b": b}


def _post(client, url, data):
    boundary, body = encode_multipart(data)
    return client.post(
        url, data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )


def _url(invited, tail=""):
    return f"/events/{invited['event'].id}/paperwork/letters{tail}"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("number_pattern", "005/DINSOS/{year}", "harus memuat {n}"),
        ("first_number", "0", "paling kecil 1"),
        ("dated_on", "kemarin", "Tanggal tidak valid"),
        ("logo", b"GIF89a not really", "bukan gambar PNG atau JPEG"),
        ("logo", b"", "bukan gambar PNG atau JPEG"),
        ("logo", b"\x89PNG" + b"0" * (1024 * 1024), "paling besar 1 MB"),
    ],
)
def test_bad_settings_are_refused(client, login, invited, field, value, message):
    login(invited["organiser"])
    if isinstance(value, bytes):  # a fresh stream for each run
        value = FileStorage(io.BytesIO(value), filename="logo.png")
    r = _post(client, _url(invited), {**SETTINGS, field: value})
    assert r.status_code == 422
    assert message in r.get_data(as_text=True)
    assert (
        db.session.scalar(db.select(db.func.count()).select_from(LetterSettings)) == 0
    )


def test_letters_numbered_printed_and_listed(client, login, invited, tmp_path):
    login(invited["organiser"])
    event_id = invited["event"].id
    html = client.get(f"/events/{event_id}").get_data(as_text=True)
    assert "2 delegasi belum mendapat surat undangan bernomor." in html
    r = _post(
        client,
        _url(invited),
        {**SETTINGS, "logo": FileStorage(io.BytesIO(_png()), filename="logo.png")},
    )
    assert r.status_code == 302, r.get_data(as_text=True)[:2000]
    assert client.post(_url(invited, "/issue")).status_code == 302
    client.post(_url(invited, "/issue"))  # again: nothing new
    letters = db.session.scalars(
        db.select(InvitationLetter).order_by(InvitationLetter.sequence)
    ).all()
    assert [x.number for x in letters] == [
        "005/41/DINSOS/V/2026",
        "005/42/DINSOS/V/2026",
    ]
    assert (
        db.session.scalar(
            db.select(db.func.count())
            .select_from(AuditEntry)
            .filter_by(entity="invitation_letter", action="create")
        )
        == 2
    )
    html = client.get(f"/events/{event_id}").get_data(as_text=True)
    assert "belum mendapat surat undangan" not in html

    a = invited["a"]
    r = client.get(_url(invited, f"/{a.id}.pdf"))
    assert r.status_code == 200
    reader = PdfReader(io.BytesIO(r.data))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    number = next(x.number for x in letters if x.delegation_id == a.id)
    assert number in text
    assert f"Kepala Dinas Sosial {a.region.name}" in text
    assert "sebanyak 12 orang" in text
    assert "20 Mei 2026" in text  # the delegation's deadline
    assert f"/events/{event_id}/delegations/{a.id}" in text
    assert "DINAS SOSIAL PROVINSI KEPULAUAN BANGKA BELITUNG" in text
    assert reader.pages[0].images  # logo and QR code

    r = client.get(_url(invited, ".pdf"))
    assert len(PdfReader(io.BytesIO(r.data)).pages) == 2
    (tmp_path / "letters.pdf").write_bytes(r.data)


def test_chapter_recipient_and_no_letter_yet(client, login, invited):
    login(invited["organiser"])
    _post(client, _url(invited), {**SETTINGS, "recipient_kind": "chapter"})
    assert client.get(_url(invited, f"/{invited['a'].id}.pdf")).status_code == 404
    client.post(_url(invited, "/issue"))
    r = client.get(_url(invited, f"/{invited['a'].id}.pdf"))
    text = " ".join(PdfReader(io.BytesIO(r.data)).pages[0].extract_text().split())
    assert f"Ketua IPSM {invited['a'].region.name}" in text
    settings = db.session.scalar(db.select(LetterSettings))
    assert settings.dated_on == date(2026, 5, 4)
