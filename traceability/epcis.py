"""EPCIS 2.0 capture (JSON-LD) and the platform's own events.

A captured document is checked against GS1's EPCIS 2.0 JSON Schema (vendored in
traceability/schemas), then against our rules: only the five standard event types, every GTIN an
event names (GS1 Digital Link URIs and EPC URNs) belongs to a product the actor manages, event IDs
are new. A capture is all or nothing and audited once.
"""

import json
import uuid
from datetime import datetime
from functools import cache
from pathlib import Path

from biip.checksums import gs1_standard_check_digit
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from jsonschema import Draft7Validator
from jsonschema.exceptions import relevance

from audit.services import audit_record
from registry import access
from registry.models import Packaging, Product
from traceability import digital_link
from traceability.models import EpcisEvent, Lot

SCHEMA_PATH = Path(__file__).parent / "schemas" / "epcis-json-schema.json"
CONTEXT = "https://ref.gs1.org/standards/epcis/epcis-context.jsonld"
EVENT_TYPES = frozenset(EpcisEvent.EventType.values)
SCHEMA_ERRORS_SHOWN = 3

# The CBV's three spellings of one value: bare ("commissioning"), Web URI and EPCIS 1.x URN.
_CBV_PREFIXES = {
    "bizStep": ("https://ref.gs1.org/cbv/BizStep-", "urn:epcglobal:cbv:bizstep:"),
    "disposition": ("https://ref.gs1.org/cbv/Disp-", "urn:epcglobal:cbv:disp:"),
}
# EPC URNs that carry a GTIN (Tag Data Standard §6): company prefix, then indicator + item reference.
_GTIN_URNS = ("urn:epc:id:sgtin:", "urn:epc:class:lgtin:", "urn:epc:idpat:sgtin:")
_INSTANCE_FIELDS = ("epcList", "childEPCs", "inputEPCList", "outputEPCList")
_QUANTITY_FIELDS = ("quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList")


@cache
def _validator() -> Draft7Validator:
    # jsonschema checks "format" (uri, date-time) only with optional packages (rfc3987,
    # rfc3339-validator) we do not add: URIs are checked where they matter (Digital Link, EPC URNs)
    # and eventTime is parsed below.
    return Draft7Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def schema_errors(document) -> list[str]:
    """The first few reasons the document fails GS1's schema, each with its JSON path."""
    errors = sorted(_validator().iter_errors(document), key=relevance)
    return [f"{error.json_path}: {error.message}" for error in errors[:SCHEMA_ERRORS_SHOWN]]


def cbv_short(value: str, field: str) -> str:
    for prefix in _CBV_PREFIXES[field]:
        if value.startswith(prefix):
            return value[len(prefix) :]
    return value


def event_epcs(event: dict) -> tuple[list[str], list[str], list[str]]:
    """(instance EPCs, parent IDs, class URIs) an event names, in document order."""
    instances = [epc for key in _INSTANCE_FIELDS for epc in event.get(key) or [] if isinstance(epc, str)]
    parents = [event["parentID"]] if isinstance(event.get("parentID"), str) else []
    classes = [
        element["epcClass"]
        for key in _QUANTITY_FIELDS
        for element in event.get(key) or []
        if isinstance(element, dict) and isinstance(element.get("epcClass"), str)
    ]
    return instances, parents, classes


def _urn_gtin_lot(epc: str) -> tuple[str, str] | None:
    for prefix in _GTIN_URNS:
        if epc.startswith(prefix):
            parts = epc[len(prefix) :].split(".")
            if len(parts) < 2 or not (parts[0] + parts[1]).isdigit() or len(parts[0] + parts[1]) != 13:
                raise ValidationError(_("%(epc)s is not a valid EPC URI.") % {"epc": epc}, code="epc")
            body = parts[1][:1] + parts[0] + parts[1][1:]
            lot = parts[2] if prefix == "urn:epc:class:lgtin:" and len(parts) > 2 else ""
            return body + str(gs1_standard_check_digit(body)), lot
    return None


