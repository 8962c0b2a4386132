"""The public verification page (no login) and the PDF download."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from certificates.models import Certificate
from certificates.services_lifecycle import certificate_revoke, certificates_lapse
from registry.models import Product, Role
from tests.certificates.factories import import_past, issue, make_certificate, make_dossier
from tests.factories import make_entity, make_product, make_user, with_role

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _page(code: str, **headers):
    response = Client().get(f"/verify/{code}", **headers)
    return response, response.content.decode()


def test_anyone_sees_a_valid_certificate_without_logging_in():
    entity = make_entity(legal_name="HTX Chè Suối Giàng", address="Thôn Pang Cáng")
    certificate = make_certificate(product=make_product(entity=entity, name="Trà Shan Tuyết"), stars=4)
    response, page = _page(certificate.verification_code, **EN)
    assert response.status_code == 200
    assert 'data-state="valid"' in page
    assert "This is a genuine OCOP certificate, valid until 01/07/2029." in page
    for expected in [
        "Trà Shan Tuyết",
        "HTX Chè Suối Giàng",
        "Thôn Pang Cáng",
        certificate.number,
        "★★★★",
        "4 stars",
    ]:
        assert expected in page
    assert "Download the certificate (PDF)" not in page


def test_it_is_in_vietnamese_by_default():
    certificate = make_certificate()
    response, page = _page(certificate.verification_code)
    assert response.status_code == 200
    assert '<html lang="vi">' in page
    assert "Đăng nhập" in page  # the site's own Vietnamese, around the certificate's facts
    assert certificate.product.name_vi in page


def test_a_lower_case_code_finds_the_certificate():
    certificate = make_certificate()
    response, _page_text = _page(certificate.verification_code.lower())
    assert response.status_code == 200


def test_it_warns_when_the_certificate_expires_within_180_days():
    valid_until = timezone.localdate() + timedelta(days=30)
    certificate = import_past(valid_until=valid_until)
    _response, page = _page(certificate.verification_code, **EN)
    assert 'data-state="expiring"' in page
    assert "it expires in 30 days" in page


@pytest.mark.parametrize("lapsed", [False, True], ids=["job-not-run-yet", "lapsed"])
def test_an_expired_certificate_says_so(lapsed):
    certificate = import_past(valid_until=timezone.localdate() - timedelta(days=1))
    if lapsed:
        certificates_lapse(today=timezone.localdate())
    _response, page = _page(certificate.verification_code, **EN)
    assert 'data-state="expired"' in page
    assert "has expired" in page


def test_a_revoked_certificate_shows_its_ground():
    certificate = make_certificate()
    certificate_revoke(
        actor=None,
        certificate=certificate,
        ground=Certificate.RevocationGround.MARK_MISUSE,
        reason="Biên bản kiểm tra",
        decided_on=date(2026, 9, 15),
    )
    _response, page = _page(certificate.verification_code, **EN)
    assert 'data-state="revoked"' in page
    assert "This certificate was revoked on 15/09/2026" in page
    assert "d) misuse of the OCOP mark" in page
    assert "Biên bản kiểm tra" not in page  # the inspection record is for officials, not the public


def test_a_replaced_certificate_points_to_the_current_one_and_the_history_shows_both():
    first = make_certificate(stars=3)
    second = issue(make_dossier(product=first.product, stars=4), decision_date=date(2026, 8, 1))
    _response, page = _page(first.verification_code, **EN)
    assert 'data-state="superseded"' in page
    assert f'href="/verify/{second.verification_code}">{second.number}</a>' in page
    history = page.split('data-testid="star-history"')[1]
    assert history.index("01/07/2026") < history.index("01/08/2026")
    assert "Issued · 3★" in history and "Upgraded · 4★" in history


@pytest.mark.parametrize(
    "code", ["ABCDEFGH23", "abc", "ABCDEFGHIJK", "ABCD-12345", "ABCDEFGH10", "%3Cscript%3E"]
)
def test_an_unknown_or_malformed_code_may_be_a_fake(code):
    make_certificate()
    response, page = _page(code, **EN)
    assert response.status_code == 404
    assert "is not a known OCOP certificate" in page
    assert "may be a fake" in page
    assert "<script>" not in page


def test_the_unknown_code_page_is_in_vietnamese_by_default():
    response, page = _page("ABCDEFGH23")
    assert response.status_code == 404
    assert '<html lang="vi">' in page
    assert "ABCDEFGH23" in page


class TestPdf:
    def test_an_official_downloads_the_pdf(self):
        certificate = make_certificate()
        client = Client()
        client.force_login(with_role(make_user(), Role.Kind.PROVINCE, province=certificate.product.province))
        response = client.get(f"/certificates/{certificate.pk}/pdf")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        expected = "GCN-OCOP-" + certificate.number.replace("/", "-") + ".pdf"
        assert response["Content-Disposition"] == f'attachment; filename="{expected}"'
        assert response.content.startswith(b"%PDF-")

    def test_it_needs_a_login(self):
        certificate = make_certificate()
        response = Client().get(f"/certificates/{certificate.pk}/pdf")
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    def test_a_user_who_may_not_see_the_product_gets_404(self):
        certificate = make_certificate()
        certificate_revoke(
            actor=None,
            certificate=certificate,
            ground=Certificate.RevocationGround.STOPPED,
            reason="Ngừng sản xuất",
            decided_on=date(2026, 9, 1),
        )
        assert Product.objects.get(pk=certificate.product_id).status == Product.Status.REVOKED
        client = Client()
        client.force_login(with_role(make_user(), Role.Kind.ENTITY_MEMBER, entity=make_entity()))
        assert client.get(f"/certificates/{certificate.pk}/pdf").status_code == 404
        assert client.get("/certificates/999999/pdf").status_code == 404
