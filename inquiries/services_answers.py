"""Producers' answers to the shares proposed to them: accept (capacity re-checked under the product's
row lock, so two answers cannot book the same capacity) or decline with a reason (the quantity is then
proposed to producers not yet asked). Audited, in one transaction each."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record, snapshot
from inquiries import matching
from inquiries.models import Inquiry, OfferShare
from inquiries.services import REASON_MAX, _inquiry_refresh, _propose, _raise_if, _text
from registry import access
from registry.models import Product


def may_answer(user, share: OfferShare) -> bool:
    """Only members of the producer entity answer its share: an official does not commit a
    cooperative's harvest."""
    return share.entity_id in access.scope_of(user).entities


def _locked_share(actor, share: OfferShare) -> tuple[OfferShare, Inquiry]:
    access.require(actor is not None and may_answer(actor, share))
    inquiry = Inquiry.objects.select_for_update().get(pk=share.inquiry_id)
    # of=self: the product row is locked on its own by the caller (one lock, taken first, in one place).
    locked = OfferShare.objects.select_for_update(of=("self",)).select_related("product").get(pk=share.pk)
    if locked.status != OfferShare.Status.PROPOSED:
        raise ValidationError(
            _("This share was already answered (%(status)s).") % {"status": locked.get_status_display()}
        )
    if not inquiry.is_live:
        raise ValidationError(
            _("The buyer's inquiry is %(status)s; there is nothing to answer.")
            % {"status": inquiry.get_status_display()}
        )
    return locked, inquiry


def offer_share_accept(*, actor, share: OfferShare) -> OfferShare:
    """The producer commits to its share; refused if accepted shares of overlapping inquiries have
    since taken the capacity (checked under the product's lock)."""
    with transaction.atomic():
        Product.objects.select_for_update().filter(pk=share.product_id).exists()
        locked, inquiry = _locked_share(actor, share)
        available = matching.available_over(
            locked.product,
            start=inquiry.delivery_start,
            end=inquiry.delivery_end,
            unit=inquiry.unit,
            exclude_share=locked.pk,
        )
        if locked.quantity > available:
            raise ValidationError(
                _(
                    "Accepted orders already take this product's declared capacity: it can supply "
                    "%(available)s %(unit)s more in this window, not %(quantity)s. Decline the share, or "
                    "update the product's monthly capacity first."
                )
                % {"available": available, "unit": inquiry.unit, "quantity": locked.quantity}
            )
        before = snapshot(locked, ["status"])
        locked.status = OfferShare.Status.ACCEPTED
        locked.responded_by = actor
        locked.responded_at = timezone.now()
        locked.save(update_fields=["status", "responded_by", "responded_at"])
        audit_record(
            actor=actor,
            action="offer_share.accept",
            obj=locked,
            before=before,
            after=snapshot(locked, ["status"]),
        )
        _inquiry_refresh(inquiry)
    return locked


def offer_share_decline(*, actor, share: OfferShare, reason: str, today: date | None = None) -> OfferShare:
    """The producer declines; the quantity is proposed to the next producers not yet asked, if any."""
    errors: dict[str, list[str]] = {}
    reason = _text(errors, reason, field="reason", limit=REASON_MAX)
    if not reason and "reason" not in errors:
        errors["reason"] = [_("Say why you decline (for example: the harvest is too small this season).")]
    with transaction.atomic():
        locked, inquiry = _locked_share(actor, share)
        _raise_if(errors)
        before = snapshot(locked, ["status"])
        locked.status = OfferShare.Status.DECLINED
        locked.responded_by = actor
        locked.responded_at = timezone.now()
        locked.decline_reason = reason
        locked.save(update_fields=["status", "responded_by", "responded_at", "decline_reason"])
        audit_record(
            actor=actor,
            action="offer_share.decline",
            obj=locked,
            before=before,
            after=snapshot(locked, ["status"]),
            reason=reason,
        )
        # The declined quantity and whatever was unmet before: producers certified since, or whose
        # capacity an accepted share of another inquiry no longer takes, may now cover it.
        active = inquiry.shares.filter(status__in=OfferShare.ACTIVE_STATUSES).aggregate(total=Sum("quantity"))
        remainder = inquiry.quantity - (active["total"] or 0)
        if remainder > 0:
            asked = set(inquiry.shares.values_list("entity_id", flat=True))
            _propose(
                actor=None,
                inquiry=inquiry,
                quantity=remainder,
                today=today or timezone.localdate(),
                exclude_entities=asked,
            )
        _inquiry_refresh(inquiry)
    return locked