def _gtin_lot(epc: str) -> tuple[str, str] | None:
    """The GTIN (and lot) an EPC names, if it names one."""
    if epc.startswith("urn:"):
        return _urn_gtin_lot(epc)
    if not epc.lower().startswith(("http://", "https://")):
        return None
    try:
        link = digital_link.parse(epc)
    except digital_link.DigitalLinkError as exc:
        if "/01/" in epc:
            raise ValidationError(
                _("%(epc)s is not a valid GS1 Digital Link: %(error)s") % {"epc": epc, "error": exc},
                code="epc",
            ) from exc
        return None  # another kind of URI (a private identifier): nothing to check it against
    return (link.gtin, link.lot or "") if link.gtin else None


def _product_lot(actor, epcs: list[str], cache_: dict) -> tuple[Product | None, Lot | None]:
    """Checks each GTIN the EPCs name; the first product (and lot) named is the event's."""
    product: Product | None = None
    lot: Lot | None = None
    for epc in epcs:
        found = _gtin_lot(epc)
        if found is None:
            continue
        gtin, lot_code = found
        if gtin not in cache_:
            # Packagings may hold a GTIN-13 or its 14-digit form.
            packaging = (
                Packaging.objects.select_related("product__entity")
                .filter(gtin__in={gtin, gtin.lstrip("0"), gtin.zfill(14)})
                .first()
            )
            if packaging is None:
                raise ValidationError(
                    _("%(epc)s names GTIN %(gtin)s, which is not registered on OCOP Hub.")
                    % {"epc": epc, "gtin": gtin},
                    code="unknown_gtin",
                )
            if not access.can_manage_product(actor, packaging.product):
                raise PermissionDenied(
                    _("%(epc)s names a product you do not manage (GTIN %(gtin)s).")
                    % {"epc": epc, "gtin": gtin}
                )
            cache_[gtin] = packaging.product
        if product is None:
            product = cache_[gtin]
            if lot_code:
                lot = Lot.objects.filter(product=product, code=lot_code).first()
    return product, lot


