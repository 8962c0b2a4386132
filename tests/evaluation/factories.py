import datetime as dt

from django.utils import timezone

from evaluation.models import Criterion, Dossier, EvaluationRound
from evaluation.services_council import assignment_submit, dossier_assign, score_record
from evaluation.services_dossiers import (
    council_member_add,
    dossier_commune_check,
    dossier_submit,
    round_open,
    self_assessment_set,
)
from registry.models import Role
from tests.factories import commune, make_user, with_role

REPORT = {
    "origin": "Ý tưởng sản phẩm của hợp tác xã tại địa phương",
    "local_labour": "18/20 lao động là người địa phương",
    "local_materials": "Chè Shan tuyết cổ thụ của xã",
    "local_identity": "Gắn với văn hoá người Dao",
}


def open_round(province, *, level_code="province", name="Đợt 2/2026") -> EvaluationRound:
    today = timezone.localdate()
    return round_open(
        actor=None,
        name=name,
        province=province,
        level_code=level_code,
        period_start=today - dt.timedelta(days=30),
        period_end=today + dt.timedelta(days=60),
        submission_deadline=today + dt.timedelta(days=10),
    )


def council(evaluation_round, n=3):
    members = []
    for _ in range(n):
        user = with_role(make_user(), Role.Kind.COUNCIL)
        members.append(council_member_add(actor=None, evaluation_round=evaluation_round, user=user))
    return members


def scorable(dossier):
    return list(
        Criterion.objects.filter(criteria_set=dossier.criteria_set, scorable=True).prefetch_related("options")
    )


def self_assess_all(dossier, *, actor=None, pick=max):
    for criterion in scorable(dossier):
        option = pick(criterion.options.all(), key=lambda o: o.points)
        self_assessment_set(actor=actor, dossier=dossier, criterion=criterion, option=option)


def passed_dossier(dossier) -> Dossier:
    self_assess_all(dossier)
    dossier_submit(actor=None, dossier=dossier)
    return dossier_commune_check(actor=None, dossier=dossier, passed=True, report=REPORT)


def score_all(dossier, member, *, points_for=None, submit=True):
    """points_for(criterion) → wanted points; default: the best option."""
    for criterion in scorable(dossier):
        options = list(criterion.options.all())
        wanted = points_for(criterion) if points_for else criterion.max_points
        option = min(options, key=lambda o: abs(o.points - wanted))
        score_record(actor=member.user, dossier=dossier, criterion=criterion, option=option)
    if submit:
        assignment_submit(actor=member.user, dossier=dossier)


def lao_cai():
    return commune("Lào Cai").province


def assign(dossier, members):
    return dossier_assign(actor=None, dossier=dossier, members=members)
