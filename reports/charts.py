"""The dashboard's charts as server-rendered inline SVG (issue 9): no JavaScript, no library, no inline
style (the CSP forbids it). Each function takes the rows the table next to it shows and draws the same
numbers: every bar carries its value in `data-value`, a <title> (label and value) and a visible <text>.
Every label goes through format_html/escape. Colours: classes styled in reports/static/reports/charts.css,
with the same colours as presentation attributes (all at least 4.5:1 against white)."""

from collections.abc import Sequence
from datetime import date

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from certificates.models import CertificateEvent
from reports.figures import STARS, StarRow

MAX_BARS = 40
WIDTH = 720
LABEL_CHARS = 28

# Dark enough for white text on them and for 3:1 against the white page (WCAG 1.4.11).
STAR_FILLS = {3: "#2b6a99", 4: "#8a5a00", 5: "#6b3fa0"}
EVENT_FILLS: dict[str, str] = {
    CertificateEvent.Kind.ISSUE.value: "#1f6f43",
    CertificateEvent.Kind.RENEWAL.value: "#2b6a99",
    CertificateEvent.Kind.UPGRADE.value: "#6b3fa0",
    CertificateEvent.Kind.DOWNGRADE.value: "#8a5a00",
    CertificateEvent.Kind.REVOCATION.value: "#a8261d",
    CertificateEvent.Kind.LAPSE.value: "#4f5a55",
}
EXPIRING_FILL = "#8a5a00"


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def _empty(sentence: str, testid: str) -> SafeString:
    return format_html('<p class="empty chart-empty" data-testid="{}">{}</p>', testid, sentence)


def _stars_label(n: int) -> str:
    return _("%(stars)s stars") % {"stars": n}


def _legend(items: Sequence[tuple[str, str, str, str]], y: int) -> SafeString:
    """(css class, fill, text, data attribute value) per series, in a row at `y`."""
    parts = []
    x = 0
    for css, fill, text, key in items:
        parts.append(
            format_html(
                '<g class="legend-item" data-series="{}"><rect class="{}" fill="{}" x="{}" y="{}" width="12" '
                'height="12"></rect><text class="chart-label" x="{}" y="{}">{}</text></g>',
                key,
                css,
                fill,
                x,
                y,
                x + 16,
                y + 10,
                text,
            )
        )
        x += 16 + 7 * len(text) + 18
    return format_html_join("", "{}", ((p,) for p in parts))


def stars_by_area(rows: Sequence[StarRow], *, title: str, limit: int = MAX_BARS) -> SafeString:
    """A horizontal stacked bar per row (3★/4★/5★), the first `limit` rows of the table (largest
    first); a note says when the others are only in the table."""
    if not rows:
        return _empty(_("No current OCOP products on this date: nothing to draw."), "chart-areas-empty")
    drawn = list(rows[:limit])
    totals = {n: sum(r.stars.get(n, 0) for r in rows) for n in STARS}
    label_w, total_w, bar_h, gap, top = 200, 48, 18, 6, 30
    plot_w = WIDTH - label_w - total_w
    biggest = max(r.total for r in drawn) or 1
    height = top + len(drawn) * (bar_h + gap) + 4
    legend = _legend(
        [(f"s{n}", STAR_FILLS[n], f"{_stars_label(n)}: {totals[n]}", str(n)) for n in STARS],
        4,
    )
    bars = []
    for i, row in enumerate(drawn):
        y = top + i * (bar_h + gap)
        x: float = label_w
        segments = []
        for n in STARS:
            value = row.stars.get(n, 0)
            if not value:
                continue
            w = max(1.0, round(value * plot_w / biggest, 1))
            name = _("%(label)s, %(stars)s: %(value)s") % {
                "label": row.label,
                "stars": _stars_label(n),
                "value": value,
            }
            segments.append(
                format_html(
                    '<rect class="bar s{}" fill="{}" x="{}" y="{}" width="{}" height="{}" data-star="{}" '
                    'data-value="{}"><title>{}</title></rect>',
                    n,
                    STAR_FILLS[n],
                    x,
                    y,
                    w,
                    bar_h,
                    n,
                    value,
                    name,
                )
            )
            if w >= 8 * len(str(value)) + 6:
                segments.append(
                    format_html(
                        '<text class="chart-value-in" x="{}" y="{}" text-anchor="middle" '
                        'fill="#fff">{}</text>',
                        round(x + w / 2, 1),
                        y + 13,
                        value,
                    )
                )
            x = round(x + w, 1)
        bars.append(
            format_html(
                '<g class="chart-row" data-key="{}" data-label="{}" data-total="{}"><title>{}</title>'
                '<text class="chart-label" x="{}" y="{}" text-anchor="end">{}</text>{}'
                '<text class="chart-value" x="{}" y="{}">{}</text></g>',
                row.key,
                row.label,
                row.total,
                _("%(label)s: %(value)s") % {"label": row.label, "value": row.total},
                label_w - 6,
                y + 13,
                _short(row.label),
                format_html_join("", "{}", ((s,) for s in segments)),
                x + 4,
                y + 13,
                row.total,
            )
        )
    summary = _(
        "%(title)s: %(drawn)s of %(count)s bars drawn; in all %(three)s three-star, %(four)s four-star "
        "and %(five)s five-star products."
    ) % {
        "title": title,
        "drawn": len(drawn),
        "count": len(rows),
        "three": totals[3],
        "four": totals[4],
        "five": totals[5],
    }
    svg = format_html(
        '<svg class="chart" data-testid="chart-areas" role="img" aria-label="{}" viewBox="0 0 {} {}" '
        'xmlns="http://www.w3.org/2000/svg">{}{}</svg>',
        summary,
        WIDTH,
        height,
        legend,
        format_html_join("", "{}", ((b,) for b in bars)),
    )
    if len(rows) > len(drawn):
        note = _("The chart draws the first %(drawn)s of %(count)s; all of them are in the table.") % {
            "drawn": len(drawn),
            "count": len(rows),
        }
        return format_html('{}<p class="muted" data-testid="chart-areas-note">{}</p>', svg, note)
    return svg


