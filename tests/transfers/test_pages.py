"""The import pages as an official uses them: upload, watch the preview, read the row errors, confirm;
and what other officials can (not) see or do with someone else's import."""

import html
import re

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied

from registry.models import Entity
from tests.transfers.helpers import (
    ENTITY_HEADERS,
    entity_row,
    province_official,
    upload,
    written,
    xlsx,
)
from transfers import services
from transfers.models import ImportJob

pytestmark = pytest.mark.django_db

CLEAN = xlsx(
    {
        "Chủ thể": [
            ENTITY_HEADERS,
            entity_row("4900123456", "Hợp tác xã Chè Mẫu Sơn"),
            entity_row("4900654321", "Hộ kinh doanh Lý Thị Mai", kind="HKD"),
        ]
    }
)
WITH_ERROR = xlsx(
    {
        "Chủ thể": [
            ENTITY_HEADERS,
            entity_row("4900123456", "Hợp tác xã Chè Mẫu Sơn"),
            entity_row("4900654321", "Hộ kinh doanh Lý Thị Mai", kind="Xưởng gia đình"),
        ]
    }
)


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def sign_in(client, user):
    client.force_login(user)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def upload_page(client, capture, content: bytes, name: str = "chu-the.xlsx"):
    with capture(execute=True):
        return client.post("/imports/", {"file": upload(content, name), "kind": ""})


def error_items(page: str) -> list[str]:
    """The row errors as the page shows them: "column …: message"."""
    items = re.findall(r'<ul class="errorlist">(.*?)</ul>', page, flags=re.S)
    return [
        html.unescape(re.sub(r"<[^>]+>", "", li)).strip()
        for ul in items
        for li in re.findall(r"<li>(.*?)</li>", ul, flags=re.S)
    ]


def test_it_previews_an_upload_and_lists_row_errors_with_the_column_letter_and_header(
    client, django_capture_on_commit_callbacks
):
    official = sign_in(client, province_official())

    response = upload_page(official, django_capture_on_commit_callbacks, WITH_ERROR)

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/imports/{job.pk}/"
    assert job.status == ImportJob.Status.PREVIEWED
    page = official.get(response["Location"]).content.decode()
    errors = error_items(page)
    assert len(errors) == 1, errors
    assert "Xưởng gia đình" in errors[0]
    column = errors[0].split(":")[0]
    assert "C" in column.split() and "Loại hình" in column, errors[0]
    assert 'data-testid="confirm"' not in page
    assert "imported whole or not at all" in page


def test_it_confirms_a_clean_file_from_its_page(client, django_capture_on_commit_callbacks):
    official = sign_in(client, province_official())
    upload_page(official, django_capture_on_commit_callbacks, CLEAN)
    job = ImportJob.objects.get()
    page = official.get(f"/imports/{job.pk}/").content.decode()
    assert 'data-testid="confirm"' in page
    assert "write 2 changes" in page
    assert not Entity.objects.filter(tax_code__in=["4900123456", "4900654321"]).exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = official.post(f"/imports/{job.pk}/confirm/")

    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.APPLIED
    assert Entity.objects.filter(tax_code__in=["4900123456", "4900654321"]).count() == 2
    assert "Applied" in official.get(f"/imports/{job.pk}/").content.decode()


def test_it_shows_no_confirm_button_when_nothing_would_change(client, django_capture_on_commit_callbacks):
    official = sign_in(client, province_official())
    upload_page(official, django_capture_on_commit_callbacks, CLEAN)
    first = ImportJob.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        official.post(f"/imports/{first.pk}/confirm/")

    response = upload_page(official, django_capture_on_commit_callbacks, CLEAN)

    page = official.get(response["Location"]).content.decode()
    assert 'data-testid="confirm"' not in page
    assert "Nothing to change" in page


def test_it_shows_a_file_refused_on_upload_on_the_form(client, django_capture_on_commit_callbacks):
    official = sign_in(client, province_official())

    response = upload_page(
        official,
        django_capture_on_commit_callbacks,
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
        "cu.xls",
    )

    assert response.status_code == 200
    assert ".xls" in html.unescape(response.content.decode())
    assert ImportJob.objects.count() == 0


def test_it_hides_an_import_from_another_official_and_refuses_their_confirm(
    client, django_capture_on_commit_callbacks
):
    owner = province_official()
    sign_in(client, owner)
    upload_page(client, django_capture_on_commit_callbacks, CLEAN)
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.PREVIEWED
    before = written()
    other_province = province_official("Cao Bằng")
    same_province = province_official()

    for intruder in (other_province, same_province):
        sign_in(client, intruder)
        assert client.get(f"/imports/{job.pk}/").status_code == 404
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(f"/imports/{job.pk}/confirm/").status_code == 404
        with pytest.raises(PermissionDenied):
            services.import_apply_confirm(actor=intruder, job=job)

    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEWED
    assert written() == before
    assert not Entity.objects.filter(tax_code="4900123456").exists()
