"""Plan files carry the paperwork: budget settings and hand-typed lines, invitation
letters, the certificate template and certificates; checked with JSON paths; absent
(and the bytes unchanged) when an event has none."""

from __future__ import annotations

import copy
from datetime import date

import pytest
import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from planner.extensions import db
from planner.models import (
    AllowanceKind,
    AuditEntry,
    BudgetCategory,
    Certificate,
    DelegateStatus,
    Event,
    InvitationLetter,
    RecipientKind,
)
from planner.models import user as user_model
from planner.services.paperwork.budget import compute_budget
from planner.services.paperwork.certificates import (
    issue_certificates,
    revoke_certificate,
    save_template,
)
from planner.services.paperwork.editing import add_budget_line, update_budget
from planner.services.paperwork.letters import issue_letters, save_letter_settings
from planner.services.plans import (
    PlanInvalid,
    dump_plan,
    export_plan,
    import_plan,
    load_plan,
    plan_schema,
    validate_plan,
)
from planner.services.plans.papers import SECTION
from tests.conftest import region
from tests.test_plans import (  # rich_event: a fixture
    _counts,
    _wipe_plan_rows,
    _without_time,
    rich_event,  # noqa: F401
)


@pytest.fixture(autouse=True)
def fast_hashing(monkeypatch):
    """Hash passwords cheaply: the default scrypt is slow here."""
    monkeypatch.setattr(
        user_model,
        "generate_password_hash",
        lambda password: generate_password_hash(password, method="pbkdf2:sha256:1000"),
    )


@pytest.fixture
def papered(make_user, make_event, make_place, make_delegation, make_delegate):
    """A bimtek with every kind of paperwork: rates with a lowered allowance and a
    chosen province, hand-typed lines (one per delegation, one for the event), letters
    for both delegations, a template, certificates for those who attended (one
    revoked)."""
    organiser = make_user("organiser", email="panitia.papers@example.org")
    venue = make_place(name="Aula Dinsos", region=region("19.71"))
    event = make_event(
        organisers=[organiser],
        title="Bimtek PSM Uji",
        slug="bimtek-papers-uji",
        venue=venue,
        starts_on=date(2027, 3, 10),
        ends_on=date(2027, 3, 11),
    )
    bangka = make_delegation(event, region=region("19.01"), quota=5)
    kota = make_delegation(event, region=region("19.71"), quota=5)
    for delegation in (bangka, kota):
        make_delegate(delegation, status=DelegateStatus.ATTENDED)
        make_delegate(delegation, status=DelegateStatus.ATTENDED)
        make_delegate(delegation, status=DelegateStatus.CONFIRMED)
    update_budget(
        event,
        data={
            "fiscal_year": 2026,
            "allowance_kind": AllowanceKind.TRAINING,
            "province_code": "19",
            "allowance_rate": 100000,
            "transport_allowance": 150000,
            "honorarium_per_session": 900000,
            "meal_price": 45000,
            "snack_price": 20000,
            "treasurer_name": "Rina Bendahara",
            "treasurer_nip": "198001012005012001",
            "official_name": "Drs. Budi Santoso, M.Si.",
            "official_position": "Kepala Bidang",
            "signing_place": "Pangkalpinang",
        },
    )
    add_budget_line(
        event,
        data={
            "category": BudgetCategory.OTHER,
            "description": "Spanduk",
            "quantity": 2,
            "unit": "lembar",
            "unit_price": 250000,
        },
    )
    add_budget_line(
        event,
        data={
            "category": BudgetCategory.TRANSPORT,
            "description": "Sewa bus Bangka",
            "delegation_id": bangka.id,
            "quantity": 1,
            "unit_price": 2500000,
        },
    )
    save_letter_settings(
        event,
        data={
            "office_name": "Dinas Sosial Provinsi Kepulauan Bangka Belitung",
            "office_address": "Jl. Pulau Bangka, Pangkalpinang",
            "number_pattern": "005/{n}/DINSOS/{roman_month}/{year}",
            "first_number": 41,
            "dated_on": date(2027, 2, 1),
            "recipient_kind": RecipientKind.CHAPTER,
            "signing_place": "Pangkalpinang",
            "signatory_name": "Drs. Budi Santoso, M.Si.",
            "signatory_position": "Kepala Dinas Sosial",
        },
    )
    issue_letters(event)
    save_template(
        event,
        data={
            "title": "Sertifikat Bimtek",
            "number_pattern": "{n}/SERT/DINSOS/{roman_month}/{year}",
            "lesson_hours": 16,
            "signatory_name": "Drs. Budi Santoso, M.Si.",
            "signatory_position": "Kepala Dinas Sosial",
            "signatory_nip": "197501012000031001",
        },
    )
    certificates = issue_certificates(event)
    revoke_certificate(event, certificates[0].id, "Salah nama")
    db.session.commit()
    return event


