"""English pages speak English: every page an organiser, an admin, a chapter head and a
participant can open on the demo data, rendered in English, shows no Indonesian word
of the interface (data typed by people, such as names and places, is left out).

Downloads are read back too: the header rows of the CSV and XLSX lists and the text
of the PDFs.
"""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from pypdf import PdfReader
from werkzeug.security import generate_password_hash

from planner.extensions import db
from planner.models import (
    AgendaItem,
    Delegate,
    Delegation,
    Event,
    Leg,
    LegMode,
    Person,
    Place,
    Stay,
    Trip,
    User,
)
from planner.models import user as user_model
from planner.services.demo import DEMO_ACCOUNTS, load_demo
from planner.services.transport import DEFAULT_TRIPS
from tests.conftest import IsolatedClient

#: Common words of the Indonesian interface that English never uses.
INDONESIAN = """
    acara ada atau bahasa bandara batal batalkan belum berangkat bulan cari catatan cetak
    daftar dalam dan delegasi dengan dari dibatalkan dibuat diganti dihapus diisi
    dikonfirmasi diubah diusulkan hadir hapus hari hingga ini instansi itu jabatan
    jalan jam jenis kapal kembali kendaraan keterangan kirim kursi laki-laki lihat
    masuk mata menit mundur nama narasumber orang pada panitia pelabuhan perempuan
    perjalanan peserta pilih pukul pulang rute sampai semua simpan sudah tambah
    tanggal tempat tiba tidak ubah umur unduh untuk usia wajib wilayah yang
    senin selasa rabu kamis jumat sabtu minggu
    januari februari maret mei juni juli agustus oktober desember
"""
WORDS = frozenset(INDONESIAN.split())
WORD = re.compile(
    r"(?<![\w-])(" + "|".join(sorted(WORDS, key=len, reverse=True)) + r")(?![\w-])",
    re.I,
)

#: Attributes whose text people read (or hear) as part of the interface.
READ_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt", "data-confirm"}

#: Pages with query strings worth a look of their own.
EXTRA = (
    "/events/?when=past",
    "/events/?when=all",
    "/events/{event_id}/history/?kind=agenda_item",
    "/events/{event_id}/agenda/?day={day}",
)

#: Names the application gives (the one-click trips), shown in the reader's language:
#: not data to leave out.
APP_NAMED = frozenset(DEFAULT_TRIPS)

#: Rules whose pages are not read here: a random token, the sign-out.
#: Arguments no demo object has: invitation tokens; jobs (one exists only while
#: someone's work runs: tests/test_jobs.py opens their pages).
SKIPPED_ARGUMENTS = {"token", "job_id"}


class _Text(HTMLParser):
    """The text of a page as people read it: text nodes and read attributes.

    Elements marked as written in another language (``lang="id"``: the language
    switch, an Indonesian term quoted on purpose) are left out.
    """

    VOID = frozenset(
        "area base br col embed hr img input link meta source track wbr".split()
    )

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._stack: list[tuple[str, bool]] = []  # (tag, skipped)

    @property
    def _skipping(self) -> bool:
        return any(skipped for _, skipped in self._stack)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        foreign = attributes.get("lang", "en").split("-")[0] not in ("en", "")
        skipped = tag in ("script", "style") or (foreign and tag != "html")
        if not (self._skipping or skipped):
            for name, value in attrs:
                if value and name in READ_ATTRIBUTES:
                    self.parts.append(value)
            if attributes.get("value") and attributes.get("type") in (
                "submit",
                "button",
            ):
                self.parts.append(attributes["value"])
        if tag not in self.VOID:
            self._stack.append((tag, skipped))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID and self._stack and self._stack[-1][0] == tag:
            self._stack.pop()

    def handle_endtag(self, tag):
        for i in range(len(self._stack) - 1, -1, -1):
            if self._stack[i][0] == tag:
                del self._stack[i:]
                break

    def handle_data(self, data):
        if not self._skipping:
            self.parts.append(data)


def page_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    parser.close()
    return "\n".join(parser.parts)


def _spaced(text: str) -> str:
    return " ".join(text.split())


class Data:
    """Every text value stored in the database: names, places, titles, notes.

    Stored values are removed from a page before it is searched, also when a PDF
    wraps them over two lines, a page cuts them short with "…" or a letterhead prints
    them in capitals.
    """

    def __init__(self, values: set[str]):
        pieces = set()
        for value in values:
            if value in APP_NAMED:
                continue
            pieces.add(_spaced(value))
            pieces.update(_spaced(line) for line in value.splitlines())
            # A letterhead prints the office's name in capitals.
            pieces.add(_spaced(value.upper()))
        #: word → data values containing it, longest first.
        self.by_word: dict[str, list[str]] = {}
        for piece in sorted((p for p in pieces if p), key=len, reverse=True):
            for word in {m.group(1).lower() for m in WORD.finditer(piece)}:
                self.by_word.setdefault(word, []).append(piece)

    def words(self, text: str) -> list[str]:
        """The Indonesian interface words left in the text once data is removed."""
        text = _spaced(text)
        found = {m.group(1).lower() for m in WORD.finditer(text)}
        if not found:
            return []
        candidates = [p for word in found for p in self.by_word.get(word, ())]
        for piece in sorted(set(candidates), key=len, reverse=True):
            if piece in text:
                text = text.replace(piece, " ")
        text = _uncut(text, candidates)
        return sorted(
            {
                f"{m.group(1)!r} in {text[max(0, m.start() - 40) : m.end() + 40]!r}"
                for m in WORD.finditer(text)
            }
        )


