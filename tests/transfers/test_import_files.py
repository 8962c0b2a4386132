"""The files provinces really have: CSV in every encoding and delimiter Excel writes, workbooks with
merged cells, formulas, title rows and stray columns, cells typed as numbers or dates, and files that
are not spreadsheets at all (or are hostile)."""

import io
import unicodedata
import zipfile
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook
from PIL import Image

from certificates.models import Certificate
from registry.models import Entity, Product, Recognition
from tests.factories import commune, make_entity, make_product
from tests.transfers.helpers import (
    CERT_HEADERS,
    ENTITY_HEADERS,
    LS,
    PRODUCT_HEADERS,
    RECOGNITION_HEADERS,
    apply,
    counts,
    cp1258,
    csv_text,
    entity_row,
    errors_of,
    messages_by_column,
    outcomes,
    preview,
    preview_and_apply,
    province_official,
    row_at,
    rows_of,
    upload,
    workbook_bytes,
    written,
    xlsx,
)
from transfers import services
from transfers.models import ImportJob

pytestmark = pytest.mark.django_db

NAME = "Hợp tác xã Chè Mẫu Sơn"
REPRESENTATIVE = "Hoàng Văn Lợi"
CSV_ROWS = [
    ENTITY_HEADERS,
    ["4900123456", NAME, "Hợp tác xã", REPRESENTATIVE, "Thôn Khuổi Cấp", "Xã Mẫu Sơn", "Tỉnh Lạng Sơn", "12"],
    [
        "4900654321",
        "Hộ kinh doanh Lý Thị Mai",
        "Hộ kinh doanh",
        "Lý Thị Mai",
        "Thôn Bản Chiễng",
        "Mẫu Sơn",
        LS,
        "3",
    ],
]


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _read_entities_csv(content: bytes) -> ImportJob:
    job = preview(province_official(), content, name="chu-the.csv")
    assert job.status == ImportJob.Status.PREVIEWED, job.message
    assert outcomes(job) == ["create", "create"], errors_of(job)
    first = rows_of(job)[0]
    assert nfc(first.record["legal_name"]) == nfc(NAME)
    assert nfc(first.record["representative"]) == nfc(REPRESENTATIVE)
    return job


# --- 8a. CSV encodings and delimiters ------------------------------------------------------------------


def test_it_reads_a_csv_utf8_with_bom(english):
    content = csv_text(CSV_ROWS).encode("utf-8-sig")
    assert content.startswith(b"\xef\xbb\xbf")

    job = _read_entities_csv(content)

    assert rows_of(job)[0].record["tax_code"] == "4900123456"  # the BOM is not part of the first header


def test_it_reads_a_csv_utf8_without_bom(english):
    _read_entities_csv(csv_text(CSV_ROWS).encode("utf-8"))


def test_it_reads_a_windows_1258_csv_into_composed_vietnamese(english):
    content = cp1258(csv_text(CSV_ROWS))
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")
    actor = province_official()

    job = preview(actor, content, name="chu-the.csv")

    assert outcomes(job) == ["create", "create"], (job.message, errors_of(job))
    assert any("1258" in notice for notice in job.notices), job.notices
    apply(actor, job)
    entity = Entity.objects.get(tax_code="4900123456")
    assert entity.legal_name == nfc(NAME)
    assert entity.representative == nfc(REPRESENTATIVE)
    assert entity.commune == commune(LS, "Mẫu Sơn")


def test_it_reads_excels_unicode_text_utf16_tab_delimited(english):
    content = csv_text(CSV_ROWS, delimiter="\t").encode("utf-16")
    assert content[:2] in (b"\xff\xfe", b"\xfe\xff")

    job = _read_entities_csv(content)

    assert any("UTF-16" in notice for notice in job.notices), job.notices


