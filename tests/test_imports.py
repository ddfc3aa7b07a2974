"""Importing delegates from XLSX and CSV: reading, mapping, row checks, all-or-nothing
writes, matching existing people, the upload steps and the CLI."""

from __future__ import annotations

import csv
import io
import re
import time
import zipfile
from datetime import date

import openpyxl
import pytest
import sqlalchemy as sa
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from planner.extensions import db
from planner.models import Delegate, DelegateRole, DelegateStatus, Person
from planner.services.imports import guess_mapping, import_delegates, read_table
from tests.conftest import region

NIK_A = "3275010101800001"
NIK_B = "3216010101800002"


@pytest.fixture
def app_config(tmp_path):
    """Uploads go to the test's own folder."""
    return {"IMPORT_UPLOAD_DIR": str(tmp_path / "uploads")}


@pytest.fixture
def setup(make_user, make_event, make_delegation):
    """An organiser and an event with delegations for Kota and Kabupaten Bekasi and
    IPSM Pusat."""
    organiser = make_user("organiser")
    event = make_event(organisers=[organiser], slug="bimtek-bekasi")
    kota = make_delegation(event, region=region("32.75"), quota=3)
    kab = make_delegation(event, region=region("32.16"), quota=3)
    pusat = make_delegation(event, region=None, name="IPSM Pusat", quota=2)
    return {
        "organiser": organiser,
        "event": event,
        "kota": kota,
        "kab": kab,
        "pusat": pusat,
        "event_id": event.id,
    }


