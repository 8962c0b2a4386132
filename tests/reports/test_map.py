"""The map of communes shaded by current products (reports.maps) draws the numbers of its rows: the Lào
Cai seed records (604 products in 82 communes), with synthetic squares (made-up, inside Vietnam) loaded
for some communes, positions derived from outlets for others, and none for the rest."""

import re
import xml.etree.ElementTree as ET

import pytest

from places.models import Commune, CommuneGeometry
from places.services import commune_geometry_load, commune_positions_from_records
from reports import figures, maps
from reports.figures import StarRow
from reports.jurisdiction import NATION, Jurisdiction
from tests.reports.records import LAO_CAI_ON, communes, lao_cai, province
from tests.trade.builders import make_outlet

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
SOURCE = "Thử nghiệm (ô vuông tổng hợp)"


def square(lon: float, lat: float, d: float = 0.04) -> dict:
    ring = [[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def load_squares(places: list[Commune]) -> None:
    """A grid of squares, 10 a row, from (103.5, 22.0): one per commune."""
    features = [
        {
            "type": "Feature",
            "properties": {"code": c.code},
            "geometry": square(103.5 + 0.05 * (i % 10), 22.0 + 0.05 * (i // 10)),
        }
        for i, c in enumerate(places)
    ]
    commune_geometry_load({"type": "FeatureCollection", "features": features}, source=SOURCE)


@pytest.fixture
def lc():
    """Of the 82 communes with products: 60 with a loaded square, 5 with a position from an outlet,
    17 with no position; and 2 communes without products that have squares."""
    records = lao_cai()
    places = records["communes"]
    load_squares(places[:60] + places[95:97])
    for i, place in enumerate(places[60:65]):
        make_outlet(commune=place, position=(22.9 + 0.03 * i, 104.2))
    commune_positions_from_records()
    return records


def _svg(html: str) -> ET.Element:
    match = re.search(r'<svg[^>]*data-testid="map-communes".*?</svg>', html, re.S)
    assert match
    # Rendered by this test, not untrusted input; well-formed XML or this raises.
    svg = ET.fromstring(match.group(0))  # noqa: S314
    assert svg.get("role") == "img" and svg.get("aria-label")
    return svg


def _shapes(svg: ET.Element) -> list[ET.Element]:
    return [e for e in svg.iter() if "map-shape" in (e.get("class") or "").split()]


def test_each_shape_carries_the_count_of_its_row_and_the_table(lc, english):
    area = Jurisdiction(province=lc["province"])
    table = figures.current_by(area, LAO_CAI_ON, "commune")
    rows = maps.communes_map_rows(area, LAO_CAI_ON, table)
    svg = _svg(maps.communes_map(area, LAO_CAI_ON, table, map_rows=rows))
    shapes = _shapes(svg)
    assert len(shapes) == 67 == sum(r.drawn for r in rows)
    drawn = {s.get("data-code"): s for s in shapes}
    # Every commune of the dashboard's table is a row with the same count; drawn or not.
    assert {r.key: r.total for r in table} == {r.code: r.count for r in rows if r.count}
    for row in rows:
        if row.drawn:
            shape = drawn[row.code]
            assert int(shape.get("data-value")) == row.count
            assert int(shape.get("data-class")) == row.klass
            title = shape.find(f"{SVG}title").text
            assert title.startswith(f"{row.name}: {row.count} current OCOP product")
    assert sum(int(s.get("data-value")) for s in shapes) == 604 - sum(r.count for r in rows if not r.drawn)
    kinds = {(s.tag.removeprefix(SVG), s.get("data-source")) for s in shapes}
    assert kinds == {("path", "loaded"), ("circle", "records")}
    approx = [s for s in shapes if s.get("data-source") == "records"]
    assert len(approx) == 5 and all("approx" in s.get("class") for s in approx)
    assert all("approximate position: the mean of 1 outlet" in s.find(f"{SVG}title").text for s in approx)
    # The two communes with a square but no product are drawn light grey (class 0).
    zero = [s for s in shapes if s.get("data-value") == "0"]
    assert (
        len(zero) == 2 and {s.get("data-class") for s in zero} == {"0"} and zero[0].get("fill") == "#eef1ef"
    )


def test_the_undrawn_note_counts_the_communes_with_products_but_no_position(lc, english):
    area = Jurisdiction(province=lc["province"])
    html = maps.communes_map(area, LAO_CAI_ON, figures.current_by(area, LAO_CAI_ON, "commune"))
    note = re.search(r'data-testid="map-note">([^<]*)<', html).group(1)
    assert note == (
        "17 of the 82 communes with current products have no position and are not drawn; "
        "all of them are in the table."
    )
    assert "17 communes with products have no position" in _svg(html).get("aria-label")


def test_classes_follow_the_quartiles_and_the_legend_shows_the_breaks(english):
    places = communes(province("Lạng Sơn"))[:9]
    load_squares(places)
    area = Jurisdiction(province=places[0].province)
    # Counts 0..8: class 0 is "no product", then quartiles of 1..8.
    rows = [StarRow(key=c.code, label=c.name, stars={3: i, 4: 0, 5: 0}) for i, c in enumerate(places)]
    svg = _svg(maps.communes_map(area, LAO_CAI_ON, rows))
    legend = [
        (g.get("data-series"), g.find(f"{SVG}text").text)
        for g in svg.iter(f"{SVG}g")
        if g.get("class") == "legend-item"
    ]
    assert legend[:5] == [("0", "0"), ("1", "1–2"), ("2", "3–4"), ("3", "5–6"), ("4", "7–8")]
    classes = {int(s.get("data-value")): int(s.get("data-class")) for s in _shapes(svg)}
    assert classes == {0: 0, 1: 1, 2: 1, 3: 2, 4: 2, 5: 3, 6: 3, 7: 4, 8: 4}
    fills = {int(s.get("data-class")): s.get("fill") for s in _shapes(svg)}
    assert fills == dict(enumerate(maps.CLASS_FILLS))


def test_equal_counts_make_one_class():
    assert maps.class_breaks([0, 3, 3, 3]) == [3]
    assert [maps.class_of(c, [3]) for c in (0, 3)] == [0, 1]


def test_a_commune_name_with_markup_is_escaped(lc):
    place = lc["communes"][0]
    Commune.objects.filter(pk=place.pk).update(name="Xã <b>Á & Ô</b>")
    area = Jurisdiction(province=lc["province"])
    html = maps.communes_map(area, LAO_CAI_ON, figures.current_by(area, LAO_CAI_ON, "commune"))
    assert "<b>" not in html and "Xã &lt;b&gt;Á &amp; Ô&lt;/b&gt;" in html
    [shape] = [s for s in _shapes(_svg(html)) if s.get("data-code") == place.code]
    assert shape.find(f"{SVG}title").text.startswith("Xã <b>Á & Ô</b>: ")


def test_shapes_link_to_the_drill_down_when_asked(lc):
    area = Jurisdiction(province=lc["province"])
    html = maps.communes_map(
        area, LAO_CAI_ON, [], link=lambda code: f"?province={area.province.code}&commune={code}"
    )
    svg = _svg(html)
    links = [a for a in svg.iter(f"{SVG}a")]
    assert len(links) == len(_shapes(svg))
    assert links[0].get("href").startswith(f"?province={area.province.code}&commune=")
    assert "&amp;commune=" in html


def test_without_positions_the_map_says_how_to_load_them(english):
    records_area = Jurisdiction(province=province("Lạng Sơn"))
    html = maps.communes_map(records_area, LAO_CAI_ON, [StarRow(key="x", label="x", stars={3: 1})])
    assert 'data-testid="map-empty"' in html and "<svg" not in html
    assert "No commune of Tỉnh Lạng Sơn has a position yet" in html
    assert "python manage.py load_commune_geometry FILE.geojson --source" in html
    assert "python manage.py commune_positions" in html


def test_the_national_map_draws_every_commune_with_a_position_at_its_centre(lc, english):
    hanoi = communes(province("Hà Nội"))[:2]
    load_squares(hanoi)
    rows = maps.communes_map_rows(NATION, LAO_CAI_ON)
    svg = _svg(maps.communes_map(NATION, LAO_CAI_ON, map_rows=rows))
    shapes = _shapes(svg)
    assert len(shapes) == 69 and {s.tag for s in shapes} == {f"{SVG}circle"}
    by_code = {s.get("data-code"): int(s.get("data-value")) for s in shapes}
    national = {r.key: r.total for r in figures.current_by(NATION, LAO_CAI_ON, "commune")}
    assert {code: national.get(code, 0) for code in by_code} == by_code
    assert by_code[hanoi[0].code] + by_code[hanoi[1].code] == 5
    # Only the communes drawn are listed nationally: the 17 of Lào Cai without a position are in
    # the province's report.
    assert len(rows) == 69 and all(r.drawn for r in rows)


def test_without_any_position_the_national_map_reads_no_counts(lc, django_assert_num_queries):
    CommuneGeometry.objects.all().delete()
    with django_assert_num_queries(1):
        assert maps.communes_map_rows(NATION, LAO_CAI_ON) == []


def test_the_province_rows_cost_one_query(lc, django_assert_num_queries):
    area = Jurisdiction(province=lc["province"])
    table = figures.current_by(area, LAO_CAI_ON, "commune")
    with django_assert_num_queries(1):
        maps.communes_map(area, LAO_CAI_ON, table)
