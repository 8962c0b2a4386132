"""Loading the administrative map from the vietnam-provinces package (the only source: no typed lists)."""

from dataclasses import dataclass
from functools import cache

import vietnam_provinces
from django.db import transaction
from vietnam_provinces import Province as PkgProvince
from vietnam_provinces import Ward as PkgWard

from ocop_hub.text import fold
from places.models import Commune, MapRelease, Province


@dataclass
class PlacesLoadResult:
    provinces: int
    communes: int
    created: int
    updated: int


def _legacy_province_names(province: PkgProvince) -> list[str]:
    return [p.name for p in province.get_legacy_sources()]


def _legacy_ward_names(ward: PkgWard) -> list[str]:
    """Former communes the new unit was formed from, and their former districts
    (people still say "Chế Cu Nha" or "huyện Văn Chấn")."""
    from vietnam_provinces.legacy import District as LegacyDistrict

    names: list[str] = []
    for old in ward.get_legacy_sources():
        names.append(old.name)
        try:
            district = LegacyDistrict.from_code(old.district_code)
        except (KeyError, ValueError):
            continue
        if district.name not in names:
            names.append(district.name)
    return names


@cache
def _package_rows() -> tuple[list[tuple[str, dict]], list[tuple[str, dict]]]:
    """The package's units as model values; computed once per process (the legacy look-ups take seconds)."""
    provinces = []
    for pkg in PkgProvince.iter_all():
        former = "; ".join(_legacy_province_names(pkg))
        provinces.append(
            (
                f"{int(pkg.code):02d}",
                {
                    "name": pkg.name,
                    "division_type": str(pkg.division_type),
                    "name_folded": fold(pkg.name),
                    "former_names": former,
                    "former_folded": fold(former),
                },
            )
        )
    communes = []
    for ward in PkgWard.iter_all():
        former = "; ".join(_legacy_ward_names(ward))
        communes.append(
            (
                f"{int(ward.code):05d}",
                {
                    "province_id": f"{int(ward.province_code):02d}",
                    "name": ward.name,
                    "division_type": str(ward.division_type),
                    "name_folded": fold(ward.name),
                    "former_names": former,
                    "former_folded": fold(former),
                },
            )
        )
    return provinces, communes


def places_load() -> PlacesLoadResult:
    """Create or update every province and commune. Idempotent: a second run updates nothing."""
    created = updated = 0
    province_rows, commune_rows = _package_rows()
    with transaction.atomic():
        existing_p = {p.code: p for p in Province.objects.all()}
        for code, values in province_rows:
            obj = existing_p.get(code)
            if obj is None:
                Province.objects.create(code=code, **values)
                created += 1
            elif any(getattr(obj, k) != v for k, v in values.items()):
                Province.objects.filter(code=code).update(**values)
                updated += 1
        existing_c = {c.code: c for c in Commune.objects.all()}
        new_communes = []
        for code, values in commune_rows:
            unit = existing_c.get(code)
            if unit is None:
                new_communes.append(Commune(code=code, **values))
            elif any(getattr(unit, k) != v for k, v in values.items()):
                Commune.objects.filter(code=code).update(**values)
                updated += 1
        Commune.objects.bulk_create(new_communes, batch_size=1000)
        created += len(new_communes)
        MapRelease.objects.get_or_create(
            package_version=vietnam_provinces.__version__, data_version=vietnam_provinces.__data_version__
        )
    return PlacesLoadResult(Province.objects.count(), Commune.objects.count(), created, updated)


def places_current() -> bool:
    """True when the tables already hold this package release (a restart need not reload)."""
    return (
        MapRelease.objects.filter(package_version=vietnam_provinces.__version__).exists()
        and Province.objects.count() == len(list(PkgProvince.iter_all()))
        and Commune.objects.count() == len(list(PkgWard.iter_all()))
    )


# Where communes are drawn (reports map): its own module by topic, the services reachable from here too.
from places.services_geometry import (  # noqa: E402
    CommuneGeometryRefused,
    commune_geometry_load,
    commune_positions_from_records,
)

__all__ = [
    "CommuneGeometryRefused",
    "PlacesLoadResult",
    "commune_geometry_load",
    "commune_positions_from_records",
    "places_current",
    "places_load",
]
