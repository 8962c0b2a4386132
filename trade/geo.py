"""Positions and distances: the "inside Vietnam" check of raw-material areas (traceability.geo's box),
great-circle distances and a short visiting order for tourists."""

import math
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from traceability.geo import VIETNAM_BOX, distance_km

KM_PER_DEGREE_LAT = 111.2


def position_clean(latitude, longitude) -> tuple[Decimal, Decimal]:
    """(latitude, longitude) rounded to 6 decimals (~10 cm), or a ValidationError naming the field."""
    errors: dict[str, list[str]] = {}
    values: list[Decimal | None] = []
    for name, raw in (("latitude", latitude), ("longitude", longitude)):
        try:
            value = Decimal(str(raw).strip().replace(",", "."))
            if not value.is_finite():
                raise InvalidOperation
            values.append(value.quantize(Decimal("0.000001")))
        except (InvalidOperation, ValueError):
            errors[name] = [_("Enter a number in decimal degrees, e.g. 22.336 or 103.844.")]
            values.append(None)
    if errors:
        raise ValidationError(errors)
    lat, lon = values
    assert lat is not None and lon is not None
    min_lon, min_lat, max_lon, max_lat = VIETNAM_BOX
    if not (
        Decimal(str(min_lat)) <= lat <= Decimal(str(max_lat))
        and Decimal(str(min_lon)) <= lon <= Decimal(str(max_lon))
    ):
        raise ValidationError(
            {
                "latitude": _(
                    "This position is not in Vietnam. Latitude is north (about 8 to 23), longitude east "
                    "(about 102 to 110): check that the two are not swapped."
                )
            }
        )
    return lat, lon


def bbox(lat: float, lon: float, km: float) -> tuple[float, float, float, float]:
    """A box (min lat, max lat, min lon, max lon) that contains every point within `km`: a cheap
    indexed prefilter before the exact distance."""
    dlat = km / KM_PER_DEGREE_LAT
    dlon = km / (KM_PER_DEGREE_LAT * max(0.01, math.cos(math.radians(lat))))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


def route_greedy(start: tuple[float, float], stops: Sequence[Any], position) -> list[tuple[Any, float]]:
    """A visiting order from `start`: always the nearest stop not yet visited (a nearest-neighbour tour:
    not the shortest possible, but close for the handful of stops a day allows, and easy to explain).
    Returns (stop, km from the previous place)."""
    left = list(stops)
    here = start
    order: list[tuple[Any, float]] = []
    while left:
        best = min(left, key=lambda s: (distance_km(here, position(s)), str(s)))
        km = distance_km(here, position(best))
        order.append((best, km))
        left.remove(best)
        here = position(best)
    return order
