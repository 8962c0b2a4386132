"""Writes of the scans app: a scan observed (buffered), a batch of scans recorded with their serial
summaries and alerts, a place shared, a consumer's fake report, a reviewer's decision, the daily
rollup and the retention purge.

Scan rows are telemetry, not decisions: they are not audited one by one (a scan page answering in
milliseconds cannot wait for the audit chain's lock). What a person or the platform decides is
audited: a new alert, a fake report, a review decision."""

import json
import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache, partial
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from audit.services import audit_record, snapshot
from ocop_hub.db import rows_append
from ocop_hub.text import plain_text
from registry import access
from registry.models import Product
from scans import privacy, rules, selectors
from scans.buffer import PendingScan, scan_buffer
from scans.models import DailyScanRollup, ScanEvent, ScanLocation, SerialSummary, SuspectCase
from scans.serial_memory import serial_state_remembered
from scans.services_rollups import scans_month_rollup
from traceability.changes import scan_pages_changed
from traceability.geo import distance_km

logger = logging.getLogger(__name__)

Rule = SuspectCase.Rule
Status = SuspectCase.Status
# The code of a refusal that is a rate limit (pages answer it with 429).
RATE_LIMITED = "rate_limited"


def is_rate_limited(exc: ValidationError) -> bool:
    return not hasattr(exc, "error_dict") and any(e.code == RATE_LIMITED for e in exc.error_list)


def code_path_of(link) -> str:
    """The canonical path of a scanned code ("/01/…/10/…/21/…" or "/p/…"), as the forms post it back."""
    if getattr(link, "gtin", None):
        return link.path()
    return f"/p/{link.product_id}{link.qualifiers_path}"


# --- the scan page ---------------------------------------------------------------------------------


@cache
def _url(name: str) -> str:
    return reverse(name)


def scan_observe(*, request, context: dict, record: bool = True) -> dict:
    """Record a scan (buffered) and say what the page must show. `context` is what
    traceability.selectors.scan_context returned; a code it did not find is neither recorded nor
    judged. Never raises: a failure here is logged and the page shows the product as usual.

    Returns the keys scans.verdict.verdict_html and the scans/_report_form.html template read (pass the
    dict to the page as `scan`): `first_seen` (when an issued serial was first checked, None when
    this is its first check or the code has no issued serial), `scan_count` (checks of the serial,
    this one included; 0 without one), `serialised`, `suspect`, `suspect_reasons` (sentences),
    `rules` (their codes), `code_path`, `report_url`, `locate_url`, `report_form`."""
    from scans.forms import FakeReportForm

    answer: dict = {
        "first_seen": None,
        "scan_count": 0,
        "serialised": False,
        "suspect": False,
        "suspect_reasons": [],
        "rules": [],
        "code_path": "",
        "report_url": _url("scans:report"),
        "locate_url": _url("scans:locate"),
        "report_form": None,
    }
    product = context.get("product")
    if product is None or context.get("status"):
        return answer
    try:
        link, lot, serial = context["link"], context.get("lot"), context.get("serial")
        path = code_path_of(link)
        answer["code_path"] = path
        answer["report_url"] = f"{_url('scans:report')}?{urlencode({'code': path})}"
        # Built only when a page shows it (the scan page links to the report page instead).
        answer["report_form"] = SimpleLazyObject(partial(FakeReportForm, initial={"code": path}))
        now = timezone.now()
        raised = rules.rules_of_code(
            product=product,
            link=link,
            lot=lot,
            serial=serial,
            today=timezone.localdate(now),
            certificate_until=context.get("certificate_valid_until", rules.UNKNOWN),
        )
        flags: frozenset[str] = frozenset()
        if serial is not None:
            # The summary and the reviewers' flags in one query (the page's hot path).
            state = context.get("serial_state") or serial_state_remembered(
                product_id=product.pk, serial_value=serial.value
            )
            waiting, waiting_first = scan_buffer.pending_of(serial.pk)
            earlier = (state.scan_count if state else 0) + waiting
            firsts = [t for t in (state.first_seen_at if state else None, waiting_first) if t]
            # A visit that does not record (the page's language switch) is not a new check.
            count = earlier + 1 if record else max(earlier, 1)
            first_seen = min(firsts) if firsts and (record or earlier > 1) else None
            answer.update(serialised=True, scan_count=count, first_seen=first_seen)
            if rules.too_many(count):
                raised.append(Rule.TOO_MANY)
            flags = state.flags if state else frozenset()
            if "far_apart" in flags:
                raised.append(Rule.FAR_APART)
        reasons = [rules.reason(rule, link=link, scan_count=answer["scan_count"]) for rule in raised]
        if "confirmed_fake" in flags:
            reasons.insert(0, rules.confirmed_fake_reason())
        answer.update(suspect=bool(reasons), suspect_reasons=reasons, rules=[str(r) for r in raised])
    except Exception:
        logger.exception("Scan of product %s could not be judged", getattr(product, "pk", None))
        return answer
    if not record:
        return answer
    try:
        scan_buffer.append(
            PendingScan(
                at=now,
                product_id=product.pk,
                lot_code=(link.lot or "")[:20],
                serial_value=(link.serial or "")[:20],
                serial_id=serial.pk if serial is not None else None,
                visitor_key=privacy.visitor_key(request),
                rules=tuple(answer["rules"]),
                suspect=answer["suspect"],
                code_path=path[:200],
                details={"checks": answer["scan_count"]} if Rule.TOO_MANY in raised else {},
            )
        )
    except Exception:
        logger.exception("Scan of product %s could not be logged", product.pk)
    return answer


