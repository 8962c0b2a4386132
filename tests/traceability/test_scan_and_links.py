import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from registry.services import packaging_add
from tests.factories import make_product
from traceability import digital_link, lookup, services
from traceability.demo import demo_trace_load
from traceability.models import ResolverLink, Serial

pytestmark = pytest.mark.django_db

GTIN = "8930000000019"
BASE = "http://127.0.0.1:8000"


@pytest.fixture
def client(client, settings):
    """Pages in English: LocaleMiddleware would otherwise answer in Vietnamese, the default."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture(autouse=True)
def _fresh_cache():
    lookup.cache_clear()
    yield
    lookup.cache_clear()


@pytest.fixture
def packaging():
    product = make_product(status="certified", name="Chè Shan tuyết Suối Giàng")
    return packaging_add(actor=None, product=product, size=100, unit="g", gtin=GTIN)


def _scan(client, **parts):
    uri = digital_link.build(gtin=GTIN, base=BASE, **parts)
    return client.get("/scan" + uri.removeprefix(BASE))


def test_the_scan_page_names_the_product_of_a_genuine_code(client, english, packaging):
    lot = services.lot_create(actor=None, product=packaging.product, packaging=packaging, code="L1")
    services.serials_issue(actor=None, product=packaging.product, lot=lot, count=3)
    serial = Serial.objects.values_list("value", flat=True).first()
    response = _scan(client, lot="L1", serial=serial)
    text = response.content.decode()
    assert response.status_code == 200
    assert "Chè Shan tuyết Suối Giàng" in text
    assert 'data-testid="scan-ok"' in text


def test_the_scan_page_warns_about_a_serial_never_issued_and_a_recalled_lot(client, english, packaging):
    lot = services.lot_create(actor=None, product=packaging.product, code="L1")
    services.lot_recall(actor=None, lot=lot, reason="Bao bì bị lỗi")
    text = _scan(client, lot="L1", serial="FAKE12345678").content.decode()
    assert "was never issued for this product" in text
    assert "This lot was recalled: Bao bì bị lỗi" in text
    assert 'data-testid="scan-ok"' not in text


def test_the_scan_page_of_an_unknown_gtin_or_a_bad_code_says_so(client, english):
    assert "not registered on OCOP Hub" in client.get("/scan/01/08930000000026").content.decode()
    response = client.get("/scan/01/08930000000027")
    assert response.status_code == 400
    assert "not a valid GS1 Digital Link" in response.content.decode()


def test_a_link_is_checked_and_audited(english, packaging):
    with pytest.raises(ValidationError) as exc:
        services.resolver_link_add(
            actor=None,
            packaging=packaging,
            link_type="gs1:nonsense",
            title="<b>x</b>",
            language="xx",
            target="javascript:alert(1)",
        )
    assert set(exc.value.message_dict) == {"link_type", "language", "title", "target"}
    assert not ResolverLink.objects.exists()
    link = services.resolver_link_add(
        actor=None,
        packaging=packaging,
        link_type="gs1:pip",
        title="Trang sản phẩm",
        language="vi",
        target="https://example.org/che",
    )
    assert AuditEvent.objects.filter(action="resolver_link.create", object_id=str(link.pk)).exists()


def test_the_demo_lot_resolves_to_its_scan_page(client, settings):
    settings.OCOP_PUBLIC_BASE_URL = BASE
    product = make_product(status="certified")
    packaging_add(actor=None, product=product, size=1, unit="kg", gtin=GTIN)
    uri = demo_trace_load()
    assert uri is not None and uri == demo_trace_load()  # idempotent
    response = client.get(uri.removeprefix(BASE))
    assert response.status_code == 307
    assert response["Location"] == BASE + "/scan" + uri.removeprefix(BASE)
    assert client.get(response["Location"].removeprefix(BASE)).status_code == 200
