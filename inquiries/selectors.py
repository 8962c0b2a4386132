"""Reads of the inquiries app, each scoped: a buyer reads its own inquiries, a producer the shares
proposed to its entities, an official the buyers and the demand of its province (registry.access)."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction

from django.core.exceptions import PermissionDenied
from django.db.models import Max, Prefetch, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from certificates.models import Certificate
from inquiries import matching
from inquiries.models import BuyerProfile, Inquiry, OfferShare
from inquiries.units import BASE_LABEL, to_base
from registry import access
from registry.models import ProductCategory, ProductTranslation


def buyer_profile_of(user) -> BuyerProfile | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return BuyerProfile.objects.select_related("province").filter(user=user).first()


def _stars() -> Max:
    """The star of the product's valid certificate, shown next to each share."""
    return Max(
        "product__certificates__stars",
        filter=Q(product__certificates__status=Certificate.Status.VALID),
    )


def _with_shares(qs: QuerySet[Inquiry]) -> QuerySet[Inquiry]:
    shares = (
        OfferShare.objects.annotate(stars=_stars())
        .select_related("entity", "product")
        .prefetch_related(
            Prefetch(
                "product__translations",
                queryset=ProductTranslation.objects.only("product_id", "language", "name"),
            )
        )
    )
    return qs.select_related("category", "destination_province", "buyer").prefetch_related(
        Prefetch("shares", queryset=shares)
    )


def inquiries_of(user, *, status: str = "") -> QuerySet[Inquiry]:
    """The inquiries of the user's buyer organisation (none for anyone else)."""
    if not getattr(user, "is_authenticated", False):
        return Inquiry.objects.none()
    qs = Inquiry.objects.filter(buyer__user=user)
    if status:
        qs = qs.filter(status=status)
    return _with_shares(qs)


def inquiry_of_buyer(user, pk: int) -> Inquiry:
    """One of the user's own inquiries; another buyer's is not found (Inquiry.DoesNotExist)."""
    return inquiries_of(user).get(pk=pk)


def shares_for_producer(user, *, status: str = "") -> QuerySet[OfferShare]:
    """Shares proposed to the entities the user is a member of, newest first."""
    entities = access.scope_of(user).entities
    qs = OfferShare.objects.filter(entity_id__in=entities).annotate(stars=_stars())
    if status:
        qs = qs.filter(status=status)
    return (
        qs.select_related(
            "entity", "product", "inquiry__category", "inquiry__destination_province", "inquiry__buyer"
        )
        .prefetch_related(
            Prefetch(
                "product__translations",
                queryset=ProductTranslation.objects.only("product_id", "language", "name"),
            )
        )
        .order_by("-created_at", "-id")
    )


def share_for_producer(user, pk: int) -> OfferShare:
    """A share of one of the user's entities; another entity's is not found (OfferShare.DoesNotExist)."""
    return shares_for_producer(user).get(pk=pk)


def contacts_visible(*, buyer: BuyerProfile, share: OfferShare) -> bool:
    """Issue 8: contact details only between logged-in, verified parties. The producer's contacts are
    the buyer's once it is verified and the producer accepted; the buyer's are the producer's then too."""
    return buyer.is_verified and share.status == OfferShare.Status.ACCEPTED


@dataclass(frozen=True)
class ShareTotals:
    accepted: int
    proposed: int
    declined: int
    unmet: int


def share_totals(inquiry: Inquiry) -> ShareTotals:
    """Totals of an inquiry's shares (uses the prefetched shares)."""
    sums: dict[str, int] = defaultdict(int)
    for share in inquiry.shares.all():
        sums[share.status] += share.quantity
    return ShareTotals(
        accepted=sums[OfferShare.Status.ACCEPTED],
        proposed=sums[OfferShare.Status.PROPOSED],
        declined=sums[OfferShare.Status.DECLINED],
        unmet=inquiry.unmet_quantity,
    )


def may_verify_buyers(user) -> bool:
    scope = access.scope_of(user)
    return scope.national or bool(scope.provinces)


def buyers_for_official(user, *, state: str = "") -> QuerySet[BuyerProfile]:
    """Buyers of the official's provinces (national officials: all); `state` "waiting" or "verified"."""
    scope = access.scope_of(user)
    if scope.national:
        qs = BuyerProfile.objects.all()
    elif scope.provinces:
        qs = BuyerProfile.objects.filter(province_id__in=scope.provinces)
    else:
        return BuyerProfile.objects.none()
    if state == "waiting":
        qs = qs.filter(verified_at__isnull=True)
    elif state == "verified":
        qs = qs.filter(verified_at__isnull=False)
    return qs.select_related("province", "user", "verified_by").order_by("verified_at", "organisation", "id")


def buyer_for_official(user, pk: int) -> BuyerProfile:
    return buyers_for_official(user).get(pk=pk)


# --- demand vs capacity --------------------------------------------------------------------------------


def demand_provinces(user) -> list[str] | None:
    """Provinces whose demand the user may read: None for the whole country (national officials)."""
    scope = access.scope_of(user)
    if scope.national:
        return None
    return sorted(scope.provinces)


@dataclass
class DemandRow:
    category: ProductCategory
    unit: str
    inquiries: int = 0
    demanded: Fraction = Fraction(0)
    accepted: Fraction = Fraction(0)
    accepted_here: Fraction = Fraction(0)  # by producers of the provinces shown
    unmet: Fraction = Fraction(0)
    capacity: Fraction = Fraction(0)
    inquiry_ids: set[int] = field(default_factory=set)