def _uncut(text: str, pieces: list[str]) -> str:
    """The text without the stored values it shows cut short: "Pelabuhan Tanj…"."""
    changed = True
    while changed:
        changed = False
        for end in (m.start() for m in re.finditer("…", text)):
            for piece in pieces:
                k = next(
                    (
                        k
                        for k in range(min(len(piece), end), 5, -1)
                        if text[end - k : end] == piece[:k]
                    ),
                    None,
                )
                if k:
                    text = text[: end - k] + " " + text[end + 1 :]
                    changed = True
                    break
            if changed:
                break
    return text


def _stored_text() -> set[str]:
    """Every string stored in any column, JSON leaves included."""
    values: set[str] = set()

    def leaves(value):
        if isinstance(value, str):
            values.add(value)
        elif isinstance(value, dict):
            for item in value.values():
                leaves(item)
        elif isinstance(value, list | tuple):
            for item in value:
                leaves(item)

    for table in db.metadata.sorted_tables:
        columns = [
            c
            for c in table.columns
            if isinstance(c.type, sa.String | sa.Text | sa.JSON)
            or "JSON" in type(c.type).__name__
        ]
        if not columns:
            continue
        for row in db.session.execute(sa.select(*columns)):
            for value in row:
                leaves(value)
    return values


@pytest.fixture
def fast_hashing(monkeypatch):
    """Hash demo passwords with a cheap method: scrypt costs ~0.4 s per account here."""
    monkeypatch.setattr(
        user_model,
        "generate_password_hash",
        lambda password: generate_password_hash(password, method="pbkdf2:sha256:1000"),
    )


def _event_values(event: Event, participant: User) -> dict:
    """URL values naming the event's objects: the most telling of each kind."""
    legs = db.session.scalars(
        sa.select(Leg).filter_by(event_id=event.id).order_by(Leg.mode != LegMode.FERRY)
    ).all()
    delegations = db.session.scalars(
        sa.select(Delegation).filter_by(event_id=event.id).order_by(Delegation.id)
    ).all()
    delegate = db.session.scalars(
        sa.select(Delegate)
        .filter_by(event_id=event.id)
        .order_by(Delegate.person_id != participant.person_id, Delegate.id)
    ).first()
    item = db.session.scalars(
        sa.select(AgendaItem).filter_by(event_id=event.id).order_by(AgendaItem.id)
    ).first()
    chapter = next(
        (d for d in delegations if d.region and d.region.code in ("19.01", "32.75")),
        delegations[0] if delegations else None,
    )
    values = {
        "event_id": event.id,
        "day": event.starts_on.isoformat(),
        "delegation_id": chapter.id if chapter else 0,
        "delegate_id": delegate.id if delegate else 0,
        "item_id": item.id if item else 0,
        "leg_id": legs[0].id if legs else 0,
        "trip_id": legs[0].trip_id if legs else 0,
        "vehicle_id": legs[0].vehicles[0].id if legs and legs[0].vehicles else 0,
    }
    stay = db.session.scalars(
        sa.select(Stay).filter_by(event_id=event.id).order_by(Stay.id)
    ).first()
    values["stay_id"] = stay.id if stay else 0
    values["room_id"] = stay.rooms[0].id if stay and stay.rooms else 0
    return values


def _book_rooms(event: Event) -> None:
    """A hotel night with rooms and beds given (the demo data has no stays yet)."""
    from planner.services.rooms import add_rooms, auto_assign_rooms, create_stay

    stay = create_stay(
        event,
        data={
            "new_place_name": "Hotel Uji Bahasa",
            "check_in_on": event.starts_on,
            "check_out_on": event.ends_on,
        },
    )
    add_rooms(stay, data={"room_type": "twin", "count": 30, "rate": 400_000})
    auto_assign_rooms(event)


