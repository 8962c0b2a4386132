"""GS1's resolver conformance checks as pytest assertions, through both front doors of the resolver.

The statements are those of the GS1-Conformant resolver standard 1.2 as GS1's own "Digital Link
Resolver Test Suite" checks them (github.com/gs1/GS1DL-resolver-testsuite: `Conformance1_2.txt`, the
statement list, and `GS1DigitalLinkResolverTestSuite.js`, the hosted suite; each docstring below names
the suite's test id where there is one). HTTP details are cited from RFC 9110, the linkset from
RFC 9264 §4.2.

Every assertion runs twice: through Django (`traceability.views.resolver_view`, the test client) and
through the WSGI fast path (`ocop_hub.wsgi.application`, `traceability.resolver.ResolverDispatch`)
with a hand-built environ. Both get the raw request target as gunicorn passes it (`RAW_URI`), since
WSGI's PATH_INFO is already percent-decoded and a lot such as "L1/2026" travels as `L1%2F2026`.

`jsonschema` is not installed in this project, so the linkset is checked by `linkset_problems()`
below: RFC 9264 §4.2 plus the GS1 profile (GS1 Web vocabulary relation types, a titled
gs1:defaultLink), with tests of its own showing it refuses what it should.
"""

import json
import re
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from urllib.parse import unquote_to_bytes, urlsplit

import pytest
from biip.checksums import gs1_standard_check_digit
from django.test import Client

from registry.services import packaging_add
from tests.factories import make_product
from traceability import lookup
from traceability.services import lot_create, resolver_link_add

pytestmark = pytest.mark.django_db

BASE = "https://ocop.example.vn"
GS1_VOC = "https://gs1.org/voc/"
LINKSET_TYPE = "application/linkset+json"

GTIN = "09506000134352"  # GS1's example GTIN, registered by the `item` fixture
UNKNOWN_GTIN = "0950600013437" + str(gs1_standard_check_digit("0950600013437"))  # valid, never registered
WRONG_CHECK_DIGIT = GTIN[:-1] + str((int(GTIN[-1]) + 1) % 10)
LOT = "L1/2026"  # a "/" in a lot: the path carries it percent-encoded
LOT_SEGMENT = "L1%2F2026"
UNKNOWN_SERIAL = "NEVERISSUED1"

GTIN_PATH = f"/01/{GTIN}"
LOT_PATH = f"/01/{GTIN}/10/{LOT_SEGMENT}"
SERIAL_PATH = f"/01/{GTIN}/21/{UNKNOWN_SERIAL}"
UNKNOWN_PATH = f"/01/{UNKNOWN_GTIN}"
SYNTAX_ERROR_PATH = f"/01/{GTIN}/foo"  # what GS1's suite sends: a valid DL URI with "/foo" appended

PIP_VI = "https://htx-che.example.vn/vi/san-pham"
PIP_EN = "https://htx-che.example.vn/en/product"
CERT_VI = "https://htx-che.example.vn/vi/chung-nhan"
LOT_PIP_VI = "https://htx-che.example.vn/vi/lo/l1-2026"

VECTORS = json.loads(
    (Path(__file__).parent / "data" / "gs1-digital-link-test-vectors.json").read_text("utf-8")
)
RESOLVER_CASES = [
    case for case in VECTORS["cases"] if case.get("resolver", {}).get("expect") in ("400", "not-400")
]
VECTOR_GTIN = "09520123456788"  # registered for the vectors, so their not-400 cases also walk up (307)


def default_link(path: str) -> str:
    """The platform's default link for a request path: its scan page for that exact code."""
    return f"{BASE}/scan{path}"


# --- the two front doors ---------------------------------------------------------------------------


@dataclass
class Reply:
    status: int
    headers: dict[str, str]  # names lower-cased, repeated fields joined with ", "
    body: bytes

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")

    def json(self):
        return json.loads(self.body)

    def media_type(self) -> str:
        return self.header("Content-Type").split(";", 1)[0].strip().lower()


def _extra(accept: str, accept_language: str) -> dict[str, str]:
    extra = {}
    if accept:
        extra["HTTP_ACCEPT"] = accept
    if accept_language:
        extra["HTTP_ACCEPT_LANGUAGE"] = accept_language
    return extra


def _through_django(method: str, target: str, extra: dict) -> Reply:
    path, _, query = target.partition("?")
    response = Client().generic(method, path, RAW_URI=target, QUERY_STRING=query, **extra)
    return Reply(response.status_code, {k.lower(): v for k, v in response.headers.items()}, response.content)


def _through_wsgi(method: str, target: str, extra: dict[str, str]) -> Reply:
    from ocop_hub.wsgi import application

    path, _, query = target.partition("?")
    environ = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": unquote_to_bytes(path).decode("iso-8859-1"),  # decoded, as WSGI servers give it
        "QUERY_STRING": query,
        "RAW_URI": target,  # gunicorn: the request target as received
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "testserver",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": BytesIO(b""),
        "wsgi.errors": BytesIO(),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        **extra,
    }
    started: dict[str, object] = {}

    def start_response(status, headers, exc_info=None):
        started["status"], started["headers"] = status, headers
        return lambda data: None

    result = application(environ, start_response)
    try:
        body = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    headers: dict[str, str] = {}
    for name, value in started["headers"]:  # type: ignore[attr-defined]
        key = name.lower()
        headers[key] = f"{headers[key]}, {value}" if key in headers else value
    return Reply(int(str(started["status"]).split()[0]), headers, body)


