"""The consumer scan page under load (issue 7): `/scan/01/{gtin}/10/{lot}/21/{serial}` → 200, the
page a phone opens after the resolver's 307, served by gunicorn as `make run` serves it (the full
Django stack: story, certificate, journey, the scan recorded), loaded by wrk on 127.0.0.1 with 32
connections cycling over 10,000 sampled serials: a first pass (each worker's first look at most
serials: one query each), then, after BENCH_SCAN_WARM_SECONDS more so that every worker remembers
every sampled serial (scans.serial_memory), the warm run the goal is about. Baseline in the same
run: nginx serving a static file of the same size as one page. Reported: requests/s, p99, the ratio
to nginx (goal ≥ 0.05 and p99 < 100 ms, warm). SQLite, and PostgreSQL when one
answers on 127.0.0.1:5432. Correctness: every page answers 200 and names the product."""

import sys
from pathlib import Path

from bench import harness
from bench.page_load import STORY_VI, page_load
from bench.resolver_bench import targets

PORT_APP = 8095
PORT_NGINX = 8096


def child(database_url: str, serials: int, uris_path: Path) -> None:
    from bench.resolver_bench import child as resolver_child

    resolver_child(database_url, serials, uris_path)
    from registry.models import Product
    from registry.services import product_update

    product = Product.objects.get()
    product_update(
        actor=None,
        product=product,
        translations={"vi": {"name": "Chè bench", "story": STORY_VI, "usage": "Hãm 3 phút."}},
    )


def _measure(database_url: str, serials: int, seconds: int, warm: int) -> bool:
    return page_load(
        label="scan page",
        module="scan_bench",
        database_url=database_url,
        fill=[str(serials)],
        check="Chè bench",
        prefix="/scan",
        ports=(PORT_APP, PORT_NGINX),
        seconds=seconds,
        warm_seconds=warm,
        goal=" (goal ≥ 0.05, p99 < 100 ms)",
    )


def run() -> bool:
    urls = targets("scan")
    if urls is None:
        return False
    serials = harness.env_int("BENCH_SCAN_SERIALS", 100_000)
    seconds = harness.env_int("BENCH_SCAN_SECONDS", 10)
    warm = harness.env_int("BENCH_SCAN_WARM_SECONDS", 15)
    return all([_measure(url, serials, seconds, warm) for url in urls])


if __name__ == "__main__":
    harness.configure()
    if sys.argv[1] == "child":
        child(sys.argv[2], int(sys.argv[3]), Path(sys.argv[4]))
