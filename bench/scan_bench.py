"""The consumer scan page under load (issue 7): `/scan/01/{gtin}/10/{lot}/21/{serial}` → 200, the
page a phone opens after the resolver's 307, served by gunicorn as `make run` serves it (the full
Django stack: story, certificate, journey, the scan recorded), loaded by wrk on 127.0.0.1 with 32
connections cycling over 10,000 sampled serials: a first pass (each worker's first look at most
serials: one query each), then, after BENCH_SCAN_WARM_SECONDS more so that every worker remembers
every sampled serial (scans.serial_memory), the warm run the goal is about. Baseline in the same
run: nginx serving a static file of the same size as one page. Reported: requests/s, p99, the ratio
to nginx (goal ≥ 0.05 and p99 < 100 ms, warm). SQLite, and PostgreSQL when one
answers on 127.0.0.1:5432. Correctness: every page answers 200 and names the product."""

import shutil
import signal
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

from bench import harness
from bench.resolver_bench import _wait_port, _wrk, against_nginx, gunicorn, targets

PORT_APP = 8095
PORT_NGINX = 8096
LUA = """
local paths = {}
for line in io.lines("%s") do paths[#paths + 1] = "/scan" .. line end
local i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i], {["Accept-Language"] = "vi-VN,vi;q=0.9,en;q=0.8"})
end
"""
STORY_VI = "<p>" + "Chè Shan tuyết cổ thụ hái tay trên núi Suối Giàng, sao trên chảo gang. " * 12 + "</p>"


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
    work = Path(tempfile.mkdtemp(prefix="ocop-scan-"))
    uris = work / "uris.txt"
    command = [sys.executable, "-m", "bench.scan_bench", "child", database_url, str(serials), str(uris)]
    result = subprocess.run(command, check=False)
    if result.returncode != 0:
        return False
    app = gunicorn(database_url, PORT_APP)
    try:
        if not _wait_port(PORT_APP):
            print("  gunicorn did not start")
            return False
        first = uris.read_text().splitlines()[0]
        with urllib.request.urlopen(f"http://127.0.0.1:{PORT_APP}/scan{first}") as response:  # noqa: S310
            body = response.read()
            if response.status != 200 or "Chè bench".encode() not in body:
                print(f"  the scan page answered {response.status} without the product")
                return False
            size = len(body) + len(str(response.headers))
        script = work / "cycle.lua"
        script.write_text(LUA % uris)
        # First pass: most requests are a worker's first look at a serial (one query each).
        cold_rps, cold_p99, cold_bad = _wrk(f"http://127.0.0.1:{PORT_APP}/", script, seconds)
        # Warm: every sampled serial checked several times, so each worker remembers it.
        measured = against_nginx(work, script, size, seconds, PORT_APP, PORT_NGINX, warm_seconds=warm)
        if measured is None:
            return False
        app_rps, app_p99, app_bad, ngx_rps, ngx_p99 = measured
        vendor = "postgresql" if database_url.startswith("postgres") else "sqlite"
        ratio = app_rps / ngx_rps
        print(
            f"  {vendor:10} first pass {cold_rps:7,.0f} req/s p99 {cold_p99:6.1f} ms "
            f"(ratio {cold_rps / ngx_rps:.3f}) | warm {app_rps:7,.0f} req/s p99 {app_p99:6.1f} ms | "
            f"nginx static ({size:,} B) {ngx_rps:8,.0f} req/s p99 {ngx_p99:5.1f} ms | "
            f"warm ratio {ratio:.3f} (goal ≥ 0.05, p99 < 100 ms) | "
            f"non-2xx {app_bad + cold_bad} | {'ok' if app_bad + cold_bad == 0 else 'FAILED'}"
        )
        return app_bad + cold_bad == 0
    finally:
        app.send_signal(signal.SIGTERM)
        app.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)


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
