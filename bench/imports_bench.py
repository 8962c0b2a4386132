"""Importing a province's history at national scale (issue 4).

One XLSX of BENCH_IMPORT_ENTITIES entities (9,800) and BENCH_IMPORT_PRODUCTS products (17,000), made
with openpyxl on real communes; then, on a fresh database, the preview and the apply exactly as the
background task runs them (services.import_preview_run / import_apply_run). Baseline in the same run:
reading the same file with openpyxl's read-only mode (values only), the fastest any import could
read it. Reported: rows/s of preview, apply and both, the ratio to the raw read rate, peak RSS and
how much the import added to the set-up's peak (migrate + the map: ~300 MB, the import +0 MB at a
quarter of the national file, +20–80 MB at full size).
Run on SQLite (a new file) and, when BENCH_IMPORT_PG_URL or a PostgreSQL on 127.0.0.1:5432 answers,
on a new PostgreSQL database — each in its own process, so Django is configured once per database.
Correctness: every row previewed as "create", applied; a second preview finds everything unchanged.
"""

import os
import random
import resource
import socket
import subprocess
import sys
import time
from pathlib import Path

from bench import harness

WORDS = [
    "chè",
    "trà",
    "mật",
    "ong",
    "gạo",
    "nếp",
    "miến",
    "dong",
    "rượu",
    "men",
    "lá",
    "măng",
    "khô",
    "nấm",
    "hương",
    "cá",
    "hồi",
    "thịt",
    "trâu",
    "gác",
    "bếp",
    "hạt",
    "dẻ",
    "quế",
    "hồi",
    "cam",
    "sành",
    "bưởi",
    "vải",
    "thiều",
    "mận",
    "hậu",
    "lạc",
    "tiên",
    "sâm",
    "dược",
    "liệu",
    "bánh",
    "chưng",
    "cốm",
    "làng",
    "vòng",
    "tương",
    "ớt",
    "mắm",
    "tôm",
    "nước",
    "mắm",
    "cà",
    "phê",
    "ca",
    "cao",
    "hạt",
    "điều",
    "tiêu",
    "dừa",
    "sấy",
    "thổ",
    "cẩm",
    "mây",
    "tre",
    "đan",
    "gốm",
    "sứ",
    "chổi",
    "chít",
]


def _names(rng: random.Random, n: int) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    while len(out) < n:
        name = " ".join(rng.sample(WORDS, 3)).capitalize() + f" {rng.randrange(10**6):06d}"
        if name not in seen:
            seen.add(name)
            out.append(name)
    return out


def file_make(entities: int, products: int) -> Path:
    path = harness.BENCH_DIR / f"import-{entities}-{products}.xlsx"
    import django

    django.setup()
    from openpyxl import Workbook

    from places.models import Commune

    if path.exists() and path.stat().st_mtime > Path(__file__).stat().st_mtime:
        return path
    rng = random.Random(2026)
    communes = list(Commune.objects.select_related("province").order_by("code"))
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Chủ thể")
    sheet.append(
        [
            "Mã số thuế",
            "Tên chủ thể",
            "Loại hình",
            "Người đại diện",
            "Điện thoại",
            "Địa chỉ",
            "Xã/phường",
            "Tỉnh/thành phố",
            "Năm thành lập",
            "Số lao động",
            "Lao động nữ",
        ]
    )
    entity_rows = []
    for i, name in enumerate(_names(rng, entities)):
        commune = communes[i % len(communes)]
        tax = f"{8100000000 + i:010d}"
        entity_rows.append((tax, commune))
        sheet.append(
            [
                tax,
                f"Hợp tác xã {name}",
                "Hợp tác xã",
                "Nguyễn Văn An",
                "0912 345 678",
                f"Thôn {i % 40 + 1}",
                commune.name,
                commune.province.name,
                2000 + i % 25,
                10 + i % 50,
                5,
            ]
        )
    sheet = workbook.create_sheet("Sản phẩm")
    sheet.append(
        [
            "Mã số thuế chủ thể",
            "Mã sản phẩm",
            "Tên sản phẩm",
            "Bộ tiêu chí",
            "Hạn sử dụng (ngày)",
            "Giá thấp nhất (đồng)",
            "Giá cao nhất (đồng)",
            "Công suất/tháng",
            "Đơn vị công suất",
        ]
    )
    for i, name in enumerate(_names(rng, products)):
        tax, _commune = entity_rows[i % len(entity_rows)]
        sheet.append(
            [tax, f"P{i:06d}", name, (i % 26) + 1, 180 + i % 500, "120.000", "350.000", 100 + i % 900, "kg"]
        )
    workbook.save(path)
    return path


