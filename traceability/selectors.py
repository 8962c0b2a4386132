"""Reads of traceability: what a scanned code says about the product (public facts only), and the
lots, serial ranges and resolver links of a product its managers see."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import Count, QuerySet
from django.utils import formats
from django.utils.translation import gettext as _

from registry import access
from registry import selectors as registry_selectors
from registry.models import Entity, Packaging, Product
from traceability import digital_link, epcis, platform_ids
from traceability.models import EpcisEvent, Lot, RawMaterialArea, ResolverLink, Serial, SerialRange
from traceability.steps import StepKind, Unit, area_uri

# Rows fetched per round trip when a range's serials are streamed (a million of them at most).
SERIAL_EXPORT_CHUNK = 5000


def scan_link(path: str) -> digital_link.DigitalLink | platform_ids.PlatformLink:
    """The scanned code (DigitalLinkError when it is not one)."""
    if path.startswith(platform_ids.PREFIX):
        return platform_ids.parse_path(path)
    return digital_link.parse_path(path)


def scan_context(path: str) -> dict:
    """Everything the scan page says about a code: scan_product then the serial's own findings."""
    try:
        link = scan_link(path)
    except digital_link.DigitalLinkError as exc:
        return {
            "status": 400,
            "problem": _("This code is not a valid GS1 Digital Link: %(error)s") % {"error": exc},
        }
    context = scan_product(link)
    if "product" in context:
        product = context["product"]
        serial = Serial.objects.filter(product=product, value=link.serial).first() if link.serial else None
        context["serial"] = serial
        context["warnings"] = [*serial_warnings(link, serial), *context["warnings"]]
    return context


def scan_product(link) -> dict:
    """What a code says without its serial: the product, its packaging, the lot, and the findings
    about the lot and the certificate (the same for every serial of the lot)."""
    related = ("entity", "commune", "province", "category")
    if isinstance(link, platform_ids.PlatformLink):
        packaging = None
        found = Product.objects.select_related(*related).filter(pk=link.product_id).first()
    else:
        packaging = (
            Packaging.objects.select_related(*(f"product__{name}" for name in related))
            .filter(gtin=link.gtin)
            .first()
        )
        found = packaging.product if packaging else None
    if found is None:
        return {"status": 404, "problem": _("This code is not registered on OCOP Hub.")}
    product: Product = found
    lot = Lot.objects.filter(product=product, code=link.lot).first() if link.lot else None
    warnings = []
    if link.lot and lot is None:
        warnings.append(_("The lot %(lot)s is not known for this product.") % {"lot": link.lot})
    if lot is not None and lot.status == Lot.Status.RECALLED:
        warnings.append(_("This lot was recalled: %(reason)s") % {"reason": lot.recall_reason})
    if product.status not in Product.PUBLIC_STATUSES:
        warnings.append(_("This product has no valid OCOP certificate."))
    return {
        "link": link,
        "product": product,
        "packaging": packaging,
        "lot": lot,
        "serial": None,
        "warnings": warnings,
        "certified": product.status in Product.PUBLIC_STATUSES,
    }


def serial_warnings(link, serial) -> list[str]:
    """A serial never issued or voided (`serial`: None when never issued, else anything with a status)."""
    if link.serial and serial is None:
        return [
            _("The serial %(serial)s was never issued for this product: it may be a fake.")
            % {"serial": link.serial}
        ]
    if serial is not None and serial.status == Serial.Status.VOIDED:
        return [_("The serial %(serial)s was voided by the producer.") % {"serial": link.serial}]
    return []


# --- a product's traceability, for those who manage it ---------------------------------------------


def product_managed(user, pk: int) -> Product:
    """The product, if the user may manage it (registry.access); otherwise it does not exist for
    them, even if it is public."""
    product = registry_selectors.product_detail(user, pk)
    if not access.can_manage_product(user, product):
        raise Product.DoesNotExist
    return product


def lots_of(product: Product) -> QuerySet[Lot]:
    return (
        Lot.objects.filter(product=product).select_related("packaging").prefetch_related("raw_material_areas")
    )


def lot_uri(lot: Lot) -> str:
    """What a QR code of the lot carries: its GS1 Digital Link, or the platform identifier without a GTIN."""
    base = settings.OCOP_PUBLIC_BASE_URL
    if lot.packaging is not None and lot.packaging.gtin:
        return digital_link.build(gtin=lot.packaging.gtin, lot=lot.code, base=base)
    return platform_ids.build(product_id=lot.product_id, lot=lot.code, base=base)


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


# --- an entity's raw-material areas, for those who manage it ----------------------------------------


def entity_managed(user, pk: int) -> Entity:
    """The entity, if the user may manage it; otherwise it does not exist for them."""
    entity = registry_selectors.entity_detail(user, pk)
    if not access.can_manage_entity(user, entity):
        raise Entity.DoesNotExist
    return entity


def areas_of(entity_id: int) -> QuerySet[RawMaterialArea]:
    return RawMaterialArea.objects.filter(entity_id=entity_id).annotate(lot_count=Count("lots"))


def area_of(entity: Entity, pk: int) -> RawMaterialArea:
    """One area of an entity already found through `entity_managed`: another entity's area is not
    found (a 404 for the page)."""
    return RawMaterialArea.objects.select_related("entity").get(entity=entity, pk=pk)


