"""The public JSON API of the catalogue (/api/catalogue/products): public products with the browse
filters and pages, one product; public fields only; a bad filter is refused with a message."""

import pytest

from tests.market.conftest_catalogue import GTIN, STORY, catalogue_fixture, fresh_cache_fixture  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db
URL = "/api/catalogue/products"


def _json(client, url, status=200):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == status, response.content
    return response.json()


def test_it_lists_public_products_with_stars_and_a_count(client, catalogue):
    data = _json(client, URL)
    assert data["count"] == 2 and data["page"] == 1 and data["pages"] == 1
    first = data["items"][0]
    assert first["id"] == catalogue.tea.pk and first["stars"] == 4
    assert first["names"] == {code: STORY[code]["name"] for code in ("vi", "en", "ja")}
    assert first["producer"]["name"] == catalogue.producer.legal_name
    assert first["price_min_vnd"] == 120000 and first["url"].endswith(
        f"/catalogue/products/{catalogue.tea.pk}/"
    )
    assert [item["stars"] for item in data["items"]] == [4, 3]


def test_it_filters_like_the_browse_page(client, catalogue):
    assert [i["id"] for i in _json(client, f"{URL}?star=3")["items"]] == [catalogue.other_province.pk]
    assert _json(client, f"{URL}?province={catalogue.tea.province_id}")["count"] == 1
    assert _json(client, f"{URL}?recognition=vietgap")["items"][0]["id"] == catalogue.tea.pk
    assert _json(client, f"{URL}?q=hoa+hoi")["count"] == 1
    assert _json(client, f"{URL}?group=VI")["count"] == 0


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("star=9", "Stars go from 3 to 5"),
        ("province=zz", "There is no province with the code “zz”"),
        ("recognition=nobel", "Unknown recognition"),
        ("page=abc", "The page must be a whole number from 1."),
        ("page=0", "The page must be a whole number from 1."),
    ],
)
def test_it_refuses_a_bad_filter_with_a_message(client, catalogue, english, query, message):
    data = _json(client, f"{URL}?{query}", status=422)
    assert message in str(data["detail"])


def test_it_never_lists_a_product_the_public_may_not_see(client, catalogue):
    ids = {item["id"] for item in _json(client, URL)["items"]}
    assert not ids & {catalogue.draft.pk, catalogue.registered.pk, catalogue.expired.pk}
    for hidden in (catalogue.draft, catalogue.registered, catalogue.expired):
        assert client.get(f"{URL}/{hidden.pk}").status_code == 404


def test_it_gives_one_product_with_its_certificate_and_recognitions(client, catalogue):
    data = _json(client, f"{URL}/{catalogue.tea.pk}")
    assert data["certificate"]["stars"] == 4 and data["certificate"]["verification_url"]
    assert data["recognitions"] == ["vietgap"] and data["export_markets"] == ["Nhật Bản", "Liên minh châu Âu"]
    assert data["gtins"] == [f"0{GTIN}"] and data["packagings"] == ["100 g"]
    assert data["stories_html"]["en"] == STORY["en"]["story"]


def test_it_gives_public_fields_only(client, catalogue):
    body = client.get(f"{URL}/{catalogue.tea.pk}").content.decode() + client.get(URL).content.decode()
    producer = catalogue.producer
    for private in (producer.tax_code, producer.phone, producer.email, producer.representative, "Thôn 1"):
        assert private not in body
    assert "workers" not in body and "tax" not in body
