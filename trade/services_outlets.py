"""Writes of outlets (created by the officials of their province, or national officials) and of the
products they stock (linked by the product's producer or by the outlet's province officials)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record, snapshot
from ocop_hub.text import fold, plain_text
from places.models import Commune
from registry import access
from registry.models import Product
from traceability.changes import scan_pages_changed
from trade import access as trade_access
from trade.geo import position_clean
from trade.links import website_clean
from trade.models import Outlet, OutletProduct

OUTLET_FIELDS = ["name", "kind", "address", "commune", "latitude", "longitude", "opening_hours", "website"]


def _outlet_clean(data: dict) -> dict:
    errors: dict[str, list[str]] = {}
    clean: dict = {}
    for field in ("name", "address", "opening_hours"):
        try:
            clean[field] = plain_text(data.get(field) or "", field=field)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    for field, message in (
        ("name", _("Give the outlet's name.")),
        ("address", _("Give the outlet's address, so visitors can find it without a map.")),
    ):
        if field not in errors and not clean.get(field):
            errors[field] = [message]
    if data.get("kind") not in Outlet.Kind.values:
        errors["kind"] = [_("Choose a kind of outlet.")]
    clean["kind"] = data.get("kind")
    if not isinstance(data.get("commune"), Commune):
        errors["commune"] = [_("Choose a commune.")]
    clean["commune"] = data.get("commune")
    try:
        clean["latitude"], clean["longitude"] = position_clean(data.get("latitude"), data.get("longitude"))
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        clean["website"] = website_clean(data.get("website") or "")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return clean


def outlet_create(*, actor, **data) -> Outlet:
    access.require(trade_access.is_official_with_province(actor))
    clean = _outlet_clean(data)
    access.require(access.is_province_official(actor, clean["commune"].province_id))
    with transaction.atomic():
        outlet = Outlet.objects.create(
            **clean, name_folded=fold(clean["name"]), province_id=clean["commune"].province_id
        )
        audit_record(actor=actor, action="outlet.create", obj=outlet, after=snapshot(outlet))
    return outlet


def outlet_update(*, actor, outlet: Outlet, reason: str = "", **data) -> Outlet:
    access.require(trade_access.can_manage_outlet(actor, outlet))
    clean = _outlet_clean({**{f: getattr(outlet, f) for f in OUTLET_FIELDS}, **data})
    # Moving an outlet to another province needs the right over that province too.
    access.require(access.is_province_official(actor, clean["commune"].province_id))
    with transaction.atomic():
        locked = Outlet.objects.select_for_update().get(pk=outlet.pk)
        before = snapshot(locked)
        for field, value in clean.items():
            setattr(locked, field, value)
        locked.name_folded = fold(locked.name)
        locked.province_id = clean["commune"].province_id
        locked.save()
        audit_record(
            actor=actor,
            action="outlet.update",
            obj=locked,
            before=before,
            after=snapshot(locked),
            reason=reason,
        )
        scan_pages_changed()  # the scan pages of the products it stocks show it
    return locked


def outlet_set_open(*, actor, outlet: Outlet, is_open: bool, reason: str = "") -> Outlet:
    """Close an outlet (it leaves the public pages, keeping its history) or open it again."""
    access.require(trade_access.can_manage_outlet(actor, outlet))
    with transaction.atomic():
        locked = Outlet.objects.select_for_update().get(pk=outlet.pk)
        before = snapshot(locked, ["is_open"])
        locked.is_open = is_open
        locked.save(update_fields=["is_open"])
        audit_record(
            actor=actor,
            action="outlet.open" if is_open else "outlet.close",
            obj=locked,
            before=before,
            after=snapshot(locked, ["is_open"]),
            reason=reason,
        )
        scan_pages_changed()
    return locked


def outlet_product_add(
    *, actor, outlet: Outlet, product: Product, since: date | None = None
) -> OutletProduct:
    access.require(trade_access.can_link_stock(actor, outlet=outlet, product=product))
    today = timezone.localdate()
    since = since or today
    if since > today:
        raise ValidationError({"since": _("The date cannot be in the future.")})
    if not outlet.is_open:
        raise ValidationError({"outlet": _("This outlet is closed: it cannot stock products.")})
    if OutletProduct.objects.filter(outlet=outlet, product=product).exists():
        raise ValidationError(
            {"outlet": _("%(outlet)s already stocks this product.") % {"outlet": outlet.name}}
        )
    try:
        with transaction.atomic():
            link = OutletProduct.objects.create(
                outlet=outlet,
                product=product,
                since=since,
                added_by=actor if getattr(actor, "pk", None) else None,
            )
            audit_record(actor=actor, action="outlet_product.create", obj=link, after=snapshot(link))
            scan_pages_changed()
    except IntegrityError:  # the same link added at the same moment by someone else
        raise ValidationError(
            {"outlet": _("%(outlet)s already stocks this product.") % {"outlet": outlet.name}}
        ) from None
    return link


def outlet_product_remove(*, actor, link: OutletProduct) -> None:
    access.require(trade_access.can_link_stock(actor, outlet=link.outlet, product=link.product))
    with transaction.atomic():
        audit_record(actor=actor, action="outlet_product.delete", obj=link, before=snapshot(link))
        link.delete()
        scan_pages_changed()
