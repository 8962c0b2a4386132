"""Recording a step of a product's journey in plain words (harvest, produce, pack, ship, receive):
producers never see EPCIS terms; the platform writes the EPCIS 2.0 event itself through
`epcis.epcis_event_record`, so every event passes the same schema and GTIN checks as a capture.

The words EPCIS has no field for (which step it was in our terms, a buyer's name, a photo) go in
extension fields under the platform's own JSON-LD namespace (`ocop:`), declared in the event's
@context as EPCIS 2.0 requires of extensions."""

import uuid
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ocop_hub.text import plain_text
from registry import access
from registry.files import image_encode
from registry.models import Product
from traceability import digital_link, epcis, services
from traceability.models import EpcisEvent, Lot, RawMaterialArea

# The namespace of the platform's extension fields. A vocabulary's identity must not move with
# the host the platform is served from (so not OCOP_PUBLIC_BASE_URL), and the project owns no
# domain name yet: a URN names it without pretending to be a web address.
OCOP_VOCABULARY = "urn:ocop-hub:voc:"
STEP_CONTEXT = {"ocop": OCOP_VOCABULARY}
# A phone's clock may run ahead, and a step is often recorded in the evening for the next morning's
# departure; more than a day ahead is a typing mistake.
FUTURE_TOLERANCE = timedelta(days=1)
DESTINATION_MAX = 200
PHOTO_DIR = "trace_steps"


class StepKind(models.TextChoices):
    HARVEST = "harvest", gettext_lazy("Harvest")
    PRODUCE = "produce", gettext_lazy("Produce")
    PACK = "pack", gettext_lazy("Pack")
    SHIP = "ship", gettext_lazy("Ship")
    RECEIVE = "receive", gettext_lazy("Receive")


class Unit(models.TextChoices):
    """Units a producer counts in, each with its UN/CEFACT Recommendation 20 code (EPCIS `uom`)."""

    KG = "KGM", gettext_lazy("kg")
    G = "GRM", gettext_lazy("g")
    TONNE = "TNE", gettext_lazy("tonnes")
    LITRE = "LTR", gettext_lazy("litres")
    ML = "MLT", gettext_lazy("ml")
    # No uom: an EPCIS quantity without one counts instances of the class.
    ITEM = "", gettext_lazy("items")


# What each step is in the CBV (the vendored schema accepts the bare values). CBV 2.0 has no
# "harvesting" step: a harvest is when the harvested lot comes into existence under its identifier,
# which is CBV "commissioning" (ObjectEvent ADD), with the raw-material area as where it happened.
# A transformation's output is commissioned too (GS1's own TransformationEvent examples use it).
_CBV = {
    StepKind.HARVEST: ("ObjectEvent", "ADD", "commissioning", "active"),
    StepKind.PRODUCE: ("TransformationEvent", "", "commissioning", "active"),
    StepKind.PACK: ("ObjectEvent", "OBSERVE", "packing", ""),
    StepKind.SHIP: ("ObjectEvent", "OBSERVE", "shipping", "in_transit"),
    StepKind.RECEIVE: ("ObjectEvent", "OBSERVE", "receiving", ""),
}
QUANTITY_REQUIRED = {StepKind.HARVEST, StepKind.PRODUCE}
NOT_FOR_RECALLED = {StepKind.PACK, StepKind.SHIP}


def lot_class_uri(lot: Lot) -> str:
    """The lot's class URI: its GS1 Digital Link (GTIN + lot) when its packaging has a GTIN;
    otherwise a platform URI, so lots not yet given a barcode can still be traced."""
    if lot.packaging is not None and lot.packaging.gtin:
        return digital_link.build(gtin=lot.packaging.gtin, lot=lot.code, base=settings.OCOP_PUBLIC_BASE_URL)
    return f"{settings.OCOP_PUBLIC_BASE_URL.rstrip('/')}/lots/{lot.pk}"


def area_uri(area: RawMaterialArea) -> str:
    return f"{settings.OCOP_PUBLIC_BASE_URL.rstrip('/')}/areas/{area.pk}"


def party_uri(name: str) -> str:
    """A buyer or outlet named in free text: the same name gives the same URI, so shipments to one
    buyer can be queried together until outlets are records of their own."""
    return f"{settings.OCOP_PUBLIC_BASE_URL.rstrip('/')}/parties/{quote(name.casefold(), safe='')}"


def _number(quantity: Decimal) -> int | float:
    # EPCIS JSON quantities are JSON numbers.
    return int(quantity) if quantity == quantity.to_integral_value() else float(quantity)


def _quantity_element(lot: Lot, quantity: Decimal | None, unit: str) -> dict:
    element: dict = {"epcClass": lot_class_uri(lot)}
    if quantity is not None:
        element["quantity"] = _number(quantity)
        if unit:
            element["uom"] = unit
    return element


