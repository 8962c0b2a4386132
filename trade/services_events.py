"""Writes of trade fairs, promotion events and exhibitions (by officials) and of the products taking
part (added by the event's officials, or registered by a producer for its own certified product)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from audit.services import audit_record, snapshot
from ocop_hub.text import plain_text
from places.models import Province
from registry import access
from registry.models import Product
from traceability.changes import scan_pages_changed
from trade import access as trade_access
from trade.links import website_clean
from trade.models import EventParticipation, TradeEvent

EVENT_FIELDS = [
    "name",
    "kind",
    "start_date",
    "end_date",
    "place",
    "province",
    "organiser",
    "description",
    "website",
]


def _event_clean(data: dict) -> dict:
    errors: dict[str, list[str]] = {}
    clean: dict = {}
    for field in ("name", "place", "organiser", "description"):
        try:
            clean[field] = plain_text(data.get(field) or "", field=field)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    for field, message in (
        ("name", _("Give the event's name.")),
        ("place", _("Say where the event takes place.")),
        ("organiser", _("Say who organises the event.")),
    ):
        if field not in errors and not clean.get(field):
            errors[field] = [message]
    if data.get("kind") not in TradeEvent.Kind.values:
        errors["kind"] = [_("Choose a kind of event.")]
    clean["kind"] = data.get("kind")
    province = data.get("province")
    if province is not None and not isinstance(province, Province):
        errors["province"] = [_("Choose a province, or none for a national event or one abroad.")]
    clean["province"] = province
    start, end = data.get("start_date"), data.get("end_date")
    if not isinstance(start, date):
        errors["start_date"] = [_("Give the first day of the event.")]
    if not isinstance(end, date):
        errors["end_date"] = [_("Give the last day of the event (the first day for a one-day event).")]
    if isinstance(start, date) and isinstance(end, date) and end < start:
        errors["end_date"] = [_("The event cannot end before it starts: check the dates.")]
    clean["start_date"], clean["end_date"] = start, end
    try:
        clean["website"] = website_clean(data.get("website") or "")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return clean


def trade_event_create(*, actor, **data) -> TradeEvent:
    access.require(trade_access.is_official_with_province(actor))
    clean = _event_clean(data)
    province = clean["province"]
    access.require(access.is_province_official(actor, province.pk if province else None))
    with transaction.atomic():
        event = TradeEvent.objects.create(**clean)
        audit_record(actor=actor, action="trade_event.create", obj=event, after=snapshot(event))
    return event


def trade_event_update(*, actor, event: TradeEvent, reason: str = "", **data) -> TradeEvent:
    access.require(trade_access.can_manage_event(actor, event))
    clean = _event_clean({**{f: getattr(event, f) for f in EVENT_FIELDS}, **data})
    province = clean["province"]
    access.require(access.is_province_official(actor, province.pk if province else None))
    with transaction.atomic():
        locked = TradeEvent.objects.select_for_update().get(pk=event.pk)
        before = snapshot(locked)
        for field, value in clean.items():
            setattr(locked, field, value)
        locked.save()
        audit_record(
            actor=actor,
            action="trade_event.update",
            obj=locked,
            before=before,
            after=snapshot(locked),
            reason=reason,
        )
        scan_pages_changed()  # product pages list their events
    return locked


def event_participation_add(*, actor, event: TradeEvent, product: Product) -> EventParticipation:
    access.require(trade_access.can_add_participant(actor, event=event, product=product))
    if product.status not in Product.PUBLIC_STATUSES:
        raise ValidationError(
            {
                "product": _(
                    "Only certified OCOP products can be listed at an event: this one is not certified."
                )
            }
        )
    duplicate = ValidationError({"product": _("This product is already listed at this event.")})
    if EventParticipation.objects.filter(event=event, product=product).exists():
        raise duplicate
    try:
        with transaction.atomic():
            participation = EventParticipation.objects.create(
                event=event, product=product, added_by=actor if getattr(actor, "pk", None) else None
            )
            audit_record(
                actor=actor,
                action="event_participation.create",
                obj=participation,
                after=snapshot(participation),
            )
            scan_pages_changed()
    except IntegrityError:  # the same product registered at the same moment by someone else
        raise duplicate from None
    return participation


def event_participation_remove(*, actor, participation: EventParticipation) -> None:
    access.require(
        trade_access.can_add_participant(actor, event=participation.event, product=participation.product)
    )
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="event_participation.delete",
            obj=participation,
            before=snapshot(participation),
        )
        participation.delete()
        scan_pages_changed()