def _papers_doc(event: Event) -> dict:
    return export_plan(event, personal_data=True)


def test_round_trip_carries_the_paperwork(papered):
    """Export → import into an empty database → export: the same document, and the
    imported event's budget, letters and certificates are the original's."""
    first = _papers_doc(papered)
    budget_before = compute_budget(papered)
    codes_before = set(db.session.scalars(sa.select(Certificate.code)))
    raw = dump_plan(first)
    papers = first[SECTION]
    assert list(papers) == [
        "budget",
        "budget_lines",
        "letter_settings",
        "letters",
        "certificate_template",
        "certificates",
    ]
    assert list(first)[-1] == SECTION
    assert papers["budget"]["allowance_rate"] == 100000
    assert papers["budget"]["province"] == "19"
    assert (papers["budget"]["meal_price"], papers["budget"]["snack_price"]) == (
        45000,
        20000,
    )
    assert [x["sequence"] for x in papers["letters"]] == [41, 42]
    assert papers["letters"][0]["number"] == "005/41/DINSOS/II/2027"
    assert len(papers["certificates"]) == 4
    assert papers["certificates"][0]["revoked_reason"] == "Salah nama"
    assert [x["delegation"] for x in papers["budget_lines"]].count(None) == 1
    assert "code" not in str(papers)
    _wipe_plan_rows()

    result = import_plan(load_plan(raw))
    db.session.commit()
    event = db.session.get(Event, result.event.id)
    again = _papers_doc(event)
    assert _without_time(again) == _without_time(first)
    assert dump_plan(again).split(b"\n", 4)[4] == raw.split(b"\n", 4)[4]
    budget_after = compute_budget(event)
    assert budget_after.total == budget_before.total > 0
    assert [(x.description, x.amount) for x in budget_after.lines] == [
        (x.description, x.amount) for x in budget_before.lines
    ]
    # New verification codes: the original's are secrets of its installation.
    codes = set(db.session.scalars(sa.select(Certificate.code)))
    assert len(codes) == 4 and not codes & codes_before
    revoked = db.session.scalars(
        sa.select(Certificate).where(Certificate.revoked_at.is_not(None))
    ).all()
    assert len(revoked) == 1


def test_an_event_without_paperwork_exports_as_before(rich_event):  # noqa: F811
    """No section at all (not even an empty one): the file is what it always was."""
    doc = export_plan(rich_event, personal_data=True)
    assert SECTION not in doc
    raw = dump_plan(doc)
    assert b'"paperwork"' not in raw
    assert list(doc)[-1] == "agenda"


def test_export_queries_do_not_grow_with_the_paperwork(
    papered, count_queries, make_delegate
):
    """More letters, lines and certificates: the same number of queries."""
    with count_queries() as small:
        export_plan(papered)
    delegation = papered.delegations[0]
    delegation.quota = 30
    for _n in range(10):
        make_delegate(delegation, status=DelegateStatus.ATTENDED)
    add_budget_line(papered, data={"description": "Konsumsi", "unit_price": 1})
    issue_certificates(papered)
    db.session.commit()
    with count_queries() as large:
        doc = export_plan(db.session.get(Event, papered.id))
    assert len(doc[SECTION]["certificates"]) == 14
    assert len(large) == len(small)


def test_only_what_exists_is_exported(papered):
    """Letters without a budget or certificates: only those parts."""
    from planner.models import Budget, BudgetLine, CertificateTemplate

    for model in (Certificate, CertificateTemplate, BudgetLine, Budget):
        db.session.execute(sa.delete(model))
    db.session.commit()
    assert list(_papers_doc(papered)[SECTION]) == ["letter_settings", "letters"]


def test_existing_version_1_files_import_unchanged(app_ctx, make_user):
    """The shipped example (no paperwork) still validates and imports, with none."""
    from tests.test_plans import EXAMPLE

    make_user("organiser", email="panitia@rombongan.test")
    doc = load_plan(EXAMPLE.read_bytes())
    assert SECTION not in doc and validate_plan(doc) == []
    event = import_plan(doc).event
    db.session.commit()
    assert SECTION not in export_plan(event)
    assert db.session.scalar(sa.select(sa.func.count(InvitationLetter.id))) == 0


