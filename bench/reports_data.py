"""The national-scale records of the reports bench (bench.reports_bench), made once and reused by
later runs (what is there is detected): `demo_scale_generate` up to BENCH_PRODUCTS products (20,000)
over the 34 provinces and their communes; certificate histories for them up to BENCH_REPORT_EVENTS
certificate events (40,000: issues, renewals, upgrades, downgrades, revocations, lapses decided from
2019 to today, 36 months of validity); then BENCH_REPORT_SCANS raw scan events (10,000,000) over the
last BENCH_REPORT_SCAN_DAYS days (365) on the certified products, with the daily rollups that match
them (one row per product and day with scans) and their monthly sums."""

import math
import random
import time
from collections import defaultdict
from datetime import date, timedelta

from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from bench import harness
from certificates.models import Certificate, CertificateEvent
from certificates.services import CODE_ALPHABET, CODE_LENGTH, months_after
from evaluation.models import CriteriaRelease
from evaluation.services_criteria import criteria_release_load
from ocop_hub.db import rows_append
from places.models import Province
from registry.demo import SCALE_TAX_PREFIX, demo_scale_generate
from registry.models import Product
from scans.models import DailyScanRollup, MonthlyScanRollup, ScanEvent
from scans.services_rollups import scans_month_rollup

DEFAULT_PRODUCTS = 20_000
DEFAULT_EVENTS = 40_000
DEFAULT_SCANS = 10_000_000
DEFAULT_SCAN_DAYS = 365
NUMBER_PREFIX = "RPT-"
FIRST_DECISION = date(2019, 1, 1)
VALIDITY_MONTHS = 36
SCAN_BATCH = 500_000
Kind = CertificateEvent.Kind


# --- products and certificate histories ------------------------------------------------------------


def _history(rng: random.Random, today: date) -> list[tuple[int, date, date, str, list[tuple[str, date]]]]:
    """One product's certificates: [(stars, decided, valid until, status, [(event kind, date)])]. The
    first decision any day from 2019 to yesterday; a few revoked or changed mid-validity; at the end of
    validity 60% re-evaluated (renewal, upgrade, downgrade; late ones after a lapse), the rest lapse."""
    decided = FIRST_DECISION + timedelta(days=rng.randrange((today - FIRST_DECISION).days))
    stars = rng.choices((3, 4, 5), weights=(75, 22, 3))[0]
    kind = Kind.ISSUE
    chain = []
    while True:
        until = months_after(decided, VALIDITY_MONTHS)
        events: list[tuple[str, date]] = [(kind, decided)]
        certificate = [stars, decided, until, Certificate.Status.VALID, events]
        chain.append(certificate)
        draw = rng.random()
        if draw < 0.04:  # revoked some day of its validity
            at = decided + timedelta(days=rng.randrange(1, (until - decided).days))
            if at <= today:
                events.append((Kind.REVOCATION, at))
                certificate[3] = Certificate.Status.REVOKED
            break
        if draw < 0.12:  # upgraded or downgraded before its end, on a new dossier
            at = decided + timedelta(days=rng.randrange(200, (until - decided).days))
            if at > today:
                break
            certificate[3] = Certificate.Status.SUPERSEDED
            kind = Kind.UPGRADE if stars < 5 and (stars == 3 or rng.random() < 0.6) else Kind.DOWNGRADE
            stars += 1 if kind == Kind.UPGRADE else -1
            decided = at
            continue
        if until >= today:
            break
        after = until + timedelta(days=rng.randint(-60, 45))
        if rng.random() < 0.6 and after <= today:
            if after > until:
                events.append((Kind.LAPSE, until + timedelta(days=1)))
            certificate[3] = Certificate.Status.SUPERSEDED
            kind = rng.choices((Kind.RENEWAL, Kind.UPGRADE, Kind.DOWNGRADE), weights=(70, 20, 10))[0]
            if (kind == Kind.UPGRADE and stars == 5) or (kind == Kind.DOWNGRADE and stars == 3):
                kind = Kind.RENEWAL
            stars += {Kind.UPGRADE: 1, Kind.DOWNGRADE: -1}.get(kind, 0)
            decided = after
            continue
        if until + timedelta(days=1) <= today:
            events.append((Kind.LAPSE, until + timedelta(days=1)))
        certificate[3] = Certificate.Status.EXPIRED
        break
    return chain  # type: ignore[return-value]