def test_it_reads_a_semicolon_delimited_csv(english):
    rows = [
        *CSV_ROWS[:2],
        [
            "4900654321",
            "Hộ kinh doanh Lý Thị Mai",
            "HKD",
            "Lý Thị Mai",
            "Thôn 1, Bản Chiễng",
            "Mẫu Sơn",
            LS,
            "3",
        ],
    ]
    content = csv_text(rows, delimiter=";").encode("utf-8-sig")

    job = _read_entities_csv(content)

    assert rows_of(job)[1].record["address"] == "Thôn 1, Bản Chiễng"
    assert any("“;”" in notice for notice in job.notices), job.notices


def test_it_refuses_a_csv_in_an_encoding_it_cannot_read(english):
    content = b"Ma so thue,Ten chu the\r\n" + b"\x81\x8d\x8f\x90\x9d,abc\r\n"
    before = written()

    job = preview(province_official(), content, name="chu-the.csv")

    assert job.status == ImportJob.Status.REFUSED
    assert "CSV UTF-8" in job.message
    assert job.rows.count() == 0
    assert written() == before


# --- 8b. workbook quirks -------------------------------------------------------------------------------


def test_it_reads_a_tax_code_merged_over_several_product_rows(english):
    actor = province_official()
    entity = make_entity(commune_obj=commune(LS, "Mẫu Sơn"))
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Sản phẩm"
    sheet.append(PRODUCT_HEADERS)
    sheet.append([entity.tax_code, "LS-1", "Chè xanh Mẫu Sơn", "QD26-11", None])
    sheet.append([None, "LS-2", "Miến dong Mẫu Sơn", "QD26-06", None])
    sheet.append([None, "LS-3", "Mật ong Mẫu Sơn", "QD26-04", None])
    sheet.merge_cells("A2:A4")

    job = preview(actor, workbook_bytes(workbook))

    assert outcomes(job) == ["create", "create", "create"], errors_of(job)
    assert all(row.record["entity_tax_code"] == entity.tax_code for row in rows_of(job))
    assert any("A2:A4" in notice for notice in job.notices), job.notices
    apply(actor, job)
    assert set(Product.objects.filter(entity=entity).values_list("code", flat=True)) == {
        "LS-1",
        "LS-2",
        "LS-3",
    }


def test_it_refuses_a_formula_cell_without_a_computed_value_naming_the_cell(english):
    actor = province_official()
    entity = make_entity(commune_obj=commune(LS, "Mẫu Sơn"))
    content = xlsx(
        {
            "Sản phẩm": [
                PRODUCT_HEADERS,
                [entity.tax_code, "LS-1", "Chè xanh Mẫu Sơn", "QD26-11", 120000],
                [entity.tax_code, "LS-2", "Chè đen Mẫu Sơn", "QD26-11", "=E2*2"],
            ]
        }
    )
    before = written()

    job = preview(actor, content)

    assert outcomes(job) == ["create", "error"]
    assert "E3" in messages_by_column(rows_of(job)[1])["price_min_vnd"]
    with pytest.raises(ValidationError):
        services.import_apply_confirm(actor=actor, job=job)
    assert written() == before


def test_it_ignores_extra_columns_with_a_notice_naming_them(english):
    content = xlsx(
        {
            "Chủ thể": [
                [*ENTITY_HEADERS, "Ghi chú nội bộ", "Người nhập"],
                [*entity_row("4900123456", NAME), "gọi lại tuần sau", "Hoa"],
            ]
        }
    )

    job = preview(province_official(), content)

    assert outcomes(job) == ["create"], errors_of(job)
    notice = next(n for n in job.notices if "Ghi chú nội bộ" in n)
    assert "Người nhập" in notice


def test_it_refuses_a_sheet_missing_required_columns_listing_them(english):
    content = xlsx({"Chủ thể": [["Mã số thuế", "Tên chủ thể", "Điện thoại"], ["4900123456", NAME, "0912"]]})
    before = written()

    job = preview(province_official(), content)

    assert job.status == ImportJob.Status.REFUSED
    for header in ("Loại hình", "Người đại diện", "Địa chỉ", "Xã/phường"):
        assert header in job.message
    assert "Mã số thuế" not in job.message.split(":")[-1]
    assert job.rows.count() == 0
    assert written() == before


