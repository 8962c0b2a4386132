"""The public catalogue's pages (no login): browse with filters, a product, a producer.

The product page's content is the same for every visitor of one language: its head (share tags,
JSON-LD) and body are rendered once per product, content language and UI language and kept in the
resolver's per-process cache (traceability.lookup), dropped when a service changes products,
texts, images or certificates (the generation) and after CACHE_SECONDS at most. The site's frame
around them (menu, language form, CSRF token) is rendered per request."""

import random
from dataclasses import dataclass
from types import SimpleNamespace
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from certificates.selectors import current_certificate
from market import selectors_catalogue as selectors
from market import sharing
from places.models import Province
from registry.models import Entity, OcopGroup, Product, Recognition
from traceability import lookup, scan_story
from trade import selectors as trade_selectors
from web.pagination import paginate
from web.refusals import get_or_404

# Every service that changes what these pages show moves the generation (products, texts, images,
# certificates, recognitions, the producer, trade channels, outlets and fairs); the lifetime is a
# backstop, spread over its last quarter so that a process's pages do not all expire at once (a
# 60-second lifetime made the whole catalogue re-render every minute under load).
CACHE_SECONDS = settings.OCOP_SCAN_PAGE_CACHE_SECONDS


def _lifetime() -> float:
    return CACHE_SECONDS * random.uniform(0.75, 1.0)  # noqa: S311 (not for security)


PRODUCER_PRODUCTS = 60  # a producer's page lists its public products, up to this many


def _requested_language(request) -> str:
    return scan_story.content_language(
        request.GET.get("lang", "")[:8],
        request.META.get("HTTP_ACCEPT_LANGUAGE", "")[:500],
        request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")[:8],
    )


def browse(request):
    today = timezone.localdate()
    filters = selectors.browse_filters(request.GET)
    query = request.GET.get("q", "")[:200].strip()
    products = selectors.catalogue_products(filters, today=today, query=query)
    english = (translation.get_language() or "vi") != "vi"
    # Facet links carry the filters as understood (a dropped bad value is not carried on).
    kept = {
        "q": query,
        "province": filters.province,
        "commune": filters.commune,
        "group": filters.group,
        "star": str(filters.star or ""),
        "recognition": filters.recognition,
    }
    facets = [
        (_("Stars"), "star", selectors.star_counts(products)),
        (_("OCOP group"), "group", selectors.group_counts(products, english=english)),
        (_("Province"), "province", selectors.province_counts(products)),
        (_("Commune"), "commune", selectors.commune_counts(products) if filters.province else []),
        (_("Recognition"), "recognition", selectors.recognition_counts(products, today=today)),
    ]
    context = {
        "filters": filters,
        "query": query,
        "page": paginate(request, products),
        "facets": [
            (title, name, [(facet, _link(kept, name, facet.value)) for facet in items])
            for title, name, items in facets
            if items
        ],
        "all_provinces": Province.objects.order_by("name_folded").only("code", "name"),
        "communes": facets[3][2],
        "all_groups": OcopGroup.objects.all(),
        "recognition_kinds": Recognition.Kind.choices,
        "star_choices": selectors.STARS,
    }
    return render(request, "market/browse.html", context)


def _link(kept: dict[str, str], name: str, value: str) -> str:
    params = {**kept, name: value}
    if name == "province":
        params["commune"] = ""
    return "?" + urlencode({key: v for key, v in params.items() if v})


@dataclass
class Rendered:
    found: bool
    head: str = ""
    body: str = ""
    title: str = ""
    language: str = "vi"