def test_schema_enums_are_the_models_enums():
    from planner.models import BudgetCategory as Category

    defs = plan_schema()["$defs"]
    assert defs["budget"]["properties"]["allowance_kind"]["enum"] == [
        k.value for k in AllowanceKind
    ]
    assert defs["budget_line"]["properties"]["category"]["enum"] == [
        k.value for k in Category
    ]
    assert defs["letter_settings"]["properties"]["recipient_kind"]["enum"] == [
        k.value for k in RecipientKind
    ]


# Checks -------------------------------------------------------------------------------


@pytest.fixture
def papers_doc(papered):
    """The papered event as a document, importable under a new slug."""
    doc = copy.deepcopy(_papers_doc(papered))
    doc["event"]["slug"] = "bimtek-papers-salinan"
    return doc


def _refused(doc) -> list[str]:
    before = _counts()
    with pytest.raises(PlanInvalid) as caught:
        import_plan(doc)
    db.session.rollback()
    assert _counts() == before
    return [str(p) for p in caught.value.problems]


def test_a_copy_imports_beside_the_original(papers_doc):
    """Sequences and numbers are per event: a copy keeps them."""
    event = import_plan(papers_doc).event
    db.session.commit()
    assert db.session.scalar(
        sa.select(sa.func.count(InvitationLetter.id)).filter_by(event_id=event.id)
    ) == len(papers_doc[SECTION]["letters"])


def test_negative_rates_and_amounts_are_refused(papers_doc):
    papers = papers_doc[SECTION]
    papers["budget"]["transport_allowance"] = -5
    papers["budget"]["snack_price"] = -20000
    papers["budget_lines"][0]["unit_price"] = -1
    papers["budget_lines"][1]["quantity"] = 2**31  # beyond a PostgreSQL integer
    assert _refused(papers_doc) == [
        "$.paperwork.budget.snack_price: Paling kecil 0.",
        "$.paperwork.budget.transport_allowance: Paling kecil 0.",
        "$.paperwork.budget_lines[0].unit_price: Paling kecil 0.",
        "$.paperwork.budget_lines[1].quantity: Paling besar 2000000000.",
    ]


def test_allowance_above_its_ceiling(papers_doc):
    papers_doc[SECTION]["budget"]["allowance_rate"] = 99_000_000
    [problem] = _refused(papers_doc)
    assert problem.startswith(
        "$.paperwork.budget.allowance_rate: Uang harian melebihi batas tertinggi SBM"
    )


def test_unknown_year_and_province(papers_doc):
    papers_doc[SECTION]["budget"]["fiscal_year"] = 2001
    assert _refused(papers_doc) == [
        "$.paperwork.budget.fiscal_year: Tidak ada tabel uang harian untuk tahun "
        "anggaran 2001; yang ada: 2026."
    ]
    papers_doc[SECTION]["budget"]["fiscal_year"] = 2026
    papers_doc[SECTION]["budget"]["province"] = "99"
    assert _refused(papers_doc) == [
        "$.paperwork.budget.province: Provinsi 99 tidak ada di tabel uang harian."
    ]


def test_number_patterns_without_n(papers_doc):
    papers = papers_doc[SECTION]
    papers["letter_settings"]["number_pattern"] = "005/DINSOS/{year}"
    papers["certificate_template"]["number_pattern"] = "{n}/SERT/{bulan}"
    assert _refused(papers_doc) == [
        "$.paperwork.letter_settings.number_pattern: Pola nomor harus memuat {n} "
        "(nomor urut).",
        "$.paperwork.certificate_template.number_pattern: Pola nomor hanya boleh "
        "memakai {n}, {roman_month}, {month} dan {year}.",
    ]