DOORS = {"django": _through_django, "wsgi": _through_wsgi}


@pytest.fixture(params=list(DOORS))
def http(request):
    """`http(target, method=…, accept=…, accept_language=…)`: one request through one front door;
    `target` is the request target as on the wire (raw path and query)."""
    door = DOORS[request.param]

    def send(target: str, *, method: str = "GET", accept: str = "", accept_language: str = "") -> Reply:
        return door(method, target, _extra(accept, accept_language))

    return send


@pytest.fixture(autouse=True)
def _resolver(settings):
    settings.OCOP_PUBLIC_BASE_URL = BASE
    lookup.cache_clear()
    yield
    lookup.cache_clear()


@pytest.fixture
def item():
    """A certified product whose packaging carries GTIN, with a lot LOT and links: a product page in
    Vietnamese and English and a certificate page for the GTIN, and a lot-level product page."""
    product = make_product(status="certified")
    packaging = packaging_add(actor=None, product=product, size=100, unit="g", gtin=GTIN)
    lot = lot_create(actor=None, product=product, code=LOT, packaging=packaging)
    for link_type, language, target, lot_of_link in (
        ("gs1:pip", "vi", PIP_VI, None),
        ("gs1:pip", "en", PIP_EN, None),
        ("gs1:certificationInfo", "vi", CERT_VI, None),
        ("gs1:pip", "vi", LOT_PIP_VI, lot),
    ):
        resolver_link_add(
            actor=None,
            packaging=packaging,
            link_type=link_type,
            title=f"{link_type} {language}",
            language=language,
            target=target,
            lot=lot_of_link,
        )
    return packaging


# --- a linkset validator: RFC 9264 §4.2 with GS1's profile ----------------------------------------

GS1_RELATION = re.compile(r"https://(?:ref\.|www\.)?gs1\.org/voc/[A-Za-z][A-Za-z0-9]*")
ABSOLUTE_HTTP_URI = re.compile(r"https?://[^\s/?#]+[^\s]*")
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")
MEDIA_TYPE = re.compile(r"[\w.+-]+/[\w.+-]+(?:\s*;.*)?")
# RFC 9264 §4.2.4 target attributes, plus GS1's extensions (context, fwqs, public); anything else is
# refused, as GS1's linkset schema does.
TARGET_MEMBERS = frozenset(
    {"href", "title", "title*", "type", "hreflang", "media", "context", "fwqs", "public"}
)


def _target_problems(where: str, target) -> list[str]:
    if not isinstance(target, dict):
        return [f"{where}: a target is a JSON object (RFC 9264 §4.2.3)"]
    problems = []
    if not (isinstance(target.get("href"), str) and ABSOLUTE_HTTP_URI.fullmatch(target["href"])):
        problems.append(f'{where}: "href" is required, an absolute http(s) URI (RFC 9264 §4.2.3)')
    if not (isinstance(target.get("title"), str) and target["title"].strip()):
        problems.append(f'{where}: GS1 requires a human-readable "title" on every link')
    if "type" in target and not (isinstance(target["type"], str) and MEDIA_TYPE.fullmatch(target["type"])):
        problems.append(f'{where}: "type" is a media type string (RFC 9264 §4.2.4.1)')
    if "hreflang" in target:
        tags = target["hreflang"]
        if not (
            isinstance(tags, list)
            and tags
            and all(isinstance(t, str) and LANGUAGE_TAG.fullmatch(t) for t in tags)
        ):
            problems.append(f'{where}: "hreflang" is an array of language tags (RFC 9264 §4.2.4.1)')
    if "media" in target and not isinstance(target["media"], str):
        problems.append(f'{where}: "media" is a string (RFC 9264 §4.2.4.1)')
    if "title*" in target:
        values = target["title*"]
        if not (
            isinstance(values, list)
            and values
            and all(
                isinstance(v, dict)
                and isinstance(v.get("value"), str)
                and set(v) <= {"value", "language"}
                and isinstance(v.get("language", ""), str)
                for v in values
            )
        ):
            problems.append(
                f'{where}: "title*" is an array of {{value, language}} objects (RFC 9264 §4.2.4.2)'
            )
    unknown = sorted(set(target) - TARGET_MEMBERS)
    if unknown:
        problems.append(f"{where}: members {unknown} are not target attributes of GS1's linkset schema")
    return problems


