"""Certificates and payment sheets as jobs: above the threshold the PDF comes through the job's
page; run by a worker (no request), its check links still point at the site the
person asked from. See test_export_jobs for the rows kinds."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from planner.extensions import db
from planner.jobs import runner, store
from planner.models import Certificate
from tests import test_certificates, test_paperwork

#: The certificate tests' bimtek (two attended, one confirmed), shared.
bimtek = test_certificates.bimtek


@pytest.fixture
def app_config(tmp_path):
    """Each test's job files in its own folder; batches above one document."""
    return {"JOBS_DIR": str(tmp_path / "jobs"), "EXPORT_JOB_ROWS": 1}


def _issued(client, login, bimtek):
    login(bimtek["organiser"])
    url = test_certificates._url(bimtek)
    response = client.post(
        url,
        data={
            **test_certificates.TEMPLATE,
            "signature": (io.BytesIO(test_certificates._png()), "ttd.png"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert client.post(url + "/issue").status_code == 302
    return db.session.scalars(
        db.select(Certificate.code).order_by(Certificate.sequence)
    ).all()


def test_two_certificates_above_a_threshold_of_one_are_a_job(client, login, bimtek):
    codes = _issued(client, login, bimtek)
    response = client.get(test_certificates._url(bimtek, ".pdf"))
    assert response.status_code == 302
    job_id = response.headers["Location"].rsplit("/", 1)[-1]
    got = client.get(f"/jobs/{job_id}/download")
    assert got.status_code == 200 and got.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(got.data))
    assert len(reader.pages) == 2
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert all(f"http://localhost/verify/{code}" in text for code in codes)
    assert (
        'filename="sertifikat-bimtek-psm-baru.pdf"'
        in (got.headers["Content-Disposition"])
    )


def test_in_a_worker_the_links_point_at_the_site_asked_from(app, client, login, bimtek):
    codes = _issued(client, login, bimtek)
    record = store.JobRecord(
        id=store.new_id(),
        kind="export",
        user_id=bimtek["organiser"].id,
        params={
            "export": "certificates",
            "event_id": bimtek["event"].id,
            "base_url": "https://rombongan.example/",
        },
    )
    with app.app_context():
        store.save(record)
        done = runner.run(record.id)
        assert done.status == "done", done.message
        made = store.read_file(record.id, "result")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(made)).pages)
    assert all(f"https://rombongan.example/verify/{code}" in text for code in codes)


#: The paperwork tests' event with a budget (four taking part), shared.
plan = test_paperwork.plan
nowhere = test_paperwork.nowhere


def test_a_big_payment_sheet_is_a_job_with_the_same_total(client, login, plan):
    event_id = test_paperwork._set_up(client, login, plan)
    url = f"/events/{event_id}/paperwork/payments.pdf?kind=transport"
    response = client.get(url)
    assert response.status_code == 302
    job_id = response.headers["Location"].rsplit("/", 1)[-1]
    got = client.get(f"/jobs/{job_id}/download")
    assert got.status_code == 200 and got.mimetype == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(got.data)).pages)
    assert f"Rp{4 * 150000:,}".replace(",", ".") in text
    # Honoraria (a few speakers) stay direct.
    honoraria = client.get(url.replace("transport", "honorarium"))
    assert honoraria.status_code == 200 and honoraria.mimetype == "application/pdf"


def test_a_refused_payment_sheet_job_says_why_on_its_page(client, login, nowhere):
    event_id = test_paperwork._set_up(client, login, nowhere)
    response = client.get(f"/events/{event_id}/paperwork/payments.pdf?kind=allowance")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Daftar penerimaan uang harian belum dapat dibuat." in page
    assert f"/events/{event_id}/paperwork/budget" in page  # the way back
