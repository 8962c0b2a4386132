"""A GS1-Conformant resolver (Resolver standard 1.2) for the platform's GTINs.

`resolve()` is pure request → response logic, run by two front doors that share it and its tests:
`ResolverDispatch`, a small WSGI app in front of Django that answers `/01/…` and
`/.well-known/gs1resolver` without Django's middleware and URL routing (the scan path must serve
thousands of requests a second), and `views.resolver_view` behind Django's URLs.

What it does (section numbers of the Resolver standard 1.2):
- syntax errors → 400 (§2.4.1, with traceability.digital_link strict to URI Syntax 1.6);
- unknown GTIN → 404 with a page that says so; a known GTIN with an unknown lot or serial walks up
  to the GTIN's links (the scan page then warns that the serial was never issued);
- no linkType → 307 to the default link: the platform's scan page for that exact code;
- `?linkType=gs1:pip` (any link type, also as its IRI) → 307 to the best link of that type,
  honouring Accept-Language; a type the GTIN has no link for → 404; the rest of the query string is
  passed on to the target;
- `?linkType=linkset` (or the older `all`), or `Accept: application/linkset+json` → the RFC 9264
  linkset (200, application/linkset+json);
- every answer carries `Link: <…?linkType=linkset>; rel="linkset"` and CORS headers; HEAD and
  OPTIONS are answered; other methods → 405.
"""

import json
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.db import DatabaseError, connection

from traceability import digital_link, lookup, platform_ids

GS1_VOC = "https://gs1.org/voc/"
LINKSET_TYPE = "application/linkset+json"
LANGUAGES = ("vi", "en", "ja", "fr", "zh", "ko")
PRIMARY_PATHS = ("/01/", platform_ids.PREFIX)
WELL_KNOWN = "/.well-known/gs1resolver"


@dataclass
class Answer:
    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""


def _base() -> str:
    return settings.OCOP_PUBLIC_BASE_URL.rstrip("/")


def languages_ranked(accept_language: str) -> list[str]:
    """Accept-Language → our content languages by preference (q-values honoured), vi last."""
    return list(_languages_ranked(accept_language or ""))


@lru_cache(maxsize=512)  # browsers send a handful of distinct headers: parsed once each
def _languages_ranked(accept_language: str) -> tuple[str, ...]:
    ranked = []
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        lang = tag.strip().lower().split("-")[0]
        if lang in LANGUAGES and q > 0:
            ranked.append((-q, position, lang))
    ordered = [lang for _, _, lang in sorted(ranked)]
    return (*dict.fromkeys([*ordered, "vi"]),)


def _common_headers(anchor: str) -> list[tuple[str, str]]:
    return [
        ("Link", f'<{anchor}?linkType=linkset>; rel="linkset"; type="{LINKSET_TYPE}"'),
        ("Access-Control-Allow-Origin", "*"),
        ("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS"),
        ("Access-Control-Expose-Headers", "Link, Location"),
        ("Vary", "Accept, Accept-Language"),
        ("Cache-Control", "no-store"),  # a scan must reach the page that counts it
    ]


def _page(status: int, title: str, message: str, headers: list[tuple[str, str]] | None = None) -> Answer:
    body = (
        "<!doctype html><html lang=vi><meta charset=utf-8>"
        '<meta name=viewport content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><h1>{escape(title)}</h1><p>{escape(message)}</p>"
        f'<p><a href="{escape(_base())}/">OCOP Hub</a></p>'
    ).encode()
    return Answer(
        status,
        [
            *(headers or []),
            ("Content-Type", "text/html; charset=utf-8"),
            ("Access-Control-Allow-Origin", "*"),
        ],
        body,
    )


def well_known() -> Answer:
    description = {
        "name": "OCOP Hub resolver",
        "resolverRoot": _base(),
        "supportedPrimaryKeys": ["01"],
        "supportedLinkType": [{"namespace": GS1_VOC, "prefix": "gs1:"}],
        "linkTypeDefaultCanBeLinkset": False,
        "supportedContextValuesEnumerated": [],
        "supportedLanguages": list(LANGUAGES),
    }
    return Answer(
        200,
        [("Content-Type", "application/json"), ("Access-Control-Allow-Origin", "*")],
        json.dumps(description, ensure_ascii=False).encode(),
    )


