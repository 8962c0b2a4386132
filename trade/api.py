"""Public reads of the market connection (no token needed): outlets, trade events, tourist
destinations with what is near them, and where a certified product is sold. Writes go through the
pages for now (each through the trade services)."""

from datetime import date

from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from registry import selectors as registry_selectors
from registry.languages import CONTENT_LANGUAGES
from trade import selectors, selectors_tourism
from trade.models import Destination, Outlet

router = Router(tags=["trade"])
LANGUAGES = [code for code, _name in CONTENT_LANGUAGES]


class ErrorOut(Schema):
    detail: str


class OutletOut(Schema):
    id: int
    name: str
    kind: str
    address: str
    commune_id: str
    province_id: str
    latitude: float
    longitude: float
    opening_hours: str
    website: str


class EventOut(Schema):
    id: int
    name: str
    kind: str
    start_date: date
    end_date: date
    place: str
    province_id: str | None
    organiser: str
    website: str


class ProductRef(Schema):
    id: int
    name: str


class EventDetailOut(EventOut):
    description: str
    products: list[ProductRef]


class DestinationOut(Schema):
    id: int
    kind: str
    commune_id: str
    province_id: str
    latitude: float
    longitude: float
    language: str = Field(
        description="The language of name and description (vi when the one asked is missing)"
    )
    name: str
    description: str
    product_id: int | None
    website: str


class PlaceOut(Schema):
    type: str = Field(description="outlet or destination")
    id: int
    name: str
    km: float


class NearbyProductOut(Schema):
    id: int
    name: str
    km: float
    places: list[str]


class NearbyOut(Schema):
    km: float
    outlets: list[PlaceOut]
    destinations: list[PlaceOut]
    products: list[NearbyProductOut]
    route: list[PlaceOut] = Field(
        description="Visiting order from the destination; km from the previous stop"
    )
    route_km: float


class ChannelOut(Schema):
    kind: str
    label: str
    url: str


class WhereOutletOut(Schema):
    id: int
    name: str
    kind: str
    address: str
    latitude: float
    longitude: float
    since: date


class WhereToBuyOut(Schema):
    channels: list[ChannelOut]
    outlets: list[WhereOutletOut]


def _language(lang: str) -> str:
    return lang if lang in LANGUAGES else "vi"


def _destination_out(d: Destination, language: str) -> dict:
    tr = d.translation(language)
    return {
        "id": d.pk,
        "kind": d.kind,
        "commune_id": d.commune_id,
        "province_id": d.province_id,
        "latitude": float(d.latitude),
        "longitude": float(d.longitude),
        "language": tr.language if tr else "vi",
        "name": tr.name if tr else "",
        "description": tr.description if tr else "",
        "product_id": d.product_id,
        "website": d.website,
    }


def _place(place: selectors_tourism.Place, language: str, km: float | None = None) -> dict:
    obj = place.obj
    if isinstance(obj, Outlet):
        name, kind = obj.name, "outlet"
    else:
        tr = obj.translation(language)
        name, kind = (tr.name if tr else ""), "destination"
    return {"type": kind, "id": obj.pk, "name": name, "km": round(place.km if km is None else km, 2)}


@router.get("/outlets", response=list[OutletOut])
@paginate(PageNumberPagination, page_size=50)
def list_outlets(request, province: str = "", kind: str = "", query: str = ""):
    return selectors.outlets_visible_to(None, province=province, kind=kind, query=query[:100])


@router.get("/outlets/{outlet_id}", response={200: OutletOut, 404: ErrorOut})
def get_outlet(request, outlet_id: int):
    return selectors.outlet_detail(None, outlet_id)


@router.get("/events", response=list[EventOut])
@paginate(PageNumberPagination, page_size=50)
def list_events(request, when: str = "", province: str = "", kind: str = ""):
    """`when`: upcoming (soonest first), past (newest first) or empty (all, newest first)."""
    return selectors.events_list(when=when, province=province, kind=kind, today=timezone.localdate())


@router.get("/events/{event_id}", response={200: EventDetailOut, 404: ErrorOut})
def get_event(request, event_id: int):
    event = selectors.event_detail(event_id)
    products = [{"id": p.pk, "name": p.name_vi} for p in selectors.event_products(event)]
    return {
        **{
            f: getattr(event, f)
            for f in ("id", "name", "kind", "start_date", "end_date", "place", "organiser")
        },
        "province_id": event.province_id,
        "website": event.website,
        "description": event.description,
        "products": products,
    }


@router.get("/destinations", response=list[DestinationOut])
@paginate(PageNumberPagination, page_size=50)
def list_destinations(request, province: str = "", kind: str = "", lang: str = "vi"):
    language = _language(lang)
    return [
        _destination_out(d, language) for d in selectors.destinations_public(province=province, kind=kind)
    ]


@router.get("/destinations/{destination_id}", response={200: DestinationOut, 404: ErrorOut})
def get_destination(request, destination_id: int, lang: str = "vi"):
    return _destination_out(selectors.destination_detail(destination_id), _language(lang))


@router.get("/destinations/{destination_id}/nearby", response={200: NearbyOut, 404: ErrorOut})
def get_nearby(request, destination_id: int, km: str = "", lang: str = "vi"):
    """What is within `km` (1–100, default 20; out of range is brought to the nearest bound)."""
    language = _language(lang)
    destination = selectors.destination_detail(destination_id)
    distance, _refused = selectors_tourism.distance_parse(km)
    found = selectors_tourism.nearby(destination, distance)
    products = []
    for item in found.products:
        tr = item.product.translation(language)
        products.append(
            {
                "id": item.product.pk,
                "name": tr.name if tr else "",
                "km": round(item.km, 2),
                "places": item.places,
            }
        )
    return {
        "km": distance,
        "outlets": [_place(p, language) for p in found.outlets],
        "destinations": [_place(p, language) for p in found.destinations],
        "products": products,
        "route": [_place(p, language, step) for p, step in found.route],
        "route_km": round(found.route_km, 2),
    }


@router.get("/products/{product_id}/where-to-buy", response={200: WhereToBuyOut, 404: ErrorOut})
def get_where_to_buy(request, product_id: int):
    """Channels and open outlets of a certified product (others are not found)."""
    product = registry_selectors.product_detail(None, product_id)
    return selectors.where_to_buy(product)
