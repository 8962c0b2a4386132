"""A province official imports the province's OCOP register from Excel in a real browser: a first file
with an unknown commune is refused row by row (nothing to confirm), the corrected file previews clean,
is confirmed and applied, and the imported entities, products and certificates show in the lists.

The workbook is a real .xlsx made with openpyxl the way a province fills the downloadable template (a
title row above the headers, tax codes as text, a commune without diacritics or "Xã", prices as
1.250.000, dates both as date cells and as dd/mm/yyyy text). Background tasks run immediately in
the live server (it shares this process's settings). Vietnamese is the default UI language and its
catalogue may be incomplete, so the test matches on data, classes and test ids, not on UI strings.
"""

import datetime as dt
import re

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from playwright.sync_api import expect

from certificates.models import Certificate
from evaluation.services_criteria import earlier_releases_load
from ocop_hub.text import fold
from places.models import Commune
from registry.models import Entity, Product, Role
from tests.factories import commune, make_user, province, with_role
from tests.transfers.helpers import CERT_HEADERS, ENTITY_HEADERS, PRODUCT_HEADERS
from transfers.models import ImportJob

pytestmark = pytest.mark.browser

IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


TAX_COOP = "4900312345"
TAX_HOUSEHOLD = "4900654321"
COOP = "Hợp tác xã Nông sản Tràng Định"
HOUSEHOLD = "Hộ kinh doanh Hoàng Thị Mai"
TEA_KHAU_SY = "Chè Shan Tuyết Khau Sỹ"
GREEN_TEA = "Chè xanh Tràng Định"
BAC_SON_TEA = "Chè búp Bắc Sơn"
CERT_EXPIRED = "GCN-LS-2021-015"
CERT_VALID = "GCN-LS-2025-042"
UNKNOWN_COMMUNE = "Xã Phù Vân Lũng"


def _bare(name: str) -> str:
    """ "Xã Bắc Sơn" → "Bac Son": no diacritics, no "Xã" (as many provinces' sheets write it)."""
    return re.sub(r"^(xa|phuong)\s+", "", fold(name), flags=re.IGNORECASE).title()


def _unique_when_bare(place: Commune) -> bool:
    others = Commune.objects.filter(province=place.province).exclude(pk=place.pk)
    return all(_bare(c.name) != _bare(place.name) for c in others)


def _sheet(workbook, name: str, title: str, headers: list[str], rows: list[list]) -> None:
    sheet = workbook.create_sheet(name)
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(headers)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    # Tax codes as text, as the template formats that column (no lost leading zeros, no 4.9E+09).
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            if isinstance(cell.value, str) and cell.value.isdigit():
                cell.number_format = "@"


def _workbook(path, *, coop_commune: str, household_commune: str):
    workbook = Workbook()
    workbook.remove(workbook.active)
    _sheet(
        workbook,
        "Chủ thể",
        "DANH SÁCH CHỦ THỂ OCOP TỈNH LẠNG SƠN",
        ENTITY_HEADERS,
        [
            [TAX_COOP, COOP, "Hợp tác xã", "Nông Văn Lực", "Thôn Nà Khon", coop_commune, "Lạng Sơn", 25],
            [
                TAX_HOUSEHOLD,
                HOUSEHOLD,
                "Hộ kinh doanh",
                "Hoàng Thị Mai",
                "Thôn Văn Non",
                household_commune,
                "Tỉnh Lạng Sơn",
                "4",
            ],
        ],
    )
    _sheet(
        workbook,
        "Sản phẩm",
        "DANH SÁCH SẢN PHẨM OCOP",
        PRODUCT_HEADERS,
        [
            [TAX_COOP, "LS-TD-01", TEA_KHAU_SY, "11", "1.250.000"],
            [TAX_COOP, "LS-TD-02", GREEN_TEA, "QD26-11", "180.000"],
            [TAX_HOUSEHOLD, "LS-BS-01", BAC_SON_TEA, "QD26-11", "95.000"],
        ],
    )
    _sheet(
        workbook,
        "Giấy chứng nhận",
        "GIẤY CHỨNG NHẬN OCOP ĐÃ CẤP",
        CERT_HEADERS,
        [
            # Decided under 1048/2019, expired in 2024.
            [
                CERT_EXPIRED,
                TAX_COOP,
                "LS-TD-02",
                "3 sao",
                62,
                "1234/QĐ-UBND",
                dt.date(2021, 6, 15),
                "15/06/2024",
            ],
            # Decided under 148/2023, valid until 2028.
            [
                CERT_VALID,
                TAX_HOUSEHOLD,
                "LS-BS-01",
                4,
                "78,5",
                "456/QĐ-UBND",
                "20/03/2025",
                dt.date(2028, 3, 20),
            ],
        ],
    )
    workbook.save(path)
    return path


