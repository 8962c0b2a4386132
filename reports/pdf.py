"""The dashboard as a printable A4 report (issue 9), in the active language: the headline figures,
targets, the tables and the three charts (reports.pdf_charts), each chart drawn from the rows of the
table under it. Built from one reports.summary.Summary, like the CSV and XLSX exports, so the numbers
are the page's; numbers are localised as the dashboard's template shows them (358,3% in Vietnamese).

Long tables flow over pages with their header repeated (a province can have 100+ communes). Every
string is NFC-normalised and escaped before it reaches a Paragraph (names can contain & < >)."""

import io
from collections.abc import Collection
from datetime import date
from decimal import Decimal
from functools import partial

from django.conf import settings
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import escape
from django.utils.translation import gettext as _
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import HexColor, white
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    LongTable,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    TableStyle,
)

from labels.render import BOLD, REGULAR, fonts_register
from ocop_hub.text import nfc
from reports import pdf_charts
from reports.charts import MAX_BARS, _stars_label
from reports.details import Details
from reports.figures import STARS, StarRow
from reports.summary import Summary, rows_title

MARGIN = 15 * mm
FRAME_W = A4[0] - 2 * MARGIN
INK = HexColor("#1d2321")
MUTED = HexColor("#5b6661")
GREEN = HexColor("#1f6b3a")
RULE = HexColor("#c9d1cd")
STRIPE = HexColor("#f1f4f2")

BODY = ParagraphStyle("body", fontName=REGULAR, fontSize=9, leading=12, textColor=INK)
CELL = ParagraphStyle("cell", parent=BODY, fontSize=8, leading=10)
HEAD = ParagraphStyle("head", parent=CELL, fontName=BOLD, textColor=white)
MUTED_TEXT = ParagraphStyle("muted", parent=BODY, fontSize=8, textColor=MUTED)
TITLE = ParagraphStyle(
    "title", parent=BODY, fontName=BOLD, fontSize=16, leading=20, textColor=GREEN, spaceAfter=4
)
RIGHT = ParagraphStyle("right", parent=CELL, alignment=2)
HEAD_RIGHT = ParagraphStyle("head-right", parent=HEAD, alignment=2)
HEADING = ParagraphStyle(
    "heading", parent=BODY, fontName=BOLD, fontSize=11.5, leading=15, spaceBefore=10, spaceAfter=4
)


def _p(text: object, style: ParagraphStyle = CELL) -> Paragraph:
    return Paragraph(escape(nfc(str(text))), style)


def _day(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _cell(value: object, style: ParagraphStyle) -> Paragraph:
    return _p(localize(value) if isinstance(value, int | Decimal) else value, style)


def _table(
    header: list[str] | None, lines: list[list[object]], widths: list[float], *, right: Collection[int] = ()
) -> LongTable:
    """A table that flows over pages with its header (if any) repeated on each; the `right` columns
    (numbers) aligned right, localised as the dashboard shows them."""
    data = []
    if header:
        data.append([_p(h, HEAD_RIGHT if i in right else HEAD) for i, h in enumerate(header)])
    data += [[_cell(v, RIGHT if i in right else CELL) for i, v in enumerate(line)] for line in lines]
    table = LongTable(data, colWidths=widths, repeatRows=1 if header else 0)
    first = 1 if header else 0
    style = [
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),  # the cells' default, Helvetica, would be named on each page
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), GREEN))
    style += [("BACKGROUND", (0, i), (-1, i), STRIPE) for i in range(first + 1, len(data), 2)]
    table.setStyle(TableStyle(style))
    return table


def _star_table(first: str, rows: list[StarRow], label) -> LongTable:
    header = [first, *[_stars_label(n) for n in STARS], _("Total")]
    lines: list[list[object]] = [[label(r), *r.per_star, r.total] for r in rows]
    lines.append(
        [_("Total"), *[sum(r.stars.get(n, 0) for r in rows) for n in STARS], sum(r.total for r in rows)]
    )
    number_w = 22 * mm
    return _table(header, lines, [FRAME_W - 4 * number_w, *[number_w] * 4], right={1, 2, 3, 4})


def _chart(title: str, drawing: Drawing | None, empty: str, note: str = "") -> list[Flowable]:
    """A heading and its chart kept on one page; the dashboard's sentence when nothing is drawn."""
    parts: list[Flowable] = [_p(title, HEADING)]
    parts.append(drawing if drawing is not None else _p(empty, MUTED_TEXT))
    if note:
        parts.append(_p(note, MUTED_TEXT))
    parts.append(Spacer(1, 4))
    return [KeepTogether(parts)]


