"""What a tourist finds around a destination: open outlets and other destinations within a distance,
the OCOP products sold or offered there, and a suggested visiting order. Distances are great-circle
(haversine) in Python over a bounding-box query on the indexed latitude/longitude columns: exact
enough for "within 20 km", and portable between SQLite and PostgreSQL (no PostGIS)."""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet

from registry.models import Product, ProductTranslation
from traceability.geo import distance_km
from trade.geo import bbox, route_greedy
from trade.models import TOURISM_GROUP, Destination, Outlet, OutletProduct

KM_DEFAULT = 20
KM_MIN = 1
KM_MAX = 100


def distance_parse(raw: str | None) -> tuple[float, bool]:
    """(km to use, whether the asked value was refused): a missing value is the default, a value out
    of range is brought to the nearest bound, anything else unreadable is the default."""
    if raw is None or raw.strip() == "":
        return float(KM_DEFAULT), False
    try:
        km = float(raw.strip().replace(",", "."))
    except ValueError:
        return float(KM_DEFAULT), True
    if km != km or km in (float("inf"), float("-inf")):  # NaN, infinity
        return float(KM_DEFAULT), True
    if km < KM_MIN:
        return float(KM_MIN), True
    if km > KM_MAX:
        return float(KM_MAX), True
    return round(km, 1), False


@dataclass
class Place:
    """A stop near the destination: an outlet (shop) or another destination (experience)."""

    obj: Outlet | Destination
    km: float
    kind_word: str = ""  # the kind in the visitor's language (set by the page)
    km_text: str = ""

    @property
    def is_shop(self) -> bool:
        return isinstance(self.obj, Outlet)

    @property
    def latlon(self) -> tuple[float, float]:
        return float(self.obj.latitude), float(self.obj.longitude)

    def __str__(self) -> str:
        return f"{type(self.obj).__name__}:{self.obj.pk}"


@dataclass
class NearbyProduct:
    product: Product
    km: float  # to the nearest place offering it
    places: list[str] = field(default_factory=list)  # outlet or destination names
    shown: Any = None  # the product's translation in the visitor's language (set by the page)
    km_text: str = ""


@dataclass
class Nearby:
    km: float
    outlets: list[Place]
    destinations: list[Place]
    products: list[NearbyProduct]
    route: list[tuple[Place, float]]

    @property
    def route_km(self) -> float:
        return sum(step for _place, step in self.route)


def _in_box(qs: QuerySet, lat: float, lon: float, km: float) -> QuerySet:
    min_lat, max_lat, min_lon, max_lon = bbox(lat, lon, km)
    return qs.filter(latitude__range=(min_lat, max_lat), longitude__range=(min_lon, max_lon))


def _within(objs, lat: float, lon: float, km: float) -> list[Place]:
    places = [Place(o, distance_km((lat, lon), (float(o.latitude), float(o.longitude)))) for o in objs]
    return sorted((p for p in places if p.km <= km), key=lambda p: (p.km, p.obj.pk))


def _product_names() -> Prefetch:
    return Prefetch(
        "translations", queryset=ProductTranslation.objects.only("product_id", "language", "name")
    )


