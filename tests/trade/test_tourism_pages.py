"""The tourist pages: a map with every list also in the HTML (no JavaScript needed but for the map),
in the six content languages with a fallback to Vietnamese, and a destination's surroundings."""

import html
import json
import re

import pytest
from django.test import Client

from tests.factories import commune, make_product
from tests.trade.builders import LAO_CAI, SA_PA, certified_product, client_in, make_destination, make_outlet
from trade import tourist
from trade.services_outlets import outlet_product_add

pytestmark = pytest.mark.django_db


@pytest.fixture
def cat_cat():
    return make_destination(
        position=SA_PA,
        translations={
            "vi": {"name": "Bản Cát Cát", "description": "Bản của người Mông."},
            "en": {"name": "Cát Cát village", "description": "A Hmong village."},
        },
    )


def _text(response) -> str:
    return html.unescape(response.content.decode())


def test_it_keeps_every_tourist_label_in_all_six_languages():
    data = tourist.labels_all()
    assert set(data) == {"vi", "en", "ja", "fr", "zh", "ko"}
    keys = set(data["vi"])
    for language, words in data.items():
        assert set(words) == keys, language
        for key, text in words.items():
            assert text.strip(), (language, key)
            assert set(re.findall(r"\{\w+\}", text)) == set(re.findall(r"\{\w+\}", data["en"][key])), (
                language,
                key,
            )


def test_it_shows_destinations_and_outlets_as_lists_and_map_markers(cat_cat):
    make_outlet(name="Cửa hàng OCOP Sa Pa", position=(22.3356, 103.843))
    response = client_in("en").get("/tourism/?lang=en")
    page = _text(response)
    assert response.status_code == 200
    assert "OCOP products and experiences for visitors" in page
    assert 'data-testid="destinations"' in page and "Cát Cát village" in page
    assert 'data-testid="outlets"' in page and "Cửa hàng OCOP Sa Pa" in page
    markers = json.loads(
        re.search(r'<script id="tourism-markers" type="application/json">(.*?)</script>', page)[1]
    )
    names = {f["properties"]["name"]: f["properties"]["kind"] for f in markers["features"]}
    assert names == {"Cát Cát village": "destination", "Cửa hàng OCOP Sa Pa": "outlet"}
    # The map script is the vendored Leaflet, never a CDN.
    assert '<script src="/static/vendor/leaflet/leaflet.js" defer>' in page
    assert not re.search(r'<script[^>]+src="https?://', page)


def test_it_speaks_japanese_and_says_the_content_fell_back_to_vietnamese(cat_cat):
    page = _text(client_in("ja").get(f"/tourism/{cat_cat.pk}/?lang=ja"))
    assert "近くのOCOP産品" in page and "おすすめルート" in page
    assert '<h1 data-testid="destination-name" lang="vi">Bản Cát Cát</h1>' in page
    assert "このページは日本語で書かれていないため、ベトナム語で表示しています。" in page
    assert '<html lang="ja">' in page


def test_it_shows_the_english_content_without_a_fallback_note(cat_cat):
    page = _text(client_in("en").get(f"/tourism/{cat_cat.pk}/?lang=en"))
    assert '<h1 data-testid="destination-name">Cát Cát village</h1>' in page
    assert "A Hmong village." in page
    assert 'data-testid="fallback-note"' not in page


def test_it_chooses_the_language_from_the_browser_when_not_asked(cat_cat):
    client = Client(HTTP_ACCEPT_LANGUAGE="ko-KR,ko;q=0.9,en;q=0.5")
    page = _text(client.get(f"/tourism/{cat_cat.pk}/"))
    assert "추천 경로" in page and "이 페이지는 한국어로 제공되지 않아 베트남어로 표시됩니다." in page


def test_it_offers_every_language_by_its_own_name(cat_cat):
    page = _text(Client().get(f"/tourism/{cat_cat.pk}/?lang=fr&km=30"))
    for name in ("Tiếng Việt", "English", "日本語", "Français", "中文", "한국어"):
        assert name in page
    assert 'href="?km=30&lang=zh"' in page
    assert "Itinéraire suggéré" in page


def test_it_lists_nearby_products_outlets_and_the_route_within_the_distance(cat_cat):
    tea = certified_product(name="Chè Shan tuyết Cát Cát")
    make_product(name="Chè nháp không công khai")
    shop = make_outlet(name="Cửa hàng OCOP Sa Pa", position=(22.3356, 103.843))
    outlet_product_add(actor=None, outlet=shop, product=tea)
    outlet_product_add(actor=None, outlet=make_outlet(name="Siêu thị Lào Cai", position=LAO_CAI), product=tea)

    page = _text(client_in("en").get(f"/tourism/{cat_cat.pk}/?lang=en&km=10"))
    assert "Chè Shan tuyết Cát Cát" in page and "Chè nháp" not in page
    assert "Cửa hàng OCOP Sa Pa" in page and "Siêu thị Lào Cai" not in page
    assert "Suggested route" in page and "from the previous stop" in page

    page = _text(client_in("en").get(f"/tourism/{cat_cat.pk}/?lang=en&km=25"))
    assert "Siêu thị Lào Cai" in page
    assert re.search(r'data-testid="route-total">Total: about 2\d km', page)


