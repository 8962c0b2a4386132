"""The consumer scan page, built to answer thousands of scans a second (issue 7's bench: at least 5%
of nginx serving a static file) while staying exact about the code in hand.

A page has two halves:
- the product half (everything but the verdict: product, producer, certificate, story, journey,
  areas), the same for every serial of a lot in one language: rendered once and kept per process in
  the resolver's cache (traceability.lookup), which is dropped when the resolver generation moves
  (a write of a GTIN, lot, link, product text, recording or certificate) and after
  OCOP_SCAN_PAGE_CACHE_SECONDS at most;
- the verdict, computed for each request: the serial's state (scans.serial_memory: one query, or
  none when this process read it recently), the scan recorded in the buffer (scans.services.scan_observe),
  the "potential suspect" box, the first-check date, the link to report a fake.

`answer()` is called by the lean WSGI dispatcher in front of Django (ocop_hub.wsgi) and by Django's
URL (traceability.views.scan), so both serve the same bytes and share the tests. The page carries no
CSRF token and no session: the report form is its own page, the location check is a JSON post."""

from dataclasses import dataclass
from functools import cache, cached_property
from http.cookies import SimpleCookie
from types import SimpleNamespace
from typing import NamedTuple
from urllib.parse import parse_qs

from django.conf import settings
from django.http.request import HttpHeaders
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.module_loading import import_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from scans import rules as scan_rules
from scans.serial_memory import serial_state_remembered
from scans.services import scan_observe
from scans.verdict import verdict_html
from traceability import digital_link, lookup, scan_story, selectors
from traceability.resolver import Answer

MARK = "<!--ocop:verdict-->"
SCAN_PHOTOS = 4  # the first large, the others as a row of small ones (thumbnails, lazy-loaded)
# What the code's own findings already say (a recall with its reason): the scans' rules do not
# repeat it. A certificate rule of the scans names expired/revoked: the generic sentence goes.
STATED_BY_THE_CODE = {"never_issued", "voided", "recalled"}
CERTIFICATE_RULES = {"certificate_expired", "certificate_revoked"}


@dataclass
class ProductHalf:
    status: int
    head: str
    tail: str
    context: dict  # product, link (without serial), lot, warnings, certificate_valid_until


class MetaRequest:
    """What scans needs of a request (the visitor's address and browser) from a WSGI environ."""

    def __init__(self, meta: dict):
        self.META = meta

    @cached_property
    def headers(self) -> HttpHeaders:
        return HttpHeaders(self.META)


def _languages(meta: dict, query: dict) -> str:
    cookies = SimpleCookie()
    try:
        cookies.load(meta.get("HTTP_COOKIE", ""))
    except Exception:  # a malformed cookie header: as if there were none
        cookies = SimpleCookie()
    chosen = cookies.get(settings.LANGUAGE_COOKIE_NAME)
    return scan_story.content_language(
        (query.get("lang") or [""])[0], meta.get("HTTP_ACCEPT_LANGUAGE", ""), chosen.value if chosen else ""
    )


def answer(*, meta: dict, path: str, query: str) -> Answer:
    """The scan page of `path` ("/01/…" or "/p/…", the part after /scan)."""
    params = parse_qs(query[:2000], keep_blank_values=True)
    requested = _languages(meta, params)
    headers = [
        ("Content-Type", "text/html; charset=utf-8"),
        ("Content-Language", requested),
        ("Vary", "Accept-Language, Cookie"),
        ("Cache-Control", "no-store"),  # every scan must reach the page that counts it
    ]
    with translation.override(scan_story.scan_ui_language(requested)):
        try:
            link = selectors.scan_link(path)
        except digital_link.DigitalLinkError as exc:
            problem = _("This code is not a valid GS1 Digital Link: %(error)s") % {"error": exc}
            body = render_to_string("traceability/scan.html", {"problem": problem})
            return Answer(400, headers, body.encode())
        lookup.generation_check()
        half = _product_half(link, requested)
        if half.status != 200:
            return Answer(half.status, headers, (half.head + half.tail).encode())
        verdict = _verdict(meta, link, half.context, record="lang" not in params)
    return Answer(200, headers, (half.head + verdict + half.tail).encode())


def _product_half(link, requested: str) -> ProductHalf:
    key = ("scan-page", link.gtin if hasattr(link, "gtin") else f"p{link.product_id}", link.lot, requested)
    return lookup.remember(
        key, lambda: _render_product_half(link, requested), settings.OCOP_SCAN_PAGE_CACHE_SECONDS
    )


