import pytest
from django.test import Client
from django.utils import timezone

from certificates.models import Certificate
from evaluation.services_council import round_close, round_scoring_start
from evaluation.services_dossiers import dossier_create
from registry.models import Product, Role
from tests.evaluation.factories import assign, council, lao_cai, open_round, passed_dossier, score_all
from tests.factories import commune, make_entity, make_product, make_user, with_role

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def closed_round():
    evaluation_round = open_round(lao_cai())
    product = make_product(
        entity=make_entity(commune_obj=commune("Lào Cai")), name="Chè Shan Tuyết", category="QD26-11"
    )
    dossier = passed_dossier(dossier_create(actor=None, evaluation_round=evaluation_round, product=product))
    members = council(evaluation_round, n=3)
    assign(dossier, members)
    round_scoring_start(actor=None, evaluation_round=evaluation_round)
    for member in members:
        score_all(
            dossier, member, points_for=lambda c: c.max_points - 1 if c.max_points > 2 else c.max_points
        )
    round_close(actor=None, evaluation_round=evaluation_round)
    return evaluation_round, dossier, product


def test_an_official_issues_the_rounds_certificates_and_anyone_can_verify_them(closed_round):
    evaluation_round, dossier, product = closed_round
    official = with_role(make_user(), Role.Kind.PROVINCE, province=lao_cai())
    client = Client()
    client.force_login(official)
    page = client.get(f"/rounds/{evaluation_round.pk}/certificates/").content.decode()
    assert "Chè Shan Tuyết" in page
    today = timezone.localdate().isoformat()
    response = client.post(
        f"/rounds/{evaluation_round.pk}/certificates/",
        {"dossier": [dossier.pk], "decision_no": "123/QĐ-UBND", "decision_date": today},
        follow=True,
    )
    page = response.content.decode()
    assert "Đã cấp 1 giấy chứng nhận." in page or "1 certificate was issued." in page
    certificate = Certificate.objects.get(dossier=dossier)
    product.refresh_from_db()
    assert product.status == Product.Status.CERTIFIED
    pdf = client.get(f"/certificates/{certificate.pk}/pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    verify = (
        Client().get(f"/verify/{certificate.verification_code}", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
    assert certificate.number in verify and "Valid certificate" in verify


def test_an_official_of_another_province_cannot_issue(closed_round):
    evaluation_round, dossier, _product = closed_round
    outsider = with_role(make_user(), Role.Kind.PROVINCE, province=commune("Lạng Sơn").province)
    client = Client()
    client.force_login(outsider)
    response = client.post(
        f"/rounds/{evaluation_round.pk}/certificates/",
        {"dossier": [dossier.pk], "decision_no": "1", "decision_date": "2026-11-01"},
    )
    assert response.status_code == 404
    assert not Certificate.objects.filter(dossier=dossier).exists()


def test_a_bad_decision_date_issues_nothing(closed_round):
    evaluation_round, dossier, _product = closed_round
    official = with_role(make_user(), Role.Kind.PROVINCE, province=lao_cai())
    client = Client()
    client.force_login(official)
    response = client.post(
        f"/rounds/{evaluation_round.pk}/certificates/",
        {"dossier": [dossier.pk], "decision_no": "1", "decision_date": "2099-01-01"},
        follow=True,
    )
    page = response.content.decode()
    assert "future" in page or "tương lai" in page, page[page.find("<main") : page.find("<main") + 1500]
    assert not Certificate.objects.filter(dossier=dossier).exists()


def test_a_central_result_below_five_stars_is_certified_by_the_province(closed_round):
    """Art. 7.4.g: the Ministry's council scores a forwarded product under 90; the province chair
    recognises it at 3★/4★ on the central result, under the province's numbering."""
    from certificates.services import certificate_issue

    _province_round, _dossier, product = closed_round
    central = open_round(None, level_code="central", name="Đợt trung ương")
    dossier = passed_dossier(
        dossier_create(
            actor=None,
            evaluation_round=central,
            product=make_product(entity=product.entity, name="Hồng trà Shan Tuyết", category="QD26-11"),
        )
    )
    members = council(central, n=1)
    assign(dossier, members)
    round_scoring_start(actor=None, evaluation_round=central)
    score_all(
        dossier, members[0], points_for=lambda c: c.max_points - 1 if c.max_points > 2 else c.max_points
    )
    round_close(actor=None, evaluation_round=central)
    lao_cai_official = with_role(make_user(), Role.Kind.PROVINCE, province=lao_cai())
    other_official = with_role(make_user(), Role.Kind.PROVINCE, province=commune("Lạng Sơn").province)
    today = timezone.localdate()
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        certificate_issue(actor=other_official, dossier=dossier, decision_no="9/QĐ", decision_date=today)
    certificate = certificate_issue(
        actor=lao_cai_official, dossier=dossier, decision_no="9/QĐ", decision_date=today
    )
    assert certificate.stars in (3, 4)
    assert (
        certificate.number.endswith("GCN-OCOP-15") and certificate.issuer_vi == "Ủy ban nhân dân tỉnh Lào Cai"
    )


def test_an_official_revokes_a_certificate_with_a_ground_and_the_public_sees_it(closed_round):
    from certificates.services import certificate_issue

    _round, dossier, product = closed_round
    certificate = certificate_issue(
        actor=None, dossier=dossier, decision_no="1/QĐ", decision_date=timezone.localdate()
    )
    member = with_role(make_user(), Role.Kind.ENTITY_MEMBER, entity=product.entity)
    client = Client()
    client.force_login(member)
    client.post(
        f"/certificates/{certificate.pk}/revoke/",
        {"ground": "dd", "reason": "Ngừng sản xuất", "decided_on": timezone.localdate().isoformat()},
    )
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.VALID  # an entity member cannot revoke
    official = with_role(make_user(), Role.Kind.PROVINCE, province=lao_cai())
    client.force_login(official)
    response = client.post(
        f"/certificates/{certificate.pk}/revoke/",
        {"ground": "dd", "reason": "Chủ thể ngừng sản xuất", "decided_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    certificate.refresh_from_db()
    product.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED and product.status == Product.Status.REVOKED
    page = (
        Client().get(f"/verify/{certificate.verification_code}", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
    assert "revoked" in page.lower() or "thu hồi" in page
