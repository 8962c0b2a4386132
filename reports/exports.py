"""The dashboard's tables as files: CSV (UTF-8 with a byte-order mark, so Excel reads the diacritics;
one section after another) and XLSX (one sheet per section) with Vietnamese headers whatever the page's
language (provinces file their reports in Vietnamese). The numbers are the page's: all are built from one
reports.summary.Summary and one reports.details.Details."""

import csv
import io

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from ocop_hub.spreadsheet import formula_safe
from reports.details import Details
from reports.figures import STARS
from reports.figures_activity import EVENT_KINDS
from reports.summary import Summary

ROWS_HEADING = {
    "province": lambda: _("Province"),
    "commune": lambda: _("Commune"),
    "category": lambda: _("Criteria set"),
}


def table_rows(s: Summary) -> list[list]:
    """Header, one line per area (or criteria set), a total line, then the headline figures."""
    header = [ROWS_HEADING[s.rows_by](), _("Code")] + [_("%(stars)s stars") % {"stars": n} for n in STARS]
    header.append(_("Total"))
    lines: list[list] = [header]
    lines += [[r.label, r.key, *r.per_star, r.total] for r in s.rows]
    lines.append([_("Total"), "", *[s.per_star[n] for n in STARS], s.current])
    lines.append([])
    lines += [
        [_("Area"), s.area.name],
        [_("Reference date"), s.on.isoformat()],
        [_("Current OCOP products"), s.current],
        [_("Communes with at least one current product"), s.communes],
        [_("Potential next star"), s.potential_total],
        [
            _("Products first certified in %(first)s–%(last)s") % {"first": s.period[0], "last": s.period[1]},
            s.first_certified,
        ],
        [
            _("Certification decisions in %(first)s–%(last)s") % {"first": s.period[0], "last": s.period[1]},
            s.certifications,
        ],
        [_("Products recognised since %(year)s") % {"year": s.since_year}, s.recognised_since_total],
        [_("Expired and not re-evaluated"), s.expired_not_reevaluated],
        [_("Expiring in the next 90 days"), s.expiring],
        [_("Re-evaluation due"), s.reevaluation_due],
    ]
    for a in s.targets:
        lines.append(
            [
                _("%(kind)s %(first)s–%(last)s: achieved / target")
                % {
                    "kind": a.target.get_kind_display(),
                    "first": a.target.start_year,
                    "last": a.target.end_year,
                },
                f"{a.achieved} / {a.target.value}",
                f"{a.percent}%",
            ]
        )
    return lines


def sections(s: Summary, d: Details | None) -> list[tuple[str, list[list]]]:
    """(title, lines) per table: the products table with the headline figures, then, with the details,
    certificate events per year, certificates ending per month, recognitions, export markets, scans per
    product and month and demand against capacity (when the reader may see it)."""
    out: list[tuple[str, list[list]]] = [(_("OCOP products"), table_rows(s))]
    if d is None:
        return out
    out.append(
        (
            _("Certificate events"),
            [
                [
                    _("Year"),
                    _("Issued"),
                    _("Renewed"),
                    _("Upgraded"),
                    _("Downgraded"),
                    _("Revoked"),
                    _("Lapsed"),
                ]
            ]
            + [[year, *(kinds[k] for k in EVENT_KINDS)] for year, kinds in s.events.items()],
        )
    )
    out.append(
        (
            _("Certificates ending"),
            [[_("Month"), _("Current products whose certificate ends")]]
            + [[month.strftime("%m/%Y"), n] for month, n in d.expiring_months],
        )
    )
    out.append(
        (
            _("Other recognitions"),
            [[_("Recognition"), _("Valid on the reference date")], *map(list, d.recognitions)],
        )
    )
    out.append(
        (
            _("Export markets"),
            [[_("Export market"), _("Current OCOP products")], *map(list, d.export_markets)],
        )
    )
    out.append(
        (
            _("Scans"),
            [[_("Month"), _("Code"), _("Product"), _("Scans"), _("Visitor-days")]]
            + [[r.month.strftime("%m/%Y"), r.product_id, r.name, r.scans, r.visitor_days] for r in d.scans],
        )
    )
    if d.demand is not None:
        header = [
            _("Product type"),
            _("Unit"),
            _("Inquiries"),
            _("Quantity asked"),
            _("Accepted"),
            _("Unmet"),
            _("Declared capacity"),
        ]
        lines: list[list] = [header]
        rows = [(r.category.name_vi, r) for r in d.demand.rows] + [(_("Total"), t) for t in d.demand.totals]
        for label, r in rows:
            quantities = (round(v) for v in (r.demanded, r.accepted, r.unmet, r.capacity))
            lines.append([label, r.unit, r.inquiries, *quantities])
        out.append((_("Demand and capacity"), lines))
    return out


def as_csv(s: Summary, d: Details | None = None) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for index, (title, lines) in enumerate(sections(s, d)):
        if index:
            writer.writerow([])
            writer.writerow([title])
        for line in lines:
            writer.writerow([formula_safe(value) for value in line])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def as_xlsx(s: Summary, d: Details | None = None) -> bytes:
    with translation.override("vi"):
        tables = sections(s, d)
    book = Workbook()
    for index, (title, lines) in enumerate(tables):
        sheet = book.active if index == 0 else book.create_sheet()
        sheet.title = title[:31]
        for line in lines:
            sheet.append([formula_safe(value) for value in line])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.column_dimensions["A"].width = 48
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