def linkset_problems(document) -> list[str]:
    """What makes `document` not a GS1 linkset: RFC 9264 §4.2 (a JSON object whose sole member
    "linkset" is an array of link context objects; in each, an "anchor" and relation types whose
    values are arrays of target objects with "href"), GS1's profile (anchor required, relation types
    are GS1 Web vocabulary IRIs, every link titled, a gs1:defaultLink). Empty when valid."""
    if not isinstance(document, dict) or list(document) != ["linkset"]:
        return ['the document is a JSON object whose sole member is "linkset" (RFC 9264 §4.2.1)']
    contexts = document["linkset"]
    if not isinstance(contexts, list) or not contexts:
        return ['"linkset" is a non-empty array of link context objects (RFC 9264 §4.2.1)']
    problems: list[str] = []
    default_links = 0
    for index, context in enumerate(contexts):
        where = f"linkset[{index}]"
        if not isinstance(context, dict):
            problems.append(f"{where}: a link context object is a JSON object (RFC 9264 §4.2.2)")
            continue
        if not (isinstance(context.get("anchor"), str) and ABSOLUTE_HTTP_URI.fullmatch(context["anchor"])):
            problems.append(f'{where}: GS1 requires an "anchor", an absolute http(s) URI (RFC 9264 §4.2.2)')
        if "itemDescription" in context and not isinstance(context["itemDescription"], str):
            problems.append(f'{where}: "itemDescription" is a string')
        relations = [key for key in context if key not in ("anchor", "itemDescription")]
        if not relations:
            problems.append(f"{where}: a link context object holds at least one relation type")
        for relation in relations:
            if not GS1_RELATION.fullmatch(relation):
                problems.append(f"{where}: relation type {relation!r} is not a GS1 Web vocabulary IRI")
            targets = context[relation]
            if not isinstance(targets, list) or not targets:
                problems.append(
                    f"{where}.{relation}: a relation's value is an array of targets (RFC 9264 §4.2.2)"
                )
                continue
            if relation.endswith("/voc/defaultLink"):
                default_links += 1
                if len(targets) != 1:
                    problems.append(f"{where}: GS1 allows exactly one default link per anchor")
            for position, target in enumerate(targets):
                problems.extend(_target_problems(f"{where}.{relation}[{position}]", target))
    if not default_links:
        problems.append(f"no {GS1_VOC}defaultLink: GS1 requires one default link")
    return problems


def _model_linkset() -> dict:
    """A valid GS1 linkset in the shape of GS1's model (two levels, both vocabulary hosts, title*)."""
    return {
        "linkset": [
            {
                "anchor": "https://id.example.org/01/09506000134352",
                "itemDescription": "Trà shan tuyết",
                "https://gs1.org/voc/defaultLink": [{"href": "https://example.org/", "title": "Home"}],
                "https://ref.gs1.org/voc/pip": [
                    {
                        "href": "https://example.org/vi",
                        "title": "Sản phẩm",
                        "type": "text/html",
                        "hreflang": ["vi"],
                    },
                    {"href": "https://example.org/en", "title": "Product", "hreflang": ["en-GB"]},
                ],
                "https://gs1.org/voc/certificationInfo": [
                    {
                        "href": "https://example.org/c.pdf",
                        "title": "Cert",
                        "type": "application/pdf",
                        "context": ["VN"],
                    },
                    {
                        "href": "https://example.org/c",
                        "title": "Cert",
                        "title*": [{"value": "Chứng nhận", "language": "vi"}],
                    },
                ],
            },
            {
                "anchor": "https://id.example.org/01/09506000134352/21/1234",
                "https://gs1.org/voc/traceability": [
                    {"href": "https://example.org/t/1234", "title": "Trace"}
                ],
            },
        ]
    }


def _broken(mutate) -> dict:
    document = _model_linkset()
    mutate(document)
    return document


def _set(path: list, value):
    def mutate(document):
        node = document
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return mutate


def _delete(path: list):
    def mutate(document):
        node = document
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]

    return mutate


BROKEN_LINKSETS = {
    "not-an-object": lambda d: d.clear(),
    "extra-top-level-member": _set(["itemDescription"], "x"),
    "linkset-not-an-array": _set(["linkset"], {"anchor": "https://id.example.org/01/09506000134352"}),
    "no-anchor": _delete(["linkset", 0, "anchor"]),
    "relative-anchor": _set(["linkset", 0, "anchor"], "/01/09506000134352"),
    "curie-relation": _set(["linkset", 0, "gs1:pip"], [{"href": "https://example.org/", "title": "x"}]),
    "iana-relation": _set(["linkset", 0, "describedby"], [{"href": "https://example.org/", "title": "x"}]),
    "relation-value-object": _set(
        ["linkset", 0, "https://gs1.org/voc/pip"], {"href": "https://example.org/"}
    ),
    "no-href": _delete(["linkset", 0, "https://ref.gs1.org/voc/pip", 0, "href"]),
    "no-title": _delete(["linkset", 0, "https://ref.gs1.org/voc/pip", 0, "title"]),
    "hreflang-string": _set(["linkset", 0, "https://ref.gs1.org/voc/pip", 0, "hreflang"], "vi"),
    "type-not-media-type": _set(["linkset", 0, "https://ref.gs1.org/voc/pip", 0, "type"], "html"),
    "unknown-target-member": _set(["linkset", 0, "https://ref.gs1.org/voc/pip", 0, "rel"], "pip"),
    "no-default-link": _delete(["linkset", 0, "https://gs1.org/voc/defaultLink"]),
    "two-default-links": _set(
        ["linkset", 0, "https://gs1.org/voc/defaultLink"],
        [{"href": "https://example.org/", "title": "a"}, {"href": "https://example.org/b", "title": "b"}],
    ),
}


