"""The figures of one area on one date, as the dashboard and the exports show them: a fixed number of
queries whatever the number of products (tests/reports assert the count). The figures about the
products' latest certificates come from one snapshot (reports.snapshot), the others from
reports.figures."""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from places.models import Commune, Province
from registry.models import OcopGroup, ProductCategory
from reports import figures
from reports.figures_activity import events_per_year
from reports.jurisdiction import Jurisdiction
from reports.snapshot import snapshot
from reports.targets import Achievement, achievements

# Provinces report per plan period (2021–2025, 2026–2030: DOMAIN.md) and "since 2019" (the seed):
# the reader chooses both; by default, the plan period holding the reference date, and 2019.
PLAN_FIRST_YEAR = 2021
DEFAULT_SINCE_YEAR = 2019


def plan_period(year: int) -> tuple[int, int]:
    """The five-year plan period holding `year`: 2021–2025, 2026–2030…"""
    first = PLAN_FIRST_YEAR + 5 * ((year - PLAN_FIRST_YEAR) // 5)
    return first, first + 4


@dataclass
class Summary:
    area: Jurisdiction
    on: date
    period: tuple[int, int]
    since_year: int
    per_star: dict[int, int]
    rows: list[figures.StarRow]  # per province (nation), per commune (province) or per criteria set
    rows_by: str
    groups: list[figures.StarRow]
    communes: int
    potential: dict[int, int]
    first_certified: int
    certifications: int
    recognised_since: dict[int, int]
    expired_not_reevaluated: int
    expiring: int
    reevaluation_due: int
    events: dict[int, dict[str, int]]
    targets: list[Achievement]
    expiring_months: list[tuple[date, int]]  # current products whose certificate ends, per month

    @property
    def current(self) -> int:
        return sum(self.per_star.values())

    @property
    def recognised_since_total(self) -> int:
        return sum(self.recognised_since.values())

    @property
    def potential_total(self) -> int:
        return sum(self.potential.values())


def rows_title(rows_by: str) -> str:
    """The heading of the rows table (and its chart) for the drill-down's dimension."""
    return {
        "province": _("Current products by province"),
        "commune": _("Current products by commune"),
    }.get(rows_by, _("Current products by criteria set"))


def rows_dimension(j: Jurisdiction) -> str:
    """The drill-down: the nation by province, a province by commune, a commune by criteria set."""
    return {"nation": "province", "province": "commune", "commune": "category"}[j.level]


def summary(
    j: Jurisdiction,
    on: date,
    *,
    period: tuple[int, int] | None = None,
    since_year: int = DEFAULT_SINCE_YEAR,
) -> Summary:
    period = period or plan_period(on.year)
    start, end = date(period[0], 1, 1), min(on, date(period[1], 12, 31))
    by = rows_dimension(j)
    snap = snapshot(j, on)
    return Summary(
        area=j,
        on=on,
        period=period,
        since_year=since_year,
        per_star=snap.per_star(snap.current),
        rows=snap.current_by(by, _labels(j, by)),
        rows_by=by,
        groups=snap.current_by("group", dict(OcopGroup.objects.values_list("code", "name_vi"))),
        communes=snap.communes(),
        potential=snap.potential(),
        first_certified=figures.first_certified(j, start, end),
        certifications=figures.certifications(j, start, end),
        recognised_since=snap.recognised_since(since_year),
        expired_not_reevaluated=snap.expired_not_reevaluated(),
        expiring=snap.expiring(),
        reevaluation_due=figures.reevaluation_due(j, on).count(),
        events=events_per_year(j, period[0], period[1]),
        targets=achievements(j, on),
        expiring_months=snap.expiring_per_month(),
    )


def _labels(j: Jurisdiction, by: str) -> dict[str, str]:
    """The names of the rows' dimension: the provinces, the province's communes, the criteria sets."""
    if by == "province":
        return dict(Province.objects.values_list("code", "name"))
    if by == "commune":
        return dict(Commune.objects.filter(province=j.province).values_list("code", "name"))
    return dict(ProductCategory.objects.values_list("code", "name_vi"))
