"""Monthly scan rollups: the sums of a month's daily rollups per product, rewritten whenever a day of
the month is rolled up (scans.services.scans_rollup), so they never disagree with the daily rows. The
reports' "scans per product and month" read them (issue 9: ten million scans nationally)."""

from datetime import date, timedelta

from django.db import transaction
from django.db.models import Sum

from scans.models import DailyScanRollup, MonthlyScanRollup


def month_bounds(day: date) -> tuple[date, date]:
    """The first day of `day`'s month and the first day of the next."""
    first = day.replace(day=1)
    return first, (first + timedelta(days=32)).replace(day=1)


def scans_month_rollup(*, day: date) -> int:
    """Rewrite the monthly rollups of `day`'s month from its daily rollups (running it twice gives the
    same rows). Returns the products of the month."""
    first, following = month_bounds(day)
    sums = (
        DailyScanRollup.objects.filter(day__gte=first, day__lt=following)
        .values("product_id")
        .annotate(scans=Sum("scans"), visitors=Sum("visitors"), suspect=Sum("suspect_scans"))
        .order_by()
    )
    rows = [
        MonthlyScanRollup(
            product_id=row["product_id"],
            month=first,
            scans=row["scans"],
            visitor_days=row["visitors"],
            suspect_scans=row["suspect"],
        )
        for row in sums
    ]
    with transaction.atomic():
        MonthlyScanRollup.objects.filter(month=first).delete()
        MonthlyScanRollup.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
