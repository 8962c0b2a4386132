"""The dashboard's map of communes shaded by their current OCOP products (issue 9), as server-rendered
inline SVG like reports.charts: no JavaScript, no inline style (CSP), every label through format_html,
a <title> and `data-value` per shape. It draws the numbers of the rows `communes_map_rows` returns, so
a table rendered from those rows and the map agree.

Where a commune is comes from places.CommuneGeometry: a boundary a province loaded (drawn as a path)
or a position derived from our records (drawn as a dashed circle, "approximate"). Communes without
either are not drawn; a note counts those that have products. At national level every commune is drawn
at its centre: 3,321 outlines would weigh megabytes for shapes a few pixels wide."""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from places.models import CommuneGeometry
from reports import figures
from reports.charts import WIDTH, _empty, _legend
from reports.figures import StarRow
from reports.jurisdiction import NATION, Jurisdiction

MAX_HEIGHT = 640
PAD = 8
LEGEND_H = 44
MIN_SPAN = 0.02  # degrees (~2 km): a single position still gets a box to sit in
RADIUS = {"point": 5.0, "centre": 3.0}
# Drawn points closer than this (pixels) to the previous one are dropped: the outline a pixel can show.
THIN_PX = 0.8
# Class 0 (no product) is light grey with a dark outline (5.6:1 on white); classes 1–4 are a sequential
# blue, each at least 3:1 against the white page and class 1 at 3:1 against class 0 (WCAG 1.4.11).
CLASS_FILLS = ("#eef1ef", "#5a8fb3", "#2f6895", "#1d4f7a", "#0b2540")
OUTLINE = "#5d6b64"
POINT_OUTLINE = "#1d2421"
COMMAND_LOAD = 'python manage.py load_commune_geometry FILE.geojson --source "…"'
COMMAND_RECORDS = "python manage.py commune_positions"


@dataclass
class MapRow:
    """A commune of the map's table: what the map draws for it (or why not)."""

    code: str
    name: str
    count: int
    klass: int = 0
    drawn: bool = False
    source: str = ""  # CommuneGeometry.Source, "" without a position
    records: dict[str, int] = field(default_factory=dict)
    source_text: str = ""
    geometry: dict | None = None
    latitude: float = 0.0
    longitude: float = 0.0
    bbox: tuple[float, float, float, float] | None = None

    @property
    def approximate(self) -> bool:
        return self.source == CommuneGeometry.Source.RECORDS


def class_breaks(counts: Sequence[int]) -> list[int]:
    """Upper bounds of classes 1–4 (quartiles of the positive counts, merged where equal); class 0 is
    "no current product"."""
    positive = sorted(c for c in counts if c > 0)
    uppers: list[int] = []
    for k in (1, 2, 3, 4):
        if positive:
            upper = positive[math.ceil(k * len(positive) / 4) - 1]
            if not uppers or upper > uppers[-1]:
                uppers.append(upper)
    return uppers


def class_of(count: int, uppers: Sequence[int]) -> int:
    if count <= 0:
        return 0
    return next((i for i, upper in enumerate(uppers, start=1) if count <= upper), len(uppers))


def _counts(j: Jurisdiction, on: date, rows: Sequence[StarRow] | None) -> dict[str, tuple[str, int]]:
    """{commune code: (name, current products)} of the area."""
    if j.level == "commune":
        assert j.commune is not None
        total = sum(r.total for r in rows) if rows is not None else figures.current_total(j, on)
        return {j.commune.code: (j.commune.name, total)}
    if j.level == "province" and rows is not None:
        # The dashboard's rows of a province are its communes (reports.summary.rows_dimension).
        return {r.key: (r.label, r.total) for r in rows}
    return {
        r.key: (r.label, r.total)
        for r in figures.current_by(j if j.level == "province" else NATION, on, "commune")
    }


