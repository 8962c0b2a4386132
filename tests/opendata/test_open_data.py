"""The public open data: the files the nightly build writes, and the pages and URLs that serve them."""

import csv
import hashlib
import io
import json
import os
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from certificates.models import Certificate
from certificates.services_lifecycle import certificate_revoke, certificates_lapse
from opendata.fields import FIELD_NAMES
from opendata.services import open_data_build
from opendata.tasks import open_data_nightly
from places.models import Commune
from registry.models import Evidence, Product, ProductCategory, Recognition
from registry.services import product_create
from registry.services_evidence import evidence_upload, recognition_create
from tests.certificates.factories import import_past, make_certificate
from tests.factories import image_upload, make_entity, make_product

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
CC_BY = "https://creativecommons.org/licenses/by/4.0/"

# What must never leave the platform: distinctive values, so that finding one in a file is no accident.
PRIVATE = {
    "tax_code": "5309876543",
    "phone": "0977 654 088",
    "email": "chu.nhiem.rieng@example.vn",
    "representative": "Lò Thị Bímật",
    "address": "Số 77 ngõ Kínđáo, thôn Riêngtư",
    "description": "Mô tả nội bộ không công khai",
    "workers_count": 4837,
    "women_count": 2659,
    "ethnic_minority_count": 3946,
}


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.OCOP_OPEN_DATA_DIR = tmp_path / "opendata"
    return settings.OCOP_OPEN_DATA_DIR


def _communes(count: int) -> list[Commune]:
    """Communes of Lào Cai, one per entity, so that no product looks like another's duplicate."""
    return list(Commune.objects.filter(province__name__contains="Lào Cai").order_by("code")[:count])


def _certified(*, entity=None, name: str = "Trà Shan Tuyết", stars: int = 4, **fields) -> Certificate:
    return make_certificate(
        product=make_product(entity=entity or make_entity(), name=name, **fields), stars=stars
    )


def _jsonl(data_dir) -> list[dict]:
    return [
        json.loads(line) for line in (data_dir / "products.jsonl").read_text(encoding="utf-8").splitlines()
    ]


def _csv(data_dir) -> list[list[str]]:
    return list(
        csv.reader(io.StringIO((data_dir / "products.csv").read_text(encoding="utf-8-sig"), newline=""))
    )


def _file_bytes(data_dir) -> bytes:
    return b"".join(
        (data_dir / name).read_bytes() for name in ("products.jsonl", "products.csv", "metadata.json")
    )


# --- the files ------------------------------------------------------------------------------------


def test_it_writes_a_certified_product_with_its_entity_and_certificate(data_dir):
    entity = make_entity(legal_name="HTX Chè Suối Giàng", commune_obj=_communes(1)[0])
    certificate = _certified(entity=entity, stars=4, price_min_vnd=250000, price_max_vnd=900000)
    product = certificate.product

    report = open_data_build()

    assert report.rows == 1
    [row] = _jsonl(data_dir)
    assert row["product_id"] == product.pk
    assert row["name_vi"] == "Trà Shan Tuyết"
    assert row["name_en"] == ""
    assert row["criteria_set_code"] == "QD26-11"
    assert row["province_code"] == product.province_id and row["commune_code"] == product.commune_id
    assert row["price_min_vnd"] == 250000 and row["price_max_vnd"] == 900000
    assert row["stars"] == 4
    assert row["certificate_number"] == certificate.number
    assert row["certificate_decision_no"] == certificate.decision_no
    assert row["certificate_decision_date"] == certificate.decision_date.isoformat()
    assert row["certificate_valid_until"] == certificate.valid_until.isoformat()
    assert row["certificate_issuer"] == certificate.issuer_vi
    assert row["certificate_verification_url"].endswith(f"/verify/{certificate.verification_code}")
    assert row["product_url"].endswith(f"/products/{product.pk}/")
    assert row["entity_id"] == entity.pk
    assert row["entity_name"] == "HTX Chè Suối Giàng"
    assert row["entity_kind"] == "cooperative"
    assert row["entity_commune_code"] == entity.commune_id
    assert row["entity_province_name"] == entity.province.name
    [header, csv_row] = _csv(data_dir)
    assert dict(zip(header, csv_row, strict=True))["certificate_number"] == certificate.number
    assert dict(zip(header, csv_row, strict=True))["stars"] == "4"


