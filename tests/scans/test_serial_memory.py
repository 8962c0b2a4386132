"""A process remembers the serials it was asked about (scans.serial_memory): a repeat scan asks the
database nothing, yet the page stays right about first check, count, reviewers' decisions and
far-apart alerts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scans.models import SerialSummary, SuspectCase
from scans.serial_memory import serial_state_remembered
from scans.services import scan_locate
from tests.scans.conftest import observe, path_of, visitor
from traceability import lookup

pytestmark = pytest.mark.django_db


def test_a_serial_seen_before_is_answered_without_a_query(english, serials):
    serial = serials[0]
    observe(path_of(lot="L1", serial=serial.value))
    observe(path_of(lot="L1", serial=serial.value))  # the first check is written: now remembered
    with CaptureQueriesContext(connection) as queries:
        state = serial_state_remembered(product_id=serial.product_id, serial_value=serial.value)
    assert len(queries) == 0
    assert state is not None and state.scan_count == 2 and state.first_seen_at is not None


def test_the_count_goes_on_across_written_batches(english, serials):
    path = path_of(lot="L1", serial=serials[0].value)
    answers = [observe(path, request=visitor(ip=f"198.51.100.{n}")) for n in range(1, 6)]
    assert [a["scan_count"] for a in answers] == [1, 2, 3, 4, 5]
    assert SerialSummary.objects.get(serial=serials[0]).scan_count == 5
    first = SerialSummary.objects.get(serial=serials[0]).first_seen_at
    assert {a["first_seen"] for a in answers[1:]} == {first}


def test_a_serial_never_issued_is_not_remembered(english, serials):
    with CaptureQueriesContext(connection) as queries:
        for _ in range(2):
            state = serial_state_remembered(product_id=serials[0].product_id, serial_value="FORGED1234")
            assert state is None
    assert len(queries) == 2


def test_another_workers_checks_count_once_the_memory_is_read_again(english, serials, monkeypatch, settings):
    path = path_of(lot="L1", serial=serials[0].value)
    observe(path)
    observe(path)
    # Another worker wrote 10 checks of the same serial.
    SerialSummary.objects.filter(serial=serials[0]).update(scan_count=12)
    assert observe(path)["scan_count"] == 3  # still remembered: that worker's checks come later
    later = lookup.time.monotonic() + settings.OCOP_SCAN_STATE_CACHE_SECONDS + 1
    monkeypatch.setattr(lookup.time, "monotonic", lambda: later)
    assert observe(path)["scan_count"] == 14


def test_a_far_apart_alert_reaches_a_remembered_serial_at_once(english, serials):
    path = path_of(lot="L1", serial=serials[0].value)
    observe(path)
    assert "far_apart" not in observe(path)["rules"]
    scan_locate(request=visitor(), code_path=path, latitude="21.03", longitude="105.85")
    scan_locate(request=visitor(ip="198.51.100.4"), code_path=path, latitude="10.78", longitude="106.70")
    assert SuspectCase.objects.filter(rule="far_apart").exists()
    assert "far_apart" in observe(path)["rules"]


def test_without_memory_every_scan_reads_the_serial(english, serials, settings):
    settings.OCOP_SCAN_STATE_CACHE_SECONDS = 0
    serial = serials[0]
    observe(path_of(lot="L1", serial=serial.value))
    observe(path_of(lot="L1", serial=serial.value))
    with CaptureQueriesContext(connection) as queries:
        serial_state_remembered(product_id=serial.product_id, serial_value=serial.value)
    assert len(queries) == 1


def test_a_state_read_while_a_batch_was_written_is_read_again(english, serials):
    from scans import serial_memory

    first, second, third = serials
    for serial in serials:
        observe(path_of(lot="L1", serial=serial.value))
        observe(path_of(lot="L1", serial=serial.value))
    for serial in serials:
        serial_state_remembered(product_id=serial.product_id, serial_value=serial.value)

    def kept(serial):
        return lookup.peek(("serial-state", serial.product_id, serial.value))

    # As if: `first` was read before the batch began, `second` while it was written, `third` after.
    kept(first).asked_at, kept(first).answered_at = 1.0, 2.0
    kept(second).asked_at, kept(second).answered_at = 2.5, 3.5
    kept(third).asked_at, kept(third).answered_at = 5.0, 6.0
    at = kept(first).state.first_seen_at
    written = {(s.product_id, s.value): (4, at) for s in serials}
    serial_memory.scans_written(written, started=3.0, ended=4.0)
    assert kept(first).state.scan_count == 2 + 4  # it did not count them: now it does
    assert kept(second) is lookup.MISSING  # it may or may not have: forgotten
    assert kept(third).state.scan_count == 2  # its reading already held them