def test_the_linkset_validator_accepts_a_model_gs1_linkset():
    """The validator accepts a linkset shaped like GS1's model (so its refusals below mean something)."""
    assert linkset_problems(_model_linkset()) == []


@pytest.mark.parametrize("mutate", BROKEN_LINKSETS.values(), ids=BROKEN_LINKSETS.keys())
def test_the_linkset_validator_refuses_what_rfc_9264_or_gs1_refuse(mutate):
    """Each rule of RFC 9264 §4.2 and of GS1's profile that the validator checks has a refusal."""
    assert linkset_problems(_broken(mutate))


# --- HTTP methods and CORS ---------------------------------------------------------------------------


def test_get_is_answered(http, item):
    """Conformance1_2: "SHALL support HTTP 1.1 (or higher) GET, HEAD and OPTIONS requests" (GET)."""
    assert http(GTIN_PATH).status == 307


def test_head_is_answered_like_get_without_a_body(http, item):
    """Conformance1_2: "SHALL support … GET, HEAD and OPTIONS requests" (HEAD); RFC 9110 §9.3.2: HEAD
    is GET without content. (Through the test client, Django strips HEAD bodies itself.)"""
    for target in (
        GTIN_PATH,
        f"{GTIN_PATH}?linkType=linkset",
        f"{LOT_PATH}?linkType=gs1:pip",
        UNKNOWN_PATH,
        SYNTAX_ERROR_PATH,
    ):
        get, head = http(target), http(target, method="HEAD")
        assert head.status == get.status, target
        assert head.header("Location") == get.header("Location"), target
        assert head.media_type() == get.media_type(), target
        assert head.header("Link") == get.header("Link"), target
        assert head.body == b"", target


@pytest.mark.parametrize(
    "target",
    [GTIN_PATH, f"{GTIN_PATH}?linkType=linkset", UNKNOWN_PATH, SYNTAX_ERROR_PATH],
    ids=["redirect", "linkset", "unknown-gtin", "syntax-error"],
)
def test_head_content_length_is_that_of_get(http, item, target):
    """RFC 9110 §8.6: a server MUST NOT send Content-Length in a response to HEAD unless its value is
    the length of the content a GET would have sent."""
    get, head = http(target), http(target, method="HEAD")
    if "content-length" in head.headers:
        assert int(head.header("Content-Length")) == len(get.body), (
            f"HEAD {target}: Content-Length {head.header('Content-Length')}, GET sends {len(get.body)} bytes"
        )


def test_options_is_answered_with_the_allowed_methods(http, item):
    """Conformance1_2: "SHALL support … GET, HEAD and OPTIONS requests" (OPTIONS, the CORS preflight)."""
    reply = http(GTIN_PATH, method="OPTIONS")
    assert reply.status in (200, 204)
    for name in ("Allow", "Access-Control-Allow-Methods"):
        methods = {m.strip() for m in reply.header(name).split(",")}
        assert {"GET", "HEAD", "OPTIONS"} <= methods, name
    assert reply.header("Access-Control-Allow-Origin") == "*"


def test_the_default_answer_declares_get_head_and_options_for_cors(http, item):
    """GS1 suite `methodsCheck` ("SHALL support HTTP 1.1 (or higher) GET, HEAD and OPTIONS
    requests"): the suite reads Access-Control-Allow-Methods from the answer to the plain Digital Link
    URI (not from an OPTIONS preflight) and requires GET, HEAD and OPTIONS in it."""
    methods = {
        m.strip() for m in http(GTIN_PATH).header("Access-Control-Allow-Methods").split(",") if m.strip()
    }
    assert {"GET", "HEAD", "OPTIONS"} <= methods, f"Access-Control-Allow-Methods on GET: {sorted(methods)}"


@pytest.mark.parametrize(
    ("method", "target"),
    [
        ("GET", GTIN_PATH),
        ("HEAD", GTIN_PATH),
        ("OPTIONS", GTIN_PATH),
        ("GET", f"{GTIN_PATH}?linkType=linkset"),
        ("GET", f"{GTIN_PATH}?linkType=gs1:pip"),
        ("GET", SERIAL_PATH),
        ("GET", UNKNOWN_PATH),
        ("GET", SYNTAX_ERROR_PATH),
        ("GET", "/.well-known/gs1resolver"),
    ],
    ids=[
        "get",
        "head",
        "options",
        "linkset",
        "link-type",
        "walk-up",
        "unknown-gtin",
        "syntax-error",
        "well-known",
    ],
)
def test_every_answer_carries_cors(http, item, method, target):
    """Conformance1_2: "SHALL support CORS" (suite `corsCheck`: Access-Control-Allow-Origin present),
    on redirects, linksets, errors and the description file alike."""
    assert http(target, method=method).header("Access-Control-Allow-Origin") == "*"


# --- errors ------------------------------------------------------------------------------------------

SYNTAX_ERRORS = {
    "suite-slash-foo": SYNTAX_ERROR_PATH,
    "wrong-check-digit": f"/01/{WRONG_CHECK_DIGIT}",
    "gtin-13-in-path": f"/01/{GTIN[1:]}",
    "lot-of-21-characters": f"/01/{GTIN}/10/ABCDEFGHIJKLMNOPQRSTU",
    "serial-before-lot": f"/01/{GTIN}/21/X/10/Y",
    "not-a-qualifier-of-01": f"/01/{GTIN}/17/261231",
    "empty-lot": f"/01/{GTIN}/10/",
    "bad-percent-escape": f"/01/{GTIN}/10/A%2",
}


