"""Exports in the import format: importing an export changes nothing; exports follow the list filters
and the official's jurisdiction; the templates hold the headers the importer reads."""

import io
from datetime import date

import pytest
from django.utils import translation
from openpyxl import load_workbook

from certificates.models import Certificate
from places.models import Commune, Province
from registry.models import Entity, ProductCategory, Role
from registry.services import product_create
from registry.services_evidence import recognition_create
from tests.certificates.factories import import_past, make_certificate
from tests.factories import commune, make_entity, make_product, make_user, with_role
from tests.transfers.helpers import (
    ENTITY_HEADERS,
    LS,
    counts,
    entity_row,
    errors_of,
    outcomes,
    preview,
    province_official,
    read_xlsx,
    workbook_bytes,
    written,
)
from transfers import exports
from transfers.columns import KINDS, ORDER
from transfers.models import ImportJob

pytestmark = pytest.mark.django_db


def lang_son_register():
    """What a province has after a few years: entities of two communes, products with and without the
    province's code, an English name, recognitions with and without a product, past certificates
    (valid and expired) and one issued on the platform."""
    mau_son = commune(LS, "Mẫu Sơn")
    dong_kinh = Commune.objects.get(province__name__contains=LS, name="Phường Đông Kinh")
    coop = make_entity(
        commune_obj=mau_son,
        legal_name="Hợp tác xã Chè Mẫu Sơn",
        phone="0205 3871 234",
        email="htx.chemauson@example.org",
        founded_year=2015,
        members_count=7,
        workers_count=20,
        women_count=9,
        ethnic_minority_count=15,
        description="Chè cổ thụ trên núi Mẫu Sơn.",
    )
    household = make_entity(
        commune_obj=dong_kinh,
        legal_name="Hộ kinh doanh Lý Thị Mai",
        kind=Entity.Kind.HOUSEHOLD,
        workers_count=3,
    )
    tea = make_product(
        entity=coop,
        name="Chè Shan tuyết Mẫu Sơn",
        code="LS-001",
        price_min_vnd=120000,
        price_max_vnd=450000,
        shelf_life_days=365,
        monthly_capacity=500,
        capacity_unit="kg",
    )
    honey = make_product(entity=coop, name="Mật ong hoa bạc hà", category="QD26-04")
    noodles = product_create(
        actor=None,
        entity=household,
        category=ProductCategory.objects.get(code="QD26-06"),
        translations={
            "vi": {"name": "Miến dong Đông Kinh", "short_description": "Miến dong làm thủ công."},
            "en": {"name": "Dong Kinh arrowroot noodles"},
        },
    )
    recognition_create(
        actor=None,
        entity=coop,
        product=tea,
        kind="vietgap",
        number="VG-0123",
        issuer="Sở Nông nghiệp và Môi trường Lạng Sơn",
        valid_from=date(2023, 3, 1),
        valid_to=date(2026, 3, 1),
        note="Vùng chè 12 ha",
    )
    recognition_create(actor=None, entity=household, product=None, kind="trademark", number="NH-45")
    import_past(product=tea, valid_until=date(2027, 1, 15), number="15/2024/GCN")
    import_past(product=honey, valid_until=date(2025, 2, 1), status=Certificate.Status.EXPIRED)
    make_certificate(product=noodles, stars=4)
    return coop, household


def cao_bang_register():
    """Another province's entity with a certified (public) product, and one with only a draft."""
    cao_bang = Commune.objects.filter(province__name__contains="Cao Bằng").order_by("code")
    public = make_entity(commune_obj=cao_bang[0], legal_name="Hợp tác xã Miến Nguyên Bình")
    certified = make_product(entity=public, name="Miến dong Nguyên Bình", category="QD26-06")
    import_past(product=certified, valid_until=date(2027, 6, 1))
    recognition_create(actor=None, entity=public, product=certified, kind="gi", number="CDĐL-00071")
    private = make_entity(commune_obj=cao_bang[1], legal_name="Hộ kinh doanh Nông Văn Dũng")
    make_product(entity=private, name="Thạch đen Thạch An", category="QD26-07")
    return public, private


# --- 10. export, then import: nothing changes ---------------------------------------------------------


def test_it_imports_its_own_xlsx_export_as_unchanged(english):
    actor = province_official()
    lang_son_register()
    content = exports.export_xlsx(actor, exports.all_kinds(), {})
    sheets = read_xlsx(content)
    assert [len(sheets[KINDS[k].sheet_vi]) - 1 for k in ORDER] == [2, 3, 2, 3]
    before = written()

    job = preview(actor, content, name="ocop-xuat.xlsx")

    assert job.status == ImportJob.Status.PREVIEWED, job.message
    assert job.error_count == 0, errors_of(job)
    assert set(outcomes(job)) == {"unchanged"}, [(r.sheet, r.row_no, r.changes) for r in job.rows.all()]
    assert len(outcomes(job)) == 10
    assert job.change_count == 0
    assert written() == before


@pytest.mark.parametrize("kind", ORDER)
def test_it_imports_its_own_csv_export_as_unchanged(english, kind):
    actor = province_official()
    lang_son_register()
    content = exports.export_csv(actor, KINDS[kind], {})
    assert content.startswith(b"\xef\xbb\xbf")

    job = preview(actor, content, name=f"ocop-{kind}.csv")

    assert job.status == ImportJob.Status.PREVIEWED, job.message
    assert job.error_count == 0, errors_of(job)
    assert list(job.counts) == [kind]
    assert counts(job, kind)["unchanged"] >= 2
    assert job.change_count == 0, [(r.row_no, r.changes) for r in job.rows.all()]


