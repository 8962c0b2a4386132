"""What machines read: the share card images, sitemap.xml, robots.txt, and the shopping feeds."""

import hashlib
from xml.etree import ElementTree as ET

from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from market import feeds, sharing
from market import selectors_catalogue as selectors
from places.models import Province
from registry.models import Product
from traceability import lookup, scan_story
from web.refusals import get_or_404

CARD_SECONDS = 24 * 3600  # a card changes with the product's name or stars: a day is plenty
FEED_SECONDS = 3600  # shopping platforms fetch feeds a few times a day
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
# Pages robots must not fetch: sign-in and account pages, the back office, every write of the API,
# and the scan pages and GS1 links (a robot opening a label's code would count as a scan).
ROBOTS_DISALLOW = (
    "/admin/",
    "/accounts/",
    "/account/",
    "/dashboard/",
    "/my/",
    "/i18n/",
    "/scan/",
    "/01/",
    "/api/",
)
ROBOTS_ALLOW = ("/api/catalogue/",)


def _png(request, body: bytes) -> HttpResponse:
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    if request.headers.get("If-None-Match") == etag:
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type="image/png")
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={CARD_SECONDS}"
    return response


@require_GET
def product_card(request, pk: int):
    lookup.generation_check()

    def draw() -> bytes | None:
        try:
            product = selectors.product_page(pk)
        except Product.DoesNotExist:
            return None
        certificate = scan_story.certificate_state(product, today=timezone.localdate())
        place = f"{product.entity.legal_name} · {product.province.short_name}"
        stars = certificate.stars if certificate.is_good else 0
        return sharing.card_png(title=product.name_vi, subtitle=place, stars=stars)

    body = lookup.remember(("catalogue-card", pk), draw, CARD_SECONDS)
    if body is None:
        raise Http404(_("Not found, or not in your jurisdiction."))
    return _png(request, body)


@require_GET
def producer_card(request, pk: int):
    entity = get_or_404(selectors.producer_page, pk)
    body = lookup.remember(
        ("catalogue-producer-card", pk),
        lambda: sharing.card_png(
            title=entity.legal_name, subtitle=f"{entity.commune.name}, {entity.province.short_name}"
        ),
        CARD_SECONDS,
    )
    return _png(request, body)


@require_GET
def robots(request):
    lines = ["User-agent: *"]
    lines += [f"Allow: {path}" for path in ROBOTS_ALLOW]
    lines += [f"Disallow: {path}" for path in ROBOTS_DISALLOW]
    lines += ["", f"Sitemap: {sharing.absolute(reverse('market:sitemap'))}", ""]
    response = HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_GET
def sitemap(request):
    """Every public product and producer page, the home and browse pages, and each province's browse
    page (under the 50,000 addresses one sitemap file may hold at the national scale of ~18,000
    products and ~10,000 producers)."""
    urlset = ET.Element("urlset", {"xmlns": SITEMAP_NS})

    def add(path: str, lastmod=None) -> None:
        url = ET.SubElement(urlset, "url")
        ET.SubElement(url, "loc").text = sharing.absolute(path)
        if lastmod is not None:
            ET.SubElement(url, "lastmod").text = lastmod.date().isoformat()

    add(reverse("web:home"))
    browse = reverse("market:browse")
    add(browse)
    for facet in selectors.provinces_with_products(today=timezone.localdate()):
        add(f"{browse}?province={facet.value}")
    for pk, updated in selectors.sitemap_products():
        add(reverse("market:product", args=[pk]), updated)
    for pk, updated in selectors.sitemap_producers():
        add(reverse("market:producer", args=[pk]), updated)
    body = ET.tostring(urlset, encoding="utf-8", xml_declaration=True)
    response = HttpResponse(body, content_type="application/xml; charset=utf-8")
    response["Cache-Control"] = "public, max-age=3600"
    return response


FEED_FORMATS = {
    "google.xml": "application/rss+xml; charset=utf-8",
    "google.csv": "text/csv; charset=utf-8",
    "facebook.csv": "text/csv; charset=utf-8",
}


def _feed(request, items: list[feeds.FeedItem], fmt: str, *, title: str, link: str) -> HttpResponse:
    if fmt == "google.xml":
        description = _("OCOP products of %(name)s") % {"name": title}
        body: bytes | str = feeds.google_rss(items, title=title, link=link, description=description)
    elif fmt == "google.csv":
        body = feeds.google_csv(items)
    else:
        body = feeds.facebook_csv(items)
    response = HttpResponse(body, content_type=FEED_FORMATS[fmt])
    response["Cache-Control"] = f"public, max-age={FEED_SECONDS}"
    return response


@require_GET
def feed_entity(request, pk: str, fmt: str):
    entity = get_or_404(selectors.feed_entity, int(pk))
    products = selectors.feed_products(today=timezone.localdate(), entity=entity)
    link = sharing.absolute(reverse("market:producer", args=[entity.pk]))
    return _feed(request, feeds.feed_items(products), fmt, title=entity.legal_name, link=link)


@require_GET
def feed_province(request, code: str, fmt: str):
    try:
        province = selectors.feed_province(code)
    except Province.DoesNotExist as exc:
        raise Http404(_("There is no province with the code “%(code)s”.") % {"code": code[:10]}) from exc
    products = selectors.feed_products(today=timezone.localdate(), province=province)
    link = sharing.absolute(reverse("market:browse") + f"?province={province.code}")
    return _feed(request, feeds.feed_items(products), fmt, title=province.name, link=link)
