"""One public page under load, as the scan and catalogue benches measure it: a child process fills a
fresh database and writes the paths to load; gunicorn serves the site as `make run` does; wrk
cycles over the paths with 32 connections (Vietnamese browser), a first pass, then after
`warm_seconds` more the warm run; nginx serves a static file of the page's size in the same run.
Prints one line; False on a correctness failure (the first page lacks `check`, a non-2xx answer)."""

import shutil
import signal
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

from bench.resolver_bench import _wait_port, _wrk, against_nginx, gunicorn

LUA = """
local paths = {}
for line in io.lines("%s") do paths[#paths + 1] = "%s" .. line end
local i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i], {["Accept-Language"] = "vi-VN,vi;q=0.9,en;q=0.8"})
end
"""
STORY_VI = "<p>" + "Chè Shan tuyết cổ thụ hái tay trên núi Suối Giàng, sao trên chảo gang. " * 12 + "</p>"


def page_load(
    *,
    label: str,
    module: str,
    database_url: str,
    fill: list[str],
    check: str,
    prefix: str = "",
    ports: tuple[int, int],
    seconds: int,
    warm_seconds: int,
    goal: str = "",
) -> bool:
    """`module`'s `child(database_url, *fill, paths_file)` fills the database; each path is loaded as
    `prefix + path`."""
    work = Path(tempfile.mkdtemp(prefix="ocop-page-"))
    paths = work / "paths.txt"
    command = [sys.executable, "-m", f"bench.{module}", "child", database_url, *fill, str(paths)]
    if subprocess.run(command, check=False).returncode != 0:
        return False
    port_app, port_nginx = ports
    app = gunicorn(database_url, port_app)
    try:
        if not _wait_port(port_app):
            print("  gunicorn did not start")
            return False
        first = prefix + paths.read_text().splitlines()[0]
        request = urllib.request.Request(  # noqa: S310 (a local URL)
            f"http://127.0.0.1:{port_app}{first}", headers={"Accept-Language": "vi"}
        )
        with urllib.request.urlopen(request) as response:  # noqa: S310
            body = response.read()
            if response.status != 200 or check.encode() not in body:
                print(f"  {label} answered {response.status} without {check!r}")
                return False
            size = len(body) + len(str(response.headers))
        script = work / "cycle.lua"
        script.write_text(LUA % (paths, prefix))
        cold_rps, cold_p99, cold_bad = _wrk(f"http://127.0.0.1:{port_app}/", script, seconds)
        measured = against_nginx(work, script, size, seconds, port_app, port_nginx, warm_seconds=warm_seconds)
        if measured is None:
            return False
        app_rps, app_p99, app_bad, ngx_rps, ngx_p99 = measured
        vendor = "postgresql" if database_url.startswith("postgres") else "sqlite"
        bad = app_bad + cold_bad
        print(
            f"  {vendor:10} {label} first pass {cold_rps:7,.0f} req/s p99 {cold_p99:6.1f} ms "
            f"(ratio {cold_rps / ngx_rps:.3f}) | warm {app_rps:7,.0f} req/s p99 {app_p99:6.1f} ms | "
            f"nginx static ({size:,} B) {ngx_rps:8,.0f} req/s p99 {ngx_p99:5.1f} ms | "
            f"warm ratio {app_rps / ngx_rps:.3f}{goal} | non-2xx {bad} | {'ok' if bad == 0 else 'FAILED'}"
        )
        return bad == 0
    finally:
        app.send_signal(signal.SIGTERM)
        app.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)
