"""Reads of the scans app: the review queue scoped to the reviewer's jurisdiction, what is known about
a serial's checks, and the daily rollups reports read.

The queue is not the public product filter (registry.access.product_filter lets everyone see
certified products): a case is seen by national officials, officials of the product's province or
commune, and members of the producing entity — nobody else, certified product or not."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from registry import access
from scans.models import DailyScanRollup, SerialSummary, SuspectCase

# Longest code path a form may post back (a Digital Link with a 20-character lot and serial is ~70).
CODE_PATH_MAX = 200


def code_context(path: str) -> dict:
    """What a code path posted back by a form names (traceability.selectors.scan_context), or
    {"status": 400, "problem": ...} for a path that is not a code, a forged one included."""
    from traceability.selectors import scan_context

    path = (path or "").strip()
    if not path.startswith("/") or len(path) > CODE_PATH_MAX:
        return {"status": 400, "problem": _("This code is not registered on OCOP Hub.")}
    context = scan_context(path)
    if context.get("product") is None and not context.get("status"):
        context = {"status": 404, "problem": _("This code is not registered on OCOP Hub.")}
    return context


def review_filter(user) -> Q | None:
    """A Q over SuspectCase for what the user reviews; None means everything."""
    scope = access.scope_of(user)
    if scope.national:
        return None
    q = Q(pk__in=[])
    if scope.provinces:
        q |= Q(product__province_id__in=scope.provinces)
    if scope.communes:
        q |= Q(product__commune_id__in=scope.communes) | Q(product__entity__commune_id__in=scope.communes)
    if scope.entities:
        q |= Q(product__entity_id__in=scope.entities)
    return q


def may_review(user) -> bool:
    return access.scope_of(user).can_write


def cases_visible_to(user, *, status: str = "", kind: str = "", serial: str = "") -> QuerySet[SuspectCase]:
    """The review queue: open cases first, then the most recently seen; filters as the page offers."""
    qs = SuspectCase.objects.all()
    q = review_filter(user)
    if q is not None:
        qs = qs.filter(q)
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if serial:
        qs = qs.filter(serial_value=serial.strip())
    return qs.select_related("product__entity", "product__province", "decided_by").prefetch_related(
        "product__translations"
    )


def case_for_review(user, pk: int) -> SuspectCase:
    """One case the user reviews; SuspectCase.DoesNotExist for another jurisdiction's (a 404)."""
    return cases_visible_to(user).get(pk=pk)


@dataclass(frozen=True)
class SerialState:
    """What the scan page needs of a serial, read in one query: whether it was issued (and its
    status), its summary, and what reviewers or shared places say of it."""

    serial_id: int
    status: int  # traceability.Serial.Status
    first_seen_at: datetime | None
    scan_count: int
    flags: frozenset[str]


def serial_state(*, product_id: int, serial_value: str) -> SerialState | None:
    """None for a serial never issued. One round trip on the raw connection: the scan page answers
    thousands of requests a second (the ORM would cost more than the query)."""
    from traceability.models import Serial

    def table(model) -> str:
        return connection.ops.quote_name(model._meta.db_table)

    cases = table(SuspectCase)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT s.id, s.status, ss.first_seen_at, ss.scan_count, "  # noqa: S608
            f"EXISTS(SELECT 1 FROM {cases} c WHERE c.product_id = s.product_id AND c.serial_value = s.value "
            f"AND c.status = %s), "
            f"EXISTS(SELECT 1 FROM {cases} c WHERE c.product_id = s.product_id AND c.serial_value = s.value "
            f"AND c.kind = %s AND c.rule = %s AND c.status <> %s) "
            f"FROM {table(Serial)} s LEFT JOIN {table(SerialSummary)} ss ON ss.serial_id = s.id "
            f"WHERE s.product_id = %s AND s.value = %s",
            [
                SuspectCase.Status.CONFIRMED_FAKE,
                SuspectCase.Kind.ALERT,
                SuspectCase.Rule.FAR_APART,
                SuspectCase.Status.FALSE_ALARM,
                product_id,
                serial_value,
            ],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    serial_id, status, first_seen, count, confirmed, far_apart = row
    if isinstance(first_seen, str):  # SQLite hands raw rows back as text
        first_seen = parse_datetime(first_seen)
    if first_seen is not None and timezone.is_naive(first_seen):
        first_seen = timezone.make_aware(first_seen, UTC)
    flags = {name for name, on in (("confirmed_fake", confirmed), ("far_apart", far_apart)) if on}
    return SerialState(serial_id, status, first_seen, count or 0, frozenset(flags))


def rollups_of(product_ids, *, since: date, until: date) -> QuerySet[DailyScanRollup]:
    """Daily scan figures of products between two days (inclusive): what reports read."""
    return DailyScanRollup.objects.filter(product_id__in=product_ids, day__gte=since, day__lte=until)


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """A day in Vietnam time as UTC instants [start, end)."""
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
