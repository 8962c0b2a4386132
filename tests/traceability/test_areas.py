import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEvent
from registry.models import Role
from tests.factories import commune, make_entity, make_product, make_user, with_role
from tests.traceability.shapes import SQUARE
from traceability import services
from traceability.models import RawMaterialArea

pytestmark = pytest.mark.django_db


def _create(entity, geometry, **extra):
    data = {"name": "Đồi chè Suối Giàng", "kind": "crop", "crop": "Chè Shan tuyết", "households": 12, **extra}
    return services.raw_material_area_create(actor=None, entity=entity, geometry=geometry, **data)


def test_it_measures_a_polygon_in_hectares_and_audits_it():
    area = _create(make_entity(), SQUARE, standards="VietGAP")
    assert Decimal("0.99") <= area.area_ha <= Decimal("1.01")
    assert AuditEvent.objects.filter(action="raw_material_area.create", object_id=str(area.pk)).exists()


def test_it_takes_a_feature_collection_as_uploaded_and_a_point_with_a_declared_area():
    entity = make_entity()
    area = _create(
        entity,
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [{"type": "Feature", "properties": {}, "geometry": SQUARE}],
            }
        ),
    )
    assert area.geometry["type"] == "Polygon"
    point = _create(entity, {"type": "Point", "coordinates": [104.6, 21.6]}, area_ha="12.5")
    assert point.area_ha == Decimal("12.50")


@pytest.mark.parametrize(
    ("geometry", "message"),
    [
        ("{not json", "not even JSON"),
        ({"type": "LineString", "coordinates": [[104.6, 21.6], [104.7, 21.7]]}, "point or a polygon"),
        (
            {
                "type": "Polygon",
                "coordinates": [
                    [[104.60, 21.60], [104.61, 21.61], [104.61, 21.60], [104.60, 21.61], [104.60, 21.60]]
                ],
            },
            "crosses itself",
        ),
        ({"type": "Point", "coordinates": [21.6, 104.6]}, "not in Vietnam"),
        (
            {
                "type": "Polygon",
                "coordinates": [[[2.35, 48.85], [2.36, 48.85], [2.36, 48.86], [2.35, 48.85]]],
            },
            "not in Vietnam",
        ),
        (
            {"type": "Polygon", "coordinates": [[[104, 21], [106, 21], [106, 23], [104, 21]]]},
            "check the coordinates",
        ),
        ({"type": "Polygon", "coordinates": [[["a", "b"]]]}, "malformed"),
    ],
    ids=["not-json", "line", "self-intersecting", "lat-lon-swapped", "paris", "too-large", "malformed"],
)
def test_it_refuses_bad_geojson_and_stores_nothing(english, geometry, message):
    with pytest.raises(ValidationError) as exc:
        _create(make_entity(), geometry)
    assert message in " ".join(exc.value.message_dict["geometry"])
    assert not RawMaterialArea.objects.exists()


def test_it_refuses_an_oversized_file_and_html_in_names(english, settings):
    settings.OCOP_GEOJSON_MAX_BYTES = 100
    with pytest.raises(ValidationError) as exc:
        _create(make_entity(), json.dumps(SQUARE), name="<script>x</script>")
    assert "too large" in " ".join(exc.value.message_dict["geometry"])
    assert "HTML" in " ".join(exc.value.message_dict["name"])
    assert not RawMaterialArea.objects.exists()


def test_only_the_entity_or_its_officials_add_areas_and_lots_use_their_own_areas(english):
    entity = make_entity(commune_obj=commune("Lào Cai"))
    outsider = with_role(make_user(), Role.Kind.PROVINCE, province=commune("Cao Bằng").province)
    with pytest.raises(PermissionDenied):
        services.raw_material_area_create(
            actor=outsider, entity=entity, name="X", kind="crop", crop="Chè", geometry=SQUARE
        )
    own = _create(entity, SQUARE)
    other = _create(make_entity(commune_obj=commune("Lào Cai")), SQUARE)
    lot = services.lot_create(actor=None, product=make_product(entity=entity), code="L1")
    with pytest.raises(ValidationError):
        services.lot_areas_set(actor=None, lot=lot, areas=[own, other])
    services.lot_areas_set(actor=None, lot=lot, areas=[own])
    assert list(lot.raw_material_areas.all()) == [own]
    assert AuditEvent.objects.filter(action="lot.areas").count() == 1