def certificates_ensure(target_events: int, today: date) -> dict:
    """Certificate histories on the generated products until `target_events` events exist; made once."""
    info: dict = {"requested_events": target_events}
    existing = CertificateEvent.objects.filter(certificate__number__startswith=NUMBER_PREFIX).count()
    if existing:
        print(f"{existing:,} certificate events already there (made by an earlier run); nothing created.")
        info["created_now"] = 0
        info["fill_s"] = 0.0
        return info
    started = time.perf_counter()
    release = CriteriaRelease.objects.filter(code="26/2026").first() or criteria_release_load()[0]
    provinces = {
        p.code: p.name.removeprefix("Tỉnh ").removeprefix("Thành phố ").strip()
        for p in Province.objects.all()
    }
    products = list(
        Product.objects.filter(entity__tax_code__startswith=SCALE_TAX_PREFIX)
        .order_by("id")
        .values_list("id", "entity_id", "province_id")
    )
    rng = random.Random(9)
    rng.shuffle(products)
    used = set(Certificate.objects.values_list("verification_code", flat=True))
    certificates: list[Certificate] = []
    plans: list[list[tuple[str, date]]] = []
    events = 0
    for product_id, entity_id, province_id in products:
        if events >= target_events:
            break
        for stars, decided, until, status, history in _history(rng, today):
            code = ""
            while not code or code in used:
                code = "".join(rng.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
            used.add(code)
            n = len(certificates) + 1
            certificates.append(
                Certificate(
                    number=f"{NUMBER_PREFIX}{n:06d}/{decided.year}/GCN-OCOP-{province_id}",
                    verification_code=code,
                    product_id=product_id,
                    entity_id=entity_id,
                    release=release,
                    stars=stars,
                    decision_no=f"{n}/QĐ-UBND",
                    decision_date=decided,
                    issuer_vi=f"Ủy ban nhân dân {provinces.get(province_id, province_id)}",
                    valid_from=decided,
                    valid_until=until,
                    status=status,
                    revocation_ground=Certificate.RevocationGround.CRITERIA if status == "revoked" else "",
                    imported=True,
                )
            )
            plans.append(history)
            events += len(history)
    with transaction.atomic():
        Certificate.objects.bulk_create(certificates, batch_size=2_000)
        CertificateEvent.objects.bulk_create(
            [
                CertificateEvent(certificate_id=c.pk, kind=kind, at=at)
                for c, history in zip(certificates, plans, strict=True)
                for kind, at in history
            ],
            batch_size=5_000,
        )
    info["created_now"] = events
    info["fill_s"] = round(time.perf_counter() - started, 1)
    print(f"Created {len(certificates):,} certificates with {events:,} events in {info['fill_s']:.1f} s.")
    return info


# --- scans and their daily rollups -----------------------------------------------------------------


def _scan_plan(products: list[int], total: int, days: int, rng: random.Random) -> dict[int, list[tuple]]:
    """{day index: [(product, scans, visitors)]}: `total` scans shared by products with log-normal
    popularity; each product scanned on enough days for a few scans a day (every day for the popular)."""
    weights = [rng.lognormvariate(0, 1.2) for _ in products]
    scale = total / sum(weights)
    counts = [int(w * scale) for w in weights]
    for i in range(total - sum(counts)):
        counts[i % len(counts)] += 1
    plan: dict[int, list[tuple]] = defaultdict(list)
    for product, scans in zip(products, counts, strict=True):
        if not scans:
            continue
        active = min(days, scans, max(1, math.ceil(scans / rng.uniform(1.5, 6))))
        cuts = sorted(rng.sample(range(1, scans), active - 1)) if active > 1 else []
        per_day = [b - a for a, b in zip([0, *cuts], [*cuts, scans], strict=True)]
        for day, n in zip(sorted(rng.sample(range(days), active)), per_day, strict=True):
            plan[day].append((product, n, max(1, round(n * rng.uniform(0.5, 1.0)))))
    return plan


def scans_ensure(total: int, days: int, today: date) -> dict:
    """`total` raw scans over the `days` days before today (Vietnam time) and their daily rollups;
    made once, made again when the count asked for differs from what is there."""
    info: dict = {"requested": total, "days": days}
    existing = ScanEvent.objects.count()
    if existing == total and DailyScanRollup.objects.exists():
        info.update(created_now=0, fill_s=0.0, rollups=DailyScanRollup.objects.count())
        print(f"{existing:,} scan events already there (made by an earlier run); nothing created.")
        if not MonthlyScanRollup.objects.exists():
            info["monthly_s"] = _months_rollup(today, days)
        return info
    started = time.perf_counter()
    if existing:
        print(f"{existing:,} scan events there, {total:,} asked for: deleting them and their rollups...")
    qn = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {qn(ScanEvent._meta.db_table)}")  # noqa: S608 - the bench's own rows
        cursor.execute(f"DELETE FROM {qn(DailyScanRollup._meta.db_table)}")  # noqa: S608
        cursor.execute(f"DELETE FROM {qn(MonthlyScanRollup._meta.db_table)}")  # noqa: S608
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # a big page cache and no fsync while filling
            cursor.execute("PRAGMA cache_size=-1000000")
            cursor.execute("PRAGMA synchronous=OFF")
    products = sorted(
        Certificate.objects.filter(number__startswith=NUMBER_PREFIX)
        .values_list("product_id", flat=True)
        .order_by()
        .distinct()
    )
    if not products:
        raise SystemExit("No certified products to scan: the certificates were not generated.")
    rng = random.Random(7)
    plan = _scan_plan(products, total, days, rng)
    postgres = connection.vendor == "postgresql"
    clock = [f"{h:02d}:{m:02d}:{s:02d}" for h in range(24) for m in range(60) for s in range(60)]
    seconds = [rng.randrange(86_400) for _ in range(100_003)]
    now = timezone.now().strftime("%Y-%m-%d %H:%M:%S") + ("+00" if postgres else "")
    first_day = today - timedelta(days=days)
    rows: list[tuple] = []
    rollups: list[tuple] = []
    written = k = 0
    fields = ["at", "product", "lot_code", "serial_value", "visitor_key", "suspect", "rules"]
    suffix = "+00" if postgres else ""
    for index in range(days):
        local = first_day + timedelta(days=index)
        # Vietnam is UTC+7: local 00:00–06:59 is the day before in UTC.
        before, same = (local - timedelta(days=1)).isoformat(), local.isoformat()
        for product, n, visitors in plan.get(index, ()):
            suspects = 0
            for i in range(n):
                k += 1
                second = seconds[k % 100_003]
                utc = (
                    f"{before} {clock[second + 61_200]}"
                    if second < 25_200
                    else f"{same} {clock[second - 25_200]}"
                )
                suspect = k % 500 == 0
                suspects += suspect
                rows.append(
                    (
                        utc + suffix,
                        product,
                        "",
                        "",
                        f"{product:x}-{index:x}-{i % visitors:x}",
                        suspect if postgres else int(suspect),
                        '["too_many"]' if suspect else "[]",
                    )
                )
            rollups.append((product, same, n, visitors, suspects, now))
        if len(rows) >= SCAN_BATCH or index == days - 1:
            with transaction.atomic():
                rows_append(ScanEvent, fields, rows)
            written += len(rows)
            rows = []
            elapsed = time.perf_counter() - started
            print(f"  {written:,} scan events ({written / elapsed:,.0f}/s), up to {local}...", flush=True)
    with transaction.atomic():
        rows_append(
            DailyScanRollup, ["product", "day", "scans", "visitors", "suspect_scans", "computed_at"], rollups
        )
    if not postgres:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cursor.execute("PRAGMA synchronous=NORMAL")
    info["monthly_s"] = _months_rollup(today, days)
    info.update(created_now=written, rollups=len(rollups), fill_s=round(time.perf_counter() - started, 1))
    print(f"Created {written:,} scan events and {len(rollups):,} daily rollups in {info['fill_s']:.1f} s.")
    return info


def _months_rollup(today: date, days: int) -> float:
    """The monthly rollups of the generated days, as the scans' daily job writes them."""
    started = time.perf_counter()
    month = (today - timedelta(days=days)).replace(day=1)
    while month <= today:
        scans_month_rollup(day=month)
        month = (month + timedelta(days=32)).replace(day=1)
    elapsed = round(time.perf_counter() - started, 1)
    print(f"Monthly rollups written in {elapsed:.1f} s.")
    return elapsed


def data_ensure(today: date) -> dict:
    products = harness.env_int("BENCH_PRODUCTS", DEFAULT_PRODUCTS)
    started = time.perf_counter()
    result = demo_scale_generate(count=products)
    generate_s = round(time.perf_counter() - started, 1)
    print(
        f"Generated {result.products:,} products in {generate_s:.1f} s."
        if result.products
        else f"{result.existing:,} generated products already there; nothing generated."
    )
    data: dict = {
        "products": {"requested": products, "created_now": result.products, "fill_s": generate_s},
        "certificates": certificates_ensure(harness.env_int("BENCH_REPORT_EVENTS", DEFAULT_EVENTS), today),
        "scans": scans_ensure(
            harness.env_int("BENCH_REPORT_SCANS", DEFAULT_SCANS),
            harness.env_int("BENCH_REPORT_SCAN_DAYS", DEFAULT_SCAN_DAYS),
            today,
        ),
    }
    if connection.vendor == "postgresql":
        # What autovacuum does after big inserts; a server running without it (or a bench database
        # filled by an earlier run just now) would otherwise plan with empty-table statistics.
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        data["analyze_s"] = round(time.perf_counter() - started, 1)
        print(f"ANALYZE in {data['analyze_s']:.1f} s.")
    generated = Product.objects.filter(entity__tax_code__startswith=SCALE_TAX_PREFIX)
    data["totals"] = {
        "products": Product.objects.count(),
        "provinces": generated.values("province_id").distinct().count(),
        "communes": generated.values("commune_id").distinct().count(),
        "certificates": Certificate.objects.count(),
        "events": dict(CertificateEvent.objects.values_list("kind").annotate(n=Count("id")).order_by()),
        "scan_events": ScanEvent.objects.count(),
        "rollups": DailyScanRollup.objects.count(),
        "monthly_rollups": MonthlyScanRollup.objects.count(),
    }
    t = data["totals"]
    print(
        f"Database: {t['products']:,} products in {t['provinces']} provinces and {t['communes']:,} communes, "
        f"{t['certificates']:,} certificates, {sum(t['events'].values()):,} certificate events "
        f"({', '.join(f'{n:,} {k}' for k, n in sorted(t['events'].items()))}), "
        f"{t['scan_events']:,} scan events, {t['rollups']:,} daily and "
        f"{t['monthly_rollups']:,} monthly rollups."
    )
    return data
