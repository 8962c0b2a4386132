from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from audit.models import AuditEvent
from audit.selectors import events_for
from certificates.models import Certificate, CertificateEvent, NumberCounter, NumberPattern
from certificates.services import CODE_ALPHABET, certificate_issue, months_after
from certificates.services_import import certificate_import
from certificates.services_lifecycle import certificate_revoke
from evaluation.models import Dossier, EvaluationRound
from registry.models import Product, Role
from tests.certificates.factories import (
    DECISION_DATE,
    import_past,
    issue,
    make_certificate,
    make_dossier,
    release_26,
)
from tests.factories import commune, make_entity, make_product, make_user, with_role

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _messages(exc) -> str:
    return " ".join(m for msgs in exc.value.message_dict.values() for m in msgs)


def _official(product: Product, kind: str = Role.Kind.PROVINCE):
    if kind == Role.Kind.NATIONAL:
        return with_role(make_user(), kind)
    return with_role(make_user(), kind, province=product.province)


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (date(2026, 7, 1), 36, date(2029, 7, 1)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 2, 29), 36, date(2027, 2, 28)),
        (date(2027, 11, 30), 3, date(2028, 2, 29)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
    ],
)
def test_it_adds_months_clamped_to_the_end_of_the_month(start, months, end):
    assert months_after(start, months) == end