@pytest.mark.parametrize("target", SYNTAX_ERRORS.values(), ids=SYNTAX_ERRORS.keys())
def test_a_syntax_error_is_answered_400(http, item, target):
    """Conformance1_2: "SHALL extract and syntactically validate the URI … and report errors with an
    HTTP response code of 400" (suite `reportWith400`, which appends "/foo" to a valid URI)."""
    reply = http(target)
    assert reply.status == 400
    assert reply.media_type() == "text/html"


@pytest.mark.parametrize(
    ("target", "accept"),
    [
        (f"{SYNTAX_ERROR_PATH}?linkType=linkset", ""),
        (SYNTAX_ERROR_PATH, LINKSET_TYPE),
        (UNKNOWN_PATH, ""),
        (f"{UNKNOWN_PATH}?linkType=linkset", ""),
        (UNKNOWN_PATH, LINKSET_TYPE),
        (f"{UNKNOWN_PATH}?linkType=gs1:pip", ""),
    ],
    ids=["syntax-linkset", "syntax-accept", "unknown", "unknown-linkset", "unknown-accept", "unknown-pip"],
)
def test_an_error_is_never_answered_200(http, item, target, accept):
    """Conformance1_2: "SHALL NOT use a 200 OK response code with a resource that indicates an error
    condition" (suite `noErrorWith200`), however the linkset is asked for."""
    status = http(target, accept=accept).status
    assert 400 <= status < 500


def test_an_unknown_gtin_is_answered_404(http, item):
    """A well-formed key the resolver has no record of is 404 Not Found (RFC 9110 §15.5.5): not a
    separate item of Conformance1_2, it follows from "SHALL NOT use a 200 OK response code with a
    resource that indicates an error condition" and from the vectors' "not-400 … 404 for an unknown
    item"; never a redirect to a guess."""
    reply = http(UNKNOWN_PATH)
    assert reply.status == 404
    assert "Location" not in reply.headers
    assert UNKNOWN_GTIN.encode() in reply.body


# --- the default link --------------------------------------------------------------------------------


@pytest.mark.parametrize("target", [GTIN_PATH, LOT_PATH], ids=["gtin", "gtin-lot"])
def test_the_default_request_redirects(http, item, target):
    """Conformance1_2: "SHALL redirect to the default link unless there is information in the request
    that can be matched against available link metadata": a 3xx with a Location (307 here)."""
    reply = http(target)
    assert 300 <= reply.status < 400
    assert reply.status == 307
    assert reply.header("Location") == default_link(target)


def test_the_default_request_redirects_to_the_linksets_default_link(http, item):
    """GS1 suite `defaultTarget`: "One of the links SHALL be recognised by the resolver as the default
    and the resolver SHALL redirect to that URL": the Location equals the href of the linkset's
    gs1:defaultLink."""
    linkset = http(f"{GTIN_PATH}?linkType=linkset").json()
    (default,) = linkset["linkset"][0][f"{GS1_VOC}defaultLink"]
    assert http(GTIN_PATH).header("Location") == default["href"]


# --- the linkset ---------------------------------------------------------------------------------------

LINKSET_REQUESTS = {
    "linkType=linkset": (f"{GTIN_PATH}?linkType=linkset", ""),
    "linkType=all": (f"{GTIN_PATH}?linkType=all", ""),
    "accept-header": (GTIN_PATH, LINKSET_TYPE),
}


@pytest.mark.parametrize(("target", "accept"), LINKSET_REQUESTS.values(), ids=LINKSET_REQUESTS.keys())
def test_the_linkset_is_returned_without_redirect(http, item, target, accept):
    """GS1 suites `ltLinksetNoRedirect`, `ltAllNoRedirect`, `ltAcceptHeader`: "On receiving a request
    for the linkset (linkType=linkset, the deprecated linkType=all, or Accept:
    application/linkset+json) the resolver SHALL NOT redirect the query and SHALL return the linkset",
    and suite `declaredContentType`: served as application/linkset+json (RFC 9264)."""
    reply = http(target, accept=accept)
    assert reply.status == 200
    assert "Location" not in reply.headers
    assert reply.media_type() == LINKSET_TYPE
    assert reply.json()["linkset"][0]["anchor"] == f"{BASE}{GTIN_PATH}"


@pytest.mark.parametrize(
    "target",
    [f"{GTIN_PATH}?linkType=linkset", f"{LOT_PATH}?linkType=linkset", f"{SERIAL_PATH}?linkType=linkset"],
    ids=["gtin", "gtin-lot", "walk-up-serial"],
)
def test_the_linkset_is_valid(http, item, target):
    """GS1 suite `validLinkset`: "Linkset must be valid according to published JSON schema" (GS1's
    linkset schema, RFC 9264 §4.2; checked here by `linkset_problems`)."""
    assert linkset_problems(http(target).json()) == []


