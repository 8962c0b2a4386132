import pytest

from tests.factories import make_product
from traceability import digital_link, lookup, platform_ids, services
from traceability.resolver import resolve

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    lookup.cache_clear()
    yield
    lookup.cache_clear()


def test_it_builds_and_parses_the_platform_scheme_with_gs1_qualifiers():
    uri = platform_ids.build(product_id=42, lot="L/1", serial="ABC", base="https://ocop.example.vn/")
    assert uri == "https://ocop.example.vn/p/42/10/L%2F1/21/ABC"
    link = platform_ids.parse_path("/p/42/10/L%2F1/21/ABC")
    assert (link.product_id, link.lot, link.serial, link.path()) == (
        42,
        "L/1",
        "ABC",
        "/p/42/10/L%2F1/21/ABC",
    )


@pytest.mark.parametrize(
    ("path", "code"),
    [
        ("/p/0042", "syntax"),
        ("/p/abc", "syntax"),
        ("/p/42/21/A/10/B", "qualifier_order"),
        ("/p/42/10/%G1", "percent_encoding"),
        ("/p/42/10/" + "A" * 21, "lot_length"),
    ],
)
def test_it_refuses_what_a_digital_link_would_refuse(path, code):
    with pytest.raises(digital_link.DigitalLinkError) as exc:
        platform_ids.parse_path(path)
    assert exc.value.code == code
    assert resolve(method="GET", path=path, query="").status == 400


def test_the_resolver_redirects_a_known_product_and_404s_an_unknown_one():
    product = make_product()
    lot = services.lot_create(actor=None, product=product, code="L1")
    answer = resolve(method="GET", path=f"/p/{product.pk}/10/{lot.code}", query="src=label")
    assert answer.status == 307
    location = dict(answer.headers)["Location"]
    assert location.endswith(f"/scan/p/{product.pk}/10/L1?src=label")
    assert resolve(method="GET", path="/p/999999999", query="").status == 404
    linkset = resolve(method="GET", path=f"/p/{product.pk}", query="linkType=linkset")
    assert linkset.status == 200 and b"defaultLink" in linkset.body
    assert resolve(method="GET", path=f"/p/{product.pk}", query="linkType=gs1:pip").status == 404
