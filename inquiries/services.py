"""Writes of the inquiries app: a buyer registers and is verified, submits an inquiry (matched at once
into proposed shares, inquiries.matching), cancels it; a producer accepts or declines its share (a
declined share is proposed again to producers not yet asked). One transaction and one audit event per
decision; product rows are locked while capacity is booked (Saleor's habit around stock)."""

import re
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record, snapshot
from inquiries import matching
from inquiries.models import BuyerProfile, Inquiry, OfferShare
from ocop_hub.text import plain_text
from places.models import Province
from registry import access
from registry.models import Product, ProductCategory
from scans.services import RATE_LIMITED

ORGANISATION_MAX = 255
ADDRESS_MAX = 300
KEYWORDS_MAX = 200
NOTE_MAX = 2000
REASON_MAX = 500
UNIT_MAX = 20
# PositiveIntegerField holds up to 2,147,483,647; no OCOP order comes near a billion units.
QUANTITY_MAX = 1_000_000_000
# A delivery window may start up to two years ahead: OCOP certificates last three (Art. 4.3), and
# capacity declared today says little about later seasons.
HORIZON_DAYS = 730
# Per buyer account, over 24 hours: a real buyer sends a few; a script sending hundreds would fill
# every producer's "Buyer requests" page (issue 8: forms are rate-limited).
INQUIRIES_PER_DAY_DEFAULT = 10


def _inquiries_per_day() -> int:
    return int(getattr(settings, "OCOP_INQUIRIES_PER_DAY", INQUIRIES_PER_DAY_DEFAULT))


def _text(errors: dict, value: Any, *, field: str, limit: int, required: bool = False) -> str:
    try:
        text = plain_text(str(value or ""), field=field)
    except ValidationError as exc:
        errors.setdefault(field, []).extend(exc.message_dict[field])
        return ""
    if required and not text:
        errors.setdefault(field, []).append(_("This field is required."))
    elif len(text) > limit:
        errors.setdefault(field, []).append(
            _("Please keep this under %(limit)s characters.") % {"limit": limit}
        )
    return text


