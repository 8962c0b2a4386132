"""Reads of the market connection: channels, outlets, events, destinations. Outlets, events and
destinations are public information (open outlets only); management pages read through the same
functions with the user's scope (registry.access), so a closed outlet is seen only by its officials."""

from datetime import date
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse

from ocop_hub.text import fold
from registry import access
from registry.models import Product, ProductTranslation
from trade.models import (
    TOURISM_GROUP,
    Destination,
    EventParticipation,
    Outlet,
    OutletProduct,
    SalesChannel,
    TradeEvent,
)

# --- where to buy: the catalogue product page and the tourist pages ------------------------------


def where_to_buy(product: Product) -> dict[str, list[dict[str, Any]]]:
    """Where the public can buy a product: its online channels and the open outlets stocking it.
    Plain dicts of public fields only (no who-added-what), for templates and the API alike."""
    channels = [
        {
            "kind": ch.kind,
            "kind_label": ch.get_kind_display(),
            "url": ch.url,
            "label": ch.label or ch.get_kind_display(),
        }
        for ch in SalesChannel.objects.filter(product=product).order_by("kind", "id")
    ]
    links = (
        OutletProduct.objects.filter(product=product, outlet__is_open=True)
        .select_related("outlet__commune__province")
        .order_by("outlet__province_id", "outlet__name_folded", "outlet_id")
    )
    outlets = [outlet_public(link.outlet) | {"since": link.since} for link in links]
    return {"channels": channels, "outlets": outlets}


def outlet_public(outlet: Outlet) -> dict[str, Any]:
    return {
        "id": outlet.pk,
        "name": outlet.name,
        "kind": outlet.kind,
        "kind_label": outlet.get_kind_display(),
        "address": outlet.address,
        "commune": str(outlet.commune),
        "latitude": float(outlet.latitude),
        "longitude": float(outlet.longitude),
        "opening_hours": outlet.opening_hours,
        "website": outlet.website,
        "url": reverse("trade:outlet_detail", args=[outlet.pk]),
    }


def events_of(product: Product) -> list[TradeEvent]:
    """The trade fairs and promotion events a product took part in, newest first."""
    return list(
        TradeEvent.objects.filter(participations__product=product)
        .select_related("province")
        .order_by("-start_date", "-id")
        .distinct()
    )


def _public_products() -> QuerySet[Product]:
    return Product.objects.filter(status__in=Product.PUBLIC_STATUSES)


def _with_names(qs: QuerySet[Product]) -> QuerySet[Product]:
    return qs.select_related("entity", "province", "category").prefetch_related(
        Prefetch("translations", queryset=ProductTranslation.objects.only("product_id", "language", "name"))
    )


# --- sales channels ---------------------------------------------------------------------------------


def channels_of(product: Product) -> QuerySet[SalesChannel]:
    return SalesChannel.objects.filter(product=product).order_by("kind", "id")


def channel_of(product: Product, pk: int) -> SalesChannel:
    """One of the product's channels (another product's is not found)."""
    return SalesChannel.objects.select_related("product__entity").get(product=product, pk=pk)


# --- outlets ------------------------------------------------------------------------------------------


def _outlet_scope(user) -> Q:
    """Open outlets for everyone; closed ones too for the officials who manage them."""
    scope = access.scope_of(user)
    if scope.national:
        return Q()
    return Q(is_open=True) | Q(province_id__in=scope.provinces)


def outlets_visible_to(user, *, province: str = "", kind: str = "", query: str = "") -> QuerySet[Outlet]:
    qs = Outlet.objects.filter(_outlet_scope(user))
    if province:
        qs = qs.filter(province_id=province)
    if kind:
        qs = qs.filter(kind=kind)
    folded = fold(query)
    if folded:
        qs = qs.filter(name_folded__contains=folded)
    return qs.select_related("commune", "province").order_by("name_folded", "id")


def outlet_detail(user, pk: int) -> Outlet:
    return Outlet.objects.filter(_outlet_scope(user)).select_related("commune", "province").get(pk=pk)


def outlet_managed(user, pk: int) -> Outlet:
    """The outlet, if the user may edit it; otherwise it does not exist for them."""
    outlet = outlet_detail(user, pk)
    if not access.is_province_official(user, outlet.province_id):
        raise Outlet.DoesNotExist
    return outlet


def outlets_open() -> QuerySet[Outlet]:
    """Outlets a product can be linked to (a closed outlet stocks nothing)."""
    return (
        Outlet.objects.filter(is_open=True)
        .select_related("commune", "province")
        .order_by("province_id", "name_folded")
    )


