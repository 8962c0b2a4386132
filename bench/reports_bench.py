"""The programme dashboards at national scale (issue 9: `make bench`).

- data: bench.reports_data (20,000 products, 40,000 certificate events, 10,000,000 raw scans with
  their daily and monthly rollups), made once and reused;
- latency: median and p95 of BENCH_REQUESTS GETs (50) of the national dashboard (national official),
  the dashboard of the province with the most products (that province's official), the public
  statistics page and the national CSV export, as ratios against a trivial view measured in the same
  run through the same client and middleware (goal: p95 under 500 ms);
- queries: the SQL of one request of each page; a page that reads the raw scan table fails the bench
  (reports read the rollups only: DESIGN.md, docs/reports.md).
"""

import gc
import time
from datetime import datetime

from django.db import connection
from django.test import Client
from django.test.utils import override_settings
from django.utils import timezone

from bench import harness
from bench.registry_pages import officials_login
from bench.reports_data import data_ensure
from reports import summary as reports_summary
from reports.jurisdiction import NATION
from scans.models import ScanEvent

NAME = "reports"
DEFAULT_REQUESTS = 50
GOAL_MS = 500
TRIVIAL = "trivial view (baseline)"


# --- measuring ---------------------------------------------------------------------------------------


def run() -> bool:
    harness.database_prepare()
    requests = harness.env_int("BENCH_REQUESTS", DEFAULT_REQUESTS)
    today = timezone.localdate()
    data = data_ensure(today)
    national, provincial, province = officials_login()
    s = reports_summary.summary(NATION, today, period=(2021, 2025))
    figures = {
        "current": s.current,
        "per_star": s.per_star,
        "communes": s.communes,
        "expired_not_reevaluated": s.expired_not_reevaluated,
        "expiring_90_days": s.expiring,
        "first_certified_2021_2025": s.first_certified,
        "certifications_2021_2025": s.certifications,
        "recognised_since_2019": s.recognised_since_total,
    }
    print("National figures today: " + ", ".join(f"{k} {v}" for k, v in figures.items()) + ".")

    pages = {
        "national dashboard": (national, "/reports/"),
        f"province dashboard ({province}, province official)": (provincial, f"/reports/?province={province}"),
        "public statistics": (Client(), "/statistics/"),
        "national CSV export": (national, "/reports/export.csv"),
    }
    raw_table = ScanEvent._meta.db_table
    ok = True
    queries: dict[str, dict] = {}
    with override_settings(ROOT_URLCONF="bench.urls"):
        for label, (client, url) in pages.items():
            qc = harness.queries_count(client, url)
            raw = [q for q in qc.sql if raw_table in q]
            queries[label] = {"url": url, "queries": qc.count, "reads_raw_scans": bool(raw)}
            if raw:
                ok = False
                print(f"FAIL: {label} ({url}) reads the raw scan table {raw_table}: {raw[0][:300]}")
        print(f"\nTiming {requests} requests per page, interleaved, after 5 warm-up requests each...")
        gc.freeze()  # what ocop_hub.wsgi does once the application is loaded
        started = time.perf_counter()
        latency = harness.latency_measure(
            {TRIVIAL: (national, harness.TRIVIAL_URL), **pages}, requests=requests
        )
        harness.ratios_apply(latency, baseline=TRIVIAL)
        timing_s = time.perf_counter() - started

    harness.table_print(
        ["page", "queries", "median ms", "p95 ms", "median ×trivial", "p95 ×trivial", f"p95 < {GOAL_MS} ms"],
        [
            [
                label,
                queries[label]["queries"] if label in queries else "",
                f"{lat.median_ms:.1f}",
                f"{lat.p95_ms:.1f}",
                f"{lat.median_ratio:.1f}",
                f"{lat.p95_ratio:.1f}",
                ("yes" if lat.p95_ms < GOAL_MS else "NO") if label in queries else "",
            ]
            for label, lat in latency.items()
        ],
        title=f"{connection.vendor}: latency over {requests} requests per page ({timing_s:.1f} s)",
    )
    goal = {label: latency[label].p95_ms < GOAL_MS for label in pages}
    path = harness.results_write(
        NAME,
        {
            "ok": ok,
            "data": data,
            "figures": figures,
            "requests": requests,
            "province": province,
            "latency": {
                label: {"url": (pages[label][1] if label in pages else harness.TRIVIAL_URL), **vars(lat)}
                for label, lat in latency.items()
            },
            "queries": queries,
            "goal_p95_ms": GOAL_MS,
            "goal_met": goal,
            "environment": {
                **harness.environment(),
                "measured_at": datetime.now().isoformat(timespec="seconds"),
            },
        },
    )
    print(f"\nResults written to {path.relative_to(harness.BASE_DIR)}.")
    print(
        "Goal (informational): "
        + ", ".join(f"{label} {'met' if met else 'MISSED'}" for label, met in goal.items())
        + "."
    )
    print("Raw scan check: " + ("PASS" if ok else "FAIL: a report page reads raw scan events"))
    return ok
