"""GeoJSON of raw-material areas: parsed, checked (well-formed, a polygon that does not cross itself,
inside Vietnam) and measured on the WGS 84 ellipsoid (shapely for the geometry, pyproj for areas)."""

import json
import math
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pyproj import Geod
from shapely import validation
from shapely.geometry import shape

# Vietnam's land and islands (Hoàng Sa, Trường Sa included) lie within this box (WGS 84). A finer
# border check needs the country's boundary data, which the platform does not ship yet.
VIETNAM_BOX = (102.1, 6.0, 117.9, 23.5)  # min lon, min lat, max lon, max lat
TYPES = ("Point", "Polygon", "MultiPolygon")
LARGEST_HA = Decimal(50_000)
_GEOD = Geod(ellps="WGS84")
# Earth's mean radius (IUGG): enough for "more than 150 km apart" and "within 20 km" on a sphere.
EARTH_RADIUS_KM = 6371.0088


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle (haversine) distance between two (latitude, longitude) points in degrees."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def _error(message: str) -> ValidationError:
    return ValidationError({"geometry": message})


def geometry_clean(raw) -> tuple[dict, Decimal | None]:
    """(GeoJSON geometry, area in hectares or None for a point) or ValidationError."""
    if isinstance(raw, str):
        if len(raw.encode()) > settings.OCOP_GEOJSON_MAX_BYTES:
            raise _error(
                _("The GeoJSON is too large (at most %(kb)s kB).")
                % {"kb": settings.OCOP_GEOJSON_MAX_BYTES // 1024}
            )
        try:
            raw = json.loads(raw)
        except (ValueError, RecursionError):
            raise _error(_("This is not valid GeoJSON (it is not even JSON).")) from None
    if not isinstance(raw, dict):
        raise _error(_("This is not valid GeoJSON."))
    if raw.get("type") == "FeatureCollection":
        features = raw.get("features") or []
        if len(features) != 1:
            raise _error(_("Give one area at a time (the file has %(n)s).") % {"n": len(features)})
        raw = features[0]
    if raw.get("type") == "Feature":
        raw = raw.get("geometry") or {}
    if raw.get("type") not in TYPES:
        raise _error(_("An area is a point or a polygon, not “%(type)s”.") % {"type": raw.get("type")})
    try:
        geometry = shape(raw)
    except Exception:  # shapely raises several kinds on malformed coordinates
        raise _error(_("The coordinates are malformed: each point is [longitude, latitude].")) from None
    if geometry.is_empty:
        raise _error(_("The area has no coordinates."))
    if not geometry.is_valid:
        reason = validation.explain_validity(geometry)
        if "Self-intersection" in reason or "Ring Self-intersection" in reason:
            raise _error(_("The outline crosses itself: draw it again without crossing lines."))
        raise _error(_("The outline is not a valid polygon (%(reason)s).") % {"reason": reason})
    min_lon, min_lat, max_lon, max_lat = geometry.bounds
    box = VIETNAM_BOX
    if not (box[0] <= min_lon and max_lon <= box[2] and box[1] <= min_lat and max_lat <= box[3]):
        raise _error(
            _(
                "The area is not in Vietnam. Check that each point is [longitude, latitude], "
                "e.g. [104.9, 21.7]."
            )
        )
    if geometry.geom_type == "Point":
        return raw, None
    square_metres, _perimeter = _GEOD.geometry_area_perimeter(geometry)
    hectares = (Decimal(abs(square_metres)) / 10_000).quantize(Decimal("0.01"))
    if hectares > LARGEST_HA:
        raise _error(
            _("%(ha)s ha is more than any raw-material area: check the coordinates.") % {"ha": hectares}
        )
    if hectares < Decimal("0.01"):
        raise _error(_("The area is smaller than 100 m²: check the coordinates."))
    return raw, hectares