def communes_map_rows(j: Jurisdiction, on: date, rows: Sequence[StarRow] | None = None) -> list[MapRow]:
    """Every commune of the area that has a position or a current product: code, name, count, class
    and whether the map draws it; largest count first. `rows` are the dashboard's rows (Summary.rows)
    at province and commune level; at national level they are per province, so the communes' counts are
    read here (one query), and only the communes with a position are listed: the others are in their
    province's report (3,000 lines would not help on a national page). Two queries at most."""
    positions = CommuneGeometry.objects.order_by()
    if j.commune is not None:
        positions = positions.filter(commune_id=j.commune.code)
    elif j.province is not None:
        positions = positions.filter(commune__province_id=j.province.code)
    fields = [
        "commune_id",
        "commune__name",
        "source",
        "source_text",
        "records",
        "latitude",
        "longitude",
        "bbox",
    ]
    if j.level != "nation":
        fields.append("geometry")
    placed = list(positions.values(*fields))
    national = j.level == "nation"
    if national and not placed:
        return []
    counts = _counts(j, on, rows)
    table: dict[str, MapRow] = {}
    for p in placed:
        name, count = counts.get(p["commune_id"], (p["commune__name"], 0))
        table[p["commune_id"]] = MapRow(
            code=p["commune_id"],
            name=name,
            count=count,
            drawn=True,
            source=p["source"],
            records=p["records"] or {},
            source_text=p["source_text"],
            geometry=p.get("geometry"),
            latitude=float(p["latitude"]),
            longitude=float(p["longitude"]),
            bbox=tuple(p["bbox"]) if p.get("bbox") else None,
        )
    for code, (name, count) in counts.items():
        if code not in table and count > 0 and not national:
            table[code] = MapRow(code=code, name=name, count=count)
    uppers = class_breaks([r.count for r in table.values()])
    for row in table.values():
        row.klass = class_of(row.count, uppers)
    return sorted(table.values(), key=lambda r: (-r.count, r.name, r.code))


# --- drawing -----------------------------------------------------------------------------------------------


def _projector(
    drawn: Sequence[MapRow], top: float
) -> tuple[Callable[[float, float], tuple[float, float]], float]:
    """Equirectangular with the longitudes scaled by cos(mid-latitude), fitted into the box; returns
    (lon, lat) → (x, y) and the plot's height."""
    boxes = [r.bbox or (r.longitude, r.latitude, r.longitude, r.latitude) for r in drawn]
    west, south = min(b[0] for b in boxes), min(b[1] for b in boxes)
    east, north = max(b[2] for b in boxes), max(b[3] for b in boxes)
    if east - west < MIN_SPAN:
        west, east = (west + east - MIN_SPAN) / 2, (west + east + MIN_SPAN) / 2
    if north - south < MIN_SPAN:
        south, north = (south + north - MIN_SPAN) / 2, (south + north + MIN_SPAN) / 2
    k = math.cos(math.radians((south + north) / 2))
    margin = PAD + RADIUS["point"]
    scale = min((WIDTH - 2 * margin) / ((east - west) * k), (MAX_HEIGHT - 2 * margin) / (north - south))
    x0 = (WIDTH - (east - west) * k * scale) / 2

    def project(lon: float, lat: float) -> tuple[float, float]:
        return round(x0 + (lon - west) * k * scale, 1), round(top + margin + (north - lat) * scale, 1)

    return project, (north - south) * scale + 2 * margin


def _path(geometry: dict, project) -> str:
    """SVG path data of a Polygon/MultiPolygon, thinned to what the scale shows ("" if nothing is left)."""
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    parts = []
    for rings in polygons:
        for ring in rings:
            points: list[tuple[float, float]] = []
            for lon, lat, *_rest in ring:
                x, y = project(lon, lat)
                if points and abs(x - points[-1][0]) < THIN_PX and abs(y - points[-1][1]) < THIN_PX:
                    continue
                points.append((x, y))
            if len(points) >= 3:
                parts.append("M" + "L".join(f"{x} {y}" for x, y in points) + "Z")
    return "".join(parts)