# --- a batch of scans --------------------------------------------------------------------------------


def _alert_key(rule: str, lot_code: str, serial_value: str) -> dict:
    """What makes two alerts one case: the product's certificate is one case per product, a recalled
    lot one per lot, a serial's problems one per serial."""
    if rule in (Rule.CERTIFICATE_EXPIRED, Rule.CERTIFICATE_REVOKED):
        return {"lot_code": "", "serial_value": ""}
    if rule == Rule.RECALLED:
        return {"lot_code": lot_code, "serial_value": ""}
    return {"serial_value": serial_value}


def alert_raise(
    *, product_id: int, rule: str, lot_code: str, serial_value: str, code_path: str, at, count=1, details=None
) -> SuspectCase:
    """Add occurrences to the alert's case, or open it (audited). A decided case keeps its decision
    and counts on: a false alarm does not come back into the queue with every scan."""
    key = _alert_key(rule, lot_code, serial_value)
    case = (
        SuspectCase.objects.select_for_update()
        .filter(product_id=product_id, kind=SuspectCase.Kind.ALERT, rule=rule, **key)
        .order_by("-id")
        .first()
    )
    if case is not None:
        case.occurrences += count
        case.last_at = max(case.last_at, at)
        case.details = {**case.details, **(details or {})}
        case.save(update_fields=["occurrences", "last_at", "details"])
        return case
    case = SuspectCase.objects.create(
        kind=SuspectCase.Kind.ALERT,
        rule=rule,
        product_id=product_id,
        lot_code=key.get("lot_code", lot_code),
        serial_value=key.get("serial_value", serial_value),
        code_path=code_path,
        occurrences=count,
        first_at=at,
        last_at=at,
        details=details or {},
    )
    audit_record(
        actor=None,
        action="suspect_case.alert",
        obj=case,
        after=snapshot(case, ["rule", "lot_code", "serial_value"]),
    )
    return case


def scans_record(batch: list[PendingScan]) -> None:
    """Write a batch of buffered scans in one transaction: the rows (bulk), the serials' summaries
    and the alerts they raised. All or nothing, so a failed batch can be retried whole."""
    adapt = connection.ops.adapt_datetimefield_value
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Telemetry: the commit need not wait for the disk. A crash can lose the last fraction of
            # a second of scans, less than the buffer itself holds (OCOP_SCAN_FLUSH_SECONDS); what
            # was written stays consistent.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        # One executemany and one upsert per batch: at thousands of scans a second the ORM's
        # bulk_create/bulk_update cost more than the writes themselves.
        rows_append(
            ScanEvent,
            ["at", "product", "lot_code", "serial_value", "visitor_key", "suspect", "rules"],
            [
                (
                    adapt(s.at),
                    s.product_id,
                    s.lot_code,
                    s.serial_value,
                    s.visitor_key,
                    s.suspect,
                    json.dumps(list(s.rules)),
                )
                for s in batch
            ],
        )
        _summaries_add(batch)
        alerts: dict[tuple, list[PendingScan]] = defaultdict(list)
        for s in batch:
            for rule in s.rules:
                key = _alert_key(rule, s.lot_code, s.serial_value)
                alerts[(s.product_id, rule, key.get("lot_code"), key["serial_value"])].append(s)
        for (product_id, rule, _lot, _serial), scans in alerts.items():
            last = scans[-1]
            alert_raise(
                product_id=product_id,
                rule=rule,
                lot_code=last.lot_code,
                serial_value=last.serial_value,
                code_path=last.code_path,
                at=max(s.at for s in scans),
                count=len(scans),
                details=last.details,
            )


