"""The search page and GET /api/catalogue/search: what a visitor and an API client see."""

import re

import pytest

from market.models import SearchDocument
from tests.market.conftest_search import search_caches_fixture, search_catalogue_fixture  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db
API = "/api/catalogue/search"


@pytest.fixture
def client(client, settings):
    """Pages in English: LocaleMiddleware would otherwise answer in Vietnamese, the default."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def page(client, query: str = "", **params):
    response = client.get("/search/", {"q": query, **params})
    assert response.status_code == 200
    return response.content.decode()


def hit_names(html: str) -> list[str]:
    return re.findall(r'<h3><a href="/catalogue/products/\d+/">([^<]+)</a></h3>', html)


# --- the page --------------------------------------------------------------------------------------


def test_it_shows_the_search_form_with_a_label(client, search_catalogue):
    html = page(client)
    assert '<form method="get" action="/search/" role="search"' in html
    assert '<label for="search-q">Product, place or producer</label>' in html
    assert "<h1>Search OCOP products</h1>" in html


def test_it_finds_tea_typed_without_accents_and_links_to_its_page(client, search_catalogue):
    html = page(client, "tra shan tuyet")
    assert hit_names(html) == ["Suoi Giang Shan Tuyet tea"]  # English UI: the English name
    assert f'href="/catalogue/products/{search_catalogue.tea.pk}/"' in html
    assert "Hợp tác xã Chè Suối Giàng · Xã Mường Khương, Lào Cai" in html
    assert 'aria-label="4 stars OCOP"' in html
    assert "1 product found" in html


def test_it_shows_vietnamese_names_to_a_vietnamese_visitor(client, search_catalogue, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    assert hit_names(page(client, "tra shan tuyet")) == ["Trà Shan Tuyết Suối Giàng"]


def test_it_says_which_corrected_query_it_shows(client, search_catalogue):
    html = page(client, "che san tuyet")
    assert hit_names(html) == ["Suoi Giang Shan Tuyet tea"]
    assert (
        'Showing results for <a href="/search/?q=che+shan+tuyet"><strong>che shan tuyet</strong></a>.' in html
    )
    assert 'Search instead for <a href="/search/?q=che+san+tuyet&amp;exact=1">che san tuyet</a>.' in html


def test_it_searches_as_typed_from_the_search_instead_link(client, search_catalogue):
    html = page(client, "che san tuyet", exact="1")
    assert "Showing results for" not in html


def test_it_shows_facets_as_links_that_filter(client, search_catalogue):
    html = page(client, "")
    assert "4 products found" in html
    lao_cai = search_catalogue.tea.province_id
    assert f'<a href="/search/?province={lao_cai}">Lào Cai</a> <span class="muted">(3)</span>' in html
    assert '<a href="/search/?star=5">5 stars</a> <span class="muted">(1)</span>' in html
    filtered = page(client, "", province=lao_cai)
    assert "3 products found" in filtered
    assert '<a href="/search/" aria-label="Remove the filter Lào Cai">' in filtered
    assert f'<input type="hidden" name="province" value="{lao_cai}">' in filtered


def test_it_keeps_the_query_in_facet_links(client, search_catalogue):
    html = page(client, "ca hoi")
    assert f'<a href="/search/?q=ca+hoi&amp;province={search_catalogue.salmon.province_id}">' in html


def test_it_shows_an_empty_state_with_suggestions(client, search_catalogue):
    html = page(client, "shann tuyyt", exact="1")
    assert "No OCOP product matches “shann tuyyt”" in html
    assert 'Did you mean: <a href="/search/?q=shan">shan</a>' in html
    assert "Check the spelling, or use fewer words." in html


def test_it_explains_an_unknown_filter_and_ignores_it(client, search_catalogue):
    html = page(client, "", province="99", star="abc")
    assert "Province: there is no “99”, so the results are not filtered by it." in html
    assert "Stars: there is no “abc”, so the results are not filtered by it." in html
    assert "4 products found" in html


def test_it_answers_search_syntax_as_text(client, search_catalogue):
    for query in ['"', "*", "NEAR(", 'tra" OR "x', "(", "'; DROP TABLE market_searchdocument; --"]:
        page(client, query)
    assert SearchDocument.objects.count() == 4


def test_it_explains_a_bad_page_number(client, search_catalogue, settings):
    settings.PAGE_SIZE = 3
    html = page(client, "", page="x")
    assert "“x” is not a page number: here is the first page." in html
    html = page(client, "", page="50")
    assert "There is no page 50: the results end on page 2, shown here." in html
    assert "Page 2 of 2" in html
    assert 'href="/search/?page=1" rel="prev"' in html


def test_it_cuts_an_overlong_query_and_says_so(client, search_catalogue):
    html = page(client, "mat ong " + "y" * 5000)
    assert "Your search was longer than 200 characters: only the first 200 were searched." in html


def test_it_works_in_vietnamese_by_default(search_catalogue, client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    html = page(client, "mat ong")
    assert '<html lang="vi">' in html
    assert hit_names(html) == ["Mật ong bạc hà Đồng Văn"]


# --- the API ---------------------------------------------------------------------------------------


def test_it_answers_the_api_with_results_and_facets(client, search_catalogue):
    data = client.get(API, {"q": "salmon", "lang": "en"}).json()
    assert data["total"] == 1
    assert data["results"] == [
        {
            "id": search_catalogue.salmon.pk,
            "name": "Cá hồi Sa Pa",
            "producer": "Công ty Cá hồi Hoàng Liên",
            "commune": "Phường Sa Pa",
            "province": "Lào Cai",
            "stars": 3,
            "url": f"/catalogue/products/{search_catalogue.salmon.pk}/",
        }
    ]
    assert data["facets"]["star"] == [{"value": "3", "label": "3 stars", "count": 1, "selected": False}]


def test_it_answers_the_api_with_the_correction(client, search_catalogue):
    data = client.get(API, {"q": "che san tuyet"}).json()
    assert data["corrected"] == "che shan tuyet"
    assert [r["id"] for r in data["results"]] == [search_catalogue.tea.pk]


def test_it_filters_in_the_api(client, search_catalogue):
    data = client.get(API, {"star": "5"}).json()
    assert [r["id"] for r in data["results"]] == [search_catalogue.honey.pk]
    assert data["filters"] == {"star": "5"}


def test_it_explains_bad_api_input(client, search_catalogue):
    data = client.get(API, {"q": "*", "page": "abc", "province": "zz", "lang": "xx"}).json()
    assert data["messages"] == [
        "“abc” is not a page number: here is the first page.",
        "Unknown content language “xx”: names are in Vietnamese.",
        "Province: there is no “zz”, so the results are not filtered by it.",
        "“*” has no letters or digits to search for: type a product, a place or a producer.",
    ]
    assert data["total"] == 4


def test_it_never_shows_hidden_products_in_the_api(client, search_catalogue):
    data = client.get(API, {"q": "bi mat"}).json()
    assert search_catalogue.draft.pk not in [r["id"] for r in data["results"]]
