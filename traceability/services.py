"""Writes of traceability: lots and their recall, serial ranges, resolver links and raw-material
areas. Each checks that the actor manages the product or entity (registry.access) and is audited."""

import secrets
from datetime import date
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from audit.services import audit_record, snapshot
from ocop_hub.text import plain_text
from registry import access
from registry.languages import CONTENT_LANGUAGES
from registry.models import Packaging, Product
from traceability import digital_link, epcis
from traceability.changes import scan_pages_changed
from traceability.geo import LARGEST_HA, geometry_clean
from traceability.models import (
    EpcisEvent,
    Lot,
    RawMaterialArea,
    ResolverLink,
    Serial,
    SerialRange,
)

# Serials: uppercase letters and digits without the look-alikes 0/O and 1/I (read aloud, typed by
# consumers); 12 characters of 32 symbols = 60 bits from the OS's cryptographic source, so a forger
# cannot guess an issued serial.
SERIAL_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
SERIAL_LENGTH = 12
SERIAL_BATCH = 5000


def _lot_code_check(code: str) -> str:
    code = (code or "").strip()
    if not code:
        raise ValidationError({"code": _("Give the lot code.")})
    try:
        digital_link.encode_value(code)
        digital_link.build(gtin="09520123456788", lot=code, base="https://x")
    except digital_link.DigitalLinkError as exc:
        messages = {
            "lot_length": _("A lot code has at most 20 characters."),
            "lot_charset": _(
                "A lot code may use letters without diacritics, digits and the symbols of GS1's set 82 "
                "(such as - . / _ + :), not “%(code)s”."
            )
            % {"code": code},
        }
        raise ValidationError({"code": messages.get(exc.code, str(exc))}) from exc
    return code


def lot_create(
    *,
    actor,
    product: Product,
    code: str,
    packaging: Packaging | None = None,
    production_date: date | None = None,
    expiry_date: date | None = None,
    quantity: int | None = None,
) -> Lot:
    access.require(access.can_manage_product(actor, product))
    errors: dict[str, list[str]] = {}
    try:
        code = _lot_code_check(code)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if packaging is not None and packaging.product_id != product.pk:
        errors["packaging"] = [_("This packaging belongs to another product.")]
    if production_date and expiry_date and expiry_date < production_date:
        errors["expiry_date"] = [_("The expiry date is before the production date.")]
    if quantity is not None and quantity < 0:
        errors["quantity"] = [_("Enter a number of zero or more.")]
    if not errors and Lot.objects.filter(product=product, code=code).exists():
        errors["code"] = [_("This product already has a lot %(code)s.") % {"code": code}]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        lot = Lot.objects.create(
            product=product,
            packaging=packaging,
            code=code,
            production_date=production_date,
            expiry_date=expiry_date,
            quantity=quantity,
        )
        audit_record(actor=actor, action="lot.create", obj=lot, after=snapshot(lot))
        epcis.lot_commissioning_record(actor=actor, lot=lot)
    scan_pages_changed()  # the resolver and scan pages cache lots and links
    return lot


def lot_recall(*, actor, lot: Lot, reason: str) -> Lot:
    access.require(access.can_manage_product(actor, lot.product))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the lot is recalled: consumers will read it.")})
    if lot.status == Lot.Status.RECALLED:
        raise ValidationError({"reason": _("This lot is already recalled.")})
    with transaction.atomic():
        locked = Lot.objects.select_for_update().get(pk=lot.pk)
        before = snapshot(locked)
        locked.status, locked.recall_reason = Lot.Status.RECALLED, reason
        locked.save(update_fields=["status", "recall_reason"])
        audit_record(actor=actor, action="lot.recall", obj=locked, before=before, after=snapshot(locked))
    scan_pages_changed()  # the resolver and scan pages cache lots and links
    return locked


def serials_mark_printed(*, actor, serial_range: SerialRange, first: int, count: int) -> int:
    """Serials first..first+count-1 of a range (issue order) were put on labels: issued → printed
    (voided ones stay voided). Returns how many changed. Two position look-ups and one UPDATE by
    id range, whatever the count."""
    access.require(access.can_manage_product(actor, serial_range.product))
    in_range = Serial.objects.filter(range=serial_range).order_by("pk").values_list("pk", flat=True)
    if count <= 0:
        return 0
    bounds = list(in_range[first - 1 : first]) + list(in_range[first - 2 + count : first - 1 + count])
    if len(bounds) < 2:
        return 0
    with transaction.atomic():
        changed = Serial.objects.filter(
            range=serial_range, pk__gte=bounds[0], pk__lte=bounds[1], status=Serial.Status.ISSUED
        ).update(status=Serial.Status.PRINTED)
        audit_record(
            actor=actor,
            action="serials.printed",
            obj=serial_range,
            after={"first": first, "count": count, "printed": changed},
        )
    return changed


def serial_new() -> str:
    return "".join(secrets.choice(SERIAL_ALPHABET) for _ in range(SERIAL_LENGTH))