def products_at(outlet: Outlet) -> QuerySet[Product]:
    """The public products an outlet stocks."""
    return _with_names(_public_products().filter(stocked_at__outlet=outlet)).order_by("name_folded", "id")


def stock_of(product: Product) -> QuerySet[OutletProduct]:
    """The outlets stocking a product, for its management page (closed ones included)."""
    return OutletProduct.objects.filter(product=product).select_related("outlet__commune__province")


def stock_link_of(product: Product, pk: int) -> OutletProduct:
    return OutletProduct.objects.select_related("outlet", "product").get(product=product, pk=pk)


def stock_at(outlet: Outlet) -> QuerySet[OutletProduct]:
    """Every product an outlet stocks, for its officials (products not public included)."""
    return (
        OutletProduct.objects.filter(outlet=outlet)
        .select_related("product")
        .prefetch_related("product__translations")
    )


def stock_link_at(outlet: Outlet, pk: int) -> OutletProduct:
    return OutletProduct.objects.select_related("outlet", "product").get(outlet=outlet, pk=pk)


def products_linkable_by(user) -> QuerySet[Product]:
    """Products a province official may list at an outlet: the public ones of their provinces
    (all public ones for a national official)."""
    scope = access.scope_of(user)
    qs = _public_products()
    if not scope.national:
        qs = qs.filter(province_id__in=scope.provinces)
    return _with_names(qs).order_by("name_folded", "id")


# --- trade events -------------------------------------------------------------------------------------


def events_list(*, when: str = "", province: str = "", kind: str = "", today: date) -> QuerySet[TradeEvent]:
    """Events are public. Upcoming (not yet ended) soonest first; past ones newest first."""
    qs = TradeEvent.objects.select_related("province")
    if province:
        qs = qs.filter(province_id=province)
    if kind:
        qs = qs.filter(kind=kind)
    if when == "past":
        return qs.filter(end_date__lt=today).order_by("-start_date", "-id")
    if when == "upcoming":
        return qs.filter(end_date__gte=today).order_by("start_date", "id")
    return qs.order_by("-start_date", "-id")


def event_detail(pk: int) -> TradeEvent:
    return TradeEvent.objects.select_related("province").get(pk=pk)


def event_products(event: TradeEvent) -> QuerySet[Product]:
    """The event's participating products the public may see."""
    return _with_names(_public_products().filter(event_participations__event=event)).order_by(
        "name_folded", "id"
    )


def participation_of(event: TradeEvent, pk: int) -> EventParticipation:
    return EventParticipation.objects.select_related("event", "product__entity").get(event=event, pk=pk)


def participations_of(event: TradeEvent) -> QuerySet[EventParticipation]:
    return (
        EventParticipation.objects.filter(event=event, product__status__in=Product.PUBLIC_STATUSES)
        .select_related("product__entity")
        .prefetch_related("product__translations")
    )


def products_registrable_by(user, event: TradeEvent) -> QuerySet[Product]:
    """What the user may put on the event's list: for the event's officials any public product of
    their provinces (all for national officials), for producers their own public products."""
    scope = access.scope_of(user)
    qs = _public_products().exclude(event_participations__event=event)
    if access.is_province_official(user, event.province_id):
        if not scope.national:
            qs = qs.filter(Q(province_id__in=scope.provinces) | Q(entity_id__in=scope.entities))
    else:
        qs = qs.filter(entity_id__in=scope.entities)
    return _with_names(qs).order_by("name_folded", "id")


# --- destinations -------------------------------------------------------------------------------------


def destinations_public(*, province: str = "", kind: str = "") -> QuerySet[Destination]:
    qs = Destination.objects.select_related("commune__province", "product").prefetch_related("translations")
    if province:
        qs = qs.filter(province_id=province)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("province_id", "id")


def destination_detail(pk: int) -> Destination:
    return destinations_public().get(pk=pk)


def destination_managed(user, pk: int) -> Destination:
    destination = destination_detail(pk)
    if not access.is_province_official(user, destination.province_id):
        raise Destination.DoesNotExist
    return destination


def tourism_products() -> QuerySet[Product]:
    """Public OCOP products of group VI (community tourism, eco-tourism, tourist sites)."""
    return _with_names(_public_products().filter(category__subgroup__group_id=TOURISM_GROUP)).order_by(
        "name_folded", "id"
    )