ANCHORS = {
    "gtin": (f"{GTIN_PATH}?linkType=linkset", f"{BASE}{GTIN_PATH}"),
    "trailing-slash": (f"{GTIN_PATH}/?linkType=linkset", f"{BASE}{GTIN_PATH}"),
    "lowercase-escape": (f"/01/{GTIN}/10/L1%2f2026?linkType=linkset", f"{BASE}{LOT_PATH}"),
    "data-attribute-dropped": (f"{LOT_PATH}?17=261231&linkType=linkset", f"{BASE}{LOT_PATH}"),
    "walk-up-serial": (f"{SERIAL_PATH}?linkType=linkset", f"{BASE}{SERIAL_PATH}"),
}


@pytest.mark.parametrize(("target", "anchor"), ANCHORS.values(), ids=ANCHORS.keys())
def test_the_linkset_anchor_is_the_canonical_request_uri(http, item, target, anchor):
    """Conformance1_2 (linkType=linkset): "The URI used as the subject of facts presented SHALL be the
    uncompressed version", i.e. the request's own Digital Link URI in canonical form (the suite matches
    anchors against the request URI without its query)."""
    assert http(target).json()["linkset"][0]["anchor"] == anchor


def test_every_link_has_a_target_a_link_type_and_a_title(http, item):
    """Conformance1_2 / suite `linkMetadata`: "All links exposed SHALL include the target URL, the link
    relationship type (the link type) and a human-readable title"; every registered link is there."""
    (context,) = http(f"{GTIN_PATH}?linkType=linkset").json()["linkset"]
    offered = {
        (relation, target["href"], tuple(target.get("hreflang", ())))
        for relation, targets in context.items()
        if relation != "anchor"
        for target in targets
    }
    assert {
        (f"{GS1_VOC}pip", PIP_VI, ("vi",)),
        (f"{GS1_VOC}pip", PIP_EN, ("en",)),
        (f"{GS1_VOC}certificationInfo", CERT_VI, ("vi",)),
    } <= offered
    for relation, targets in context.items():
        if relation != "anchor":
            assert all(target.get("title") and target.get("href") for target in targets), relation


def test_the_default_link_is_one_link_with_a_title_and_no_other_attribute(http, item):
    """GS1 suites `defaultLinkExists`/`singleDefaulLink`: "For each identified entity there SHALL be
    exactly one default link … This default is defined without any of the optional attributes, that
    is, it SHALL include a title, but SHALL NOT include other attributes.\""""
    (context,) = http(f"{GTIN_PATH}?linkType=linkset").json()["linkset"]
    (default,) = context[f"{GS1_VOC}defaultLink"]
    assert sorted(default) == ["href", "title"], f"default link members: {sorted(default)}"


def test_a_qualified_request_has_the_links_of_each_level_up_to_the_primary_key(http, item):
    """Conformance1_2 (linkType=linkset): "If the request GS1 Digital Link URI includes one or more key
    qualifiers, any links associated with each level up to the primary key SHALL be included"."""
    linkset = http(f"{LOT_PATH}/21/{UNKNOWN_SERIAL}?linkType=linkset").json()
    hrefs = {
        target["href"]
        for context in linkset["linkset"]
        for relation, targets in context.items()
        if relation != "anchor"
        for target in targets
    }
    assert {LOT_PIP_VI, PIP_VI, PIP_EN, CERT_VI} <= hrefs


def test_the_linkset_answer_varies_on_accept(http, item):
    """GS1 suite `varyAccept`: the linkset is served through content negotiation, so the answer carries
    Vary: Accept (and Accept-Language, which picks among links)."""
    for target in (f"{GTIN_PATH}?linkType=linkset", GTIN_PATH):
        vary = {v.strip().lower() for v in http(target).header("Vary").split(",")}
        assert {"accept", "accept-language"} <= vary, target


def test_head_on_the_linkset_has_its_headers_and_no_body(http, item):
    """Conformance1_2 (HEAD) with the linkset: same status and media type as GET, no content."""
    reply = http(f"{GTIN_PATH}?linkType=linkset", method="HEAD")
    assert (reply.status, reply.media_type(), reply.body) == (200, LINKSET_TYPE, b"")


# --- the Link header -----------------------------------------------------------------------------------

LINK = re.compile(r"<(?P<href>[^>]*)>(?P<params>[^,<]*)")


def _linkset_link(reply: Reply) -> str:
    targets = [m["href"] for m in LINK.finditer(reply.header("Link")) if 'rel="linkset"' in m["params"]]
    assert len(targets) == 1, f"Link: {reply.header('Link')!r}"
    return targets[0]


@pytest.mark.parametrize(
    "target",
    [GTIN_PATH, f"{LOT_PATH}?linkType=gs1:pip", SERIAL_PATH, f"{GTIN_PATH}?linkType=linkset"],
    ids=["default", "link-type", "walk-up", "linkset"],
)
def test_the_link_header_points_to_the_linkset(http, item, target):
    """Conformance1_2: "SHOULD expose link to the linkset in an HTTP Link header, even when redirecting"
    (suite `linkOnRedirect`: a link with rel="linkset"); following it gives that linkset, and CORS
    exposes the header to scripts."""
    reply = http(target)
    href = _linkset_link(reply)
    assert href.startswith(BASE + "/01/")
    assert "link" in {h.strip().lower() for h in reply.header("Access-Control-Expose-Headers").split(",")}
    followed = http(href.removeprefix(BASE))
    assert followed.status == 200
    assert followed.media_type() == LINKSET_TYPE
    assert followed.json()["linkset"][0]["anchor"] == f"{BASE}{urlsplit(target).path}"


