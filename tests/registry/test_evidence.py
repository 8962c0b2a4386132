import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from registry.models import Evidence, Recognition, Role
from registry.services_evidence import evidence_upload, recognition_create
from tests.factories import image_upload, make_entity, make_product, make_user, with_role

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _pdf(name="ket-qua-kiem-nghiem.pdf", data=PDF):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def test_it_stores_a_test_report_once_and_links_it_to_a_recognition():
    entity = make_entity()
    report = evidence_upload(
        actor=None,
        entity=entity,
        upload=_pdf(),
        kind="test_report",
        title="Phiếu kết quả thử nghiệm chè",
        issuer="Quatest 1",
        number="KQ-123",
    )
    assert report.content_type == "application/pdf" and report.size_bytes == len(PDF)
    recognition = recognition_create(
        actor=None,
        entity=entity,
        kind="vietgap",
        number="VG-01",
        product=make_product(entity=entity),
        evidence=[report],
    )
    assert list(recognition.evidence.all()) == [report]


def test_it_refuses_the_same_document_twice_and_names_the_first():
    entity = make_entity()
    evidence_upload(actor=None, entity=entity, upload=_pdf(), kind="test_report", title="Kết quả 2026")
    with pytest.raises(ValidationError) as exc:
        evidence_upload(
            actor=None, entity=entity, upload=_pdf("copy.pdf"), kind="test_report", title="Bản sao"
        )
    assert "Kết quả 2026" in " ".join(exc.value.messages)
    assert Evidence.objects.filter(entity=entity).count() == 1


@pytest.mark.parametrize("data", [b"MZ\x90\x00 an exe renamed to pdf", b"%PDF-1.4 truncated without an end"])
def test_it_checks_the_content_not_the_file_name(data):
    entity = make_entity()
    with pytest.raises(ValidationError):
        evidence_upload(actor=None, entity=entity, upload=_pdf(data=data), kind="other", title="Giả")
    assert not Evidence.objects.filter(entity=entity).exists()


def test_it_accepts_a_photo_as_evidence():
    doc = evidence_upload(
        actor=None,
        entity=make_entity(),
        upload=image_upload("vuon.jpg", fmt="JPEG"),
        kind="photo",
        title="Vườn chè",
    )
    assert doc.content_type == "image/jpeg"


def test_it_refuses_a_document_over_the_limit(settings):
    settings.OCOP_EVIDENCE_MAX_BYTES = 100
    entity = make_entity()
    with pytest.raises(ValidationError) as exc:
        evidence_upload(
            actor=None, entity=entity, upload=_pdf(data=PDF + b" " * 200), kind="other", title="To"
        )
    assert "limit" in " ".join(exc.value.messages)


def test_it_refuses_validity_that_ends_before_it_starts():
    with pytest.raises(ValidationError):
        recognition_create(
            actor=None,
            entity=make_entity(),
            kind="haccp",
            valid_from=dt.date(2026, 5, 1),
            valid_to=dt.date(2025, 5, 1),
        )


def test_a_recognition_cannot_use_another_entitys_evidence_or_product():
    entity, other = make_entity(), make_entity()
    foreign = evidence_upload(actor=None, entity=other, upload=_pdf(), kind="other", title="Của người khác")
    with pytest.raises(ValidationError):
        recognition_create(actor=None, entity=entity, kind="organic", evidence=[foreign])
    with pytest.raises(ValidationError):
        recognition_create(actor=None, entity=entity, kind="organic", product=make_product(entity=other))
    assert not Recognition.objects.filter(entity=entity).exists()


def test_a_member_cannot_upload_to_another_entitys_library():
    member = with_role(make_user(), Role.Kind.ENTITY_MEMBER, entity=make_entity())
    with pytest.raises(PermissionDenied):
        evidence_upload(actor=member, entity=make_entity(), upload=_pdf(), kind="other", title="X")


def test_evidence_files_are_served_only_to_those_who_manage_the_entity(client):
    from tests.factories import commune

    entity = make_entity(commune_obj=commune("Lào Cai"))
    doc = evidence_upload(actor=None, entity=entity, upload=_pdf(), kind="test_report", title="Kết quả")
    member = with_role(make_user(), Role.Kind.ENTITY_MEMBER, entity=entity)
    stranger = with_role(make_user(), Role.Kind.ENTITY_MEMBER, entity=make_entity())
    client.force_login(stranger)
    assert client.get(f"/evidence/{doc.pk}/file/").status_code == 404
    assert client.get(f"/media/{doc.file.name}").status_code == 404
    client.force_login(member)
    response = client.get(f"/evidence/{doc.pk}/file/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
