"""The consumer scan page: the story in the visitor's language (link, switch, browser), a plain note
when it falls back to Vietnamese, Listen (a recording or the browser's speech in the right
language), the certificate's state with its dates, the lot's journey from its raw-material area."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from certificates.models import Certificate
from registry.services import packaging_add, product_update
from registry.services_media import story_recording_set
from tests.certificates.factories import import_past
from tests.factories import make_product
from traceability import lookup, services, steps
from traceability.models import Serial

pytestmark = pytest.mark.django_db

GTIN = "8930000000019"
STORY = {
    "vi": {
        "name": "Chè Shan tuyết Suối Giàng",
        "story": "<p>Ở độ cao trên 1.300 m…</p>",
        "usage": "Hãm 3 phút.",
    },
    "en": {
        "name": "Suối Giàng Shan Tuyết Tea",
        "story": "<p>Above 1,300 m…</p>",
        "usage": "Steep 3 minutes.",
    },
    "ja": {"name": "スオイザン緑茶", "story": "<p>標高1,300メートル…</p>", "usage": "3分蒸らす。"},
}
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[104.6, 21.6], [104.601, 21.6], [104.601, 21.601], [104.6, 21.601], [104.6, 21.6]]],
}


@pytest.fixture(autouse=True)
def _fresh_cache():
    lookup.cache_clear()
    yield
    lookup.cache_clear()


@pytest.fixture
def product():
    product = make_product(status="certified", name=STORY["vi"]["name"])
    product = product_update(actor=None, product=product, translations=STORY)
    packaging_add(actor=None, product=product, size=100, unit="g", gtin=GTIN)
    return product


@pytest.fixture
def lot(product):
    return services.lot_create(
        actor=None,
        product=product,
        code="2026-11-A",
        production_date=date(2026, 11, 2),
        expiry_date=date(2027, 11, 1),
    )


def _page(client, query="", accept="", path=f"/scan/01/0{GTIN}/10/2026-11-A"):
    headers = {"HTTP_ACCEPT_LANGUAGE": accept} if accept else {}
    response = client.get(path + query, **headers)
    assert response.status_code == 200
    return response, response.content.decode()


def test_the_story_follows_the_browsers_language(client, product, lot):
    response, page = _page(client, accept="en-GB,en;q=0.9,vi;q=0.5")
    assert "Above 1,300 m" in page and "Ở độ cao" not in page
    assert '<html lang="en">' in page and response["Content-Language"] == "en"
    assert "The story" in page  # the page's own words in English too


def test_a_link_or_the_switch_picks_japanese_and_the_page_speaks_japanese_around_it(client, product, lot):
    _response, page = _page(client, "?lang=ja", accept="vi")
    assert "標高1,300メートル" in page and "スオイザン緑茶" in page
    assert '<html lang="ja">' in page
    assert 'data-lang="ja-JP"' in page  # speech synthesis reads it with a Japanese voice
    assert "聞く" in page and "ストーリー" in page and "Listen" not in page  # the page's own words too
    for code, name in (("vi", "Tiếng Việt"), ("en", "English"), ("ja", "日本語")):
        assert f'href="?lang={code}"' in page and f">{name}</a>" in page
    assert 'href="?lang=ko"' not in page  # only the languages the producer wrote


def test_a_language_without_a_story_falls_back_to_vietnamese_and_says_so(client, product, lot):
    _response, page = _page(client, "?lang=ko")
    assert "Ở độ cao trên 1.300 m" in page
    assert 'data-testid="scan-fallback"' in page
    assert "베트남어로 표시됩니다" in page  # said in Korean, the language asked for
    assert 'data-lang="vi-VN"' in page


def test_vietnamese_is_the_default_with_vietnamese_words(client, product, lot):
    _response, page = _page(client)
    assert "Ở độ cao trên 1.300 m" in page and 'data-lang="vi-VN"' in page
    assert "Nghe" in page  # "Listen" in Vietnamese
    assert 'data-testid="scan-fallback"' not in page


def test_listen_plays_the_producers_recording_in_that_language_only(client, product, lot):
    story_recording_set(
        actor=None,
        product=product,
        language="en",
        upload=SimpleUploadedFile("s.mp3", b"ID3\x04\x00" + b"\x00" * 300),
    )
    _response, page = _page(client, "?lang=en")
    assert "data-story-audio" in page and "story-p" in page
    _response, page = _page(client, "?lang=ja")
    assert "data-story-audio" not in page  # the browser's speech reads the Japanese story


def test_script_in_a_story_never_reaches_the_page(client, product, lot):
    product_update(
        actor=None,
        product=product,
        translations={
            **STORY,
            "en": {**STORY["en"], "story": '<p onclick="x()">Hi</p><script>alert(1)</script>'},
        },
    )
    _response, page = _page(client, "?lang=en")
    assert "alert(1)" not in page and "onclick" not in page and "<p>Hi</p>" in page


def test_the_certificate_state_and_dates_are_shown(client, product, lot):
    today = timezone.localdate()
    import_past(product=product, stars=4, valid_until=today + timedelta(days=600))
    _response, page = _page(client, "?lang=en")
    assert "★★★★" in page and "★★★★★" not in page
    assert "OCOP certificate valid from" in page
    assert (today + timedelta(days=600)).strftime("%d/%m/%Y") in page


def test_an_expired_or_revoked_certificate_is_said_plainly(client, product, lot):
    past = import_past(product=product, valid_until=date(2025, 1, 31), status=Certificate.Status.EXPIRED)
    _response, page = _page(client, "?lang=en")
    assert "The OCOP certificate expired on 31/01/2025." in page
    Certificate.objects.filter(pk=past.pk).update(status=Certificate.Status.REVOKED)
    lookup.cache_clear()  # written behind the services' back: nothing told the page's cache
    _response, page = _page(client, "?lang=en")
    assert "The OCOP certificate was revoked" in page


def test_without_certificate_the_page_says_so(client, product, lot):
    _response, page = _page(client, "?lang=en")
    assert "This product has no OCOP certificate on record." in page


def test_the_circular_02_facts_are_on_the_page(client, product, lot):
    _response, page = _page(client, "?lang=en")
    for fact in ("Producer", product.entity.legal_name, "2026-11-A", "02/11/2026", "01/11/2027", f"0{GTIN}"):
        assert fact in page


def test_the_journey_draws_the_area_and_lists_the_harvest_of_the_input_lot(client, product, lot):
    entity = product.entity
    area = services.raw_material_area_create(
        actor=None,
        entity=entity,
        name="Đồi chè Pang Cáng",
        kind="crop",
        crop="Chè Shan tuyết",
        geometry=SQUARE,
    )
    leaf = make_product(entity=entity, name="Búp chè tươi")
    leaves = services.lot_create(actor=None, product=leaf, code="LEAF-1")
    services.lot_areas_set(actor=None, lot=leaves, areas=[area])
    services.lot_inputs_add(actor=None, lot=lot, inputs=[leaves])
    steps.step_record(
        actor=None,
        product=leaf,
        kind="harvest",
        lot=leaves,
        when=timezone.now() - timedelta(days=3),
        quantity=Decimal("120"),
        unit="KGM",
        area=area,
    )
    _response, page = _page(client, "?lang=en")
    assert 'data-testid="scan-journey"' in page
    assert "Đồi chè Pang Cáng" in page and '<path d="M' in page
    # The map is loaded only on request: its data and button are there, Leaflet is not.
    assert 'id="scan-areas"' in page and '"coordinates": [[[104.6, 21.6]' in page
    assert 'data-testid="scan-map-button"' in page and '<script src="/static/vendor/leaflet' not in page
    assert "Harvest" in page and "120" in page


def test_a_page_for_an_unknown_code_still_answers_in_the_visitors_language(client):
    response = client.get(f"/scan/01/0{GTIN}", HTTP_ACCEPT_LANGUAGE="en")
    assert "not registered on OCOP Hub" in response.content.decode()


def test_a_forged_serial_is_one_potential_suspect_said_once_and_a_repeat_scan_says_when_it_was_first_checked(
    client, product, lot
):
    _response, page = _page(client, "?lang=en", path=f"/scan/01/0{GTIN}/10/2026-11-A/21/FORGED000000")
    assert page.count("FORGED000000 was never issued") == 1
    assert "Potential suspect" in page and 'data-testid="scan-ok"' not in page
    assert 'data-testid="scan-report-link"' in page and "/scans/report/?code=" in page

    services.serials_issue(actor=None, product=product, lot=lot, count=1)
    serial = Serial.objects.get(product=product).value
    path = f"/scan/01/0{GTIN}/10/2026-11-A/21/{serial}"
    _response, first = _page(client, accept="en", path=path)
    assert "This is the first check of this code." in first and 'data-testid="scan-ok"' in first
    _response, switched = _page(client, "?lang=ja", path=path)  # the page's own language switch
    assert "このコードの初めての確認です。" in switched, "switching language is not a new check"
    _response, second = _page(client, accept="en", path=path)
    today = timezone.localdate().strftime("%d/%m/%Y")
    assert f"This code was first checked on {today}. This is check number 2 of this code." in second


def test_the_products_photos_are_shown_the_first_large_and_up_to_three_more(client, product, lot):
    from registry.services import product_image_add
    from tests.factories import image_upload

    for n in range(5):
        product_image_add(actor=None, product=product, upload=image_upload(f"p{n}.png"), alt_text=f"Ảnh {n}")
    _response, page = _page(client, "?lang=en")
    assert page.count('class="scan-image"') == 1 and 'alt="Ảnh 0"' in page
    assert 'data-testid="scan-photos"' in page
    assert [f'alt="Ảnh {n}"' in page for n in range(5)] == [True, True, True, True, False]


def test_a_huge_query_string_changes_nothing_but_is_answered(client, product, lot):
    response = client.get(f"/scan/01/0{GTIN}/10/2026-11-A?lang=en&" + "x=" + "A" * 100_000)
    assert response.status_code == 200 and "Above 1,300 m" in response.content.decode()