def _render_product_half(link, requested: str) -> ProductHalf:
    context = selectors.scan_product(link)
    if "product" not in context:
        body = render_to_string("traceability/scan.html", context)
        return ProductHalf(context["status"], body, "", context)
    product, lot = context["product"], context["lot"]
    certificate = scan_story.certificate_state(product, today=timezone.localdate())
    areas = scan_story.lot_areas(lot) if lot else []
    context.update(
        # Shared by every serial of the lot: the template sees the code without its serial (the
        # serial is the verdict's, per request).
        link=SimpleNamespace(
            gtin=getattr(link, "gtin", None), lot=link.lot, product_id=getattr(link, "product_id", None)
        ),
        story=scan_story.story_of(product, requested),
        certificate=certificate,
        certificate_valid_until=certificate.valid_until if certificate.is_good else None,
        journey=scan_story.lot_journey(lot) if lot else [],
        areas=areas,
        areas_geojson=selectors.areas_geojson([shape.area for shape in areas]),
        images=list(product.images.order_by("position", "id")[:SCAN_PHOTOS]),
        tile_url=settings.OCOP_MAP_TILE_URL,
        tile_attribution=settings.OCOP_MAP_ATTRIBUTION,
        verdict=mark_safe(MARK),  # noqa: S308 (a constant comment)
        sections=[section(product=product, language=requested) for section in _sections()],
    )
    page = render_to_string("traceability/scan.html", context)
    head, _mark, tail = page.partition(MARK)
    kept = {name: context[name] for name in ("product", "lot", "warnings", "certificate_valid_until")}
    return ProductHalf(200, head, tail, kept)


def _verdict(meta: dict, link, kept: dict, *, record: bool) -> str:
    """The per-request half: the serial's state, the scan recorded, one "potential suspect" box."""
    product = kept["product"]
    state = serial_state_remembered(product_id=product.pk, serial_value=link.serial) if link.serial else None
    serial = _SerialSeen(state.serial_id, link.serial, state.status) if state else None
    context = {
        **kept,
        "link": link,
        "serial": serial,
        "serial_state": state,
        "warnings": [*selectors.serial_warnings(link, serial), *kept["warnings"]],
    }
    scan = scan_observe(request=MetaRequest(meta), context=context, record=record)
    stated = {
        scan_rules.reason(rule, link=link, scan_count=scan["scan_count"])
        for rule in scan["rules"]
        if rule in STATED_BY_THE_CODE
    }
    warnings = context["warnings"]
    if CERTIFICATE_RULES & set(scan["rules"]):
        warnings = [w for w in warnings if w != _("This product has no valid OCOP certificate.")]
    scan["suspect_reasons"] = warnings + [r for r in scan["suspect_reasons"] if r not in stated]
    scan["suspect"] = bool(scan["suspect_reasons"])
    language = translation.get_language()
    t = _fixed(language)
    ok = "" if scan["suspect"] else t["ok"]
    serial_line = (
        f'<p class="scan-serial">{t["serial"]}: '
        f'<strong data-testid="scan-serial">{escape(link.serial)}</strong></p>'
        if link.serial
        else ""
    )
    report = (
        f'<p class="scan-report-link"><a class="btn secondary" href="{escape(scan["report_url"])}&amp;lang='
        f'{escape(language)}" data-testid="scan-report-link">{t["report"]}</a></p>'
    )
    return f"{ok}{serial_line}{verdict_html(scan)}{report}"


@cache
def _sections() -> list:
    """What later apps add to the page (OCOP_SCAN_PAGE_SECTIONS: where to buy…), read through
    their own functions so that nothing here imports them."""
    return [import_string(path) for path in settings.OCOP_SCAN_PAGE_SECTIONS]


@cache
def _fixed(language: str | None) -> dict[str, str]:
    """The verdict half's fixed parts in the active language, translated and escaped once."""
    # Outside the f-string: xgettext does not look inside one, and the sentence went untranslated.
    registered = escape(_("This code is registered on OCOP Hub."))
    return {
        "ok": f'<p class="scan-ok" role="status" data-testid="scan-ok">✓ {registered}</p>',
        "serial": escape(_("Serial")),
        "report": escape(_("Report a possible fake")),
    }


class _SerialSeen(NamedTuple):
    """The serial as scans.rules and the warnings read it (id, value, status), from its state row."""

    pk: int
    value: str
    status: int
