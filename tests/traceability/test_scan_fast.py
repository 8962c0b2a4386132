"""The scan page served by the lean dispatcher in front of Django (ocop_hub.wsgi): the same page as
Django's URL, with the headers Django's middleware would add, its product half rendered once per lot
and language, and changes made through the services shown on the next scan."""

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registry.services import packaging_add, product_update
from registry.services_media import product_video_set
from tests.factories import make_product
from traceability import lookup, services
from traceability.models import Serial
from traceability.resolver import ResolverDispatch

pytestmark = pytest.mark.django_db

GTIN = "8930000000019"
STORY = {
    "vi": {"name": "Chè Shan tuyết Suối Giàng", "story": "<p>Ở độ cao trên 1.300 m…</p>"},
    "en": {"name": "Suối Giàng Shan Tuyết Tea", "story": "<p>Above 1,300 m…</p>"},
}


@pytest.fixture(autouse=True)
def _fresh_cache():
    lookup.cache_clear()
    yield
    lookup.cache_clear()


@pytest.fixture
def serials():
    product = make_product(status="certified", name=STORY["vi"]["name"])
    product = product_update(actor=None, product=product, translations=STORY)
    packaging = packaging_add(actor=None, product=product, size=100, unit="g", gtin=GTIN)
    lot = services.lot_create(actor=None, product=product, packaging=packaging, code="L1")
    services.serials_issue(actor=None, product=product, lot=lot, count=3)
    return list(Serial.objects.filter(product=product).order_by("pk"))


def _get(path: str, query: str = "", language: str = "en") -> tuple[str, dict, str]:
    app = ResolverDispatch(WSGIHandler())
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "RAW_URI": path + (f"?{query}" if query else ""),
        "QUERY_STRING": query,
        "HTTP_ACCEPT_LANGUAGE": language,
        "REMOTE_ADDR": "203.0.113.9",
        "HTTP_USER_AGENT": "Mozilla/5.0 (Android 14)",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "wsgi.url_scheme": "http",
        "wsgi.input": None,
    }
    answer: dict = {}

    def start_response(status, headers):
        answer["status"], answer["headers"] = status, dict(headers)

    body = b"".join(app(environ, start_response)).decode()
    return answer["status"], answer["headers"], body


def _path(serial) -> str:
    return f"/scan/01/0{GTIN}/10/L1/21/{serial.value}"


def test_the_dispatcher_serves_the_page_with_the_middlewares_headers(serials):
    status, headers, body = _get(_path(serials[0]))
    assert status == "200 OK"
    assert "Above 1,300 m" in body and serials[0].value in body
    assert "This is the first check of this code." in body
    assert headers["Content-Language"] == "en" and headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY" and "Content-Security-Policy" in headers
    assert "csrfmiddlewaretoken" not in body  # a cached half must not carry one visitor's token
    assert int(headers["Content-Length"]) == len(body.encode())


def test_the_dispatcher_and_djangos_url_answer_the_same_page(client, serials):
    _status, _headers, lean = _get(_path(serials[0]))
    django = client.get(_path(serials[1]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert lean.replace(serials[0].value, "S") == django.replace(serials[1].value, "S")


def test_the_product_half_is_rendered_once_per_lot_and_language(serials):
    _get(_path(serials[0]))
    with CaptureQueriesContext(connection) as queries:
        status, _headers, body = _get(_path(serials[1]))
    assert status == "200 OK" and serials[1].value in body
    # The serial's state in one query; the scan itself waits in the buffer (written at once in
    # tests: a few inserts/updates of the batch). No product, lot, story or certificate read.
    reads = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
    assert not any("registry_product" in sql.split("FROM")[1].split()[0] for sql in reads if "FROM" in sql)
    _status, _headers, korean = _get(_path(serials[2]), language="ko")  # another language: its own half
    assert 'data-testid="scan-fallback"' in korean and serials[2].value in korean


def test_a_change_through_the_services_reaches_the_next_scan(serials):
    product = serials[0].product
    _get(_path(serials[0]))
    product_update(
        actor=None,
        product=product,
        translations={**STORY, "en": {**STORY["en"], "story": "<p>New harvest</p>"}},
    )
    product_video_set(actor=None, product=product, url="https://www.youtube.com/watch?v=abc")
    _status, _headers, body = _get(_path(serials[1]))
    assert "New harvest" in body and "youtube.com/watch?v=abc" in body


def test_a_bad_code_or_an_unknown_gtin_is_answered_by_the_dispatcher_too(serials):
    status, _headers, body = _get(f"/scan/01/0{GTIN[:-1]}8")
    assert status == "400 Bad Request" and "not a valid GS1 Digital Link" in body
    status, _headers, body = _get("/scan/01/08930000000026")
    assert status == "404 Not Found" and "not registered on OCOP Hub" in body
