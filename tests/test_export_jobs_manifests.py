"""A big trip's manifests (every vehicle in one PDF) as a job; see test_export_jobs."""

from __future__ import annotations

import pytest

from tests import test_manifests

#: The manifest tests' small tour, shared.
tour = test_manifests.tour


@pytest.fixture
def app_config(tmp_path):
    """Each test's job files in its own folder; jobs above no rows at all."""
    return {"JOBS_DIR": str(tmp_path / "jobs"), "EXPORT_JOB_ROWS": 0}


def test_a_big_trip_pdf_is_a_job_with_every_vehicle(client, login, tour):
    t = tour()
    login(t.organiser)
    url = f"/events/{t.event_id}/manifests/trips/{t.trip_id}/vehicles.pdf"
    response = client.get(url)
    assert response.status_code == 302
    job_page = response.headers["Location"]
    assert job_page.startswith("/jobs/")
    got = client.get(job_page + "/download")
    assert got.status_code == 200 and got.mimetype == "application/pdf"
    text = test_manifests._pdf_text(got.data)
    assert "BN 1234 AB" in text and "BN 5678 CD" in text
    assert "Pak Budi" in text
    assert text.count("Koordinator rombongan") == 2
    client.post("/auth/logout")
    login(t.head_user)
    assert client.get(job_page + "/download").status_code == 404
