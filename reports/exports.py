"""The dashboard's table as files: CSV (UTF-8 with a byte-order mark, so Excel reads the diacritics)
and XLSX with Vietnamese headers whatever the page's language (provinces file their reports in
Vietnamese). The numbers are the page's: both are built from one reports.summary.Summary."""

import csv
import io

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from reports.figures import STARS
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


def as_csv(s: Summary) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for line in table_rows(s):
        writer.writerow(line)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def as_xlsx(s: Summary) -> bytes:
    with translation.override("vi"):
        lines = table_rows(s)
        title = _("OCOP products")
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    for line in lines:
        sheet.append(line)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 48
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
