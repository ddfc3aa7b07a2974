"""Big downloads as jobs: above the row threshold the request starts an ``export`` job
and sends the person to its page, which then offers the same file (same name, same
type, every row); below it the download is direct as before. Only the person who
asked (or an admin) gets the file, and the job checks the permission again."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from planner import jobs
from planner.extensions import db
from planner.jobs import exports, runner, store
from tests import test_attendance, test_jobs, test_rooms, test_rosters

#: The fixtures of the roster and attendance tests, shared.
national = test_rosters.national
rakor = test_attendance.rakor
tour = test_rooms.tour
queued = test_jobs.queued

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def app_config(tmp_path):
    """Each test's job files in its own folder; jobs above 3 rows."""
    return {"JOBS_DIR": str(tmp_path / "jobs"), "EXPORT_JOB_ROWS": 3}


def _job_page(response) -> str:
    assert response.status_code == 302
    location = response.headers["Location"]
    assert re.fullmatch(r"/jobs/[0-9a-f]{32}", location), location
    return location


def _direct(app, client, url: str):
    """The same URL with the threshold out of reach: today's direct download."""
    app.config["EXPORT_JOB_ROWS"] = 10**9
    try:
        response = client.get(url)
    finally:
        app.config["EXPORT_JOB_ROWS"] = 3
    assert response.status_code == 200
    return response


def _xlsx_names(data: bytes) -> list[str]:
    workbook = load_workbook(io.BytesIO(data))
    names = []
    for sheet in workbook.worksheets[1:]:  # the first is the totals ("Rekap")
        rows = list(sheet.iter_rows(values_only=True))
        column = rows[0].index("Nama")
        names += [row[column] for row in rows[1:] if row[column]]
    return names


def test_a_big_roster_xlsx_is_a_job_whose_page_offers_the_same_file(
    app, client, login, national, make_user
):
    event, organiser, _d = national(extra=6)
    login(organiser)
    url = f"/events/{event.id}/rosters/export.xlsx"
    page = _job_page(client.get(url))
    job_id = page.rsplit("/", 1)[-1]
    record = store.load(job_id)
    assert (record.kind, record.status, record.user_id) == (
        "export",
        "done",
        organiser.id,
    )
    assert record.params["export"] == "roster"
    html = client.get(page).get_data(as_text=True)
    assert f"/jobs/{job_id}/download" in html
    got = client.get(f"/jobs/{job_id}/download")
    assert got.status_code == 200
    assert got.mimetype == XLSX
    names = _xlsx_names(got.data)
    # The four active delegates of the fixture and the six extra ones; not the
    # withdrawn one.
    assert len(names) == 10
    assert "Tambahan 005" in names and "Wati Mundur" not in names
    direct = _direct(app, client, url)
    assert _xlsx_names(direct.data) == names
    for header in ("Content-Disposition", "Content-Type", "Cache-Control"):
        assert got.headers[header] == direct.headers[header]


def test_another_user_cannot_see_or_download_an_export_job(
    client, login, national, make_user, make_event
):
    event, organiser, _d = national(extra=6)
    login(organiser)
    job_id = _job_page(client.get(f"/events/{event.id}/rosters/export.xlsx"))
    job_id = job_id.rsplit("/", 1)[-1]
    # Even another organiser of the same event: the job is its starter's.
    other = make_user("organiser", email="other.exports@example.org")
    event.organisers.append(other)
    db.session.commit()
    client.post("/auth/logout")
    login(other)
    assert client.get(f"/jobs/{job_id}").status_code == 404
    assert client.get(f"/jobs/{job_id}/download").status_code == 404
    assert client.get(f"/jobs/{job_id}/status").status_code == 404


def test_at_the_threshold_the_roster_is_still_a_direct_download(
    app, client, login, national
):
    event, organiser, _d = national()  # four active delegates
    login(organiser)
    app.config["EXPORT_JOB_ROWS"] = 4
    response = client.get(f"/events/{event.id}/rosters/export.xlsx")
    assert response.status_code == 200 and response.mimetype == XLSX
    assert list(store.jobs_dir().glob("*.json")) == []
    # CSV stays direct at any size.
    app.config["EXPORT_JOB_ROWS"] = 0
    csv = client.get(f"/events/{event.id}/rosters/export.csv")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"


