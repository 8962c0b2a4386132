"""Achieved against target: the percentage officials write ("358% of the period target and 153.6% of
the 2030 target"), with one decimal, rounded half up (docs/reports.md)."""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet

from reports import figures
from reports.jurisdiction import Jurisdiction
from reports.models import Target

ONE_DECIMAL = Decimal("0.1")


def percent(achieved: int, target: int) -> Decimal:
    """achieved / target × 100 to one decimal, half up: 215 / 60 → 358.3, 215 / 140 → 153.6."""
    return (Decimal(achieved) * 100 / Decimal(target)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Achievement:
    target: Target
    achieved: int
    until: date  # the period's last day counted: its end, or the reference date if earlier

    @property
    def percent(self) -> Decimal:
        return percent(self.achieved, self.target.value)


def targets_of(j: Jurisdiction) -> QuerySet[Target]:
    """The targets of the area's province; the nation's for the nation. A commune has no targets of
    its own: its report shows none (the province's are not the commune's)."""
    if j.commune is not None:
        return Target.objects.none()
    return Target.objects.filter(province=j.province).order_by("kind", "end_year", "start_year")


def achievement(target: Target, on: date) -> Achievement:
    """What the target's area achieved from 1 January of its first year to the end of its last year,
    or to `on` if earlier. One query."""
    j = Jurisdiction(province=target.province)
    start = date(target.start_year, 1, 1)
    until = min(on, date(target.end_year, 12, 31))
    if target.kind == Target.Kind.FIRST_CERTIFIED:
        achieved = figures.first_certified(j, start, until)
    elif target.kind == Target.Kind.CERTIFICATIONS:
        achieved = figures.certifications(j, start, until)
    else:
        achieved = figures.current_total(j, until)
    return Achievement(target=target, achieved=achieved, until=until)


def achievements(j: Jurisdiction, on: date) -> list[Achievement]:
    """One query for the targets, one per target (an area has a handful: a kind per plan period)."""
    return [achievement(t, on) for t in targets_of(j).select_related("province")]