def _columns(
    points: Sequence[tuple[str, str, dict[str, int]]],
    series: Sequence[tuple[str, str, str]],
    *,
    testid: str,
    summary: str,
) -> SafeString:
    """Vertical (stacked) columns: points are (key, label, {series key: value}); series are (key,
    label, fill). The total of a column is written above it."""
    plot_h, top, bottom, left = 180, 30 if len(series) > 1 else 10, 26, 8
    height = top + 18 + plot_h + bottom
    slot = (WIDTH - 2 * left) / max(1, len(points))
    col_w = round(min(48, slot * 0.6), 1)
    biggest = max((sum(values.values()) for _k, _l, values in points), default=0) or 1
    base = top + 18 + plot_h
    cols = []
    for i, (key, label, values) in enumerate(points):
        cx = left + slot * i + slot / 2
        x = round(cx - col_w / 2, 1)
        y = float(base)
        segments = []
        for skey, slabel, fill in series:
            value = values.get(skey, 0)
            if not value:
                continue
            h = max(1.0, round(value * plot_h / biggest, 1))
            y = round(y - h, 1)
            name = _("%(label)s, %(series)s: %(value)s") % {"label": label, "series": slabel, "value": value}
            segments.append(
                format_html(
                    '<rect class="bar k-{}" fill="{}" x="{}" y="{}" width="{}" height="{}" data-series="{}" '
                    'data-value="{}"><title>{}</title></rect>',
                    skey,
                    fill,
                    x,
                    y,
                    col_w,
                    h,
                    skey,
                    value,
                    name,
                )
            )
        total = sum(values.values())
        cols.append(
            format_html(
                '<g class="chart-col" data-key="{}" data-label="{}" data-total="{}"><title>{}</title>{}'
                '<text class="chart-value" x="{}" y="{}" text-anchor="middle">{}</text>'
                '<text class="chart-label" x="{}" y="{}" text-anchor="middle">{}</text></g>',
                key,
                label,
                total,
                _("%(label)s: %(value)s") % {"label": label, "value": total},
                format_html_join("", "{}", ((s,) for s in segments)),
                round(cx, 1),
                round(y - 4, 1),
                total,
                round(cx, 1),
                base + 17,
                label,
            )
        )
    legend = _legend([(f"k-{k}", fill, label, k) for k, label, fill in series], 4) if len(series) > 1 else ""
    return format_html(
        '<svg class="chart" data-testid="{}" role="img" aria-label="{}" viewBox="0 0 {} {}" '
        'xmlns="http://www.w3.org/2000/svg">{}{}<line class="chart-axis" x1="{}" x2="{}" y1="{}" y2="{}" '
        'stroke="#5d6b64"></line></svg>',
        testid,
        summary,
        WIDTH,
        height,
        legend,
        format_html_join("", "{}", ((c,) for c in cols)),
        left,
        WIDTH - left,
        base,
        base,
    )


def events_per_year(events: dict[int, dict[str, int]]) -> SafeString:
    """A stacked column per year of certificate events (issued, renewed, upgraded, downgraded,
    revoked, lapsed): the dashboard's "Certificate events per year" table."""
    if not any(any(kinds.values()) for kinds in events.values()):
        return _empty(_("No certificate events in these years: nothing to draw."), "chart-events-empty")
    series = [(str(k), str(label), EVENT_FILLS[k]) for k, label in CertificateEvent.Kind.choices]
    points = [(str(year), str(year), dict(kinds)) for year, kinds in events.items()]
    years = list(events)
    summary = _("Certificate events per year, %(first)s–%(last)s: %(total)s events; %(each)s.") % {
        "first": years[0],
        "last": years[-1],
        "total": sum(sum(k.values()) for k in events.values()),
        "each": ", ".join(f"{year}: {sum(kinds.values())}" for year, kinds in events.items()),
    }
    return _columns(points, series, testid="chart-events", summary=summary)


def expiring_per_month(months: Sequence[tuple[date, int]]) -> SafeString:
    """A column per month: current products whose certificate ends in that month."""
    if not any(count for _month, count in months):
        return _empty(
            _("No certificate of a current product ends in these months: nothing to draw."),
            "chart-expiring-empty",
        )
    points = [(m.isoformat()[:7], m.strftime("%m/%Y"), {"expiring": count}) for m, count in months]
    summary = _("Certificates ending per month, %(first)s to %(last)s: %(total)s in all; %(each)s.") % {
        "first": points[0][1],
        "last": points[-1][1],
        "total": sum(c for _m, c in months),
        "each": ", ".join(f"{label}: {values['expiring']}" for _k, label, values in points),
    }
    return _columns(
        points, [("expiring", _("Ending"), EXPIRING_FILL)], testid="chart-expiring", summary=summary
    )
