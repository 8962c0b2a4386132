"""The GS1 resolver under load (issue 6): `/01/{gtin}/10/{lot}/21/{serial}` → 307, with
BENCH_RESOLVER_SERIALS (1,000,000) serials in the database, served by gunicorn as `make run` serves
the site (ocop_hub.wsgi: the resolver's WSGI fast path in front of Django; gthread, 2 workers ×
4 threads), loaded by wrk on 127.0.0.1 (32 connections, BENCH_RESOLVER_SECONDS each) cycling over
10,000 real serials. Baseline in the same run: nginx serving a static file of the same size as the
resolver's whole 307 response. Reported: requests/s, p99, the ratio to nginx; and the rate of
issuing the serials. On SQLite and, when one answers on 127.0.0.1:5432, on PostgreSQL.
Correctness: every sampled URI answers 307 to its scan page before the load; wrk sees no non-3xx.
wrk and nginx are Debian packages (`make bench` installs them when missing)."""

import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import harness

PORT_APP = 8093
PORT_NGINX = 8094
SAMPLE = 10_000
LUA = """
local paths = {}
for line in io.lines("%s") do paths[#paths + 1] = line end
local i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
"""


def child(database_url: str, serials: int, uris_path: Path) -> None:
    """Fill one database: a product with a GTIN, a lot, `serials` serials; write sampled paths."""
    os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()
    from django.core.management import call_command

    from places.services import places_load
    from registry.models import Entity, ProductCategory
    from registry.services import entity_create, packaging_add, product_create
    from registry.services_categories import categories_load
    from traceability import digital_link, services
    from traceability.models import Serial

    call_command("migrate", interactive=False, verbosity=0)
    places_load()
    categories_load()
    from places.models import Commune

    entity = entity_create(
        actor=None,
        kind=Entity.Kind.COOPERATIVE,
        legal_name="HTX Bench",
        tax_code="8199999999",
        representative="A",
        address="B",
        commune=Commune.objects.order_by("code").first(),
    )
    product = product_create(
        actor=None,
        entity=entity,
        category=ProductCategory.objects.get(code="QD26-11"),
        translations={"vi": {"name": "Chè bench"}},
    )
    packaging = packaging_add(actor=None, product=product, size=100, unit="g", gtin="8930000000019")
    lot = services.lot_create(actor=None, product=product, packaging=packaging, code="BENCH-1")
    started = time.perf_counter()
    services.serials_issue(actor=None, product=product, packaging=packaging, lot=lot, count=serials)
    issue_s = time.perf_counter() - started
    values = list(Serial.objects.filter(product=product).values_list("value", flat=True))
    rng = random.Random(6)
    sample = rng.sample(values, min(SAMPLE, len(values)))
    base = "http://x"
    lines = [
        digital_link.build(gtin=packaging.gtin, lot=lot.code, serial=v, base=base)[len(base) :]
        for v in sample
    ]
    uris_path.write_text("\n".join(lines) + "\n")
    from django.db import connection

    if connection.vendor == "postgresql":
        # Let autovacuum's pass over a million fresh rows happen now, not during the measurement.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    print(f"  serials: {serials:,} issued in {issue_s:.1f} s ({serials / issue_s:,.0f}/s)")


def _wait_port(port: int, timeout: float = 20) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.3).close()
            return True
        except OSError:
            time.sleep(0.2)
    return False


