"""Where communes are drawn on the reports map (issue 9). The vietnam-provinces package has no
boundaries: a province loads its land department's GeoJSON file (checked, simplified, all or nothing),
else positions are derived from our own records and marked approximate."""

import hashlib
import json
import math
from dataclasses import dataclass
from decimal import Decimal

import shapely
import shapely.geometry
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, Max, Min, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record_many
from places.models import Commune, CommuneGeometry

# The "inside Vietnam" box that raw-material areas (traceability) and outlets (trade.geo) are held to.
from traceability.geo import VIETNAM_BOX

# The package has no boundaries: a province loads its land department's file, else positions are derived
# from our records. Stored simplified: the map's finest scale is a province (~0.003° a pixel), so a
# tolerance of ~55 m is invisible, doubled until the commune fits MAX_VERTICES.
CODE_PROPERTIES = ("code", "ma_xa", "commune_code")
GEOMETRY_TYPES = ("Polygon", "MultiPolygon", "Point")
SIMPLIFY_TOLERANCES = (0.0005, 0.001, 0.002, 0.004)
MAX_VERTICES = 500
DECIMALS = 5  # ~1 m


@dataclass
class FeatureRefusal:
    index: int  # 1 = the file's first feature
    code: str
    message: str

    def __str__(self) -> str:
        return _("Feature %(index)s (commune code %(code)s): %(message)s") % {
            "index": self.index,
            "code": self.code or "?",
            "message": self.message,
        }


class CommuneGeometryRefused(ValidationError):
    """The file is refused as a whole: `refusals` names every feature in error."""

    def __init__(self, refusals: list[FeatureRefusal]):
        super().__init__([str(r) for r in refusals])
        self.refusals = refusals


@dataclass
class CommuneGeometryLoadResult:
    communes: list[str]
    created: int
    updated: int
    vertices: int


class _Refused(Exception):
    pass


def _code_of(properties) -> str:
    for key in CODE_PROPERTIES:
        value = properties.get(key) if isinstance(properties, dict) else None
        if value is None or isinstance(value, bool) or str(value).strip() == "":
            continue
        code = str(value).strip()
        # Codes are 5 digits; spreadsheets and GIS tools drop the leading zero ("1234" for "01234").
        return code.zfill(5) if code.isdigit() else code
    return ""


def _position_check(position) -> None:
    if not isinstance(position, list | tuple) or len(position) < 2:
        raise _Refused(_("a position is not a [longitude, latitude] pair."))
    lon, lat = position[0], position[1]
    for value in (lon, lat):
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise _Refused(_("the coordinate %(value)s is not a number.") % {"value": json.dumps(value)[:40]})
    min_lon, min_lat, max_lon, max_lat = VIETNAM_BOX
    if not (min_lon <= lon <= max_lon and min_lat <= lat <= max_lat):
        raise _Refused(
            _(
                "the point [%(lon)s, %(lat)s] is not in Vietnam: each point is [longitude, latitude] "
                "in WGS 84 degrees, e.g. [104.9, 21.7]."
            )
            % {"lon": lon, "lat": lat}
        )


def _rings_check(rings) -> None:
    if not isinstance(rings, list) or not rings:
        raise _Refused(_("a polygon has no rings."))
    for ring in rings:
        if not isinstance(ring, list) or len(ring) < 4:
            raise _Refused(_("a ring has fewer than 4 positions."))
        for position in ring:
            _position_check(position)
        if list(ring[0][:2]) != list(ring[-1][:2]):
            raise _Refused(_("a ring is not closed: its last position must repeat its first."))


def _rounded(value):
    if isinstance(value, list | tuple):
        return [_rounded(v) for v in value]
    return round(float(value), DECIMALS)


