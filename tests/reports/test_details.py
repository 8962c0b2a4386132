"""The figures beside the summary (export markets, recognitions, scans, demand) on the dashboard and in
the CSV/XLSX exports: the same numbers in each, spreadsheet-safe text, demand only for those who may
read it."""

import csv
import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook

from certificates.models import Certificate
from registry.models import ProductTranslation, Recognition, Role
from reports.details import export_markets
from reports.jurisdiction import Jurisdiction
from scans.models import DailyScanRollup
from tests.factories import make_user, with_role
from tests.reports.records import (
    LANG_SON_ON,
    certify,
    communes,
    lang_son,
    products_in,
    province,
    scan_rollups,
)
from tests.reports.test_pdf import _poppler

pytestmark = pytest.mark.django_db
ON = date(2025, 11, 20)


@pytest.fixture
def markets():
    """Four products of Hà Tĩnh: two of one entity that names Japan and Korea for all its products,
    one whose own recognitions name Japan (spelt otherwise) and the EU and an expired US, one whose
    certificate has expired (its Australia is not counted)."""
    area = province("Hà Tĩnh")
    places = communes(area)[:3]
    pair = products_in(places[:1], 2)
    single = products_in(places[1:2], 1)
    lapsed = products_in(places[2:3], 1)
    certify(pair + single, stars=3, decided=date(2024, 5, 1))
    certify(lapsed, stars=3, decided=date(2021, 5, 1), status=Certificate.Status.EXPIRED)
    kind = Recognition.Kind.EXPORT_MARKET
    Recognition.objects.bulk_create(
        [
            Recognition(entity_id=pair[0].entity_id, kind=kind, note="Nhật Bản; Hàn Quốc"),
            Recognition(entity_id=pair[0].entity_id, product=pair[0], kind=kind, note="Nhật Bản"),
            Recognition(entity_id=single[0].entity_id, product=single[0], kind=kind, note=" nhật  bản ;EU"),
            Recognition(
                entity_id=single[0].entity_id,
                product=single[0],
                kind=kind,
                note="Hoa Kỳ",
                valid_to=date(2025, 1, 1),
            ),
            Recognition(entity_id=lapsed[0].entity_id, product=lapsed[0], kind=kind, note="Úc"),
            Recognition(entity_id=single[0].entity_id, kind=Recognition.Kind.VIETGAP, note="VietGAP 2024"),
        ]
    )
    return {"province": area, "pair": pair, "single": single}


def test_it_counts_current_products_per_export_market(markets):
    rows = export_markets(Jurisdiction(province=markets["province"]), ON)
    assert rows == [("Nhật Bản", 3), ("Hàn Quốc", 2), ("EU", 1)]
    # Before the US recognition ended, it counted.
    assert ("Hoa Kỳ", 1) in export_markets(Jurisdiction(province=markets["province"]), date(2024, 12, 1))


def test_another_province_has_none_of_them(markets):
    assert export_markets(Jurisdiction(province=province("Lạng Sơn")), ON) == []


def _official(client, **scope):
    kind = Role.Kind.COMMUNE if "commune" in scope else Role.Kind.PROVINCE
    client.force_login(with_role(make_user(), kind, **scope))


def test_the_dashboard_lists_export_markets_and_demand_for_province_officials(client, english, markets):
    _official(client, province=markets["province"])
    page = client.get("/reports/", {"on": ON.isoformat()}).content.decode()
    assert page.count('data-testid="export-market"') == 3
    assert "<td>Nhật Bản</td><td>3</td>" in page
    assert "Buyer demand and declared capacity, 09/2025–11/2025" in page


def test_a_commune_official_sees_no_demand(client, english, markets):
    _official(client, commune=markets["pair"][0].commune)
    page = client.get("/reports/", {"on": ON.isoformat()}).content.decode()
    assert "Buyer demand and declared capacity" not in page
    assert "<td>Nhật Bản</td><td>2</td>" in page  # the commune's two products only