@pytest.mark.parametrize(
    ("km", "note"),
    [
        ("abc", "The distance must be between 1 and 100 km; showing 20 km."),
        ("-3", "The distance must be between 1 and 100 km; showing 1 km."),
        ("99999", "The distance must be between 1 and 100 km; showing 100 km."),
        ("nan", "The distance must be between 1 and 100 km; showing 20 km."),
    ],
)
def test_it_answers_a_bad_distance_with_a_note_not_an_error(cat_cat, km, note):
    response = client_in("en").get(f"/tourism/{cat_cat.pk}/", {"lang": "en", "km": km})
    assert response.status_code == 200
    assert note in _text(response)


def test_it_shows_empty_states_in_the_visitors_language(cat_cat):
    page = _text(client_in("fr").get(f"/tourism/{cat_cat.pk}/?lang=fr"))
    assert "Aucun produit OCOP à cette distance pour l'instant." in page
    assert "Rien d'autre à cette distance : essayez une distance plus grande." in page
    page = _text(Client().get("/tourism/?lang=zh&province=" + commune_code("Hà Nội")))
    assert "暂无旅游目的地。" in page and "暂无商店。" in page


def test_it_answers_404_for_an_unknown_destination():
    assert Client().get("/tourism/999999/").status_code == 404


def test_it_shows_an_empty_tourism_page():
    page = _text(Client().get("/tourism/?lang=en"))
    assert "No destinations yet." in page and "No shops yet." in page


def commune_code(province: str) -> str:
    return commune(province).province_id


# --- officials' destination forms ---------------------------------------------------------------------


def _destination_post(**overrides):
    data = {
        "kind": "community",
        "province": commune("Lào Cai").province_id,
        "commune": commune("Lào Cai", "Sa Pa").pk,
        "latitude": "22.3282",
        "longitude": "103.8336",
        "website": "",
        "name_vi": "Bản Cát Cát",
        "description_vi": "Bản người Mông.",
        "name_ja": "カットカット村",
    }
    return data | overrides


def test_it_lets_an_official_add_a_destination_in_several_languages(lao_cai_official):
    from trade.models import Destination

    client = client_in("en", lao_cai_official)
    assert "Name (Japanese)" in _text(client.get("/tourism/new/"))
    response = client.post("/tourism/new/", _destination_post())
    destination = Destination.objects.get()
    assert response["Location"] == f"/tourism/{destination.pk}/"
    assert _text(client.get(f"/tourism/{destination.pk}/?lang=ja")).count("カットカット村") >= 1


def test_it_shows_a_missing_vietnamese_name_and_saves_nothing(lao_cai_official):
    from trade.models import Destination

    page = _text(client_in("en", lao_cai_official).post("/tourism/new/", _destination_post(name_vi="")))
    assert "Give the destination's name in Vietnamese." in page
    assert not Destination.objects.exists()


def test_it_refuses_a_forged_commune_on_the_destination_form(lao_cai_official):
    from trade.models import Destination

    page = _text(
        client_in("en", lao_cai_official).post(
            "/tourism/new/", _destination_post(commune=commune("Hà Nội").pk)
        )
    )
    assert "Choose a commune of the chosen province." in page
    assert not Destination.objects.exists()


def test_it_refuses_the_destination_form_to_producers(producer):
    from trade.models import Destination

    assert client_in("en", producer).post("/tourism/new/", _destination_post()).status_code == 403
    assert not Destination.objects.exists()


def test_it_hides_a_destinations_edit_page_from_another_province(cat_cat, hanoi_official, lao_cai_official):
    client = client_in("en", hanoi_official)
    assert client.get(f"/tourism/{cat_cat.pk}/edit/").status_code == 404
    assert client.post(f"/tourism/{cat_cat.pk}/edit/", _destination_post(name_vi="Đổi")).status_code == 404
    assert cat_cat.translation("vi").name == "Bản Cát Cát"
    client = client_in("en", lao_cai_official)
    assert "Cát Cát village" in _text(client.get(f"/tourism/{cat_cat.pk}/edit/"))
    client.post(f"/tourism/{cat_cat.pk}/edit/", _destination_post(name_vi="Bản Cát Cát (Sa Pa)", name_ja=""))
    cat_cat.refresh_from_db()
    names = {tr.language: tr.name for tr in cat_cat.translations.all()}
    assert names == {"vi": "Bản Cát Cát (Sa Pa)"}


def test_it_reads_a_destination_page_in_a_fixed_number_of_queries(cat_cat):
    """The queries do not grow with the number of shops, products and neighbours around."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert Client().get(f"/tourism/{cat_cat.pk}/?lang=en&km=30").status_code == 200
        return len(queries)

    def add(n: int) -> None:
        for i in range(n):
            shop = make_outlet(position=(22.33 + i / 1000, 103.84))
            outlet_product_add(actor=None, outlet=shop, product=certified_product())
            make_destination(position=(22.32 - i / 1000, 103.85))

    add(1)
    few = count()
    add(6)
    assert count() == few