def _records_text(records: dict[str, int]) -> str:
    words = {
        "outlets": lambda n: ngettext("%(n)s outlet", "%(n)s outlets", n) % {"n": n},
        "destinations": lambda n: ngettext("%(n)s destination", "%(n)s destinations", n) % {"n": n},
    }
    return ", ".join(words[kind](n) if kind in words else f"{n} {kind}" for kind, n in records.items() if n)


def _title(row: MapRow, centres: bool) -> str:
    text = ngettext(
        "%(name)s: %(count)s current OCOP product", "%(name)s: %(count)s current OCOP products", row.count
    ) % {"name": row.name, "count": row.count}
    if row.approximate:
        return _("%(text)s (approximate position: the mean of %(records)s)") % {
            "text": text,
            "records": _records_text(row.records),
        }
    if centres:  # 3,321 repeats of the file's source would weigh more than the dots
        return text
    return _("%(text)s (boundary: %(source)s)") % {"text": text, "source": row.source_text}


def _shape(row: MapRow, project, centres: bool) -> tuple[int, SafeString]:
    """(layer, element): outlines below, circles above them."""
    fill = CLASS_FILLS[row.klass]
    common = (row.code, row.count, row.klass, row.source)
    d = (
        ""
        if centres or not row.geometry or row.geometry.get("type") == "Point"
        else _path(row.geometry, project)
    )
    # Stroke colours and widths are on the layers' <g> (the page stays light at national level); a
    # class-0 outline is dark so that a commune without products shows on the white page.
    if d:
        return 0, format_html(
            '<path class="map-shape m{}" fill="{}"{} d="{}" data-code="{}" data-value="{}" data-class="{}" '
            'data-source="{}"><title>{}</title></path>',
            row.klass,
            fill,
            format_html(' stroke="{}"', OUTLINE) if row.klass == 0 else "",
            d,
            *common,
            _title(row, centres),
        )
    x, y = project(row.longitude, row.latitude)
    return 1, format_html(
        '<circle class="map-shape map-point m{}{}" fill="{}"{} cx="{}" cy="{}" r="{}" data-code="{}" '
        'data-value="{}" data-class="{}" data-source="{}"><title>{}</title></circle>',
        row.klass,
        " approx" if row.approximate else "",
        fill,
        format_html(' stroke-dasharray="{}"', "2 1.5") if row.approximate else "",
        x,
        y,
        RADIUS["centre" if centres else "point"],
        *common,
        _title(row, centres),
    )


def _class_label(k: int, uppers: Sequence[int]) -> str:
    if k == 0:
        return "0"
    low = uppers[k - 2] + 1 if k > 1 else 1
    return str(low) if low == uppers[k - 1] else f"{low}–{uppers[k - 1]}"


def _marker_legend(rows: Sequence[MapRow], centres: bool, y: int) -> SafeString:
    items = []
    x = 0
    if not centres and any(r.drawn and not r.approximate for r in rows):
        text = _("Boundary from a province's file")
        items.append(
            format_html(
                '<g class="legend-item" data-series="loaded"><rect class="map-swatch" fill="#fff" '
                'stroke="{}" x="{}" y="{}" width="12" height="12"></rect>'
                '<text class="chart-label" x="{}" y="{}">{}</text></g>',
                OUTLINE,
                x,
                y,
                x + 16,
                y + 10,
                text,
            )
        )
        x += 16 + 7 * len(text) + 18
    if any(r.approximate for r in rows):
        text = _("Approximate position, from outlets and destinations")
        items.append(
            format_html(
                '<g class="legend-item" data-series="records"><circle class="map-swatch" fill="#fff" '
                'stroke="{}" stroke-dasharray="2 1.5" cx="{}" cy="{}" r="5"></circle>'
                '<text class="chart-label" x="{}" y="{}">{}</text></g>',
                POINT_OUTLINE,
                x + 6,
                y + 6,
                x + 16,
                y + 10,
                text,
            )
        )
    return format_html_join("", "{}", ((i,) for i in items))


