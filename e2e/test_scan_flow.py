"""A demo label's QR code scanned with a phone: the GS1 Digital Link resolves (307) to the scan page
of that exact code, which names the product and producer; a forged serial is flagged."""

import pytest
from playwright.sync_api import expect

from registry.services import packaging_add
from tests.factories import make_product
from traceability import lookup
from traceability.demo import demo_trace_load

pytestmark = pytest.mark.browser


def test_a_demo_label_resolves_on_a_phone_to_its_scan_page(mobile_page, live_server, artifacts, settings):
    settings.OCOP_PUBLIC_BASE_URL = live_server.url
    lookup.cache_clear()
    product = make_product(status="certified", name="Chè Shan tuyết Suối Giàng")
    packaging_add(actor=None, product=product, size=100, unit="g", gtin="8930000000019")
    uri = demo_trace_load()
    assert uri is not None and uri.startswith(live_server.url + "/01/08930000000019/10/")

    response = mobile_page.goto(uri)

    assert response is not None and response.ok
    assert "/scan/01/08930000000019/10/" in mobile_page.url  # followed the resolver's 307
    expect(mobile_page.get_by_test_id("scan-product")).to_have_text("Chè Shan tuyết Suối Giàng")
    expect(mobile_page.get_by_test_id("scan-ok")).to_be_visible()
    mobile_page.screenshot(path=artifacts / "scan-01-genuine.png", full_page=True)

    forged = uri.rsplit("/21/", 1)[0] + "/21/FORGED000000"
    mobile_page.goto(forged)
    expect(mobile_page.get_by_role("alert")).to_contain_text("FORGED000000")
    expect(mobile_page.get_by_test_id("scan-ok")).to_have_count(0)
    mobile_page.screenshot(path=artifacts / "scan-02-forged.png", full_page=True)

    linkset = mobile_page.request.get(uri + "?linkType=linkset")
    assert linkset.status == 200 and linkset.headers["content-type"] == "application/linkset+json"
    assert linkset.json()["linkset"][0]["anchor"] == uri