class TestIssue:
    def test_it_issues_a_numbered_certificate_valid_for_36_months(self):
        dossier = make_dossier(stars=4)
        product = dossier.product
        certificate = issue(dossier, decision_no="1234/QĐ-UBND")
        assert certificate.number == f"001/2026/GCN-OCOP-{product.province_id}"
        assert (certificate.stars, certificate.score) == (4, dossier.result.average_total)
        assert certificate.valid_from == DECISION_DATE
        assert certificate.valid_until == date(2029, 7, 1)
        assert (
            certificate.issuer_vi
            == "Ủy ban nhân dân " + product.province.name[0].lower() + product.province.name[1:]
        )
        assert certificate.release == release_26() and not certificate.imported
        assert len(certificate.verification_code) == 10
        assert set(certificate.verification_code) <= set(CODE_ALPHABET)
        assert not set(certificate.verification_code) & set("0O1I")
        product.refresh_from_db()
        dossier.refresh_from_db()
        assert product.status == Product.Status.CERTIFIED
        assert dossier.status == Dossier.Status.CERTIFIED
        assert [e.kind for e in certificate.events.all()] == [CertificateEvent.Kind.ISSUE]
        assert AuditEvent.objects.filter(action="certificate.issue", object_id=str(certificate.pk)).exists()

    def test_it_numbers_each_province_and_year_without_gaps(self):
        lao_cai = [make_product() for _i in range(3)]
        other = make_product(entity=make_entity(commune_obj=commune("Lạng Sơn")))
        numbers = [issue(make_dossier(product=p)).number.split("/")[0] for p in lao_cai]
        assert numbers == ["001", "002", "003"]
        assert issue(make_dossier(product=other)).number == f"001/2026/GCN-OCOP-{other.province_id}"
        earlier = issue(make_dossier(), decision_date=date(2025, 12, 30))
        assert earlier.number.startswith("001/2025/")

    def test_a_failed_issue_gives_its_number_back(self, monkeypatch):
        dossier = make_dossier()

        def fail(*args, **kwargs):
            raise RuntimeError("the product could not be updated")

        monkeypatch.setattr("certificates.services.product_status_follow", fail)
        with pytest.raises(RuntimeError):
            issue(dossier)
        assert not Certificate.objects.exists()
        assert NumberCounter.objects.filter(last__gt=0).count() == 0
        monkeypatch.undo()
        assert issue(dossier).number.startswith("001/")

    def test_it_uses_the_province_number_pattern(self):
        dossier = make_dossier(stars=3)
        NumberPattern.objects.create(
            province=dossier.product.province, pattern="{seq:02d}/GCN-{stars}S-{province}/{year}"
        )
        assert issue(dossier).number == f"01/GCN-3S-{dossier.product.province_id}/2026"

    def test_it_skips_a_number_already_taken_by_an_imported_certificate(self):
        dossier = make_dossier()
        province = dossier.product.province_id
        import_past(valid_until=date(2027, 1, 1), number=f"001/2026/GCN-OCOP-{province}")
        assert issue(dossier).number == f"002/2026/GCN-OCOP-{province}"

    def test_it_refuses_to_issue_the_same_dossier_twice(self):
        dossier = make_dossier()
        first = issue(dossier)
        with pytest.raises(ValidationError) as exc:
            issue(dossier)
        assert f"Certificate {first.number} has already been issued for this dossier." in _messages(exc)
        assert Certificate.objects.count() == 1
        assert NumberCounter.objects.get().last == 1

    @pytest.mark.parametrize("stars", [1, 2])
    def test_it_refuses_a_star_that_gets_no_certificate(self, stars):
        dossier = make_dossier(stars=stars)
        with pytest.raises(ValidationError) as exc:
            issue(dossier)
        assert f"A {stars}-star result gets no certificate" in _messages(exc)
        assert "3, 4, 5 stars" in _messages(exc)
        assert not Certificate.objects.exists()
        dossier.product.refresh_from_db()
        assert dossier.product.status == Product.Status.DRAFT

    def test_it_refuses_five_stars_at_the_province_level(self):
        with pytest.raises(ValidationError) as exc:
            issue(make_dossier(stars=5))
        assert "certifies products of up to 4 stars" in _messages(exc)
        assert not Certificate.objects.exists()

    @pytest.mark.parametrize("status", [EvaluationRound.Status.OPEN, EvaluationRound.Status.SCORING])
    def test_it_refuses_while_the_round_is_not_closed(self, status):
        dossier = make_dossier(round_status=status)
        with pytest.raises(ValidationError) as exc:
            issue(dossier)
        assert f"The round {dossier.round.name} is not closed yet" in _messages(exc)
        assert not Certificate.objects.exists()
        dossier.refresh_from_db()
        assert dossier.status == Dossier.Status.SCORED

    def test_it_refuses_a_dossier_forwarded_to_the_ministry(self):
        dossier = make_dossier(stars=4)
        Dossier.objects.filter(pk=dossier.pk).update(status=Dossier.Status.FORWARDED)
        with pytest.raises(ValidationError) as exc:
            issue(dossier)
        assert "forwarded to the next level" in _messages(exc)
        assert not Certificate.objects.exists()

    def test_it_refuses_a_dossier_without_a_result_or_knocked_out(self):
        with pytest.raises(ValidationError) as exc:
            issue(make_dossier(with_result=False))
        assert "no result yet" in _messages(exc)
        with pytest.raises(ValidationError) as exc:
            issue(make_dossier(knocked_out=True))
        assert "knock-out rule" in _messages(exc)
        assert not Certificate.objects.exists()

    def test_it_refuses_a_missing_decision_number_or_a_future_date(self):
        dossier = make_dossier()
        with pytest.raises(ValidationError) as exc:
            certificate_issue(
                actor=None,
                dossier=dossier,
                decision_no="  ",
                decision_date=timezone.localdate() + timedelta(days=1),
            )
        assert "Give the number of the recognition decision." in _messages(exc)
        assert "The decision date cannot be in the future." in _messages(exc)
        assert not Certificate.objects.exists()

    def test_officials_of_the_province_and_the_nation_may_issue_and_no_one_else(self):
        dossier = make_dossier()
        product = dossier.product
        stranger = with_role(make_user(), Role.Kind.PROVINCE, province=commune("Lạng Sơn").province)
        commune_official = with_role(make_user(), Role.Kind.COMMUNE, commune=product.commune)
        for actor in (stranger, commune_official):
            with pytest.raises(PermissionDenied) as exc:
                issue(dossier, actor=actor)
            assert product.province.name in str(exc.value)
        assert not Certificate.objects.exists()
        certificate = issue(dossier, actor=_official(product))
        assert certificate.events.get().actor is not None
        assert issue(make_dossier(), actor=_official(product, Role.Kind.NATIONAL)).number.startswith("002/")

    def test_the_ministry_issues_five_stars_with_its_own_numbers(self):
        dossier = make_dossier(stars=5, level="central")
        with pytest.raises(PermissionDenied):
            issue(dossier, actor=_official(dossier.product))
        certificate = issue(dossier, actor=_official(dossier.product, Role.Kind.NATIONAL))
        assert certificate.number == "001/2026/GCN-OCOP-TW"
        assert certificate.issuer_vi == "Bộ Nông nghiệp và Môi trường"
        assert NumberCounter.objects.get(issuer="central").last == 1

    @pytest.mark.parametrize(
        ("before", "after", "kind"),
        [
            (4, 4, CertificateEvent.Kind.RENEWAL),
            (3, 4, CertificateEvent.Kind.UPGRADE),
            (4, 3, CertificateEvent.Kind.DOWNGRADE),
        ],
    )
    def test_a_new_decision_supersedes_the_valid_certificate(self, before, after, kind):
        first = make_certificate(stars=before)
        product = first.product
        second = issue(
            make_dossier(product=product, stars=after, kind=Dossier.Kind.REEVALUATION),
            decision_date=date(2026, 8, 1),
        )
        first.refresh_from_db()
        assert first.status == Certificate.Status.SUPERSEDED
        assert second.status == Certificate.Status.VALID
        event = second.events.get()
        assert event.kind == kind
        assert event.details["previous"] == first.number and event.details["stars_before"] == before
        assert Certificate.objects.filter(product=product, status=Certificate.Status.VALID).count() == 1
        product.refresh_from_db()
        assert product.status == Product.Status.CERTIFIED

    def test_a_re_evaluation_after_the_lapse_is_a_renewal(self):
        old = import_past(valid_until=date(2026, 6, 30), status=Certificate.Status.EXPIRED)
        renewed = issue(make_dossier(product=old.product, kind=Dossier.Kind.REEVALUATION))
        assert renewed.events.get().kind == CertificateEvent.Kind.RENEWAL

    def test_its_messages_are_in_vietnamese_by_default(self):
        dossier = make_dossier(stars=2)
        with translation.override("vi"), pytest.raises(ValidationError) as exc:
            issue(dossier)
        assert "2" in _messages(exc)


