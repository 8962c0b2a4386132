"""Browsing the catalogue by province, commune, OCOP group, star and recognition, with counts; a bad
filter value is dropped with a message saying so, never an error page."""

import re

import pytest

from tests.factories import make_product
from tests.market.conftest_catalogue import STORY, catalogue_fixture, fresh_cache_fixture  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def _browse(client, query: str = "") -> str:
    response = client.get(f"/catalogue/{query}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.content.decode()


def _names(page: str) -> list[str]:
    return re.findall(
        r'data-testid="catalogue-product">\s*<a href="[^"]+">.*?<strong>(.*?)</strong>', page, re.S
    )


def test_it_lists_public_products_only_best_stars_first_with_a_count(client, catalogue):
    page = _browse(client)
    assert _names(page) == [STORY["en"]["name"], "Hoa hồi Lạng Sơn"]
    assert "2 results" in page
    for hidden in ("Chè nháp chưa công bố", "Chè đã đăng ký", "Chè hết hạn"):
        assert hidden not in page


def test_it_filters_by_province_and_offers_its_communes(client, catalogue):
    page = _browse(client, f"?province={catalogue.other_province.province_id}")
    assert _names(page) == ["Hoa hồi Lạng Sơn"] and "1 result" in page
    assert 'name="commune"' in page and catalogue.other_province.commune.name in page


def test_it_filters_by_commune(client, catalogue):
    tea = catalogue.tea
    page = _browse(client, f"?province={tea.province_id}&commune={tea.commune_id}")
    assert _names(page) == [STORY["en"]["name"]]


def test_it_filters_by_group_star_and_recognition(client, catalogue):
    assert _names(_browse(client, "?star=3")) == ["Hoa hồi Lạng Sơn"]
    assert _names(_browse(client, "?star=4")) == [STORY["en"]["name"]]
    assert _names(_browse(client, "?star=5")) == []
    assert _names(_browse(client, "?recognition=vietgap")) == [STORY["en"]["name"]]
    assert _names(_browse(client, "?recognition=export_market")) == [STORY["en"]["name"]]
    assert _names(_browse(client, "?recognition=golden_brand")) == []
    assert len(_names(_browse(client, "?group=I"))) == 2
    assert "No product matches these filters." in _browse(client, "?group=VI")


def test_it_counts_each_facet(client, catalogue):
    page = _browse(client)
    stars = page.split('data-testid="facet-star"')[1].split("</ul>")[0]
    assert '4★</a> <span class="muted">(1)' in stars and '3★</a> <span class="muted">(1)' in stars
    provinces = page.split('data-testid="facet-province"')[1].split("</ul>")[0]
    assert 'Tỉnh Lào Cai</a> <span class="muted">(1)' in provinces
    assert 'Food</a> <span class="muted">(2)' in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?province=zz", "There is no province with the code “zz”; showing every province."),
        ("?star=9", "Stars go from 3 to 5; showing every star rating."),
        ("?star=abc", "Stars go from 3 to 5; showing every star rating."),
        ("?group=VII", "There is no OCOP group “VII”; showing every group."),
        ("?recognition=nobel", "Unknown recognition; showing products with any recognition."),
        ("?commune=00000", "There is no commune with the code “00000” here; showing every commune."),
    ],
)
def test_it_drops_a_bad_filter_with_a_message(client, catalogue, query, message):
    page = _browse(client, query)
    assert message in page
    assert len(_names(page)) == 2  # as if the bad filter had not been given
    assert "star=9" not in page.split('data-testid="browse-facets"')[1]  # not carried into the links


def test_it_refuses_a_commune_of_another_province(client, catalogue):
    page = _browse(
        client, f"?province={catalogue.tea.province_id}&commune={catalogue.other_province.commune_id}"
    )
    assert "here; showing every commune." in page and _names(page) == [STORY["en"]["name"]]


def test_it_answers_a_bad_page_number_with_a_page(client, catalogue, settings):
    settings.PAGE_SIZE = 1
    assert len(_names(_browse(client, "?page=abc"))) == 1
    assert _names(_browse(client, "?page=999")) == ["Hoa hồi Lạng Sơn"]  # the last page
    assert "Page 2 of 2" in _browse(client, "?page=2")


def test_it_escapes_what_the_visitor_typed(client, catalogue):
    page = _browse(client, "?q=%3Cscript%3Ealert(1)%3C/script%3E&province=%3Cb%3E")
    assert "<script>alert(1)" not in page and "<b>" not in page
    assert "No product matches these filters." in page


def test_it_finds_by_name_without_diacritics(client, catalogue):
    assert _names(_browse(client, "?q=hoa+hoi")) == ["Hoa hồi Lạng Sơn"]


def test_it_lists_products_without_a_valid_certificate_last(client, catalogue):
    make_product(name="Mật ong bạc hà", status="certified", category="QD26-04")
    names = _names(_browse(client))
    assert names == [STORY["en"]["name"], "Hoa hồi Lạng Sơn", "Mật ong bạc hà"]