def test_it_skips_blank_rows_in_the_middle(english):
    content = xlsx(
        {
            "Chủ thể": [
                ENTITY_HEADERS,
                entity_row("4900123456", NAME),
                [None] * len(ENTITY_HEADERS),
                ["  ", "", None, None, None, None, None, None],
                entity_row("4900654321", "Hộ kinh doanh Lý Thị Mai", kind="HKD"),
            ]
        }
    )

    job = preview(province_official(), content)

    assert outcomes(job) == ["create", "create"], errors_of(job)
    assert [row.row_no for row in rows_of(job)] == [2, 5]


def test_it_finds_the_header_row_below_title_rows(english):
    entity = make_entity(commune_obj=commune(LS, "Mẫu Sơn"))
    content = xlsx(
        {
            "Sheet1": [
                ["DANH SÁCH SẢN PHẨM OCOP"],
                [],
                PRODUCT_HEADERS,
                [entity.tax_code, "LS-1", "Chè xanh Mẫu Sơn", "QD26-11", None],
            ]
        }
    )

    job = preview(province_official(), content)

    assert job.status == ImportJob.Status.PREVIEWED, job.message
    assert job.sheets["Sheet1"]["kind"] == "products"
    assert job.sheets["Sheet1"]["header_row"] == 3
    row = rows_of(job)[0]
    assert (row.kind, row.row_no, row.outcome) == ("products", 4, "create")


# --- 8c. files that are refused whole ------------------------------------------------------------------


def test_it_refuses_a_file_over_the_size_limit_before_storing_it(english, settings):
    settings.OCOP_IMPORT_MAX_BYTES = 1000
    content = xlsx({"Chủ thể": [ENTITY_HEADERS, entity_row("4900123456", NAME)]})
    assert len(content) > 1000

    with pytest.raises(ValidationError, match="limit"):
        services.import_job_create(actor=province_official(), upload=upload(content))

    assert ImportJob.objects.count() == 0


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook/>')
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * 50_000_000)
    return buffer.getvalue()


def test_it_refuses_a_zip_bomb_named_xlsx(english):
    content = _zip_bomb()
    assert len(content) < 1_000_000
    before = written()

    job = preview(province_official(), content, name="bao-cao.xlsx")

    assert job.status == ImportJob.Status.REFUSED
    assert "safety" in job.message
    assert job.rows.count() == 0
    assert written() == before


def test_it_refuses_an_old_xls_file(english):
    content = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000

    with pytest.raises(ValidationError, match=r"\.xls"):
        services.import_job_create(actor=province_official(), upload=upload(content, "bao-cao.xls"))

    assert ImportJob.objects.count() == 0


def test_it_refuses_a_picture_renamed_xlsx(english):
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), (30, 120, 60)).save(buffer, format="PNG")

    with pytest.raises(ValidationError, match="not a spreadsheet"):
        services.import_job_create(actor=province_official(), upload=upload(buffer.getvalue(), "anh.xlsx"))

    assert ImportJob.objects.count() == 0


# --- 8d. cells -----------------------------------------------------------------------------------------


def test_it_refuses_html_in_a_text_cell_and_writes_nothing(english):
    actor = province_official()
    content = xlsx(
        {
            "Chủ thể": [
                ENTITY_HEADERS,
                entity_row("4900123456", "<script>alert(1)</script>"),
                entity_row("4900654321", "Hộ kinh doanh Lý Thị Mai", kind="HKD"),
            ]
        }
    )
    before = written()

    job = preview(actor, content)

    assert outcomes(job) == ["error", "create"]
    assert "HTML" in messages_by_column(rows_of(job)[0])["legal_name"]
    with pytest.raises(ValidationError):
        services.import_apply_confirm(actor=actor, job=job)
    assert written() == before
    assert not Entity.objects.filter(legal_name__contains="script").exists()


