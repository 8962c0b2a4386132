"""GS1 Digital Link URIs, strict to GS1 Digital Link: URI Syntax 1.6.

`parse()` reads a full URI, `parse_path()` what a resolver receives (the raw path and query string,
still percent-encoded), `build()` writes the platform's canonical URI for a GTIN, lot and serial.
Every refusal is a `DigitalLinkError` whose `code` callers translate.

biip supplies the AI table, each AI's format and the check-digit algorithm; it is lenient where the
standard is not (unpadded GTINs, duplicate AIs, key qualifiers in the query, empty values…), so the
rules of the standard are applied here first. The section numbers are those of URI Syntax 1.6 as
cited by GS1's test vectors (tests/trace/data), which this module agrees with case by case.

Deliberately not supported: compressed Digital Link URIs, the deprecated convenience alphas
(`/gtin/…`) and GTIN-8/12/13 in the path (GTINs are 14 digits since URI Syntax 1.4.0).
Not checked: the GenSpecs AI pairing rules (`req=`/`ex=` of the Syntax Dictionary), the GMN check
character pair (AI 8013) and the Syntax Dictionary's linters beyond what biip's formats express.

A resolver must pass the path as it came over the wire (gunicorn's RAW_URI): WSGI's PATH_INFO is
already decoded, which turns a lot `A%2FB` into two path segments. A trailing slash is not part of
the syntax (§4 ABNF): `parse()` refuses it, `parse_path()` forgives one, as a resolver SHOULD.
"""

import ipaddress
import re
from dataclasses import dataclass
from functools import cache
from urllib.parse import quote, unquote_to_bytes

from biip import ParseError
from biip.checksums import gs1_standard_check_digit
from biip.gs1_application_identifiers import GS1ApplicationIdentifier
from biip.gs1_element_strings import GS1ElementString

# Primary keys and their key qualifiers: the `dlpkey` attributes of the GS1 Barcode Syntax
# Dictionary. In one sequence each qualifier is optional but the order is fixed (§4.9); alternative
# sequences are not mixed (01 takes 22/10/21 or 235, never both).
KEY_QUALIFIERS: dict[str, tuple[tuple[str, ...], ...]] = {
    "00": ((),),
    "01": (("22", "10", "21"), ("235",)),
    "253": ((),),
    "255": ((),),
    "401": ((),),
    "402": ((),),
    "414": (("254",), ("7040",)),
    "415": (("8020",),),
    "417": (("7040",),),
    "8003": ((),),
    "8004": (("7040",),),
    "8006": (("22", "10", "21"),),
    "8010": (("8011",),),
    "8013": ((),),
    "8017": (("8019",),),
    "8018": (("8019",),),
}

# AIs the Syntax Dictionary does not flag "?" (permitted as a data attribute, §4.10): qualifiers that
# only mean something in the path, and AIs that belong to another carrier.
NOT_DATA_ATTRIBUTES = frozenset(
    {"03", "21", "22", "235", "254", "7040", "7041", "8011", "8014", "8019", "8020", "8200"}
)

# AIs whose data ends a GS1 mod-10 check digit (the dictionary's "csum" linter, GenSpecs §7.9.1):
# the part of the value it closes.
CHECK_DIGIT_SPANS: dict[str, slice] = {
    "00": slice(0, 18),
    "01": slice(0, 14),
    "02": slice(0, 14),
    "03": slice(0, 14),
    "253": slice(0, 13),
    "255": slice(0, 13),
    "402": slice(0, 17),
    **{f"41{n}": slice(0, 13) for n in range(8)},
    "8003": slice(1, 14),
    "8006": slice(0, 14),
    "8017": slice(0, 18),
    "8018": slice(0, 18),
    "8026": slice(0, 14),
}

# The AIs whose dates biip 5.2 checks beyond its pattern (30 February fails); for the others the
# pattern says all, and matching it alone keeps biip's element-string building off the scan path.
DATE_AIS = frozenset(
    {"11", "12", "13", "15", "16", "17", "4324", "4325", "4326", "7003", "7006", "7007", "7011", "8008"}
)