def product(request, pk: int):
    requested = _requested_language(request)
    # A visitor who chose a content language by link reads the page's own words in it when the UI has
    # them (vi, en), else in English; otherwise the site's language (cookie, browser) stays.
    ui = scan_story.ui_language(requested) if "lang" in request.GET else translation.get_language()
    lookup.generation_check()
    with translation.override(ui):
        rendered = lookup.remember(
            ("catalogue-product", pk, requested, ui), lambda: _product_render(pk, requested), _lifetime()
        )
        if not rendered.found:
            get_or_404(selectors.product_page, pk)  # raises the site's 404
        context = {
            "head": mark_safe(rendered.head),  # noqa: S308 (rendered by our templates)
            "body": mark_safe(rendered.body),  # noqa: S308
            "title": rendered.title,
        }
        if _same_for_every_visitor(request):
            frame = lookup.remember(
                ("catalogue-product-page", pk, requested, ui),
                lambda: _anonymous_page(request, context),
                _lifetime(),
            )
            response = HttpResponse(
                frame.replace(CSRF_MARK, get_token(request)).replace(
                    NEXT_MARK, escape(request.get_full_path()[:2000])
                )
            )
        else:
            response = render(request, "market/product.html", context)
    response["Content-Language"] = rendered.language
    response["Vary"] = "Accept-Language, Cookie"
    return response


# An anonymous visitor's page differs from another's only by its CSRF token (the language form) and
# the address the language form returns to: the whole page is kept with two marks put back per
# request, so a warm product page costs no template rendering.
CSRF_MARK = "ocop-csrf-mark-5f1c"
NEXT_MARK = "ocop-next-mark-5f1c"


def _same_for_every_visitor(request) -> bool:
    return not request.user.is_authenticated and not list(messages.get_messages(request))


def _anonymous_page(request, context: dict) -> str:
    marked = {**context, "csrf_token": CSRF_MARK, "request": SimpleNamespace(get_full_path=NEXT_MARK)}
    return render_to_string("market/product.html", marked, request=request)


def _product_render(pk: int, requested: str) -> Rendered:
    try:
        product = selectors.product_page(pk)
    except Product.DoesNotExist:
        return Rendered(found=False)
    today = timezone.localdate()
    story = scan_story.story_of(product, requested)
    certificate = scan_story.certificate_state(product, today=today)
    images = selectors.images_of(product)
    packagings = selectors.packagings_of(product)
    share = sharing.product_share(product, story, images)
    valid = current_certificate(product.pk)
    json_ld = sharing.product_json_ld(
        product,
        story=story,
        share=share,
        certificate=certificate,
        issuer=valid.issuer_vi if valid else "",
        gtins=[p.gtin for p in packagings if p.gtin],
    )
    context = {
        "product": product,
        "story": story,
        "certificate": certificate,
        "images": images,
        "packagings": packagings,
        "recognitions": selectors.recognitions_of(product, today=today),
        "export_markets": selectors.export_markets_of(product, today=today),
        "where_to_buy": render_to_string(
            "trade/_where_to_buy.html", {"where_to_buy": trade_selectors.where_to_buy(product)}
        ),
        "events": render_to_string(
            "trade/_product_events.html", {"product_events": trade_selectors.events_of(product)}
        ),
        "share": share,
        "json_ld": sharing.json_ld_script(json_ld),
        "group": product.category.subgroup.group,
        "english": (translation.get_language() or "vi") != "vi",
    }
    return Rendered(
        found=True,
        head=render_to_string("market/_share_head.html", context),
        body=render_to_string("market/_product_body.html", context),
        title=story.name,
        language=story.language,
    )


def producer(request, pk: int):
    entity = get_or_404(selectors.producer_page, pk)
    today = timezone.localdate()
    products = list(selectors.producer_products(entity, today=today)[:PRODUCER_PRODUCTS])
    language = translation.get_language() or "vi"
    share = sharing.producer_share(entity, language=language)
    listed = [
        (_name_of(p, language), sharing.absolute(reverse("market:product", args=[p.pk]))) for p in products
    ]
    context = {
        "entity": entity,
        "products": products,
        "share": share,
        "json_ld": sharing.json_ld_script(sharing.producer_json_ld(entity, share, listed)),
        "kind": Entity.Kind(entity.kind).label if entity.kind in Entity.Kind.values else "",
    }
    return render(request, "market/producer.html", context)


def _name_of(product: Product, language: str) -> str:
    tr = product.translation(language)
    return tr.name if tr else ""