def csv_bytes(rows, *, delimiter=",", encoding="utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(client, event_id, content: bytes, filename: str):
    # Encoded in memory: the test client's own encoder spills big bodies to a
    # temporary file it never closes (a ResourceWarning).
    boundary, body = encode_multipart(
        {"file": FileStorage(io.BytesIO(content), filename=filename)}
    )
    return client.post(
        f"/events/{event_id}/import/",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def token_of(response) -> str:
    match = re.search(r"/import/([A-Za-z0-9_-]+)/(preview|columns)", response.location)
    assert match, response.location
    return match.group(1)


def counts():
    return (
        db.session.scalar(sa.select(sa.func.count()).select_from(Person)),
        db.session.scalar(sa.select(sa.func.count()).select_from(Delegate)),
    )


def run_import(client, event_id, content, filename):
    """Upload, preview and import; returns (preview page text, final response)."""
    response = upload(client, event_id, content, filename)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    token = token_of(response)
    page = client.get(f"/events/{event_id}/import/{token}/preview")
    assert page.status_code == 200
    done = client.post(f"/events/{event_id}/import/{token}/import")
    return page.get_data(as_text=True), done


INDONESIAN = [
    ["Nama Lengkap", "Jenis Kelamin", "No. HP", "NIK", "Kabupaten/Kota", "Jabatan"],
    ["Siti Aminah", "P", "0812-3456-7890", NIK_A, "Kota Bekasi", "Ketua IPSM"],
    ["Budi Santoso", "L", "081234567891", "", "Kab. Bekasi", ""],
    ["Rina Wati", "perempuan", "", "", "32.75", "Anggota"],
]


def test_csv_with_indonesian_headings_is_imported(client, login, setup):
    login(setup["organiser"])
    content = b"\xef\xbb\xbf" + csv_bytes(INDONESIAN, delimiter=";")
    page, done = run_import(client, setup["event_id"], content, "peserta.csv")
    assert "Siti Aminah" in page and "Kota Bekasi" in page
    assert "kesalahan" not in page
    assert done.status_code == 302 and done.location.endswith(
        f"/events/{setup['event_id']}"
    )
    siti = db.session.scalar(sa.select(Person).filter_by(full_name="Siti Aminah"))
    assert siti.phone == "+6281234567890" and siti.nik == NIK_A
    assert siti.sex.value == "female" and siti.position == "Ketua IPSM"
    delegates = db.session.scalars(sa.select(Delegate).order_by(Delegate.id)).all()
    assert [d.delegation_id for d in delegates] == [
        setup["kota"].id,
        setup["kab"].id,
        setup["kota"].id,
    ]
    assert {d.status for d in delegates} == {DelegateStatus.NOMINATED}
    assert all(d.changes and d.changes[0].by_user_id for d in delegates)
    follow = client.get(done.location)
    assert "Impor selesai: 3 orang diusulkan" in follow.get_data(as_text=True)


def test_xlsx_with_english_headings_in_any_order(client, login, setup):
    login(setup["organiser"])
    rows = [
        ["Role", "Email", "Birth date", "Delegation", "Phone", "Name", "Sex"],
        [
            "participant",
            "a@example.org",
            date(1980, 5, 17),
            "IPSM Pusat",
            81298765432,
            "Ahmad Yani",
            "male",
        ],
        ["speaker", "", "17/05/1975", "", "", "Dr. Dewi", "female"],
    ]
    _, done = run_import(client, setup["event_id"], xlsx_bytes(rows), "list.xlsx")
    assert done.status_code == 302
    ahmad = db.session.scalar(sa.select(Person).filter_by(full_name="Ahmad Yani"))
    assert ahmad.birth_on == date(1980, 5, 17) and ahmad.phone == "+6281298765432"
    assert ahmad.email == "a@example.org"
    # The title is split off the name: matched as "Dewi", printed "Dr. Dewi".
    dewi = db.session.scalar(
        sa.select(Delegate).join(Person).filter(Person.full_name == "Dewi")
    )
    assert dewi.role == DelegateRole.SPEAKER and dewi.delegation_id is None
    assert dewi.person.formal_name == "Dr. Dewi"
    assert dewi.person.birth_on == date(1975, 5, 17)


def test_cp1252_csv_with_comma(app_ctx, setup):
    rows = [["Nama", "Wilayah"], ["José Mañé", "Kota Bekasi"]]
    table = read_table(csv_bytes(rows, encoding="cp1252"), "a.csv")
    assert table.rows == [(2, ["José Mañé", "Kota Bekasi"])]
    assert guess_mapping(table.headings) == ["full_name", "region"]


def test_unrecognised_headings_go_through_the_mapping_page(client, login, setup):
    login(setup["organiser"])
    rows = [["Peserta", "Asal Kabupaten", "Catatan"], ["Tono", "Kota Bekasi", "x"]]
    response = upload(client, setup["event_id"], csv_bytes(rows), "a.csv")
    assert "/columns" in response.location
    token = token_of(response)
    url = f"/events/{setup['event_id']}/import/{token}/columns"
    page = client.get(url).get_data(as_text=True)
    assert "Asal Kabupaten" in page and "abaikan" in page
    refused = client.post(url, data={"col_0": "", "col_1": "region", "col_2": ""})
    assert refused.status_code == 200
    assert "Pilih kolom yang berisi nama." in refused.get_data(as_text=True)
    twice = client.post(
        url, data={"col_0": "full_name", "col_1": "region", "col_2": "region"}
    )
    assert "hanya boleh dipilih untuk satu kolom" in twice.get_data(as_text=True)
    bad = client.post(url, data={"col_0": "<script>", "col_1": "region", "col_2": ""})
    assert bad.status_code == 200 and "Pilihan tidak valid." in bad.get_data(
        as_text=True
    )
    chosen = client.post(
        url, data={"col_0": "full_name", "col_1": "region", "col_2": ""}
    )
    assert chosen.status_code == 302 and "/preview" in chosen.location
    remembered = client.get(url).get_data(as_text=True)
    assert re.search(
        r'<option selected value="full_name">|value="full_name" selected', remembered
    )
    done = client.post(f"/events/{setup['event_id']}/import/{token}/import")
    assert done.status_code == 302
    tono = db.session.scalar(
        sa.select(Delegate).join(Person).filter(Person.full_name == "Tono")
    )
    assert tono.delegation_id == setup["kota"].id


def test_every_row_error_is_named_and_nothing_is_written(
    client, login, setup, make_person, make_delegate
):
    login(setup["organiser"])
    other = make_person(
        full_name="Sudah Ada", phone="+6281211112222", region=region("32.16")
    )
    make_delegate(setup["kab"], person=other)
    rows = [
        ["Nama", "No HP", "NIK", "Kabupaten/Kota", "Peran", "JK", "Tanggal lahir"],
        ["Benar Sekali", "08123456789", "", "Kota Bekasi", "", "", ""],  # 2 ok
        ["", "08123456780", "", "Kota Bekasi", "", "", ""],  # 3
        ["Telepon Salah", "12ab", "", "Kota Bekasi", "", "", ""],  # 4
        ["NIK Salah", "", "123", "Kota Bekasi", "", "", ""],  # 5
        ["Wilayah Asing", "", "", "Kota Atlantis", "", "", ""],  # 6
        ["Tanpa Delegasi", "", "", "Kota Bandung", "", "", ""],  # 7
        ["Benar Sekali", "", "", "Kota Bekasi", "", "", ""],  # 8 duplicate of 2
        ["Peran Aneh", "", "", "Kab. Bekasi", "penari", "", ""],  # 9
        ["Kode Asing", "", "", "99.99", "", "", ""],  # 10
        ["Jenis Aneh", "", "", "Kab. Bekasi", "", "X", ""],  # 11
        ["Lahir Aneh", "", "", "Kab. Bekasi", "", "", "kemarin"],  # 12
        [
            "Sudah Ada",
            "081211112222",
            "",
            "Kota Bekasi",
            "",
            "",
            "",
        ],  # 13 other delegation
        ["NIK Provinsi", "", "9901010101800001", "Kab. Bekasi", "", "", ""],  # 14
    ]
    before = counts()
    response = upload(client, setup["event_id"], csv_bytes(rows), "a.csv")
    token = token_of(response)
    page = client.get(f"/events/{setup['event_id']}/import/{token}/preview")
    text = page.get_data(as_text=True)
    expected = [
        "Baris 3, kolom Nama: Nama wajib diisi.",
        "Baris 4, kolom No HP: Nomor telepon tidak valid",
        "Baris 5, kolom NIK: NIK harus terdiri dari 16 angka.",
        "Baris 6, kolom Kabupaten/Kota: Wilayah Kota Atlantis tidak dikenal.",
        "Baris 7, kolom Kabupaten/Kota: Kota Bandung tidak punya delegasi",
        "Baris 8, kolom Nama: Orang yang sama sudah ada di baris 2.",
        "Baris 9, kolom Peran: Peran penari tidak dikenal",
        "Baris 10, kolom Kabupaten/Kota: Kode wilayah 99.99 tidak dikenal.",
        "Baris 11, kolom JK: Tulis L atau P",
        "Baris 12, kolom Tanggal lahir: Tanggal lahir tidak valid",
        # Their phone, but they belong to another region: named, never matched.
        "Baris 13, kolom No HP: Nomor HP ini milik orang lain (di luar wilayah "
        "Kota Bekasi): Sudah Ada, Kabupaten Bekasi.",
        "Baris 14, kolom NIK: Dua angka pertama NIK",
    ]
    for message in expected:
        assert message in text, message
    assert "Baris 2," not in text
    assert f"/import/{token}/import" not in text  # no Impor button
    done = client.post(f"/events/{setup['event_id']}/import/{token}/import")
    assert done.status_code == 302 and "/preview" in done.location
    assert counts() == before


def test_over_quota_rows_are_refused(client, login, setup, make_delegate):
    login(setup["organiser"])
    make_delegate(setup["pusat"])
    rows = [["Nama", "Delegasi"], ["Satu", "IPSM Pusat"], ["Dua", "ipsm pusat"]]
    before = counts()
    page, done = run_import(client, setup["event_id"], csv_bytes(rows), "a.csv")
    assert (
        "Baris 3, kolom Delegasi: Melebihi kuota IPSM Pusat (kuota 2, "
        "sudah terisi 1)." in page
    )
    assert "Baris 2," not in page
    assert counts() == before


def test_people_are_matched_by_nik_then_phone_then_name_and_region(
    client, login, setup, make_person
):
    login(setup["organiser"])
    # The same person as the row "Siti Aminah", with titles on record.
    by_nik = make_person(
        full_name="Hj. Siti Aminah, S.Sos.", nik=NIK_A, region=region("32.75")
    )
    by_phone = make_person(
        full_name="Budi S.", phone="+6281234567891", region=region("32.16")
    )
    by_name = make_person(full_name="rina  WATI", region=region("32.75"))
    people_before = counts()[0]
    _, done = run_import(
        client, setup["event_id"], csv_bytes(INDONESIAN), "peserta.csv"
    )
    assert done.status_code == 302
    assert counts()[0] == people_before
    person_ids = set(db.session.scalars(sa.select(Delegate.person_id)))
    assert person_ids == {by_nik.id, by_phone.id, by_name.id}
    db.session.refresh(by_nik)
    assert by_nik.full_name == "Hj. Siti Aminah, S.Sos."  # never overwritten
    assert by_nik.phone == "+6281234567890"  # blanks filled


def test_the_preview_names_the_person_each_row_matched(
    client, login, setup, make_person
):
    login(setup["organiser"])
    make_person(full_name="Hj. Siti Aminah, S.Sos.", nik=NIK_A, region=region("32.75"))
    response = upload(client, setup["event_id"], csv_bytes(INDONESIAN), "p.csv")
    page = client.get(
        f"/events/{setup['event_id']}/import/{token_of(response)}/preview"
    ).get_data(as_text=True)
    assert "Hj. Siti Aminah, S.Sos." in page


def test_a_nik_held_by_someone_with_another_name_is_an_error_row(
    client, login, setup, make_person
):
    login(setup["organiser"])
    other = make_person(
        full_name="Ahmad Fauzi",
        nik=NIK_A,
        phone="+6285711112222",
        region=region("32.75"),
    )
    before = counts()
    response = upload(client, setup["event_id"], csv_bytes(INDONESIAN), "p.csv")
    token = token_of(response)
    page = client.get(f"/events/{setup['event_id']}/import/{token}/preview")
    html = page.get_data(as_text=True)
    assert "Baris 2, kolom NIK: NIK ini milik orang lain (nama berbeda)" in html
    assert "Ahmad Fauzi" in html  # an organiser may see who holds it
    client.post(f"/events/{setup['event_id']}/import/{token}/import")
    assert counts() == before
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Delegate)
            .filter_by(person_id=other.id)
        )
        == 0
    )