def communes_map(
    j: Jurisdiction,
    on: date,
    rows: Sequence[StarRow] | None = None,
    *,
    map_rows: Sequence[MapRow] | None = None,
    link: Callable[[str], str] | None = None,
) -> SafeString:
    """The area's communes shaded by current products in up to 5 classes, with a legend of the class
    breaks. Pass `map_rows` (communes_map_rows) to draw the very rows a table shows without reading
    them twice; `link(code)` gives a shape's drill-down URL ("" for none)."""
    if map_rows is None:
        map_rows = communes_map_rows(j, on, rows)
    drawn = [r for r in map_rows if r.drawn]
    if not drawn:
        return _empty(
            _(
                "No commune of %(area)s has a position yet, so there is no map (the communes are in the "
                "table). Load the communes' boundaries (a GeoJSON file from the land department) with "
                "“%(load)s”, or derive approximate positions from outlets and destinations with "
                "“%(records)s”."
            )
            % {"area": j.name, "load": COMMAND_LOAD, "records": COMMAND_RECORDS},
            "map-empty",
        )
    centres = j.level == "nation"
    project, plot_h = _projector(drawn, LEGEND_H)
    layers: list[list[SafeString]] = [[], []]
    for row in sorted(drawn, key=lambda r: (r.klass, r.code)):
        layer, element = _shape(row, project, centres)
        url = link(row.code) if link else ""
        layers[layer].append(format_html('<a href="{}">{}</a>', url, element) if url else element)
    caption = _("Current products:")
    uppers = class_breaks([r.count for r in map_rows])
    classes = range(len(uppers) + 1)
    legend = _legend(
        [(f"m{k}", CLASS_FILLS[k], _class_label(k, uppers), str(k)) for k in classes],
        4,
    )
    with_products = [r for r in map_rows if r.count > 0]
    missing = [r for r in with_products if not r.drawn]
    summary = _(
        "Map of current OCOP products per commune, %(area)s: %(drawn)s communes drawn with %(products)s "
        "products; %(missing)s communes with products have no position."
    ) % {
        "area": j.name,
        "drawn": len(drawn),
        "products": sum(r.count for r in drawn),
        "missing": len(missing),
    }
    svg = format_html(
        '<svg class="chart map" data-testid="map-communes" role="img" aria-label="{}" viewBox="0 0 {} {}" '
        'xmlns="http://www.w3.org/2000/svg"><text class="chart-label" x="0" y="14">{}</text>'
        '<g class="map-legend" transform="translate({} 0)">{}</g>{}<g class="map-shapes">'
        '<g class="map-outlines" stroke="#fff" stroke-width="0.6" fill-rule="evenodd">{}</g>'
        '<g class="map-points" stroke="{}" stroke-width="1">{}</g></g></svg>',
        summary,
        WIDTH,
        round(LEGEND_H + plot_h),
        caption,
        7 * len(caption) + 12,
        legend,
        _marker_legend(map_rows, centres, 24),
        format_html_join("", "{}", ((e,) for e in layers[0])),
        POINT_OUTLINE,
        format_html_join("", "{}", ((e,) for e in layers[1])),
    )
    notes = []
    if centres:
        notes.append(_("At national level each commune is drawn at its centre."))
    if missing:
        notes.append(
            ngettext(
                "%(n)s of the %(total)s communes with current products has no position and is not drawn; "
                "all of them are in the table.",
                "%(n)s of the %(total)s communes with current products have no position and are not drawn; "
                "all of them are in the table.",
                len(missing),
            )
            % {"n": len(missing), "total": len(with_products)}
        )
    if not notes:
        return svg
    return format_html('{}<p class="muted" data-testid="map-note">{}</p>', svg, " ".join(notes))