def nearby(destination: Destination, km: float) -> Nearby:
    lat, lon = float(destination.latitude), float(destination.longitude)
    outlets = _within(
        _in_box(Outlet.objects.filter(is_open=True).select_related("commune__province"), lat, lon, km),
        lat,
        lon,
        km,
    )
    others = _within(
        _in_box(
            Destination.objects.exclude(pk=destination.pk)
            .select_related("commune__province", "product")
            .prefetch_related("translations"),
            lat,
            lon,
            km,
        ),
        lat,
        lon,
        km,
    )
    found: dict[int, NearbyProduct] = {}

    def offer(product: Product, km_away: float, where: str) -> None:
        entry = found.setdefault(product.pk, NearbyProduct(product, km_away))
        entry.km = min(entry.km, km_away)
        if where not in entry.places:
            entry.places.append(where)

    outlet_km = {p.obj.pk: p for p in outlets}
    stock = (
        OutletProduct.objects.filter(outlet_id__in=outlet_km, product__status__in=Product.PUBLIC_STATUSES)
        .select_related("product__entity", "outlet")
        .prefetch_related(Prefetch("product__translations", queryset=ProductTranslation.objects.all()))
    )
    for link in stock:
        offer(link.product, outlet_km[link.outlet_id].km, link.outlet.name)
    # Tourism services (group VI) are products too: the destination's own and those of its neighbours.
    here = [Place(destination, 0.0), *others]
    tourism: dict[int, tuple[Place, Destination]] = {}
    for place in reversed(here):  # the nearest wins
        if isinstance(place.obj, Destination) and place.obj.product_id:
            tourism[place.obj.product_id] = (place, place.obj)
    if tourism:
        group_vi = (
            Product.objects.filter(
                pk__in=tourism,
                status__in=Product.PUBLIC_STATUSES,
                category__subgroup__group_id=TOURISM_GROUP,
            )
            .select_related("entity")
            .prefetch_related(Prefetch("translations", queryset=ProductTranslation.objects.all()))
        )
        for product in group_vi:
            place, offered_at = tourism[product.pk]
            offer(product, place.km, offered_at.name_vi)
    products = sorted(found.values(), key=lambda p: (p.km, p.product.name_folded, p.product.pk))
    route = route_greedy((lat, lon), [*others, *outlets], lambda p: p.latlon)
    return Nearby(km=km, outlets=outlets, destinations=others, products=products, route=route)


def _feature(obj, **properties) -> dict:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [float(obj.longitude), float(obj.latitude)]},
        "properties": properties,
    }


def _name(destination: Destination, language: str) -> str:
    tr = destination.translation(language)
    return tr.name if tr else ""


def map_markers(*, language: str, labels: dict, province: str = "") -> dict:
    """GeoJSON of the destinations and open outlets (of a province, or all), for the tourism map."""
    destinations = Destination.objects.prefetch_related("translations")
    outlets = Outlet.objects.filter(is_open=True).only("pk", "name", "kind", "latitude", "longitude")
    if province:
        destinations, outlets = (
            destinations.filter(province_id=province),
            outlets.filter(province_id=province),
        )
    features = [
        _feature(
            d,
            kind="destination",
            name=_name(d, language),
            label=labels.get(f"kind_{d.kind}", ""),
            url=f"/tourism/{d.pk}/?lang={language}",
        )
        for d in destinations
    ]
    features += [
        _feature(
            o, kind="outlet", name=o.name, label=labels.get(f"outlet_{o.kind}", ""), url=f"/outlets/{o.pk}/"
        )
        for o in outlets
    ]
    return {"type": "FeatureCollection", "features": features}


def nearby_markers(destination: Destination, found: Nearby, *, language: str) -> tuple[dict, list]:
    """GeoJSON of the destination and what is near it, and the route as [[lat, lon], ...]."""
    features = [_feature(destination, kind="here", name=_name(destination, language))]
    for place in [*found.destinations, *found.outlets]:
        obj = place.obj
        if isinstance(obj, Outlet):
            features.append(
                _feature(
                    obj, kind="outlet", name=obj.name, label=f"{place.km:.1f} km", url=f"/outlets/{obj.pk}/"
                )
            )
        else:
            features.append(
                _feature(
                    obj,
                    kind="destination",
                    name=_name(obj, language),
                    label=f"{place.km:.1f} km",
                    url=f"/tourism/{obj.pk}/?lang={language}",
                )
            )
    line = [[float(destination.latitude), float(destination.longitude)]]
    line += [list(place.latlon) for place, _km in found.route]
    return {"type": "FeatureCollection", "features": features}, line
