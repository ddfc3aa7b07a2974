"""The bench: the generator at small scale, the timing maths, the runner."""

from __future__ import annotations

import io
import re
from collections import Counter

import phonenumbers
import pytest
import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from bench import __main__ as runner_module
from bench.generate import ORGANISER_EMAIL, generate
from bench.measure import Measurement, measure, median, percentile, skipped_line
from planner.extensions import db
from planner.models import Event, Person, Region, SocialPillar, User
from planner.models import user as user_model

EXAMPLE = (
    "event_list_page            median   12.3 ms  p95   14.0 ms  queries   4  "
    "bytes 48,213"
)


@pytest.fixture(autouse=True)
def fast_hashing(monkeypatch):
    """Hash the organiser's password cheaply: the default scrypt is slow here."""
    monkeypatch.setattr(
        user_model,
        "generate_password_hash",
        lambda password: generate_password_hash(password, method="pbkdf2:sha256:1000"),
    )


def test_generator_makes_the_counts_asked(app_ctx):
    """300 people and 3 events with venues, one organiser of all, unique NIKs."""
    data = generate(db.session, people=300, events=3, seed=1)
    db.session.commit()
    people = db.session.scalars(
        db.select(Person).options(sa.orm.joinedload(Person.region))
    ).all()
    assert len(people) == 300 == data.counts["people"]
    niks = [p.nik for p in people]
    assert len(set(niks)) == 300
    for person in people:
        assert re.fullmatch(r"\d{16}", person.nik)
        assert person.nik.startswith(person.region.code.replace(".", ""))
        assert phonenumbers.is_valid_number(phonenumbers.parse(person.phone))
        assert person.sex is not None and person.birth_on is not None
    assert Counter(p.pillar for p in people)[SocialPillar.PSM] > 0.6 * 300

    events = db.session.scalars(db.select(Event)).all()
    assert sorted(e.id for e in events) == sorted(data.event_ids)
    assert len(events) == 3
    assert all(e.venue is not None and e.venue.lat is not None for e in events)
    assert all(e.ends_on >= e.starts_on for e in events)
    largest = db.session.get(Event, data.largest_event_id)
    assert largest.capacity == max(e.capacity for e in events) == 1_000
    assert largest.title.startswith("Jambore Nasional PSM")
    organiser = db.session.execute(
        db.select(User).filter_by(email=ORGANISER_EMAIL)
    ).scalar_one()
    assert organiser.is_organiser and organiser.id == data.organiser_id
    assert organiser.check_password(data.organiser_password)
    assert {e.id for e in organiser.organised_events} == set(data.event_ids)


def test_people_spread_over_the_country(app_ctx):
    """Fewer people than regencies: each in a different one, across most provinces."""
    generate(db.session, people=300, events=1, seed=3)
    rows = db.session.execute(
        db.select(Region.code, Region.parent_id).join(
            Person, Person.region_id == Region.id
        )
    ).all()
    regencies = Counter(code for code, _ in rows)
    assert len(regencies) == 300  # round-robin over all 514, shuffled
    provinces = {parent for _, parent in rows}
    assert len(provinces) >= 25
    zones = set(
        db.session.scalars(db.select(Region.tz_abbr).where(Region.id.in_(provinces)))
    )
    assert zones == {"WIB", "WITA", "WIT"}


def test_events_mix_kinds_and_statuses(app_ctx):
    """Twenty events: several kinds, past and future, in more than one zone."""
    generate(db.session, people=20, events=20, seed=1)
    events = db.session.scalars(db.select(Event)).all()
    assert len({e.kind for e in events}) >= 4
    assert len({e.status for e in events}) >= 3
    assert len({e.host_region_id for e in events}) >= 5
    assert len({e.slug for e in events}) == 20


def test_percentile_and_median_on_known_numbers():
    """Linear interpolation between ranks, as NumPy does by default."""
    values = list(range(1, 101))
    assert median(values) == 50.5
    assert percentile(values, 95) == pytest.approx(95.05)
    assert percentile(values, 0) == 1 and percentile(values, 100) == 100
    assert median([3, 1, 2]) == 2
    assert median([4, 1, 3, 2]) == 2.5
    assert percentile([7.0], 95) == 7.0
    assert percentile([10, 20], 95) == pytest.approx(19.5)
    with pytest.raises(ValueError):
        median([])
    with pytest.raises(ValueError):
        percentile([1, 2], 101)


