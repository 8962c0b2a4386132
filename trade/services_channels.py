"""Writes of a product's online sales channels: managed by the product's producer (and the officials
over it), every change audited."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_record, snapshot
from ocop_hub.text import plain_text
from registry import access
from registry.models import Product
from traceability.changes import scan_pages_changed
from trade.links import shop_url_clean
from trade.models import SalesChannel

# Enough for every platform and a few websites; more is a list nobody reads.
MAX_CHANNELS_PER_PRODUCT = 20


def sales_channel_add(*, actor, product: Product, kind: str, url: str, label: str = "") -> SalesChannel:
    access.require(access.can_manage_product(actor, product))
    errors: dict[str, list[str]] = {}
    if kind not in SalesChannel.Kind.values:
        errors["kind"] = [_("Choose a kind of channel.")]
    else:
        try:
            url = shop_url_clean(url, kind=kind)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    try:
        label = plain_text(label or "", field="label")[:100]
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # Locks the product row: two producers adding at once cannot both pass the count and the
        # duplicate check.
        Product.objects.select_for_update().only("pk").get(pk=product.pk)
        if SalesChannel.objects.filter(product=product, url=url).exists():
            raise ValidationError({"url": _("This link is already listed for the product.")})
        if SalesChannel.objects.filter(product=product).count() >= MAX_CHANNELS_PER_PRODUCT:
            raise ValidationError(
                _("A product lists at most %(n)s channels: remove one first.")
                % {"n": MAX_CHANNELS_PER_PRODUCT}
            )
        channel = SalesChannel.objects.create(product=product, kind=kind, url=url, label=label)
        audit_record(actor=actor, action="sales_channel.create", obj=channel, after=snapshot(channel))
        scan_pages_changed()  # the scan page shows where to buy
    return channel


def sales_channel_remove(*, actor, channel: SalesChannel) -> None:
    access.require(access.can_manage_product(actor, channel.product))
    with transaction.atomic():
        audit_record(actor=actor, action="sales_channel.delete", obj=channel, before=snapshot(channel))
        channel.delete()
        scan_pages_changed()