def test_a_nik_held_by_someone_outside_the_delegations_region_is_an_error_row(
    app_ctx, setup, make_person
):
    from planner.services.imports import check_import

    make_person(full_name="Siti Aminah", nik=NIK_A, region=region("19.71"))
    table = read_table(csv_bytes(INDONESIAN), "p.csv")
    mapping = guess_mapping(table.headings)
    plan = check_import(setup["event"], table=table, mapping=mapping, reveal=True)
    assert [str(e) for e in plan.errors] == [
        "Baris 2, kolom NIK: NIK ini milik orang lain (di luar wilayah Kota Bekasi): "
        "Siti Aminah, Kota Pangkal Pinang."
    ]
    assert plan.rows[0].person is None
    # Without the right to see everyone: one message naming no one and nowhere.
    plan = check_import(setup["event"], table=table, mapping=mapping)
    assert [str(e) for e in plan.errors] == [
        "Baris 2, kolom NIK: NIK ini milik orang lain (nama berbeda atau di luar "
        "wilayah delegasi ini). Periksa lagi angkanya; bila sudah benar, hubungi "
        "panitia."
    ]


def test_a_phone_of_someone_outside_the_region_is_not_a_match(
    app_ctx, setup, make_person
):
    from planner.services.imports import check_import

    outsider = make_person(
        full_name="Budi Santoso", phone="+6281234567891", region=region("19.71")
    )
    table = read_table(csv_bytes(INDONESIAN), "p.csv")
    plan = check_import(
        setup["event"], table=table, mapping=guess_mapping(table.headings)
    )
    assert plan.ok
    assert plan.rows[1].person is not outsider and plan.rows[1].action == "new"
    # Those who see everyone are told whose number it is instead.
    plan = check_import(
        setup["event"], table=table, mapping=guess_mapping(table.headings), reveal=True
    )
    assert [str(e) for e in plan.errors] == [
        "Baris 3, kolom No. HP: Nomor HP ini milik orang lain (di luar wilayah "
        "Kabupaten Bekasi): Budi Santoso, Kota Pangkal Pinang."
    ]


