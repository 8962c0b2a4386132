"""Shopping feeds of public products, per producer or per province, for Google Merchant Center (RSS 2.0
with the g: namespace, or its CSV form) and Facebook/Meta catalogues (CSV). Content in Vietnamese,
the market's language; prices in VND when the producer gave them. Only public products (the
catalogue's selector), only public fields."""

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from django.urls import reverse

from market.sharing import absolute, plain
from ocop_hub.spreadsheet import formula_safe
from registry.models import Product

GOOGLE_NS = "http://base.google.com/ns/1.0"
ET.register_namespace("g", GOOGLE_NS)

# Google's product taxonomy (by its path text, which Merchant Center accepts as well as the number):
# the criteria set when it says more than its group, else the group. Group VI (tourism services) is
# not goods and is left out of shopping feeds altogether (Merchant Center lists no services).
TAXONOMY_BY_SET = {
    "QD26-11": "Food, Beverages & Tobacco > Beverages > Tea & Infusions",
    "QD26-12": "Food, Beverages & Tobacco > Beverages > Tea & Infusions",
    "QD26-13": "Food, Beverages & Tobacco > Beverages > Coffee",
    "QD26-14": "Food, Beverages & Tobacco > Beverages > Alcoholic Beverages",
    "QD26-15": "Food, Beverages & Tobacco > Beverages > Alcoholic Beverages",
    "QD26-16": "Food, Beverages & Tobacco > Beverages > Water",
    "QD26-19": "Health & Beauty > Personal Care > Cosmetics",
    "QD26-21": "Home & Garden > Decor",
    "QD26-22": "Apparel & Accessories",
    "QD26-25": "Animals & Pet Supplies",
}
TAXONOMY_BY_GROUP = {
    "I": "Food, Beverages & Tobacco > Food Items",
    "II": "Food, Beverages & Tobacco > Beverages",
    "III": "Health & Beauty",
    "IV": "Arts & Entertainment > Hobbies & Creative Arts > Arts & Crafts",
    "V": "Home & Garden > Plants",
}
NOT_GOODS_GROUPS = {"VI"}

GOOGLE_COLUMNS = (
    "id",
    "title",
    "description",
    "link",
    "image_link",
    "availability",
    "price",
    "brand",
    "condition",
    "google_product_category",
    "gtin",
    "identifier_exists",
)
FACEBOOK_COLUMNS = (
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


@dataclass(frozen=True)
class FeedItem:
    id: str
    title: str
    description: str
    link: str
    image_link: str
    price: str  # "120000 VND", or "" when the producer gave none
    brand: str
    google_product_category: str
    gtin: str


def _item(product: Product) -> FeedItem:
    texts = {tr.language: tr for tr in product.translations.all()}
    vi = texts.get("vi")
    name = vi.name if vi else ""
    images = sorted(product.images.all(), key=lambda image: (image.position, image.pk))
    image = images[0].image.url if images else reverse("market:product_card", args=[product.pk])
    gtins = [p.gtin for p in product.packagings.all() if p.gtin]
    price = product.price_min_vnd or product.price_max_vnd
    return FeedItem(
        id=f"ocop-{product.pk}",
        title=name[:150],
        description=(plain((vi.short_description or vi.story) if vi else "", 5000) or name),
        link=absolute(reverse("market:product", args=[product.pk])),
        image_link=absolute(image),
        price=f"{price} VND" if price else "",
        brand=product.entity.legal_name[:70],
        google_product_category=TAXONOMY_BY_SET.get(product.category_id)
        or TAXONOMY_BY_GROUP.get(product.category.subgroup.group_id, ""),
        gtin=gtins[0] if gtins else "",
    )


def feed_items(products: Iterable[Product]) -> list[FeedItem]:
    return [_item(p) for p in products if p.category.subgroup.group_id not in NOT_GOODS_GROUPS]


def google_rss(items: list[FeedItem], *, title: str, link: str, description: str) -> bytes:
    rss = ET.Element("rss", {"version": "2.0"})
    channel = ET.SubElement(rss, "channel")
    ET.SubElement(channel, "title").text = title
    ET.SubElement(channel, "link").text = link
    ET.SubElement(channel, "description").text = description
    for item in items:
        node = ET.SubElement(channel, "item")
        for name, value in _google_values(item):
            if value:
                ET.SubElement(node, f"{{{GOOGLE_NS}}}{name}").text = value
    return ET.tostring(rss, encoding="utf-8", xml_declaration=True)


def _google_values(item: FeedItem) -> list[tuple[str, str]]:
    return [
        ("id", item.id),
        ("title", item.title),
        ("description", item.description),
        ("link", item.link),
        ("image_link", item.image_link),
        ("availability", "in_stock"),
        ("price", item.price),
        ("brand", item.brand),
        ("condition", "new"),
        ("google_product_category", item.google_product_category),
        ("gtin", item.gtin),
        # Without a GTIN the product is a local one without a barcode: say so rather than be refused.
        ("identifier_exists", "" if item.gtin else "no"),
    ]


def google_csv(items: list[FeedItem]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(GOOGLE_COLUMNS)
    for item in items:
        writer.writerow([formula_safe(value) for _name, value in _google_values(item)])
    return out.getvalue()


def facebook_csv(items: list[FeedItem]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FACEBOOK_COLUMNS)
    for item in items:
        row = {
            "id": item.id,
            "title": item.title,
            "description": item.description,
            "availability": "in stock",
            "condition": "new",
            "price": item.price,
            "link": item.link,
            "image_link": item.image_link,
            "brand": item.brand,
        }
        writer.writerow([formula_safe(row[name]) for name in FACEBOOK_COLUMNS])
    return out.getvalue()
