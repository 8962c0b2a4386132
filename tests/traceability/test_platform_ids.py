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


def test_a_lots_qr_carries_its_digital_link_or_its_platform_identifier(settings):
    from registry.services import packaging_add
    from traceability.selectors import lot_uri

    base = settings.OCOP_PUBLIC_BASE_URL
    product = make_product()
    packaging = packaging_add(actor=None, product=product, size=1, unit="kg", gtin="8930000000019")
    with_gtin = services.lot_create(actor=None, product=product, packaging=packaging, code="A/1")
    without = services.lot_create(actor=None, product=product, code="B1")
    assert lot_uri(with_gtin) == f"{base}/01/08930000000019/10/A%2F1"
    assert lot_uri(without) == f"{base}/p/{product.pk}/10/B1"


def test_only_the_products_managers_get_the_lot_qr(client, settings):
    from registry.models import Role
    from tests.factories import make_user, with_role

    product = make_product()
    lot = services.lot_create(actor=None, product=product, code="L1")
    url = f"/products/{product.pk}/trace/lots/{lot.pk}/qr.svg"
    member = with_role(make_user(), Role.Kind.ENTITY_MEMBER, entity=product.entity)
    client.force_login(member)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert response.content.lstrip().startswith(b"<?xml") or b"<svg" in response.content[:200]
    other = make_product()
    client.force_login(with_role(make_user(), Role.Kind.ENTITY_MEMBER, entity=other.entity))
    assert client.get(url).status_code == 404
