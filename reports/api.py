"""Public statistics as JSON (no login), the same figures as the /statistics/ page: current OCOP
products per star for the country, by province and by OCOP group, and for one province by commune. Only
counts: no names of products or entities, nothing about expiries or revocations (those are for
officials, on the dashboard). Definitions: docs/reports.md."""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema

from places.models import Province
from reports import figures
from reports.jurisdiction import NATION, Jurisdiction

router = Router(tags=["statistics"])
FIRST_DATE = date(2008, 1, 1)  # the earliest OCOP programme (Quảng Ninh)


class Row(Schema):
    code: str
    name: str
    stars: dict[str, int]
    total: int


class Statistics(Schema):
    on: date
    area_code: str
    area_name: str
    total: int
    stars: dict[str, int]
    communes_with_products: int
    areas_by: str
    areas: list[Row]
    groups: list[Row]
    definitions: str


def _day(on: str) -> date:
    """The reference date of the query (default today): a past date, not before 2008."""
    today = timezone.localdate()
    if not on:
        return today
    try:
        day = date.fromisoformat(on)
    except ValueError:
        raise ValidationError({"on": [_("Give the date as year-month-day, e.g. 2025-11-20.")]}) from None
    if day > today or day < FIRST_DATE:
        raise ValidationError(
            {"on": [_("The date must be between %(first)s and today.") % {"first": FIRST_DATE.isoformat()}]}
        )
    return day


def _rows(rows: list[figures.StarRow]) -> list[Row]:
    return [
        Row(
            code=str(r.key),
            name=r.label,
            stars={str(n): r.stars.get(n, 0) for n in figures.STARS},
            total=r.total,
        )
        for r in rows
    ]


def _statistics(area: Jurisdiction, day: date, code: str) -> Statistics:
    per_star = figures.current_per_star(area, day)
    by = "province" if area.province is None else "commune"
    return Statistics(
        on=day,
        area_code=code,
        area_name=str(area.name),
        total=sum(per_star.values()),
        stars={str(n): c for n, c in per_star.items()},
        communes_with_products=figures.communes_with_products(area, day),
        areas_by=by,
        areas=_rows(figures.current_by(area, day, by)),
        groups=_rows(figures.current_by(area, day, "group")),
        definitions="docs/reports.md",
    )


@router.get("", response=Statistics, summary="Current OCOP products in Vietnam, by province and group")
def national(request, on: str = ""):
    """Current OCOP products on `on` (default today): a product's latest certificate decided by that
    date, within its validity and not revoked; per star, per province and per OCOP group."""
    return _statistics(NATION, _day(on), "VN")


@router.get(
    "/provinces/{code}", response=Statistics, summary="Current OCOP products of a province, by commune"
)
def province(request, code: str, on: str = ""):
    area = Jurisdiction(province=Province.objects.get(code=code))
    return _statistics(area, _day(on), code)
