"""Scan logging: batches, failures that never reach the page, privacy, rollups and retention."""

import hashlib
import hmac
from datetime import datetime, timedelta

import pytest
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import AuditEvent
from scans import privacy, services
from scans.buffer import scan_buffer
from scans.models import (
    DailyScanRollup,
    MonthlyScanRollup,
    ScanEvent,
    ScanLocation,
    SerialSummary,
    SuspectCase,
    VisitorSalt,
)
from tests.factories import commune, make_entity, make_product
from tests.scans.conftest import observe, path_of, visitor

pytestmark = pytest.mark.django_db


def test_scans_wait_and_are_written_in_one_batch(english, settings, serials):
    settings.OCOP_SCAN_BUFFER_SIZE = 3
    path = path_of(lot="L1", serial=serials[0].value)
    observe(path)
    second = observe(path)
    # Nothing written yet, but the visitor already sees the first check and the count.
    assert not ScanEvent.objects.exists() and not SerialSummary.objects.exists()
    assert second["scan_count"] == 2 and second["first_seen"] is not None
    with CaptureQueriesContext(connection) as queries:
        observe(path)
    assert ScanEvent.objects.count() == 3
    writes = [q["sql"].split(" (")[0] for q in queries.captured_queries if "INSERT" in q["sql"]]
    if connection.vendor == "postgresql":
        # The rows go by COPY (psycopg's cursor, outside Django's query log), the summaries in one
        # statement over arrays.
        assert writes == ['INSERT INTO "scans_serialsummary"']
    else:
        # One executemany for the three rows and one upsert for the summary (Django logs an
        # executemany as "N times: <sql>").
        assert writes == [
            '3 times: INSERT INTO "scans_scanevent"',
            '1 times: INSERT INTO "scans_serialsummary"',
        ]
    assert SerialSummary.objects.get(serial=serials[0]).scan_count == 3
    assert len(scan_buffer) == 0


def test_a_failing_write_never_breaks_the_page_and_is_retried(english, settings, serials, monkeypatch):
    settings.OCOP_SCAN_BUFFER_SIZE = 2
    path = path_of(lot="L1", serial=serials[0].value)

    def database_away(batch):
        raise RuntimeError("database is away")

    monkeypatch.setattr(services, "scans_record", database_away)
    observe(path)
    answer = observe(path)  # the batch is due: its write fails
    assert answer["scan_count"] == 2 and answer["report_form"] is not None
    assert not ScanEvent.objects.exists()
    assert len(scan_buffer) == 2  # kept for the next try
    monkeypatch.undo()
    third = observe(path)
    assert third["scan_count"] == 3
    assert ScanEvent.objects.count() == 3
    assert SerialSummary.objects.get(serial=serials[0]).scan_count == 3
    assert observe(path)["scan_count"] == 4  # the written scans no longer count as waiting


def test_a_failing_visitor_key_never_breaks_the_page(english, serials, monkeypatch):
    def broken(request, **kwargs):
        raise RuntimeError("salt table missing")

    monkeypatch.setattr(privacy, "visitor_key", broken)
    answer = observe(path_of(lot="L1", serial="FORGED123"))
    assert answer["suspect"] and answer["suspect_reasons"]
    assert not ScanEvent.objects.exists()


def test_no_raw_ip_address_is_stored_anywhere(client, english, serials):
    ip = "203.0.113.77"
    path = path_of(lot="L1", serial=serials[0].value)
    observe(path, request=visitor(ip=ip))
    same = {"REMOTE_ADDR": ip, "HTTP_USER_AGENT": visitor().headers["User-Agent"]}
    place = {"code": path, "latitude": "21.03", "longitude": "105.85"}
    client.post("/scans/locate/", place, HTTP_X_OCOP_LOCATE="1", **same)
    client.post("/scans/report/", {"code": path, "problem": "looks_fake", "message": "Hộp méo"}, **same)
    assert ScanEvent.objects.count() == 1 and ScanLocation.objects.count() == 1
    assert SuspectCase.objects.filter(kind="report").count() == 1
    stored = "".join(
        serializers.serialize("json", model.objects.all())
        for model in (ScanEvent, ScanLocation, SerialSummary, SuspectCase, DailyScanRollup, AuditEvent)
    )
    assert ip not in stored
    key = ScanEvent.objects.get().visitor_key
    # The same visitor, recognisable within the day only by the keyed hash.
    assert len(key) == 64 and ScanLocation.objects.get().visitor_key == key
    assert SuspectCase.objects.get(kind="report").visitor_key == key


def test_the_visitor_key_is_a_keyed_hash_under_the_day_salt(serials):
    request = visitor(ip="203.0.113.77", agent="Agent/1")
    key = privacy.visitor_key(request)
    salt = VisitorSalt.objects.get(day=privacy.utc_today()).salt
    expected = hmac.new(bytes.fromhex(salt), b"203.0.113.77\nAgent/1", hashlib.sha256).hexdigest()
    assert key == expected
    assert privacy.visitor_key(visitor(ip="203.0.113.78", agent="Agent/1")) != key


def test_salts_rotate_daily_and_old_ones_are_deleted(serials):
    today = privacy.utc_today()
    for age in (1, 2, 5):
        VisitorSalt.objects.create(day=today - timedelta(days=age), salt=f"{age:02d}" * 32)
    request = visitor()
    today_key = privacy.visitor_key(request)  # makes today's salt, deletes those before yesterday
    assert set(VisitorSalt.objects.values_list("day", flat=True)) == {today, today - timedelta(days=1)}
    yesterday_key = privacy.visitor_key(request, day=today - timedelta(days=1))
    assert yesterday_key and yesterday_key != today_key
    # A deleted day's key can no longer be computed.
    assert privacy.visitor_key(request, day=today - timedelta(days=2)) == ""
    assert privacy.visitor_keys_recent(request) == [today_key, yesterday_key]


