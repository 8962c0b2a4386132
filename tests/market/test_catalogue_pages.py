"""The public catalogue's pages for an anonymous visitor: home, product, producer; what is never shown
(non-public products, private facts of the producer); the product's language and its fallback."""

import re

import pytest
from django.test import Client

from certificates.models import Certificate
from registry.services import product_set_status
from tests.factories import make_user
from tests.market.conftest_catalogue import (  # noqa: F401 (fixtures)
    EMAIL,
    GTIN,
    PHONE,
    REPRESENTATIVE,
    STORY,
    TAX_CODE,
    catalogue_fixture,
    fresh_cache_fixture,
)

pytestmark = pytest.mark.django_db

PRIVATE = (TAX_CODE, PHONE, EMAIL, REPRESENTATIVE, "37")


def _get(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_it_shows_the_home_with_search_featured_products_and_entries(client, catalogue, english):
    page = _get(client, "/", HTTP_ACCEPT_LANGUAGE="en")
    assert 'name="q"' in page and 'role="search"' in page
    assert STORY["en"]["name"] in page or STORY["vi"]["name"] in page
    assert "Hoa hồi Lạng Sơn" in page
    assert f'/catalogue/?province={catalogue.tea.province_id}"' in page
    assert "/catalogue/?star=4" in page and "/catalogue/?group=I" in page
    assert "Chè nháp chưa công bố" not in page and "Chè hết hạn" not in page


def test_it_shows_the_product_page_to_anyone(client, catalogue):
    page = _get(client, f"/catalogue/products/{catalogue.tea.pk}/?lang=en")
    assert STORY["en"]["name"] in page and "Above 1,300 m" in page and "Steep 3 minutes." in page
    assert "★★★★" in page and "★★★★★" not in page
    assert "OCOP certificate valid from" in page and "Check the certificate" in page
    assert catalogue.producer.legal_name in page and f"/catalogue/producers/{catalogue.producer.pk}/" in page
    assert "120.000 ₫ – 450.000 ₫" in page
    assert "100 g — Hộp giấy" in page and f"GTIN 0{GTIN}" in page
    assert "VietGAP" in page and "VG-123" in page
    assert "Export markets" in page and "<li>Nhật Bản</li>" in page and "<li>Liên minh châu Âu</li>" in page
    assert 'data-testid="catalogue-photos"' in page and 'alt="Hộp chè Shan tuyết"' in page
    assert "Where to buy" in page
    assert "Food" in page  # the OCOP group, in the page's language


def test_it_shows_the_product_in_vietnamese_by_default(client, catalogue):
    page = _get(client, f"/catalogue/products/{catalogue.tea.pk}/", HTTP_ACCEPT_LANGUAGE="vi-VN,vi;q=0.9")
    assert STORY["vi"]["name"] in page and "Ở độ cao trên 1.300 m" in page
    assert "Giá" in page or "Price" in page


def test_it_follows_the_browsers_language_and_offers_the_others_by_their_own_names(client, catalogue):
    response = client.get(f"/catalogue/products/{catalogue.tea.pk}/", HTTP_ACCEPT_LANGUAGE="ja-JP,ja;q=0.9")
    page = response.content.decode()
    assert "標高1,300メートル" in page and response["Content-Language"] == "ja"
    assert 'hreflang="ja"' in page and ">日本語<" in page and ">Tiếng Việt<" in page and ">English<" in page


def test_it_falls_back_to_vietnamese_with_a_note(client, catalogue):
    page = _get(client, f"/catalogue/products/{catalogue.tea.pk}/?lang=ko")
    assert "Ở độ cao trên 1.300 m" in page
    assert 'data-testid="catalogue-fallback"' in page
    assert "it is shown in Vietnamese" in page  # ko has no UI catalogue: the page's words are English


def test_it_ignores_an_unknown_language(client, catalogue):
    page = _get(client, f"/catalogue/products/{catalogue.tea.pk}/?lang=xx<script>", HTTP_ACCEPT_LANGUAGE="en")
    assert "Above 1,300 m" in page and "xx<script>" not in page


@pytest.mark.parametrize("which", ["draft", "registered", "expired"])
def test_it_answers_404_for_a_product_the_public_may_not_see(client, catalogue, which):
    product = getattr(catalogue, which)
    response = client.get(f"/catalogue/products/{product.pk}/")
    assert response.status_code == 404
    assert product.name_vi not in response.content.decode()


def test_it_answers_404_for_an_unknown_or_huge_product_number(client, catalogue):
    assert client.get("/catalogue/products/999999/").status_code == 404
    assert client.get("/catalogue/products/99999999999999999999999/").status_code == 404


def test_it_stops_showing_a_product_once_it_is_withdrawn(client, catalogue):
    assert client.get(f"/catalogue/products/{catalogue.tea.pk}/").status_code == 200
    product_set_status(actor=None, product=catalogue.tea, status="withdrawn")
    assert client.get(f"/catalogue/products/{catalogue.tea.pk}/").status_code == 404


def test_it_never_shows_the_producers_private_facts(client, catalogue):
    for url in (
        "/",
        f"/catalogue/products/{catalogue.tea.pk}/",
        f"/catalogue/producers/{catalogue.producer.pk}/",
        "/catalogue/",
    ):
        page = _get(client, url)
        for private in PRIVATE[:4]:
            assert private not in page, (url, private)
    producer_page = _get(client, f"/catalogue/producers/{catalogue.producer.pk}/")
    assert "Thôn 1" not in producer_page  # the street address is not in the open-data allow-list either


def test_it_shows_the_producer_with_its_public_products_only(client, catalogue, english):
    page = _get(client, f"/catalogue/producers/{catalogue.producer.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert catalogue.producer.legal_name in page and "Cooperative" in page
    assert catalogue.producer.commune.name in page and catalogue.producer.province.name in page
    assert "Hợp tác xã trồng và chế biến chè" in page
    assert STORY["en"]["name"] in page and "★★★★" in page
    for hidden in ("Chè nháp chưa công bố", "Chè đã đăng ký", "Chè hết hạn"):
        assert hidden not in page


def test_it_answers_404_for_a_producer_without_public_products(client, catalogue):
    product_set_status(actor=None, product=catalogue.tea, status="withdrawn")
    assert client.get(f"/catalogue/producers/{catalogue.producer.pk}/").status_code == 404


def test_it_says_when_the_certificate_has_expired(client, catalogue):
    Certificate.objects.filter(product=catalogue.tea).update(status=Certificate.Status.REVOKED)
    from traceability import lookup

    lookup.cache_clear()  # written behind the services' back: nothing told the page's cache
    page = _get(client, f"/catalogue/products/{catalogue.tea.pk}/?lang=en")
    assert "The OCOP certificate was revoked" in page
    assert "hasCertification" not in page  # a revoked certificate is not claimed to machines either


def test_it_renders_the_story_html_sanitised_on_save(client, catalogue):
    from registry.services import product_update

    product_update(
        actor=None,
        product=catalogue.tea,
        translations={"en": {**STORY["en"], "story": '<p onclick="x()">Hi</p><script>alert(1)</script>'}},
    )
    page = _get(client, f"/catalogue/products/{catalogue.tea.pk}/?lang=en")
    assert "<p>Hi</p>" in page and "alert(1)" not in page and "onclick" not in page


def test_it_keeps_the_anonymous_page_but_gives_each_visitor_their_own_token_and_return_address(catalogue):
    client = Client(enforce_csrf_checks=True)
    url = f"/catalogue/products/{catalogue.tea.pk}/?lang=en&utm_source=zalo&x=%3Cb%3E"
    first = _get(client, url)
    second = _get(client, f"/catalogue/products/{catalogue.tea.pk}/?lang=en&from=facebook")
    assert "ocop-csrf-mark" not in first and "ocop-next-mark" not in first
    assert 'name="next" type="hidden" value="/catalogue/products/' in first
    assert "utm_source=zalo&amp;x=%3Cb%3E" in first and "<b>" not in first
    assert "from=facebook" in second and "utm_source" not in second
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', first)
    assert token and len(token.group(1)) == 64
    response = client.post(
        "/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": token.group(1)}
    )
    assert response.status_code == 302  # the kept page's form still works
    refused = Client(enforce_csrf_checks=True).post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert refused.status_code == 403


def test_it_shows_a_signed_in_user_their_own_menu_on_a_product_page(client, catalogue):
    user = make_user()
    client.force_login(user)
    _get(client, f"/catalogue/products/{catalogue.tea.pk}/")  # an anonymous copy may be kept already
    page = _get(client, f"/catalogue/products/{catalogue.tea.pk}/")
    assert user.get_username() in page
