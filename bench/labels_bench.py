"""Label sheets (issue: label printing): BENCH_LABELS (100,000) labels of the 40×30 mm A4 template
into one PDF through labels.render.output_write — the function the background job calls, with the
same chunks and the same process pool on every core.

Baseline in the same run: segno's raw encode rate for the same QR texts on every core
(ProcessPoolExecutor with os.cpu_count() workers, `segno.make(text, error="M", micro=False,
boost_error=False)`, automatic masking — exactly the symbols the labels carry, so the ratio is what
laying out, drawing and writing the PDF costs on top of encoding). Goal: ratio ≥ 0.70.

No database is needed for the rate: the URIs are built as labels.services builds them (a checked
Digital Link prefix, then `/21/{serial}` with serials from traceability's alphabet).
Correctness (the only thing that fails the bench): a sample of pages, rasterised at 300 dpi with
pdftoppm, decodes with zxing-cpp to exactly the QR texts of the labels on them."""

import os
import secrets
import subprocess
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from django.conf import settings

from bench import harness
from labels import render
from traceability import digital_link
from traceability.services import SERIAL_ALPHABET, SERIAL_LENGTH

NAME = "labels"
DEFAULT_LABELS = 100_000
SAMPLE_PAGES = 3
SHEET = render.Sheet(
    roll=False, label_w_mm=40, label_h_mm=30, margin_left_mm=5, margin_top_mm=8, gap_x_mm=2.5, gap_y_mm=5
)
FACE = render.Face(product_name="Chè Shan tuyết Suối Giàng", stars=4, lot="L-2026/01", expiry="01/03/2027")


def _segno_chunk(texts: list[str]) -> int:
    for text in texts:
        render.encode(text)
    return len(texts)


def _segno_rate(texts: list[str], workers: int) -> float:
    chunks = [texts[i : i + render.CHUNK] for i in range(0, len(texts), render.CHUNK)]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        list(pool.map(_segno_chunk, chunks[:workers]))  # start the workers before the clock
        started = time.perf_counter()
        done = sum(pool.map(_segno_chunk, chunks))
        return done / (time.perf_counter() - started)


def run() -> bool:
    count = harness.env_int("BENCH_LABELS", DEFAULT_LABELS)
    workers = os.cpu_count() or 1
    prefix = digital_link.build(gtin="8930000000019", lot="L-2026/01", base="https://ocop.example.vn")
    serials = ["".join(secrets.choice(SERIAL_ALPHABET) for _ in range(SERIAL_LENGTH)) for _ in range(count)]
    labels = [(s, f"{prefix}/21/{s}", s) for s in serials]
    texts = [render.qr_text(uri) for _s, uri, _c in labels]
    render.fonts_register(str(settings.OCOP_FONT_REGULAR), str(settings.OCOP_FONT_BOLD))

    print(f"{count:,} labels, {workers} cores; QR level {render.QR_ERROR}, automatic masking.")
    segno_rate = _segno_rate(texts, workers)
    with tempfile.TemporaryDirectory(dir=harness.BENCH_DIR) as directory:
        path = Path(directory) / "labels.pdf"
        started = time.perf_counter()
        result = render.output_write(
            str(path),
            output_format="pdf",
            sheet=SHEET,
            face=FACE,
            labels=labels,
            workers=render.workers_for(count, 0),
        )
        elapsed = time.perf_counter() - started
        size = path.stat().st_size
        pdf_rate = result.labels / elapsed
        ok, checked = _decode_sample(path, texts, result.pages, Path(directory))
    ratio = pdf_rate / segno_rate
    harness.table_print(
        ["measure", "value"],
        [
            ["segno encode (all cores), labels/s", f"{segno_rate:,.0f}"],
            ["PDF labels (all cores), labels/s", f"{pdf_rate:,.0f}"],
            ["ratio PDF / segno (goal ≥ 0.70)", f"{ratio:.2f}"],
            ["PDF time, s", f"{elapsed:.1f}"],
            ["pages", f"{result.pages:,}"],
            ["PDF size, MB", f"{size / 1e6:.1f}"],
            ["bytes per label", f"{size / max(1, result.labels):,.0f}"],
            ["QR", f"version {result.version} ({result.modules}×{result.modules}), level {result.error}"],
            ["module", f"{result.module_dots} dots at 300 dpi = {result.module_dots * 25.4 / 300:.3f} mm"],
            ["decoded sample", f"{checked} codes, {'all exact' if ok else 'MISMATCH'}"],
        ],
        title="Labels to PDF",
    )
    harness.results_write(
        NAME,
        {
            "labels": count,
            "workers": workers,
            "segno_rate": segno_rate,
            "pdf_rate": pdf_rate,
            "ratio": ratio,
            "pdf_seconds": elapsed,
            "pages": result.pages,
            "pdf_bytes": size,
            "qr_version": result.version,
            "qr_error": result.error,
            "module_dots": result.module_dots,
            "decoded": checked,
            "decode_ok": ok,
        },
    )
    return ok and result.labels == count


def _decode_sample(path: Path, texts: list[str], pages: int, directory: Path) -> tuple[bool, int]:
    import zxingcpp
    from PIL import Image

    per_page = SHEET.per_page
    picks = sorted({1, (pages + 1) // 2, pages})[:SAMPLE_PAGES]
    checked = 0
    for page in picks:
        stem = directory / f"page{page}"
        subprocess.run(
            [
                "/usr/bin/pdftoppm",
                "-r",
                "300",
                "-f",
                str(page),
                "-l",
                str(page),
                "-png",
                str(path),
                str(stem),
            ],
            check=True,
        )
        image = Image.open(next(directory.glob(f"page{page}*.png")))
        found = sorted(code.text for code in zxingcpp.read_barcodes(image))
        expected = sorted(texts[(page - 1) * per_page : page * per_page])
        if found != expected:
            print(f"Page {page}: {len(found)} codes decoded, {len(expected)} expected, or different texts.")
            return False, checked
        checked += len(found)
    return True, checked