def _wrk(url: str, script: Path | None, seconds: int) -> tuple[float, float, int]:
    args = ["wrk", "-t2", "-c32", f"-d{seconds}s", "--latency", url]
    if script:
        args[1:1] = ["-s", str(script)]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    rps_raw = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p99_raw = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    if rps_raw is None or p99_raw is None:
        raise RuntimeError(f"wrk printed no rate or p99:\n{out}")
    rps = float(rps_raw.group(1))
    p99 = float(p99_raw.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[p99_raw.group(2)]
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return rps, p99, int(bad.group(1)) if bad else 0


def _nginx(root: Path, size: int, port: int = PORT_NGINX) -> subprocess.Popen:
    (root / "static.txt").write_bytes(b"x" * size)
    conf = root / "nginx.conf"
    conf.write_text(
        f"worker_processes 2; pid {root}/nginx.pid; error_log {root}/error.log; daemon off;\n"
        "events { worker_connections 1024; }\n"
        f"http {{ access_log off; client_body_temp_path {root}; proxy_temp_path {root}; "
        f"fastcgi_temp_path {root}; uwsgi_temp_path {root}; scgi_temp_path {root};\n"
        f"server {{ listen 127.0.0.1:{port}; root {root}; }} }}\n"
    )
    return subprocess.Popen(
        ["nginx", "-c", str(conf), "-p", str(root)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def gunicorn(database_url: str, port: int) -> subprocess.Popen:
    """The site as `make run` serves it (ocop_hub.wsgi under gunicorn, gthread 2 × 4) on `port`."""
    env = {**os.environ, "DATABASE_URL": database_url, "OCOP_DEV": "1"}
    return subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "ocop_hub.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "4",
            "--worker-class",
            "gthread",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=harness.BASE_DIR,
    )


def _measure(database_url: str, serials: int, seconds: int) -> bool:
    work = Path(tempfile.mkdtemp(prefix="ocop-resolver-"))
    uris = work / "uris.txt"
    result = subprocess.run(
        [sys.executable, "-m", "bench.resolver_bench", "child", database_url, str(serials), str(uris)],
        check=False,
    )
    if result.returncode != 0:
        return False
    app = gunicorn(database_url, PORT_APP)
    try:
        if not _wait_port(PORT_APP):
            print("  gunicorn did not start")
            return False
        import urllib.request

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        opener = urllib.request.build_opener(NoRedirect)
        first = uris.read_text().splitlines()[0]
        try:
            opener.open(f"http://127.0.0.1:{PORT_APP}{first}")
            print("  the resolver did not redirect")
            return False
        except urllib.error.HTTPError as exc:
            if exc.code != 307 or "/scan/01/" not in exc.headers.get("Location", ""):
                print(f"  the resolver answered {exc.code} {exc.headers.get('Location')}")
                return False
            size = len(str(exc.headers)) + len("HTTP/1.1 307 Temporary Redirect\r\n")
        script = work / "cycle.lua"
        script.write_text(LUA % uris)
        measured = against_nginx(work, script, size, seconds, PORT_APP, PORT_NGINX)
        if measured is None:
            return False
        app_rps, app_p99, app_bad, ngx_rps, ngx_p99 = measured
        vendor = "postgresql" if database_url.startswith("postgres") else "sqlite"
        print(
            f"  {vendor:10} resolver {app_rps:8,.0f} req/s p99 {app_p99:6.1f} ms | nginx static ({size} B) "
            f"{ngx_rps:8,.0f} req/s p99 {ngx_p99:5.1f} ms | ratio {app_rps / ngx_rps:.3f} | "
            f"non-3xx answers {app_bad} | {'ok' if app_bad == 0 else 'FAILED'}"
        )
        return app_bad == 0
    finally:
        app.send_signal(signal.SIGTERM)
        app.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)


def against_nginx(
    work: Path, script: Path, size: int, seconds: int, app_port: int, nginx_port: int, warm_seconds: int = 3
) -> tuple[float, float, int, float, float] | None:
    """wrk on the app (after a warm-up), then on nginx serving `size` bytes, in the same run:
    (app req/s, app p99 ms, app non-2xx/3xx, nginx req/s, nginx p99 ms); None when nginx won't start."""
    _wrk(f"http://127.0.0.1:{app_port}/", script, warm_seconds)  # warm the connections and caches
    app_rps, app_p99, app_bad = _wrk(f"http://127.0.0.1:{app_port}/", script, seconds)
    nginx = _nginx(work, size, nginx_port)
    try:
        if not _wait_port(nginx_port):
            print("  nginx did not start")
            return None
        _wrk(f"http://127.0.0.1:{nginx_port}/static.txt", None, 2)
        ngx_rps, ngx_p99, _ = _wrk(f"http://127.0.0.1:{nginx_port}/static.txt", None, seconds)
        return app_rps, app_p99, app_bad, ngx_rps, ngx_p99
    finally:
        nginx.send_signal(signal.SIGTERM)
        nginx.wait(timeout=10)


def targets(name: str) -> list[str] | None:
    """The databases a load bench fills: a fresh SQLite file, and PostgreSQL when one answers
    (database ocop_bench_<name>, recreated); None without wrk and nginx."""
    if not (shutil.which("wrk") and shutil.which("nginx")):
        print("wrk and nginx are needed (apt-get install -y wrk nginx-light); skipped.")
        return None
    from bench.imports_bench import _postgres_recreate, _postgres_url

    sqlite_path = harness.BENCH_DIR / f"{name}.sqlite3"
    sqlite_path.unlink(missing_ok=True)
    urls = [f"sqlite:///{sqlite_path}"]
    pg = _postgres_url()
    if pg:
        pg = pg.rsplit("/", 1)[0] + f"/ocop_bench_{name}"
        if _postgres_recreate(pg):
            urls.append(pg)
    return urls


def run() -> bool:
    urls = targets("resolver")
    if urls is None:
        return False
    serials = harness.env_int("BENCH_RESOLVER_SERIALS", 1_000_000)
    seconds = harness.env_int("BENCH_RESOLVER_SECONDS", 10)
    return all([_measure(url, serials, seconds) for url in urls])


if __name__ == "__main__":
    harness.configure()
    if sys.argv[1] == "child":
        child(sys.argv[2], int(sys.argv[3]), Path(sys.argv[4]))
