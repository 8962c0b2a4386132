import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from evaluation.models import CriterionOption, Dossier, DossierResult, EvaluationRound
from evaluation.services_council import dossier_forward, round_close, round_scoring_start, score_record
from evaluation.services_dossiers import (
    dossier_commune_check,
    dossier_create,
    dossier_submit,
    self_assessment_set,
)
from registry.models import Role
from tests.evaluation.factories import (
    REPORT,
    assign,
    council,
    lao_cai,
    open_round,
    passed_dossier,
    scorable,
    score_all,
    self_assess_all,
)
from tests.factories import commune, make_entity, make_product, make_user, with_role

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def tea():
    entity = make_entity(commune_obj=commune("Lào Cai", "Văn Chấn"), legal_name="HTX Chè Suối Giàng")
    return make_product(entity=entity, name="Chè Shan Tuyết Suối Giàng", category="QD26-11")


@pytest.fixture
def province_round():
    return open_round(lao_cai())


def _messages(exc) -> str:
    return " ".join(exc.value.messages)


def test_a_full_round_from_dossier_to_result(tea, province_round):
    dossier = dossier_create(actor=None, evaluation_round=province_round, product=tea)
    self_assess_all(dossier)
    dossier = dossier_submit(actor=None, dossier=dossier)
    assert re.fullmatch(r"\d{3}/PĐK-15-\d{5}-\d{4}", dossier.registration_no), dossier.registration_no
    dossier = dossier_commune_check(actor=None, dossier=dossier, passed=True, report=REPORT)
    tea.refresh_from_db()
    assert re.fullmatch(rf"15-{tea.commune_id}-001-\d{{4}}", tea.code)
    members = council(province_round)
    assign(dossier, members)
    round_scoring_start(actor=None, evaluation_round=province_round)
    for member, target in zip(members, (75, 78, 81), strict=True):
        # Each member lands near a different total: best options, then a few points off part C.
        score_all(
            dossier,
            member,
            points_for=lambda c, t=target: (
                c.max_points if c.part != "C" else max(0, c.max_points - (100 - t) // 4)
            ),
        )
    results = round_close(actor=None, evaluation_round=province_round)
    result = results[0]
    totals = result.breakdown["member_totals"]
    assert float(result.average_total) == pytest.approx(sum(totals.values()) / 3, abs=0.01)
    assert result.stars in (3, 4)
    assert len(result.breakdown["criteria"]) == len(scorable(dossier))
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.SCORED
    assert EvaluationRound.objects.get(pk=province_round.pk).status == EvaluationRound.Status.CLOSED


def test_a_second_dossier_for_the_same_product_in_a_round_is_refused(tea, province_round):
    dossier_create(actor=None, evaluation_round=province_round, product=tea)
    with pytest.raises(ValidationError) as exc:
        dossier_create(actor=None, evaluation_round=province_round, product=tea)
    assert "already has a dossier" in _messages(exc)
    assert Dossier.objects.filter(product=tea).count() == 1


def test_a_product_of_another_province_cannot_enter_the_round(province_round):
    other = make_product(entity=make_entity(commune_obj=commune("Lạng Sơn")), category="QD26-01")
    with pytest.raises(ValidationError) as exc:
        dossier_create(actor=None, evaluation_round=province_round, product=other)
    assert "Lào Cai" in _messages(exc)


def test_a_submitted_dossier_cannot_be_edited(tea, province_round):
    dossier = dossier_create(actor=None, evaluation_round=province_round, product=tea)
    self_assess_all(dossier)
    dossier_submit(actor=None, dossier=dossier)
    criterion = scorable(dossier)[0]
    with pytest.raises(ValidationError) as exc:
        self_assessment_set(
            actor=None, dossier=dossier, criterion=criterion, option=criterion.options.first()
        )
    assert "cannot be edited" in _messages(exc)


def test_an_incomplete_self_assessment_cannot_be_submitted(tea, province_round):
    dossier = dossier_create(actor=None, evaluation_round=province_round, product=tea)
    with pytest.raises(ValidationError) as exc:
        dossier_submit(actor=None, dossier=dossier)
    assert f"0 of {len(scorable(dossier))}" in _messages(exc)


def test_the_commune_returns_with_a_reason_and_the_entity_resubmits(tea, province_round):
    member = with_role(make_user(), Role.Kind.ENTITY_MEMBER, entity=tea.entity)
    officer = with_role(make_user(), Role.Kind.COMMUNE, commune=tea.commune)
    dossier = dossier_create(actor=member, evaluation_round=province_round, product=tea)
    self_assess_all(dossier, actor=member)
    dossier_submit(actor=member, dossier=dossier)
    with pytest.raises(ValidationError):
        dossier_commune_check(actor=officer, dossier=dossier, passed=False, reason="")
    dossier = dossier_commune_check(
        actor=officer, dossier=dossier, passed=False, reason="Thiếu phiếu kiểm nghiệm"
    )
    assert dossier.status == Dossier.Status.RETURNED
    criterion = scorable(dossier)[0]
    self_assessment_set(actor=member, dossier=dossier, criterion=criterion, option=criterion.options.first())
    dossier = dossier_submit(actor=member, dossier=dossier)
    assert dossier.status == Dossier.Status.SUBMITTED and dossier.return_reason == ""
    # A commune officer of another commune may not check it.
    stranger = with_role(make_user(), Role.Kind.COMMUNE, commune=commune("Lạng Sơn"))
    with pytest.raises(PermissionDenied):
        dossier_commune_check(actor=stranger, dossier=dossier, passed=True, report=REPORT)


def test_a_member_of_the_entity_is_barred_from_the_council(tea, province_round):
    dossier = passed_dossier(dossier_create(actor=None, evaluation_round=province_round, product=tea))
    insider = with_role(make_user(), Role.Kind.COUNCIL)
    with_role(insider, Role.Kind.ENTITY_MEMBER, entity=tea.entity)
    from evaluation.services_dossiers import council_member_add

    seat = council_member_add(actor=None, evaluation_round=province_round, user=insider)
    with pytest.raises(ValidationError) as exc:
        assign(dossier, [seat])
    assert "belongs to the producing entity" in _messages(exc)


def test_scoring_rules_refuse_bad_input(tea, province_round):
    dossier = passed_dossier(dossier_create(actor=None, evaluation_round=province_round, product=tea))
    a, b = council(province_round, n=2)
    assign(dossier, [a])
    criterion, other = scorable(dossier)[:2]
    option = criterion.options.first()
    with pytest.raises(ValidationError) as exc:  # before scoring starts
        score_record(actor=a.user, dossier=dossier, criterion=criterion, option=option)
    assert "not open" in _messages(exc)
    round_scoring_start(actor=None, evaluation_round=province_round)
    with pytest.raises(ValidationError) as exc:  # an option of another criterion
        score_record(actor=a.user, dossier=dossier, criterion=criterion, option=other.options.last())
    assert "not one of this criterion's options" in _messages(exc)
    with pytest.raises(PermissionDenied):  # not assigned
        score_record(actor=b.user, dossier=dossier, criterion=criterion, option=option)
    score_all(dossier, a)
    round_close(actor=None, evaluation_round=province_round)
    with pytest.raises(ValidationError):  # after closing
        score_record(actor=a.user, dossier=dossier, criterion=criterion, option=option)


def test_far_apart_members_must_rediscuss_before_closing(tea, province_round):
    dossier = passed_dossier(dossier_create(actor=None, evaluation_round=province_round, product=tea))
    high, low = council(province_round, n=2)
    assign(dossier, [high, low])
    round_scoring_start(actor=None, evaluation_round=province_round)
    score_all(dossier, high)
    score_all(dossier, low, points_for=lambda c: 0)
    with pytest.raises(ValidationError) as exc:
        round_close(actor=None, evaluation_round=province_round)
    assert "re-discuss" in _messages(exc)
    assert not DossierResult.objects.filter(dossier=dossier).exists()


def test_a_potential_five_star_is_forwarded_to_the_ministry(tea, province_round):
    dossier = passed_dossier(dossier_create(actor=None, evaluation_round=province_round, product=tea))
    members = council(province_round, n=2)
    assign(dossier, members)
    round_scoring_start(actor=None, evaluation_round=province_round)
    for member in members:
        score_all(dossier, member)  # 100 points
    [result] = round_close(actor=None, evaluation_round=province_round)
    assert (result.stars, result.potential_stars) == (4, 5)
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.FORWARDED
    central = open_round(None, level_code="central", name="Đợt trung ương 2/2026")
    forwarded = dossier_forward(actor=None, dossier=dossier, target_round=central)
    assert forwarded.status == Dossier.Status.PASSED and forwarded.self_assessments.count() == len(
        scorable(dossier)
    )


def test_a_knock_out_rejects_the_dossier(tea, province_round):
    dossier = dossier_create(actor=None, evaluation_round=province_round, product=tea)
    self_assess_all(dossier)
    dossier_submit(actor=None, dossier=dossier)
    dossier = dossier_commune_check(
        actor=None,
        dossier=dossier,
        passed=True,
        report=REPORT,
        knockout_reasons=["Không có giấy chứng nhận cơ sở đủ điều kiện ATTP"],
    )
    (member,) = council(province_round, n=1)
    assign(dossier, [member])
    round_scoring_start(actor=None, evaluation_round=province_round)
    score_all(dossier, member)
    [result] = round_close(actor=None, evaluation_round=province_round)
    assert result.knocked_out
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.REJECTED


def test_an_upgrade_starts_from_the_last_dossier(tea, province_round):
    first = passed_dossier(dossier_create(actor=None, evaluation_round=province_round, product=tea))
    (member,) = council(province_round, n=1)
    assign(first, [member])
    round_scoring_start(actor=None, evaluation_round=province_round)
    score_all(first, member, points_for=lambda c: c.max_points - 1)
    round_close(actor=None, evaluation_round=province_round)
    later = open_round(lao_cai(), name="Đợt 1/2027")
    upgrade = dossier_create(actor=None, evaluation_round=later, product=tea, kind=Dossier.Kind.UPGRADE)
    carried = upgrade.self_assessments.all()
    assert carried.count() == first.self_assessments.count()
    assert all(row.carried_over for row in carried)
    # Only the changed criterion needs a new answer; the rest stays as it was.
    criterion = scorable(upgrade)[0]
    self_assessment_set(
        actor=None,
        dossier=upgrade,
        criterion=criterion,
        option=CriterionOption.objects.filter(criterion=criterion).order_by("points").first(),
    )
    assert upgrade.self_assessments.filter(carried_over=False).count() == 1
    dossier_submit(actor=None, dossier=upgrade)


def test_an_upgrade_without_an_earlier_dossier_is_refused(tea, province_round):
    with pytest.raises(ValidationError) as exc:
        dossier_create(actor=None, evaluation_round=province_round, product=tea, kind=Dossier.Kind.UPGRADE)
    assert "earlier evaluated dossier" in _messages(exc)


def test_only_the_provinces_office_opens_a_round():
    outsider = with_role(make_user(), Role.Kind.PROVINCE, province=commune("Lạng Sơn").province)
    import datetime as dt

    from evaluation.services_dossiers import round_open

    with pytest.raises(PermissionDenied):
        round_open(
            actor=outsider,
            name="Đợt giả",
            province=lao_cai(),
            level_code="province",
            period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2026, 6, 30),
            submission_deadline=dt.date(2026, 4, 30),
        )
    assert not EvaluationRound.objects.filter(name="Đợt giả").exists()


def test_scoring_cannot_start_while_a_passed_dossier_has_no_member(tea, province_round):
    passed_dossier(dossier_create(actor=None, evaluation_round=province_round, product=tea))
    with pytest.raises(ValidationError) as exc:
        round_scoring_start(actor=None, evaluation_round=province_round)
    assert "no council member assigned" in _messages(exc)
    province_round.refresh_from_db()
    assert province_round.status == EvaluationRound.Status.OPEN


def test_a_member_submits_once(tea, province_round):
    from evaluation.services_council import assignment_submit

    dossier = passed_dossier(dossier_create(actor=None, evaluation_round=province_round, product=tea))
    (member,) = council(province_round, n=1)
    assign(dossier, [member])
    round_scoring_start(actor=None, evaluation_round=province_round)
    score_all(dossier, member)
    with pytest.raises(ValidationError) as exc:
        assignment_submit(actor=member.user, dossier=dossier)
    assert "already submitted" in _messages(exc)
