import csv
import io
from datetime import date

import pytest
from django.conf import settings
from django.test import Client

from registry.models import Role
from registry.services import packaging_add
from tests.factories import commune, make_entity, make_product, make_user, with_role
from traceability import digital_link, lookup, services
from traceability.models import Lot, ResolverLink, Serial, SerialRange

pytestmark = pytest.mark.django_db

GTIN = "8930000000019"
GTIN14 = "08930000000019"
BOM = "\ufeff".encode()
BASE = "https://ocop.example.vn"


@pytest.fixture(autouse=True)
def _fresh_cache():
    lookup.cache_clear()
    yield
    lookup.cache_clear()


@pytest.fixture(autouse=True)
def _public_base(settings):
    settings.OCOP_PUBLIC_BASE_URL = BASE


def _client(settings, user=None) -> Client:
    """Pages in English: LocaleMiddleware would otherwise answer in Vietnamese, the default."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def product():
    entity = make_entity(commune_obj=commune("Lào Cai"))
    return make_product(entity=entity, status="certified", name="Chè Shan tuyết Suối Giàng")


@pytest.fixture
def packaging(product):
    return packaging_add(actor=None, product=product, size=100, unit="g", gtin=GTIN)


@pytest.fixture
def member(settings, product):
    user = with_role(make_user(), Role.Kind.ENTITY_MEMBER, entity=product.entity)
    return _client(settings, user)


@pytest.fixture
def official(settings, product):
    user = with_role(make_user(), Role.Kind.PROVINCE, province=product.province)
    return _client(settings, user)


def _url(product, rest: str = "") -> str:
    return f"/products/{product.pk}/trace/{rest}"


def _csv_rows(response) -> tuple[bytes, list[list[str]]]:
    body = b"".join(response.streaming_content)
    return body, list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_it_lets_a_member_create_a_lot_issue_serials_and_download_them(member, product, packaging):
    response = member.post(
        _url(product, "lots/"),
        {
            "code": "L-2026/01",
            "packaging": packaging.pk,
            "production_date": "2026-03-01",
            "expiry_date": "2027-03-01",
            "quantity": "500",
        },
        follow=True,
    )
    lot = Lot.objects.get(product=product)
    assert (lot.code, lot.packaging, lot.quantity) == ("L-2026/01", packaging, 500)
    page = response.content.decode()
    assert "The lot L-2026/01 was created." in page
    assert "01/03/2026" in page and "01/03/2027" in page

    response = member.post(
        _url(product, "serials/"), {"count": "50", "packaging": packaging.pk, "lot": lot.pk}, follow=True
    )
    serial_range = SerialRange.objects.get(product=product)
    assert (serial_range.count, serial_range.lot, serial_range.packaging) == (50, lot, packaging)
    assert "50 serials were issued." in response.content.decode()
    csv_url = _url(product, f"ranges/{serial_range.pk}/serials.csv")
    assert csv_url in response.content.decode()

    response = member.get(csv_url)
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    body, rows = _csv_rows(response)
    assert body.startswith(BOM)
    assert rows[0] == ["serial", "digital_link"]
    assert len(rows) == 51
    issued = set(Serial.objects.filter(range=serial_range).values_list("value", flat=True))
    assert {serial for serial, _uri in rows[1:]} == issued
    for serial, uri in rows[1:]:
        link = digital_link.parse(uri)
        assert (link.gtin, link.lot, link.serial) == (GTIN14, "L-2026/01", serial)
        assert uri == digital_link.build(gtin=GTIN, lot="L-2026/01", serial=serial, base=BASE)


def test_the_csv_streams_every_serial_of_a_large_range_once(member, product, packaging):
    # More rows than one database chunk (5,000) and than one write (2,000).
    serial_range = services.serials_issue(actor=None, product=product, packaging=packaging, count=5001)
    _body, rows = _csv_rows(member.get(_url(product, f"ranges/{serial_range.pk}/serials.csv")))
    serials = [serial for serial, _uri in rows[1:]]
    assert len(serials) == len(set(serials)) == 5001
    assert rows[1][1] == digital_link.build(gtin=GTIN, serial=rows[1][0], base=BASE)


def test_the_csv_of_a_range_without_gtin_carries_the_platform_identifier(member, product, client):
    serial_range = services.serials_issue(actor=None, product=product, count=3)
    _body, rows = _csv_rows(member.get(_url(product, f"ranges/{serial_range.pk}/serials.csv")))
    assert len(rows) == 4
    base = settings.OCOP_PUBLIC_BASE_URL
    assert all(uri == f"{base}/p/{product.pk}/21/{serial}" for serial, uri in rows[1:])
    serial, uri = rows[1]
    answer = client.get(uri.removeprefix(base))  # the label resolves like a GTIN's
    assert answer.status_code == 307
    assert answer["Location"] == f"{base}/scan/p/{product.pk}/21/{serial}"
    page = client.get(f"/scan/p/{product.pk}/21/{serial}")
    assert page.status_code == 200 and f"P{product.pk}" in page.content.decode()
    assert client.get(f"/scan/p/{product.pk}/21/NEVERISSUED1").status_code == 200


def test_it_adds_a_link_the_resolver_follows_at_once_and_removes_it(member, product, packaging):
    resolver_url = f"/01/{GTIN14}?linkType=gs1:recipeInfo"
    assert member.get(resolver_url).status_code == 404  # cached by the resolver: no such link yet
    response = member.post(
        _url(product, "links/"),
        {
            "packaging": packaging.pk,
            "link_type": "gs1:recipeInfo",
            "language": "vi",
            "title": "Cách pha chè",
            "target": "https://example.vn/cach-pha",
        },
        follow=True,
    )
    link = ResolverLink.objects.get(packaging=packaging)
    page = response.content.decode()
    assert "The link was added." in page
    assert "Cách pha chè" in page and "https://example.vn/cach-pha" in page
    redirect = member.get(resolver_url)
    assert (redirect.status_code, redirect["Location"]) == (307, "https://example.vn/cach-pha")

    response = member.post(_url(product, f"links/{link.pk}/remove/"), follow=True)
    assert "The link was removed." in response.content.decode()
    assert not ResolverLink.objects.exists()
    assert member.get(resolver_url).status_code == 404


def test_it_recalls_a_lot_with_a_reason(member, product):
    lot = services.lot_create(actor=None, product=product, code="L1")
    response = member.post(_url(product, f"lots/{lot.pk}/recall/"), {"reason": "Bao bì bị lỗi"}, follow=True)
    lot.refresh_from_db()
    assert (lot.status, lot.recall_reason) == (Lot.Status.RECALLED, "Bao bì bị lỗi")
    page = response.content.decode()
    assert "The lot L1 was recalled." in page
    assert 'class="badge recalled"' in page and "Bao bì bị lỗi" in page


def test_a_recall_without_a_reason_is_refused(member, product):
    lot = services.lot_create(actor=None, product=product, code="L1")
    response = member.post(_url(product, f"lots/{lot.pk}/recall/"), {"reason": "  "})
    assert response.status_code == 200
    assert "Say why the lot is recalled" in response.content.decode()
    lot.refresh_from_db()
    assert lot.status == Lot.Status.ACTIVE


def test_a_refused_recall_of_a_lot_on_a_later_page_shows_its_error(settings, member, product):
    settings.PAGE_SIZE = 1
    older = services.lot_create(actor=None, product=product, code="L-OLD", production_date=date(2026, 1, 1))
    services.lot_create(actor=None, product=product, code="L-NEW", production_date=date(2026, 2, 1))
    assert f"/lots/{older.pk}/recall/?page=2" in member.get(_url(product) + "?page=2").content.decode()
    response = member.post(_url(product, f"lots/{older.pk}/recall/") + "?page=2", {"reason": ""})
    page = response.content.decode()
    assert "L-OLD" in page and "Say why the lot is recalled" in page


def test_a_lot_code_gs1_does_not_allow_shows_the_services_error_and_keeps_the_values(member, product):
    response = member.post(_url(product, "lots/"), {"code": "LÔ#1", "quantity": "12"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "set 82" in page and "LÔ#1" in page
    assert 'value="LÔ#1"' in page and 'value="12"' in page
    assert not Lot.objects.exists()


def test_issuing_zero_serials_is_refused(member, product, packaging):
    response = member.post(_url(product, "serials/"), {"count": "0", "packaging": packaging.pk})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Issue between 1 and 1,000,000 serials at a time." in page
    assert not SerialRange.objects.exists() and not Serial.objects.exists()


def test_a_link_to_a_script_is_refused(member, product, packaging):
    response = member.post(
        _url(product, "links/"),
        {
            "packaging": packaging.pk,
            "link_type": "gs1:pip",
            "language": "vi",
            "title": "Xem",
            "target": "javascript:alert(1)",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter a web address starting with https://" in page
    assert not ResolverLink.objects.exists()


@pytest.mark.parametrize("outsider", ["other_member", "other_official"])
def test_a_forged_post_by_someone_who_does_not_manage_the_product_is_not_found(
    settings, product, packaging, outsider
):
    if outsider == "other_member":
        user = with_role(make_user(), Role.Kind.ENTITY_MEMBER, entity=make_entity())
    else:
        user = with_role(make_user(), Role.Kind.PROVINCE, province=commune("Lạng Sơn").province)
    client = _client(settings, user)
    lot = services.lot_create(actor=None, product=product, code="L1")
    serial_range = services.serials_issue(actor=None, product=product, packaging=packaging, count=2)
    link = services.resolver_link_add(
        actor=None,
        packaging=packaging,
        link_type="gs1:pip",
        title="Trang",
        language="vi",
        target="https://a.vn",
    )
    before = (Lot.objects.count(), SerialRange.objects.count(), Serial.objects.count())
    # The product is certified, so the outsider may see it on the product page, but not manage it.
    assert client.get(f"/products/{product.pk}/").status_code == 200
    for url, data in [
        (_url(product, "lots/"), {"code": "L2"}),
        (_url(product, f"lots/{lot.pk}/recall/"), {"reason": "Giả mạo"}),
        (_url(product, "serials/"), {"count": "5", "packaging": packaging.pk}),
        (
            _url(product, "links/"),
            {
                "packaging": packaging.pk,
                "link_type": "gs1:pip",
                "language": "vi",
                "title": "X",
                "target": "https://evil.example",
            },
        ),
        (_url(product, f"links/{link.pk}/remove/"), {}),
    ]:
        assert client.post(url, data).status_code == 404, url
    assert client.get(_url(product)).status_code == 404
    assert client.get(_url(product, f"ranges/{serial_range.pk}/serials.csv")).status_code == 404
    assert (Lot.objects.count(), SerialRange.objects.count(), Serial.objects.count()) == before
    assert list(ResolverLink.objects.all()) == [link]
    lot.refresh_from_db()
    assert lot.status == Lot.Status.ACTIVE


def test_a_member_cannot_reach_another_products_lot_through_their_own_product(member, product, packaging):
    other = make_product(entity=make_entity(commune_obj=commune("Lạng Sơn")))
    other_lot = services.lot_create(actor=None, product=other, code="L9")
    other_range = services.serials_issue(actor=None, product=other, count=1)
    assert member.post(_url(product, f"lots/{other_lot.pk}/recall/"), {"reason": "x"}).status_code == 404
    assert member.get(_url(product, f"ranges/{other_range.pk}/serials.csv")).status_code == 404
    other_lot.refresh_from_db()
    assert other_lot.status == Lot.Status.ACTIVE


def test_the_page_renders_for_the_official_of_the_products_province(official, product, packaging):
    services.lot_create(actor=None, product=product, code="L-OFF")
    response = official.get(_url(product))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Chè Shan tuyết Suối Giàng" in page
    assert "L-OFF" in page and "No serials issued yet." in page and "No links yet." in page
    assert _url(product) in official.get(f"/products/{product.pk}/").content.decode()


def test_a_new_product_shows_empty_states(member, product):
    page = member.get(_url(product)).content.decode()
    assert "No lots yet." in page
    assert "No serials issued yet." in page
    assert "No packaging has a GTIN yet" in page


def test_the_traceability_link_is_shown_only_to_those_who_manage_the_product(settings, member, product):
    assert _url(product) in member.get(f"/products/{product.pk}/").content.decode()
    assert _url(product) not in _client(settings).get(f"/products/{product.pk}/").content.decode()


def test_anonymous_visitors_are_sent_to_log_in(settings, product):
    response = _client(settings).get(_url(product))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
