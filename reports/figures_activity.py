"""Figures about what happened over time and around the certificates: certificate events per year,
other recognitions, scans (from the rollups only, never raw scan events: DESIGN.md) and buyer
demand against capacity (the inquiries app's own table, not a second computation)."""

from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from certificates.models import CertificateEvent
from inquiries.selectors import DemandTable, demand_vs_capacity
from registry.models import ProductTranslation, Recognition
from reports.figures import current_certificates
from reports.jurisdiction import Jurisdiction
from scans.models import MonthlyScanRollup

EVENT_KINDS = [kind for kind, _label in CertificateEvent.Kind.choices]


def events_per_year(j: Jurisdiction, first_year: int, last_year: int) -> dict[int, dict[str, int]]:
    """{year: {event kind: count}} of certificate events dated in the years (issue, renewal, upgrade,
    downgrade, revocation, lapse: certificates.models.CertificateEvent); every year present."""
    years = range(first_year, last_year + 1)
    table = {year: dict.fromkeys(EVENT_KINDS, 0) for year in years}
    # One count per year over date ranges rather than grouping by the year of the date: SQLite
    # extracts a year through a Python function, once per event (40,000 nationally).
    rows = (
        CertificateEvent.objects.filter(
            j.products("certificate__product__"),
            at__gte=date(first_year, 1, 1),
            at__lte=date(last_year, 12, 31),
        )
        .values("kind")
        .annotate(
            **{
                f"y{year}": Count("id", filter=Q(at__gte=date(year, 1, 1), at__lte=date(year, 12, 31)))
                for year in years
            }
        )
        .order_by()
    )
    for row in rows:
        counts = cast(dict[str, int], row)
        for year in years:
            table[year][row["kind"]] = counts[f"y{year}"]
    return table


def month_start(day: date, months_before: int = 0) -> date:
    """The first day of `day`'s month, or of the month `months_before` earlier (negative: later)."""
    index = day.year * 12 + day.month - 1 - months_before
    return date(index // 12, index % 12 + 1, 1)


def expiring_per_month(j: Jurisdiction, on: date, months: int = 12) -> list[tuple[date, int]]:
    """[(first day of the month, count)] of the current products on `on` whose certificate's last day
    falls in the reference month (from `on`, as "current" requires) or in one of the `months` - 1
    months after it, per calendar month of that last day; every month present, oldest first. One
    query."""
    starts = [month_start(on, -k) for k in range(months + 1)]
    counts = dict.fromkeys(starts[:-1], 0)
    rows = (
        current_certificates(j, on)
        .filter(valid_until__lt=starts[-1])
        .annotate(month=TruncMonth("valid_until"))
        .values("month")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        month = row["month"].date() if hasattr(row["month"], "date") else row["month"]
        counts[month.replace(day=1)] = row["n"]
    return list(counts.items())


def _in_area(j: Jurisdiction) -> Q:
    """A recognition is of the area of its product, or of its entity when it names no product."""
    return (Q(product__isnull=False) & j.products()) | (Q(product__isnull=True) & j.products("entity__"))


def recognitions_valid(j: Jurisdiction, on: date) -> dict[str, int]:
    """Recognitions (VietGAP, typical rural industrial product, golden brand, export market…) valid on
    `on` (no dates recorded counts as valid), per kind; every kind present."""
    counts = dict.fromkeys(Recognition.Kind.values, 0)
    rows = (
        Recognition.objects.filter(_in_area(j))
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .values("kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        counts[row["kind"]] = row["n"]
    return counts


def recognitions_granted(j: Jurisdiction, start: date, end: date) -> dict[str, int]:
    """Recognitions whose validity starts in [start, end] (the seed's "in 2021–2025, 22 typical rural
    industrial products and 9 golden brands"), per kind."""
    counts = dict.fromkeys(Recognition.Kind.values, 0)
    rows = (
        Recognition.objects.filter(_in_area(j), valid_from__gte=start, valid_from__lte=end)
        .values("kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        counts[row["kind"]] = row["n"]
    return counts


@dataclass(frozen=True)
class ScanMonth:
    product_id: int
    name: str
    month: date
    scans: int
    visitor_days: int  # distinct visitors per day, added up: a visitor on two days counts twice


def scans_per_product_month(
    j: Jurisdiction, first_month: date, last_month: date, *, limit: int = 100
) -> list[ScanMonth]:
    """Scans per product and month from the monthly rollups (scans.MonthlyScanRollup, the sums of the
    daily rollups; raw scans are never read): every month from `first_month` to `last_month`, oldest
    first, with its `limit` most scanned products. One query per month, then one for the names."""
    months = [first_month.replace(day=1)]
    while (following := month_start(months[-1], -1)) <= last_month:
        months.append(following)
    rows: list[tuple[date, Any]] = []
    for month in months:
        top = (
            MonthlyScanRollup.objects.filter(j.products(), month=month)
            .values("product_id", "scans", "visitor_days")
            .order_by("-scans", "product_id")[:limit]
        )
        rows += [(month, r) for r in top]
    names = dict(
        ProductTranslation.objects.filter(
            product_id__in={r["product_id"] for _month, r in rows}, language="vi"
        ).values_list("product_id", "name")
    )
    return [
        ScanMonth(
            product_id=r["product_id"],
            name=names.get(r["product_id"], f"#{r['product_id']}"),
            month=month,
            scans=r["scans"],
            visitor_days=r["visitor_days"],
        )
        for month, r in rows
    ]


def demand_and_capacity(
    user, j: Jurisdiction, *, first_month: date, last_month: date, today: date
) -> DemandTable:
    """The inquiries app's demand-vs-capacity table for the area's province (national: the country).
    Demand is per province: a commune's report shows its province's (inquiries.selectors)."""
    province = j.province.code if j.province is not None else ""
    return demand_vs_capacity(
        user, province=province, first_month=first_month, last_month=last_month, today=today
    )