@dataclass
class DemandTable:
    rows: list[DemandRow]
    totals: list[DemandRow]  # one per unit (kg, l, hộp…): quantities of different units do not add up
    months: int


def _period_bounds(first_month: date, last_month: date) -> tuple[date, date]:
    end = (last_month.replace(day=1) + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return first_month.replace(day=1), end


def demand_scope(user, province: str = "") -> list[str] | None:
    """The provinces a demand table covers: the chosen one if the user may read it, else all the user
    may read (None: the whole country). PermissionDenied for anyone else or another province."""
    allowed = demand_provinces(user)
    if allowed is not None and not allowed:
        raise PermissionDenied(_("Only province and national officials see demand and capacity."))
    if not province:
        return allowed
    if allowed is not None and province not in allowed:
        raise PermissionDenied(_("That province is outside your jurisdiction."))
    return [province]


def demand_vs_capacity(
    user, *, province: str = "", first_month: date, last_month: date, today: date
) -> DemandTable:
    """Per product type and unit, the demand that reached the provinces against what they can supply.

    Demand: inquiries (not cancelled) whose delivery starts in the period and that were delivered to
    the provinces or proposed to one of their producers: a producing province sees the orders its
    cooperatives were asked for, wherever the buyer is, and a consuming province sees what its buyers
    want. Columns: the quantity asked, accepted (by any producer, and by the provinces' own), unmet;
    against the declared monthly capacity of the provinces' certified products × the period's months.
    Quantities are in kg for weights, l for volumes, and in their own unit otherwise (inquiries.units).
    `province` narrows the user's jurisdiction to one province (demand_scope)."""
    provinces = demand_scope(user, province)
    start, end = _period_bounds(first_month, last_month)
    months = len(matching.months_between(start, end))
    inquiries = Inquiry.objects.filter(delivery_start__gte=start, delivery_start__lte=end).exclude(
        status=Inquiry.Status.CANCELLED
    )
    if provinces is not None:
        offered_here = OfferShare.objects.filter(product__province_id__in=provinces).values("inquiry_id")
        inquiries = inquiries.filter(Q(destination_province_id__in=provinces) | Q(pk__in=offered_here))
    categories = {c.code: c for c in ProductCategory.objects.all()}
    rows: dict[tuple[str, str], DemandRow] = {}

    labels: dict[str, str] = {}

    def row(category_id: str, unit: str, written: str) -> DemandRow:
        # A counted unit is shown as first written ("hộp"), not folded ("hop").
        label = labels.setdefault(
            unit, unit if unit in BASE_LABEL.values() else " ".join(written.lower().split())
        )
        key = (category_id, unit)
        if key not in rows:
            rows[key] = DemandRow(category=categories[category_id], unit=label)
        return rows[key]

    accepted_by_inquiry: dict[int, int] = defaultdict(int)
    accepted_here_by_inquiry: dict[int, int] = defaultdict(int)
    for inquiry_id, quantity, product_province in OfferShare.objects.filter(
        inquiry__in=inquiries, status=OfferShare.Status.ACCEPTED
    ).values_list("inquiry_id", "quantity", "product__province_id"):
        accepted_by_inquiry[inquiry_id] += quantity
        if provinces is None or product_province in provinces:
            accepted_here_by_inquiry[inquiry_id] += quantity
    for inquiry in inquiries.only("pk", "category_id", "quantity", "unit", "unmet_quantity"):
        base = to_base(1, inquiry.unit)
        if base is None:
            continue
        factor, unit = base
        r = row(inquiry.category_id, unit, inquiry.unit)
        r.inquiry_ids.add(inquiry.pk)
        r.demanded += inquiry.quantity * factor
        r.accepted += accepted_by_inquiry[inquiry.pk] * factor
        r.accepted_here += accepted_here_by_inquiry[inquiry.pk] * factor
        r.unmet += inquiry.unmet_quantity * factor
    # Summed per criteria set and written unit in the database, then converted: a conversion is a
    # factor, so converting the sum is summing the conversions (20,000 products nationally).
    capable = matching.certified(today).filter(monthly_capacity__gt=0)
    if provinces is not None:
        capable = capable.filter(province_id__in=provinces)
    capacities = (
        capable.values_list("category_id", "capacity_unit")
        .annotate(monthly=Sum("monthly_capacity"))
        .order_by("category_id", "capacity_unit")
    )
    for category_id, unit_text, monthly in capacities:
        converted = to_base(monthly or 0, unit_text)
        if converted is None:
            continue
        capacity, unit = converted
        row(category_id, unit, unit_text).capacity += capacity * months
    ordered = sorted(rows.values(), key=lambda r: (r.category.code, r.unit))
    totals: dict[str, DemandRow] = {}
    for r in ordered:
        r.inquiries = len(r.inquiry_ids)
        total = totals.setdefault(r.unit, DemandRow(category=r.category, unit=r.unit))
        total.inquiries += r.inquiries
        total.demanded += r.demanded
        total.accepted += r.accepted
        total.accepted_here += r.accepted_here
        total.unmet += r.unmet
        total.capacity += r.capacity
    return DemandTable(rows=ordered, totals=sorted(totals.values(), key=lambda t: t.unit), months=months)
