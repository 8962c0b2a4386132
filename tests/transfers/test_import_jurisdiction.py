"""Who may import what: officials within their jurisdiction only, checked at the preview and again
at confirmation; a refused file writes nothing."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from places.models import Commune
from registry.models import Entity, Role
from tests.factories import commune, make_entity, make_user, with_role
from tests.transfers.helpers import (
    ENTITY_HEADERS,
    LS,
    apply,
    entity_row,
    messages_by_column,
    outcomes,
    preview,
    province_official,
    rows_of,
    upload,
    written,
    xlsx,
)
from tests.transfers.test_imports import A, B, four_sheets
from transfers import services
from transfers.models import ImportJob

pytestmark = pytest.mark.django_db


def _entities_file(*rows) -> bytes:
    return xlsx({"Chủ thể": [ENTITY_HEADERS, *rows]})


def _cao_bang_commune() -> Commune:
    return Commune.objects.filter(province__name__contains="Cao Bằng").order_by("code")[0]


# --- 6. rows outside the official's province ------------------------------------------------------------


def test_it_refuses_a_file_with_a_row_outside_the_officials_province(english):
    actor = province_official()
    cao_bang = _cao_bang_commune()
    content = _entities_file(
        entity_row("4900000001", "HTX Mẫu Sơn", commune="Mẫu Sơn"),
        entity_row("0400000001", "HTX Cao Bằng", commune=cao_bang.name, province="Cao Bằng"),
    )
    before = written()

    job = preview(actor, content)

    inside, outside = rows_of(job)
    assert inside.outcome == "create"
    assert outside.outcome == "error"
    message = messages_by_column(outside)["commune"]
    assert "outside your jurisdiction" in message and cao_bang.name in message
    with pytest.raises(ValidationError, match="imported whole or not at all"):
        services.import_apply_confirm(actor=actor, job=job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEWED
    assert written() == before


def test_it_refuses_to_change_an_entity_of_another_province(english):
    actor = province_official()
    other = make_entity(commune_obj=_cao_bang_commune(), legal_name="Hợp tác xã Nguyên Bình")
    content = _entities_file(
        entity_row(other.tax_code, "Hợp tác xã Nguyên Bình (đổi tên)", commune="Mẫu Sơn")
    )

    job = preview(actor, content)

    assert outcomes(job) == ["error"]
    message = messages_by_column(rows_of(job)[0])["tax_code"]
    assert "outside your jurisdiction" in message and "Hợp tác xã Nguyên Bình" in message
    other.refresh_from_db()
    assert other.legal_name == "Hợp tác xã Nguyên Bình"


def test_it_shows_at_preview_that_an_entity_cannot_be_moved_out_of_the_province(english):
    """What the preview shows is what is written: moving an entity of Lạng Sơn to a commune of
    Cao Bằng is refused by the registry, so the preview must say so instead of offering to confirm."""
    actor = province_official()
    entity = make_entity(commune_obj=commune(LS, "Mẫu Sơn"), legal_name="Hợp tác xã Chè Mẫu Sơn")
    cao_bang = _cao_bang_commune()
    content = _entities_file(
        entity_row(entity.tax_code, entity.legal_name, commune=cao_bang.name, province="Cao Bằng", workers=10)
    )
    before = written()

    job = preview(actor, content)

    assert outcomes(job) == ["error"], [(r.outcome, r.changes) for r in rows_of(job)]
    assert "outside your jurisdiction" in messages_by_column(rows_of(job)[0])["commune"]
    with pytest.raises(ValidationError):
        services.import_apply_confirm(actor=actor, job=job)
    assert written() == before
    entity.refresh_from_db()
    assert entity.commune == commune(LS, "Mẫu Sơn")


def test_it_writes_nothing_when_a_row_no_longer_passes_at_confirmation(english):
    actor = province_official()
    job = preview(actor, four_sheets())
    assert job.error_count == 0
    # Between the preview and the confirmation, Cao Bằng registers an entity with A's tax code.
    make_entity(commune_obj=_cao_bang_commune(), tax_code=A, legal_name="Hợp tác xã Nguyên Bình")
    before = written()

    job = apply(actor, job)

    assert job.status == ImportJob.Status.FAILED
    assert "Nothing was written" in job.message
    assert written() == before
    assert not Entity.objects.filter(tax_code=B).exists()
    row = job.rows.get(kind="entities", row_no=2)
    assert row.outcome == "error" and "outside your jurisdiction" in messages_by_column(row)["tax_code"]


# --- 7. who may import at all -----------------------------------------------------------------------


def test_it_refuses_an_import_from_an_entity_member_or_anonymous_user(english, client):
    entity = make_entity(commune_obj=commune(LS, "Mẫu Sơn"))
    member = with_role(make_user(), Role.Kind.ENTITY_MEMBER, entity=entity)
    content = _entities_file(entity_row("4900000001", "HTX Một"))

    for actor in (member, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            services.import_job_create(actor=actor, upload=upload(content))
    assert ImportJob.objects.count() == 0

    response = client.get("/imports/")
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(member)
    assert client.get("/imports/").status_code == 403
    assert client.post("/imports/", {"file": upload(content)}).status_code == 403
    assert ImportJob.objects.count() == 0
