"""The consumer scan page says where to buy the product (trade.scan_sections through
OCOP_SCAN_PAGE_SECTIONS), and a change made through the trade services shows on the next scan
although the page's product half is cached."""

import pytest

from registry.services import packaging_add
from tests.trade.builders import make_outlet
from traceability import lookup
from trade.services_channels import sales_channel_add
from trade.services_outlets import outlet_product_add, outlet_set_open

pytestmark = pytest.mark.django_db
GTIN = "8930000000019"


@pytest.fixture(autouse=True)
def _fresh_cache():
    lookup.cache_clear()
    yield
    lookup.cache_clear()


@pytest.fixture
def scan_url(product):
    packaging_add(actor=None, product=product, size=100, unit="g", gtin=GTIN)
    return f"/scan/01/0{GTIN}"


def _page(client, url) -> str:
    client.cookies["django_language"] = "en"
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_scan_page_lists_channels_and_shops_and_follows_changes(client, product, scan_url):
    assert "No shops or online channels are listed for this product yet." in _page(client, scan_url)

    sales_channel_add(actor=None, product=product, kind="shopee", url="https://shopee.vn/che-shan-tuyet")
    outlet = make_outlet(name="Cửa hàng OCOP Sa Pa")
    outlet_product_add(actor=None, outlet=outlet, product=product)
    page = _page(client, scan_url)
    assert 'href="https://shopee.vn/che-shan-tuyet"' in page
    assert "Cửa hàng OCOP Sa Pa" in page

    outlet_set_open(actor=None, outlet=outlet, is_open=False, reason="Closed for the season")
    assert "Cửa hàng OCOP Sa Pa" not in _page(client, scan_url)