def test_report_line_has_the_documented_shape():
    """One line per operation, aligned as in docs/bench.md."""
    times = [10.0] * 10 + [12.3] * 9 + [14.0] * 2
    result = Measurement("event_list_page", times, queries=4, bytes=48_213)
    assert result.median_ms == pytest.approx(12.3)
    assert result.p95_ms == pytest.approx(14.0)
    assert result.line() == EXAMPLE
    assert skipped_line("event_list_page", "no page").startswith("event_list_page   ")


def test_measure_counts_calls_queries_and_bytes():
    """One untimed warm-up, then ``repeat`` timed calls, each sending two statements."""
    engine = sa.create_engine("sqlite://")
    calls = []

    def operation():
        calls.append(1)
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
            conn.execute(sa.text("SELECT 2"))
        return b"halo"

    try:
        result = measure("two_selects", operation, repeat=5, engine=engine)
    finally:
        engine.dispose()
    assert len(calls) == 6
    assert len(result.times_ms) == 5 and all(t > 0 for t in result.times_ms)
    assert result.queries == 2
    assert result.bytes == 4
    with pytest.raises(ValueError):
        measure("nothing", operation, repeat=0)


def test_missing_page_is_skipped_not_a_crash(app):
    """A case whose page does not exist yet says why instead of failing."""
    assert runner_module.route_problem(app, "/belum-ada/halaman") == (
        "no page at /belum-ada/halaman yet"
    )