def _headline(s: Summary) -> list[list[object]]:
    period = {"first": s.period[0], "last": s.period[1]}
    return [
        [_("Current OCOP products"), s.current],
        *[[_stars_label(n), count] for n, count in s.per_star.items()],
        [_("Communes with at least one current product"), s.communes],
        [_("Potential next star"), s.potential_total],
        [_("Products first certified in %(first)s–%(last)s") % period, s.first_certified],
        [_("Certification decisions in %(first)s–%(last)s") % period, s.certifications],
        [_("Products recognised since %(year)s") % {"year": s.since_year}, s.recognised_since_total],
        [_("Expired and not re-evaluated"), s.expired_not_reevaluated],
        [_("Expiring in the next 90 days"), s.expiring],
        [_("Re-evaluation due"), s.reevaluation_due],
    ]


def _footer(canvas: Canvas, doc, *, area: str) -> None:
    canvas.saveState()
    canvas.setFont(REGULAR, 7.5)
    canvas.setFillColor(MUTED)
    canvas.drawString(MARGIN, 9 * mm, nfc(_("OCOP report: %(name)s") % {"name": area}))
    canvas.drawRightString(A4[0] - MARGIN, 9 * mm, nfc(_("Page %(page)s") % {"page": doc.page}))
    canvas.restoreState()


def _story(s: Summary, d: Details, generated: date) -> list[Flowable]:
    story: list[Flowable] = [
        _p(_("OCOP report: %(name)s") % {"name": s.area.name}, TITLE),
        *[
            _p(f"{label}: {value}", BODY)
            for label, value in (
                (_("Reference date"), _day(s.on)),
                (_("Period"), f"{s.period[0]}–{s.period[1]}"),
                (_("Generated on"), _day(generated)),
            )
        ],
        _p(_("Each chart draws the numbers of the table under it."), MUTED_TEXT),
        _p(_("Headline figures"), HEADING),
        _table(None, _headline(s), [FRAME_W - 30 * mm, 30 * mm], right={1}),
    ]
    if s.targets:
        story.append(_p(_("Targets"), HEADING))
        lines = [
            [
                a.target.get_kind_display(),
                f"{a.target.start_year}–{a.target.end_year}",
                a.achieved,
                a.target.value,
                f"{localize(a.percent)}%",  # 358,3% in Vietnamese, as on the dashboard
                a.target.source,
            ]
            for a in s.targets
        ]
        widths = [46 * mm, 22 * mm, 20 * mm, 18 * mm, 18 * mm]
        story.append(
            _table(
                [_("Target"), _("Period"), _("Achieved"), _("Target"), "%", _("Source decision")],
                lines,
                [*widths, FRAME_W - sum(widths)],
                right={2, 3, 4},
            )
        )

    title = rows_title(s.rows_by)
    note = ""
    if len(s.rows) > MAX_BARS:
        note = _("The chart draws the first %(drawn)s of %(count)s; all of them are in the table.") % {
            "drawn": MAX_BARS,
            "count": len(s.rows),
        }
    story += _chart(
        title,
        pdf_charts.stars_by_area(s.rows, width=FRAME_W),
        _("No current OCOP products on this date: nothing to draw."),
        note,
    )
    if s.rows:
        story.append(_star_table(_("Name"), s.rows, lambda r: r.label))
    story.append(_p(_("Current products by OCOP group"), HEADING))
    if s.groups:
        story.append(_star_table(_("Group"), s.groups, lambda r: f"{r.key}. {r.label}"))
    else:
        story.append(_p(_("No current OCOP products on this date."), MUTED_TEXT))

    story += _chart(
        _("Certificate events per year"),
        pdf_charts.events_per_year(s.events, width=FRAME_W),
        _("No certificate events in these years: nothing to draw."),
    )
    kinds = ("issue", "renewal", "upgrade", "downgrade", "revocation", "lapse")
    story.append(
        _table(
            [_("Year"), _("Issued"), _("Renewed"), _("Upgraded"), _("Downgraded"), _("Revoked"), _("Lapsed")],
            [[str(year), *[k.get(kind, 0) for kind in kinds]] for year, k in s.events.items()],
            [FRAME_W / 7] * 7,
            right=range(1, 7),
        )
    )

    story.append(_p(_("Other recognitions valid on the reference date"), HEADING))
    story.append(_table(None, [list(r) for r in d.recognitions], [FRAME_W - 30 * mm, 30 * mm], right={1}))
    story.append(_p(_("Export markets"), HEADING))
    if d.export_markets:
        story.append(
            _table(
                [_("Export market"), _("Current OCOP products")],
                [list(r) for r in d.export_markets],
                [FRAME_W - 30 * mm, 30 * mm],
                right={1},
            )
        )
    else:
        story.append(_p(_("No current OCOP product has a valid export-market recognition."), MUTED_TEXT))

    months = d.expiring_months
    story += _chart(
        _("Certificates ending in the next 12 months"),
        pdf_charts.expiring_per_month(months, width=FRAME_W),
        _("No certificate of a current product ends in these months: nothing to draw."),
    )
    story.append(
        _table(
            [_("Month"), _("Current products whose certificate ends")],
            [[m.strftime("%m/%Y"), count] for m, count in months],
            [40 * mm, FRAME_W - 40 * mm],
            right={1},
        )
    )
    story += _ending(s, d)
    story += _activity(d)
    return story


