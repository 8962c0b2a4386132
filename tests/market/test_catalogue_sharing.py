"""What a shared link shows: Open Graph and Twitter tags, the generated card image, schema.org JSON-LD
(the OCOP star as a certification, never a rating), robots.txt and sitemap.xml."""

import io
import json
import re
from html.parser import HTMLParser
from xml.etree import ElementTree as ET

import pytest
from PIL import Image

from market.sharing import card_png
from registry.models import ProductImage, ProductTranslation
from registry.services import product_update
from tests.market.conftest_catalogue import STORY, catalogue_fixture, fresh_cache_fixture  # noqa: F401 (fixtures)
from traceability import lookup

pytestmark = pytest.mark.django_db
BASE = "https://ocop.example.vn"


@pytest.fixture(autouse=True)
def _public_base(settings):
    settings.OCOP_PUBLIC_BASE_URL = BASE


class _Head(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta: dict[str, list[str]] = {}
        self.links: list[dict] = []
        self.scripts: list[str] = []
        self._in_ld = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("property" in attrs or "name" in attrs):
            self.meta.setdefault(attrs.get("property") or attrs["name"], []).append(attrs.get("content", ""))
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_ld = True
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_ld = False

    def handle_data(self, data):
        if self._in_ld:
            self.scripts[-1] += data


def _head(client, url: str) -> _Head:
    response = client.get(url)
    assert response.status_code == 200
    parsed = _Head()
    parsed.feed(response.content.decode())
    return parsed


def test_it_gives_the_product_page_open_graph_and_twitter_tags(client, catalogue):
    head = _head(client, f"/catalogue/products/{catalogue.tea.pk}/?lang=en")
    url = f"{BASE}/catalogue/products/{catalogue.tea.pk}/?lang=en"
    assert head.meta["og:title"] == [STORY["en"]["name"]]
    assert head.meta["og:description"] == [STORY["en"]["short_description"]]
    assert head.meta["og:url"] == [url] and {"rel": "canonical", "href": url} in head.links
    assert head.meta["og:locale"] == ["en_US"] and set(head.meta["og:locale:alternate"]) == {"vi_VN", "ja_JP"}
    image = ProductImage.objects.get(product=catalogue.tea)
    assert head.meta["og:image"] == [f"{BASE}{image.image.url}"]
    assert head.meta["og:image:width"] == ["800"] and head.meta["og:type"] == ["product"]
    assert head.meta["twitter:card"] == ["summary_large_image"]
    assert head.meta["twitter:image"] == head.meta["og:image"]
    hreflangs = {link["hreflang"]: link["href"] for link in head.links if link.get("rel") == "alternate"}
    assert hreflangs["vi"] == f"{BASE}/catalogue/products/{catalogue.tea.pk}/" and "ja" in hreflangs


def test_it_points_a_product_without_photo_at_its_generated_card(client, catalogue):
    head = _head(client, f"/catalogue/products/{catalogue.other_province.pk}/")
    card = f"{BASE}/catalogue/products/{catalogue.other_province.pk}/card.png"
    assert head.meta["og:image"] == [card] and head.meta["og:image:width"] == ["1200"]
    response = client.get(f"/catalogue/products/{catalogue.other_province.pk}/card.png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert "max-age=86400" in response["Cache-Control"] and response["ETag"]
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "PNG" and image.size == (1200, 630)
    again = client.get(
        f"/catalogue/products/{catalogue.other_province.pk}/card.png", HTTP_IF_NONE_MATCH=response["ETag"]
    )
    assert again.status_code == 304


def test_it_draws_no_card_for_a_product_the_public_may_not_see(client, catalogue):
    assert client.get(f"/catalogue/products/{catalogue.draft.pk}/card.png").status_code == 404
    assert client.get(f"/catalogue/producers/{catalogue.producer.pk}/card.png").status_code == 200


def test_it_draws_vietnamese_composed_or_not_the_same():
    composed = card_png(title="Chè Shan tuyết", subtitle="Lào Cai", stars=4)
    decomposed = card_png(title="Che\u0300 Shan tuye\u0302\u0301t", subtitle="La\u0300o Cai", stars=4)
    assert composed == decomposed
    long_name = card_png(title="Trà " * 80, subtitle="x", stars=0)
    assert Image.open(io.BytesIO(long_name)).size == (1200, 630)


def test_it_describes_the_product_in_json_ld_with_the_certificate_not_a_rating(client, catalogue):
    head = _head(client, f"/catalogue/products/{catalogue.tea.pk}/?lang=en")
    assert len(head.scripts) == 1
    data = json.loads(head.scripts[0])
    assert data["@context"] == "https://schema.org" and data["@type"] == "Product"
    assert data["name"] == STORY["en"]["name"] and data["image"] == head.meta["og:image"]
    assert data["brand"]["name"] == catalogue.producer.legal_name
    assert data["manufacturer"]["@type"] == "Organization"
    assert data["manufacturer"]["address"]["addressCountry"] == "VN"
    assert data["offers"] == {
        "@type": "AggregateOffer",
        "priceCurrency": "VND",
        "lowPrice": 120000,
        "highPrice": 450000,
        "url": head.meta["og:url"][0],
    }
    certification = data["hasCertification"]
    assert certification["@type"] == "Certification" and certification["name"] == "OCOP 4★"
    assert certification["certificationStatus"] == "CertificationActive"
    assert certification["url"].startswith(f"{BASE}/verify/")
    assert "OCOP 4★" in data["award"]
    assert "aggregateRating" not in head.scripts[0] and "review" not in head.scripts[0].lower()
    assert data["gtin"] == "08930000000019"
    assert catalogue.producer.tax_code not in head.scripts[0]


def test_it_keeps_a_hostile_story_inside_the_json_ld(client, catalogue):
    # The story is sanitised HTML, so a "</script>" in it is text (&lt;/script&gt;): the JSON-LD's
    # description is plain text, where it becomes "</script>" again and must not end the block.
    story = '<p>Trà ngon &lt;/script&gt;&lt;script&gt;alert("x")&lt;/script&gt;&lt;!-- &amp; --&gt;</p>'
    product_update(actor=None, product=catalogue.tea, translations={"en": {**STORY["en"], "story": story}})
    # A name written behind the services' back (they refuse markup in names) is escaped too.
    hostile = 'Trà</script><script>alert("y")</script>'
    ProductTranslation.objects.filter(product=catalogue.tea, language="en").update(name=hostile)
    lookup.cache_clear()
    page = client.get(f"/catalogue/products/{catalogue.tea.pk}/?lang=en").content.decode()
    assert '<script>alert("x")</script>' not in page and '<script>alert("y")</script>' not in page
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert len(blocks) == 1 and "</script" not in blocks[0] and "<!--" not in blocks[0]
    data = json.loads(blocks[0])  # the same text, read back by a JSON parser
    assert data["name"] == hostile
    assert data["description"] == 'Trà ngon </script><script>alert("x")</script><!-- & -->'


def test_it_gives_the_producer_page_share_tags_and_an_organization(client, catalogue):
    head = _head(client, f"/catalogue/producers/{catalogue.producer.pk}/")
    assert head.meta["og:title"] == [catalogue.producer.legal_name]
    assert head.meta["og:image"] == [f"{BASE}/catalogue/producers/{catalogue.producer.pk}/card.png"]
    data = json.loads(head.scripts[0])
    assert data["@type"] == "Organization" and data["name"] == catalogue.producer.legal_name
    assert [offer["itemOffered"]["url"] for offer in data["makesOffer"]] == [
        f"{BASE}/catalogue/products/{catalogue.tea.pk}/"
    ]
    raw = head.scripts[0]
    for private in (catalogue.producer.tax_code, catalogue.producer.phone, catalogue.producer.email):
        assert private not in raw


def test_it_serves_robots_txt_pointing_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    for path in ("/admin/", "/accounts/", "/api/", "/scan/", "/dashboard/"):
        assert f"Disallow: {path}" in lines
    assert "Allow: /api/catalogue/" in lines
    assert f"Sitemap: {BASE}/sitemap.xml" in lines


def test_it_lists_public_pages_only_in_the_sitemap(client, catalogue):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)  # noqa: S314 (our own answer)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = {loc.text for loc in root.findall("s:url/s:loc", ns)}
    assert f"{BASE}/" in locs and f"{BASE}/catalogue/" in locs
    assert f"{BASE}/catalogue/products/{catalogue.tea.pk}/" in locs
    assert f"{BASE}/catalogue/products/{catalogue.other_province.pk}/" in locs
    assert f"{BASE}/catalogue/producers/{catalogue.producer.pk}/" in locs
    assert f"{BASE}/catalogue/?province={catalogue.tea.province_id}" in locs
    for hidden in (catalogue.draft, catalogue.registered, catalogue.expired):
        assert f"{BASE}/catalogue/products/{hidden.pk}/" not in locs
    assert all(node.text for node in root.findall("s:url/s:lastmod", ns))
