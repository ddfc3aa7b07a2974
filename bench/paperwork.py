"""Paperwork cases (issue 13): 500 certificates in one PDF and the daily-allowance
payment sheet of 5,000 rows, each timed over HTTP and as the builder alone, in turns,
against bare fpdf2 doing the same drawing (the ratio).

- Certificates: the bare side draws every page the builder draws, with the same texts
  in the same fonts and sizes at the same places (wrapped and centred before timing,
  as the roster baselines are), the two frames, the signature image and the same QR
  code: encoded by segno from the same address, written as a PNG of one pixel per
  module and placed with ``image()`` — the fastest way found with fpdf2's own calls
  (0.65 ms a page, against 1.7 ms for a PNG at six pixels per module and 1.5 ms for
  one ``rect()`` per run of dark modules). The builder draws the modules as one
  vector path instead. Encoding the QR codes (segno's mask search) is work both sides
  must do; its share is printed on the line.
- Payment sheet: :func:`bench.rosters.bare_pdf` with the signature spaces, as for the
  daftar hadir: the same text lines, row rules and dotted signature lines.

The data are made here with bulk inserts into two events of their own: 500 delegates
who attended with their certificates and a template (with a signature image), and
5,000 confirmed delegates in an event whose budget names its province (so the daily
allowance has its SBM rate) and its signatories.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import segno
from flask import Flask, url_for
from flask.testing import FlaskClient
from fpdf import FPDF
from PIL import Image
from sqlalchemy import Engine, insert, select, update

from bench.generate import BenchData
from bench.measure import NAME_WIDTH, in_turns, measure
from bench.rosters import TURNS, _event, _fill, bare_pdf, ratio_line
from planner.extensions import db
from planner.models import (
    AllowanceKind,
    Budget,
    Certificate,
    CertificateTemplate,
    Delegate,
    DelegateStatus,
    Event,
    Person,
    Region,
)
from planner.models.paperwork import new_verification_code

NAMES = ("certificates_pdf_500", "payments_pdf_5k")
#: Goal of issue 13: builder time over bare fpdf2's.
PDF_GOAL = 1.5
CERTIFICATES = 500
PAYMENT_ROWS = 5_000
#: Mirrors of the certificate layout (planner/exports/paperwork/certificates.py).
_QR_SIZE, _BLOCK = 32, 90


@dataclass
class PaperworkData:
    certificate_event_id: int
    certificates: int
    payment_event_id: int
    payment_rows: int


def _signature_png() -> bytes:
    """A small signature-like image (what organisers upload: a scanned signature)."""
    image = Image.new("L", (300, 120), 255)
    for x in range(20, 280):
        y = 60 + int(30 * ((x % 60) - 30) / 30) * (1 if x % 120 < 60 else -1)
        for dy in range(-2, 3):
            image.putpixel((x, max(0, min(119, y + dy))), 20)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def prepare(app: Flask, data: BenchData) -> PaperworkData:
    """Make both events, the certificates and the budget; commit."""
    with app.app_context():
        session = db.session
        regions = {i: n for i, n in session.execute(select(Region.id, Region.name))}
        people = list(
            session.execute(select(Person.id, Person.region_id).order_by(Person.id))
        )
        org = data.organiser_id

        cert_event = _event(
            session, org, "Bimtek PSM Baru (uji sertifikat)", "bench-sert"
        )
        _fill(session, cert_event, people[:CERTIFICATES], regions)
        session.execute(
            update(Delegate)
            .where(Delegate.event_id == cert_event)
            .values(status=DelegateStatus.ATTENDED)
        )
        session.execute(
            insert(CertificateTemplate),
            [
                {
                    "event_id": cert_event,
                    "title": "Sertifikat",
                    "number_pattern": "005/{n}/DINSOS/{roman_month}/{year}",
                    "lesson_hours": 32,
                    "signatory_name": "Drs. Budi Santoso, M.Si.",
                    "signatory_position": "Kepala Bidang Pemberdayaan Sosial "
                    "Dinas Sosial Provinsi DKI Jakarta",
                    "signatory_nip": "197501012000031001",
                    "signature_image": _signature_png(),
                    "signature_mime": "image/png",
                }
            ],
        )
        delegates = session.scalars(
            select(Delegate.id)
            .where(Delegate.event_id == cert_event)
            .order_by(Delegate.id)
        ).all()
        ends_on = session.scalar(select(Event.ends_on).where(Event.id == cert_event))
        session.execute(
            insert(Certificate),
            [
                {
                    "event_id": cert_event,
                    "delegate_id": delegate_id,
                    "sequence": n,
                    "number": f"005/{n}/DINSOS/III/{ends_on.year}",
                    "code": new_verification_code(),
                }
                for n, delegate_id in enumerate(delegates, start=1)
            ],
        )

        pay_event = _event(
            session, org, "Rakor PSM (uji daftar penerimaan)", "bench-spj"
        )
        _fill(session, pay_event, people[:PAYMENT_ROWS], regions)
        year = session.scalar(select(Event.starts_on).where(Event.id == pay_event)).year
        from planner.services.paperwork.rates import default_year

        session.execute(
            insert(Budget),
            [
                {
                    "event_id": pay_event,
                    "fiscal_year": default_year(year),
                    "allowance_kind": AllowanceKind.OUT_OF_TOWN,
                    "province_code": "31",
                    "treasurer_name": "Siti Rahmawati, S.E.",
                    "treasurer_nip": "198001012005012001",
                    "official_name": "Drs. Budi Santoso, M.Si.",
                    "official_position": "Pejabat Pembuat Komitmen",
                    "official_nip": "197501012000031001",
                    "signing_place": "Jakarta",
                }
            ],
        )
        session.commit()
        return PaperworkData(
            cert_event, len(delegates), pay_event, min(len(people), PAYMENT_ROWS)
        )


# The certificates drawn with bare fpdf2 ---------------------------------------------


@dataclass(frozen=True)
class BarePage:
    """One certificate page: its texts as (style, size, runs of (x, baseline, text)),
    the address its QR code encodes, and where the signature image goes."""

    texts: tuple[tuple[str, float, tuple[tuple[float, float, str], ...]], ...]
    url: str
    signature_at: tuple[float, float] | None


def certificate_pages(views, template, verify_url) -> list[BarePage]:
    """Where the builder puts each text of each certificate, computed once with
    fpdf2's own measuring and wrapping (``multi_cell(dry_run=True)``), so the bare
    side only draws. Mirrors ``planner/exports/paperwork/certificates.py``."""
    from flask_babel import gettext as _

    from planner.exports.pdf import BASELINE, FONT, Document
    from planner.formatting.plain import format_date_range

    # The builder's page (margins, cell padding), only measured in, never output.
    pdf = Document("L")
    pdf.add_page()
    left, width, h = pdf.l_margin, pdf.w - 2 * pdf.l_margin, pdf.h

    def centred(style, size, text, y, height, x=left, w=width):
        """A line placed as cell(w, height, text, align="C") at y."""
        pdf.set_font(FONT, style, size)
        baseline = y + height / 2 + BASELINE * pdf.font_size
        return (x + (w - pdf.get_string_width(text)) / 2, baseline, text)

    def wrapped(style, size, text, y, height, x=left, w=width):
        """The lines of multi_cell(w, height, text, align="C") and the y below."""
        pdf.set_font(FONT, style, size)
        lines = pdf.multi_cell(w, height, text, dry_run=True, output="LINES")
        placed = []
        for line in lines:
            placed.append(centred(style, size, line, y, height, x, w))
            y += height
        return tuple(placed), y

    pages = []
    for view in views:
        texts = []
        y = 24
        texts.append(("B", 30, (centred("B", 30, template.title.upper(), y, 14),)))
        y += 14
        number = _("Nomor: %(number)s", number=view.number)
        texts.append(("", 11, (centred("", 11, number, y, 6),)))
        y += 6 + 8
        run = [centred("", 11, _("diberikan kepada"), y, 6)]
        texts.append(("", 11, tuple(run)))
        y += 6 + 2
        name, y = wrapped("B", 22, view.name, y, 11)
        texts.append(("B", 22, name))
        body = _(
            "atas partisipasinya sebagai peserta %(event)s yang diselenggarakan oleh "
            "%(body)s pada %(dates)s",
            event=view.event_title,
            body=view.organiser_body,
            dates=format_date_range(*view.dates),
        )
        if view.lesson_hours:
            body += " " + _("sebanyak %(hours)s jam pelajaran", hours=view.lesson_hours)
        regular_12 = []
        if view.delegation:
            regular_12.append(centred("", 12, view.delegation, y, 6))
            y += 6
        y += 5
        lines, y = wrapped("", 12, body + ".", y, 6.5, left + 20, width - 40)
        texts.append(("", 12, tuple(regular_12) + lines))
        x = pdf.w - pdf.r_margin - _BLOCK - 8
        y = h - 68
        position, top = wrapped("", 11, template.signatory_position, y, 5.5, x, _BLOCK)
        texts.append(("", 11, position))
        signer = centred("B", 11, template.signatory_name, top + 21, 5.5, x, _BLOCK)
        texts.append(("B", 11, (signer,)))
        if template.signatory_nip:
            nip = _("NIP. %(nip)s", nip=template.signatory_nip)
            texts.append(("", 10, (centred("", 10, nip, top + 26.5, 5, x, _BLOCK),)))
        url = verify_url(view.code)
        pdf.set_font(FONT, "", 7.5)
        check = _("Periksa keaslian: %(url)s", url=url)
        baseline = h - 25 + 2 + BASELINE * pdf.font_size
        texts.append(("", 7.5, ((left + 8 + pdf.c_margin, baseline, check),)))
        signature = (x + _BLOCK / 2 - 20, top + 1) if template.signature_image else None
        pages.append(BarePage(tuple(texts), url, signature))
    pdf.close_fonts()
    return pages


def bare_certificates(pages: list[BarePage], signature: bytes | None) -> bytes:
    """fpdf2 drawing the certificate pages: frames with ``rect()``, texts with
    ``text()``, the QR code (segno, PNG) and the signature with ``image()``."""
    from planner.exports.pdf import FONT, font_files

    pdf = FPDF(orientation="L", unit="mm", format="A4")
    for style in ("", "B"):
        pdf.add_font(FONT, style, str(font_files()[style]))
    pdf.set_auto_page_break(False)
    w, h = pdf.w, pdf.h
    text, set_font = pdf.text, pdf.set_font
    for page in pages:
        pdf.add_page()
        pdf.set_draw_color(90, 90, 90)
        pdf.set_line_width(1.2)
        pdf.rect(8, 8, w - 16, h - 16)
        pdf.set_line_width(0.3)
        pdf.rect(11, 11, w - 22, h - 22)
        for style, size, placed in page.texts:
            set_font(FONT, style, size)
            for x, y, value in placed:
                text(x, y, value)
        if page.signature_at is not None:
            sx, sy = page.signature_at
            pdf.image(
                io.BytesIO(signature), x=sx, y=sy, h=18, w=40, keep_aspect_ratio=True
            )
        qr = io.BytesIO()
        segno.make(page.url, error="m", micro=False).save(
            qr, kind="png", scale=1, border=2
        )
        qr.seek(0)
        pdf.image(qr, x=20, y=h - 58, w=_QR_SIZE)
    return bytes(pdf.output())


def _encode_qr_codes(urls: list[str]) -> None:
    """Only the QR encoding both sides do (segno), for its share of their time."""
    for url in urls:
        segno.make(url, error="m", micro=False)


def run(
    app: Flask,
    client: FlaskClient,
    engine: Engine,
    data: BenchData,
    repeat: int,
    only: str | None = None,
) -> list[str]:
    """The report lines of the paperwork cases (``only``: one of :data:`NAMES`)."""
    from planner.exports.paperwork.certificates import certificates_pdf
    from planner.exports.paperwork.payments import (
        ROW_HEIGHT,
        _columns,
        payments_pdf,
        row_cells,
    )
    from planner.exports.pdf import Document, Table
    from planner.services.paperwork.certificates import (
        certificate_template,
        event_certificates,
    )
    from planner.services.paperwork.payments import PaymentKind, payment_sheet

    pd = prepare(app, data)
    heavy = max(1, min(repeat, 3))
    turns = max(1, min(repeat, TURNS))
    wanted = [only] if only else list(NAMES)
    lines = []

    def page(name: str, path: str) -> tuple[str | None, str | None]:
        probe = client.get(path)
        if probe.status_code != 200 or probe.mimetype != "application/pdf":
            where = probe.headers.get("Location", "")
            return None, (
                f"{name:<{NAME_WIDTH}} skipped (FAILED: HTTP {probe.status_code}"
                f" at {path} {where})".rstrip()
            )
        return measure(
            name, lambda: client.get(path), repeat=heavy, warmup=0, engine=engine
        ).line(), None

    if "certificates_pdf_500" in wanted:
        name = "certificates_pdf_500"
        line, failed = page(
            name, f"/events/{pd.certificate_event_id}/paperwork/certificates.pdf"
        )
        if failed:
            lines.append(failed)
        else:
            with app.test_request_context():
                event = db.session.get(Event, pd.certificate_event_id)
                template = certificate_template(event)
                views = event_certificates(event)

                def verify_url(code: str) -> str:
                    return url_for("verify.show", code=code, _external=True)

                pages = certificate_pages(views, template, verify_url)
                urls = [p.url for p in pages]
                texts = sum(len(run) for p in pages for _s, _z, run in p.texts)
                times = in_turns(
                    {
                        "builder": lambda: certificates_pdf(
                            views, template, verify_url
                        ),
                        "bare fpdf2": lambda: bare_certificates(
                            pages, template.signature_image
                        ),
                        "QR encoding": lambda: _encode_qr_codes(urls),
                    },
                    repeat=turns,
                )
            lines.append(
                ratio_line(
                    f"{line}  certificates {len(views):,}",
                    times,
                    "builder",
                    "bare fpdf2",
                    PDF_GOAL,
                )
                + f"  [both: {len(urls):,} QR codes encoded by segno,"
                f" {times['QR encoding']:.0f} ms of each; bare: the same"
                f" {texts:,} texts placed before timing, drawn with text(), frames"
                " with rect(), QR as a 1-pixel-per-module PNG with image(), the"
                " signature image, regular and bold fonts; builder also: measures,"
                " wraps and centres every text, the QR as a vector path, the DICABUT"
                " mark when revoked, page labels]"
            )

    if "payments_pdf_5k" in wanted:
        name = "payments_pdf_5k"
        line, failed = page(
            name,
            f"/events/{pd.payment_event_id}/paperwork/payments.pdf?kind=allowance",
        )
        if failed:
            lines.append(failed)
        else:
            with app.test_request_context():
                event = db.session.get(Event, pd.payment_event_id)
                sheet = payment_sheet(event, PaymentKind.ALLOWANCE)
                columns = _columns()
                # The lines the builder draws in each cell, wrapped as it wraps them.
                table = Table(Document(), columns, row_height=ROW_HEIGHT)
                rows = []
                for n, row in enumerate(sheet.rows, start=1):
                    cells = table.cell_lines(row_cells(n, row))
                    rows.append((table.height_of(cells), cells))
                table.pdf.close_fonts()
                texts = sum(len(x) for _, cells in rows for x in cells) + len(rows)
                widths = [c.width for c in columns]
                times = in_turns(
                    {
                        "builder": lambda: payments_pdf(sheet),
                        "bare fpdf2": lambda: bare_pdf(rows, widths, signatures=True),
                    },
                    repeat=turns,
                )
            lines.append(
                ratio_line(
                    f"{line}  rows {len(sheet.rows):,}",
                    times,
                    "builder",
                    "bare fpdf2",
                    PDF_GOAL,
                )
                + f"  [bare: the same {texts:,} text lines, row rules and dotted"
                " signature lines with text()/line(), regular font only; builder"
                " also: measures, wraps and aligns the cells, title block, headings"
                " and running header on every page, the total in figures and in words"
                " (num2words), the signature spaces of the official and the"
                " treasurer with their NIPs, page numbers, the bold font]"
            )
    return lines