def test_it_refuses_a_malformed_tax_code(english):
    content = xlsx(
        {
            "Chủ thể": [
                ENTITY_HEADERS,
                entity_row("490012345", "HTX Chín số"),
                entity_row("49001234AB", "HTX Có chữ"),
                entity_row("MST-4900123456", "HTX Tiền tố"),
            ]
        }
    )

    job = preview(province_official(), content)

    assert outcomes(job) == ["error", "error", "error"]
    for row in rows_of(job):
        assert "10 digits" in messages_by_column(row)["tax_code"]


def test_it_restores_the_leading_zero_of_a_tax_code_typed_as_a_number(english):
    actor = province_official()
    content = xlsx(
        {
            "Chủ thể": [ENTITY_HEADERS, entity_row(105212345, NAME)],
            "Sản phẩm": [PRODUCT_HEADERS, [105212345, "LS-1", "Chè xanh Mẫu Sơn", "QD26-11", None]],
        }
    )

    job = preview(actor, content)

    assert outcomes(job) == ["create", "create"], errors_of(job)
    for row in rows_of(job):
        assert any("0105212345" in note for note in row.notes), row.notes
    apply(actor, job)
    assert Product.objects.get(code="LS-1").entity.tax_code == "0105212345"


def test_it_refuses_a_tax_code_twice_in_the_file_naming_the_other_row(english):
    content = xlsx(
        {
            "Chủ thể": [
                ENTITY_HEADERS,
                entity_row("4900123456", NAME),
                entity_row("4900654321", "Hộ kinh doanh Lý Thị Mai", kind="HKD"),
                entity_row("4900123456", "HTX Chè Mẫu Sơn (trùng)"),
            ]
        }
    )

    job = preview(province_official(), content)

    assert outcomes(job) == ["create", "create", "error"]
    assert "row 2" in messages_by_column(row_at(job, "entities", 4))["tax_code"]


def test_it_refuses_an_unknown_criteria_set(english):
    entity = make_entity(commune_obj=commune(LS, "Mẫu Sơn"))
    content = xlsx(
        {
            "Sản phẩm": [
                PRODUCT_HEADERS,
                [entity.tax_code, "LS-1", "Chè xanh Mẫu Sơn", "Rau củ sấy dẻo", None],
                [entity.tax_code, "LS-2", "Chè đen Mẫu Sơn", "27", None],
            ]
        }
    )

    job = preview(province_official(), content)

    assert outcomes(job) == ["error", "error"]
    assert "Rau củ sấy dẻo" in messages_by_column(rows_of(job)[0])["category"]
    assert "27" in messages_by_column(rows_of(job)[1])["category"]


def test_it_reads_a_criteria_set_by_number_code_or_name(english):
    actor = province_official()
    entity = make_entity(commune_obj=commune(LS, "Mẫu Sơn"))
    spellings = ["11", 11, "QD26-11", "qd26-11", "Chè tươi, chè chế biến", "Bộ 11"]
    content = xlsx(
        {
            "Sản phẩm": [
                PRODUCT_HEADERS,
                *[[entity.tax_code, f"LS-{i}", f"Chè số {i}", s, None] for i, s in enumerate(spellings)],
            ]
        }
    )

    preview_and_apply(actor, content)

    categories = list(Product.objects.filter(entity=entity).values_list("category_id", flat=True))
    assert categories == ["QD26-11"] * len(spellings)


def test_it_reads_dates_written_every_way_excel_allows(english):
    actor = province_official()
    entity = make_entity(commune_obj=commune(LS, "Mẫu Sơn"))
    written_dates = ["15/03/2022", "2022-03-15", 44635, "44635", datetime(2022, 3, 15), date(2022, 3, 15)]
    content = xlsx(
        {
            "Công nhận": [
                RECOGNITION_HEADERS,
                *[
                    [entity.tax_code, None, None, "VietGAP", f"VG-{i}", "Sở NN&MT", d, None]
                    for i, d in enumerate(written_dates)
                ],
            ]
        }
    )

    preview_and_apply(actor, content)

    read = list(Recognition.objects.filter(entity=entity).values_list("valid_from", flat=True))
    assert read == [date(2022, 3, 15)] * len(written_dates)