def test_importing_the_same_file_twice_creates_nothing(client, login, setup):
    login(setup["organiser"])
    content = xlsx_bytes(INDONESIAN)
    run_import(client, setup["event_id"], content, "a.xlsx")
    after_first = counts()
    assert after_first[1] == 3
    page, done = run_import(client, setup["event_id"], content, "a.xlsx")
    assert "Sudah terdaftar, dilewati" in page
    assert done.status_code == 302 and "/preview" not in done.location
    assert counts() == after_first
    assert "3 sudah terdaftar dan dilewati" in client.get(done.location).get_data(
        as_text=True
    )


def test_formula_looking_cells_are_imported_as_text(client, login, setup):
    login(setup["organiser"])
    rows = [
        ["Nama", "Wilayah", "Instansi"],
        ["=1+1", "Kota Bekasi", '=HYPERLINK("http://x","y")'],
    ]
    run_import(client, setup["event_id"], csv_bytes(rows), "a.csv")
    workbook_rows = [["Nama", "Wilayah"], ["=2+2", "Kab. Bekasi"]]
    run_import(client, setup["event_id"], xlsx_bytes(workbook_rows), "b.xlsx")
    names = set(db.session.scalars(sa.select(Person.full_name)))
    assert names == {"=1+1", "=2+2"}
    institution = db.session.scalar(
        sa.select(Person.institution).filter_by(full_name="=1+1")
    )
    assert institution == '=HYPERLINK("http://x","y")'