def test_a_big_attendance_pdf_is_a_job_with_every_row(app, client, login, rakor):
    event, organiser = rakor(extra=12)
    login(organiser)
    url = f"/events/{event.id}/rosters/attendance/2024-05-07.pdf"
    job_id = _job_page(client.get(url)).rsplit("/", 1)[-1]
    got = client.get(f"/jobs/{job_id}/download")
    assert got.status_code == 200 and got.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(got.data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for i in range(12):
        assert f"Peserta {i:03d}" in text
    assert "Bayu Bangka" in text and "Cici Kota" in text
    assert "Mundur Saja" not in text and "Baru Diusulkan" not in text
    direct = _direct(app, client, url)
    assert got.headers["Content-Disposition"] == direct.headers["Content-Disposition"]
    assert len(PdfReader(io.BytesIO(direct.data)).pages) == len(reader.pages)


def test_a_small_attendance_pdf_is_direct(app, client, login, rakor):
    event, organiser = rakor()  # three taking part
    login(organiser)
    response = client.get(f"/events/{event.id}/rosters/attendance/2024-05-07.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert list(store.jobs_dir().glob("*.json")) == []


def test_the_job_checks_the_permission_again(app_ctx, national, make_user):
    event, organiser, _d = national(extra=6)
    stranger = make_user("organiser", email="stranger.exports@example.org")
    for user, expected in ((stranger, "refused"), (organiser, "done")):
        record = store.JobRecord(
            id=store.new_id(),
            kind="export",
            user_id=user.id,
            params={"export": "roster", "event_id": event.id, "fmt": "xlsx"},
        )
        store.save(record)
        done = runner.run(record.id)
        assert done.status == expected, done.message
        made = store.read_file(record.id, "result")
        if expected == "refused":
            assert made is None and "tidak lagi berhak" in done.message
        else:
            assert len(_xlsx_names(made)) == 10


def test_the_threshold_is_one_number_per_kind_overridable(app_ctx, app):
    app.config.pop("EXPORT_JOB_ROWS")
    assert exports.threshold("roster") == 1000
    assert exports.threshold("attendance") == 1000
    app.config["EXPORT_JOB_ROWS"] = {"roster": 5}
    assert exports.threshold("roster") == 5
    assert exports.threshold("attendance") == 1000
    assert exports.is_big("roster", 6) and not exports.is_big("roster", 5)


def test_a_big_rooming_list_is_a_job_that_keeps_a_heads_own_people(
    client, login, tour, make_user
):
    stay = test_rooms._filled(tour)
    belitung = tour["people"][5].delegation_id
    head = make_user("chapter_head", regions=["19.02"])
    login(head)
    url = f"/events/{tour['event'].id}/rooms/stays/{stay.id}/rooming.xlsx"
    job_id = _job_page(client.get(url)).rsplit("/", 1)[-1]
    got = client.get(f"/jobs/{job_id}/download")
    assert got.status_code == 200 and got.mimetype == XLSX
    book = load_workbook(io.BytesIO(got.data), read_only=True)
    names = {
        row[2] for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)
    }
    assert names == {
        d.person.formal_name for d in tour["people"] if d.delegation_id == belitung
    }


def test_with_redis_a_big_attendance_pdf_waits_for_the_worker(
    queued, app, client, login, rakor
):
    event, organiser = rakor(extra=6)
    login(organiser)
    url = f"/events/{event.id}/rosters/attendance/2024-05-07.pdf"
    job_id = _job_page(client.get(url)).rsplit("/", 1)[-1]
    assert client.get(f"/jobs/{job_id}/status").get_json()["status"] == "queued"
    assert client.get(f"/jobs/{job_id}/download").status_code == 404
    with app.app_context():
        test_jobs._work_once(queued)
    status = client.get(f"/jobs/{job_id}/status").get_json()
    assert status["status"] == "done" and status["percent"] == 100
    got = client.get(f"/jobs/{job_id}/download")
    assert got.status_code == 200 and got.mimetype == "application/pdf"
    text = "\n".join(
        page.extract_text() for page in PdfReader(io.BytesIO(got.data)).pages
    )
    assert all(f"Peserta {i:03d}" in text for i in range(6))


def test_with_the_queue_unreachable_a_big_export_goes_back_saying_so(
    client, login, national, monkeypatch
):
    event, organiser, _d = national(extra=6)
    login(organiser)

    def unreachable(*args, **kwargs):
        raise jobs.JobsUnavailable()

    monkeypatch.setattr(jobs, "start", unreachable)
    response = client.get(f"/events/{event.id}/rosters/export.xlsx")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/events/{event.id}/rosters/"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Antrean pekerjaan sedang tidak dapat dihubungi" in page


def test_a_hostile_status_filter_is_not_kept_in_the_job(client, login, national):
    event, organiser, _d = national(extra=6)
    login(organiser)
    url = f"/events/{event.id}/rosters/export.xlsx?status=%3Cscript%3E" + "x" * 500
    job_id = _job_page(client.get(url)).rsplit("/", 1)[-1]
    assert store.load(job_id).params["status"] == "active"
    assert len(_xlsx_names(client.get(f"/jobs/{job_id}/download").data)) == 10
