"""Reads for the scan page: what a scanned code says about the product (public facts only)."""

from django.utils.translation import gettext as _

from registry.models import Packaging, Product
from traceability import digital_link
from traceability.models import Lot, Serial


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
