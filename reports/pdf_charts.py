"""The dashboard's three charts (reports.charts) for the PDF report, drawn with reportlab.graphics from
the rows of the table next to each, in the same colours. The chart is the Drawing's `chart` (its
`data` are the bars' values, one list per series); each function returns None when there is nothing
to draw, and the report then says so as the dashboard does. Every label is NFC-normalised: reportlab
draws code points as they come and does not compose a base letter with a combining mark."""

from collections.abc import Sequence
from datetime import date

from django.utils.formats import localize
from reportlab.graphics.charts.barcharts import BarChart, HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib.colors import Color, HexColor

from certificates.models import CertificateEvent
from labels.render import REGULAR
from ocop_hub.text import nfc
from reports.charts import EVENT_FILLS, EXPIRING_FILL, MAX_BARS, STAR_FILLS, _short, _stars_label
from reports.figures import STARS, StarRow

INK = HexColor("#1d2321")
AXIS = HexColor("#5d6b64")
FONT_SIZE = 7
LEGEND_H = 18
ROW_H = 12  # points per bar of the horizontal chart: 40 bars and their labels fit half a page


def _drawing(width: float, height: float) -> Drawing:
    drawing = Drawing(width, height)
    # The renderer's starting font, set on the page even if no text uses it: the bundled one, not an
    # unembedded Helvetica.
    drawing.initialFontName = REGULAR
    return drawing


def _legend(drawing: Drawing, items: Sequence[tuple[Color, str]]) -> None:
    """The series in one line across the top of the drawing."""
    legend = Legend()
    legend.x, legend.y = 0, drawing.height - 4
    legend.boxAnchor = "nw"
    legend.alignment = "right"  # the swatch, then its text
    legend.columnMaximum = 1
    legend.variColumn = 1
    legend.autoXPadding = 12
    legend.deltax = 0
    legend.dx = legend.dy = 8
    legend.dxTextSpace = 4
    legend.fontName, legend.fontSize = REGULAR, FONT_SIZE
    legend.colorNamePairs = [(fill, nfc(text)) for fill, text in items]
    legend.strokeWidth = 0
    drawing.add(legend, name="legend")


def _axes(chart: BarChart, biggest: int) -> None:
    chart.categoryAxis.style = "stacked"
    chart.categoryAxis.strokeColor = AXIS
    chart.categoryAxis.labels.fontName = REGULAR
    chart.categoryAxis.labels.fontSize = FONT_SIZE
    chart.categoryAxis.labels.fillColor = INK
    chart.valueAxis.valueMin = 0
    # The axis ends at the biggest bar, so the totals written past the bars land where computed.
    chart.valueAxis.valueMax = biggest
    chart.valueAxis.labels.fontName = REGULAR
    chart.valueAxis.labels.fontSize = FONT_SIZE
    chart.valueAxis.labels.fillColor = INK
    chart.valueAxis.strokeColor = AXIS
    chart.valueAxis.visibleGrid = 1
    chart.valueAxis.gridStrokeColor = HexColor("#dde3e0")
    chart.valueAxis.labelTextFormat = lambda v: localize(int(v)) if v == int(v) else ""
    chart.barSpacing = 0
    chart.strokeColor = None


def _total(drawing: Drawing, x: float, y: float, value: int, anchor: str) -> None:
    drawing.add(
        String(x, y, localize(value), fontName=REGULAR, fontSize=FONT_SIZE, fillColor=INK, textAnchor=anchor)
    )


def stars_by_area(rows: Sequence[StarRow], *, width: float, limit: int = MAX_BARS) -> Drawing | None:
    """A horizontal stacked bar per row (3★/4★/5★) with its total, the first `limit` rows of the
    table (largest first, from the top); the legend gives each star's total over all rows."""
    if not rows:
        return None
    drawn = list(rows[:limit])
    totals = {n: sum(r.stars.get(n, 0) for r in rows) for n in STARS}
    biggest = max(r.total for r in drawn) or 1
    label_w, total_w, axis_h = 130, 30, 14
    drawing = _drawing(width, LEGEND_H + len(drawn) * ROW_H + axis_h)
    chart = HorizontalBarChart()
    chart.x, chart.y = label_w, axis_h
    chart.width, chart.height = width - label_w - total_w, len(drawn) * ROW_H
    chart.data = [[r.stars.get(n, 0) for r in drawn] for n in STARS]
    for i, n in enumerate(STARS):
        chart.bars[i].fillColor = HexColor(STAR_FILLS[n])
        chart.bars[i].strokeColor = None
    _axes(chart, biggest)
    chart.categoryAxis.categoryNames = [nfc(_short(r.label)) for r in drawn]
    chart.categoryAxis.reverseDirection = 1
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    chart.groupSpacing = 4
    drawing.add(chart, name="chart")
    for i, row in enumerate(drawn):
        y = chart.y + chart.height - (i + 0.5) * ROW_H - FONT_SIZE / 2 + 1
        _total(drawing, chart.x + row.total * chart.width / biggest + 3, y, row.total, "start")
    _legend(drawing, [(HexColor(STAR_FILLS[n]), f"{_stars_label(n)}: {localize(totals[n])}") for n in STARS])
    return drawing


def _columns(
    labels: list[str], series: Sequence[tuple[list[int], str, str]], *, width: float, legend: bool
) -> Drawing:
    """Vertical stacked columns, one per label; series are (values per label, fill, legend text). The
    total of a column is written above it."""
    totals = [sum(values[i] for values, _f, _t in series) for i in range(len(labels))]
    biggest = max(totals) or 1
    left, axis_h, plot_h, top = 28, 16, 150, 12
    drawing = _drawing(width, axis_h + plot_h + top + (LEGEND_H if legend else 0))
    chart = VerticalBarChart()
    chart.x, chart.y = left, axis_h
    chart.width, chart.height = width - left - 4, plot_h
    chart.data = [list(values) for values, _f, _t in series]
    for i, (_values, fill, _text) in enumerate(series):
        chart.bars[i].fillColor = HexColor(fill)
        chart.bars[i].strokeColor = None
    _axes(chart, biggest)
    chart.categoryAxis.categoryNames = [nfc(label) for label in labels]
    chart.categoryAxis.labels.boxAnchor = "n"
    chart.groupSpacing = max(2, 60 / max(1, len(labels)))
    drawing.add(chart, name="chart")
    slot = chart.width / len(labels)
    for i, total in enumerate(totals):
        if total:
            _total(
                drawing, chart.x + (i + 0.5) * slot, chart.y + total * plot_h / biggest + 2, total, "middle"
            )
    if legend:
        _legend(drawing, [(HexColor(fill), text) for _v, fill, text in series])
    return drawing


def events_per_year(events: dict[int, dict[str, int]], *, width: float) -> Drawing | None:
    """A stacked column per year of certificate events (issued, renewed, upgraded, downgraded,
    revoked, lapsed): the report's "Certificate events per year" table."""
    if not any(any(kinds.values()) for kinds in events.values()):
        return None
    series = [
        ([kinds.get(str(kind), 0) for kinds in events.values()], EVENT_FILLS[kind], str(label))
        for kind, label in CertificateEvent.Kind.choices
    ]
    return _columns([str(year) for year in events], series, width=width, legend=True)


def expiring_per_month(months: Sequence[tuple[date, int]], *, width: float) -> Drawing | None:
    """A column per month: current products whose certificate ends in that month."""
    if not any(count for _month, count in months):
        return None
    series = [([count for _m, count in months], EXPIRING_FILL, "")]
    return _columns([m.strftime("%m/%Y") for m, _c in months], series, width=width, legend=False)