def _event_time(value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise ValidationError(
            _("eventTime %(value)s is not a date and time with a time zone (ISO 8601).") % {"value": value},
            code="event_time",
        )
    return parsed


def _prepare(*, actor, event: dict, seen: set[str], products: dict, capture_id: str = "") -> EpcisEvent:
    kind = event.get("type")
    if kind not in EVENT_TYPES:
        raise ValidationError(
            _("unknown event type %(type)s: OCOP Hub accepts %(types)s.")
            % {"type": kind, "types": ", ".join(sorted(EVENT_TYPES))},
            code="event_type",
        )
    event = dict(event)
    event_id = event.get("eventID") or f"urn:uuid:{uuid.uuid4()}"
    event["eventID"] = event_id
    if len(event_id) > 255:
        raise ValidationError(_("An eventID has at most 255 characters."), code="event_id")
    if event_id in seen or EpcisEvent.objects.filter(event_id=event_id).exists():
        raise ValidationError(
            _("The event %(id)s was already captured.") % {"id": event_id}, code="duplicate_event"
        )
    seen.add(event_id)
    columns = {
        "bizStep": event.get("bizStep", ""),
        "disposition": event.get("disposition", ""),
        "readPoint": (event.get("readPoint") or {}).get("id", ""),
        "bizLocation": (event.get("bizLocation") or {}).get("id", ""),
    }
    for name, value in columns.items():
        if len(value) > 255:
            raise ValidationError(
                _("%(name)s of %(id)s is longer than 255 characters.") % {"name": name, "id": event_id},
                code="too_long",
            )
    instances, parents, classes = event_epcs(event)
    named = instances + parents + classes
    product, lot = _product_lot(actor, named, products)
    return EpcisEvent(
        event_id=event_id,
        event_type=kind,
        event_time=_event_time(event.get("eventTime", "")),
        event_time_zone_offset=event.get("eventTimeZoneOffset", ""),
        action=event.get("action", ""),
        biz_step=cbv_short(columns["bizStep"], "bizStep"),
        disposition=cbv_short(columns["disposition"], "disposition"),
        read_point=columns["readPoint"],
        biz_location=columns["bizLocation"],
        epcs=list(dict.fromkeys(named)),
        product=product,
        lot=lot,
        captured_by=actor if getattr(actor, "is_authenticated", False) else None,
        capture_id=capture_id,
        document=event,
    )


def epcis_capture(*, actor, body: bytes) -> list[EpcisEvent]:
    """Capture an EPCISDocument (bytes as received): all its events or none. The stored events share
    one `capture_id`."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Capturing events needs an API token."))
    limit = settings.OCOP_EPCIS_MAX_BYTES
    if len(body) > limit:
        raise ValidationError(
            _("The document is larger than %(limit)s bytes.") % {"limit": f"{limit:,}"}, code="too_large"
        )
    try:
        document = json.loads(body)
    except (UnicodeDecodeError, ValueError) as exc:
        raise ValidationError(
            _("The document is not valid JSON: %(error)s") % {"error": exc}, code="json"
        ) from exc
    if not isinstance(document, dict) or document.get("type") != "EPCISDocument":
        raise ValidationError(_('Send an EPCISDocument ("type": "EPCISDocument").'), code="document")
    problems = schema_errors(document)
    if problems:
        raise ValidationError(
            _("The document does not follow the EPCIS 2.0 schema: %(errors)s")
            % {"errors": "; ".join(problems)},
            code="schema",
        )
    events = document["epcisBody"]["eventList"]
    if not events:
        raise ValidationError(_("The document has no events."), code="empty")
    capture_id = uuid.uuid4().hex
    seen: set[str] = set()
    products: dict = {}
    try:
        with transaction.atomic():
            prepared = [
                _prepare(actor=actor, event=event, seen=seen, products=products, capture_id=capture_id)
                for event in events
            ]
            stored = EpcisEvent.objects.bulk_create(prepared)
            if not all(event.pk for event in stored):  # backends without RETURNING (none we run on)
                stored = list(EpcisEvent.objects.filter(capture_id=capture_id).order_by("id"))
            audit_record(
                actor=actor,
                action="epcis.capture",
                obj=stored[0],
                after={"capture": capture_id, "events": [event.event_id for event in stored]},
            )
    except IntegrityError as exc:  # the same eventID captured at the same moment by another request
        raise ValidationError(
            _("An event of this document was already captured."), code="duplicate_event"
        ) from exc
    return stored


def epcis_event_record(*, actor, event: dict) -> EpcisEvent:
    """An event the platform writes itself (a lot's commissioning): same checks as a capture."""
    wrapper = {
        "@context": [CONTEXT],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": timezone.now().isoformat(),
        "epcisBody": {"eventList": [event]},
    }
    problems = schema_errors(wrapper)
    if problems:
        raise ValidationError("; ".join(problems), code="schema")
    with transaction.atomic():
        stored = _prepare(actor=actor, event=event, seen=set(), products={})
        stored.save()
        audit_record(actor=actor, action="epcis.record", obj=stored, after={"events": [stored.event_id]})
    return stored


def time_zone_offset(moment: datetime) -> str:
    offset = timezone.localtime(moment).strftime("%z") or "+0000"
    return f"{offset[:3]}:{offset[3:]}"


def lot_commissioning_record(*, actor, lot: Lot) -> EpcisEvent | None:
    """CBV commissioning of a lot's class (GTIN + lot) when its packaging has a GTIN."""
    if lot.packaging is None or not lot.packaging.gtin:
        return None
    now = timezone.now()
    element: dict = {
        "epcClass": digital_link.build(
            gtin=lot.packaging.gtin, lot=lot.code, base=settings.OCOP_PUBLIC_BASE_URL
        )
    }
    if lot.quantity is not None:
        element["quantity"] = lot.quantity
    event = {
        "type": "ObjectEvent",
        "eventID": f"urn:uuid:{uuid.uuid4()}",
        "eventTime": now.isoformat(),
        "eventTimeZoneOffset": time_zone_offset(now),
        "action": "ADD",
        "bizStep": "commissioning",
        "disposition": "active",
        "quantityList": [element],
    }
    return epcis_event_record(actor=actor, event=event)


def query_document(events: list[EpcisEvent]) -> dict:
    """An EPCISQueryDocument (JSON-LD) of the events, each with its recordTime."""
    event_list = []
    for stored in events:
        body = dict(stored.document)
        body["recordTime"] = stored.record_time.isoformat()
        event_list.append(body)
    return {
        "@context": [CONTEXT],
        "type": "EPCISQueryDocument",
        "schemaVersion": "2.0",
        "creationDate": timezone.now().isoformat(),
        "epcisBody": {
            "queryResults": {"queryName": "SimpleEventQuery", "resultsBody": {"eventList": event_list}}
        },
    }