def test_bad_delegation_and_delegate_references(papers_doc):
    papers = papers_doc[SECTION]
    confirmed = next(
        d["person"] for d in papers_doc["delegates"] if d["status"] == "confirmed"
    )
    papers["budget_lines"][0]["delegation"] = "jakarta"
    papers["letters"][0]["delegation"] = "jakarta"
    papers["letters"][1]["delegation"] = papers["letters"][0]["delegation"]
    papers["certificates"][0]["person"] = "nobody"
    papers["certificates"][1]["person"] = papers["certificates"][2]["person"]
    papers_doc["people"].append({"key": "tamu", "full_name": "Tamu Undangan"})
    papers["certificates"][3]["person"] = "tamu"
    papers["certificates"].append({**papers["certificates"][2], "sequence": 99})
    papers["certificates"][-1]["person"] = confirmed
    papers["certificates"][-1]["sequence"] = papers["certificates"][2]["sequence"]
    problems = _refused(papers_doc)
    first_certificate = papers["certificates"][2]["person"]
    assert problems == [
        "$.paperwork.budget_lines[0].delegation: Kunci “jakarta” tidak ada di "
        "$.delegations.",
        "$.paperwork.letters[0].delegation: Kunci “jakarta” tidak ada di "
        "$.delegations.",
        "$.paperwork.letters[1].delegation: Kunci “jakarta” tidak ada di "
        "$.delegations.",
        "$.paperwork.certificates[0].person: Kunci “nobody” tidak ada di $.people.",
        f"$.paperwork.certificates[2].person: Peserta “{first_certificate}” sudah "
        "punya sertifikat di $.paperwork.certificates[1].",
        "$.paperwork.certificates[3].person: “tamu” bukan peserta acara (tidak ada "
        "di $.delegates).",
        f"$.paperwork.certificates[4].sequence: Nomor urut "
        f"{papers['certificates'][2]['sequence']} sudah dipakai di "
        "$.paperwork.certificates[2].",
    ]


def test_a_delegation_with_two_letters_and_a_sequence_twice(papers_doc):
    letters = papers_doc[SECTION]["letters"]
    letters[1]["delegation"] = letters[0]["delegation"]
    letters[1]["sequence"] = letters[0]["sequence"]
    key = letters[0]["delegation"]
    assert _refused(papers_doc) == [
        f"$.paperwork.letters[1].delegation: Delegasi “{key}” sudah punya surat "
        "undangan di $.paperwork.letters[0].",
        "$.paperwork.letters[1].sequence: Nomor urut 41 sudah dipakai di "
        "$.paperwork.letters[0].",
    ]


def test_letters_and_certificates_need_their_settings(papers_doc):
    papers = papers_doc[SECTION]
    del papers["letter_settings"], papers["certificate_template"]
    assert _refused(papers_doc) == [
        "$.paperwork.letters: Surat undangan bernomor memerlukan “letter_settings” "
        "(kop dan pola nomor surat).",
        "$.paperwork.certificates: Sertifikat memerlukan “certificate_template” "
        "(templat sertifikat).",
    ]


def test_blank_texts_and_bad_dates(papers_doc):
    papers = papers_doc[SECTION]
    papers["letter_settings"]["signatory_name"] = "   "
    papers["letter_settings"]["dated_on"] = "2027-02-30"
    papers["certificates"][0]["issued_at"] = "2027-02-30T10:00:00+07:00"
    assert _refused(papers_doc) == [
        "$.paperwork.letter_settings.signatory_name: Wajib diisi (tidak boleh hanya "
        "spasi).",
        '$.paperwork.letter_settings.dated_on: Tanggal "2027-02-30" tidak ada di '
        "kalender.",
        '$.paperwork.certificates[0].issued_at: Waktu "2027-02-30T10:00:00+07:00" '
        "tidak ada di kalender.",
    ]


def test_unknown_fields_are_named(papers_doc):
    papers_doc[SECTION]["letters"][0]["code"] = "rahasia"
    problems = _refused(papers_doc)
    assert problems == ["$.paperwork.letters[0]: Kolom tidak dikenal: “code”."]


# History ------------------------------------------------------------------------------


def test_issuing_and_revoking_are_in_the_history(papered, client, login):
    """The event's history lists the letters and certificates issued, and the
    revocation (with its reason), under their own kinds."""
    entries = db.session.execute(
        sa.select(AuditEntry.entity, AuditEntry.action, AuditEntry.changes).where(
            AuditEntry.event_id == papered.id
        )
    ).all()
    made = [(e, a) for e, a, _c in entries if a == "create"]
    assert made.count(("invitation_letter", "create")) == 2
    assert made.count(("certificate", "create")) == 4
    [revoked] = [c for e, a, c in entries if (e, a) == ("certificate", "update")]
    assert revoked["revoked_reason"] == [None, "Salah nama"]
    assert revoked["revoked_at"][0] is None and revoked["revoked_at"][1]
    login(papered.organisers[0])
    for kind, label in (("certificate", "Sertifikat"), ("invitation_letter", "Surat")):
        page = client.get(f"/events/{papered.id}/history/?kind={kind}")
        assert page.status_code == 200
        assert label in page.get_data(as_text=True)
    page = client.get(f"/events/{papered.id}/history/?kind=certificate")
    assert "Salah nama" in page.get_data(as_text=True)


