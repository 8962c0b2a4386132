import csv
import io
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from audit.models import AuditEvent
from labels import render, tasks
from labels.models import LabelJob, LabelTemplate
from labels.services import label_job_create, template_problems, templates_load
from registry.models import Role
from tests.factories import commune, make_entity, make_product, make_user, with_role
from tests.labels.conftest import BASE, GTIN, client_for
from traceability import digital_link, resolver, services
from traceability.models import Lot, Serial

pytestmark = pytest.mark.django_db


def _serials(serial_range) -> list[str]:
    return list(Serial.objects.filter(range=serial_range).order_by("pk").values_list("value", flat=True))


def _uri(serial: str) -> str:
    return digital_link.build(gtin=GTIN, lot="L-2026/01", serial=serial, base=BASE)


def _post(client, product, **data):
    return client.post(f"/products/{product.pk}/labels/", data, follow=True)


def _form(serial_range, template_code="a4-40x30", output_format="pdf", **extra):
    data = {
        "serial_range": serial_range.pk,
        "template": LabelTemplate.objects.get(code=template_code).pk,
        "output_format": output_format,
    }
    data.update(extra)
    return data


def _download(client, job) -> bytes:
    response = client.get(f"/products/{job.product_id}/labels/{job.pk}/download/")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def _pages_png(pdf: bytes, tmp_path: Path, dpi: int = 300) -> list[Image.Image]:
    source = tmp_path / "labels.pdf"
    source.write_bytes(pdf)
    _poppler("pdftoppm", "-r", str(dpi), "-png", str(source), str(tmp_path / "page"))
    return [Image.open(path) for path in sorted(tmp_path.glob("page-*.png"))]


def _poppler(tool: str, *args: str) -> str:
    """A poppler tool (pdftoppm, pdftotext) on a file the test wrote; its standard output."""
    done = subprocess.run([f"/usr/bin/{tool}", *args], check=True, capture_output=True, text=True)  # noqa: S603
    return done.stdout


def _decoded(image: Image.Image) -> list[str]:
    return [
        code.text for code in zxingcpp.read_barcodes(image) if code.format == zxingcpp.BarcodeFormat.QRCode
    ]


def test_it_prints_a_pdf_sheet_whose_codes_decode_to_each_serials_digital_link(
    member, product, serial_range, tmp_path
):
    response = _post(member, product, **_form(serial_range, lot=serial_range.lot.pk))
    job = LabelJob.objects.get()
    page = response.content.decode()
    assert "The labels are ready to download." in page
    assert "version 4, error correction M" in page
    assert job.pages == 2  # 40 labels, 4 columns × 8 rows a sheet
    pdf = _download(member, job)
    assert pdf.startswith(b"%PDF")
    images = _pages_png(pdf, tmp_path)
    assert len(images) == 2
    serials = _serials(serial_range)
    first_page = _decoded(images[0])
    assert sorted(first_page) == sorted(render.qr_text(_uri(s)) for s in serials[:32])
    assert sorted(_decoded(images[1])) == sorted(render.qr_text(_uri(s)) for s in serials[32:])
    for text in first_page:
        link = digital_link.parse(text)
        assert link.gtin == "0" + GTIN and link.lot == "L-2026/01" and link.serial in serials


def test_the_text_of_the_labels_is_printed_in_vietnamese_with_the_serial_under_each_code(
    member, product, serial_range, tmp_path
):
    _post(member, product, **_form(serial_range))
    source = tmp_path / "labels.pdf"
    source.write_bytes(_download(member, LabelJob.objects.get()))
    text = _poppler("pdftotext", "-layout", str(source), "-")
    assert "Chè Shan" in text
    assert "Lô:" in text and "L-2026/01" in text and "HSD:" in text and "01/03/2027" in text
    for serial in _serials(serial_range):
        assert serial in text