def _linkset(anchor: str, default: str, links: list[lookup.Link]) -> bytes:
    entry: dict[str, object] = {"anchor": anchor}
    # The default link carries a title and no other attribute (GS1 resolver test suite, defaultLinkExists).
    entry[f"{GS1_VOC}defaultLink"] = [{"href": default, "title": "OCOP Hub"}]
    for link in links:
        relation = GS1_VOC + link.link_type.removeprefix("gs1:")
        entry.setdefault(relation, [])
        entry[relation].append(  # type: ignore[attr-defined]
            {"href": link.target, "title": link.title, "hreflang": [link.language], "type": "text/html"}
        )
    return json.dumps({"linkset": [entry]}, ensure_ascii=False).encode()


def _best(links: list[lookup.Link], link_type: str, languages: list[str]) -> lookup.Link | None:
    candidates = [link for link in links if link.link_type == link_type]
    for lang in languages:  # lot-level links come first in `links`, so they win within a language
        for link in candidates:
            if link.language == lang:
                return link
    return candidates[0] if candidates else None


def resolve(*, method: str, path: str, query: str, accept: str = "", accept_language: str = "") -> Answer:
    if path == WELL_KNOWN:
        return well_known()
    method = method.upper()
    if method == "OPTIONS":
        return Answer(
            204,
            [
                ("Allow", "GET, HEAD, OPTIONS"),
                ("Access-Control-Allow-Origin", "*"),
                ("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS"),
                ("Access-Control-Allow-Headers", "Accept, Accept-Language"),
            ],
        )
    if method not in ("GET", "HEAD"):
        return Answer(405, [("Allow", "GET, HEAD, OPTIONS")])
    lookup.generation_check()
    found = _platform_item(path) if path.startswith(platform_ids.PREFIX) else _gs1_item(path, query)
    if isinstance(found, Answer):
        return found
    canonical, links, key = found
    base = _base()
    anchor = base + canonical
    default = f"{base}/scan{canonical}"
    headers = _common_headers(anchor)
    pairs = parse_qsl(query, keep_blank_values=True)
    link_type = _link_type(dict(pairs).get("linkType", ""))
    # The rest of the query (data attributes such as 17=expiry, the caller's own keys) is passed on
    # to the target: "by default, SHALL pass on all key=value pairs in the query string".
    passed_on = urlencode([(k, v) for k, v in pairs if k != "linkType"])
    if link_type in ("linkset", "all") or (not link_type and LINKSET_TYPE in (accept or "")):
        body = _linkset(anchor, default, links)
        return Answer(200, [*headers, ("Content-Type", LINKSET_TYPE)], body)
    target = default
    if link_type and link_type != "gs1:defaultLink":
        best = _best(links, link_type, languages_ranked(accept_language))
        if best is None:  # "If the requested type of link is not available, the resolver SHALL return a 404"
            return _page(
                404,
                "Không có liên kết loại này / No link of this type",
                f"{link_type}: OCOP Hub has no such link for {key}. Without linkType you reach its page.",
                headers,
            )
        target = best.target
    if passed_on:
        target += ("&" if "?" in target else "?") + passed_on
    return Answer(307, [*headers, ("Location", target)])


def _gs1_item(path: str, query: str) -> Answer | tuple[str, list[lookup.Link], str]:
    """(canonical path, links, key) of a GS1 Digital Link, or the answer that refuses it."""
    try:
        link = digital_link.parse_path(path, query)
    except digital_link.DigitalLinkError as exc:
        return _page(400, "Mã không hợp lệ / Invalid code", str(exc))
    gtin = link.gtin
    item = lookup.item_for(gtin) if gtin else None
    if item is None:
        return _page(
            404,
            "Không tìm thấy mã này / Code not found",
            f"GTIN {gtin} chưa được đăng ký trên OCOP Hub. This GTIN is not registered on OCOP Hub: "
            "if it is printed on an OCOP product, the product may not be genuine.",
        )
    lot = lookup.lot_for(item.product_id, link.lot) if link.lot else None
    return link.path(), lookup.links_for(item.packaging_id, lot[0] if lot else None), f"GTIN {gtin}"