class TestImport:
    def test_it_imports_a_past_certificate(self):
        product = make_product()
        certificate = certificate_import(
            actor=None,
            product=product,
            stars=3,
            score="65.5",
            number="45/GCN-UBND",
            decision_no="12/QĐ-UBND",
            decision_date=date(2024, 12, 20),
            valid_until=None,
            release=release_26(),
            issuer_vi="Ủy ban nhân dân tỉnh Lào Cai",
        )
        assert certificate.imported and certificate.dossier is None
        assert certificate.valid_until == date(2027, 12, 20)
        certificate.refresh_from_db()
        assert certificate.score == Decimal("65.5")
        assert [e.kind for e in certificate.events.all()] == [CertificateEvent.Kind.ISSUE]
        product.refresh_from_db()
        assert product.status == Product.Status.CERTIFIED

    def test_it_refuses_a_certificate_number_already_used(self):
        import_past(valid_until=date(2027, 1, 1), number="7/GCN")
        with pytest.raises(ValidationError) as exc:
            import_past(valid_until=date(2027, 1, 1), number="7/GCN")
        assert "The certificate number 7/GCN is already used." in _messages(exc)
        assert Certificate.objects.filter(number="7/GCN").count() == 1

    @pytest.mark.parametrize("stars", [2, 6, "x"])
    def test_it_refuses_stars_without_a_certificate(self, stars):
        with pytest.raises(ValidationError) as exc:
            import_past(valid_until=date(2027, 1, 1), stars=stars)
        assert "An OCOP certificate is for 3, 4, 5 stars" in _messages(exc)
        assert not Certificate.objects.exists()

    def test_it_refuses_an_end_before_the_decision_and_a_second_valid_certificate(self):
        product = make_product()
        with pytest.raises(ValidationError) as exc:
            certificate_import(
                actor=None,
                product=product,
                stars=4,
                score=None,
                number="1/GCN",
                decision_no="1/QĐ",
                decision_date=date(2025, 1, 1),
                valid_until=date(2024, 1, 1),
                release=release_26(),
                issuer_vi="UBND",
            )
        assert "The end of validity must be after the decision date." in _messages(exc)
        first = import_past(product=product, valid_until=date(2027, 1, 1))
        with pytest.raises(ValidationError) as exc:  # decided before the valid one: not a renewal
            import_past(product=product, valid_until=date(2026, 6, 1))
        assert f"already has a valid certificate ({first.number})" in _messages(exc)
        assert Certificate.objects.filter(product=product).count() == 1

    def test_a_later_imported_certificate_renews_the_imported_valid_one(self):
        product = make_product()
        first = import_past(product=product, valid_until=date(2027, 1, 1))
        later = import_past(product=product, valid_until=date(2027, 6, 1))
        first.refresh_from_db()
        assert (first.status, later.status) == (Certificate.Status.SUPERSEDED, Certificate.Status.VALID)
        assert events_for(first).filter(action="certificate.supersede", reason=later.number).exists()

    def test_an_expired_import_shows_its_lapse(self):
        certificate = import_past(valid_until=date(2025, 3, 31), status=Certificate.Status.EXPIRED)
        events = list(certificate.events.values_list("kind", "at"))
        assert events[1] == (CertificateEvent.Kind.LAPSE, date(2025, 4, 1))
        certificate.product.refresh_from_db()
        assert certificate.product.status == Product.Status.EXPIRED

    def test_an_official_of_another_province_cannot_import(self):
        product = make_product()
        stranger = with_role(make_user(), Role.Kind.PROVINCE, province=commune("Lạng Sơn").province)
        with pytest.raises(PermissionDenied):
            certificate_import(
                actor=stranger,
                product=product,
                stars=4,
                score=None,
                number="9/GCN",
                decision_no="9/QĐ",
                decision_date=date(2025, 1, 1),
                valid_until=None,
                release=release_26(),
                issuer_vi="UBND",
            )
        assert not Certificate.objects.exists()