def _geometry_clean(raw) -> tuple[dict, float, float, list[float], int]:
    """(simplified geometry, centroid lat, centroid lon, bbox, vertices) or _Refused."""
    if not isinstance(raw, dict) or raw.get("type") not in GEOMETRY_TYPES:
        kind = raw.get("type") if isinstance(raw, dict) else None
        raise _Refused(
            _("the geometry is a “%(type)s”, not a Polygon, MultiPolygon or Point.") % {"type": kind}
        )
    coordinates = raw.get("coordinates")
    if raw["type"] == "Point":
        _position_check(coordinates)
        assert isinstance(coordinates, list | tuple)
        lon, lat = float(coordinates[0]), float(coordinates[1])
        return {"type": "Point", "coordinates": _rounded([lon, lat])}, lat, lon, [lon, lat, lon, lat], 1
    polygons = [coordinates] if raw["type"] == "Polygon" else coordinates
    if not isinstance(polygons, list) or not polygons:
        raise _Refused(_("the geometry has no coordinates."))
    for rings in polygons:
        _rings_check(rings)
    shape = shapely.geometry.shape({"type": raw["type"], "coordinates": coordinates})
    for tolerance in SIMPLIFY_TOLERANCES:
        simple = shape.simplify(tolerance, preserve_topology=True)
        vertices = int(shapely.get_num_coordinates(simple))
        if vertices <= MAX_VERTICES:
            break
    else:
        raise _Refused(
            _("the outline has %(n)s points even simplified; at most %(max)s are kept per commune.")
            % {"n": vertices, "max": MAX_VERTICES}
        )
    mapped = shapely.geometry.mapping(simple)
    geometry = {"type": mapped["type"], "coordinates": _rounded(mapped["coordinates"])}
    centroid = shape.representative_point() if not shape.centroid.within(shape) else shape.centroid
    return geometry, centroid.y, centroid.x, [round(b, DECIMALS) for b in shape.bounds], vertices


def _geometry_fields(geometry: dict, lat: float, lon: float, bbox: list[float]) -> dict:
    q = Decimal("0.000001")
    return {
        "geometry": geometry,
        "latitude": Decimal(str(lat)).quantize(q),
        "longitude": Decimal(str(lon)).quantize(q),
        "bbox": bbox,
    }


def _audit_view(row: CommuneGeometry) -> dict:
    """What the audit log keeps of a geometry: its summary and a digest (the outline itself can be
    hundreds of points; the digest shows whether it changed)."""
    digest = hashlib.sha256(json.dumps(row.geometry, sort_keys=True).encode()).hexdigest()[:16]
    return {
        "source": row.source,
        "source_text": row.source_text,
        "records": row.records,
        "type": row.geometry.get("type"),
        "latitude": row.latitude,
        "longitude": row.longitude,
        "bbox": row.bbox,
        "geometry_sha256": digest,
    }


def _row_set(
    row: CommuneGeometry | None, code: str, values: dict, created: list, updated: list
) -> tuple[CommuneGeometry, dict | None]:
    """The commune's row with `values` set (a new one if it has none, added to `created`, else to
    `updated`) and its audit view before the change."""
    before = _audit_view(row) if row else None
    if row is None:
        row = CommuneGeometry(commune_id=code)
        created.append(row)
    else:
        updated.append(row)
    for key, value in values.items():
        setattr(row, key, value)
    return row, before


def commune_geometry_load(features, *, source: str, actor=None) -> CommuneGeometryLoadResult:
    """Store the communes' geometries of a GeoJSON FeatureCollection (or its list of features), each
    feature naming its commune (`code`, `ma_xa` or `commune_code`). Checked first, all or nothing: any
    refused feature raises CommuneGeometryRefused naming every one, and nothing changes."""
    source = (source or "").strip()
    if not source:
        raise ValidationError({"source": _("Say where the boundaries come from (department, year).")})
    if len(source) > 300:
        raise ValidationError({"source": _("Keep the source under 300 characters.")})
    if isinstance(features, dict):
        features = features.get("features") if features.get("type") == "FeatureCollection" else [features]
    if not isinstance(features, list) or not features:
        raise ValidationError({"file": _("The file has no features: give a GeoJSON FeatureCollection.")})
    known = set(Commune.objects.values_list("code", flat=True))
    refusals: list[FeatureRefusal] = []
    cleaned: dict[str, dict] = {}
    first_index: dict[str, int] = {}
    vertices = 0
    for index, feature in enumerate(features, start=1):
        code = _code_of(feature.get("properties") if isinstance(feature, dict) else None)
        try:
            if not isinstance(feature, dict) or feature.get("type", "Feature") != "Feature":
                raise _Refused(_("this is not a GeoJSON Feature."))
            if not code:
                raise _Refused(_("the feature has no commune code (property code, ma_xa or commune_code)."))
            if code not in known:
                raise _Refused(_("no commune has this code on the 2025 map."))
            if code in first_index:
                raise _Refused(
                    _("the commune is already in feature %(index)s.") % {"index": first_index[code]}
                )
            first_index[code] = index
            geometry, lat, lon, bbox, n = _geometry_clean(feature.get("geometry"))
        except _Refused as exc:
            refusals.append(FeatureRefusal(index=index, code=code, message=str(exc)))
            continue
        cleaned[code] = _geometry_fields(geometry, lat, lon, bbox)
        vertices += n
    if refusals:
        raise CommuneGeometryRefused(refusals)
    with transaction.atomic():
        existing = CommuneGeometry.objects.select_for_update().in_bulk(list(cleaned))
        created: list[CommuneGeometry] = []
        updated: list[CommuneGeometry] = []
        items: list[tuple[models.Model, dict | None, dict | None]] = []
        for code, values in cleaned.items():
            row, before = _row_set(
                existing.get(code),
                code,
                {**values, "source": CommuneGeometry.Source.LOADED, "source_text": source},
                created,
                updated,
            )
            row.records = {}
            items.append((row, before, _audit_view(row)))
        CommuneGeometry.objects.bulk_create(created, batch_size=500)
        fields = [
            "geometry",
            "latitude",
            "longitude",
            "bbox",
            "source",
            "source_text",
            "records",
            "updated_at",
        ]
        now = timezone.now()
        for row in updated:
            row.updated_at = now
        CommuneGeometry.objects.bulk_update(updated, fields, batch_size=500)
        audit_record_many(actor=actor, action="commune_geometry.load", items=items, reason=source)
    return CommuneGeometryLoadResult(list(cleaned), len(created), len(updated), vertices)


