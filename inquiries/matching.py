"""Which certified products can answer an inquiry, how much each can still supply in its delivery
window, and how the quantity is split among them. Read-only: inquiries.services calls these inside its
transaction, after locking the product rows (so two inquiries cannot book the same capacity).

Rules (issue 8; documented here because buyers and producers will ask why an offer looks as it does):
- Candidates: products of the inquiry's criteria set (the product type), status certified with a valid
  certificate (as certificates.selectors.current_certificate reads it), a declared monthly capacity in
  a unit compatible with the inquiry's (inquiries.units), and, when the buyer gave keywords, a name
  containing every keyword (diacritics ignored).
- Capacity over a window: monthly capacity × days in the window / 30 (a prorated month, so a two-week
  window gets half a month's capacity), converted to the inquiry's unit.
- Booked: quantities of *accepted* shares of the product in other inquiries whose windows overlap,
  each spread evenly over its own window and counted for the overlapping days only. A proposal books
  nothing (it is not a promise); accepting re-checks the capacity under a row lock.
- One product per producer entity per inquiry: the entity's best one by the order below. An entity's
  several products are not summed (the share names one product the buyer can look up).
- Order: higher star first, then producers of the buyer's province, then more available capacity,
  then the older product (stable).
- One producer able to supply everything gets the whole quantity; otherwise a consolidated offer takes
  each producer's available capacity in that order until the quantity is covered, or until the
  candidates run out (the inquiry is then partly covered and the rest is recorded as unmet).
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from django.db.models import Max, Q, QuerySet

from certificates.models import Certificate
from inquiries.models import Inquiry, OfferShare
from inquiries.units import unit_convert, unit_parse
from ocop_hub.text import fold
from registry.models import Product

DAYS_PER_MONTH = 30


def window_days(start: date, end: date) -> int:
    """Days of a delivery window, both ends included."""
    return (end - start).days + 1


def _overlap_days(a_start: date, a_end: date, b_start: date, b_end: date) -> int:
    return max(0, (min(a_end, b_end) - max(a_start, b_start)).days + 1)


def certified(today: date) -> QuerySet[Product]:
    """Certified products with a valid certificate today. The valid certificates are read once (an IN):
    as a correlated EXISTS, SQLite walked an index per product, minutes at national scale."""
    valid = Certificate.objects.filter(status=Certificate.Status.VALID, valid_until__gte=today)
    return Product.objects.filter(status=Product.Status.CERTIFIED, pk__in=valid.values("product_id"))


def certified_products(today: date) -> QuerySet[Product]:
    """certified(), annotated with the star of the valid certificate (`stars`)."""
    valid = Q(certificates__status=Certificate.Status.VALID, certificates__valid_until__gte=today)
    return certified(today).annotate(stars=Max("certificates__stars", filter=valid))


def candidate_products(
    *, category_id: str, unit: str, keywords: str, today: date, exclude_entities: Iterable[int] = ()
) -> list[Product]:
    qs = (
        certified_products(today)
        .filter(category_id=category_id, monthly_capacity__gt=0)
        .exclude(entity_id__in=list(exclude_entities))
        .select_related("entity", "province")
    )
    for word in fold(keywords).split():
        qs = qs.filter(name_folded__contains=word)
    wanted = unit_parse(unit)
    return [
        p
        for p in qs.order_by("pk")
        if wanted is not None
        and (found := unit_parse(p.capacity_unit))
        and found.dimension == wanted.dimension
    ]


def capacity_over(product: Product, *, start: date, end: date, unit: str) -> Fraction:
    """The product's declared capacity over a window, in `unit` (0 when the units do not match)."""
    monthly = unit_convert(product.monthly_capacity or 0, source=product.capacity_unit, target=unit)
    if monthly is None:
        return Fraction(0)
    return monthly * window_days(start, end) / DAYS_PER_MONTH


def booked_over(
    product: Product, *, start: date, end: date, unit: str, exclude_share: int | None = None
) -> Fraction:
    """What accepted shares of the product already take from the window, in `unit`."""
    shares = (
        OfferShare.objects.filter(
            product=product,
            status=OfferShare.Status.ACCEPTED,
            inquiry__delivery_start__lte=end,
            inquiry__delivery_end__gte=start,
        )
        .exclude(inquiry__status=Inquiry.Status.CANCELLED)
        .select_related("inquiry")
    )
    if exclude_share is not None:
        shares = shares.exclude(pk=exclude_share)
    total = Fraction(0)
    for share in shares:
        other = share.inquiry
        quantity = unit_convert(share.quantity, source=other.unit, target=unit)
        if quantity is None:
            continue
        days = _overlap_days(start, end, other.delivery_start, other.delivery_end)
        total += quantity * days / window_days(other.delivery_start, other.delivery_end)
    return total


def available_over(
    product: Product, *, start: date, end: date, unit: str, exclude_share: int | None = None
) -> int:
    """Whole units of `unit` the product can still supply in the window (never negative)."""
    free = capacity_over(product, start=start, end=end, unit=unit) - booked_over(
        product, start=start, end=end, unit=unit, exclude_share=exclude_share
    )
    return max(0, math.floor(free))


@dataclass(frozen=True)
class Candidate:
    product: Product
    available: int
    stars: int
    local: bool

    @property
    def order(self) -> tuple:
        return (-self.stars, not self.local, -self.available, self.product.pk)


def rank(
    products: Sequence[Product], *, start: date, end: date, unit: str, buyer_province_id: str
) -> list[Candidate]:
    """Products with capacity left, best first, one per entity (module docstring)."""
    candidates = [
        Candidate(
            product=p,
            available=available_over(p, start=start, end=end, unit=unit),
            stars=getattr(p, "stars", 0) or 0,
            local=p.province_id == buyer_province_id,
        )
        for p in products
    ]
    best: dict[int, Candidate] = {}
    for c in sorted((c for c in candidates if c.available > 0), key=lambda c: c.order):
        best.setdefault(c.product.entity_id, c)
    return sorted(best.values(), key=lambda c: c.order)


def allocate(candidates: Sequence[Candidate], quantity: int) -> list[tuple[Candidate, int]]:
    """The shares for `quantity`: one producer if one can supply it all, else greedy in rank order."""
    for c in candidates:
        if c.available >= quantity:
            return [(c, quantity)]
    shares: list[tuple[Candidate, int]] = []
    remaining = quantity
    for c in candidates:
        if remaining <= 0:
            break
        take = min(c.available, remaining)
        shares.append((c, take))
        remaining -= take
    return shares


def months_between(first: date, last: date) -> list[date]:
    """First days of the months from `first`'s to `last`'s, both included."""
    months = []
    current = first.replace(day=1)
    while current <= last:
        months.append(current)
        current = (current + timedelta(days=32)).replace(day=1)
    return months