def test_products_the_public_does_not_see_are_left_out(data_dir):
    communes = _communes(8)
    shown = _certified(entity=make_entity(commune_obj=communes[0]), name="Mật ong bạc hà")
    hidden = [
        make_product(
            entity=make_entity(commune_obj=communes[1]), name="Bản nháp", status=Product.Status.DRAFT
        ),
        make_product(entity=make_entity(commune_obj=communes[2]), name="Đã đăng ký", status="registered"),
        make_product(
            entity=make_entity(commune_obj=communes[3]), name="Đang đánh giá", status="in_evaluation"
        ),
        make_product(entity=make_entity(commune_obj=communes[4]), name="Đã rút", status="withdrawn"),
    ]
    # Expired the way it happens: the certificate's last day passed and the daily job lapsed it.
    lapsed = import_past(
        product=make_product(entity=make_entity(commune_obj=communes[5]), name="Hết hạn"),
        valid_until=timezone.localdate() - timedelta(days=10),
    )
    certificates_lapse(today=timezone.localdate())
    revoked = _certified(entity=make_entity(commune_obj=communes[6]), name="Bị thu hồi", stars=3)
    certificate_revoke(
        actor=None,
        certificate=revoked,
        ground="b",
        reason="Kiểm tra không đạt",
        decided_on=timezone.localdate(),
    )
    hidden += [lapsed.product, revoked.product]
    for product in hidden:
        product.refresh_from_db()
    assert {p.status for p in hidden} == {
        "draft",
        "registered",
        "in_evaluation",
        "withdrawn",
        "expired",
        "revoked",
    }

    open_data_build()

    assert [row["product_id"] for row in _jsonl(data_dir)] == [shown.product_id]
    text = (data_dir / "products.csv").read_text(encoding="utf-8-sig")
    assert "Mật ong bạc hà" in text
    for name in ("Bản nháp", "Đã đăng ký", "Đang đánh giá", "Đã rút", "Hết hạn", "Bị thu hồi"):
        assert name not in text
    assert lapsed.number not in text and revoked.number not in text


def test_no_private_field_appears_in_any_file(data_dir):
    entity = make_entity(**PRIVATE)
    certificate = _certified(entity=entity)
    evidence = evidence_upload(
        actor=None,
        entity=entity,
        upload=image_upload("giay-phep.png"),
        kind=Evidence.Kind.BUSINESS_LICENCE,
        title="Giấy phép kinh doanh bảomật",
        number="GP-SECRET-4411",
    )
    recognition_create(
        actor=None,
        entity=entity,
        product=certificate.product,
        kind=Recognition.Kind.VIETGAP,
        issuer="Trung tâm Chứngnhận Riêng",
        number="VG-SECRET-9921",
        note="Ghi chú nộibộ",
        evidence=[evidence],
    )

    open_data_build()

    data = _file_bytes(data_dir)
    assert certificate.number.encode() in data  # the public part is there …
    assert b"vietgap" in data
    secrets = [str(value) for value in PRIVATE.values()]
    secrets += ["0977654088", "Giấy phép kinh doanh bảomật", "GP-SECRET-4411", evidence.sha256]
    secrets += ["Trung tâm Chứngnhận Riêng", "VG-SECRET-9921", "Ghi chú nộibộ"]
    for secret in secrets:  # … and nothing private
        assert secret.encode() not in data, secret
    for name in ("tax_code", "phone", "email", "representative", "address", "workers", "evidence", "score"):
        assert not any(name in field for field in FIELD_NAMES)