def test_hostile_cells_are_escaped_and_long_ones_refused(client, login, setup):
    login(setup["organiser"])
    rows = [
        ["Nama", "Wilayah", "Jabatan"],
        ["<script>alert(1)</script>", "Kota Bekasi", "x" * 5000],
        ["'; DROP TABLE people; --", "Kota Bekasi", "null\x00byte"],
    ]
    response = upload(client, setup["event_id"], csv_bytes(rows), "a.csv")
    page = client.get(response.location).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page
    assert "Baris 2, kolom Jabatan: Paling panjang 200 huruf." in page


def test_files_that_are_too_big_wrong_or_broken_are_refused(client, login, setup):
    login(setup["organiser"])
    event_id = setup["event_id"]
    cases = [
        (b"Nama\n" + b"x" * (5 * 1024 * 1024 + 10), "big.csv", "lebih besar dari 5 MB"),
        (b"%PDF-1.4", "daftar.pdf", "Hanya berkas .xlsx atau .csv"),
        (b"Nama\nSiti", "daftar", "Hanya berkas .xlsx atau .csv"),
        (b"not a zip at all", "rusak.xlsx", "rusak atau bukan berkas Excel"),
        (_zip({"hello.txt": b"hi"}), "zip.xlsx", "rusak atau bukan berkas Excel"),
        (b"", "kosong.csv", "Berkas ini kosong."),
        (b"\n\n", "kosong.csv", "kosong"),
    ]
    for content, name, message in cases:
        response = upload(client, event_id, content, name)
        assert response.status_code == 200, name
        assert message in response.get_data(as_text=True), name
    missing = client.post(f"/events/{event_id}/import/", data={})
    assert "Pilih berkas yang akan diimpor." in missing.get_data(as_text=True)


