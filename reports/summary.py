"""The figures of one area on one date, as the dashboard and the exports show them: a fixed number of
aggregate queries whatever the number of products (tests/reports assert the count)."""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from reports import figures
from reports.figures_activity import events_per_year
from reports.jurisdiction import Jurisdiction
from reports.targets import Achievement, achievements

# Provinces report per plan period (2021–2025, 2026–2030: DOMAIN.md) and "since 2019" (the seed):
# the reader chooses both, these are only the defaults.
DEFAULT_PERIOD = (2021, 2025)
DEFAULT_SINCE_YEAR = 2019


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
    period: tuple[int, int] = DEFAULT_PERIOD,
    since_year: int = DEFAULT_SINCE_YEAR,
) -> Summary:
    start, end = date(period[0], 1, 1), min(on, date(period[1], 12, 31))
    by = rows_dimension(j)
    return Summary(
        area=j,
        on=on,
        period=period,
        since_year=since_year,
        per_star=figures.current_per_star(j, on),
        rows=figures.current_by(j, on, by),
        rows_by=by,
        groups=figures.current_by(j, on, "group"),
        communes=figures.communes_with_products(j, on),
        potential=figures.potential_next_star(j, on),
        first_certified=figures.first_certified(j, start, end),
        certifications=figures.certifications(j, start, end),
        recognised_since=figures.recognised_since(j, since_year, on),
        expired_not_reevaluated=figures.expired_not_reevaluated(j, on).count(),
        expiring=figures.expiring(j, on).count(),
        reevaluation_due=figures.reevaluation_due(j, on).count(),
        events=events_per_year(j, period[0], period[1]),
        targets=achievements(j, on),
    )


def expiring_list(j: Jurisdiction, on: date):
    """The certificates ending in the next 90 days, soonest first, with what a list shows."""
    return (
        figures.expiring(j, on)
        .select_related("product__commune", "entity")
        .prefetch_related("product__translations")
        .order_by("valid_until", "pk")
    )
