import pytest
from django.test import RequestFactory

from registry.services import packaging_add
from scans import privacy
from scans.buffer import scan_buffer
from tests.factories import make_product
from traceability import digital_link, lookup, services
from traceability.models import Serial
from traceability.selectors import scan_context

GTIN = "8930000000019"
BASE = "http://127.0.0.1:8000"


@pytest.fixture(autouse=True)
def _fresh_state():
    """The buffer and the remembered salts live in the process: each test starts without them."""
    scan_buffer.clear()
    privacy.salts_forget()
    lookup.cache_clear()
    yield
    scan_buffer.clear()
    privacy.salts_forget()
    lookup.cache_clear()


@pytest.fixture
def client(client, settings):
    """Pages in English: LocaleMiddleware would otherwise answer in Vietnamese, the default."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def packaging():
    product = make_product(status="certified", name="Chè Shan tuyết Suối Giàng")
    return packaging_add(actor=None, product=product, size=100, unit="g", gtin=GTIN)


@pytest.fixture
def lot(packaging):
    return services.lot_create(actor=None, product=packaging.product, packaging=packaging, code="L1")


@pytest.fixture
def serials(packaging, lot):
    services.serials_issue(actor=None, product=packaging.product, lot=lot, count=3)
    return list(Serial.objects.filter(product=packaging.product).order_by("pk"))


def path_of(*, lot: str = "", serial: str = "", gtin: str = GTIN) -> str:
    return digital_link.build(gtin=gtin, lot=lot, serial=serial, base=BASE).removeprefix(BASE)


def visitor(ip: str = "203.0.113.7", agent: str = "Mozilla/5.0 (Android 14) Chrome/140"):
    return RequestFactory().get("/scan/01/x", REMOTE_ADDR=ip, HTTP_USER_AGENT=agent)


def observe(path: str, *, request=None) -> dict:
    from scans.services import scan_observe

    return scan_observe(request=request or visitor(), context=scan_context(path))