def test_a_csv_wider_than_an_xlsx_is_refused_quickly(client, login, setup):
    login(setup["organiser"])
    # 38 KB, 5,000 columns: it once held a worker past its timeout.
    wide = b"\n".join([b"Nama," + b"x," * 4999, b"Siti," + b"1," * 4999] * 2)
    assert len(wide) < 45_000
    started = time.perf_counter()
    response = upload(client, setup["event_id"], wide, "lebar.csv")
    assert time.perf_counter() - started < 2
    assert response.status_code == 200
    assert "Berkas ini punya lebih dari 60 kolom (baris 1)" in response.get_data(
        as_text=True
    )
    # Empty cells beyond the 60th are not columns (Excel writes them).
    narrow = "Nama;No HP;Kabupaten/Kota" + ";" * 80 + "\nSiti;;Kota Bekasi" + ";" * 80
    assert read_table(narrow.encode(), "ok.csv").headings == [
        "Nama",
        "No HP",
        "Kabupaten/Kota",
    ]


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_a_zip_bomb_is_refused_before_it_is_read(client, login, setup, monkeypatch):
    login(setup["organiser"])
    bomb = _zip({"xl/worksheets/sheet1.xml": b"\0" * (51 * 1024 * 1024)})
    assert len(bomb) < 200_000

    def never(*args, **kwargs):
        raise AssertionError("the bomb was opened")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    response = upload(client, setup["event_id"], bomb, "bom.xlsx")
    assert response.status_code == 200
    assert "terlalu besar setelah dibuka" in response.get_data(as_text=True)


def test_uploads_are_private_expire_and_are_deleted(
    client, app, login, setup, make_user, tmp_path
):
    login(setup["organiser"])
    event_id = setup["event_id"]
    response = upload(client, event_id, csv_bytes(INDONESIAN), "a.csv")
    token = token_of(response)
    folder = tmp_path / "uploads"
    assert [p.name for p in folder.iterdir()] == [f"{token}.csv"]
    # Another organiser of the same event cannot use this upload id.
    colleague = make_user("organiser")
    setup["event"].organisers.append(colleague)
    db.session.commit()
    other = app.test_client()
    other.post(
        "/auth/login", data={"email": colleague.email, "password": "rahasia-uji-123"}
    )
    assert other.get(f"/events/{event_id}/import/{token}/preview").status_code == 404
    assert other.post(f"/events/{event_id}/import/{token}/import").status_code == 404
    assert client.get(f"/events/{event_id}/import/../preview").status_code == 404
    assert (
        client.get(f"/events/{event_id}/import/{'A' * 24}/preview").status_code == 404
    )
    # Cancel deletes the file.
    cancelled = client.post(f"/events/{event_id}/import/{token}/cancel")
    assert cancelled.status_code == 302
    assert list(folder.iterdir()) == []
    assert client.get(f"/events/{event_id}/import/{token}/preview").status_code == 404
    # A stale upload is refused and deleted.
    token = token_of(upload(client, event_id, csv_bytes(INDONESIAN), "a.csv"))
    with client.session_transaction() as session:
        pending = session["imports"]
        pending[token]["at"] = time.time() - 3 * 60 * 60
        session["imports"] = pending
    stale = client.get(f"/events/{event_id}/import/{token}/preview")
    assert stale.status_code == 302 and stale.location.endswith(
        f"/events/{event_id}/import/"
    )
    assert list(folder.iterdir()) == []
    # A finished import deletes its file.
    run_import(client, event_id, csv_bytes(INDONESIAN), "a.csv")
    assert list(folder.iterdir()) == []


def test_only_organisers_import(client, login, setup, make_user):
    event_id = setup["event_id"]
    assert client.get(f"/events/{event_id}/import/").status_code == 302  # sign in
    head = make_user("chapter_head", regions=("32.75",))
    login(head)
    assert client.get(f"/events/{event_id}/import/").status_code == 403
    response = upload(client, event_id, csv_bytes(INDONESIAN), "a.csv")
    assert response.status_code == 403
    assert client.get("/events/999999/import/").status_code == 404