def test_runner_end_to_end(tmp_path, monkeypatch, capsys):
    """``python -m bench`` on a small throwaway database prints one line per case."""
    monkeypatch.setenv("BENCH_DATABASE_URL", f"sqlite:///{tmp_path / 'bench.sqlite'}")
    code = runner_module.main(["--people", "60", "--events", "2", "--repeat", "1"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "generated 60 people" in out
    for name in ("event_list_page", "event_overview_page"):
        line = next(line for line in out.splitlines() if line.startswith(name))
        assert re.search(
            r"median +\d+\.\d ms +p95 +\d+\.\d ms +queries +\d+", line
        ) or ("skipped (" in line), line


def test_runner_only_one_case(tmp_path, monkeypatch, capsys):
    """``--only NAME`` times that case alone."""
    monkeypatch.setenv("BENCH_DATABASE_URL", f"sqlite:///{tmp_path / 'bench.sqlite'}")
    code = runner_module.main(
        [
            "--people",
            "10",
            "--events",
            "1",
            "--repeat",
            "1",
            "--only",
            "event_list_page",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    assert "event_list_page" in out and "event_overview_page" not in out


def test_runner_rooming_list_pdf_against_bare_fpdf2(tmp_path, monkeypatch, capsys):
    """``--only rooming_list_pdf`` times the rooming list over HTTP and prints the
    builder against bare fpdf2 with the goal, and nothing else."""
    monkeypatch.setenv("BENCH_DATABASE_URL", f"sqlite:///{tmp_path / 'bench.sqlite'}")
    code = runner_module.main(
        [
            "--people",
            "40",
            "--events",
            "1",
            "--repeat",
            "1",
            "--only",
            "rooming_list_pdf",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    line = next(x for x in out.splitlines() if x.startswith("rooming_list_pdf"))
    assert re.search(r"median +\d+\.\d ms .* queries +\d+", line), line
    assert "rows 120 (40 guests × 3 nights)" in line, line
    assert re.search(
        r"builder \d+ ms / bare fpdf2 \d+ ms = ratio \d+\.\d\d \(goal ≤ 1\.5\)", line
    ), line
    assert "room_assignment" not in out and "event_list_page" not in out
    # The goals table at the end repeats the ratio beside its goal and says whether it held.
    table = out[out.index("goals (issue 16") :].splitlines()
    row = next(x for x in table if "rooming_list_pdf builder / bare fpdf2" in x)
    assert re.search(r"ratio \d+\.\d\d +goal ≤ 1\.5 +(meets|MISSES)$", row), row
    assert re.search(r"^  [01] of 1 goals held", table[-1]), table


def test_bare_certificates_draw_the_builders_texts(app_ctx):
    """The certificate baseline draws every text the builder draws, page by page
    (a long name and a long text wrapped alike), so the ratio compares like work."""
    from datetime import date

    from pypdf import PdfReader

    from bench.paperwork import _signature_png, bare_certificates, certificate_pages
    from planner.exports.paperwork.certificates import certificates_pdf
    from planner.models import CertificateTemplate
    from planner.services.paperwork.certificates import CertificateView

    template = CertificateTemplate(
        title="Sertifikat",
        number_pattern="005/{n}/DINSOS/{roman_month}/{year}",
        lesson_hours=32,
        signatory_name="Drs. Budi Santoso, M.Si.",
        signatory_position="Kepala Bidang Pemberdayaan Sosial Dinas Sosial "
        "Provinsi Kepulauan Bangka Belitung",
        signatory_nip="197501012000031001",
        signature_image=_signature_png(),
    )
    views = [
        CertificateView(
            certificate_id=n,
            delegate_id=n,
            number=f"005/{n}/DINSOS/III/2027",
            code=f"kode{n}AbCdEfGhIjKlMnOpQ",
            name=name,
            delegation=delegation,
            event_title="Bimbingan Teknis Pekerja Sosial Masyarakat Angkatan I",
            organiser_body="Dinas Sosial Provinsi Kepulauan Bangka Belitung",
            dates=(date(2027, 3, 3), date(2027, 3, 4)),
            lesson_hours=32,
            revoked=False,
        )
        for n, name, delegation in (
            (1, "Isminatun", "Kota Pangkal Pinang"),
            (
                2,
                "Dra. Raden Roro Kusumawardhani Setyaningrum Puspitasari "
                "Wulandari Hadiningrat, S.Sos., M.Si.",
                None,
            ),
        )
    ]

    def url(code: str) -> str:
        return f"https://rombongan.test/verify/{code}"

    built = PdfReader(io.BytesIO(certificates_pdf(views, template, url))).pages
    bare = PdfReader(
        io.BytesIO(
            bare_certificates(
                certificate_pages(views, template, url), template.signature_image
            )
        )
    ).pages
    assert len(built) == len(bare) == 2
    for a, b in zip(built, bare, strict=True):
        assert sorted(a.extract_text().split()) == sorted(b.extract_text().split())


def test_bare_roster_baselines_write_the_rows():
    """Both bare XLSX baselines write every value of the rows, with its type."""
    from openpyxl import load_workbook

    from bench.rosters import bare_openpyxl, bare_xlsxwriter

    rows = [
        ["Kota Bekasi", 1, "Budi", "L", "Peserta", "Hadir", "Ketua", "PSM", "", None],
        ["Kota Bekasi", 2, "Ñoño “Ucok”", "P", "Peserta", "Hadir", "", "", "+62", "19"],
    ]
    for bare in (bare_openpyxl, bare_xlsxwriter):
        ws = load_workbook(io.BytesIO(bare(rows))).active
        got = [list(r) for r in ws.iter_rows(values_only=True)]
        assert got == [[None if v == "" else v for v in row] for row in rows], bare


def test_runner_roster_xlsx_against_the_faster_bare_library(
    tmp_path, monkeypatch, capsys
):
    """``--only roster_xlsx_10k`` prints the builder against the faster of bare
    openpyxl and bare XlsxWriter, the other's time and what the builder adds."""
    monkeypatch.setenv("BENCH_DATABASE_URL", f"sqlite:///{tmp_path / 'bench.sqlite'}")
    code = runner_module.main(
        [
            "--people",
            "40",
            "--events",
            "1",
            "--repeat",
            "1",
            "--only",
            "roster_xlsx_10k",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    line = next(x for x in out.splitlines() if x.startswith("roster_xlsx_10k"))
    assert re.search(
        r"builder \d+ ms / bare (openpyxl|XlsxWriter) \d+ ms = ratio \d+\.\d\d"
        r" \(goal ≤ 1\.0\)  \[bare (openpyxl|XlsxWriter) \d+ ms; bare: the 40 rows",
        line,
    ), line
    assert "roster_delegation_page" not in out and "event_list_page" not in out
