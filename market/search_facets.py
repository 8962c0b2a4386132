"""Facets and filters of the product search: what a filter value may be, the SQL it adds, and the
counts and labels of each facet (market.search)."""

from dataclasses import dataclass
from functools import cache

from django.utils.translation import gettext as _

from market.services_search import RECOGNITION_BITS
from places.models import Commune, Province
from registry.models import Entity, OcopGroup, ProductCategory, Recognition

STARS = ("5", "4", "3")
FACETS = ("province", "star", "group", "recognition", "kind")
FILTERS = (*FACETS, "commune", "category")


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@cache
def _provinces() -> dict[str, str]:
    return {p.code: p.short_name for p in Province.objects.all()}


@cache
def _groups() -> dict[str, tuple[str, str]]:
    return {g.code: (g.name_vi, g.name_en) for g in OcopGroup.objects.all()}


def labels_clear() -> None:
    _provinces.cache_clear()
    _groups.cache_clear()


# --- filters -------------------------------------------------------------------------------------


def filters_clean(filters: dict, messages: list[str]) -> dict[str, str]:
    clean: dict[str, str] = {}
    for key in FILTERS:
        value = str(filters.get(key) or "").strip()
        if not value:
            continue
        if _filter_known(key, value):
            clean[key] = value
        else:
            messages.append(
                _("%(facet)s: there is no “%(value)s”, so the results are not filtered by it.")
                % {"facet": _facet_title(key), "value": value[:40]}
            )
    return clean


def _filter_known(key: str, value: str) -> bool:
    if len(value) > 40:
        return False
    if key == "province":
        return value in _provinces()
    if key == "star":
        return value in STARS
    if key == "group":
        return value in _groups()
    if key == "recognition":
        return value in RECOGNITION_BITS
    if key == "kind":
        return value in Entity.Kind.values
    if key == "commune":
        return Commune.objects.filter(code=value).exists()
    return ProductCategory.objects.filter(code=value).exists()


def page_number(raw: str, messages: list[str]) -> int:
    """A page number from a request; anything else is page 1, with a message."""
    raw = (raw or "").strip()
    if not raw:
        return 1
    if raw.isdigit() and len(raw) <= 9:
        return int(raw)
    messages.append(_("“%(page)s” is not a page number: here is the first page.") % {"page": raw[:20]})
    return 1


def _facet_title(key: str) -> str:
    return {
        "province": _("Province"),
        "star": _("Stars"),
        "group": _("OCOP group"),
        "recognition": _("Recognition"),
        "kind": _("Producer type"),
        "commune": _("Commune"),
        "category": _("Criteria set"),
    }[key]


def facet_title(key: str) -> str:
    return _facet_title(key)


def filters_sql(clean: dict[str, str]) -> tuple[list[str], list]:
    columns = {
        "province": "d.province_id",
        "commune": "d.commune_id",
        "group": "d.group_code",
        "category": "d.category_code",
        "kind": "d.entity_kind",
    }
    sql: list[str] = []
    params: list = []
    for key, value in clean.items():
        if key in columns:
            sql.append(f"{columns[key]} = %s")
            params.append(value)
        elif key == "star":
            sql.append("d.star = %s")
            params.append(int(value))
        elif key == "recognition":
            sql.append("(d.recognition_mask & %s) <> 0")
            params.append(RECOGNITION_BITS[value])
    return sql, params


def _facet_label(key: str, value: str, language: str) -> str:
    if key == "province":
        return _provinces().get(value, value)
    if key == "star":
        return _("%(n)s stars") % {"n": value}
    if key == "group":
        names = _groups().get(value)
        if names is None:
            return value
        return f"{value}. {names[0] if language == 'vi' else names[1]}"
    if key == "recognition":
        return str(Recognition.Kind(value).label)
    return str(Entity.Kind(value).label)


def facets_count(rows: list[tuple], clean: dict[str, str], language: str) -> dict[str, list[FacetValue]]:
    counts: dict[str, dict[str, int]] = {key: {} for key in FACETS}
    for province_id, star, group_code, kind, mask, n in rows:
        for key, value in (("province", province_id), ("star", star), ("group", group_code), ("kind", kind)):
            if value is not None:
                counts[key][str(value)] = counts[key].get(str(value), 0) + n
        for recognition, bit in RECOGNITION_BITS.items():
            if mask & bit:
                counts["recognition"][recognition] = counts["recognition"].get(recognition, 0) + n
    facets: dict[str, list[FacetValue]] = {}
    for key in FACETS:
        values = [
            FacetValue(value, _facet_label(key, value, language), n, clean.get(key) == value)
            for value, n in counts[key].items()
        ]
        if key == "star":
            values.sort(key=lambda f: f.value, reverse=True)
        elif key == "group":
            values.sort(key=lambda f: f.value)
        else:
            values.sort(key=lambda f: (-f.count, f.label))
        facets[key] = values
    return facets