# GenSpecs Figure 7.11-1, the AI encodable character set 82 (what AI 10 and 21 may hold).
CSET82 = re.compile(r"[!\"%-?A-Z_a-z]*")
DIGITS = re.compile(r"[0-9]+")

# RFC 3986 §2-3: the characters a URI may hold, and those of a path (pchar and "/"), a query and a
# fragment (pchar, "/" and "?"). A sub-delimiter such as "+" may stand literally in a path value.
_URI_CHARACTERS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*")
_PATH = re.compile(r"(?:/[A-Za-z0-9\-._~!$&'()*+,;=:@%]*)*")
_QUERY = re.compile(r"[A-Za-z0-9\-._~!$&'()*+,;=:@%/?]*")
_MALFORMED_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
_URI = re.compile(
    r"(?P<scheme>[^:/?#]+)://(?P<authority>[^/?#]*)(?P<path>[^?#]*)(?:\?(?P<query>[^#]*))?(?:#(?P<fragment>.*))?",
    re.DOTALL,
)
# The host is not over-validated (GS1's engine: "to prevent ossification"): DNS letters, digits,
# hyphens and dots, a trailing dot allowed; no "$", "_" or percent-encoding.
_HOST = re.compile(r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.?")
# GS1's reference engine takes http/https in lower or upper case, not mixed (RFC 3986 §3.1 would);
# the test vectors follow the engine.
_SCHEMES = ("http", "https", "HTTP", "HTTPS")


class DigitalLinkError(ValueError):
    """A URI, path or value that is not a valid GS1 Digital Link. `code` is short and stable
    (e.g. "gtin_length", "qualifier_order", "lot_charset"); `str()` is an English sentence."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class DigitalLink:
    """One parsed link, values decoded. `qualifiers` are in path order (the canonical one, §4.9);
    `attributes` and `other_query` in query order, a valueless key (`?flag`) with the value ""."""

    primary_ai: str
    primary_value: str
    qualifiers: tuple[tuple[str, str], ...] = ()
    attributes: tuple[tuple[str, str], ...] = ()
    other_query: tuple[tuple[str, str], ...] = ()
    stem: str = ""

    @property
    def gtin(self) -> str | None:
        return self.primary_value if self.primary_ai == "01" else None

    @property
    def lot(self) -> str | None:
        return self._qualifier("10")

    @property
    def serial(self) -> str | None:
        return self._qualifier("21")

    def _qualifier(self, ai: str) -> str | None:
        return next((value for key, value in self.qualifiers if key == ai), None)

    def path(self) -> str:
        pairs = ((self.primary_ai, self.primary_value), *self.qualifiers)
        return "".join(f"/{ai}/{encode_value(value)}" for ai, value in pairs)

    def uri(self, base: str) -> str:
        # The standard leaves the order of data attributes open; sorted so one item has one URI.
        query = "&".join(f"{ai}={encode_value(value)}" for ai, value in sorted(self.attributes))
        return base.rstrip("/") + self.path() + (f"?{query}" if query else "")


def encode_value(value: str) -> str:
    """Percent-encode an AI value for a path segment or query value: every character but RFC 3986's
    unreserved ones, as GS1's engine writes them (so "+" is %2B, which a query would read as a space)."""
    return quote(value, safe="")


def parse(uri: str) -> DigitalLink:
    if not _URI_CHARACTERS.fullmatch(uri):
        bad = next(char for char in uri if not _URI_CHARACTERS.fullmatch(char))
        raise DigitalLinkError("syntax", f"The character {bad!r} cannot appear in a URI (RFC 3986 §2).")
    match = _URI.fullmatch(uri)
    if match is None or match["scheme"] not in _SCHEMES:
        raise DigitalLinkError(
            "syntax", "A GS1 Digital Link starts with http:// or https:// (lower or upper case) (§4)."
        )
    authority = match["authority"]
    _check_authority(authority)
    fragment = match["fragment"] or ""
    if not _QUERY.fullmatch(fragment):
        raise DigitalLinkError("syntax", "The fragment after '#' is malformed (RFC 3986 §3.5).")
    if _MALFORMED_ESCAPE.search(fragment):
        raise DigitalLinkError("percent_encoding", "A '%' must be followed by two hexadecimal digits (§4.2).")
    return _parse_location(f"{match['scheme']}://{authority}", match["path"], match["query"] or "")


def parse_path(path: str, query: str = "") -> DigitalLink:
    """`path` from its leading "/" (a custom path before the primary key is kept as `stem`),
    `query` without its "?"; both as received, still percent-encoded."""
    if not path.startswith("/"):
        raise DigitalLinkError("syntax", "A Digital Link path starts with '/' (§4).")
    # Resolver 1.2 §2.13: a resolver SHOULD answer a path with one trailing slash as without it.
    if len(path) > 1 and path.endswith("/"):
        path = path[:-1]
    return _parse_location("", path, query)


def build(*, gtin: str, lot: str = "", serial: str = "", base: str) -> str:
    """The canonical URI of a GTIN (8, 12, 13 or 14 digits, padded to 14) with an optional lot and
    serial under `base` (scheme, host and any custom path)."""
    if not DIGITS.fullmatch(gtin):
        raise DigitalLinkError("gtin_format", f"A GTIN is made of digits only; got {_shown(gtin)}.")
    if len(gtin) not in (8, 12, 13, 14):
        raise DigitalLinkError("gtin_length", f"A GTIN has 8, 12, 13 or 14 digits; got {len(gtin)}.")
    gtin14 = gtin.zfill(14)
    _check_value("01", gtin14)
    qualifiers = tuple((ai, value) for ai, value in (("10", lot), ("21", serial)) if value)
    for ai, value in qualifiers:
        _check_value(ai, value)
    uri = DigitalLink(primary_ai="01", primary_value=gtin14, qualifiers=qualifiers).uri(base)
    parse(uri)  # the base passes the same checks as a scanned URI, so no printed code is refused later
    return uri


def _check_authority(authority: str) -> None:
    if "@" in authority:
        # RFC 3986 allows user information, but on a printed code it only serves to disguise the
        # host (https://id.gs1.org@elsewhere/…); GS1's engine refuses "@" in the domain too.
        raise DigitalLinkError("syntax", "A Digital Link names its host without user information.")
    if authority.startswith("["):
        host, closed, rest = authority[1:].partition("]")
        # An IPv6 zone identifier (RFC 6874) names an interface of the reader's machine: meaningless
        # on a label, refused by GS1's engine.
        if not closed or "%" in host or not _is_ipv6(host) or (rest and not rest.startswith(":")):
            raise DigitalLinkError("syntax", f"The host {_shown(authority)} is not a valid IPv6 literal.")
        has_port, port = bool(rest), rest[1:]
    else:
        host, separator, port = authority.partition(":")
        has_port = bool(separator)
        if not _HOST.fullmatch(host):
            raise DigitalLinkError("syntax", f"The host {_shown(host)} is not a valid host name.")
    if has_port and not (re.fullmatch(r"[0-9]{1,5}", port) and int(port) <= 65535):
        raise DigitalLinkError("syntax", f"The port {_shown(port)} is not a number from 0 to 65535.")


def _is_ipv6(host: str) -> bool:
    try:
        ipaddress.IPv6Address(host)
    except ValueError:
        return False
    return True


def _parse_location(origin: str, path: str, query: str) -> DigitalLink:
    if not _PATH.fullmatch(path):
        raise DigitalLinkError("syntax", "The path holds characters that must be percent-encoded (§4.2).")
    if not _QUERY.fullmatch(query):
        raise DigitalLinkError("syntax", "The query holds characters that must be percent-encoded (§4.2).")
    if _MALFORMED_ESCAPE.search(path) or _MALFORMED_ESCAPE.search(query):
        raise DigitalLinkError("percent_encoding", "A '%' must be followed by two hexadecimal digits (§4.2).")
    if len(path) > 1 and path.endswith("/"):
        raise DigitalLinkError("syntax", "A Digital Link path does not end with '/' (§4).")
    segments = path.split("/")[1:]
    start = _primary_key_index(segments)
    primary_ai = segments[start]
    primary_value = _decode(segments[start + 1])
    _check_value(primary_ai, primary_value)

    qualifiers: list[tuple[str, str]] = []
    allowed = {ai for sequence in KEY_QUALIFIERS[primary_ai] for ai in sequence}
    for index in range(start + 2, len(segments), 2):
        ai, value = segments[index], _decode(segments[index + 1])
        if ai == primary_ai or any(ai == seen for seen, _ in qualifiers):
            raise DigitalLinkError("duplicate_ai", f"AI ({ai}) appears twice in the path.")
        if ai not in allowed:
            raise DigitalLinkError(
                "qualifier_not_allowed",
                f"AI ({ai}) is not a key qualifier of ({primary_ai}): attributes go in the query (§4.9).",
            )
        _check_value(ai, value)
        qualifiers.append((ai, value))
    path_ais = [primary_ai, *(ai for ai, _ in qualifiers)]
    if not _is_qualifier_sequence(primary_ai, path_ais[1:]):
        order = " or ".join("/".join(sequence) for sequence in KEY_QUALIFIERS[primary_ai])
        raise DigitalLinkError(
            "qualifier_order",
            f"The key qualifiers of ({primary_ai}) come in the order {order}, not mixed (§4.9).",
        )

    attributes, other_query = _parse_query(query, path_ais)
    return DigitalLink(
        primary_ai=primary_ai,
        primary_value=primary_value,
        qualifiers=tuple(qualifiers),
        attributes=attributes,
        other_query=other_query,
        stem=origin + "".join(f"/{segment}" for segment in segments[:start]),
    )


def _primary_key_index(segments: list[str]) -> int:
    """Walk AI/value pairs back from the end of the path, as GS1's engine does: the rightmost
    primary key wins, whatever the custom path before it holds (§4.11)."""
    index = len(segments) - 2
    while index >= 0 and _application_identifier(segments[index]) is not None:
        if segments[index] in KEY_QUALIFIERS:
            return index
        index -= 2
    if any(segments[earlier] in KEY_QUALIFIERS for earlier in range(index - 2, -1, -2)):
        # Same answer as GS1's engine (no primary key), said so the reader sees the real mistake.
        raise DigitalLinkError(
            "qualifier_not_allowed",
            f"{_shown(segments[index])} after the primary key is not one of its key qualifiers (§4.9).",
        )
    raise DigitalLinkError("syntax", "The path holds no GS1 primary key such as /01/<GTIN> (§4).")


def _parse_query(
    query: str, path_ais: list[str]
) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    primary_ai = path_ais[0]
    seen = set(path_ais)
    attributes: list[tuple[str, str]] = []
    other_query: list[tuple[str, str]] = []
    for parameter in query.split("&"):
        if not parameter:
            continue  # stray '&' separators are harmless (§4.10)
        raw_key, _, raw_value = parameter.partition("=")
        # Decoded first: "%31%30" is "10" (RFC 3986 §6.2.2.2) and cannot slip past the AI rules.
        key, value = _decode(raw_key, in_query=True), _decode(raw_value, in_query=True)
        if not key:
            raise DigitalLinkError("syntax", "A query parameter has no name.")
        if not DIGITS.fullmatch(key):
            other_query.append((key, value))  # linkType, context…: not GS1's to check (§4.10.1)
            continue
        if _application_identifier(key) is None:
            raise DigitalLinkError(
                "unknown_ai",
                f"{_shown(key)} is not a GS1 AI, and other query keys are not all-numeric (§4.10.1).",
            )
        if key in seen:
            raise DigitalLinkError("duplicate_ai", f"AI ({key}) appears twice in the link.")
        if any(
            _is_qualifier_sequence(primary_ai, [*path_ais[1:position], key, *path_ais[position:]])
            for position in range(1, len(path_ais) + 1)
        ):
            raise DigitalLinkError(
                "qualifier_in_query",
                f"AI ({key}) qualifies ({primary_ai}): it belongs in the path (§4.9-4.10).",
            )
        if key in NOT_DATA_ATTRIBUTES:
            raise DigitalLinkError(
                "attribute_not_allowed", f"AI ({key}) is not permitted as a data attribute (§4.10)."
            )
        _check_value(key, value)
        seen.add(key)
        attributes.append((key, value))
    return tuple(attributes), tuple(other_query)


def _is_qualifier_sequence(primary_ai: str, ais: list[str]) -> bool:
    for sequence in KEY_QUALIFIERS[primary_ai]:
        positions = [sequence.index(ai) if ai in sequence else -1 for ai in ais]
        if all(position >= 0 for position in positions) and positions == sorted(set(positions)):
            return True
    return False


@cache  # bounded: only 2-4 digit strings reach it
def _lookup(key: str) -> GS1ApplicationIdentifier | None:
    try:
        found = GS1ApplicationIdentifier.extract(key)
    except ParseError:
        return None
    return found if found.ai == key else None  # extract() matches prefixes: "999" would give (99)


def _application_identifier(key: str) -> GS1ApplicationIdentifier | None:
    return _lookup(key) if re.fullmatch(r"[0-9]{2,4}", key) else None


def _decode(raw: str, *, in_query: bool = False) -> str:
    # In the query a '+' is a space (HTML form encoding, which the vectors hold GS1 to); in the
    # path it is itself.
    if in_query:
        raw = raw.replace("+", " ")
    try:
        value = unquote_to_bytes(raw).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DigitalLinkError(
            "percent_encoding", f"{_shown(raw)} does not decode to UTF-8 text (§4.2)."
        ) from exc
    if "\x00" in value:
        raise DigitalLinkError("percent_encoding", "A percent-encoded NUL (%00) is never data (§4.2).")
    return value


def _check_value(ai: str, value: str) -> None:
    if not value:
        raise DigitalLinkError("empty_value", f"AI ({ai}) has an empty value (§4.9-4.10).")
    if ai == "01" and not DIGITS.fullmatch(value):
        raise DigitalLinkError("gtin_format", f"A GTIN is made of digits only; got {_shown(value)}.")
    if ai == "01" and len(value) != 14:
        raise DigitalLinkError(
            "gtin_length",
            f"A GTIN in a Digital Link has 14 digits, GTIN-8/12/13 zero-padded (§4.1); got {len(value)}.",
        )
    if not (value.isascii() and _matches_format(ai, value)):
        raise _format_error(ai, value)
    span = CHECK_DIGIT_SPANS.get(ai)
    if span is not None:
        digits = value[span]
        if gs1_standard_check_digit(digits[:-1]) != int(digits[-1]):
            raise DigitalLinkError("check_digit", f"The check digit of AI ({ai}) {_shown(value)} is wrong.")


def _matches_format(ai: str, value: str) -> bool:
    if not _pattern(ai).fullmatch(ai + value):
        return False
    if ai not in DATE_AIS:
        return True
    try:
        if ai == "7007" and len(value) == 12:
            # biip 5.2 reads a harvest-date range YYMMDDYYMMDD as a date and a time and refuses it;
            # each date is checked on its own.
            GS1ElementString.parse(f"7007{value[:6]}")
            GS1ElementString.parse(f"7007{value[6:]}")
        else:
            GS1ElementString.parse(f"{ai}{value}")
    except (ParseError, ValueError):
        return False
    return True


@cache  # bounded: one per AI
def _pattern(ai: str) -> re.Pattern[str]:
    entry = _lookup(ai)
    assert entry is not None
    # re.ASCII: biip's \d would otherwise take any Unicode digit ("٣") for a GTIN digit.
    return re.compile(entry.pattern, re.ASCII)


def _format_error(ai: str, value: str) -> DigitalLinkError:
    names = {"10": "lot", "21": "serial"}
    if ai in names:
        name = names[ai]
        if len(value) > 20:
            return DigitalLinkError(
                f"{name}_length", f"A {name} has at most 20 characters; got {len(value)}."
            )
        bad = "".join(sorted({char for char in value if not CSET82.fullmatch(char)}))
        return DigitalLinkError(
            f"{name}_charset",
            f"A {name} uses letters A-Z a-z, digits and !\"%&'()*+,-./:;<=>?_ (GS1 CSET 82); not {bad!r}.",
        )
    entry = _lookup(ai)
    shape = entry.format if entry else "its GS1 format"
    return DigitalLinkError("value_format", f"AI ({ai}) {_shown(value)} does not match {shape}.")


def _shown(value: str) -> str:
    return repr(value if len(value) <= 40 else value[:40] + "…")
