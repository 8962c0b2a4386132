"""Writing the open data files: products.jsonl, products.csv and metadata.json.

The files are rebuilt whole each night from the public selector (never patched), each written to a
temporary file in the same directory and moved into place with os.replace, so a download in progress
or starting mid-build always gets a complete file. A data file whose bytes did not change is left as
it was: its Last-Modified stays, and HTTP caches and mirrors keep their copy.
"""

import csv
import fcntl
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any

from django.urls import reverse
from django.utils import timezone

from certificates.conf import public_base_url
from ocop_hub.spreadsheet import formula_safe
from opendata.conf import CSV_NAME, JSONL_NAME, METADATA_NAME, open_data_dir, open_data_licence
from opendata.fields import FIELD_NAMES, Value, public_row
from opendata.selectors import open_data_products

# Rows fetched (and prefetched) per query: 20,000 products are 10 rounds of 5 queries, and memory
# holds one chunk, not the whole table.
CHUNK_SIZE = 2000

# In the CSV, a list becomes one cell with the values joined by this (no value contains it: codes).
LIST_SEPARATOR = "|"

# A cell that starts with one of these is a formula for Excel and LibreOffice (CSV injection, OWASP):
# such a text cell gets a leading apostrophe in the CSV. The JSONL file keeps the exact text.


@dataclass
class BuildReport:
    built_at: str
    rows: int
    directory: str
    sha256: dict[str, str] = field(default_factory=dict)
    changed: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _csv_cell(value: Value) -> str | int:
    if value is None:
        return ""
    if isinstance(value, list):
        return LIST_SEPARATOR.join(value)
    return formula_safe(value)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


@contextmanager
def _build_lock(directory: Path) -> Iterator[None]:
    """One build at a time per directory (the cron loop and a queued task may meet): without it, two
    builds could leave the files of one next to the metadata of the other."""
    with (directory / ".build.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@contextmanager
def _temporary(directory: Path, name: str, **open_args) -> Iterator[tuple[IO[str], Path]]:
    """A temporary file next to `name` (same file system, so os.replace is atomic); removed on error."""
    fd, tmp_name = tempfile.mkstemp(dir=directory, prefix=f".{name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", **open_args) as f:
            # mkstemp makes the file private; these files are for everyone (the web server may run
            # as another user than the job).
            os.fchmod(f.fileno(), 0o644)
            yield f, tmp
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _publish(tmp: Path, target: Path) -> bool:
    """Move a finished file into place unless the published one has the same bytes; True if moved."""
    if target.is_file() and _sha256(target) == _sha256(tmp):
        tmp.unlink()
        return False
    os.replace(tmp, target)
    return True


def _write_rows(jsonl: IO[str], table: IO[str], *, today: date) -> int:
    writer = csv.writer(table)
    writer.writerow(FIELD_NAMES)
    rows = 0
    for product in open_data_products(today=today).iterator(chunk_size=CHUNK_SIZE):
        row = public_row(product)
        jsonl.write(json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n")
        writer.writerow([_csv_cell(value) for value in row.values()])
        rows += 1
    return rows


def open_data_build(*, directory: Path | str | None = None) -> BuildReport:
    """Write the open data files of today's certified products into `directory`
    (default: settings.OCOP_OPEN_DATA_DIR). Public fields only: see opendata.fields.PUBLIC_FIELDS."""
    target_dir = Path(directory) if directory else open_data_dir()
    target_dir.mkdir(parents=True, exist_ok=True)
    base_url = public_base_url()
    licence = open_data_licence()
    with _build_lock(target_dir):
        built_at = timezone.now().replace(microsecond=0)
        today = timezone.localdate(built_at)
        # utf-8-sig: the byte-order mark lets Excel open the CSV as UTF-8 (Vietnamese diacritics).
        with (
            _temporary(target_dir, JSONL_NAME, encoding="utf-8", newline="") as (jsonl, jsonl_tmp),
            _temporary(target_dir, CSV_NAME, encoding="utf-8-sig", newline="") as (table, csv_tmp),
        ):
            rows = _write_rows(jsonl, table, today=today)
        report = BuildReport(built_at=built_at.isoformat(), rows=rows, directory=str(target_dir))
        try:
            for tmp, name in ((jsonl_tmp, JSONL_NAME), (csv_tmp, CSV_NAME)):
                report.sha256[name] = _sha256(tmp)
                if _publish(tmp, target_dir / name):
                    report.changed.append(name)
        finally:
            jsonl_tmp.unlink(missing_ok=True)
            csv_tmp.unlink(missing_ok=True)

        metadata = {
            "title": "OCOP certified products / Sản phẩm OCOP được chứng nhận",
            "built_at": report.built_at,
            "rows": rows,
            "source": base_url + reverse("opendata:index"),
            "licence": {"name": licence.name, "url": licence.url, "attribution": licence.attribution},
            "files": {
                JSONL_NAME: {
                    "url": base_url + reverse("opendata:products_jsonl"),
                    "media_type": "application/x-ndjson",
                    "encoding": "utf-8",
                    "bytes": (target_dir / JSONL_NAME).stat().st_size,
                    "sha256": report.sha256[JSONL_NAME],
                },
                CSV_NAME: {
                    "url": base_url + reverse("opendata:products_csv"),
                    "media_type": "text/csv",
                    "encoding": "utf-8 with byte-order mark",
                    "list_separator": LIST_SEPARATOR,
                    "bytes": (target_dir / CSV_NAME).stat().st_size,
                    "sha256": report.sha256[CSV_NAME],
                },
            },
            "fields": list(FIELD_NAMES),
        }
        # Written last: a reader that finds the new metadata finds the files it describes.
        with _temporary(target_dir, METADATA_NAME, encoding="utf-8", newline="") as (meta, meta_tmp):
            json.dump(metadata, meta, ensure_ascii=False, indent=2)
            meta.write("\n")
        os.replace(meta_tmp, target_dir / METADATA_NAME)
    return report