def _insert_ignoring_duplicates(rows: list[tuple]) -> int:
    """Batched inserts; a serial drawn twice (p ≈ n²/2⁶¹) is skipped here and drawn again by the caller."""
    table = connection.ops.quote_name(Serial._meta.db_table)
    if connection.vendor == "postgresql":
        sql = f"INSERT INTO {table} (range_id, product_id, value, status) VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING"  # noqa: E501, S608
    else:
        sql = f"INSERT OR IGNORE INTO {table} (range_id, product_id, value, status) VALUES (%s, %s, %s, %s)"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
        return cursor.rowcount  # rows inserted, duplicates not counted (sqlite3 and psycopg sum them)


def serials_issue(
    *, actor, product: Product, count: int, packaging: Packaging | None = None, lot: Lot | None = None
) -> SerialRange:
    """Issue `count` new unguessable serials for a product (a GTIN, a lot), in one transaction."""
    access.require(access.can_manage_product(actor, product))
    limit = settings.OCOP_SERIALS_MAX_PER_RANGE
    if not isinstance(count, int) or not 1 <= count <= limit:
        raise ValidationError(
            {"count": _("Issue between 1 and %(limit)s serials at a time.") % {"limit": f"{limit:,}"}}
        )
    if packaging is not None and packaging.product_id != product.pk:
        raise ValidationError({"packaging": _("This packaging belongs to another product.")})
    if lot is not None and lot.product_id != product.pk:
        raise ValidationError({"lot": _("This lot belongs to another product.")})
    if lot is not None and lot.status == Lot.Status.RECALLED:
        raise ValidationError({"lot": _("This lot is recalled: no new serials for it.")})
    with transaction.atomic():
        serial_range = SerialRange.objects.create(
            product=product, packaging=packaging, lot=lot, count=count, issued_by=actor if actor else None
        )
        missing = count
        while missing:
            batch = min(missing, SERIAL_BATCH)
            missing -= _insert_ignoring_duplicates(
                [(serial_range.pk, product.pk, serial_new(), 0) for _ in range(batch)]
            )
        audit_record(
            actor=actor,
            action="serials.issue",
            obj=serial_range,
            after={
                "count": count,
                "packaging": packaging.pk if packaging else None,
                "lot": lot.pk if lot else None,
            },
        )
    return serial_range