def _check(
    *,
    product: Product,
    kind: str,
    lot: Lot | None,
    when: datetime | None,
    quantity,
    unit: str,
    area: RawMaterialArea | None,
    input_lots: list[Lot],
    destination: str,
) -> tuple[Decimal | None, str]:
    errors: dict[str, list[str]] = {}
    if kind not in StepKind.values:
        errors["kind"] = [_("Choose what happened.")]
    if lot is None:
        errors["lot"] = [_("Choose the lot.")]
    elif lot.product_id != product.pk:
        errors["lot"] = [_("This lot belongs to another product.")]
    elif kind in NOT_FOR_RECALLED and lot.status == Lot.Status.RECALLED:
        errors["lot"] = [_("This lot is recalled: it must not be packed or shipped.")]
    if when is None or timezone.is_naive(when):
        errors["when"] = [_("Give the date and time.")]
    elif when > timezone.now() + FUTURE_TOLERANCE:
        errors["when"] = [_("The date is in the future.")]
    clean_quantity: Decimal | None = None
    if quantity not in (None, ""):
        try:
            clean_quantity = Decimal(str(quantity))
            if not clean_quantity.is_finite() or not Decimal(0) < clean_quantity < Decimal("1e12"):
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            errors["quantity"] = [_("Enter a quantity greater than zero.")]
    elif kind in QUANTITY_REQUIRED:
        errors["quantity"] = [_("Enter the quantity.")]
    if unit not in Unit.values:
        errors["unit"] = [_("Choose a unit.")]
    if kind == StepKind.HARVEST:
        if area is None:
            errors["area"] = [_("Choose the raw-material area it was harvested from.")]
        elif area.entity_id != product.entity_id:
            errors["area"] = [_("This area belongs to another producer.")]
    if kind == StepKind.PRODUCE:
        if not input_lots:
            errors["input_lots"] = [_("Choose the lots it was made from.")]
        elif any(used.product.entity_id != product.entity_id for used in input_lots):
            errors["input_lots"] = [_("A lot can only be made from its producer's own lots.")]
        elif lot is not None and any(used.pk == lot.pk for used in input_lots):
            errors["input_lots"] = [_("A lot cannot be made from itself.")]
        elif any(used.status == Lot.Status.RECALLED for used in input_lots):
            errors["input_lots"] = [_("A recalled lot cannot be used to make another.")]
    clean_destination = ""
    if kind == StepKind.SHIP:
        try:
            clean_destination = plain_text(destination or "", field="destination").strip()
        except ValidationError as exc:
            errors.update(exc.message_dict)
        else:
            if not clean_destination:
                errors["destination"] = [_("Say where the goods go (an outlet or a buyer).")]
            elif len(clean_destination) > DESTINATION_MAX:
                errors["destination"] = [_("Use at most %(count)s characters.") % {"count": DESTINATION_MAX}]
    if errors:
        raise ValidationError(errors)
    return clean_quantity, clean_destination


def _event(
    *,
    kind: str,
    lot: Lot,
    when: datetime,
    quantity: Decimal | None,
    unit: str,
    area: RawMaterialArea | None,
    input_lots: list[Lot],
    destination: str,
    photo: str,
) -> dict:
    event_type, action, biz_step, disposition = _CBV[StepKind(kind)]
    event: dict = {
        "@context": [STEP_CONTEXT],
        "type": event_type,
        "eventID": f"urn:uuid:{uuid.uuid4()}",
        "eventTime": when.isoformat(),
        "eventTimeZoneOffset": epcis.time_zone_offset(when),
        "bizStep": biz_step,
    }
    if action:
        event["action"] = action
    if disposition:
        event["disposition"] = disposition
    if event_type == "TransformationEvent":
        event["inputQuantityList"] = [{"epcClass": lot_class_uri(used)} for used in input_lots]
        event["outputQuantityList"] = [_quantity_element(lot, quantity, unit)]
    else:
        event["quantityList"] = [_quantity_element(lot, quantity, unit)]
    if area is not None and kind == StepKind.HARVEST:
        event["readPoint"] = {"id": area_uri(area)}
        event["bizLocation"] = {"id": area_uri(area)}
    if kind == StepKind.SHIP:
        event["destinationList"] = [{"type": "owning_party", "destination": party_uri(destination)}]
        event["ocop:note"] = destination
    event["ocop:step"] = kind
    if photo:
        event["ocop:photo"] = photo
    return event


def _photo_store(photo, *, product: Product) -> str:
    encoded = image_encode(photo, field="photo")
    return default_storage.save(
        f"{PHOTO_DIR}/p{product.pk}/{uuid.uuid4().hex}.jpg", ContentFile(encoded.main)
    )


def step_record(
    *,
    actor,
    product: Product,
    kind: str,
    lot: Lot | None,
    when: datetime | None,
    quantity=None,
    unit: str = "",
    area: RawMaterialArea | None = None,
    input_lots=(),
    destination: str = "",
    photo=None,
) -> EpcisEvent:
    """Record one step of the product's journey as an EPCIS event; a production step also records
    which lots the output lot was made from, a harvest which area the lot came from."""
    access.require(access.can_manage_product(actor, product))
    input_lots = list(input_lots)
    clean_quantity, clean_destination = _check(
        product=product,
        kind=kind,
        lot=lot,
        when=when,
        quantity=quantity,
        unit=unit,
        area=area,
        input_lots=input_lots,
        destination=destination,
    )
    assert lot is not None and when is not None  # noqa: S101 (checked above; for the type checker)
    photo_name = _photo_store(photo, product=product) if photo else ""
    try:
        with transaction.atomic():
            stored = epcis.epcis_event_record(
                actor=actor,
                event=_event(
                    kind=kind,
                    lot=lot,
                    when=when,
                    quantity=clean_quantity,
                    unit=unit,
                    area=area,
                    input_lots=input_lots,
                    destination=clean_destination,
                    photo=photo_name,
                ),
            )
            # The event's first GTIN may be an input lot's (or none, for a lot without a barcode):
            # the step belongs to the product and lot the producer recorded it on.
            if (stored.product_id, stored.lot_id) != (product.pk, lot.pk):
                stored.product, stored.lot = product, lot
                stored.save(update_fields=["product", "lot"])
            if kind == StepKind.PRODUCE:
                services.lot_inputs_add(actor=actor, lot=lot, inputs=input_lots)
            if kind == StepKind.HARVEST and area is not None:
                areas = list(lot.raw_material_areas.all())
                if area not in areas:
                    services.lot_areas_set(actor=actor, lot=lot, areas=[*areas, area])
    except BaseException:
        if photo_name:
            default_storage.delete(photo_name)
        raise
    return stored