def test_it_exports_through_the_page_what_imports_unchanged(english, client):
    actor = province_official()
    lang_son_register()
    client.force_login(actor)

    entities = client.get("/exports/entities.xlsx")
    certificates = client.get("/exports/certificates.xlsx")

    for response in (entities, certificates):
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert "attachment" in response["Content-Disposition"]
    with translation.override("en"):
        for response in (entities, certificates):
            job = preview(actor, response.content, name="ocop-export.xlsx")
            assert job.error_count == 0, errors_of(job)
            assert set(outcomes(job)) == {"unchanged"} and len(outcomes(job)) in (2, 3)


# --- 10. exports follow jurisdiction and filters -------------------------------------------------------


def _exported_tax_codes(content: bytes, kind: str) -> set[str]:
    sheet = read_xlsx(content)[KINDS[kind].sheet_vi]
    position = 0 if kind == "entities" else [c.key for c in KINDS[kind].columns].index("entity_tax_code")
    return {row[position] for row in sheet[1:]}


@pytest.mark.parametrize("kind", ORDER)
def test_it_exports_only_the_officials_province(english, kind):
    actor = province_official()
    coop, household = lang_son_register()
    public, private = cao_bang_register()

    content = exports.export_xlsx(actor, [KINDS[kind]], {})

    exported = _exported_tax_codes(content, kind)
    assert coop.tax_code in exported
    assert not exported & {public.tax_code, private.tax_code}


def test_it_filters_an_export_by_province_and_commune(english, client):
    national = with_role(make_user(), Role.Kind.NATIONAL)
    coop, household = lang_son_register()
    public, private = cao_bang_register()
    lang_son = Province.objects.get(name__contains=LS)
    client.force_login(national)

    everything = client.get("/exports/entities.xlsx")
    by_province = client.get(f"/exports/entities.xlsx?province={lang_son.code}")
    by_commune = client.get(f"/exports/entities.xlsx?commune={coop.commune_id}")
    csv_by_province = client.get(f"/exports/certificates.csv?province={lang_son.code}")

    assert _exported_tax_codes(everything.content, "entities") >= {
        coop.tax_code,
        household.tax_code,
        public.tax_code,
        private.tax_code,
    }
    assert _exported_tax_codes(by_province.content, "entities") == {coop.tax_code, household.tax_code}
    assert _exported_tax_codes(by_commune.content, "entities") == {coop.tax_code}
    lines = csv_by_province.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 1 + 3
    assert not any(public.tax_code in line for line in lines)


def test_it_refuses_an_export_to_the_public(client):
    client.force_login(make_user())

    assert client.get("/exports/entities.xlsx").status_code == 403


# --- 11. templates -------------------------------------------------------------------------------------


def test_it_downloads_a_template_workbook_with_the_vietnamese_headers(english, client):
    client.force_login(province_official())

    response = client.get("/imports/templates/all.xlsx")

    assert response.status_code == 200
    sheets = read_xlsx(response.content)
    assert list(sheets) == ["Chủ thể", "Sản phẩm", "Công nhận", "Giấy chứng nhận", "Hướng dẫn"]
    assert sheets["Chủ thể"] == [tuple(c.vi for c in KINDS["entities"].columns)]
    assert sheets["Chủ thể"][0][:3] == ("Mã số thuế", "Tên chủ thể", "Loại hình")
    assert sheets["Sản phẩm"][0][:4] == ("Mã số thuế chủ thể", "Mã sản phẩm", "Tên sản phẩm", "Tên tiếng Anh")
    assert "Lý do chấp nhận sản phẩm tương tự" in sheets["Sản phẩm"][0]
    assert sheets["Giấy chứng nhận"][0][0] == "Số giấy chứng nhận"
    guide = sheets["Hướng dẫn"]
    assert guide[1][:4] == ("Chủ thể", "Mã số thuế", "Tax code", "có")
    assert len(guide) == 1 + sum(len(KINDS[k].columns) for k in ORDER)


def test_it_downloads_a_csv_template_with_a_bom_and_the_header_line(english, client):
    client.force_login(province_official())

    response = client.get("/imports/templates/products.csv")

    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines == [",".join(c.vi for c in KINDS["products"].columns)]
    assert lines[0].startswith("Mã số thuế chủ thể,Mã sản phẩm,Tên sản phẩm,")
    assert client.get("/imports/templates/nothing.csv").status_code == 404


def test_it_imports_a_filled_in_template(english, client):
    actor = province_official()
    client.force_login(actor)
    workbook = load_workbook(io.BytesIO(client.get("/imports/templates/all.xlsx").content))
    headers = [cell.value for cell in workbook["Chủ thể"][1]]
    row = dict(zip(ENTITY_HEADERS, entity_row("4900123456", "HTX Chè Mẫu Sơn"), strict=True))
    workbook["Chủ thể"].append([row.get(h) for h in headers])

    with translation.override("en"):
        job = preview(actor, workbook_bytes(workbook))

    assert job.status == ImportJob.Status.PREVIEWED, job.message
    assert outcomes(job) == ["create"], errors_of(job)
    assert job.notices == []
