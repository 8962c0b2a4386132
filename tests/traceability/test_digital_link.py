"""GS1 Digital Link URIs: every case of GS1's test vectors (data/, copied from the reference engine's
and digital-link.js's suites, re-judged under URI Syntax 1.6), the label builder and its round trip."""

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from biip.checksums import gs1_standard_check_digit
from hypothesis import given
from hypothesis import strategies as st

from traceability.digital_link import DigitalLink, DigitalLinkError, build, encode_value, parse, parse_path

VECTORS = json.loads(
    (Path(__file__).parent / "data" / "gs1-digital-link-test-vectors.json").read_text("utf-8")
)
CASES = VECTORS["cases"]
VALID = [case for case in CASES if case["valid"]]
RESOLVER = [case for case in CASES if case.get("resolver", {}).get("expect") in ("400", "not-400")]
BASE = "https://ocop.example.vn"
GTIN = "09520123456788"
CSET82 = "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"


def _refusal(call, *args, **kwargs) -> DigitalLinkError:
    with pytest.raises(DigitalLinkError) as exc:
        call(*args, **kwargs)
    assert str(exc.value)  # a sentence a caller can fall back to
    return exc.value


def test_it_holds_all_141_vectors():
    assert len(CASES) == 141
    assert len({case["id"] for case in CASES}) == 141


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_it_accepts_exactly_the_valid_vectors(case):
    if case["valid"]:
        assert isinstance(parse(case["uri"]), DigitalLink)
    else:
        _refusal(parse, case["uri"])


@pytest.mark.parametrize("case", VALID, ids=[case["id"] for case in VALID])
def test_it_round_trips_every_valid_vector_through_its_canonical_uri(case):
    link = parse(case["uri"])
    again = parse(link.uri(BASE))
    assert again.stem == BASE
    assert (again.primary_ai, again.primary_value, again.qualifiers) == (
        link.primary_ai,
        link.primary_value,
        link.qualifiers,
    )
    assert sorted(again.attributes) == sorted(link.attributes)
    assert (again.gtin, again.lot, again.serial) == (link.gtin, link.lot, link.serial)
    assert again.other_query == ()  # linkType and friends are the request's, not the item's


@pytest.mark.parametrize("case", RESOLVER, ids=[case["id"] for case in RESOLVER])
def test_it_reads_a_resolver_path_as_the_vectors_expect_of_a_resolver(case):
    # Including engine-L1531: the URI's trailing slash is invalid, a resolver SHOULD forgive it.
    path, _, query = case["resolver"]["path"].partition("?")
    if case["resolver"]["expect"] == "400":
        _refusal(parse_path, path, query)
    else:
        assert parse_path(path, query).primary_ai == case["resolver"]["primary_key"]


def test_it_reads_gtin_lot_serial_attributes_and_other_keys():
    link = parse_path(f"/01/{GTIN}/10/ABC%2F1/21/12345", "17=261231&linkType=gs1%3Apip&3103=000195")
    assert (link.gtin, link.lot, link.serial) == (GTIN, "ABC/1", "12345")
    assert link.qualifiers == (("10", "ABC/1"), ("21", "12345"))
    assert link.attributes == (("17", "261231"), ("3103", "000195"))
    assert link.other_query == (("linkType", "gs1:pip"),)
    assert link.stem == ""
    assert link.path() == f"/01/{GTIN}/10/ABC%2F1/21/12345"
    assert link.uri(BASE + "/") == f"{BASE}/01/{GTIN}/10/ABC%2F1/21/12345?17=261231&3103=000195"


def test_it_forgives_one_trailing_slash_in_a_resolver_path_only():
    assert parse_path(f"/01/{GTIN}/10/A/").path() == f"/01/{GTIN}/10/A"
    assert _refusal(parse, f"https://a/01/{GTIN}/10/A/").code == "syntax"


def test_it_keeps_the_custom_path_before_the_primary_key_as_the_stem():
    assert parse(f"https://a.vn/ocop/dl/01/{GTIN}").stem == "https://a.vn/ocop/dl"
    assert parse_path(f"/dl/01/{GTIN}").stem == "/dl"


def test_it_has_no_gtin_lot_or_serial_for_other_keys():
    link = parse("https://id.gs1.org/00/952012345678912345?02=09520123456788&37=25&10=ABC123")
    assert (link.gtin, link.lot, link.serial) == (None, None, None)


@pytest.mark.parametrize(
    ("gtin", "gtin14"),
    [
        ("95012346", "00000095012346"),
        ("614141123452", "00614141123452"),
        ("9520123456788", GTIN),
        (GTIN, GTIN),
    ],
    ids=["gtin-8", "gtin-12", "gtin-13", "gtin-14"],
)
def test_it_builds_with_the_gtin_padded_to_14_digits(gtin, gtin14):
    assert build(gtin=gtin, base=BASE) == f"{BASE}/01/{gtin14}"


def test_it_builds_lot_and_serial_in_canonical_order_percent_encoded():
    uri = build(gtin=GTIN, serial="S+1", lot="A/B", base=BASE + "/dl/")
    assert uri == f"{BASE}/dl/01/{GTIN}/10/A%2FB/21/S%2B1"
    assert (parse(uri).lot, parse(uri).serial) == ("A/B", "S+1")


def test_it_refuses_a_wrong_check_digit():
    error = _refusal(build, gtin="9520123456789", base=BASE)
    assert error.code == "check_digit"
    assert "'09520123456789'" in str(error)
    assert _refusal(parse_path, "/01/09520123456789").code == "check_digit"