def test_the_uppercase_host_the_qr_carries_still_resolves_to_the_scan_page(serial_range):
    serial = _serials(serial_range)[0]
    text = render.qr_text(_uri(serial))
    assert text.startswith("HTTPS://OCOP.EXAMPLE.VN/01/08930000000019/10/L-2026%2F01/21/")
    assert render.encode(text).mode == "alphanumeric"
    assert digital_link.parse(text).path() == digital_link.parse(_uri(serial)).path()
    answer = resolver.resolve(
        method="GET", path=text.split("OCOP.EXAMPLE.VN", 1)[1], query="", accept="", accept_language=""
    )
    assert answer.status == 307
    location = dict(answer.headers)["Location"]
    assert location.endswith(f"/scan/01/08930000000019/10/L-2026%2F01/21/{serial}")


def test_a_zip_of_png_holds_one_decodable_image_per_serial(member, product, serial_range):
    _post(member, product, **_form(serial_range, output_format="zip_png", first="3", count="5"))
    archive = zipfile.ZipFile(io.BytesIO(_download(member, LabelJob.objects.get())))
    serials = _serials(serial_range)[2:7]
    assert sorted(archive.namelist()) == sorted(f"{s}.png" for s in serials)
    for serial in serials:
        image = Image.open(io.BytesIO(archive.read(f"{serial}.png")))
        assert image.info["dpi"][0] == pytest.approx(300, abs=0.01)
        assert _decoded(image) == [render.qr_text(_uri(serial))]


def test_a_zip_of_svg_holds_one_image_per_serial_sized_in_millimetres(member, product, serial_range):
    _post(member, product, **_form(serial_range, output_format="zip_svg", count="3"))
    archive = zipfile.ZipFile(io.BytesIO(_download(member, LabelJob.objects.get())))
    serials = _serials(serial_range)[:3]
    assert sorted(archive.namelist()) == sorted(f"{s}.svg" for s in serials)
    svg = archive.read(f"{serials[0]}.svg").decode()
    assert re.search(r'width="[0-9.]+mm"', svg)


def test_the_csv_lists_codes_for_the_printers_software(member, product, serial_range):
    _post(member, product, **_form(serial_range, output_format="csv", first="11", count="10"))
    body = _download(member, LabelJob.objects.get())
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == ["serial", "uri", "qr_text", "short_code", "lot", "expiry"]
    serials = _serials(serial_range)[10:20]
    assert rows[1:] == [[s, _uri(s), render.qr_text(_uri(s)), s, "L-2026/01", "01/03/2027"] for s in serials]


def test_a_roll_prints_one_label_a_page_of_the_labels_size(member, product, serial_range):
    _post(member, product, **_form(serial_range, template_code="roll-50x30", count="7"))
    job = LabelJob.objects.get()
    pdf = _download(member, job)
    boxes = re.findall(rb"/MediaBox \[\s*0 0 ([0-9.]+) ([0-9.]+)\s*\]", pdf)
    assert len(boxes) == 7 == job.pages
    width, height = (float(v) for v in boxes[0])
    assert (round(width / 72 * 25.4, 1), round(height / 72 * 25.4, 1)) == (50.0, 30.0)


def test_a_product_without_gtin_gets_platform_identifiers(member, product, tmp_path):
    lot = services.lot_create(actor=None, product=product, code="NOGTIN1")
    serial_range = services.serials_issue(actor=None, product=product, lot=lot, count=3)
    _post(member, product, **_form(serial_range, template_code="a4-30x20-qr"))
    images = _pages_png(_download(member, LabelJob.objects.get()), tmp_path)
    expected = {f"HTTPS://OCOP.EXAMPLE.VN/p/{product.pk}/10/NOGTIN1/21/{s}" for s in _serials(serial_range)}
    assert set(_decoded(images[0])) == expected


def test_a_big_job_runs_in_the_background_with_a_progress_bar(
    settings, member, member_user, product, serial_range, django_capture_on_commit_callbacks
):
    settings.OCOP_LABELS_SYNC_LIMIT = 10
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = _post(member, product, **_form(serial_range))
    job = LabelJob.objects.get()
    assert len(callbacks) == 1
    page = response.content.decode()
    assert "The labels are being made in the background" in page
    assert '<meta http-equiv="refresh"' in page and "<progress" in page and "0% (0 / 40)" in page
    assert "Download" not in page

    assert tasks.label_job_render.call(job.pk) == "done"
    page = member.get(f"/products/{product.pk}/labels/{job.pk}/").content.decode()
    assert "<progress" not in page and '<meta http-equiv="refresh"' not in page
    assert f"/products/{product.pk}/labels/{job.pk}/download/" in page
    assert _download(member, job).startswith(b"%PDF")