def test_the_csv_has_a_byte_order_mark_and_the_documented_header(data_dir):
    _certified(name="Gạo Séng Cù", entity=make_entity(legal_name="HTX Nông sản Mường Khương"))

    open_data_build()

    raw = (data_dir / "products.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    first_line = raw[3:].split(b"\r\n")[0].decode()
    assert first_line.split(",") == list(FIELD_NAMES)
    assert FIELD_NAMES[:3] == ("product_id", "product_code", "name_vi")
    [header, row] = _csv(data_dir)
    assert header == list(FIELD_NAMES)
    assert "Gạo Séng Cù" in row and "HTX Nông sản Mường Khương" in row


def test_each_jsonl_line_is_one_json_object_with_the_fields_in_order(data_dir):
    communes = _communes(3)
    for commune, name in zip(communes, ("Miến dong", "Táo mèo", "Thịt trâu gác bếp"), strict=True):
        _certified(entity=make_entity(commune_obj=commune), name=name)

    open_data_build()

    lines = (data_dir / "products.jsonl").read_text(encoding="utf-8").split("\n")
    assert lines[-1] == "" and len(lines) == 4
    rows = [json.loads(line) for line in lines[:-1]]
    assert all(list(row) == list(FIELD_NAMES) for row in rows)
    assert [row["name_vi"] for row in rows] == ["Miến dong", "Táo mèo", "Thịt trâu gác bếp"]
    assert "Táo mèo" in lines[1]  # UTF-8, not \u escapes


def test_the_metadata_describes_the_files(data_dir):
    _certified()

    report = open_data_build()

    metadata = json.loads((data_dir / "metadata.json").read_text(encoding="utf-8"))
    assert metadata["rows"] == 1
    assert metadata["built_at"] == report.built_at
    assert metadata["licence"]["url"] == CC_BY
    assert metadata["licence"]["attribution"].startswith("OCOP Hub — http")
    assert metadata["source"].endswith("/open-data/")
    assert metadata["fields"] == list(FIELD_NAMES)
    for name, url in (
        ("products.jsonl", "/open-data/ocop-products.jsonl"),
        ("products.csv", "/open-data/ocop-products.csv"),
    ):
        described = metadata["files"][name]
        content = (data_dir / name).read_bytes()
        assert described["sha256"] == hashlib.sha256(content).hexdigest() == report.sha256[name]
        assert described["bytes"] == len(content)
        assert described["url"].endswith(url)


def test_a_rebuild_without_changes_writes_the_same_bytes(data_dir):
    communes = _communes(2)
    _certified(entity=make_entity(commune_obj=communes[0]), name="Mật ong bạc hà")
    _certified(entity=make_entity(commune_obj=communes[1]), name="Chè Shan Tuyết")
    first = open_data_build()
    before = {name: (data_dir / name).read_bytes() for name in ("products.jsonl", "products.csv")}
    mtimes = {name: os.stat(data_dir / name).st_mtime_ns for name in before}
    metadata = json.loads((data_dir / "metadata.json").read_text(encoding="utf-8"))

    second = open_data_build()

    assert first.changed == ["products.jsonl", "products.csv"]
    assert second.changed == []
    assert {name: (data_dir / name).read_bytes() for name in before} == before
    # Unchanged files are not replaced: their Last-Modified stays.
    assert {name: os.stat(data_dir / name).st_mtime_ns for name in before} == mtimes
    again = json.loads((data_dir / "metadata.json").read_text(encoding="utf-8"))
    metadata.pop("built_at"), again.pop("built_at")
    assert again == metadata
    assert sorted(p.name for p in data_dir.iterdir()) == [
        ".build.lock",
        "metadata.json",
        "products.csv",
        "products.jsonl",
    ]


def test_the_query_count_does_not_grow_with_products(data_dir, django_assert_max_num_queries):
    communes = _communes(12)
    names = [
        "Mật ong bạc hà", "Gạo Séng Cù", "Miến dong", "Táo mèo", "Thịt trâu gác bếp", "Chè Shan Tuyết",
        "Rượu ngô", "Măng khô", "Nấm hương", "Tương ớt", "Lạp xưởng", "Khăn thổ cẩm",
    ]  # fmt: skip
    for i, (commune, name) in enumerate(zip(communes, names, strict=True)):
        certificate = _certified(entity=make_entity(commune_obj=commune), name=name)
        recognition_create(actor=None, entity=certificate.entity, product=certificate.product, kind="vietgap")
        recognition_create(actor=None, entity=certificate.entity, kind="iso22000")
        if i % 2:
            make_product(
                entity=certificate.entity, name=f"Sản phẩm phụ {name}", status=Product.Status.CERTIFIED
            )

    # 1 query for the products (entity, places and criteria set joined), then one each for
    # translations, certificates, product recognitions and entity recognitions.
    with django_assert_max_num_queries(5):
        report = open_data_build()
    assert report.rows == 18
    assert all(row["recognitions"] == ["vietgap"] for row in _jsonl(data_dir) if row["stars"])


def test_a_certified_product_without_a_valid_certificate_has_empty_certificate_columns(data_dir):
    product = make_product(name="Nấm hương", status=Product.Status.CERTIFIED)

    open_data_build()

    [row] = _jsonl(data_dir)
    assert row["product_id"] == product.pk
    assert row["stars"] is None and row["certificate_number"] is None
    [header, cells] = _csv(data_dir)
    assert dict(zip(header, cells, strict=True))["certificate_number"] == ""


def test_the_current_certificate_and_recognitions_are_the_ones_written(data_dir):
    product = make_product(name="Chè Shan Tuyết", price_min_vnd=100000)
    old = import_past(product=product, valid_until=date(2026, 6, 30), status=Certificate.Status.EXPIRED)
    current = make_certificate(product=product, stars=3)
    today = timezone.localdate()
    entity = product.entity
    recognition_create(
        actor=None, entity=entity, product=product, kind="vietgap", valid_to=today + timedelta(days=1)
    )
    recognition_create(
        actor=None, entity=entity, product=product, kind="haccp", valid_to=today - timedelta(days=1)
    )
    recognition_create(
        actor=None, entity=entity, product=product, kind="organic", valid_from=today + timedelta(days=5)
    )
    recognition_create(actor=None, entity=entity, kind="iso22000")

    open_data_build()

    [row] = _jsonl(data_dir)
    assert row["certificate_number"] == current.number != old.number
    assert row["stars"] == 3
    assert row["recognitions"] == ["vietgap"]
    assert row["entity_recognitions"] == ["iso22000"]
    [header, cells] = _csv(data_dir)
    assert dict(zip(header, cells, strict=True))["recognitions"] == "vietgap"


def test_an_english_name_is_written_when_given(data_dir):
    entity = make_entity()
    product = product_create(
        actor=None,
        entity=entity,
        category=ProductCategory.objects.get(code="QD26-11"),
        translations={"vi": {"name": "Trà Shan Tuyết"}, "en": {"name": "Shan Tuyet tea"}},
    )
    make_certificate(product=product)

    open_data_build()

    [row] = _jsonl(data_dir)
    assert (row["name_vi"], row["name_en"]) == ("Trà Shan Tuyết", "Shan Tuyet tea")


def test_a_text_that_a_spreadsheet_would_run_is_defused_in_the_csv_only(data_dir):
    _certified(entity=make_entity(legal_name='=HYPERLINK("http://x","HTX")'))

    open_data_build()

    [row] = _jsonl(data_dir)
    assert row["entity_name"] == '=HYPERLINK("http://x","HTX")'
    [header, cells] = _csv(data_dir)
    assert dict(zip(header, cells, strict=True))["entity_name"] == '\'=HYPERLINK("http://x","HTX")'


def test_a_failed_build_leaves_the_published_files_as_they_were(data_dir, monkeypatch):
    _certified()
    open_data_build()
    before = _file_bytes(data_dir)
    _certified(entity=make_entity(commune_obj=_communes(2)[1]), name="Gạo Séng Cù")

    def broken(product):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("opendata.services.public_row", broken)
    with pytest.raises(RuntimeError):
        open_data_build()

    assert _file_bytes(data_dir) == before
    assert not [p for p in data_dir.iterdir() if p.name.endswith(".tmp")]


# --- the command and the task ---------------------------------------------------------------------


def test_the_command_writes_the_files(data_dir):
    _certified()
    out = StringIO()
    call_command("build_open_data", stdout=out)
    assert "1 product(s) written" in out.getvalue()
    assert len(_jsonl(data_dir)) == 1
    assert (data_dir / "metadata.json").is_file()


def test_the_command_writes_to_another_directory_when_asked(data_dir, tmp_path):
    _certified()
    call_command("build_open_data", "--directory", str(tmp_path / "mirror"), stdout=StringIO())
    assert (tmp_path / "mirror" / "products.csv").is_file()
    assert not data_dir.exists()


def test_the_loop_builds_then_sleeps_a_day(data_dir, monkeypatch):
    slept = []

    class Stop(Exception):
        pass

    def sleep(seconds):
        slept.append(seconds)
        raise Stop

    monkeypatch.setattr("opendata.management.commands.build_open_data.time.sleep", sleep)
    with pytest.raises(Stop):
        call_command("build_open_data", "--loop", stdout=StringIO())
    assert slept == [24 * 60 * 60]
    assert (data_dir / "products.jsonl").is_file()


def test_the_task_runs_the_same_build(data_dir, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    _certified()
    result = open_data_nightly.enqueue()
    assert result.return_value["rows"] == 1
    assert (
        result.return_value["sha256"]["products.csv"]
        == hashlib.sha256((data_dir / "products.csv").read_bytes()).hexdigest()
    )


# --- the pages ------------------------------------------------------------------------------------


def test_the_page_says_the_data_is_not_built_yet(data_dir):
    response = Client().get("/open-data/")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="not-built"' in page
    assert "have not been built yet" in page or "chưa được tạo" in page
    assert CC_BY in page


def test_the_page_shows_the_licence_the_files_and_the_fields(data_dir):
    _certified()
    report = open_data_build()

    response = Client().get("/open-data/", **EN)

    page = response.content.decode()
    assert response.status_code == 200
    assert f'href="{CC_BY}" rel="license"' in page
    assert "CC BY 4.0" in page and "OCOP Hub — http" in page
    assert 'href="/open-data/ocop-products.jsonl"' in page and 'href="/open-data/ocop-products.csv"' in page
    assert "http://testserver/open-data/ocop-products.csv" in page
    assert 'href="http://testserver/open-data/metadata.json"' in page
    assert report.sha256["products.jsonl"] in page and report.sha256["products.csv"] in page
    assert '<dd data-testid="rows">1</dd>' in page
    for name in FIELD_NAMES:
        assert f"<code>{name}</code>" in page
    assert "byte-order mark" in page or "BOM" in page
    assert 'data-testid="not-built"' not in page


def test_the_footer_links_to_the_open_data_page():
    assert 'href="/open-data/"' in Client().get("/").content.decode()


@pytest.mark.parametrize(
    ("url", "content_type", "filename"),
    [
        ("/open-data/ocop-products.jsonl", "application/x-ndjson; charset=utf-8", "ocop-products.jsonl"),
        ("/open-data/ocop-products.csv", "text/csv; charset=utf-8", "ocop-products.csv"),
    ],
)
def test_the_files_are_served_with_their_type_licence_and_validators(data_dir, url, content_type, filename):
    _certified()
    report = open_data_build()
    name = "products." + filename.rsplit(".", 1)[1]
    client = Client()

    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert response["Link"] == f'<{CC_BY}>; rel="license"'
    assert response["ETag"] == f'"{report.sha256[name]}"'
    assert "public" in response["Cache-Control"] and "max-age=3600" in response["Cache-Control"]
    assert response["Last-Modified"]
    assert b"".join(response.streaming_content) == (data_dir / name).read_bytes()

    again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == response["ETag"]
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"]).status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


def test_the_metadata_is_served_as_json(data_dir):
    _certified()
    open_data_build()
    response = Client().get("/open-data/metadata.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert json.loads(b"".join(response.streaming_content))["rows"] == 1
    assert response["Link"] == f'<{CC_BY}>; rel="license"'


@pytest.mark.parametrize(
    "url", ["/open-data/ocop-products.jsonl", "/open-data/ocop-products.csv", "/open-data/metadata.json"]
)
def test_a_file_not_built_yet_is_a_404_that_explains(data_dir, url):
    response = Client().get(url, **EN)
    assert response.status_code == 404
    page = response.content.decode()
    assert "has not been built yet" in page or "chưa được tạo" in page
    assert 'href="/open-data/"' in page


def test_the_files_are_only_read(data_dir):
    _certified()
    open_data_build()
    assert Client().post("/open-data/ocop-products.csv").status_code == 405
