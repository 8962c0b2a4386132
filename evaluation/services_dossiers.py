"""Rounds and dossiers up to the council: a province opens a round, an entity files Mẫu 01/02 with
evidence from its library, the commune checks it and reports (Mẫu 03) or returns it."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record, snapshot
from evaluation.models import (
    CommuneCounter,
    CouncilLevel,
    CouncilMember,
    CriteriaRelease,
    CriteriaSet,
    Criterion,
    CriterionOption,
    Dossier,
    EvaluationRound,
    SelfAssessment,
)
from ocop_hub.text import plain_text
from registry import access
from registry.models import Product, Role

COMMUNE_REPORT_FIELDS = ["origin", "local_labour", "local_materials", "local_identity"]


def _require_official_of_province(actor, province) -> None:
    if not access.is_province_official(actor, province.code if province is not None else None):
        raise PermissionDenied(_("Only the province's OCOP office (or the Ministry) may do this."))


def _counter_next(*, commune, year: int, kind: str) -> int:
    counter, _created = CommuneCounter.objects.get_or_create(commune=commune, year=year, kind=kind)
    counter = CommuneCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def current_release() -> CriteriaRelease:
    today = timezone.localdate()
    release = (
        CriteriaRelease.objects.filter(has_criteria_text=True, effective_from__lte=today)
        .order_by("-effective_from")
        .first()
    )
    if release is None:
        raise ValidationError(_("No criteria release is loaded (run manage.py load_criteria)."))
    return release


def round_open(
    *,
    actor,
    name: str,
    province,
    level_code: str,
    period_start: dt.date,
    period_end: dt.date,
    submission_deadline: dt.date,
    release: CriteriaRelease | None = None,
) -> EvaluationRound:
    release = release or current_release()
    if level_code == "central":
        if actor is not None and not access.scope_of(actor).national:
            raise PermissionDenied(_("Only the Ministry opens a central round."))
        province = None
    else:
        _require_official_of_province(actor, province)
    errors: dict[str, list[str]] = {}
    level = CouncilLevel.objects.filter(release=release, code=level_code).first()
    if level is None or level.max_star_certified is None:
        errors.setdefault("level", []).append(_("This council level does not evaluate products."))
    if period_end < period_start:
        errors.setdefault("period_end", []).append(_("The period ends before it starts."))
    if not period_start <= submission_deadline <= period_end:
        errors.setdefault("submission_deadline", []).append(_("The deadline must fall within the period."))
    try:
        name = plain_text(name, field="name")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if not name:
        errors.setdefault("name", []).append(_("This field is required."))
    if errors or level is None:
        raise ValidationError(errors)
    with transaction.atomic():
        evaluation_round = EvaluationRound.objects.create(
            name=name,
            province=province,
            level=level,
            release=release,
            period_start=period_start,
            period_end=period_end,
            submission_deadline=submission_deadline,
        )
        audit_record(actor=actor, action="round.open", obj=evaluation_round, after=snapshot(evaluation_round))
    return evaluation_round


def council_member_add(
    *, actor, evaluation_round: EvaluationRound, user, is_chair: bool = False
) -> CouncilMember:
    _require_official_of_province(actor, evaluation_round.province)
    if not Role.objects.filter(user=user, kind=Role.Kind.COUNCIL).exists():
        raise ValidationError(
            _("%(user)s is not registered as a council member.") % {"user": user.get_username()}
        )
    with transaction.atomic():
        member, created = CouncilMember.objects.get_or_create(
            round=evaluation_round, user=user, defaults={"is_chair": is_chair}
        )
        if created:
            audit_record(
                actor=actor,
                action="round.member_add",
                obj=evaluation_round,
                after={"member": user.get_username(), "chair": is_chair},
            )
    return member


def _previous_dossier(product: Product) -> Dossier | None:
    return (
        Dossier.objects.filter(product=product, status__in=[Dossier.Status.CERTIFIED, Dossier.Status.SCORED])
        .order_by("-id")
        .first()
    )


def _carry_over(dossier: Dossier, previous: Dossier) -> int:
    """Unchanged criteria and their evidence come from the last dossier (matched by part, code and
    option position, so a dossier scored under an earlier release carries over where it can)."""
    targets = {
        (c.part, c.code): c
        for c in Criterion.objects.filter(criteria_set=dossier.criteria_set, scorable=True)
    }
    options = {
        (o.criterion_id, o.position): o
        for o in CriterionOption.objects.filter(criterion__criteria_set=dossier.criteria_set)
    }
    copied = 0
    for old in previous.self_assessments.select_related("criterion", "option").prefetch_related("evidence"):
        target = targets.get((old.criterion.part, old.criterion.code))
        option = options.get((target.pk, old.option.position)) if target else None
        if target is None or option is None:
            continue
        new = SelfAssessment.objects.create(
            dossier=dossier, criterion=target, option=option, note=old.note, carried_over=True
        )
        new.evidence.set(old.evidence.all())
        copied += 1
    return copied


def dossier_create(
    *, actor, evaluation_round: EvaluationRound, product: Product, kind: str = Dossier.Kind.FIRST
) -> Dossier:
    """Mẫu 01: register a product in a round (first time, upgrade or re-evaluation)."""
    access.require(access.can_manage_product(actor, product))
    errors: list[str] = []
    if kind not in Dossier.Kind.values:
        errors.append(_("Choose first evaluation, upgrade or re-evaluation."))
    if evaluation_round.status != EvaluationRound.Status.OPEN:
        errors.append(_("This round no longer accepts dossiers."))
    elif timezone.localdate() > evaluation_round.submission_deadline:
        errors.append(
            _("The deadline of this round (%(date)s) has passed.")
            % {"date": evaluation_round.submission_deadline.strftime("%d/%m/%Y")}
        )
    if evaluation_round.province_id and product.province_id != evaluation_round.province_id:
        errors.append(
            _("This round is for products of %(province)s.") % {"province": evaluation_round.province}
        )
    if Dossier.objects.filter(round=evaluation_round, product=product).exists():
        errors.append(_("This product already has a dossier in this round."))
    criteria_set = CriteriaSet.objects.filter(
        release=evaluation_round.release, code=product.category_id
    ).first()
    if criteria_set is None:
        errors.append(
            _("Release %(release)s has no criteria set for this product type.")
            % {"release": evaluation_round.release}
        )
    previous = _previous_dossier(product)
    if kind in (Dossier.Kind.UPGRADE, Dossier.Kind.REEVALUATION) and previous is None:
        errors.append(_("An upgrade or re-evaluation needs an earlier evaluated dossier of this product."))
    if errors or criteria_set is None:
        raise ValidationError(errors)
    with transaction.atomic():
        dossier = Dossier.objects.create(
            round=evaluation_round,
            product=product,
            criteria_set=criteria_set,
            kind=kind,
            previous=previous if kind != Dossier.Kind.FIRST else None,
        )
        carried = _carry_over(dossier, previous) if previous is not None and kind != Dossier.Kind.FIRST else 0
        audit_record(
            actor=actor,
            action="dossier.create",
            obj=dossier,
            after=snapshot(dossier) | {"carried_over": carried},
        )
    return dossier


def _editable(dossier: Dossier) -> None:
    # Read the status from the database: the caller's object may predate a submission.
    status = Dossier.objects.filter(pk=dossier.pk).values_list("status", flat=True).first()
    if status not in (Dossier.Status.DRAFT, Dossier.Status.RETURNED):
        raise ValidationError(_("A submitted dossier cannot be edited; ask the commune to return it."))


def self_assessment_set(
    *,
    actor,
    dossier: Dossier,
    criterion: Criterion,
    option: CriterionOption,
    note: str = "",
    evidence=(),
) -> SelfAssessment:
    """Mẫu 02: the entity's choice on one criterion, with evidence picked from its library."""
    access.require(access.can_manage_product(actor, dossier.product))
    _editable(dossier)
    errors: dict[str, list[str]] = {}
    if criterion.criteria_set_id != dossier.criteria_set_id or not criterion.scorable:
        errors.setdefault("criterion", []).append(
            _("This criterion is not part of the dossier's criteria set.")
        )
    if option.criterion_id != criterion.pk:
        errors.setdefault("option", []).append(_("Choose one of this criterion's options."))
    if any(doc.entity_id != dossier.product.entity_id for doc in evidence):
        errors.setdefault("evidence", []).append(_("Evidence can only come from the entity's own library."))
    try:
        note = plain_text(note, field="note")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        row, _created = SelfAssessment.objects.update_or_create(
            dossier=dossier,
            criterion=criterion,
            defaults={"option": option, "note": note, "carried_over": False},
        )
        row.evidence.set(list(evidence))
        audit_record(
            actor=actor,
            action="dossier.self_assess",
            obj=dossier,
            after={
                "criterion": f"{criterion.part}.{criterion.code}",
                "points": option.points,
                "evidence": [doc.pk for doc in evidence],
            },
        )
    return row