def _upload(page, url: str, path) -> int:
    page.goto(f"{url}/imports/")
    form = page.locator("form[enctype='multipart/form-data']")
    form.locator("input[type=file]").set_input_files(str(path))
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/imports/\d+/$"))
    return int(re.search(r"/imports/(\d+)/$", page.url).group(1))


def _counts(page) -> list[list[str]]:
    """[create, update, unchanged, error] per kind, in the table's order (entities, products, …)."""
    rows = page.get_by_test_id("counts").locator("tbody tr")
    return [[cell.strip() for cell in row.locator("td").all_inner_texts()] for row in rows.all()]


def test_it_imports_a_provinces_workbook_after_a_corrected_preview(
    page, live_server, log_in, artifacts, tmp_path, settings
):
    settings.TASKS = IMMEDIATE_TASKS
    earlier_releases_load()  # certificates decided in 2021 and 2025 need 1048/2019 and 148/2023
    url = live_server.url
    lang_son = province("Lạng Sơn")
    official = with_role(make_user(), Role.Kind.PROVINCE, province=lang_son)
    trang_dinh = commune("Lạng Sơn", "Tràng Định")
    bac_son = commune("Lạng Sơn", "Bắc Sơn")
    assert _unique_when_bare(bac_son), bac_son.name
    assert not Commune.objects.filter(name__contains="Phù Vân Lũng").exists()

    log_in(page, official)

    # 1. A first file with an unknown commune: the row shows why, and there is nothing to confirm.
    bac_son_bare = _bare(bac_son.name)
    wrong = _workbook(
        tmp_path / "ocop-lang-son-loi.xlsx", coop_commune=UNKNOWN_COMMUNE, household_commune=bac_son_bare
    )
    page.goto(f"{url}/imports/")
    page.screenshot(path=str(artifacts / "import-01-upload-form.png"), full_page=True)
    first_pk = _upload(page, url, wrong)
    expect(page.get_by_test_id("job-status")).to_have_class(re.compile(r"\bpreviewed\b"))
    expect(page.get_by_test_id("confirm")).to_have_count(0)
    bad_row = page.get_by_test_id("rows").locator("tbody tr", has_text=UNKNOWN_COMMUNE)
    expect(bad_row).to_have_count(1)
    # Row 3 of the sheet: the title and the header rows come first.
    expect(bad_row.locator("td").nth(0)).to_have_text("Chủ thể")
    expect(bad_row.locator("td").nth(1)).to_have_text("3")
    expect(bad_row).to_contain_text(COOP)
    expect(bad_row.locator(".badge.error")).to_be_visible()
    expect(bad_row.locator(".errorlist")).to_contain_text(UNKNOWN_COMMUNE)
    entity_counts = _counts(page)[0]
    assert entity_counts == ["1", "0", "0", "1"], entity_counts
    page.screenshot(path=str(artifacts / "import-02-preview-errors.png"), full_page=True)
    first = ImportJob.objects.get(pk=first_pk)
    assert first.status == ImportJob.Status.PREVIEWED and first.error_count >= 1
    assert not Entity.objects.filter(tax_code__in=[TAX_COOP, TAX_HOUSEHOLD]).exists()

    # 2. The corrected file previews clean: 2 entities, 3 products, 2 certificates, all new.
    right = _workbook(
        tmp_path / "ocop-lang-son.xlsx", coop_commune=trang_dinh.name, household_commune=bac_son_bare
    )
    job_pk = _upload(page, url, right)
    assert job_pk != first_pk
    expect(page.get_by_test_id("job-status")).to_have_class(re.compile(r"\bpreviewed\b"))
    expect(page.get_by_test_id("rows")).to_be_visible()
    expect(page.get_by_test_id("rows").locator("tbody tr")).to_have_count(7)
    expect(page.get_by_test_id("rows").locator(".badge.error")).to_have_count(0)
    expect(page.get_by_test_id("rows").locator(".badge.create")).to_have_count(7)
    assert _counts(page) == [["2", "0", "0", "0"], ["3", "0", "0", "0"], ["2", "0", "0", "0"]], _counts(page)
    confirm = page.get_by_test_id("confirm")
    expect(confirm).to_be_visible()
    expect(confirm).to_contain_text("7")
    page.screenshot(path=str(artifacts / "import-03-preview-ok.png"), full_page=True)

    # 3. Confirm: the apply runs (immediately here) and the job page shows it applied.
    confirm.click()
    expect(page).to_have_url(re.compile(rf"/imports/{job_pk}/$"))
    expect(page.locator(".messages li.success")).to_be_visible()
    expect(page.locator(".messages li.error")).to_have_count(0)
    expect(page.get_by_test_id("job-status")).to_have_class(re.compile(r"\bapplied\b"))
    expect(page.get_by_test_id("confirm")).to_have_count(0)
    page.screenshot(path=str(artifacts / "import-04-applied.png"), full_page=True)
    job = ImportJob.objects.get(pk=job_pk)
    assert job.status == ImportJob.Status.APPLIED, (job.status, job.message)

    coop = Entity.objects.get(tax_code=TAX_COOP)
    household = Entity.objects.get(tax_code=TAX_HOUSEHOLD)
    assert (coop.legal_name, coop.commune_id) == (COOP, trang_dinh.pk)
    assert (household.legal_name, household.commune_id) == (HOUSEHOLD, bac_son.pk)
    khau_sy = Product.objects.get(entity=coop, code="LS-TD-01")
    green = Product.objects.get(entity=coop, code="LS-TD-02")
    bac_son_tea = Product.objects.get(entity=household, code="LS-BS-01")
    assert khau_sy.price_min_vnd == 1_250_000 and khau_sy.category_id == "QD26-11"
    assert Certificate.objects.get(number=CERT_EXPIRED).status == Certificate.Status.EXPIRED
    valid = Certificate.objects.get(number=CERT_VALID)
    assert valid.status == Certificate.Status.VALID
    assert (valid.stars, valid.valid_until) == (4, dt.date(2028, 3, 20))
    assert bac_son_tea.status == Product.Status.CERTIFIED
    assert green.status == Product.Status.EXPIRED

    # 4. The official finds the imported entities and products in the lists.
    page.goto(f"{url}/entities/")
    expect(page.get_by_role("link", name=COOP)).to_be_visible()
    expect(page.get_by_role("link", name=HOUSEHOLD)).to_be_visible()
    page.screenshot(path=str(artifacts / "import-05-entities.png"), full_page=True)
    page.goto(f"{url}/products/")
    for name in (TEA_KHAU_SY, GREEN_TEA, BAC_SON_TEA):
        expect(page.get_by_role("link", name=name)).to_be_visible()
    row = page.locator("table tbody tr", has=page.locator(f"a[href='/products/{bac_son_tea.pk}/']"))
    expect(row.locator(".badge.certified")).to_be_visible()
    page.screenshot(path=str(artifacts / "import-06-products.png"), full_page=True)

    page.locator(f"main a[href='/products/{bac_son_tea.pk}/']").click()
    expect(page).to_have_url(re.compile(rf"/products/{bac_son_tea.pk}/$"))
    expect(page.locator("h1")).to_contain_text(BAC_SON_TEA)
    expect(page.locator("h1 .badge")).to_have_class(re.compile(r"\bcertified\b"))
    expect(page.locator("main")).to_contain_text(CERT_VALID)
    page.screenshot(path=str(artifacts / "import-07-product-certified.png"), full_page=True)
    page.goto(f"{url}/products/{green.pk}/")
    expect(page.locator("h1 .badge")).to_have_class(re.compile(r"\bexpired\b"))
    expect(page.locator("main")).to_contain_text(CERT_EXPIRED)

    # 5. The template workbook downloads with its four sheets.
    page.goto(f"{url}/imports/")
    with page.expect_download() as download_info:
        page.get_by_test_id("template-all").click()
    template = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(template)
    assert template.suffix == ".xlsx"
    sheets = load_workbook(template, read_only=True).sheetnames
    for name in ("Chủ thể", "Sản phẩm", "Công nhận", "Giấy chứng nhận"):
        assert name in sheets, sheets
