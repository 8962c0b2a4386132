"""Files as provinces make them: openpyxl workbooks and CSV bytes in various encodings."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from places.models import Province
from registry.models import Role
from tests.factories import make_user, with_role
from transfers import services
from transfers.models import ImportJob

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


def xlsx(sheets: dict[str, list[list]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(content: bytes, name: str = "ocop.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def province_official(name: str = "Lạng Sơn"):
    province = Province.objects.get(name__contains=name)
    return with_role(make_user(), Role.Kind.PROVINCE, province=province)


def preview(actor, content: bytes, name: str = "ocop.xlsx", kind_hint: str = "") -> ImportJob:
    """Upload and preview synchronously (the task's body), as the worker would."""
    job = services.import_job_create(actor=actor, upload=upload(content, name), kind_hint=kind_hint)
    return services.import_preview_run(job_id=job.pk)


def apply(actor, job: ImportJob) -> ImportJob:
    services.import_apply_confirm(actor=actor, job=job)
    return services.import_apply_run(job_id=job.pk)


def errors_of(job: ImportJob) -> list[str]:
    return [e["message"] for row in job.rows.filter(outcome="error") for e in row.errors]