def test_the_link_header_carries_no_legacy_gs1_links(http, item):
    """GS1 suite `legacyLinkHeaders`: listing every link in the Link header (rel="gs1:…") was deprecated
    in Resolver 1.0.0; only the link to the linkset is expected."""
    assert 'rel="gs1:' not in http(GTIN_PATH).header("Link")


# --- requesting a link type ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("link_type", "location"),
    [("gs1:pip", PIP_VI), ("gs1:certificationInfo", CERT_VI), ("gs1:defaultLink", default_link(GTIN_PATH))],
    ids=["pip", "certificationInfo", "defaultLink"],
)
def test_a_requested_link_type_redirects_to_its_link(http, item, link_type, location):
    """Conformance1_2: "SHALL redirect to the requested linkType if available" (suite `loFor…`: the
    request ?linkType=gs1:X redirects to the href of the linkset's X link)."""
    reply = http(f"{GTIN_PATH}?linkType={link_type}")
    assert reply.status == 307
    assert reply.header("Location").split("?", 1)[0] == location


def test_a_link_type_asked_for_by_its_full_iri_redirects_to_its_link(http, item):
    """Conformance1_2: "SHALL recognise the GS1 Web vocabulary namespace": the linkset names relation
    types by IRI (https://gs1.org/voc/certificationInfo) and the description file declares that
    namespace for prefix gs1:, so a client asking for a link type as the linkset spells it must get
    that link, not the default."""
    reply = http(f"{GTIN_PATH}?linkType={GS1_VOC}certificationInfo")
    assert reply.status == 307
    assert reply.header("Location").split("?", 1)[0] == CERT_VI


@pytest.mark.parametrize(
    "link_type", ["gs1:nosuchlt", "gs1:recipeInfo"], ids=["suite-nosuchlt", "no-link-of-type"]
)
def test_an_unavailable_link_type_is_answered_404(http, item, link_type):
    """GS1 suite `specificLinkTypeNotFound`: "If the requested type of link is not available, the
    resolver SHALL return a 404 Not Found message" (the suite asks for ?linkType=gs1:nosuchlt)."""
    reply = http(f"{GTIN_PATH}?linkType={link_type}")
    assert reply.status == 404, f"{link_type}: {reply.status} Location={reply.header('Location')!r}"


# --- language negotiation -------------------------------------------------------------------------------

LANGUAGES = {
    "en": ("en", PIP_EN),
    "en-GB-with-fallback": ("en-GB,en;q=0.9", PIP_EN),
    "vi-VN": ("vi-VN", PIP_VI),
    "q-values-order": ("vi;q=0.5, en", PIP_EN),
    "unavailable-first": ("fr;q=0.9, en;q=0.8", PIP_EN),
    "q-zero-refuses": ("en;q=0, vi", PIP_VI),
    "none": ("", PIP_VI),
}


@pytest.mark.parametrize(("accept_language", "location"), LANGUAGES.values(), ids=LANGUAGES.keys())
def test_accept_language_picks_the_link_with_that_hreflang(http, item, accept_language, location):
    """Conformance1_2: "SHALL redirect to the default link unless there is information in the request
    that can be matched against available link metadata": among links of the requested type, the one
    whose hreflang matches Accept-Language (RFC 9110 §12.5.4, q-values honoured) wins; with no match,
    the platform's default language (vi). (GS1's hosted suite `testMultipleLinks` expresses the
    language as a `lang=` query parameter instead; see the report.)"""
    reply = http(f"{GTIN_PATH}?linkType=gs1:pip", accept_language=accept_language)
    assert reply.status == 307
    assert reply.header("Location").split("?", 1)[0] == location


# --- walking up from unknown qualifiers -------------------------------------------------------------


def test_an_unknown_serial_walks_up_to_the_gtins_links(http, item):
    """Conformance1_2: "any links associated with each level up to the primary key" apply to a
    qualified request: a serial the resolver has no record of still resolves (3xx), to its scan page
    by default and to the GTIN's link of a requested type."""
    reply = http(SERIAL_PATH)
    assert reply.status == 307
    assert reply.header("Location") == default_link(SERIAL_PATH)
    assert http(f"{SERIAL_PATH}?linkType=gs1:pip").header("Location").split("?", 1)[0] == PIP_VI


def test_an_unknown_lot_walks_up_to_the_gtins_links_only(http, item):
    """Walk-up: an unknown lot resolves (3xx) to the GTIN's links, never to another lot's."""
    target = f"/01/{GTIN}/10/NOSUCHLOT"
    assert http(target).status == 307
    assert http(target).header("Location") == default_link(target)
    assert http(f"{target}?linkType=gs1:pip").header("Location").split("?", 1)[0] == PIP_VI