def _summaries_add(batch: list[PendingScan]) -> None:
    """Each serial's summary: created, or its count added to and its first/last times widened, in
    one INSERT … ON CONFLICT DO UPDATE (SQLite ≥ 3.24 and PostgreSQL), whatever another process
    wrote in between."""
    seen: dict[int, list[datetime]] = defaultdict(list)
    for s in batch:
        if s.serial_id is not None:
            seen[s.serial_id].append(s.at)
    if not seen:
        return
    qn = connection.ops.quote_name
    table = qn(SerialSummary._meta.db_table)
    postgres = connection.vendor == "postgresql"
    low, high = ("LEAST", "GREATEST") if postgres else ("MIN", "MAX")
    adapt = connection.ops.adapt_datetimefield_value
    rows = [(serial_id, adapt(min(t)), adapt(max(t)), len(t)) for serial_id, t in sorted(seen.items())]
    update = (
        f"ON CONFLICT (serial_id) DO UPDATE SET scan_count = {table}.scan_count + excluded.scan_count, "
        f"first_seen_at = {low}({table}.first_seen_at, excluded.first_seen_at), "
        f"last_seen_at = {high}({table}.last_seen_at, excluded.last_seen_at)"
    )
    columns = f"INSERT INTO {table} (serial_id, first_seen_at, last_seen_at, scan_count)"
    with connection.cursor() as cursor:
        if postgres:
            # One statement over arrays: executemany would run psycopg's Python pipeline per row.
            arrays = "unnest(%s::bigint[], %s::timestamptz[], %s::timestamptz[], %s::integer[])"
            sql = f"{columns} SELECT * FROM {arrays} {update}"  # noqa: S608 (table names from the models)
            cursor.execute(sql, [list(column) for column in zip(*rows, strict=True)])
        else:
            cursor.executemany(f"{columns} VALUES (%s, %s, %s, %s) {update}", rows)


# --- a place shared by the visitor -------------------------------------------------------------------


@dataclass(frozen=True)
class LocateAnswer:
    suspect: bool
    message: str


def _coordinate(raw, *, field: str, limit: int) -> Decimal:
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or not -limit <= value <= limit:
        raise ValidationError({field: _("The browser sent no usable location; nothing was recorded.")})
    # About 1 km: enough to tell places 150 km apart, not enough to find anyone's house.
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _code_context(code_path: str, *, field: str = "code") -> dict:
    context = selectors.code_context(code_path)
    if context.get("status"):
        raise ValidationError({field: context["problem"]})
    return context


def scan_locate(*, request, code_path: str, latitude, longitude) -> LocateAnswer:
    """A place the visitor chose to share for an issued serial, rounded, compared with the other
    places this serial was checked within OCOP_SCAN_FAR_APART_HOURS: farther apart than
    OCOP_SCAN_FAR_APART_KM raises the far-apart alert. No outside service is asked anything."""
    lat = _coordinate(latitude, field="latitude", limit=90)
    lon = _coordinate(longitude, field="longitude", limit=180)
    context = _code_context(code_path)
    serial = context.get("serial")
    if serial is None:
        raise ValidationError(
            {"code": _("Only a code with an issued serial number can be checked by place.")}
        )
    keys = privacy.visitor_keys_recent(request)
    now = timezone.now()
    with transaction.atomic():
        recent = ScanLocation.objects.filter(visitor_key__in=keys, at__gte=now - timedelta(hours=1))
        if recent.count() >= settings.OCOP_SCAN_LOCATES_PER_HOUR:
            raise ValidationError(
                _("You have shared your location many times in the last hour; please try again later."),
                code=RATE_LIMITED,
            )
        window = now - timedelta(hours=settings.OCOP_SCAN_FAR_APART_HOURS)
        others = list(
            ScanLocation.objects.filter(serial=serial, at__gte=window)
            .order_by("-at")
            .values_list("latitude", "longitude")[:500]
        )
        ScanLocation.objects.create(
            serial=serial, at=now, latitude=lat, longitude=lon, visitor_key=keys[0] if keys else ""
        )
        here = (float(lat), float(lon))
        farthest = (
            max((distance_km(here, (float(a), float(b))), (a, b)) for a, b in others) if others else None
        )
        if farthest is None or farthest[0] <= settings.OCOP_SCAN_FAR_APART_KM:
            return LocateAnswer(False, _("Thank you. Nothing unusual was found for this code at this place."))
        km, there = farthest
        link = context["link"]
        alert_raise(
            product_id=context["product"].pk,
            rule=Rule.FAR_APART,
            lot_code=link.lot or "",
            serial_value=serial.value,
            code_path=code_path_of(link),
            at=now,
            details={"km": round(km), "places": [[str(lat), str(lon)], [str(there[0]), str(there[1])]]},
        )
        scan_pages_changed()  # the serial's remembered state now carries the far-apart flag
    return LocateAnswer(True, rules.reason(Rule.FAR_APART))