class TestRevoke:
    def _revoke(
        self, certificate, *, actor=None, ground=Certificate.RevocationGround.MARK_MISUSE, reason="x"
    ):
        return certificate_revoke(
            actor=actor,
            certificate=certificate,
            ground=ground,
            reason=reason,
            decided_on=date(2026, 9, 15),
        )

    def test_a_province_official_revokes_a_four_star_certificate(self):
        certificate = make_certificate(stars=4)
        official = _official(certificate.product)
        self._revoke(certificate, actor=official, reason="Biên bản kiểm tra số 5/BB ngày 01/9/2026")
        certificate.refresh_from_db()
        assert certificate.status == Certificate.Status.REVOKED
        assert certificate.revocation_ground == Certificate.RevocationGround.MARK_MISUSE
        event = certificate.events.get(kind=CertificateEvent.Kind.REVOCATION)
        assert (event.at, event.actor, event.reason) == (
            date(2026, 9, 15),
            official,
            "Biên bản kiểm tra số 5/BB ngày 01/9/2026",
        )
        certificate.product.refresh_from_db()
        assert certificate.product.status == Product.Status.REVOKED
        assert AuditEvent.objects.filter(action="certificate.revoke", object_id=str(certificate.pk)).exists()

    def test_an_official_of_another_province_may_not_revoke(self):
        certificate = make_certificate(stars=3)
        stranger = with_role(make_user(), Role.Kind.PROVINCE, province=commune("Lạng Sơn").province)
        with pytest.raises(PermissionDenied) as exc:
            self._revoke(certificate, actor=stranger)
        assert "chair of the People's Committee of " + certificate.product.province.name in str(exc.value)
        certificate.refresh_from_db()
        assert certificate.status == Certificate.Status.VALID
        assert not certificate.events.filter(kind=CertificateEvent.Kind.REVOCATION).exists()

    def test_only_a_national_official_revokes_five_stars(self):
        certificate = import_past(stars=5, valid_until=date(2028, 1, 1))
        with pytest.raises(PermissionDenied) as exc:
            self._revoke(certificate, actor=_official(certificate.product))
        assert "revoked by the Minister" in str(exc.value)
        certificate.refresh_from_db()
        assert certificate.status == Certificate.Status.VALID
        self._revoke(certificate, actor=_official(certificate.product, Role.Kind.NATIONAL))
        certificate.refresh_from_db()
        assert certificate.status == Certificate.Status.REVOKED

    def test_it_needs_a_reason_and_a_ground_of_article_8(self):
        certificate = make_certificate()
        with pytest.raises(ValidationError) as exc:
            self._revoke(certificate, ground="z", reason=" ")
        assert "Choose one of the grounds for revocation of Article 8." in _messages(exc)
        assert "Give the reason" in _messages(exc)
        certificate.refresh_from_db()
        assert certificate.status == Certificate.Status.VALID

    def test_it_refuses_a_certificate_that_is_not_valid(self):
        certificate = make_certificate()
        self._revoke(certificate)
        with pytest.raises(ValidationError) as exc:
            self._revoke(certificate)
        assert "Only a valid certificate can be revoked; this one is revoked." in _messages(exc)
        assert certificate.events.filter(kind=CertificateEvent.Kind.REVOCATION).count() == 1
