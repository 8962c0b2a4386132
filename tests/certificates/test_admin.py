import pytest
from django.test import Client

from audit.models import AuditEvent
from certificates.models import NumberPattern
from tests.certificates.factories import make_certificate
from tests.factories import make_user, province

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client():
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(make_user(is_staff=True, is_superuser=True))
    return client


def test_certificates_are_shown_read_only_with_their_events(admin_client):
    certificate = make_certificate()
    assert certificate.number in admin_client.get("/admin/certificates/certificate/").content.decode()
    page = admin_client.get(f"/admin/certificates/certificate/{certificate.pk}/change/").content.decode()
    assert "Issued" in page
    assert 'name="_save"' not in page
    assert admin_client.get("/admin/certificates/certificate/add/").status_code == 403


def test_a_province_sets_its_number_pattern_and_the_change_is_audited(admin_client):
    lao_cai = province("Lào Cai")
    response = admin_client.post(
        "/admin/certificates/numberpattern/add/", {"province": lao_cai.code, "pattern": "{seq:03d}/{nam}"}
    )
    assert response.status_code == 200
    assert "is not valid" in response.content.decode()
    assert not NumberPattern.objects.exists()
    response = admin_client.post(
        "/admin/certificates/numberpattern/add/",
        {"province": lao_cai.code, "pattern": "{seq:03d}/GCN-OCOP/{year}"},
    )
    assert response.status_code == 302
    pattern = NumberPattern.objects.get(province=lao_cai)
    assert AuditEvent.objects.filter(action="numberpattern.admin_save", object_id=str(pattern.pk)).exists()
    assert "001/GCN-OCOP/2026" in admin_client.get("/admin/certificates/numberpattern/").content.decode()
