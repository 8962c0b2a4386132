"""The figures a report shows beside its summary (reports.summary): certificates ending per month,
other recognitions, export markets, scans per product and month, buyer demand against capacity. Built
once per request and shared by the dashboard, the CSV/XLSX exports, the PDF and the monthly e-mail, so
the numbers are the same wherever they are read. Definitions: docs/reports.md."""

import unicodedata
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Q, Subquery

from inquiries.selectors import DemandTable
from registry.models import ProductTranslation, Recognition
from reports.figures import current_certificates, expiring
from reports.figures_activity import (
    ScanMonth,
    demand_and_capacity,
    month_start,
    recognitions_valid,
    scans_per_product_month,
)
from reports.jurisdiction import Jurisdiction
from reports.summary import Summary

SCAN_ROWS = 10  # per month
EXPIRING_LISTED = 50
# The reference month and the two before it: scans and demand are read over the same months.
RECENT_MONTHS = 3


@dataclass(frozen=True)
class Ending:
    """A current certificate ending within 90 days, as the list shows it."""

    product_id: int
    name: str | None  # the product's Vietnamese name
    commune: str
    stars: int
    valid_until: date


@dataclass
class Details:
    months: tuple[date, date]  # first day of the first month, first day of the reference month
    expiring_months: list[tuple[date, int]]
    recognitions: list[tuple[str, int]]
    export_markets: list[tuple[str, int]]
    scans: list[ScanMonth]
    demand: DemandTable | None  # None: the reader may not see demand (commune officials)
    ending: list[Ending]  # the first EXPIRING_LISTED, soonest first


def _market_key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def export_markets(j: Jurisdiction, on: date) -> list[tuple[str, int]]:
    """[(market, current products)]: current OCOP products on `on` with a recognition of kind
    export_market valid on that date naming the market, the product's own or one of its entity's that
    names no product (as the catalogue shows them). A recognition's note lists markets separated by ";".
    Markets are matched ignoring case and spacing; most products first. Two queries."""
    notes = list(
        Recognition.objects.filter(kind=Recognition.Kind.EXPORT_MARKET)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .values_list("entity_id", "product_id", "note")
    )
    if not notes:
        return []
    # Few entities export: their current products in the area, not all the area's (the area is the
    # product's place of production, which may differ from where its entity is registered).
    products = dict(
        current_certificates(j, on)
        .filter(entity_id__in={entity_id for entity_id, _product, _note in notes})
        .values_list("product_id", "entity_id")
    )
    by_entity: dict[int, set[str]] = {}
    by_product: dict[int, set[str]] = {}
    labels: dict[str, str] = {}
    for entity_id, product_id, note in notes:
        for raw in note.split(";"):
            label = " ".join(unicodedata.normalize("NFC", raw).split())
            if not label:
                continue
            key = _market_key(label)
            labels.setdefault(key, label)
            target = (
                by_product.setdefault(product_id, set())
                if product_id
                else by_entity.setdefault(entity_id, set())
            )
            target.add(key)
    counts: dict[str, int] = {}
    for product_id, entity_id in products.items():
        for key in by_product.get(product_id, set()) | by_entity.get(entity_id, set()):
            counts[key] = counts.get(key, 0) + 1
    return sorted(((labels[k], n) for k, n in counts.items()), key=lambda row: (-row[1], row[0]))


def ending_soon(j: Jurisdiction, on: date, limit: int = EXPIRING_LISTED) -> list[Ending]:
    """The certificates ending in the next 90 days (figures.expiring), soonest first, with the
    product's Vietnamese name as a column: one query."""
    vi = ProductTranslation.objects.filter(product_id=OuterRef("product_id"), language="vi")
    name = vi.values("name")[:1]
    rows = (
        expiring(j, on)
        .annotate(product_name=Subquery(name))
        .values_list("product_id", "product_name", "product__commune__name", "stars", "valid_until")
        .order_by("valid_until", "pk")[:limit]
    )
    return [Ending(*row) for row in rows]


def details(user, s: Summary, *, scan_rows: int = SCAN_ROWS) -> Details:
    first, last = month_start(s.on, RECENT_MONTHS - 1), month_start(s.on)
    try:
        demand = demand_and_capacity(user, s.area, first_month=first, last_month=last, today=s.on)
    except PermissionDenied:
        demand = None
    counts = recognitions_valid(s.area, s.on)
    return Details(
        months=(first, last),
        expiring_months=s.expiring_months,
        recognitions=[(str(label), counts[kind]) for kind, label in Recognition.Kind.choices],
        export_markets=export_markets(s.area, s.on),
        scans=scans_per_product_month(s.area, first, last, limit=scan_rows),
        demand=demand,
        ending=ending_soon(s.area, s.on),
    )