# --- a consumer's fake report --------------------------------------------------------------------------


def _limited_text(value: str, *, field: str, limit: int) -> str:
    text = plain_text(value or "", field=field)
    if len(text) > limit:
        raise ValidationError({field: _("Please keep this under %(limit)s characters.") % {"limit": limit}})
    return text


def fake_report_submit(
    *, request, code_path: str, problem: str, where_bought: str = "", message: str = "", contact: str = ""
) -> SuspectCase:
    """A consumer's report that a scanned code may be fake: plain text only (markup is refused, never
    stored), limited per visitor (OCOP_FAKE_REPORTS_PER_HOUR) and per code
    (OCOP_FAKE_REPORTS_PER_CODE_PER_HOUR) so a flood cannot bury the reviewers' queue."""
    from scans.forms import CONTACT_MAX, MESSAGE_MAX, WHERE_MAX

    errors: dict[str, list[str]] = {}
    clean = {}
    for field, value, limit in (
        ("where_bought", where_bought, WHERE_MAX),
        ("message", message, MESSAGE_MAX),
        ("contact", contact, CONTACT_MAX),
    ):
        try:
            clean[field] = _limited_text(value, field=field, limit=limit)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if problem not in SuspectCase.Problem.values:
        errors["problem"] = [_("Choose what is wrong.")]
    if errors:
        raise ValidationError(errors)
    context = _code_context(code_path)
    product, link = context["product"], context["link"]
    keys = privacy.visitor_keys_recent(request)
    now = timezone.now()
    hour_ago = now - timedelta(hours=1)
    with transaction.atomic():
        # One report at a time per product: the counts below cannot be raced past.
        Product.objects.select_for_update().filter(pk=product.pk).exists()
        reports = SuspectCase.objects.filter(kind=SuspectCase.Kind.REPORT, first_at__gte=hour_ago)
        if keys and reports.filter(visitor_key__in=keys).count() >= settings.OCOP_FAKE_REPORTS_PER_HOUR:
            raise ValidationError(
                _(
                    "You have already sent %(count)s reports in the last hour, the most we accept. "
                    "They are being reviewed; please try again later."
                )
                % {"count": settings.OCOP_FAKE_REPORTS_PER_HOUR},
                code=RATE_LIMITED,
            )
        same_code = reports.filter(product=product, lot_code=link.lot or "", serial_value=link.serial or "")
        if same_code.count() >= settings.OCOP_FAKE_REPORTS_PER_CODE_PER_HOUR:
            raise ValidationError(
                _(
                    "This code has been reported many times in the last hour and reviewers have been "
                    "told. Please try again later."
                ),
                code=RATE_LIMITED,
            )
        case = SuspectCase.objects.create(
            kind=SuspectCase.Kind.REPORT,
            product=product,
            lot_code=link.lot or "",
            serial_value=link.serial or "",
            code_path=code_path_of(link),
            first_at=now,
            last_at=now,
            problem=problem,
            visitor_key=keys[0] if keys else "",
            **clean,
        )
        # The contact and the visitor key stay out of the log: personal, and the log is kept forever.
        audit_record(
            actor=None,
            action="suspect_case.report",
            obj=case,
            after=snapshot(case, ["problem", "lot_code", "serial_value", "where_bought", "message"]),
        )
    return case


# --- a reviewer's decision -------------------------------------------------------------------------------