def test_the_overview_shows_the_import_button_to_managers(
    client, login, setup, make_user
):
    login(setup["organiser"])
    page = client.get(f"/events/{setup['event_id']}").get_data(as_text=True)
    assert "Impor dari Excel/CSV" in page
    client.get("/auth/logout")
    client.post("/auth/logout")
    other = make_user("organiser")
    fresh = client.application.test_client()
    fresh.post(
        "/auth/login", data={"email": other.email, "password": "rahasia-uji-123"}
    )
    page = fresh.get(f"/events/{setup['event_id']}")
    assert "Impor dari Excel/CSV" not in page.get_data(as_text=True)


def test_the_preview_runs_in_a_constant_number_of_queries(
    client, login, setup, count_queries
):
    login(setup["organiser"])
    setup["kota"].quota = setup["kab"].quota = 100
    db.session.commit()

    def preview_queries(n: int) -> int:
        rows = [["Nama", "No HP", "NIK", "Wilayah"]] + [
            [
                f"Orang {n}-{i}",
                f"0812{n:02d}{i:06d}",
                f"32750101018{n % 10}{i:04d}",
                "Kota Bekasi" if i % 2 else "32.16",
            ]
            for i in range(n)
        ]
        token = token_of(upload(client, setup["event_id"], csv_bytes(rows), "a.csv"))
        with count_queries() as queries:
            response = client.get(f"/events/{setup['event_id']}/import/{token}/preview")
        assert response.status_code == 200
        assert "kesalahan" not in response.get_data(as_text=True)
        return len(queries)

    assert preview_queries(3) == preview_queries(40)


def test_cli_imports_a_file(runner, setup, tmp_path):
    path = tmp_path / "peserta.xlsx"
    path.write_bytes(xlsx_bytes(INDONESIAN))
    result = runner.invoke(
        args=["delegations", "import", "bimtek-bekasi", str(path), "--dry-run"]
    )
    assert result.exit_code == 0, result.output
    assert "Uji coba" in result.output
    assert counts() == (0, 0)
    result = runner.invoke(
        args=["delegations", "import", str(setup["event_id"]), str(path)]
    )
    assert result.exit_code == 0, result.output
    assert "3 diusulkan (3 orang baru" in result.output
    db.session.expire_all()
    assert counts() == (3, 3)


def test_cli_reports_errors_by_row_and_writes_nothing(runner, setup, tmp_path):
    path = tmp_path / "salah.csv"
    rows = INDONESIAN + [
        ["", "L", "", "", "Kota Bekasi", ""],
        ["Orang Asing", "", "", "", "Kota Atlantis", ""],
    ]
    path.write_bytes(csv_bytes(rows))
    result = runner.invoke(args=["delegations", "import", "bimtek-bekasi", str(path)])
    assert result.exit_code == 1
    assert "Baris 5, kolom Nama Lengkap: Nama wajib diisi." in result.output
    assert "Baris 6, kolom Kabupaten/Kota: Wilayah Kota Atlantis" in result.output
    assert counts() == (0, 0)
    missing = runner.invoke(args=["delegations", "import", "tidak-ada", str(path)])
    assert missing.exit_code != 0 and "tidak ditemukan" in missing.output


def test_the_service_writes_nothing_when_a_row_is_invalid(app_ctx, setup):
    table = read_table(
        csv_bytes([["Nama", "Wilayah"], ["A", "Kota Bekasi"], ["B", "Kota Atlantis"]]),
        "a.csv",
    )
    from planner.services.imports import ImportInvalid

    with pytest.raises(ImportInvalid) as caught:
        import_delegates(
            setup["event"], table=table, mapping=guess_mapping(table.headings)
        )
    db.session.rollback()
    assert [e.row for e in caught.value.plan.errors] == [3]
    assert counts() == (0, 0)


