"""Reads of traceability: what a scanned code says about the product (public facts only), and the
lots, serial ranges and resolver links of a product its managers see."""

from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from registry import access
from registry import selectors as registry_selectors
from registry.models import Packaging, Product
from traceability import digital_link
from traceability.models import Lot, ResolverLink, Serial, SerialRange

# Rows fetched per round trip when a range's serials are streamed (a million of them at most).
SERIAL_EXPORT_CHUNK = 5000


def scan_context(path: str) -> dict:
    try:
        link = digital_link.parse_path(path)
    except digital_link.DigitalLinkError as exc:
        return {
            "status": 400,
            "problem": _("This code is not a valid GS1 Digital Link: %(error)s") % {"error": exc},
        }
    packaging = (
        Packaging.objects.select_related(
            "product__entity", "product__commune", "product__province", "product__category"
        )
        .filter(gtin=link.gtin)
        .first()
    )
    if packaging is None:
        return {"status": 404, "problem": _("This code is not registered on OCOP Hub.")}
    product: Product = packaging.product
    lot = Lot.objects.filter(product=product, code=link.lot).first() if link.lot else None
    serial = Serial.objects.filter(product=product, value=link.serial).first() if link.serial else None
    warnings = []
    if link.lot and lot is None:
        warnings.append(_("The lot %(lot)s is not known for this product.") % {"lot": link.lot})
    if lot is not None and lot.status == Lot.Status.RECALLED:
        warnings.append(_("This lot was recalled: %(reason)s") % {"reason": lot.recall_reason})
    if link.serial and serial is None:
        warnings.append(
            _("The serial %(serial)s was never issued for this product: it may be a fake.")
            % {"serial": link.serial}
        )
    elif serial is not None and serial.status == Serial.Status.VOIDED:
        warnings.append(_("The serial %(serial)s was voided by the producer.") % {"serial": link.serial})
    if product.status not in Product.PUBLIC_STATUSES:
        warnings.append(_("This product has no valid OCOP certificate."))
    return {
        "link": link,
        "product": product,
        "packaging": packaging,
        "lot": lot,
        "serial": serial,
        "warnings": warnings,
        "certified": product.status in Product.PUBLIC_STATUSES,
    }


# --- a product's traceability, for those who manage it ---------------------------------------------


def product_managed(user, pk: int) -> Product:
    """The product, if the user may manage it (registry.access); otherwise it does not exist for
    them, even if it is public."""
    product = registry_selectors.product_detail(user, pk)
    if not access.can_manage_product(user, product):
        raise Product.DoesNotExist
    return product


def lots_of(product: Product) -> QuerySet[Lot]:
    return Lot.objects.filter(product=product).select_related("packaging")


def lot_of(product: Product, pk: int) -> Lot:
    return Lot.objects.select_related("product__entity").get(product=product, pk=pk)


def serial_ranges_of(product: Product) -> QuerySet[SerialRange]:
    return SerialRange.objects.filter(product=product).select_related("packaging", "lot")


def serial_range_of(product: Product, pk: int) -> SerialRange:
    return SerialRange.objects.select_related("packaging", "lot").get(product=product, pk=pk)


def serial_values(serial_range: SerialRange) -> Iterator[str]:
    """The range's serials in issue order, fetched in chunks: never the whole range in memory."""
    return (
        Serial.objects.filter(range=serial_range)
        .order_by("pk")
        .values_list("value", flat=True)
        .iterator(chunk_size=SERIAL_EXPORT_CHUNK)
    )


def resolver_links_of(product: Product) -> QuerySet[ResolverLink]:
    return ResolverLink.objects.filter(packaging__product=product).select_related("packaging", "lot")


def resolver_link_of(product: Product, pk: int) -> ResolverLink:
    return ResolverLink.objects.select_related("packaging__product__entity").get(
        packaging__product=product, pk=pk
    )
