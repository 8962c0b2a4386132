"""Rounds, dossiers and results made directly (the evaluation services are written alongside): a
closed round of the 26/2026 release and a scored dossier, ready for a certificate."""

import itertools
from datetime import date, timedelta
from decimal import Decimal

from certificates.models import Certificate
from certificates.services import certificate_issue
from certificates.services_import import certificate_import
from evaluation.models import (
    CouncilLevel,
    CriteriaRelease,
    CriteriaSet,
    Dossier,
    DossierResult,
    EvaluationRound,
)
from registry.models import Product
from tests.factories import make_product

_seq = itertools.count(1)

# A total inside each star's band of 26/2026 (Art. 3.3).
SCORES = {
    1: Decimal("20.00"),
    2: Decimal("40.00"),
    3: Decimal("60.00"),
    4: Decimal("78.50"),
    5: Decimal("92.00"),
}
DECISION_DATE = date(2026, 7, 1)


def release_26() -> CriteriaRelease:
    return CriteriaRelease.objects.get(code="26/2026")


def make_round(
    *, province=None, level: str = "province", status: str = EvaluationRound.Status.CLOSED
) -> EvaluationRound:
    release = release_26()
    return EvaluationRound.objects.create(
        name=f"Đợt đánh giá {next(_seq)} năm 2026",
        province=province,
        level=CouncilLevel.objects.get(release=release, code=level),
        release=release,
        period_start=date(2026, 5, 1),
        period_end=date(2026, 6, 30),
        submission_deadline=date(2026, 4, 30),
        status=status,
    )


def make_dossier(
    *,
    product: Product | None = None,
    stars: int = 4,
    level: str = "province",
    round_status: str = EvaluationRound.Status.CLOSED,
    kind: str = Dossier.Kind.FIRST,
    knocked_out: bool = False,
    with_result: bool = True,
) -> Dossier:
    product = product or make_product()
    round_ = make_round(
        province=None if level == "central" else product.province, level=level, status=round_status
    )
    dossier = Dossier.objects.create(
        round=round_,
        product=product,
        criteria_set=CriteriaSet.objects.get(release=round_.release, code=product.category_id),
        kind=kind,
        status=Dossier.Status.SCORED,
    )
    if with_result:
        DossierResult.objects.create(
            dossier=dossier,
            average_total=SCORES[stars],
            band_stars=stars,
            stars=stars,
            potential_stars=None,
            knocked_out=knocked_out,
            breakdown={},
        )
    return dossier


def issue(
    dossier: Dossier, *, actor=None, decision_date: date = DECISION_DATE, decision_no: str = ""
) -> Certificate:
    return certificate_issue(
        actor=actor,
        dossier=dossier,
        decision_no=decision_no or f"{next(_seq)}/QĐ-UBND",
        decision_date=decision_date,
    )


def make_certificate(*, stars: int = 4, product: Product | None = None, **dossier_fields) -> Certificate:
    return issue(make_dossier(stars=stars, product=product, **dossier_fields))


def import_past(
    *,
    product: Product | None = None,
    stars: int = 4,
    valid_until: date,
    status: str = Certificate.Status.VALID,
    number: str = "",
) -> Certificate:
    """A certificate from before the platform, ending on `valid_until` (36 months after its decision)."""
    product = product or make_product()
    return certificate_import(
        actor=None,
        product=product,
        stars=stars,
        score=None,
        number=number or f"{next(_seq)}/GCN-CU",
        decision_no=f"{next(_seq)}/QĐ-UBND",
        decision_date=valid_until - timedelta(days=3 * 365),
        valid_until=valid_until,
        release=release_26(),
        issuer_vi="Ủy ban nhân dân tỉnh Lào Cai",
        status=status,
    )