def test_a_known_lots_own_link_wins_over_the_gtins(http, item):
    """Walk-up: the most specific level with a link of the requested type answers (suite
    `linksetTests`: "If the same link type appears at multiple levels only the most granular level
    applies"), here the lot's product page, also under an unknown serial of that lot."""
    assert http(f"{LOT_PATH}?linkType=gs1:pip").header("Location").split("?", 1)[0] == LOT_PIP_VI
    target = f"{LOT_PATH}/21/{UNKNOWN_SERIAL}?linkType=gs1:pip"
    assert http(target).header("Location").split("?", 1)[0] == LOT_PIP_VI


# --- the resolver description file --------------------------------------------------------------------

PRIMARY_KEYS = {"all", "01", "8006", "8013", "8010", "414", "415", "417", "8017", "8018", "255", "00", "253"}
PRIMARY_KEYS |= {"401", "402", "8003", "8004"}


def test_the_resolver_description_file_is_published(http, item):
    """Conformance1_2: "SHALL provide a resolver description file at /.well-known/gs1resolver" (suite
    `rdFile`: JSON, fetched cross-origin, with an http(s) `resolverRoot` and `supportedPrimaryKeys`,
    the two members GS1's description-file schema requires)."""
    reply = http("/.well-known/gs1resolver")
    assert reply.status == 200
    assert reply.media_type() == "application/json"
    assert reply.header("Access-Control-Allow-Origin") == "*"
    description = reply.json()
    assert description["resolverRoot"] == BASE
    assert re.fullmatch(r"https?://[^/?#\s]+", description["resolverRoot"])
    keys = description["supportedPrimaryKeys"]
    assert isinstance(keys, list) and "01" in keys and set(keys) <= PRIMARY_KEYS
    namespaces = {(entry["namespace"], entry["prefix"]) for entry in description["supportedLinkType"]}
    assert (GS1_VOC, "gs1:") in namespaces


# --- trailing slash and query strings ----------------------------------------------------------------


@pytest.mark.parametrize(
    "target", [GTIN_PATH, LOT_PATH, SERIAL_PATH, UNKNOWN_PATH], ids=["gtin", "lot", "serial", "unknown"]
)
def test_a_trailing_slash_is_tolerated(http, item, target):
    """Conformance1_2 / suite `trailingSlash`: "SHOULD tolerate trailing slashes at the end of GS1
    Digital Link URIs": the same status and Location with and without one."""
    plain, slashed = http(target), http(target + "/")
    assert (slashed.status, slashed.header("Location")) == (plain.status, plain.header("Location"))


@pytest.mark.parametrize(
    ("target", "expected_start", "passed_on"),
    [
        (f"{GTIN_PATH}?foo=bar", default_link(GTIN_PATH), "foo=bar"),
        (f"{GTIN_PATH}?17=261231", default_link(GTIN_PATH), "17=261231"),
        (f"{GTIN_PATH}?linkType=gs1:pip&17=261231", PIP_VI, "17=261231"),
        (f"{LOT_PATH}?3103=000195&linkType=gs1:pip", LOT_PIP_VI, "3103=000195"),
    ],
    ids=["suite-foo-bar", "data-attribute", "data-attribute-link-type", "lot-data-attribute"],
)
def test_the_query_string_is_passed_on_when_redirecting(http, item, target, expected_start, passed_on):
    """Conformance1_2 / suite `qsPassedOn`: "By default, SHALL pass on all key=value pairs in the query
    string of the request URI (if present) when redirecting" (GS1 data attributes such as an expiry
    date 17=… included)."""
    reply = http(target)
    assert reply.status == 307
    location = reply.header("Location")
    assert location.split("?", 1)[0] == expected_start
    assert passed_on in location, f"{target} → Location {location!r}"


# --- GS1 Digital Link test vectors with a resolver expectation ---------------------------------------


@pytest.fixture
def vector_gtin():
    """The vectors' own GTIN registered, so their well-formed cases resolve (307) instead of 404."""
    packaging_add(actor=None, product=make_product(status="certified"), size=1, unit="kg", gtin=VECTOR_GTIN)


@pytest.mark.parametrize("case", RESOLVER_CASES, ids=[case["id"] for case in RESOLVER_CASES])
def test_a_gs1_test_vector_gets_the_resolver_answer_it_expects(http, vector_gtin, case):
    """Resolver 1.2: path syntax errors SHALL be 400 (query-level ones SHOULD), well-formed URIs never
    400 (404 unknown, 3xx known). Only /01/ reaches the resolver: other primary keys are Django's 404,
    which is accepted for them (a resolver need not support every key)."""
    expectation = case["resolver"]
    status = http(expectation["path"]).status
    other_key = expectation["primary_key"] != "01"
    if expectation["expect"] == "400":
        assert status in ((400, 404) if other_key else (400,)), f"{expectation['path']}: {status}"
    else:
        assert status != 400 and status < 500, f"{expectation['path']}: {status}"
        if not other_key:
            assert status in (307, 404)


# --- the Django door without RAW_URI -----------------------------------------------------------------


def test_the_django_door_answers_without_raw_uri_for_plain_paths(item, client):
    """Under a server that passes no raw request target (runserver, the test client), the Django door
    falls back to request.path: fine for a path with no percent-encoding."""
    reply = client.get(f"{GTIN_PATH}/21/{UNKNOWN_SERIAL}?linkType=gs1:pip")
    assert reply.status_code == 307
    assert reply.headers["Location"].split("?", 1)[0] == PIP_VI