def commune_positions_from_records(*, actor=None) -> int:
    """Approximate positions for the communes without a loaded boundary: the mean position of the
    commune's outlets and tourist destinations (trade). Raw-material areas are not used: they carry no
    commune, and their entity's commune is where it is registered, not where the area lies. A derived
    position whose records are gone is removed. Idempotent; returns the rows created, changed or removed."""
    from trade.models import Destination, Outlet  # places is below trade: read it only here

    min_lon, min_lat, max_lon, max_lat = VIETNAM_BOX
    sums: dict[str, dict] = {}
    for name, model in (("outlets", Outlet), ("destinations", Destination)):
        rows = (
            model.objects.filter(
                latitude__gte=min_lat, latitude__lte=max_lat, longitude__gte=min_lon, longitude__lte=max_lon
            )
            .values("commune_id")
            .annotate(
                n=Count("id"),
                lat=Sum("latitude"),
                lon=Sum("longitude"),
                south=Min("latitude"),
                north=Max("latitude"),
                west=Min("longitude"),
                east=Max("longitude"),
            )
            .order_by()
        )
        for r in rows:
            acc = sums.setdefault(
                r["commune_id"], {"records": {}, "lat": Decimal(0), "lon": Decimal(0), "box": []}
            )
            acc["records"][name] = r["n"]
            acc["lat"] += r["lat"]
            acc["lon"] += r["lon"]
            acc["box"].append((r["west"], r["south"], r["east"], r["north"]))
    with transaction.atomic():
        existing = CommuneGeometry.objects.select_for_update().in_bulk()
        created: list[CommuneGeometry] = []
        updated: list[CommuneGeometry] = []
        items: list[tuple[models.Model, dict | None, dict | None]] = []
        for code, acc in sorted(sums.items()):
            row = existing.get(code)
            if row is not None and row.source == CommuneGeometry.Source.LOADED:
                continue
            n = sum(acc["records"].values())
            lat, lon = float(acc["lat"] / n), float(acc["lon"] / n)
            box = [
                float(min(b[i] for b in acc["box"])) if i < 2 else float(max(b[i] for b in acc["box"]))
                for i in range(4)
            ]
            values = _geometry_fields(
                {"type": "Point", "coordinates": _rounded([lon, lat])}, lat, lon, _rounded(box)
            )
            values.update(source=CommuneGeometry.Source.RECORDS, source_text="", records=acc["records"])
            if row is not None and all(getattr(row, k) == v for k, v in values.items()):
                continue
            row, before = _row_set(row, code, values, created, updated)
            row.updated_at = timezone.now()
            items.append((row, before, _audit_view(row)))
        stale = [
            row
            for code, row in existing.items()
            if row.source == CommuneGeometry.Source.RECORDS and code not in sums
        ]
        CommuneGeometry.objects.bulk_create(created, batch_size=500)
        CommuneGeometry.objects.bulk_update(
            updated,
            ["geometry", "latitude", "longitude", "bbox", "source", "source_text", "records", "updated_at"],
        )
        audit_record_many(actor=actor, action="commune_geometry.derive", items=items)
        audit_record_many(
            actor=actor,
            action="commune_geometry.remove",
            items=[(row, _audit_view(row), None) for row in stale],
        )
        CommuneGeometry.objects.filter(pk__in=[row.pk for row in stale]).delete()
    return len(items) + len(stale)
