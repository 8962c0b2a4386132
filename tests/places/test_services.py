import pytest
from vietnam_provinces import Province as PkgProvince
from vietnam_provinces import Ward as PkgWard

from places.models import Commune, Province
from places.selectors import communes_list
from places.services import places_load

pytestmark = pytest.mark.django_db


def _pkg_province(name_part: str) -> PkgProvince:
    return next(p for p in PkgProvince.iter_all() if name_part in p.name)


def test_it_loads_every_province_and_commune_of_the_package():
    assert Province.objects.count() == len(list(PkgProvince.iter_all())) == 34
    assert Commune.objects.count() == len(list(PkgWard.iter_all()))


@pytest.mark.parametrize("name", ["Lào Cai", "Lạng Sơn"])
def test_it_has_each_provinces_communes_as_the_package_says(name):
    pkg = _pkg_province(name)
    expected = len(list(PkgWard.iter_by_province(pkg.code)))
    assert Commune.objects.filter(province__name__contains=name).count() == expected


def test_it_counts_match_the_news_figures_through_the_package():
    # The seeds say Lào Cai has 99 commune-level units and Lạng Sơn 65; the package is the source.
    assert len(list(PkgWard.iter_by_province(_pkg_province("Lào Cai").code))) == 99
    assert len(list(PkgWard.iter_by_province(_pkg_province("Lạng Sơn").code))) == 65


def test_it_is_idempotent():
    result = places_load()
    assert (result.created, result.updated) == (0, 0)


@pytest.mark.parametrize("query", ["Chế Cu Nha", "che cu nha", "CHE CU NHA"])
def test_it_finds_a_commune_by_its_former_name(query):
    names = [c.name for c in communes_list(query=query)]
    assert "Xã Mù Cang Chải" in names


def test_it_finds_a_commune_without_diacritics_and_prefix_current_name_first():
    communes = list(communes_list(query="xa mu cang chai"))
    assert communes[0].name == "Xã Mù Cang Chải"
    # The others were part of the former Mù Cang Chải district.
    assert all("Mù Căng Chải" in c.former_names for c in communes[1:])


def test_it_limits_communes_to_one_province():
    lang_son = _pkg_province("Lạng Sơn")
    communes = communes_list(province_code=f"{int(lang_son.code):02d}")
    assert {c.province.name for c in communes} == {lang_son.name}


def test_load_places_skips_a_release_already_loaded(capsys):
    from django.core.management import call_command

    call_command("load_places")
    assert "already loaded" in capsys.readouterr().out