def test_it_refuses_an_impossible_date(english):
    entity = make_entity(commune_obj=commune(LS, "Mẫu Sơn"))
    content = xlsx(
        {
            "Công nhận": [
                RECOGNITION_HEADERS,
                [entity.tax_code, None, None, "VietGAP", "VG-1", "Sở NN&MT", "31/02/2022", None],
                [entity.tax_code, None, None, "HACCP", "H-1", "Sở NN&MT", "15/03/2022", "03/15/2025"],
            ]
        }
    )

    job = preview(province_official(), content)

    assert outcomes(job) == ["error", "error"]
    assert "31/02/2022" in messages_by_column(rows_of(job)[0])["valid_from"]
    assert "03/15/2025" in messages_by_column(rows_of(job)[1])["valid_to"]  # never read as mm/dd


def test_it_reads_numbers_with_thousands_separators(english):
    actor = province_official()
    entity = make_entity(commune_obj=commune(LS, "Mẫu Sơn"))
    prices = ["1.250.000", "1,250,000", 1250000, 1250000.0, "1 250 000"]
    content = xlsx(
        {
            "Sản phẩm": [
                PRODUCT_HEADERS,
                *[[entity.tax_code, f"LS-{i}", f"Chè số {i}", "QD26-11", p] for i, p in enumerate(prices)],
            ]
        }
    )

    preview_and_apply(actor, content)

    assert (
        list(Product.objects.filter(entity=entity).values_list("price_min_vnd", flat=True)) == [1250000] * 5
    )


def test_it_accepts_english_headers(english):
    actor = province_official()
    content = xlsx(
        {
            "Entities": [
                [
                    "Tax code",
                    "Legal name",
                    "Type",
                    "Representative",
                    "Address",
                    "Commune",
                    "Province",
                    "Phone",
                ],
                [
                    "4900123456",
                    NAME,
                    "Cooperative",
                    REPRESENTATIVE,
                    "Khuoi Cap hamlet",
                    "Mau Son",
                    "Lang Son",
                    "0912",
                ],
            ],
            "Products": [
                ["Entity tax code", "Product code", "Product name", "Criteria set", "Lowest price (VND)"],
                ["4900123456", "LS-1", "Chè Shan tuyết", "QD26-11", "250,000"],
            ],
        }
    )

    job = preview_and_apply(actor, content)

    assert counts(job, "entities")["create"] == counts(job, "products")["create"] == 1
    entity = Entity.objects.get(tax_code="4900123456")
    assert (entity.kind, entity.phone, entity.commune) == ("cooperative", "0912", commune(LS, "Mẫu Sơn"))
    assert Product.objects.get(entity=entity).price_min_vnd == 250000


def test_it_reads_stars_written_in_words_or_symbols_and_a_decimal_comma_score(english):
    actor = province_official()
    entity = make_entity(commune_obj=commune(LS, "Mẫu Sơn"))
    for code in ("LS-1", "LS-2", "LS-3"):
        make_product(entity=entity, code=code, name=f"Sản phẩm {code}", category="QD26-11")
    content = xlsx(
        {
            "Giấy chứng nhận": [
                CERT_HEADERS,
                ["1/2024/GCN", entity.tax_code, "LS-1", "4 sao", "85,5", "1/QĐ-UBND", "01/06/2024", None],
                ["2/2024/GCN", entity.tax_code, "LS-2", "★★★★", "85.5", "2/QĐ-UBND", "01/06/2024", None],
                ["3/2024/GCN", entity.tax_code, "LS-3", "4", 85.5, "3/QĐ-UBND", "01/06/2024", None],
            ]
        }
    )

    preview_and_apply(actor, content)

    certificates = Certificate.objects.filter(entity=entity)
    assert sorted(certificates.values_list("stars", "score")) == [(4, Decimal("85.50"))] * 3