def test_the_xlsx_export_has_a_vietnamese_sheet_per_table(client, vietnamese, markets):
    scan_rollups(DailyScanRollup(product=markets["single"][0], day=date(2025, 10, 3), scans=12, visitors=5))
    _official(client, province=markets["province"])
    response = client.get("/reports/export.xlsx", {"on": ON.isoformat()})
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Sản phẩm OCOP",
        "Sự kiện chứng nhận",
        "Giấy chứng nhận sắp hết hạn",
        "Các chứng nhận khác",
        "Thị trường xuất khẩu",
        "Lượt quét",
        "Nhu cầu và năng lực",
    ]
    exports = [[c.value for c in row] for row in book["Thị trường xuất khẩu"].iter_rows()]
    assert exports == [
        ["Thị trường xuất khẩu", "Sản phẩm OCOP còn hiệu lực"],
        ["Nhật Bản", 3],
        ["Hàn Quốc", 2],
        ["EU", 1],
    ]
    scans = [[c.value for c in row] for row in book["Lượt quét"].iter_rows()]
    assert scans[1] == ["10/2025", markets["single"][0].pk, f"Sản phẩm {markets['single'][0].pk}", 12, 5]
    recognitions = dict(row for row in book["Các chứng nhận khác"].iter_rows(values_only=True))
    assert (recognitions["VietGAP"], recognitions["Thị trường xuất khẩu"]) == (1, 4)
    events = [[c.value for c in row] for row in book["Sự kiện chứng nhận"].iter_rows()]
    assert events[4][:2] == [2024, 3]  # 2021..2025: three issued in 2024


def test_a_name_that_looks_like_a_formula_stays_text_in_the_csv(client, english, markets):
    product = markets["single"][0]
    ProductTranslation.objects.filter(product=product, language="vi").update(name='=HYPERLINK("http://x")')
    scan_rollups(DailyScanRollup(product=product, day=date(2025, 11, 3), scans=4, visitors=2))
    _official(client, province=markets["province"])
    response = client.get("/reports/export.csv", {"on": ON.isoformat()})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    titles = [r[0] for i, r in enumerate(rows) if i and not rows[i - 1] and len(r) == 1]
    assert titles == [
        "Certificate events",
        "Certificates ending",
        "Other recognitions",
        "Export markets",
        "Scans",
        "Demand and capacity",
    ]
    [scan] = [r for r in rows if len(r) == 5 and r[1] == str(product.pk)]
    assert scan == ["11/2025", str(product.pk), '\'=HYPERLINK("http://x")', "4", "2"]


def test_the_pdf_report_has_the_export_markets_scans_and_demand(client, english, markets, tmp_path):
    product = markets["single"][0]
    scan_rollups(DailyScanRollup(product=product, day=date(2025, 11, 3), scans=41, visitors=9))
    _official(client, province=markets["province"])
    client.cookies["django_language"] = "en"
    response = client.get("/reports/report.pdf", {"on": ON.isoformat()})
    assert response["Content-Type"] == "application/pdf"
    text = _poppler("pdftotext", response.content, tmp_path, "-layout")
    assert re.search(r"^\s*Nhật Bản\s+3\s*$", text, re.M)
    assert re.search(rf"^\s*11/2025\s+Sản phẩm {product.pk}\s+41\s+9\s*$", text, re.M)
    assert "Buyer demand and declared capacity, 09/2025–11/2025" in text


def test_the_page_and_the_pdf_list_the_certificates_ending_within_90_days(client, english, tmp_path):
    """Lạng Sơn on 20/11/2025: 10 certificates end on 10/01/2026, soonest first on both."""
    data = lang_son()
    _official(client, province=data["province"])
    client.cookies["django_language"] = "en"
    page = client.get("/reports/", {"on": LANG_SON_ON.isoformat()}).content.decode()
    listed = re.search(r'data-testid="expiring-list">(.*?)</table>', page, re.S).group(1)
    names = [f"Sản phẩm {p.pk}" for p in data["expiring"]]
    assert all(f"<td>{name}</td>" in listed for name in names)
    assert listed.count("<td>10/01/2026</td>") == 10
    pdf = client.get("/reports/report.pdf", {"on": LANG_SON_ON.isoformat()}).content
    text = _poppler("pdftotext", pdf, tmp_path, "-layout")
    section = text[text.index("Expiring in the next 90 days\n") :]
    assert all(re.search(rf"^\s*{name}\s+.+\s+3\s+10/01/2026\s*$", section, re.M) for name in names)