def _ending(s: Summary, d: Details) -> list[Flowable]:
    """The certificates ending in the next 90 days, soonest first (the first 50, as on the page)."""
    story: list[Flowable] = [_p(_("Expiring in the next 90 days"), HEADING)]
    if not d.ending:
        return [*story, _p(_("No certificate ends in the next 90 days."), MUTED_TEXT)]
    widths = [FRAME_W - 104 * mm, 56 * mm, 18 * mm, 30 * mm]
    lines = [[c.name or f"#{c.product_id}", c.commune, c.stars, _day(c.valid_until)] for c in d.ending]
    story.append(_table([_("Product"), _("Commune"), _("Stars"), _("Valid until")], lines, widths, right={2}))
    if s.expiring > len(d.ending):
        story.append(
            _p(_("The first %(shown)s of %(n)s.") % {"shown": len(d.ending), "n": s.expiring}, MUTED_TEXT)
        )
    return story


def _activity(d: Details) -> list[Flowable]:
    """Scans per product and month and buyer demand against capacity, over d.months."""
    story: list[Flowable] = [_p(_("Most scanned products (last three months)"), HEADING)]
    if d.scans:
        widths = [22 * mm, FRAME_W - 66 * mm, 22 * mm, 22 * mm]
        lines = [[r.month.strftime("%m/%Y"), r.name, r.scans, r.visitor_days] for r in d.scans]
        story.append(
            _table([_("Month"), _("Product"), _("Scans"), _("Visitor-days")], lines, widths, right={2, 3})
        )
    else:
        story.append(_p(_("No scans recorded in these months."), MUTED_TEXT))
    if d.demand is None:
        return story
    story.append(
        _p(
            _("Buyer demand and declared capacity, %(first)s–%(last)s")
            % {"first": d.months[0].strftime("%m/%Y"), "last": d.months[1].strftime("%m/%Y")},
            HEADING,
        )
    )
    if not d.demand.rows:
        story.append(_p(_("No inquiries and no declared capacity in this period."), MUTED_TEXT))
        return story
    header = [_("Product type"), _("Unit"), _("Inquiries"), _("Quantity asked"), _("Accepted"), _("Unmet")]
    header.append(_("Declared capacity"))
    lines = [
        [
            r.category.name_vi,
            r.unit,
            r.inquiries,
            *(round(v) for v in (r.demanded, r.accepted, r.unmet, r.capacity)),
        ]
        for r in d.demand.rows
    ]
    widths = [FRAME_W - 112 * mm, *[16 * mm] * 5, 32 * mm]
    story.append(_table(header, lines, widths, right={2, 3, 4, 5, 6}))
    return story


def report_pdf(s: Summary, d: Details) -> bytes:
    """The report of `s` and `d` as A4 pages, each with the area and its page number in the footer."""
    fonts_register(str(settings.OCOP_FONT_REGULAR), str(settings.OCOP_FONT_BOLD))
    title = nfc(_("OCOP report: %(name)s") % {"name": s.area.name})
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + 6 * mm,
        title=title,
        author="OCOP Hub",
        # Otherwise every page names the canvas's default Helvetica, unembedded and never used.
        initialFontName=REGULAR,
    )
    footer = partial(_footer, area=s.area.name)
    doc.build(_story(s, d, timezone.localdate()), onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
