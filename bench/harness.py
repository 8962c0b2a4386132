"""What every bench module shares: its own database, request timing, query counting, tables, results.

`configure()` must run before Django is set up; everything else after.
"""

import json
import os
import re
import statistics
import time
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
BENCH_DIR = BASE_DIR / "var" / "bench"
TRIVIAL_URL = "/bench/trivial"


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise SystemExit(f"{name} must be a whole number, not “{raw}”.") from exc
    if value < 1:
        raise SystemExit(f"{name} must be at least 1.")
    return value


def configure() -> None:
    """Point Django at the bench's own database and files. Called before django.setup().

    DATABASE_URL and MEDIA_ROOT are overwritten, not defaulted: the bench creates users and thousands
    of products and must never write them into the database the shell happens to point at."""
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    os.environ["OCOP_VAR_DIR"] = str(BENCH_DIR)
    os.environ["MEDIA_ROOT"] = str(BENCH_DIR / "media")
    os.environ["DATABASE_URL"] = (
        os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{BENCH_DIR / 'bench.sqlite3'}"
    )
    # A development-only tool on its own database: the development settings (secret key, /media) are right.
    os.environ.setdefault("OCOP_DEV", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocop_hub.settings")


def database_prepare() -> None:
    """Migrate the bench database and load the reference data (map, criteria sets) when missing."""
    from django.core.management import call_command

    from places.models import Province
    from places.services import places_load
    from registry.models import ProductCategory
    from registry.services_categories import categories_load

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    if not Province.objects.exists():
        places_load()
    if not ProductCategory.objects.exists():
        categories_load()
    print(f"Bench database ready in {time.perf_counter() - started:.1f} s.")


# --- timing ------------------------------------------------------------------------------------------


@dataclass
class Latency:
    requests: int
    median_ms: float
    p95_ms: float
    mean_ms: float
    min_ms: float
    max_ms: float
    median_ratio: float | None = None
    p95_ratio: float | None = None


def percentile(samples: list[float], pct: float) -> float:
    """Linear interpolation between closest ranks (numpy's default), pct in 0..100."""
    ordered = sorted(samples)
    if len(ordered) == 1:
        return ordered[0]
    rank = (len(ordered) - 1) * pct / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def latency_measure(targets: dict[str, tuple], *, requests: int, warmup: int = 5) -> dict[str, Latency]:
    """Time GET requests through the test client: targets maps a label to (client, url).

    Requests are interleaved round by round (one of each target, then again), so a slower or busier
    moment of the machine falls on every target alike and the ratios stay fair. Every response must be
    200: a redirect to the login page would be timed as a fast page."""
    for label, (client, url) in targets.items():
        for _ in range(warmup):
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{label}: GET {url} answered {response.status_code}, expected 200.")
    samples: dict[str, list[float]] = {label: [] for label in targets}
    clock = time.perf_counter
    for _ in range(requests):
        for label, (client, url) in targets.items():
            started = clock()
            client.get(url)
            samples[label].append((clock() - started) * 1000)
    return {
        label: Latency(
            requests=len(ms),
            median_ms=statistics.median(ms),
            p95_ms=percentile(ms, 95),
            mean_ms=statistics.fmean(ms),
            min_ms=min(ms),
            max_ms=max(ms),
        )
        for label, ms in samples.items()
    }


def ratios_apply(results: dict[str, Latency], *, baseline: str) -> None:
    base = results[baseline]
    for latency in results.values():
        latency.median_ratio = latency.median_ms / base.median_ms
        latency.p95_ratio = latency.p95_ms / base.p95_ms


# --- queries -----------------------------------------------------------------------------------------


@dataclass
class QueryCount:
    count: int
    rows: int
    sql: list[str]


_NUMBERS = re.compile(r"\b\d+\b|'[^']*'")
_COLUMNS = re.compile(r"^SELECT .*? FROM ", re.DOTALL)


def queries_count(client, url: str, *, rows_marker: str = "<tr><td") -> QueryCount:
    """The SQL queries of one GET (after one unmeasured request, so per-process caches are warm), and
    how many table rows the page shows (to prove the page size took effect)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"GET {url} answered {response.status_code}, expected 200.")
    html = response.content.decode()
    return QueryCount(
        count=len(ctx), rows=html.count(rows_marker), sql=[q["sql"] for q in ctx.captured_queries]
    )


def repeated_queries(sql: list[str], *, at_least: int = 3) -> list[tuple[int, str]]:
    """Queries that differ only by their literals and run several times: the shape of an N+1."""
    shapes = Counter(_COLUMNS.sub("SELECT … FROM ", _NUMBERS.sub("?", q)) for q in sql)
    return [(n, shape) for shape, n in shapes.most_common() if n >= at_least]


# --- output ------------------------------------------------------------------------------------------


def table_print(headers: list[str], rows: list[list], *, title: str = "") -> None:
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    if title:
        print()
        print(title)
    line = "  ".join("-" * w for w in widths)
    for index, row in enumerate(cells):
        print(
            "  ".join(
                c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
        )
        if index == 0:
            print(line)


def environment() -> dict:
    """What a result was measured on, written beside it."""
    import platform
    import sys

    import django
    from django.db import connection

    return {
        "python": platform.python_version(),
        "django": django.get_version(),
        "database": connection.vendor,
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "argv": sys.argv,
    }


def results_write(name: str, data: dict) -> Path:
    path = BENCH_DIR / f"results-{name}.json"
    path.write_text(
        json.dumps(data, indent=2, ensure_ascii=False, default=_json_default) + "\n", encoding="utf-8"
    )
    return path


def _json_default(value):
    if hasattr(value, "__dataclass_fields__"):
        return asdict(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")