def _scan_at(product, at, *, visitor_key="v1", suspect=False):
    return ScanEvent.objects.create(
        at=at,
        product=product,
        visitor_key=visitor_key,
        suspect=suspect,
        rules=["recalled"] if suspect else [],
    )


def test_the_rollup_counts_scans_visitors_and_suspect_scans_per_product_and_day(packaging):
    tea = packaging.product
    other = make_product(status="certified", entity=make_entity(commune_obj=commune("Lạng Sơn")))
    day = timezone.localdate() - timedelta(days=1)
    morning = timezone.make_aware(datetime.combine(day, datetime.min.time())) + timedelta(hours=8)
    _scan_at(tea, morning, visitor_key="a")
    _scan_at(tea, morning + timedelta(hours=1), visitor_key="a")
    _scan_at(tea, morning + timedelta(hours=2), visitor_key="b", suspect=True)
    _scan_at(other, morning, visitor_key="a")
    # Just before and just after the day (Vietnam time): not counted in it.
    _scan_at(tea, morning - timedelta(hours=8, seconds=1), visitor_key="c")
    _scan_at(tea, morning + timedelta(hours=16), visitor_key="c")

    assert services.scans_rollup(day=day) == 2
    assert services.scans_rollup(day=day) == 2  # recomputed, not added
    rows = {
        r.product_id: (r.scans, r.visitors, r.suspect_scans) for r in DailyScanRollup.objects.filter(day=day)
    }
    assert rows == {tea.pk: (3, 2, 1), other.pk: (1, 1, 0)}


def test_the_rollup_keeps_the_months_sums_with_the_days(packaging):
    """The monthly rollups the reports read are the sums of the month's daily rollups, rewritten with
    each day: an earlier day of the month stays counted, another month is not touched."""
    tea = packaging.product
    day = timezone.localdate() - timedelta(days=1)
    noon = timezone.make_aware(datetime.combine(day, datetime.min.time())) + timedelta(hours=12)
    first = day.replace(day=1)
    earlier = DailyScanRollup.objects.create(product=tea, day=first, scans=5, visitors=2, suspect_scans=1)
    if earlier.day == day:  # the first of the month: the earlier day is in the month before
        earlier.day = first - timedelta(days=1)
        earlier.save()
    _scan_at(tea, noon, visitor_key="a")
    _scan_at(tea, noon + timedelta(minutes=5), visitor_key="b", suspect=True)
    services.scans_rollup(day=day)
    services.scans_rollup(day=day)  # recomputed, not added
    months = {
        r.month: (r.scans, r.visitor_days, r.suspect_scans)
        for r in MonthlyScanRollup.objects.filter(product=tea)
    }
    if earlier.day.month == day.month:
        assert months == {first: (7, 4, 2)}
    else:  # that month's rows are written when one of its days is rolled up
        assert months == {first: (2, 2, 1)}


def test_the_rollup_refuses_a_day_past_retention(settings, packaging, english):
    settings.OCOP_SCAN_RETENTION_DAYS = 30
    old_day = timezone.localdate() - timedelta(days=31)
    DailyScanRollup.objects.create(product=packaging.product, day=old_day, scans=7, visitors=5)
    with pytest.raises(ValidationError) as exc:
        services.scans_rollup(day=old_day)
    assert "past the retention period" in exc.value.messages[0]
    assert DailyScanRollup.objects.get(day=old_day).scans == 7
    with pytest.raises(CommandError, match="past the retention period"):
        call_command("scans_rollup", day=old_day.isoformat())
    with pytest.raises(CommandError, match="must be a date"):
        call_command("scans_rollup", day="yesterday")


def test_the_purge_deletes_raw_rows_past_retention_and_keeps_rollups(settings, serials):
    settings.OCOP_SCAN_RETENTION_DAYS = 30
    product = serials[0].product
    now = timezone.now()
    old = _scan_at(product, now - timedelta(days=31))
    recent = _scan_at(product, now - timedelta(days=29))
    ScanLocation.objects.create(serial=serials[0], at=now - timedelta(days=31), latitude=21, longitude=105)
    ScanLocation.objects.create(serial=serials[0], at=now - timedelta(days=1), latitude=21, longitude=105)
    DailyScanRollup.objects.create(product=product, day=timezone.localdate(old.at), scans=1, visitors=1)
    call_command("scans_purge")
    assert list(ScanEvent.objects.values_list("pk", flat=True)) == [recent.pk]
    assert ScanLocation.objects.count() == 1
    assert DailyScanRollup.objects.count() == 1


def test_the_daily_job_writes_waiting_scans_then_rolls_them_up(settings, serials):
    from scans.tasks import scans_daily_run

    settings.OCOP_SCAN_BUFFER_SIZE = 100
    observe(path_of(lot="L1", serial=serials[0].value))
    observe(path_of(lot="L1", serial=serials[1].value), request=visitor(ip="198.51.100.1"))
    report = scans_daily_run(today=timezone.localdate())
    assert report.flushed == 2
    rollup = DailyScanRollup.objects.get(product=serials[0].product, day=timezone.localdate())
    assert (rollup.scans, rollup.visitors, rollup.suspect_scans) == (2, 2, 0)
