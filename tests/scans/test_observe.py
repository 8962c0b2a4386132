"""What the scan page shows about a code: first check, repeat checks and each "potential suspect" rule."""

from datetime import timedelta

import pytest
from django.utils import timezone

from registry.services import product_set_status
from scans.models import ScanEvent, SerialSummary, SuspectCase
from scans.services import suspect_case_decide
from scans.verdict import verdict_html
from tests.factories import make_user, with_role
from tests.scans.conftest import observe, path_of, visitor
from traceability import services
from traceability.models import Serial

pytestmark = pytest.mark.django_db


def _verdict(answer: dict) -> str:
    return str(verdict_html(answer))


def test_it_says_first_check_then_when_the_code_was_first_checked(english, serials):
    path = path_of(lot="L1", serial=serials[0].value)
    first = observe(path)
    assert first["first_seen"] is None and first["scan_count"] == 1
    assert "This is the first check of this code." in _verdict(first)

    second = observe(path, request=visitor(ip="198.51.100.9"))
    first_seen = SerialSummary.objects.get(serial=serials[0]).first_seen_at
    day = timezone.localtime(first_seen).strftime("%d/%m/%Y")
    text = _verdict(second)
    assert second["scan_count"] == 2
    assert f"This code was first checked on {day}. This is check number 2 of this code." in text
    assert "first check of this code" not in text
    assert not second["suspect"] and 'role="alert"' not in text


def test_another_serial_of_the_same_lot_is_still_a_first_check(english, serials):
    observe(path_of(lot="L1", serial=serials[0].value))
    other = observe(path_of(lot="L1", serial=serials[1].value))
    assert other["first_seen"] is None and other["scan_count"] == 1


def test_a_genuine_code_raises_nothing(english, serials):
    answer = observe(path_of(lot="L1", serial=serials[0].value))
    assert answer["suspect"] is False and answer["suspect_reasons"] == []
    assert not SuspectCase.objects.exists()


def test_a_serial_never_issued_is_a_potential_suspect_not_a_verdict(english, serials):
    answer = observe(path_of(lot="L1", serial="FORGED123"))
    text = _verdict(answer)
    assert answer["suspect"] and answer["rules"] == [SuspectCase.Rule.NEVER_ISSUED]
    assert 'role="alert"' in text
    assert "Potential suspect — not a verdict" in text
    assert "The serial number FORGED123 was never issued by the producer of this product." in text
    assert "This does not mean the product is fake." in text
    # A forged serial has no "first checked" line: nothing was ever issued to be checked.
    assert "first check" not in text and "first checked" not in text
    case = SuspectCase.objects.get()
    assert (case.kind, case.rule, case.serial_value, case.status) == (
        "alert",
        "never_issued",
        "FORGED123",
        "open",
    )


def test_a_voided_serial_is_a_potential_suspect(english, serials):
    Serial.objects.filter(pk=serials[0].pk).update(status=Serial.Status.VOIDED)
    answer = observe(path_of(lot="L1", serial=serials[0].value))
    assert answer["rules"] == [SuspectCase.Rule.VOIDED]
    assert f"The serial number {serials[0].value} was cancelled by the producer." in _verdict(answer)


def test_a_recalled_lot_is_a_potential_suspect_and_one_case_however_often_scanned(english, serials, lot):
    services.lot_recall(actor=None, lot=lot, reason="Bao bì bị lỗi")
    for serial in serials:
        answer = observe(path_of(lot="L1", serial=serial.value))
    assert "The lot L1 was recalled by the producer." in _verdict(answer)
    case = SuspectCase.objects.get()
    assert (case.rule, case.lot_code, case.serial_value, case.occurrences) == ("recalled", "L1", "", 3)


@pytest.mark.parametrize(
    ("status", "sentence"),
    [
        ("revoked", "The OCOP certificate of this product was revoked."),
        ("expired", "The OCOP certificate of this product has expired."),
    ],
)
def test_a_revoked_or_expired_certificate_is_a_potential_suspect(english, packaging, status, sentence):
    product_set_status(actor=None, product=packaging.product, status=status)
    answer = observe(path_of())
    assert answer["rules"] == [f"certificate_{status}"]
    assert sentence in _verdict(answer)
    assert SuspectCase.objects.get().rule == f"certificate_{status}"


def test_too_many_scans_of_one_serial_raise_an_alert(english, settings, serials):
    settings.OCOP_SCAN_MAX_SCANS_PER_SERIAL = 2
    path = path_of(lot="L1", serial=serials[0].value)
    assert not observe(path)["suspect"]
    assert not observe(path)["suspect"]
    third = observe(path)
    assert third["rules"] == [SuspectCase.Rule.TOO_MANY]
    assert "This code has been checked 3 times" in _verdict(third)
    fourth = observe(path)
    assert "This code has been checked 4 times" in _verdict(fourth)
    case = SuspectCase.objects.get()
    assert (case.rule, case.serial_value, case.occurrences, case.details["checks"]) == (
        "too_many",
        serials[0].value,
        2,
        4,
    )


def test_an_unknown_or_broken_code_is_neither_recorded_nor_judged(english, packaging):
    answer = observe("/01/08930000000026")
    assert answer["suspect"] is False and answer["report_form"] is None
    text = _verdict(answer)
    assert 'role="alert"' not in text and "first check" not in text and "Share my location" not in text
    assert not ScanEvent.objects.exists()


def test_a_product_level_code_is_recorded_without_a_first_seen_line(english, packaging):
    answer = observe(path_of())
    assert answer["serialised"] is False
    assert "first check" not in _verdict(answer)
    assert ScanEvent.objects.filter(product=packaging.product, serial_value="").count() == 1


def test_a_decided_false_alarm_stays_decided_when_scanned_again(english, serials):
    observe(path_of(lot="L1", serial="FORGED123"))
    SuspectCase.objects.update(status=SuspectCase.Status.FALSE_ALARM, decided_at=timezone.now())
    observe(path_of(lot="L1", serial="FORGED123"))
    case = SuspectCase.objects.get()
    assert (case.status, case.occurrences) == ("false_alarm", 2)


def test_a_confirmed_fake_is_said_on_later_scans(english, serials):
    observe(path_of(lot="L1", serial=serials[0].value))
    case = SuspectCase.objects.create(
        kind=SuspectCase.Kind.REPORT,
        product=serials[0].product,
        serial_value=serials[0].value,
        first_at=timezone.now() - timedelta(days=1),
        last_at=timezone.now() - timedelta(days=1),
    )
    official = with_role(make_user(), "province", province_id=serials[0].product.province_id)
    suspect_case_decide(actor=official, case=case, status="confirmed_fake", note="Seized at a market.")
    answer = observe(path_of(lot="L1", serial=serials[0].value))
    assert "Reviewers have confirmed that this code was found on fake packages." in _verdict(answer)