def dossier_submit(*, actor, dossier: Dossier) -> Dossier:
    access.require(access.can_manage_product(actor, dossier.product))
    _editable(dossier)
    scorable = Criterion.objects.filter(criteria_set=dossier.criteria_set, scorable=True).count()
    done = dossier.self_assessments.count()
    if done < scorable:
        raise ValidationError(
            _("The self-assessment is incomplete: %(done)s of %(total)s criteria answered.")
            % {"done": done, "total": scorable}
        )
    with transaction.atomic():
        locked = (
            Dossier.objects.select_for_update()
            .select_related("product__commune__province")
            .get(pk=dossier.pk)
        )
        _editable(locked)
        commune = locked.product.commune
        year = timezone.localdate().year
        if not locked.registration_no:
            number = _counter_next(commune=commune, year=year, kind=CommuneCounter.Kind.REGISTRATION)
            # Annex III, Mẫu 01: "Phiếu số …/PĐK-(province)-(commune)-(year)".
            locked.registration_no = f"{number:03d}/PĐK-{commune.province_id}-{commune.code}-{year}"
        locked.status = Dossier.Status.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.return_reason = ""
        locked.save()
        audit_record(
            actor=actor,
            action="dossier.submit",
            obj=locked,
            after={"registration_no": locked.registration_no},
        )
    return locked