def _raise_if(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


# --- inquiries ---------------------------------------------------------------------------------------


def _quantity(errors: dict, value: Any) -> int:
    raw = str(value if value is not None else "").strip()
    # "1.500" and "1,500" are thousands (Vietnamese writes 1.500 kg); "1.5" is not a whole number.
    if re.fullmatch(r"-?\d+", raw) or re.fullmatch(r"\d{1,3}([., ]\d{3})+", raw):
        number = int(re.sub(r"[., ]", "", raw))
    else:
        errors.setdefault("quantity", []).append(_("Enter the quantity as a whole number, e.g. 500."))
        return 0
    if number < 1:
        errors.setdefault("quantity", []).append(_("The quantity must be at least 1."))
    elif number > QUANTITY_MAX:
        errors.setdefault("quantity", []).append(
            _("The quantity cannot be more than %(max)s.") % {"max": f"{QUANTITY_MAX:,}".replace(",", ".")}
        )
    return number


def _window(errors: dict, start: Any, end: Any, *, today: date) -> None:
    if not isinstance(start, date):
        errors.setdefault("delivery_start", []).append(_("Enter the first day of delivery."))
    if not isinstance(end, date):
        errors.setdefault("delivery_end", []).append(_("Enter the last day of delivery."))
    if not isinstance(start, date) or not isinstance(end, date):
        return
    if start < today:
        errors.setdefault("delivery_start", []).append(
            _("Delivery cannot start in the past (today is %(today)s).")
            % {"today": today.strftime("%d/%m/%Y")}
        )
    if end < start:
        errors.setdefault("delivery_end", []).append(
            _("The last day of delivery cannot be before the first.")
        )
    horizon = today + timedelta(days=HORIZON_DAYS)
    if end > horizon:
        errors.setdefault("delivery_end", []).append(
            _("Delivery can be asked for at most two years ahead (until %(date)s).")
            % {"date": horizon.strftime("%d/%m/%Y")}
        )


def _inquiry_refresh(inquiry: Inquiry) -> None:
    """Status and unmet quantity from the shares (the caller holds the inquiry's lock)."""
    totals = {
        row["status"]: row["total"] or 0
        for row in inquiry.shares.values("status").annotate(total=Sum("quantity"))
    }
    accepted = totals.get(OfferShare.Status.ACCEPTED, 0)
    active = accepted + totals.get(OfferShare.Status.PROPOSED, 0)
    inquiry.unmet_quantity = max(0, inquiry.quantity - active)
    if inquiry.status in Inquiry.LIVE_STATUSES:
        if accepted >= inquiry.quantity:
            inquiry.status = Inquiry.Status.COVERED
        elif inquiry.unmet_quantity == 0:
            inquiry.status = Inquiry.Status.OFFERED
        elif active > 0:
            inquiry.status = Inquiry.Status.PARTLY_COVERED
        else:
            inquiry.status = Inquiry.Status.OPEN
    inquiry.save(update_fields=["status", "unmet_quantity", "updated_at"])


def _propose(
    *, actor, inquiry: Inquiry, quantity: int, today: date, exclude_entities: set[int]
) -> list[OfferShare]:
    """Shares for `quantity` among producers not in `exclude_entities` (locks their products first)."""
    products = matching.candidate_products(
        category_id=inquiry.category_id,
        unit=inquiry.unit,
        keywords=inquiry.keywords,
        today=today,
        exclude_entities=exclude_entities,
    )
    # Locked in id order (no deadlock between two submissions); capacity is read after the lock.
    list(Product.objects.select_for_update().filter(pk__in=[p.pk for p in products]).order_by("pk"))
    ranked = matching.rank(
        products,
        start=inquiry.delivery_start,
        end=inquiry.delivery_end,
        unit=inquiry.unit,
        buyer_province_id=inquiry.buyer.province_id,
    )
    shares = []
    for candidate, share_quantity in matching.allocate(ranked, quantity):
        share = OfferShare.objects.create(
            inquiry=inquiry,
            product=candidate.product,
            entity_id=candidate.product.entity_id,
            quantity=share_quantity,
        )
        audit_record(actor=actor, action="offer_share.propose", obj=share, after=snapshot(share))
        shares.append(share)
    return shares


def inquiry_submit(
    *,
    actor,
    buyer: BuyerProfile,
    category: ProductCategory | None,
    quantity: Any,
    unit: str,
    delivery_start: Any,
    delivery_end: Any,
    destination_province: Province | None,
    destination_address: str,
    keywords: str = "",
    note: str = "",
    today: date | None = None,
) -> Inquiry:
    """Record a buyer's inquiry and propose shares to the producers who can supply it at once."""
    if actor is None or getattr(actor, "pk", None) != buyer.user_id:
        access.require(False)
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if not isinstance(category, ProductCategory):
        errors.setdefault("category", []).append(_("Choose the product type."))
    number = _quantity(errors, quantity)
    unit_text = _text(errors, unit, field="unit", limit=UNIT_MAX, required=True)
    _window(errors, delivery_start, delivery_end, today=today)
    if not isinstance(destination_province, Province):
        errors.setdefault("destination_province", []).append(_("Choose the province to deliver to."))
    clean = {
        "destination_address": _text(
            errors, destination_address, field="destination_address", limit=ADDRESS_MAX, required=True
        ),
        "keywords": _text(errors, keywords, field="keywords", limit=KEYWORDS_MAX),
        "note": _text(errors, note, field="note", limit=NOTE_MAX),
    }
    _raise_if(errors)
    assert isinstance(category, ProductCategory) and isinstance(destination_province, Province)
    with transaction.atomic():
        # One submission at a time per buyer: the count below cannot be raced past.
        BuyerProfile.objects.select_for_update().filter(pk=buyer.pk).exists()
        recent = Inquiry.objects.filter(created_by=actor, created_at__gte=timezone.now() - timedelta(days=1))
        limit = _inquiries_per_day()
        if recent.count() >= limit:
            raise ValidationError(
                _(
                    "You have sent %(count)s inquiries in the last 24 hours, the most we accept. "
                    "Producers are answering them; please try again tomorrow."
                )
                % {"count": limit},
                code=RATE_LIMITED,
            )
        inquiry = Inquiry.objects.create(
            buyer=buyer,
            category=category,
            quantity=number,
            unit=unit_text,
            delivery_start=delivery_start,
            delivery_end=delivery_end,
            destination_province=destination_province,
            created_by=actor,
            **clean,
        )
        audit_record(actor=actor, action="inquiry.submit", obj=inquiry, after=snapshot(inquiry))
        _propose(actor=actor, inquiry=inquiry, quantity=number, today=today, exclude_entities=set())
        _inquiry_refresh(inquiry)
    return inquiry


def inquiry_cancel(*, actor, inquiry: Inquiry, reason: str = "") -> Inquiry:
    """The buyer withdraws its inquiry; every share still proposed or accepted is withdrawn with it."""
    if actor is None or getattr(actor, "pk", None) != inquiry.buyer.user_id:
        access.require(False)
    errors: dict[str, list[str]] = {}
    reason = _text(errors, reason, field="reason", limit=REASON_MAX)
    _raise_if(errors)
    with transaction.atomic():
        locked = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
        if not locked.is_live and locked.status != Inquiry.Status.COVERED:
            raise ValidationError(
                _("This inquiry is already %(status)s.") % {"status": locked.get_status_display()}
            )
        before = snapshot(locked, ["status", "unmet_quantity"])
        locked.shares.filter(status__in=OfferShare.ACTIVE_STATUSES).update(status=OfferShare.Status.WITHDRAWN)
        locked.status = Inquiry.Status.CANCELLED
        locked.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor,
            action="inquiry.cancel",
            obj=locked,
            before=before,
            after=snapshot(locked, ["status", "unmet_quantity"]),
            reason=reason,
        )
    return locked


def inquiries_close_ended(*, today: date | None = None) -> int:
    """Close inquiries whose delivery window has ended (run daily: `manage.py close_ended_inquiries`);
    shares still waiting for an answer are withdrawn, accepted ones stay as the record of the trade."""
    today = today or timezone.localdate()
    closed = 0
    ended = Inquiry.objects.filter(
        delivery_end__lt=today, status__in=[*Inquiry.LIVE_STATUSES, Inquiry.Status.COVERED]
    ).values_list("pk", flat=True)
    for pk in list(ended):
        with transaction.atomic():
            locked = Inquiry.objects.select_for_update().get(pk=pk)
            before = snapshot(locked, ["status"])
            locked.shares.filter(status=OfferShare.Status.PROPOSED).update(status=OfferShare.Status.WITHDRAWN)
            locked.status = Inquiry.Status.CLOSED
            locked.save(update_fields=["status", "updated_at"])
            audit_record(
                actor=None,
                action="inquiry.close",
                obj=locked,
                before=before,
                after=snapshot(locked, ["status"]),
                reason="delivery window ended",
            )
            closed += 1
    return closed