DECISIONS = (Status.INVESTIGATING, Status.CONFIRMED_FAKE, Status.FALSE_ALARM)
# A producer may open an investigation or confirm a fake of its own product, but only an official
# may dismiss one: a producer clearing reports against its own goods would be judge in its own case.
OFFICIALS_ONLY = (Status.FALSE_ALARM,)
NOTE_REQUIRED = (Status.CONFIRMED_FAKE, Status.FALSE_ALARM)


def may_decide(user, case: SuspectCase) -> bool:
    """Officials over the product and members of its entity: the same people who see it in the queue."""
    return access.can_manage_product(user, case.product)


def suspect_case_decide(*, actor, case: SuspectCase, status: str, note: str = "") -> SuspectCase:
    """Record a review decision on an alert or report (audited, with the note as the reason)."""
    from scans.forms import NOTE_MAX

    access.require(may_decide(actor, case))
    if status not in DECISIONS:
        raise ValidationError(
            {"status": _("Choose a decision: under investigation, confirmed fake or false alarm.")}
        )
    official = actor is None or access.is_official_over(
        actor, province_id=case.product.province_id, commune_id=case.product.commune_id
    )
    if status in OFFICIALS_ONLY and not official:
        raise PermissionDenied(
            _("Only an official of the province or commune can mark a case as a false alarm.")
        )
    text = _limited_text(note, field="note", limit=NOTE_MAX)
    if status in NOTE_REQUIRED and not text:
        raise ValidationError({"note": _("Write a short note on why: the decision is kept with it.")})
    with transaction.atomic():
        locked = SuspectCase.objects.select_for_update().get(pk=case.pk)
        before = snapshot(locked, ["status", "decision_note"])
        locked.status = status
        locked.decision_note = text
        locked.decided_by = actor if getattr(actor, "is_authenticated", False) else None
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "decision_note", "decided_by", "decided_at"])
        audit_record(
            actor=actor,
            action="suspect_case.decide",
            obj=locked,
            before=before,
            after=snapshot(locked, ["status", "decision_note"]),
            reason=text,
        )
        scan_pages_changed()  # a confirmed fake (or a far-apart false alarm) shows on the serial's page
    return locked


# --- rollups and retention ----------------------------------------------------------------------------


def retention_cutoff(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) - timedelta(days=settings.OCOP_SCAN_RETENTION_DAYS)


def scans_rollup(*, day: date) -> int:
    """Count one day's scans (Vietnam time) per product: scans, distinct visitors, potential-suspect
    scans; the day's rollups are replaced (running it twice gives the same rows). A day whose raw
    rows may already be purged is refused: its rollups would shrink. The month's rollups follow
    (scans.services_rollups). Returns the products rolled up."""
    start, end = selectors.day_bounds(day)
    if start < retention_cutoff():
        raise ValidationError(
            _("The raw scans of %(day)s are past the retention period; its rollups are kept as they are.")
            % {"day": day.isoformat()}
        )
    rows = (
        ScanEvent.objects.filter(at__gte=start, at__lt=end)
        .values("product_id")
        .annotate(
            scans=Count("id"),
            visitors=Count("visitor_key", distinct=True),
            suspect_scans=Count("id", filter=Q(suspect=True)),
        )
    )
    with transaction.atomic():
        DailyScanRollup.objects.filter(day=day).delete()
        DailyScanRollup.objects.bulk_create(
            [
                DailyScanRollup(
                    product_id=row["product_id"],
                    day=day,
                    scans=row["scans"],
                    visitors=row["visitors"],
                    suspect_scans=row["suspect_scans"],
                )
                for row in rows
            ]
        )
        scans_month_rollup(day=day)
    return DailyScanRollup.objects.filter(day=day).count()


@dataclass
class PurgeReport:
    scans: int = 0
    locations: int = 0
    salts: int = 0


def scans_purge(*, now: datetime | None = None) -> PurgeReport:
    """Delete raw scans and shared places older than OCOP_SCAN_RETENTION_DAYS and salts older than
    yesterday. Rollups, summaries and review cases stay."""
    now = now or timezone.now()
    cutoff = retention_cutoff(now)
    report = PurgeReport()
    report.scans = ScanEvent.objects.filter(at__lt=cutoff).delete()[0]
    report.locations = ScanLocation.objects.filter(at__lt=cutoff).delete()[0]
    report.salts = privacy.salts_purge(today=now.astimezone(privacy.UTC).date())
    privacy.salts_forget()
    return report