def test_a_big_job_is_made_by_the_database_worker_make_run_starts(
    settings, member, product, serial_range, django_capture_on_commit_callbacks, monkeypatch
):
    """The real path: the page enqueues the task in the database (django-tasks-db), and the worker
    `make run` starts (`manage.py db_worker`) picks it up and makes the labels."""
    from django.core.management import call_command

    settings.OCOP_LABELS_SYNC_LIMIT = 10
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        _post(member, product, **_form(serial_range, count="25"))
    job = LabelJob.objects.get()
    assert job.status == LabelJob.Status.QUEUED
    # The worker closes connections it thinks stale between tasks; inside this test's transaction
    # that would be the test's own connection (PostgreSQL then refuses every later query).
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*", verbosity=0)
    job.refresh_from_db()
    assert job.status == LabelJob.Status.DONE and job.progress_done == 25
    assert _download(member, job).startswith(b"%PDF")


def test_the_workers_of_a_big_job_keep_the_labels_in_order(tmp_path):
    # More labels than one chunk, on two processes: the same path a 100,000-label job takes.
    labels = [(f"S{n:04d}", f"{BASE}/01/0{GTIN}/21/S{n:04d}", f"S{n:04d}") for n in range(45)]
    sheet = LabelTemplate.objects.get(code="a4-30x20-qr").sheet()
    render.fonts_register(*_fonts())
    result = render.output_write(
        str(tmp_path / "out.pdf"),
        output_format="pdf",
        sheet=sheet,
        face=render.Face(show_name=False, show_stars=False, show_lot=False, show_expiry=False),
        labels=labels,
        workers=2,
        chunk=10,
    )
    assert (result.labels, result.pages, result.version) == (45, 1, 3)
    text = _poppler("pdftotext", "-raw", str(tmp_path / "out.pdf"), "-").split()
    assert text == [code for code, _uri, _c in labels]
    images = _pages_png((tmp_path / "out.pdf").read_bytes(), tmp_path)
    assert sorted(_decoded(images[0])) == sorted(render.qr_text(uri) for _s, uri, _c in labels)


def _fonts():
    from django.conf import settings

    return str(settings.OCOP_FONT_REGULAR), str(settings.OCOP_FONT_BOLD)


def test_the_star_badge_is_printed_only_for_a_certified_star(tmp_path):
    sheet = LabelTemplate.objects.get(code="a4-40x30").sheet()
    render.fonts_register(*_fonts())
    labels = [("A1", f"{BASE}/01/0{GTIN}/21/A1", "A1")]
    texts = []
    for stars in (4, 0):
        path = tmp_path / f"{stars}.pdf"
        render.output_write(
            str(path), output_format="pdf", sheet=sheet, face=render.Face(stars=stars), labels=labels
        )
        texts.append(_poppler("pdftotext", str(path), "-"))
    assert "OCOP" in texts[0] and "OCOP" not in texts[1]


# --- who may print -------------------------------------------------------------------------------------


def test_another_entitys_member_finds_nothing(settings, member, product, serial_range):
    _post(member, product, **_form(serial_range, count="2"))
    job = LabelJob.objects.get()
    other = make_product(entity=make_entity(commune_obj=commune("Lạng Sơn")))
    stranger = client_for(settings, with_role(make_user(), Role.Kind.ENTITY_MEMBER, entity=other.entity))
    for url in (
        f"/products/{product.pk}/labels/",
        f"/products/{product.pk}/labels/{job.pk}/",
        f"/products/{product.pk}/labels/{job.pk}/download/",
    ):
        assert stranger.get(url).status_code == 404
    assert stranger.post(f"/products/{product.pk}/labels/", _form(serial_range)).status_code == 404
    # Their own product's page does not reach this job either.
    assert stranger.get(f"/products/{other.pk}/labels/{job.pk}/").status_code == 404
    assert LabelJob.objects.count() == 1