def test_fast_schema_check_agrees_with_jsonschema_on_the_paperwork(papers_doc):
    """As for the other sections: each leaf of the paperwork given two wrong values,
    each key dropped, an unknown key added; both checks give the same verdict."""
    from jsonschema import Draft202012Validator

    from planner.services.plans import schema_accepts
    from tests.test_plans import _WRONG, _leaves

    validator = Draft202012Validator(plan_schema())
    papers = papers_doc[SECTION]
    for name in ("budget_lines", "letters", "certificates"):
        papers[name] = papers[name][:1]
    verdicts: list[tuple[bool, bool]] = []

    def judge(what) -> None:
        verdicts.append((schema_accepts(papers_doc), validator.is_valid(papers_doc)))
        assert verdicts[-1][0] == verdicts[-1][1], what

    judge("as it is")
    for n, path in enumerate([p for p in _leaves(papers) if p]):
        parent = papers
        for part in path[:-1]:
            parent = parent[part]
        key, kept = path[-1], parent[path[-1]]
        for value in (_WRONG[n % len(_WRONG)], _WRONG[(n + 8) % len(_WRONG)]):
            parent[key] = value
            judge((path, value))
        parent[key] = kept
        if isinstance(parent, dict):
            del parent[key]
            judge(("without", path))
            parent[key] = kept
            parent["unknown_field"] = 1
            judge(("unknown field beside", path))
            del parent["unknown_field"]
    assert verdicts[0] == (True, True)
    assert verdicts.count((True, True)) > 20 and verdicts.count((False, False)) > 100


def test_minimal_paperwork_written_by_hand(app_ctx):
    """Only the required fields: the documented defaults fill in the rest."""
    from planner.models import Budget, LetterSettings

    doc = {
        "format": "rombongan-plan",
        "version": 1,
        "event": {
            "slug": "temu-psm-babel-2027",
            "title": "Temu PSM",
            "kind": "bimtek",
            "organiser_body": "",
            "starts_on": "2027-05-01",
            "ends_on": "2027-05-01",
            "host_region": "19",
        },
        "people": [{"key": "p1", "full_name": "Wati"}],
        "delegations": [{"key": "pusat", "name": "IPSM Pusat", "quota": 1}],
        "delegates": [{"person": "p1", "delegation": "pusat", "status": "attended"}],
        SECTION: {
            "budget": {"fiscal_year": 2026},
            "budget_lines": [{"description": "Spanduk"}],
            "letter_settings": {
                "office_name": "Dinas Sosial",
                "office_address": "Pangkalpinang",
                "number_pattern": "{n}/UND/{year}",
                "dated_on": "2027-04-01",
                "signing_place": "Pangkalpinang",
                "signatory_name": "Budi",
                "signatory_position": "Kepala Dinas",
            },
            "letters": [{"delegation": "pusat", "sequence": 1, "number": "1/UND/2027"}],
            "certificate_template": {
                "title": "Sertifikat",
                "number_pattern": "{n}/SERT",
                "signatory_name": "Budi",
                "signatory_position": "Kepala Dinas",
            },
            "certificates": [{"person": "p1", "sequence": 1, "number": "1/SERT"}],
        },
    }
    assert validate_plan(doc) == []
    event = import_plan(doc).event
    db.session.commit()
    budget = db.session.scalars(sa.select(Budget)).one()
    assert budget.allowance_kind == AllowanceKind.OUT_OF_TOWN
    assert budget.allowance_rate is None and budget.transport_allowance == 0
    assert budget.meal_price == budget.snack_price == 0
    sheet = compute_budget(event)
    assert sheet.province == "Kepulauan Bangka Belitung"  # the host region's
    assert sheet.allowance_rate == sheet.allowance_ceiling > 0
    settings = db.session.scalars(sa.select(LetterSettings)).one()
    assert (settings.first_number, settings.recipient_kind) == (1, RecipientKind.OFFICE)
    out = export_plan(event)[SECTION]
    assert out["budget_lines"] == [
        {
            "category": "other",
            "description": "Spanduk",
            "delegation": None,
            "quantity": 1,
            "unit": "paket",
            "unit_price": 0,
        }
    ]
    assert out["letters"][0]["issued_at"] and out["certificates"][0]["issued_at"]
    assert out["certificates"][0]["revoked_at"] is None