def resolver_link_add(
    *,
    actor,
    packaging: Packaging,
    link_type: str,
    title: str,
    language: str,
    target: str,
    lot: Lot | None = None,
) -> ResolverLink:
    """A link the resolver offers for a GTIN (or one of its lots): the entity's own pages, videos…"""
    access.require(access.can_manage_product(actor, packaging.product))
    errors: dict[str, list[str]] = {}
    if not packaging.gtin:
        errors["packaging"] = [_("Give this packaging a GTIN first: links are found by GTIN.")]
    if link_type not in ResolverLink.LinkType.values:
        errors["link_type"] = [_("Choose a link type.")]
    if language not in dict(CONTENT_LANGUAGES):
        errors["language"] = [_("Choose a language.")]
    if lot is not None and lot.product_id != packaging.product_id:
        errors["lot"] = [_("This lot belongs to another product.")]
    try:
        title = plain_text(title, field="title")
        if not title:
            errors["title"] = [_("Give the link a title.")]
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        URLValidator(schemes=["http", "https"])(target)
    except ValidationError:
        errors["target"] = [_("Enter a web address starting with https:// (or http://).")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        link = ResolverLink.objects.create(
            packaging=packaging, lot=lot, link_type=link_type, title=title, language=language, target=target
        )
        audit_record(actor=actor, action="resolver_link.create", obj=link, after=snapshot(link))
    scan_pages_changed()  # the resolver and scan pages cache lots and links
    return link


def resolver_link_remove(*, actor, link: ResolverLink) -> None:
    access.require(access.can_manage_product(actor, link.packaging.product))
    with transaction.atomic():
        audit_record(actor=actor, action="resolver_link.delete", obj=link, before=snapshot(link))
        link.delete()
    scan_pages_changed()  # the resolver and scan pages cache lots and links


def _raw_material_area_clean(
    *, name: str, kind: str, crop: str, geometry, standards: str, households: int, area_ha
) -> dict:
    """The checked fields of a raw-material area, for adding and editing alike, or ValidationError
    naming every field that is wrong."""
    errors: dict[str, list[str]] = {}
    clean: dict = {}
    for field, value in (("name", name), ("crop", crop), ("standards", standards)):
        try:
            clean[field] = plain_text(value or "", field=field)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    for field in ("name", "crop"):
        if field not in errors and not clean.get(field):
            errors[field] = [_("This field is required.")]
    if kind not in RawMaterialArea.Kind.values:
        errors["kind"] = [_("Choose what the area produces.")]
    if not isinstance(households, int) or households < 0:
        errors["households"] = [_("Enter a number of zero or more.")]
    measured = None
    try:
        geometry, measured = geometry_clean(geometry)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if measured is None and area_ha not in (None, ""):
        try:
            measured = Decimal(str(area_ha)).quantize(Decimal("0.01"))
            if not Decimal(0) < measured <= LARGEST_HA:
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            errors["area_ha"] = [_("Enter the area in hectares, e.g. 12,5.")]
    if errors:
        raise ValidationError(errors)
    return {**clean, "kind": kind, "geometry": geometry, "area_ha": measured, "households": households}


def raw_material_area_create(
    *,
    actor,
    entity,
    name: str,
    kind: str,
    crop: str,
    geometry,
    standards: str = "",
    households: int = 0,
    area_ha=None,
) -> RawMaterialArea:
    """An entity's raw-material area. A polygon's area is measured; a point carries the declared one."""
    access.require(access.can_manage_entity(actor, entity))
    fields = _raw_material_area_clean(
        name=name,
        kind=kind,
        crop=crop,
        geometry=geometry,
        standards=standards,
        households=households,
        area_ha=area_ha,
    )
    with transaction.atomic():
        area = RawMaterialArea.objects.create(entity=entity, **fields)
        audit_record(actor=actor, action="raw_material_area.create", obj=area, after=snapshot(area))
    return area


def raw_material_area_update(
    *,
    actor,
    area: RawMaterialArea,
    name: str,
    kind: str,
    crop: str,
    geometry,
    standards: str = "",
    households: int = 0,
    area_ha=None,
) -> RawMaterialArea:
    """Edit an area with the same checks as adding one. Its lots stay linked: the area is the same
    place, drawn better or renamed."""
    access.require(access.can_manage_entity(actor, area.entity))
    fields = _raw_material_area_clean(
        name=name,
        kind=kind,
        crop=crop,
        geometry=geometry,
        standards=standards,
        households=households,
        area_ha=area_ha,
    )
    with transaction.atomic():
        locked = RawMaterialArea.objects.select_for_update().get(pk=area.pk)
        before = snapshot(locked)
        for field, value in fields.items():
            setattr(locked, field, value)
        locked.save(update_fields=list(fields))
        after = snapshot(locked)
        if before != after:
            audit_record(
                actor=actor, action="raw_material_area.update", obj=locked, before=before, after=after
            )
    return locked


# Lot codes named in the refusal to remove an area; the rest are counted.
AREA_LOTS_NAMED = 5


def raw_material_area_remove(*, actor, area: RawMaterialArea) -> None:
    """Remove an area no lot came from. One that supplied lots stays: the lots' scan pages and
    journeys show where they came from."""
    access.require(access.can_manage_entity(actor, area.entity))
    with transaction.atomic():
        locked = RawMaterialArea.objects.select_for_update().get(pk=area.pk)
        count = locked.lots.count()
        if count:
            codes = list(locked.lots.order_by("code").values_list("code", flat=True)[:AREA_LOTS_NAMED])
            named = ", ".join(codes) + (", …" if count > len(codes) else "")
            raise ValidationError(
                ngettext(
                    "This area supplied %(count)s lot (%(lots)s); it cannot be removed.",
                    "This area supplied %(count)s lots (%(lots)s); it cannot be removed.",
                    count,
                )
                % {"count": count, "lots": named}
            )
        from traceability.steps import area_uri  # steps records through these services

        if EpcisEvent.objects.filter(biz_location=area_uri(locked)).exists():
            raise ValidationError(
                _("Harvests from this area were recorded; it cannot be removed (their journey names it).")
            )
        audit_record(actor=actor, action="raw_material_area.remove", obj=locked, before=snapshot(locked))
        locked.delete()


def lot_areas_set(*, actor, lot: Lot, areas: list[RawMaterialArea]) -> Lot:
    """Which raw-material areas a lot was made from (the scan page shows them on its map)."""
    access.require(access.can_manage_product(actor, lot.product))
    if any(area.entity_id != lot.product.entity_id for area in areas):
        raise ValidationError({"areas": _("A lot can only come from its producer's own areas.")})
    with transaction.atomic():
        before = sorted(lot.raw_material_areas.values_list("pk", flat=True))
        lot.raw_material_areas.set(areas)
        after = sorted(a.pk for a in areas)
        if before != after:
            audit_record(
                actor=actor, action="lot.areas", obj=lot, before={"areas": before}, after={"areas": after}
            )
    return lot


def lot_inputs_add(*, actor, lot: Lot, inputs: list[Lot]) -> Lot:
    """Which lots a lot was made from (a production step): added to those already recorded."""
    access.require(access.can_manage_product(actor, lot.product))
    entity_id = lot.product.entity_id
    if any(used.product.entity_id != entity_id for used in inputs):
        raise ValidationError({"input_lots": _("A lot can only be made from its producer's own lots.")})
    if any(used.pk == lot.pk for used in inputs):
        raise ValidationError({"input_lots": _("A lot cannot be made from itself.")})
    with transaction.atomic():
        before = sorted(lot.input_lots.values_list("pk", flat=True))
        lot.input_lots.add(*inputs)
        after = sorted({*before, *(used.pk for used in inputs)})
        if before != after:
            audit_record(
                actor=actor, action="lot.inputs", obj=lot, before={"inputs": before}, after={"inputs": after}
            )
    return lot