def test_an_anonymous_visitor_is_sent_to_log_in(settings, product, serial_range):
    response = client_for(settings).get(f"/products/{product.pk}/labels/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- bad input: a clear message, nothing created --------------------------------------------------------


def _refused(client, product, data, message):
    response = _post(client, product, **data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert LabelJob.objects.count() == 0


def test_it_refuses_a_range_of_another_lot(member, product, packaging, serial_range):
    other_lot = services.lot_create(actor=None, product=product, packaging=packaging, code="L-OTHER")
    _refused(
        member,
        product,
        _form(serial_range, lot=other_lot.pk),
        "This serial range was issued for another lot: choose a range of lot L-OTHER.",
    )


def test_it_refuses_a_range_of_another_product(member, product, serial_range):
    other = make_product(entity=product.entity)
    other_range = services.serials_issue(actor=None, product=other, count=2)
    _refused(
        member,
        product,
        _form(serial_range) | {"serial_range": other_range.pk},
        "Choose a serial range of this product.",
    )


def test_it_refuses_more_labels_than_the_range_holds(member, product, serial_range):
    _refused(
        member,
        product,
        _form(serial_range, first="30", count="20"),
        "The range holds 40 serials: from serial 30 you can print at most 11 labels.",
    )


def test_it_refuses_a_start_outside_the_range(member, product, serial_range):
    _refused(
        member, product, _form(serial_range, first="41"), "The range holds serials 1 to 40: start within it."
    )
    _refused(
        member, product, _form(serial_range, first="0"), "The range holds serials 1 to 40: start within it."
    )


def test_it_refuses_zero_labels(member, product, serial_range):
    _refused(member, product, _form(serial_range, count="0"), "Print at least one label.")


def test_it_refuses_more_labels_than_a_job_may_print(settings, member, product, serial_range):
    settings.OCOP_LABELS_MAX_PER_JOB = 25
    _refused(member, product, _form(serial_range), "Print at most 25 labels in one job.")


def test_it_refuses_an_unknown_or_withdrawn_template(member, product, serial_range):
    _refused(
        member,
        product,
        _form(serial_range) | {"template": "999999"},
        "Choose one of the label templates offered.",
    )
    LabelTemplate.objects.filter(code="a4-40x30").update(active=False)
    _refused(member, product, _form(serial_range), "Choose one of the label templates offered.")


def test_it_refuses_a_format_not_offered(member, product, serial_range):
    _refused(
        member,
        product,
        _form(serial_range, output_format="docx"),
        "Choose a format offered: PDF, ZIP of SVG or PNG images, or CSV.",
    )


def test_it_refuses_labels_for_a_recalled_lot(member, product, serial_range):
    Lot.objects.filter(pk=serial_range.lot_id).update(status=Lot.Status.RECALLED, recall_reason="x")
    _refused(member, product, _form(serial_range), "This lot is recalled: its labels must not be printed.")


def test_it_refuses_a_template_too_small_for_the_codes(member, product, serial_range):
    LabelTemplate.objects.create(
        code="tiny",
        name_vi="Tí hon",
        name_en="Tiny",
        layout="sheet",
        label_width_mm=12,
        label_height_mm=12,
        padding_mm=1,
        show_name=False,
        show_stars=False,
        show_lot=False,
        show_expiry=False,
    )
    _refused(
        member,
        product,
        _form(serial_range, template_code="tiny"),
        "This template is too small for these codes (QR version 4): a module would be under 0.25 mm.",
    )


def test_the_service_refuses_another_entitys_member(product, serial_range):
    from django.core.exceptions import PermissionDenied

    stranger = with_role(make_user(), Role.Kind.ENTITY_MEMBER, entity=make_entity())
    template = LabelTemplate.objects.get(code="a4-40x30")
    with pytest.raises(PermissionDenied):
        label_job_create(
            actor=stranger, product=product, template=template, serial_range=serial_range, output_format="pdf"
        )
    assert LabelJob.objects.count() == 0


# --- templates as data ------------------------------------------------------------------------------------


def _template(**values) -> LabelTemplate:
    base = {
        "code": "t",
        "name_vi": "t",
        "name_en": "t",
        "layout": "sheet",
        "label_width_mm": 40,
        "label_height_mm": 30,
        "margin_left_mm": 5,
        "margin_top_mm": 5,
    }
    return LabelTemplate(**(base | values))


@pytest.mark.usefixtures("english")
def test_a_template_that_cannot_print_says_why():
    assert template_problems(_template()) == []
    assert template_problems(_template(label_width_mm=220)) == [
        "Not even one label fits on an A4 sheet with these margins: make them smaller."
    ]
    assert "Margins, gaps and padding cannot be negative." in template_problems(_template(margin_left_mm=-1))
    assert template_problems(_template(label_width_mm=25, label_height_mm=25)) == [
        "There is no room beside the QR code for the texts: make the label wider, or print only the QR "
        "code and its short code."
    ]
    assert template_problems(_template(layout="roll", label_width_mm=250)) == [
        "A roll label cannot be bigger than an A4 page (210 × 297 mm)."
    ]
    assert "A label must be at least 10 mm wide" in template_problems(_template(label_height_mm=5))[0]


def test_loading_the_built_in_templates_again_restores_them_and_adds_nothing():
    LabelTemplate.objects.filter(code="a4-40x30").update(label_width_mm=99)
    assert templates_load() == 3
    assert LabelTemplate.objects.count() == 3
    assert LabelTemplate.objects.get(code="a4-40x30").label_width_mm == 40


def test_every_built_in_template_prints(tmp_path):
    for template in LabelTemplate.objects.all():
        assert template_problems(template) == []


# --- pages ------------------------------------------------------------------------------------------------


def test_the_pages_speak_vietnamese_by_default(settings, member_user, product, serial_range):
    client = client_for(settings, member_user, language="vi")
    page = client.get(f"/products/{product.pk}/labels/").content.decode()
    assert "Tem 40×30 mm, giấy A4 (4 cột × 8 hàng)" in page
    assert "Cuộn tem 50×30 mm (máy in nhiệt)" in page
    english = client_for(settings, member_user).get(f"/products/{product.pk}/labels/").content.decode()
    assert "40×30 mm labels on A4 (4 columns × 8 rows)" in english


def test_the_traceability_page_links_each_lot_to_its_labels(member, product, lot, serial_range):
    page = member.get(f"/products/{product.pk}/trace/").content.decode()
    assert f'href="/products/{product.pk}/labels/?lot={lot.pk}"' in page
    form_page = member.get(f"/products/{product.pk}/labels/?lot={lot.pk}").content.decode()
    assert f'<option value="{lot.pk}" selected>' in form_page


def test_a_product_without_serials_is_told_to_issue_them_first(member, product):
    page = member.get(f"/products/{product.pk}/labels/").content.decode()
    assert "No serials issued yet: issue a range of serials on the traceability page first." in page


def test_the_serials_put_on_labels_are_marked_printed_and_the_rest_stay_issued(member, product, serial_range):
    from traceability.models import Serial

    ordered = list(Serial.objects.filter(range=serial_range).order_by("pk"))
    Serial.objects.filter(pk=ordered[12].pk).update(status=Serial.Status.VOIDED)
    _post(member, product, **_form(serial_range, output_format="csv", first=11, count=5))
    status = dict(Serial.objects.filter(range=serial_range).values_list("value", "status"))
    assert [status[s.value] for s in ordered[9:16]] == [
        Serial.Status.ISSUED,  # 10th: before the job's first
        Serial.Status.PRINTED,
        Serial.Status.PRINTED,
        Serial.Status.VOIDED,  # a voided serial stays voided
        Serial.Status.PRINTED,
        Serial.Status.PRINTED,
        Serial.Status.ISSUED,  # 16th: after the last
    ]
    assert AuditEvent.objects.filter(action="serials.printed").count() == 1
