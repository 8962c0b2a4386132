"""The demo's open evaluation round (make run): Lạng Sơn's second round of the year, with dossiers on
the processed-food set QD26-07 and the tea set QD26-11 at different steps, so every role has
something to do. Written through the services; idempotent (found again by the round's name)."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from evaluation.models import CouncilMember, Criterion, Dossier, EvaluationRound
from evaluation.services_council import dossier_assign
from evaluation.services_dossiers import (
    council_member_add,
    dossier_commune_check,
    dossier_create,
    dossier_submit,
    round_open,
    self_assessment_set,
)
from places.models import Province
from registry.models import Product

ROUND_NAME = "Đợt 2 năm 2026 — tỉnh Lạng Sơn"
COUNCIL = ["hoidong_langson1", "hoidong_langson2", "hoidong_langson3"]
REPORT = {
    "origin": "Sản phẩm do hợp tác xã phát triển từ nguyên liệu của xã, ý tưởng của thành viên hợp tác xã.",
    "local_labour": "Sử dụng lao động tại địa phương, phần lớn là phụ nữ người Tày, Nùng.",
    "local_materials": "Nguyên liệu chính được trồng và thu hái trên địa bàn xã.",
    "local_identity": "Gắn với nghề truyền thống và tri thức chế biến của đồng bào địa phương.",
}
# (Vietnamese product name, how far the dossier has gone)
DOSSIERS = [
    ("Bột thạch đen Tràng Định", "passed"),  # QD26-07, ready for the council
    ("Na sấy dẻo Chi Lăng", "submitted"),  # QD26-07, waiting for the commune's check
    ("Trà xanh túi lọc Bắc Sơn", "draft"),  # QD26-11, the entity is filling Mẫu 02
]


def _self_assess(dossier: Dossier, *, complete: bool) -> None:
    criteria = Criterion.objects.filter(criteria_set=dossier.criteria_set, scorable=True).prefetch_related(
        "options"
    )
    for index, criterion in enumerate(criteria):
        if not complete and index >= 10:
            break
        options = sorted(criterion.options.all(), key=lambda o: o.points)
        # A realistic self-assessment: the second-best answer where there is one.
        option = options[-2] if len(options) > 1 else options[-1]
        self_assessment_set(actor=None, dossier=dossier, criterion=criterion, option=option)


def demo_round_load() -> EvaluationRound | None:
    province = Province.objects.filter(name__contains="Lạng Sơn").first()
    if province is None:
        return None
    existing = EvaluationRound.objects.filter(name=ROUND_NAME).first()
    if existing is not None:
        return existing
    today = timezone.localdate()
    with transaction.atomic():
        evaluation_round = round_open(
            actor=None,
            name=ROUND_NAME,
            province=province,
            level_code="province",
            period_start=today - dt.timedelta(days=60),
            period_end=today + dt.timedelta(days=37),
            submission_deadline=today + dt.timedelta(days=21),
        )
        users = {u.username: u for u in get_user_model().objects.filter(username__in=COUNCIL)}
        members: list[CouncilMember] = [
            council_member_add(
                actor=None, evaluation_round=evaluation_round, user=users[name], is_chair=i == 0
            )
            for i, name in enumerate(COUNCIL)
            if name in users
        ]
        for name, step in DOSSIERS:
            product = Product.objects.filter(
                province=province,
                name_folded__isnull=False,
                translations__language="vi",
                translations__name=name,
            ).first()
            if product is None:
                continue
            dossier = dossier_create(actor=None, evaluation_round=evaluation_round, product=product)
            _self_assess(dossier, complete=step != "draft")
            if step in ("submitted", "passed"):
                dossier = dossier_submit(actor=None, dossier=dossier)
            if step == "passed":
                dossier = dossier_commune_check(actor=None, dossier=dossier, passed=True, report=REPORT)
                if members:
                    dossier_assign(actor=None, dossier=dossier, members=members)
    return evaluation_round