def areas_geojson(areas) -> dict:
    """A FeatureCollection of the areas for the map (passed to the page with json_script)."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": area.pk,
                "geometry": area.geometry,
                "properties": {
                    "name": area.name,
                    "kind": str(area.get_kind_display()),
                    "crop": area.crop,
                    "area_ha": str(area.area_ha) if area.area_ha is not None else None,
                },
            }
            for area in areas
        ],
    }


# --- EPCIS events ------------------------------------------------------------------------------------

# Rows read per round trip while EPC filters are checked exactly (see epcis_events_page).
EPCIS_SCAN_CHUNK = 500


def epcis_events_query(
    user,
    *,
    event_type: str = "",
    biz_step: str = "",
    ge_event_time: datetime | None = None,
    lt_event_time: datetime | None = None,
    match_epc: str = "",
    match_any_epc: str = "",
    eq_biz_location: str = "",
) -> QuerySet[EpcisEvent]:
    """Events of products the user may see (the public: certified products; events naming no
    product: national officials only), in capture order. The EPC filters are a case-insensitive
    substring match here (SQLite has no JSON containment); `epcis_event_matches` makes them exact."""
    qs = EpcisEvent.objects.all()
    visible = access.product_filter(access.scope_of(user))
    if visible is not None:
        qs = qs.filter(product__in=Product.objects.filter(visible))
    if event_type:
        qs = qs.filter(event_type=event_type)
    if biz_step:
        qs = qs.filter(biz_step=epcis.cbv_short(biz_step, "bizStep"))
    if ge_event_time is not None:
        qs = qs.filter(event_time__gte=ge_event_time)
    if lt_event_time is not None:
        qs = qs.filter(event_time__lt=lt_event_time)
    if eq_biz_location:
        qs = qs.filter(biz_location=eq_biz_location)
    for epc in (match_epc, match_any_epc):
        if epc:
            qs = qs.filter(epcs__icontains=epc)
    return qs.order_by("id")


def epcis_event_matches(event: EpcisEvent, *, match_epc: str = "", match_any_epc: str = "") -> bool:
    """MATCH_epc: an instance EPC (epcList, childEPCs, inputEPCList, outputEPCList); MATCH_anyEPC:
    those, the parentID or a quantity's class."""
    instances, parents, classes = epcis.event_epcs(event.document)
    if match_epc and match_epc not in instances:
        return False
    return not match_any_epc or match_any_epc in (*instances, *parents, *classes)


def epcis_events_page(
    user, *, after: int = 0, per_page: int, **filters
) -> tuple[list[EpcisEvent], int | None]:
    """One page of `epcis_events_query` after the event `after` (its id), and the id to continue
    after when there are more."""
    match = {key: filters[key] for key in ("match_epc", "match_any_epc") if filters.get(key)}
    qs = epcis_events_query(user, **filters).filter(id__gt=after)
    if not match:
        page = list(qs[: per_page + 1])
        return page[:per_page], (page[per_page - 1].pk if len(page) > per_page else None)
    found: list[EpcisEvent] = []
    last = after
    while True:
        chunk = list(qs.filter(id__gt=last)[:EPCIS_SCAN_CHUNK])
        for event in chunk:
            if epcis_event_matches(event, **match):
                if len(found) == per_page:
                    return found, found[-1].pk
                found.append(event)
        if len(chunk) < EPCIS_SCAN_CHUNK:
            return found, None
        last = chunk[-1].pk


# --- a product's journey in plain words ----------------------------------------------------------------

# The page lists the most recent steps; the whole history stays in the EPCIS query interface.
JOURNEY_LIMIT = 200


@dataclass
class JourneyStep:
    event: EpcisEvent
    when: datetime
    step: str
    lot: str
    quantity: str
    place: str
    photo: str


def _journey_step_name(event: EpcisEvent) -> str:
    kind = event.document.get("ocop:step")
    if kind in StepKind.values:
        return str(StepKind(kind).label)
    # Events not recorded through a step: the lot's own commissioning, or captured by a system.
    if event.biz_step == "commissioning" and event.event_type == EpcisEvent.EventType.OBJECT:
        return _("Lot created")
    return event.biz_step.replace("_", " ") or event.event_type


def _journey_quantity(document: dict) -> str:
    units = dict(Unit.choices)
    elements = document.get("outputQuantityList") or document.get("quantityList") or []
    parts = []
    for element in elements:
        if isinstance(element, dict) and "quantity" in element:
            unit = units.get(element.get("uom", ""), element.get("uom", ""))
            parts.append(f"{formats.number_format(element['quantity'])} {unit}".strip())
    return ", ".join(parts)


def journey_of(product: Product) -> list[JourneyStep]:
    """The product's EPCIS events as steps a producer reads: oldest first."""
    return journey_steps(EpcisEvent.objects.filter(product=product), product.entity_id)


def journey_steps(events_qs: QuerySet[EpcisEvent], entity_id: int) -> list[JourneyStep]:
    """The last JOURNEY_LIMIT events of `events_qs` as steps, oldest first, places named."""
    events = list(events_qs.select_related("lot").order_by("-event_time", "-id")[:JOURNEY_LIMIT])
    events.reverse()
    area_names = {area_uri(area): area.name for area in RawMaterialArea.objects.filter(entity_id=entity_id)}
    steps = []
    for event in events:
        document = event.document
        photo = document.get("ocop:photo") or ""
        steps.append(
            JourneyStep(
                event=event,
                when=event.event_time,
                step=_journey_step_name(event),
                lot=event.lot.code if event.lot else "",
                quantity=_journey_quantity(document),
                place=document.get("ocop:note") or area_names.get(event.biz_location, ""),
                photo=default_storage.url(photo) if isinstance(photo, str) and photo else "",
            )
        )
    return steps
