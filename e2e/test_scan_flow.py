"""A demo label's QR code scanned with a phone: the GS1 Digital Link resolves (307) to the scan page
of that exact code, which names the product and producer; a forged serial is flagged. The lot's QR
image, as the producer's page shows it, is decoded (zxing-cpp, as a phone's camera app would) and
the decoded text is what the phone opens."""

import io

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from registry.models import Role
from registry.services import packaging_add
from tests.factories import make_product, make_user, with_role
from traceability import lookup
from traceability.demo import DEMO_LOT, demo_trace_load
from traceability.models import Lot

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


def test_the_lot_qr_on_the_producers_page_decodes_to_a_uri_that_opens_the_scan_page(
    mobile_page, live_server, log_in, artifacts, settings
):
    settings.OCOP_PUBLIC_BASE_URL = live_server.url
    lookup.cache_clear()
    product = make_product(status="certified", name="Chè Shan tuyết Suối Giàng")
    packaging_add(actor=None, product=product, size=100, unit="g", gtin="8930000000019")
    demo_trace_load()
    lot = Lot.objects.get(product=product, code=DEMO_LOT)
    log_in(mobile_page, with_role(make_user(), Role.Kind.ENTITY_MEMBER, entity=product.entity))
    mobile_page.goto(f"{live_server.url}/products/{product.pk}/trace/")
    mobile_page.get_by_test_id("lot-qr").first.click()
    expect(mobile_page.locator("svg")).to_be_visible()
    shot = mobile_page.screenshot(path=artifacts / "scan-00-lot-qr.png")

    codes = zxingcpp.read_barcodes(Image.open(io.BytesIO(shot)))
    assert [c.format for c in codes] == [zxingcpp.BarcodeFormat.QRCode]
    decoded = codes[0].text
    assert decoded == f"{live_server.url}/01/08930000000019/10/{lot.code}"

    response = mobile_page.goto(decoded)  # what the phone's camera app opens
    assert response is not None and response.ok
    assert mobile_page.url == f"{live_server.url}/scan/01/08930000000019/10/{lot.code}"
    expect(mobile_page.get_by_test_id("scan-product")).to_have_text("Chè Shan tuyết Suối Giàng")
    mobile_page.screenshot(path=artifacts / "scan-03-from-qr.png", full_page=True)