@pytest.mark.parametrize(
    "heading",
    ["Catatan makanan", "Pantangan Makanan", "Diet", "Dietary notes", "ALERGI"],
)
def test_dietary_note_headings_are_recognised(app_ctx, heading):
    assert guess_mapping(["Nama", heading, "Catatan"]) == [
        "full_name",
        "dietary_notes",
        None,  # plain "notes" is the organiser's, not the caterer's
    ]


def test_dietary_notes_are_written_filled_in_and_never_overwritten(
    client, login, setup, make_person, make_delegate
):
    login(setup["organiser"])
    blank = make_person(full_name="Budi Santoso", region=region("32.16"))
    kept = make_person(
        full_name="Rina Wati", region=region("32.75"), dietary_notes="Diabetes"
    )
    already = make_delegate(
        setup["kota"], person=make_person(full_name="Joko", region=region("32.75"))
    )
    rows = [
        ["Nama", "Kabupaten/Kota", "Pantangan makanan"],
        ["Siti Aminah", "Kota Bekasi", "  Vegetarian,   tanpa  seafood "],
        ["Budi Santoso", "Kab. Bekasi", "Alergi kacang"],
        ["Rina Wati", "Kota Bekasi", "Vegetarian"],
        ["Joko", "Kota Bekasi", "Tanpa makanan laut"],
    ]
    page, done = run_import(client, setup["event_id"], csv_bytes(rows), "a.csv")
    assert done.status_code == 302 and "/preview" not in done.location
    # The preview shows each row's note, and that Rina's note on record stays.
    assert "Catatan makanan" in page and "Vegetarian, tanpa seafood" in page
    assert "Tetap yang tersimpan: Diabetes" in page
    assert "Sudah terdaftar, dilewati" in page
    db.session.expire_all()
    notes = dict(
        db.session.execute(sa.select(Person.full_name, Person.dietary_notes)).all()
    )
    assert notes == {
        "Siti Aminah": "Vegetarian, tanpa seafood",  # new person, spaces collapsed
        "Budi Santoso": "Alergi kacang",  # matched, blank filled
        "Rina Wati": "Diabetes",  # matched, never overwritten
        "Joko": "Tanpa makanan laut",  # already in: skipped, blank filled all the same
    }
    assert {blank.id, kept.id, already.person_id} <= set(
        db.session.scalars(sa.select(Delegate.person_id))
    )


def test_a_preview_without_a_dietary_column_shows_none(client, login, setup):
    login(setup["organiser"])
    response = upload(client, setup["event_id"], csv_bytes(INDONESIAN), "a.csv")
    page = client.get(response.location).get_data(as_text=True)
    assert "Siti Aminah" in page and "Catatan makanan" not in page


def test_an_over_long_dietary_note_is_refused_and_nothing_is_written(
    client, login, setup, make_person
):
    login(setup["organiser"])
    known = make_person(full_name="Budi Santoso", region=region("32.16"))
    rows = [
        ["Nama", "Kabupaten/Kota", "Catatan makanan"],
        ["Siti Aminah", "Kota Bekasi", "Vegetarian"],
        ["Budi Santoso", "Kab. Bekasi", "alergi " * 30],
    ]
    before = counts()
    page, done = run_import(client, setup["event_id"], csv_bytes(rows), "a.csv")
    assert "Baris 3, kolom Catatan makanan: Paling panjang 200 huruf." in page
    assert "Baris 2," not in page
    assert done.status_code == 302 and "/preview" in done.location
    assert counts() == before
    db.session.expire_all()
    assert db.session.get(Person, known.id).dietary_notes is None
    # Exactly 200 letters are accepted, as on the person form.
    ok = [rows[0], ["Budi Santoso", "Kab. Bekasi", "x" * 200]]
    _, done = run_import(client, setup["event_id"], csv_bytes(ok), "b.csv")
    assert "/preview" not in done.location
    db.session.expire_all()
    assert db.session.get(Person, known.id).dietary_notes == "x" * 200
