import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEvent
from registry.models import Role
from registry.services import packaging_add
from tests.factories import commune, make_entity, make_product, make_user, with_role
from traceability import services
from traceability.models import Lot, Serial

pytestmark = pytest.mark.django_db

GTIN = "8930000000019"


@pytest.fixture
def product():
    return make_product(status="certified")


def test_it_creates_a_lot_and_audits_it(product):
    lot = services.lot_create(actor=None, product=product, code="L-2026/01", quantity=500)
    assert (lot.code, lot.status) == ("L-2026/01", Lot.Status.ACTIVE)
    assert AuditEvent.objects.filter(action="lot.create", object_id=str(lot.pk)).exists()


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("A" * 21, "at most 20 characters"),
        ("LÔ#1", "set 82"),
        ("", "Give the lot code"),
    ],
)
def test_it_refuses_a_lot_code_gs1_does_not_allow(english, product, code, message):
    with pytest.raises(ValidationError) as exc:
        services.lot_create(actor=None, product=product, code=code)
    assert message in " ".join(exc.value.messages)
    assert not Lot.objects.exists()


def test_it_refuses_the_same_lot_twice_and_an_expiry_before_production(english, product):
    from datetime import date

    services.lot_create(actor=None, product=product, code="L1")
    with pytest.raises(ValidationError) as exc:
        services.lot_create(
            actor=None,
            product=product,
            code="L1",
            production_date=date(2026, 5, 1),
            expiry_date=date(2026, 1, 1),
        )
    text = " ".join(exc.value.messages)
    assert "expiry date is before" in text
    assert Lot.objects.count() == 1


def test_only_who_manages_the_product_creates_lots(product):
    other_province = with_role(make_user(), Role.Kind.PROVINCE, province=commune("Cao Bằng").province)
    with pytest.raises(PermissionDenied):
        services.lot_create(actor=other_province, product=product, code="L1")
    assert not Lot.objects.exists()


def test_a_recall_needs_a_reason_and_is_audited(english, product):
    lot = services.lot_create(actor=None, product=product, code="L1")
    with pytest.raises(ValidationError):
        services.lot_recall(actor=None, lot=lot, reason="  ")
    lot = services.lot_recall(actor=None, lot=lot, reason="Nấm mốc trong lô")
    assert (lot.status, lot.recall_reason) == (Lot.Status.RECALLED, "Nấm mốc trong lô")
    assert AuditEvent.objects.filter(action="lot.recall").count() == 1


def test_it_issues_unique_unguessable_serials(product):
    packaging = packaging_add(actor=None, product=product, size=100, unit="g", gtin=GTIN)
    serial_range = services.serials_issue(actor=None, product=product, packaging=packaging, count=12_000)
    values = list(Serial.objects.filter(range=serial_range).values_list("value", flat=True))
    assert len(values) == len(set(values)) == 12_000
    assert all(len(v) == services.SERIAL_LENGTH and set(v) <= set(services.SERIAL_ALPHABET) for v in values)
    # 12,000 draws over 32 symbols: every symbol shows up at every position (not a counter).
    assert {v[0] for v in values} == set(services.SERIAL_ALPHABET)
    assert AuditEvent.objects.filter(action="serials.issue", object_id=str(serial_range.pk)).exists()


def test_a_serial_drawn_twice_is_drawn_again(product, monkeypatch):
    draws = iter(["AAAAAAAAAAAA", "AAAAAAAAAAAA", "BBBBBBBBBBBB"])
    monkeypatch.setattr(services, "serial_new", lambda: next(draws))
    monkeypatch.setattr(services, "SERIAL_BATCH", 2)
    serial_range = services.serials_issue(actor=None, product=product, count=2)
    assert sorted(Serial.objects.filter(range=serial_range).values_list("value", flat=True)) == [
        "AAAAAAAAAAAA",
        "BBBBBBBBBBBB",
    ]


@pytest.mark.parametrize("count", [0, -5, 1_000_001])
def test_it_refuses_a_range_outside_the_limit(english, product, count):
    with pytest.raises(ValidationError) as exc:
        services.serials_issue(actor=None, product=product, count=count)
    assert "between 1 and" in " ".join(exc.value.messages)
    assert not Serial.objects.exists()


def test_it_refuses_another_products_packaging_or_lot(english, product):
    other = make_product(entity=make_entity(commune_obj=commune("Lào Cai")))
    packaging = packaging_add(actor=None, product=other, size=1, unit="kg", gtin=GTIN)
    lot = services.lot_create(actor=None, product=other, code="L9")
    with pytest.raises(ValidationError):
        services.serials_issue(actor=None, product=product, packaging=packaging, count=5)
    with pytest.raises(ValidationError):
        services.serials_issue(actor=None, product=product, lot=lot, count=5)
    assert not Serial.objects.exists()


def test_a_recalled_lot_is_not_recalled_again_nor_given_serials(english, product):
    lot = services.lot_recall(
        actor=None, lot=services.lot_create(actor=None, product=product, code="L1"), reason="A"
    )
    with pytest.raises(ValidationError) as exc:
        services.lot_recall(actor=None, lot=lot, reason="B")
    assert "already recalled" in " ".join(exc.value.messages)
    with pytest.raises(ValidationError) as exc:
        services.serials_issue(actor=None, product=product, lot=lot, count=5)
    assert "no new serials" in " ".join(exc.value.messages)
    lot.refresh_from_db()
    assert lot.recall_reason == "A" and not Serial.objects.exists()