def raw_read(path: Path) -> tuple[int, float]:
    from openpyxl import load_workbook

    started = time.perf_counter()
    workbook = load_workbook(path, read_only=True, data_only=True)
    rows = 0
    for sheet in workbook.worksheets:
        for _row in sheet.iter_rows(values_only=True):
            rows += 1
    workbook.close()
    return rows, time.perf_counter() - started


def child(database_url: str, path: Path) -> None:
    """One database: migrate, load the map, import the file (preview + apply), print a result line."""
    os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command

    from places.services import places_load
    from registry.models import Entity, Product, Role
    from registry.services_categories import categories_load
    from transfers import services

    call_command("migrate", interactive=False, verbosity=0)
    places_load()
    categories_load()
    user = get_user_model().objects.create_user(username="bench-national")
    Role.objects.create(user=user, kind=Role.Kind.NATIONAL)
    content = path.read_bytes()
    rss_before_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    read_rows, read_s = raw_read(path)
    job = services.import_job_create(actor=user, upload=SimpleUploadedFile(path.name, content))
    started = time.perf_counter()
    job = services.import_preview_run(job_id=job.pk)
    preview_s = time.perf_counter() - started
    ok = job.status == "previewed" and job.error_count == 0
    if not ok:
        print(f"  preview: {job.status} {job.message} {job.counts}")
    services.import_apply_confirm(actor=user, job=job)
    started = time.perf_counter()
    job = services.import_apply_run(job_id=job.pk)
    apply_s = time.perf_counter() - started
    ok = ok and job.status == "applied"
    entities, products = Entity.objects.count(), Product.objects.count()
    again = services.import_preview_run(
        job_id=services.import_job_create(actor=user, upload=SimpleUploadedFile(path.name, content)).pk
    )
    ok = ok and again.change_count == 0 and again.error_count == 0
    data_rows = entities + products
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    raw_rate = read_rows / read_s
    total = preview_s + apply_s
    print(
        f"  {django.db.connection.vendor:10} rows {data_rows:,} | openpyxl read-only {read_s:5.2f} s "
        f"({raw_rate:,.0f} rows/s) | preview {preview_s:5.2f} s ({data_rows / preview_s:,.0f} rows/s) | "
        f"apply {apply_s:5.2f} s ({data_rows / apply_s:,.0f} rows/s) | whole {total:5.2f} s "
        f"({data_rows / total:,.0f} rows/s, ratio {data_rows / total / raw_rate:.2f} of raw read) | "
        f"re-import: {again.counts and sum(c['unchanged'] for c in again.counts.values()):,} unchanged | "
        f"peak RSS {rss_mb:.0f} MB (+{rss_mb - rss_before_mb:.0f} MB over the set-up) | "
        f"{'ok' if ok else 'FAILED'}"
    )
    sys.exit(0 if ok else 1)


def _postgres_url() -> str | None:
    url = os.environ.get("BENCH_IMPORT_PG_URL")
    if url:
        return url
    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=0.5).close()
    except OSError:
        return None
    return "postgres://postgres@127.0.0.1:5432/ocop_bench_imports"


def _postgres_recreate(url: str) -> bool:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    try:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as exc:
        print(f"  PostgreSQL skipped: {exc}")
        return False
    return True


def run() -> bool:
    entities = harness.env_int("BENCH_IMPORT_ENTITIES", 9800)
    products = harness.env_int("BENCH_IMPORT_PRODUCTS", 17000)
    path = file_make(entities, products)
    print(
        f"File: {path.name}, {path.stat().st_size / 1e6:.1f} MB, "
        f"{entities:,} entities + {products:,} products."
    )
    targets = []
    sqlite_path = harness.BENCH_DIR / "imports.sqlite3"
    sqlite_path.unlink(missing_ok=True)
    targets.append(f"sqlite:///{sqlite_path}")
    pg = _postgres_url()
    if pg and _postgres_recreate(pg):
        targets.append(pg)
    ok = True
    for url in targets:
        result = subprocess.run([sys.executable, "-m", "bench.imports_bench", url, str(path)], check=False)
        ok = ok and result.returncode == 0
    return ok


if __name__ == "__main__":
    harness.configure()
    child(sys.argv[1], Path(sys.argv[2]))
