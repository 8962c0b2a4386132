"""Demo traceability: a lot with printed serials and resolver links for the first certified demo
product that has a GTIN, so that the demo's QR codes resolve on a laptop (`make run`)."""

from datetime import date

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from registry.models import Packaging, Product
from traceability import digital_link, services
from traceability.models import Lot, ResolverLink, Serial

DEMO_LOT = "2026-11-A"
DEMO_SERIALS = 20


def demo_trace_load() -> str | None:
    """Idempotent. Returns one scannable Digital Link URI of the demo lot (None without a GTIN)."""
    packaging = (
        Packaging.objects.filter(product__status=Product.Status.CERTIFIED)
        .exclude(gtin="")
        .select_related("product")
        .order_by("id")
        .first()
    )
    if packaging is None:
        return None
    product = packaging.product
    with transaction.atomic():
        lot = Lot.objects.filter(product=product, code=DEMO_LOT).first() or services.lot_create(
            actor=None,
            product=product,
            packaging=packaging,
            code=DEMO_LOT,
            production_date=date(2026, 11, 2),
            expiry_date=date(2027, 11, 1),
            quantity=DEMO_SERIALS,
        )
        if not Serial.objects.filter(range__lot=lot).exists():
            services.serials_issue(
                actor=None, product=product, packaging=packaging, lot=lot, count=DEMO_SERIALS
            )
        base = settings.OCOP_PUBLIC_BASE_URL.rstrip("/")
        page = base + reverse("registry:product_detail", args=[product.pk])
        for link_type, title, language in (
            (ResolverLink.LinkType.PIP, "Thông tin sản phẩm", "vi"),
            (ResolverLink.LinkType.PIP, "Product information", "en"),
        ):
            if not ResolverLink.objects.filter(
                packaging=packaging, link_type=link_type, language=language
            ).exists():
                services.resolver_link_add(
                    actor=None,
                    packaging=packaging,
                    link_type=link_type,
                    title=title,
                    language=language,
                    target=f"{page}?lang={language}",
                )
    serial = Serial.objects.filter(range__lot=lot).order_by("id").values_list("value", flat=True).first()
    return digital_link.build(gtin=packaging.gtin, lot=DEMO_LOT, serial=serial or "", base=base)