@pytest.fixture
def demo(app_ctx, fast_hashing):
    """The demo data: the PGK–JKT tour, the Bekasi bimtek, the rakor, their people."""
    load_demo()
    db.session.commit()
    _book_rooms(
        db.session.execute(
            sa.select(Event).filter_by(slug="tour-studi-pgk-jkt-2024")
        ).scalar_one()
    )
    db.session.commit()
    participant = db.session.execute(
        sa.select(User).filter_by(email="peserta@rombongan.test")
    ).scalar_one()
    assert participant.person is not None
    events = db.session.scalars(
        sa.select(Event).order_by(Event.slug != "tour-studi-pgk-jkt-2024", Event.id)
    ).all()
    tour = _event_values(events[0], participant)
    assert all(tour.values()), tour  # the tour has one of everything
    tour_legs = db.session.scalars(sa.select(Leg).filter_by(event_id=events[0].id))
    assert {leg.mode for leg in tour_legs} >= {LegMode.ROAD, LegMode.FERRY}
    common = {
        "place_id": db.session.scalar(sa.select(sa.func.min(Place.id))),
        "person_id": participant.person_id,
        "user_id": db.session.scalar(
            sa.select(User.id).filter_by(email="ketua.bangka@rombongan.test")
        ),
        "code": "19",
    }
    counts = {
        model.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(model))
        for model in (Event, Delegation, Delegate, Trip, Leg, Person, Place, AgendaItem)
    }
    assert all(counts.values()), counts
    return {
        "events": [
            {**common, **_event_values(e, participant), "slug": e.slug} for e in events
        ],
        "data": Data(_stored_text()),
    }


def _urls(app, values) -> list[str]:
    """Every GET page of the app with these values, downloads in every format."""
    urls = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint.endswith("static") or "GET" not in rule.methods:
            continue
        if rule.endpoint == "auth.logout" or SKIPPED_ARGUMENTS & rule.arguments:
            continue
        if rule.rule.endswith(".ics"):
            continue  # calendars: the iCal tests read them in each language
        url = rule.rule
        formats = [None]
        for arg in rule.arguments:
            if arg == "fmt":
                formats = ["csv", "xlsx", "pdf"]
                continue
            if not values[arg]:
                break  # this event has none of these
            url = re.sub(rf"<(?:[^<>]*:)?{arg}>", str(values[arg]), url)
        else:
            urls.extend(re.sub(r"<(?:[^<>]*:)?fmt>", f, url) for f in formats if f)
            if formats == [None]:
                urls.append(url)
    urls.extend(extra.format(**values) for extra in EXTRA)
    return urls


def _download_text(response) -> str | None:
    """The words a download shows people, or None for a page that is not read."""
    mimetype = response.mimetype
    body = response.get_data()
    if mimetype == "text/html":
        return page_text(body.decode())
    if mimetype == "text/csv":
        lines = body.decode("utf-8-sig").splitlines()
        header = next(csv.reader(lines[:1]), [])
        return "\n".join(header)
    if mimetype.endswith("spreadsheetml.sheet"):
        book = load_workbook(io.BytesIO(body), read_only=True)
        cells = []
        for sheet in book.worksheets:
            cells.append(sheet.title)
            for row in sheet.iter_rows(max_row=12, values_only=True):
                cells.extend(str(v) for v in row if isinstance(v, str))
        return "\n".join(cells)
    if mimetype == "application/pdf":
        reader = PdfReader(io.BytesIO(body))
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    return None


def _english_client(app, email: str, password: str):
    """Signed in with English chosen before, as on the sign-in page's switch."""
    app.test_client_class = IsolatedClient
    client = app.test_client()
    response = client.post("/language", data={"lang": "en", "next": "/auth/login"})
    assert response.status_code == 302
    response = client.post("/auth/login", data={"email": email, "password": password})
    assert response.status_code == 302, email
    return client


ACCOUNTS = {a.email: a.password for a in DEMO_ACCOUNTS}


# The words on a page do not depend on the database: SQLite only (the walk is heavy).
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    ("email", "every_event", "at_least"),
    [
        ("panitia@rombongan.test", True, 120),
        ("admin@rombongan.test", False, 50),
        ("ketua.bangka@rombongan.test", False, 15),
        ("peserta@rombongan.test", False, 8),
    ],
)
def test_every_page_is_english(app, demo, email, every_event, at_least):
    """Every page the account can open, in English, with data left out."""
    client = _english_client(app, email, ACCOUNTS[email])
    urls = list(
        dict.fromkeys(
            url
            for values in demo["events"][: None if every_event else 1]
            for url in _urls(app, values)
        )
    )
    problems: list[str] = []
    read = 0
    for url in urls:
        response = client.get(url)
        if response.status_code != 200:
            continue
        text = _download_text(response)
        if text is None:
            continue
        read += 1
        if response.mimetype == "text/html":
            assert '<html lang="en"' in response.get_data(as_text=True), url
        for word in demo["data"].words(text):
            problems.append(f"{url} ({response.mimetype}): {word}")
    assert read >= at_least, f"only {read} pages read"
    assert not problems, f"{len(problems)} Indonesian words:\n" + "\n".join(problems)


def test_the_search_leaves_out_data_but_not_the_interface():
    """Stored values go (wrapped by a PDF, cut short by a page); interface words stay."""
    data = Data({"Pelabuhan Tanjung Kalian (Muntok)", "Berangkat", "Doa syukur"})
    html = (
        "<p>Ferry from Pelabuhan Tanjung\nKalian (Muntok) to Pelabuhan Tanjung K…</p>"
        '<p title="Hapus">Prayer: Doa syukur</p><p>Berangkat</p>'
        '<p lang="id">daftar hadir</p><script>var jam = 1;</script>'
    )
    found = data.words(page_text(html))
    assert [f.split()[0] for f in found] == ["'Berangkat'", "'Hapus'"]
