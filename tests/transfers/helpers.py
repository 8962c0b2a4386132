"""Files as provinces make them: openpyxl workbooks and CSV bytes in various encodings."""

import csv
import io
import unicodedata

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from audit.models import AuditEvent
from certificates.models import Certificate
from places.models import Province
from registry.models import Entity, Product, Recognition, Role
from tests.factories import make_user, with_role
from transfers import services
from transfers.models import ImportJob, ImportRow

ENTITY_HEADERS = [
    "Mã số thuế",
    "Tên chủ thể",
    "Loại hình",
    "Người đại diện",
    "Địa chỉ",
    "Xã/phường",
    "Tỉnh/thành phố",
    "Số lao động",
]
PRODUCT_HEADERS = ["Mã số thuế chủ thể", "Mã sản phẩm", "Tên sản phẩm", "Bộ tiêu chí", "Giá thấp nhất (đồng)"]
RECOGNITION_HEADERS = [
    "Mã số thuế chủ thể",
    "Mã sản phẩm",
    "Tên sản phẩm",
    "Loại công nhận",
    "Số",
    "Cơ quan cấp",
    "Hiệu lực từ",
    "Hiệu lực đến",
]
CERT_HEADERS = [
    "Số giấy chứng nhận",
    "Mã số thuế chủ thể",
    "Mã sản phẩm",
    "Số sao",
    "Điểm",
    "Số quyết định",
    "Ngày quyết định",
    "Hiệu lực đến",
]

# Lạng Sơn, the province of the default official.
LS = "Lạng Sơn"


def entity_row(tax, name, *, commune="Mẫu Sơn", province=LS, kind="HTX", workers=12) -> list:
    """A row under ENTITY_HEADERS."""
    return [tax, name, kind, "Hoàng Văn Lợi", "Thôn Khuổi Cấp", commune, province, workers]


def xlsx(sheets: dict[str, list[list]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    return workbook_bytes(workbook)


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read_xlsx(content: bytes) -> dict[str, list[tuple]]:
    """The sheets of a workbook as lists of row tuples (values only)."""
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    try:
        return {ws.title: list(ws.iter_rows(values_only=True)) for ws in workbook.worksheets}
    finally:
        workbook.close()


def csv_text(rows: list[list], *, delimiter: str = ",") -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return out.getvalue()


_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def cp1258(text: str) -> bytes:
    """Windows-1258 as Excel writes it: letters with a tone mark are a base letter (â, ơ, ư…) plus a
    combining tone mark, since the code page has no precomposed "ẫ" or "ợ"."""
    out = []
    for ch in text:
        try:
            out.append(ch.encode("cp1258"))
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
        tones = "".join(c for c in decomposed if c in _TONES)
        out.append((base + tones).encode("cp1258"))
    return b"".join(out)


def upload(content: bytes, name: str = "ocop.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def province_official(name: str = LS):
    province = Province.objects.get(name__contains=name)
    return with_role(make_user(), Role.Kind.PROVINCE, province=province)


def preview(actor, content: bytes, name: str = "ocop.xlsx", kind_hint: str = "") -> ImportJob:
    """Upload and preview synchronously (the task's body), as the worker would."""
    job = services.import_job_create(actor=actor, upload=upload(content, name), kind_hint=kind_hint)
    return services.import_preview_run(job_id=job.pk)


def apply(actor, job: ImportJob) -> ImportJob:
    services.import_apply_confirm(actor=actor, job=job)
    return services.import_apply_run(job_id=job.pk)


def preview_and_apply(actor, content: bytes, name: str = "ocop.xlsx") -> ImportJob:
    job = preview(actor, content, name)
    assert job.status == "previewed", (job.message, errors_of(job))
    assert not job.error_count, errors_of(job)
    job = apply(actor, job)
    assert job.status == "applied", job.message
    return job


def errors_of(job: ImportJob) -> list[str]:
    return [e["message"] for row in job.rows.filter(outcome="error") for e in row.errors]


def rows_of(job: ImportJob, kind: str | None = None) -> list[ImportRow]:
    rows = job.rows.order_by("position")
    return list(rows.filter(kind=kind) if kind else rows)


def row_at(job: ImportJob, kind: str, row_no: int) -> ImportRow:
    return job.rows.get(kind=kind, row_no=row_no)


def outcomes(job: ImportJob, kind: str | None = None) -> list[str]:
    return [row.outcome for row in rows_of(job, kind)]


def messages_by_column(row: ImportRow) -> dict[str, str]:
    """{column key: the row's messages for it, joined}."""
    found: dict[str, list[str]] = {}
    for error in row.errors:
        found.setdefault(error["column"], []).append(error["message"])
    return {column: " ".join(messages) for column, messages in found.items()}


def counts(job: ImportJob, kind: str) -> dict[str, int]:
    return job.counts.get(kind, {})


def written() -> dict[str, int]:
    """What an import writes to the register (the import's own upload/confirm events excluded)."""
    return {
        "entities": Entity.objects.count(),
        "products": Product.objects.count(),
        "recognitions": Recognition.objects.count(),
        "certificates": Certificate.objects.count(),
        "audit": AuditEvent.objects.exclude(action__startswith="import.").count(),
    }
