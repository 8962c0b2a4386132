"""Shopping feeds per producer and per province: Google Merchant RSS 2.0 (g: namespace) and CSV,
Facebook catalogue CSV. Public products only; a producer's text cannot become a spreadsheet formula."""

import csv
import io
from xml.etree import ElementTree as ET

import pytest

from market.feeds import FACEBOOK_COLUMNS, GOOGLE_COLUMNS, GOOGLE_NS
from registry.services import product_set_status, product_update
from tests.factories import make_product
from tests.market.conftest_catalogue import GTIN, STORY, catalogue_fixture, fresh_cache_fixture  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db
BASE = "https://ocop.example.vn"
G = {"g": GOOGLE_NS}


@pytest.fixture(autouse=True)
def _public_base(settings):
    settings.OCOP_PUBLIC_BASE_URL = BASE


def _items(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)  # noqa: S314 (our own answer)
    assert root.tag == "rss" and root.get("version") == "2.0"
    return root.findall("channel/item")


def _rows(client, url):
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_it_gives_a_producers_google_merchant_feed(client, catalogue):
    items = _items(client, f"/catalogue/feeds/entity/{catalogue.producer.pk}/google.xml")
    assert len(items) == 1  # the draft, registered and expired products stay out
    item = items[0]

    def g(name):
        return item.findtext(f"g:{name}", namespaces=G)

    assert g("id") == f"ocop-{catalogue.tea.pk}" and g("title") == STORY["vi"]["name"]
    assert g("description") == STORY["vi"]["short_description"]
    assert g("link") == f"{BASE}/catalogue/products/{catalogue.tea.pk}/"
    assert g("image_link").startswith(f"{BASE}/media/products/")
    assert g("availability") == "in_stock" and g("condition") == "new"
    assert g("price") == "120000 VND" and g("brand") == catalogue.producer.legal_name
    assert g("google_product_category") == "Food, Beverages & Tobacco > Beverages > Tea & Infusions"
    assert g("gtin") == f"0{GTIN}" and g("identifier_exists") is None


def test_it_gives_a_provinces_feed_without_gtin_or_price_said_plainly(client, catalogue):
    items = _items(client, f"/catalogue/feeds/province/{catalogue.other_province.province_id}/google.xml")
    assert [i.findtext("g:title", namespaces=G) for i in items] == ["Hoa hồi Lạng Sơn"]
    item = items[0]
    assert item.findtext("g:identifier_exists", namespaces=G) == "no"
    assert item.find("g:price", G) is None and item.find("g:gtin", G) is None
    assert item.findtext("g:image_link", namespaces=G).endswith(
        f"/products/{catalogue.other_province.pk}/card.png"
    )


def test_it_gives_the_google_and_facebook_csv_columns(client, catalogue):
    google = _rows(client, f"/catalogue/feeds/entity/{catalogue.producer.pk}/google.csv")
    assert tuple(google[0].keys()) == GOOGLE_COLUMNS and google[0]["price"] == "120000 VND"
    facebook = _rows(client, f"/catalogue/feeds/province/{catalogue.tea.province_id}/facebook.csv")
    assert tuple(facebook[0].keys()) == FACEBOOK_COLUMNS
    assert FACEBOOK_COLUMNS == (
        "id",
        "title",
        "description",
        "availability",
        "condition",
        "price",
        "link",
        "image_link",
        "brand",
    )
    assert facebook == [
        {
            "id": f"ocop-{catalogue.tea.pk}",
            "title": STORY["vi"]["name"],
            "description": STORY["vi"]["short_description"],
            "availability": "in stock",
            "condition": "new",
            "price": "120000 VND",
            "link": f"{BASE}/catalogue/products/{catalogue.tea.pk}/",
            "image_link": facebook[0]["image_link"],
            "brand": catalogue.producer.legal_name,
        }
    ]


def test_it_never_puts_a_non_public_product_or_a_private_fact_in_a_feed(client, catalogue):
    for fmt in ("google.xml", "google.csv", "facebook.csv"):
        for url in (
            f"/catalogue/feeds/entity/{catalogue.producer.pk}/{fmt}",
            f"/catalogue/feeds/province/{catalogue.tea.province_id}/{fmt}",
        ):
            body = client.get(url).content.decode()
            for hidden in ("Chè nháp chưa công bố", "Chè đã đăng ký", "Chè hết hạn"):
                assert hidden not in body, (url, hidden)
            for private in (catalogue.producer.tax_code, catalogue.producer.phone, catalogue.producer.email):
                assert private not in body


def test_it_leaves_tourism_services_out_of_shopping_feeds(client, catalogue):
    make_product(
        entity=catalogue.producer, name="Du lịch cộng đồng bản Giàng", status="certified", category="QD26-26"
    )
    rows = _rows(client, f"/catalogue/feeds/entity/{catalogue.producer.pk}/facebook.csv")
    assert [row["title"] for row in rows] == [STORY["vi"]["name"]]


def test_it_keeps_a_producers_text_from_becoming_a_formula(client, catalogue):
    product_update(
        actor=None,
        product=catalogue.tea,
        translations={"vi": {**STORY["vi"], "short_description": '=HYPERLINK("http://x")'}},
    )
    rows = _rows(client, f"/catalogue/feeds/entity/{catalogue.producer.pk}/google.csv")
    assert rows[0]["description"] == '\'=HYPERLINK("http://x")'


@pytest.mark.parametrize(
    "url",
    [
        "/catalogue/feeds/entity/{draft_entity}/google.xml",
        "/catalogue/feeds/entity/999999/google.xml",
        "/catalogue/feeds/province/zz/google.xml",
        "/catalogue/feeds/entity/{entity}/amazon.xml",
    ],
)
def test_it_answers_404_for_an_unknown_producer_province_or_format(client, catalogue, url):
    from tests.factories import make_entity

    hidden = make_entity()
    make_product(entity=hidden, name="Cam sành Bắc Quang", category="QD26-01")
    response = client.get(url.format(draft_entity=hidden.pk, entity=catalogue.producer.pk))
    assert response.status_code == 404


def test_it_reads_a_provinces_feed_in_a_few_queries_however_many_products(
    client, catalogue, django_assert_max_num_queries
):
    for n in range(5):
        product = make_product(entity=catalogue.producer, name=f"Mật ong rừng số {n}", category="QD26-04")
        product_update(actor=None, product=product, translations={"vi": {"name": f"Mật ong rừng số {n}"}})
        product_set_status(actor=None, product=product, status="certified")
    with django_assert_max_num_queries(8):
        rows = _rows(client, f"/catalogue/feeds/province/{catalogue.tea.province_id}/google.csv")
    assert len(rows) == 6