def _platform_item(path: str) -> Answer | tuple[str, list[lookup.Link], str]:
    """A product without a GTIN (platform identifier /p/…): its only link is the scan page."""
    try:
        link = platform_ids.parse_path(path)
    except digital_link.DigitalLinkError as exc:
        return _page(400, "Mã không hợp lệ / Invalid code", str(exc))
    if not lookup.product_known(link.product_id):
        return _page(
            404,
            "Không tìm thấy mã này / Code not found",
            f"Sản phẩm số {link.product_id} không có trên OCOP Hub. "
            "No such product on OCOP Hub: the product may not be genuine.",
        )
    return link.path(), [], f"product {link.product_id}"


def _link_type(value: str) -> str:
    """`gs1:pip`, or the same relation written as an IRI (as linksets name it)."""
    for namespace in (GS1_VOC, "http://gs1.org/voc/", "https://ref.gs1.org/voc/", "http://ref.gs1.org/voc/"):
        if value.startswith(namespace):
            return "gs1:" + value[len(namespace) :]
    return value


class ResolverDispatch:
    """WSGI: `/01/…` and the well-known description straight to `resolve`, the rest to Django."""

    def __init__(self, django_app):
        self.django_app = django_app

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        raw_path = (
            environ.get("RAW_URI", "").split("?", 1)[0] or environ.get("REQUEST_URI", "").split("?", 1)[0]
        )
        if path.startswith(SCAN_PREFIX) and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            return self._scan_page(environ, start_response, raw_path or path)
        if not (path.startswith(PRIMARY_PATHS) or path == WELL_KNOWN):
            return self.django_app(environ, start_response)
        request = {
            "method": environ.get("REQUEST_METHOD", "GET"),
            "path": raw_path or path,
            "query": environ.get("QUERY_STRING", ""),
            "accept": environ.get("HTTP_ACCEPT", ""),
            "accept_language": environ.get("HTTP_ACCEPT_LANGUAGE", ""),
        }
        answer = _reconnecting(resolve, **request)
        length = [] if answer.status == 204 else [("Content-Length", str(len(answer.body)))]
        start_response(f"{answer.status} {REASONS.get(answer.status, '')}", [*answer.headers, *length])
        return [] if environ.get("REQUEST_METHOD") == "HEAD" else [answer.body]

    def _scan_page(self, environ, start_response, path: str):
        """The consumer scan page (traceability.scan_page) without Django's middleware: the headers
        the middleware would add (security, CSP) are added here, once computed."""
        from traceability import scan_page

        page = _reconnecting(
            scan_page.answer,
            meta=environ,
            path=path.removeprefix("/scan"),
            query=environ.get("QUERY_STRING", ""),
        )
        headers = [*page.headers, *_page_security_headers(), ("Content-Length", str(len(page.body)))]
        start_response(f"{page.status} {REASONS.get(page.status, '')}", headers)
        return [] if environ.get("REQUEST_METHOD") == "HEAD" else [page.body]


def _reconnecting(handler, **request):
    """The thread keeps its database connection between scans (Django's per-request close would
    reconnect on every scan: most of a scan's cost); a broken connection is reopened once."""
    try:
        return handler(**request)
    except DatabaseError:
        connection.close()
        return handler(**request)


REASONS = {
    200: "OK",
    204: "No Content",
    307: "Temporary Redirect",
    400: "Bad Request",
    404: "Not Found",
    405: "Method Not Allowed",
}
SCAN_PREFIX = "/scan/"
_security: list[tuple[str, str]] = []


def _page_security_headers() -> list[tuple[str, str]]:
    """What SecurityMiddleware, XFrameOptionsMiddleware and the CSP middleware put on a page."""
    if not _security:
        from django.utils.csp import CSP, build_policy

        headers = [("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", settings.X_FRAME_OPTIONS)]
        if settings.SECURE_REFERRER_POLICY:
            headers.append(("Referrer-Policy", str(settings.SECURE_REFERRER_POLICY)))
        if settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
            headers.append(("Cross-Origin-Opener-Policy", settings.SECURE_CROSS_ORIGIN_OPENER_POLICY))
        if settings.SECURE_CSP:
            headers.append((str(CSP.HEADER_ENFORCE), build_policy(settings.SECURE_CSP)))
        _security.extend(headers)
    return _security
