"""Where communes are drawn (places.services_geometry): a province's boundary file, checked feature by
feature and loaded all or nothing; else positions derived from outlets and destinations. The squares
below are synthetic (made-up points inside Vietnam), not real boundaries."""

import json
import math
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from audit.models import AuditEvent
from places.models import Commune, CommuneGeometry
from places.services import CommuneGeometryRefused, commune_geometry_load, commune_positions_from_records
from places.services_geometry import MAX_VERTICES
from tests.trade.builders import make_destination, make_outlet

pytestmark = pytest.mark.django_db

SOURCE = "Sở Nông nghiệp và Môi trường (thử nghiệm)"


def square(lon: float, lat: float, d: float = 0.02) -> dict:
    ring = [[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def feature(code, geometry, key: str = "code") -> dict:
    return {"type": "Feature", "properties": {key: code, "ten_xa": "thử"}, "geometry": geometry}


def collection(*features) -> dict:
    return {"type": "FeatureCollection", "features": list(features)}


@pytest.fixture
def places():
    return list(Commune.objects.filter(province__name__contains="Lào Cai").order_by("code")[:4])


def test_it_loads_polygons_multipolygons_and_points_with_their_source(places):
    a, b, c, _d = places
    multi = {
        "type": "MultiPolygon",
        "coordinates": [square(103.9, 22.4)["coordinates"], square(104.0, 22.4)["coordinates"]],
    }
    result = commune_geometry_load(
        collection(
            feature(a.code, square(103.8, 22.3)),
            # GIS tools and spreadsheets drop the leading zero of a numeric code.
            feature(int(b.code), multi, key="ma_xa"),
            feature(c.code, {"type": "Point", "coordinates": [104.1, 22.5]}, key="commune_code"),
        ),
        source=SOURCE,
    )
    assert (sorted(result.communes), result.created, result.updated) == (
        sorted([a.code, b.code, c.code]),
        3,
        0,
    )
    first = CommuneGeometry.objects.get(commune=a)
    assert first.source == "loaded" and first.source_text == SOURCE
    assert (first.latitude, first.longitude) == (Decimal("22.310000"), Decimal("103.810000"))
    assert first.bbox == [103.8, 22.3, 103.82, 22.32]
    assert first.geometry["type"] == "Polygon" and first.geometry["coordinates"][0][0] == [103.8, 22.3]
    assert CommuneGeometry.objects.get(commune=b).geometry["type"] == "MultiPolygon"
    point = CommuneGeometry.objects.get(commune=c)
    assert point.geometry == {"type": "Point", "coordinates": [104.1, 22.5]}
    events = AuditEvent.objects.filter(action="commune_geometry.load")
    assert sorted(e.object_id for e in events) == sorted([a.code, b.code, c.code])
    assert all(e.reason == SOURCE for e in events)


def test_it_simplifies_a_detailed_outline(places):
    # A circle of ~3 km radius drawn with 3,000 points: kept with at most MAX_VERTICES.
    ring = [
        [
            round(104.0 + 0.03 * math.cos(2 * math.pi * i / 3000), 6),
            round(22.0 + 0.03 * math.sin(2 * math.pi * i / 3000), 6),
        ]
        for i in range(3000)
    ]
    ring.append(ring[0])
    commune_geometry_load(
        collection(feature(places[0].code, {"type": "Polygon", "coordinates": [ring]})), source=SOURCE
    )
    stored = CommuneGeometry.objects.get(commune=places[0]).geometry["coordinates"][0]
    assert 8 <= len(stored) <= MAX_VERTICES
    assert stored[0] == stored[-1]


def test_a_new_file_replaces_a_loaded_outline(places):
    commune_geometry_load(collection(feature(places[0].code, square(103.8, 22.3))), source=SOURCE)
    result = commune_geometry_load(
        collection(feature(places[0].code, square(104.5, 22.0))), source="Bản đồ 2026"
    )
    assert (result.created, result.updated) == (0, 1)
    row = CommuneGeometry.objects.get(commune=places[0])
    assert row.source_text == "Bản đồ 2026" and row.bbox[0] == 104.5


def _open_ring() -> dict:
    geometry = square(103.8, 22.3)
    geometry["coordinates"][0] = geometry["coordinates"][0][:-1] + [[103.8, 22.31]]
    return geometry


@pytest.mark.parametrize(
    ("bad", "words"),
    [
        (lambda places: feature("99999", square(103.8, 22.3)), "no commune has this code on the 2025 map"),
        # Bangkok: inside no Vietnamese commune.
        (lambda places: feature(places[2].code, square(100.5, 13.7)), "is not in Vietnam"),
        # Latitude first: [22.3, 103.8] reads as longitude 22.3 (Africa).
        (
            lambda places: feature(places[2].code, {"type": "Point", "coordinates": [22.3, 103.8]}),
            "is not in Vietnam",
        ),
        (lambda places: feature(places[2].code, _open_ring()), "a ring is not closed"),
        (
            lambda places: feature(places[2].code, {"type": "Point", "coordinates": ["103.8", 22.3]}),
            'the coordinate "103.8" is not a number',
        ),
        (
            lambda places: feature(
                places[2].code, {"type": "LineString", "coordinates": [[103.8, 22.3], [103.9, 22.4]]}
            ),
            "is a “LineString”, not a Polygon, MultiPolygon or Point",
        ),
        (lambda places: feature(places[0].code, square(103.9, 22.3)), "already in feature 1"),
    ],
)
def test_a_file_with_a_bad_feature_changes_nothing_and_names_it(places, english, bad, words):
    commune_geometry_load(collection(feature(places[3].code, square(104.2, 22.2))), source=SOURCE)
    before = list(CommuneGeometry.objects.values_list("commune_id", "bbox", "source_text"))
    audits = AuditEvent.objects.count()
    good = [feature(places[0].code, square(103.8, 22.3)), feature(places[3].code, square(104.4, 22.4))]
    with pytest.raises(CommuneGeometryRefused) as refused:
        commune_geometry_load(collection(*good, bad(places)), source="Bản mới")
    [refusal] = refused.value.refusals
    assert refusal.index == 3
    assert str(refusal).startswith("Feature 3 (commune code ")
    assert words in str(refusal)
    assert refused.value.messages == [str(refusal)]
    assert list(CommuneGeometry.objects.values_list("commune_id", "bbox", "source_text")) == before
    assert AuditEvent.objects.count() == audits


def test_every_refused_feature_is_named(places, english):
    with pytest.raises(CommuneGeometryRefused) as refused:
        commune_geometry_load(
            collection(
                feature("99999", square(103.8, 22.3)),
                feature(places[1].code, square(103.8, 22.3)),
                feature(places[2].code, {"type": "Polygon", "coordinates": [[[103.8, 22.3], [103.9, 22.3]]]}),
            ),
            source=SOURCE,
        )
    assert [(r.index, r.code) for r in refused.value.refusals] == [(1, "99999"), (3, places[2].code)]
    assert not CommuneGeometry.objects.exists()


def test_it_needs_a_source(places, english):
    with pytest.raises(Exception, match="Say where the boundaries come from"):
        commune_geometry_load(collection(feature(places[0].code, square(103.8, 22.3))), source="  ")
    assert not CommuneGeometry.objects.exists()


def test_positions_from_outlets_are_their_mean_and_marked_derived(places):
    a, b, *_ = places
    make_outlet(commune=a, position=(22.30, 103.80))
    make_outlet(commune=a, position=(22.34, 103.86))
    make_destination(commune=a, position=(22.32, 103.83))
    make_outlet(commune=b, position=(22.10, 104.10))
    assert commune_positions_from_records() == 2
    row = CommuneGeometry.objects.get(commune=a)
    assert row.source == "records" and row.records == {"outlets": 2, "destinations": 1}
    assert (row.latitude, row.longitude) == (Decimal("22.320000"), Decimal("103.830000"))
    assert row.geometry == {"type": "Point", "coordinates": [103.83, 22.32]}
    assert row.record_count == 3
    assert AuditEvent.objects.filter(action="commune_geometry.derive").count() == 2
    # Nothing changed: nothing written, nothing audited.
    assert commune_positions_from_records() == 0
    assert AuditEvent.objects.filter(action="commune_geometry.derive").count() == 2


def test_a_loaded_outline_is_never_replaced_by_a_derived_position(places):
    a = places[0]
    commune_geometry_load(collection(feature(a.code, square(103.8, 22.3))), source=SOURCE)
    make_outlet(commune=a, position=(22.50, 104.20))
    assert commune_positions_from_records() == 0
    row = CommuneGeometry.objects.get(commune=a)
    assert (row.source, row.source_text, row.bbox) == ("loaded", SOURCE, [103.8, 22.3, 103.82, 22.32])


def test_a_loaded_outline_replaces_a_derived_position(places):
    a = places[0]
    make_outlet(commune=a, position=(22.50, 104.20))
    commune_positions_from_records()
    commune_geometry_load(collection(feature(a.code, square(103.8, 22.3))), source=SOURCE)
    row = CommuneGeometry.objects.get(commune=a)
    assert (row.source, row.records) == ("loaded", {})


def test_a_derived_position_without_records_is_removed(places):
    outlet = make_outlet(commune=places[0], position=(22.50, 104.20))
    commune_positions_from_records()
    outlet.delete()
    assert commune_positions_from_records() == 1
    assert not CommuneGeometry.objects.exists()
    assert AuditEvent.objects.filter(action="commune_geometry.remove", object_id=places[0].code).exists()


def test_the_command_loads_a_file_and_prints_what_it_loaded(places, tmp_path, capsys):
    path = tmp_path / "xa.geojson"
    path.write_text(
        json.dumps({**collection(feature(places[0].code, square(103.8, 22.3))), "name": "Ranh giới xã 2025"}),
        encoding="utf-8",
    )
    call_command("load_commune_geometry", str(path))
    out = capsys.readouterr().out
    assert "Loaded 1 communes" in out and places[0].code in out and "Source: Ranh giới xã 2025" in out
    assert CommuneGeometry.objects.get(commune=places[0]).source_text == "Ranh giới xã 2025"


def test_the_command_prints_each_refused_feature_and_loads_nothing(places, tmp_path, capsys, english):
    path = tmp_path / "xa.geojson"
    path.write_text(
        json.dumps(
            collection(feature(places[0].code, square(103.8, 22.3)), feature("99999", square(104, 22)))
        ),
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="1 feature\\(s\\) refused: nothing was loaded"):
        call_command("load_commune_geometry", str(path), "--source", SOURCE)
    err = capsys.readouterr().err
    assert "Refused: Feature 2 (commune code 99999): no commune has this code" in err
    assert not CommuneGeometry.objects.exists()


def test_the_positions_command_reports_what_it_derived(places, capsys):
    make_outlet(commune=places[0], position=(22.50, 104.20))
    call_command("commune_positions")
    out = capsys.readouterr().out
    assert (
        "1 written or removed; 0 communes with a loaded boundary, 1 with a position derived from records"
        in out
    )