def _require_commune_officer(actor, dossier: Dossier) -> None:
    product = dossier.product
    if not access.is_official_over(actor, province_id=product.province_id, commune_id=product.commune_id):
        raise PermissionDenied(_("Only the commune (or the province) checks this dossier."))


def dossier_commune_check(
    *,
    actor,
    dossier: Dossier,
    passed: bool,
    report: dict[str, str] | None = None,
    reason: str = "",
    knockout_reasons: list[str] | None = None,
) -> Dossier:
    """Art. 7.2: the commune checks origin, local labour, local materials and local identity, then
    passes the dossier with its report (Mẫu 03) or returns it with reasons."""
    _require_commune_officer(actor, dossier)
    if not Dossier.objects.filter(pk=dossier.pk, status=Dossier.Status.SUBMITTED).exists():
        raise ValidationError(_("Only a submitted dossier can be checked."))
    report = report or {}
    errors: dict[str, list[str]] = {}
    clean: dict[str, str] = {}
    for name in COMMUNE_REPORT_FIELDS:
        try:
            clean[name] = plain_text(report.get(name, ""), field=name)
        except ValidationError as exc:
            errors.update(exc.message_dict)
        if passed and not clean.get(name) and name not in errors:
            errors.setdefault(name, []).append(_("The commune report needs this finding."))
    try:
        reason = plain_text(reason, field="reason")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if not passed and not reason:
        errors.setdefault("reason", []).append(
            _("Say why the dossier is returned, so the entity can fix it.")
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().select_related("product__commune").get(pk=dossier.pk)
        if passed:
            locked.status = Dossier.Status.PASSED
            locked.commune_report = clean
            locked.commune_checked_at = timezone.now()
            locked.knockout_reasons = [
                plain_text(r, field="knockout_reasons") for r in knockout_reasons or []
            ]
            product = locked.product
            if not product.code:
                year = timezone.localdate().year
                number = _counter_next(commune=product.commune, year=year, kind=CommuneCounter.Kind.PRODUCT)
                # Art. 6 / Annex: (province code)-(commune code)-(number kept by the commune)-(year).
                Product.objects.filter(pk=product.pk).update(
                    code=f"{product.province_id}-{product.commune_id}-{number:03d}-{year}"
                )
        else:
            locked.status = Dossier.Status.RETURNED
            locked.return_reason = reason
        locked.save()
        audit_record(
            actor=actor,
            action="dossier.commune_pass" if passed else "dossier.commune_return",
            obj=locked,
            after={"report": clean} if passed else None,
            reason=reason,
        )
    return locked