@pytest.mark.parametrize(
    ("gtin", "code"),
    [
        ("952012345678", "check_digit"),
        ("95201234567", "gtin_length"),
        ("9520-123456788", "gtin_format"),
        ("", "gtin_format"),
    ],
)
def test_it_refuses_a_gtin_that_is_not_a_gtin(gtin, code):
    assert _refusal(build, gtin=gtin, base=BASE).code == code


def test_it_refuses_a_lot_of_21_characters():
    error = _refusal(build, gtin=GTIN, lot="A" * 21, base=BASE)
    assert error.code == "lot_length"
    assert "at most 20 characters; got 21" in str(error)
    assert build(gtin=GTIN, lot="A" * 20, base=BASE).endswith("/10/" + "A" * 20)


def test_it_refuses_a_serial_of_21_characters():
    assert _refusal(build, gtin=GTIN, serial="1" * 21, base=BASE).code == "serial_length"


@pytest.mark.parametrize("lot", ["ABC#1", "AB C", "Lô1", "A~B", "A\tB"])
def test_it_refuses_a_lot_outside_cset_82(lot):
    error = _refusal(build, gtin=GTIN, lot=lot, base=BASE)
    assert error.code == "lot_charset"
    assert "CSET 82" in str(error)


def test_it_refuses_a_percent_encoded_space_in_a_lot_and_a_serial():
    assert _refusal(parse_path, f"/01/{GTIN}/10/AB%20C").code == "lot_charset"
    assert _refusal(parse_path, f"/01/{GTIN}/21/AB%20C").code == "serial_charset"


def test_it_encodes_every_character_but_the_unreserved_ones():
    assert encode_value("A/B 1") == "A%2FB%201"
    assert encode_value("a+b%c") == "a%2Bb%25c"
    assert encode_value("Az09-._~") == "Az09-._~"
    assert encode_value("\"'()*!,:;<=>?") == "%22%27%28%29%2A%21%2C%3A%3B%3C%3D%3E%3F"


def test_it_refuses_qualifiers_out_of_order():
    error = _refusal(parse_path, f"/01/{GTIN}/21/12345/10/4512")
    assert error.code == "qualifier_order"
    assert "22/10/21 or 235" in str(error)


@pytest.mark.parametrize("raw", ["%G1", "%4", "AB%", "%%41"])
def test_it_refuses_malformed_percent_encoding(raw):
    assert _refusal(parse_path, f"/01/{GTIN}/10/{raw}").code == "percent_encoding"
    assert _refusal(parse_path, f"/01/{GTIN}", f"99={raw}").code == "percent_encoding"
    assert _refusal(parse, f"https://a/01/{GTIN}/10/{raw}").code == "percent_encoding"


@pytest.mark.parametrize(
    ("path", "query", "code"),
    [
        (f"/01/{GTIN}/10/A", "10=A", "duplicate_ai"),
        (f"/01/{GTIN}", "10=A", "qualifier_in_query"),
        (f"/01/{GTIN}/10/A", "%32%31=S", "qualifier_in_query"),  # "21", percent-encoded
        (f"/01/{GTIN}/10/A", "22=X", "qualifier_in_query"),
        (f"/01/{GTIN}/235/T", "21=S", "attribute_not_allowed"),
        (f"/01/{GTIN}", "999=x", "unknown_ai"),
        (f"/01/{GTIN}", "99", "empty_value"),
        (f"/01/{GTIN}", "99=", "empty_value"),
        (f"/01/{GTIN}", "=x", "syntax"),
        (f"/01/{GTIN}", "17=261332", "value_format"),
        (f"/01/{GTIN}", "17=260230", "value_format"),
        (f"/01/{GTIN}/17/261231", "", "qualifier_not_allowed"),
        (f"/01/{GTIN}//", "", "syntax"),
        (f"/01/{GTIN}/10/", "", "syntax"),
        ("01/" + GTIN, "", "syntax"),
        (f"/01/{GTIN}/10/%FF", "", "percent_encoding"),
    ],
)
def test_it_refuses_what_the_standard_forbids(path, query, code):
    assert _refusal(parse_path, path, query).code == code


def test_it_reads_a_harvest_date_range():
    # AI 7007 holds one date or a range YYMMDDYYMMDD (biip 5.2 refuses the range by itself).
    assert parse_path(f"/01/{GTIN}", "7007=250601250630").attributes == (("7007", "250601250630"),)
    assert _refusal(parse_path, f"/01/{GTIN}", "7007=250601251330").code == "value_format"


@pytest.mark.parametrize(
    "base",
    [
        "ftp://a",
        "https://user@a",
        "https://a_b",
        "https://a:99999",
        "https://[fe80::1%25lo]",
        "HtTpS://a",
        "https://a/x?y",
    ],
)
def test_it_refuses_a_base_it_would_refuse_to_read(base):
    assert _refusal(build, gtin=GTIN, base=base).code == "syntax"


gtins = (
    st.sampled_from([7, 11, 12, 13])
    .flatmap(lambda length: st.text("0123456789", min_size=length, max_size=length))
    .map(lambda payload: payload + str(gs1_standard_check_digit(payload)))
)
cset82_values = st.text(CSET82, min_size=1, max_size=20)


@given(gtin=gtins, lot=cset82_values, serial=cset82_values)
def test_it_reads_back_every_gtin_lot_and_serial_it_builds(gtin, lot, serial):
    parts = urlsplit(build(gtin=gtin, lot=lot, serial=serial, base=BASE))
    link = parse_path(parts.path, parts.query)
    assert (link.gtin, link.lot, link.serial) == (gtin.zfill(14), lot, serial)
