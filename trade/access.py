"""Who may change the market-connection records. Built on registry.access (the only reader of roles):
producers manage their own products' channels, stock links and event registrations; province
officials their province's outlets, events and destinations; national officials all of them."""

from registry import access
from registry.models import Product
from trade.models import Outlet, TradeEvent


def is_official_with_province(user) -> bool:
    """May create outlets, events or destinations at all: a province or a national official."""
    if user is None:
        return True
    scope = access.scope_of(user)
    return scope.national or bool(scope.provinces)


def can_manage_outlet(user, outlet: Outlet) -> bool:
    return access.is_province_official(user, outlet.province_id)


def can_link_stock(user, *, outlet: Outlet, product: Product) -> bool:
    """The product's producer (or an official over the product) may say where it is sold; the
    outlet's province officials may list what the outlet sells, among the public products."""
    if access.can_manage_product(user, product):
        return True
    return can_manage_outlet(user, outlet) and product.status in Product.PUBLIC_STATUSES


def can_manage_event(user, event: TradeEvent) -> bool:
    """An event of a province is its officials'; one without a province (national, abroad) is the
    national officials'."""
    return access.is_province_official(user, event.province_id)


def can_add_participant(user, *, event: TradeEvent, product: Product) -> bool:
    return can_manage_event(user, event) or access.can_manage_product(user, product)
