"""Council scoring and the result: members score only the dossiers assigned to them, independently;
closing the round computes each result (evaluation.scoring) and stores it with its computation."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from evaluation.models import (
    Assignment,
    CouncilMember,
    Criterion,
    CriterionOption,
    Dossier,
    DossierResult,
    EvaluationRound,
    Score,
    StarBand,
)
from evaluation.scoring import Band, CriterionRule, Outcome, outcome_compute
from evaluation.services_dossiers import _require_official_of_province
from registry.models import Role


def dossier_assign(*, actor, dossier: Dossier, members: list[CouncilMember]) -> list[Assignment]:
    _require_official_of_province(actor, dossier.round.province)
    errors: list[str] = []
    if dossier.status != Dossier.Status.PASSED:
        errors.append(_("Only a dossier passed by the commune goes to the council."))
    if dossier.round.status == EvaluationRound.Status.CLOSED:
        errors.append(_("This round is closed."))
    for member in members:
        if member.round_id != dossier.round_id:
            errors.append(_("%(user)s is not a member of this round's council.") % {"user": member.user})
        # Conflict of interest: a member of the producing entity never scores its product.
        elif Role.objects.filter(
            user=member.user_id, kind=Role.Kind.ENTITY_MEMBER, entity=dossier.product.entity_id
        ).exists():
            errors.append(
                _("%(user)s belongs to the producing entity and cannot score this dossier.")
                % {"user": member.user}
            )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        created = [Assignment.objects.get_or_create(dossier=dossier, member=m)[0] for m in members]
        audit_record(
            actor=actor,
            action="dossier.assign",
            obj=dossier,
            after={"members": [m.user.get_username() for m in members]},
        )
    return created


def round_scoring_start(*, actor, evaluation_round: EvaluationRound) -> EvaluationRound:
    _require_official_of_province(actor, evaluation_round.province)
    if evaluation_round.status != EvaluationRound.Status.OPEN:
        raise ValidationError(_("Scoring can only start in an open round."))
    unassigned = Dossier.objects.filter(
        round=evaluation_round, status=Dossier.Status.PASSED, assignments__isnull=True
    )
    if unassigned.exists():
        raise ValidationError(
            [_("%(dossier)s has no council member assigned.") % {"dossier": d} for d in unassigned]
        )
    with transaction.atomic():
        evaluation_round.status = EvaluationRound.Status.SCORING
        evaluation_round.save(update_fields=["status"])
        audit_record(
            actor=actor, action="round.scoring_start", obj=evaluation_round, after={"status": "scoring"}
        )
    return evaluation_round


def _assignment_of(actor, dossier: Dossier) -> Assignment:
    assignment = (
        Assignment.objects.select_related("member", "dossier__round")
        .filter(dossier=dossier, member__user=actor)
        .first()
    )
    if assignment is None:
        raise PermissionDenied(_("This dossier is not assigned to you."))
    return assignment


def score_record(*, actor, dossier: Dossier, criterion: Criterion, option: CriterionOption) -> Score:
    assignment = _assignment_of(actor, dossier)
    errors: list[str] = []
    if assignment.dossier.round.status != EvaluationRound.Status.SCORING:
        errors.append(_("Scoring is not open in this round (it has not started or it is closed)."))
    if assignment.submitted_at is not None:
        errors.append(_("You have already submitted your scores for this dossier."))
    if criterion.criteria_set_id != dossier.criteria_set_id or not criterion.scorable:
        errors.append(_("This criterion is not part of the dossier's criteria set."))
    if option.criterion_id != criterion.pk:
        errors.append(
            _("%(points)s points is not one of this criterion's options.") % {"points": option.points}
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        score, _created = Score.objects.update_or_create(
            assignment=assignment, criterion=criterion, defaults={"option": option}
        )
        audit_record(
            actor=actor,
            action="score.record",
            obj=dossier,
            after={
                "member": actor.get_username(),
                "criterion": f"{criterion.part}.{criterion.code}",
                "points": option.points,
            },
        )
    return score


def assignment_submit(*, actor, dossier: Dossier) -> Assignment:
    assignment = _assignment_of(actor, dossier)
    if assignment.dossier.round.status != EvaluationRound.Status.SCORING:
        raise ValidationError(_("Scoring is not open in this round (it has not started or it is closed)."))
    if assignment.submitted_at is not None:
        raise ValidationError(_("You have already submitted your scores for this dossier."))
    total = Criterion.objects.filter(criteria_set=dossier.criteria_set, scorable=True).count()
    done = assignment.scores.count()
    if done < total:
        raise ValidationError(
            _("You have scored %(done)s of %(total)s criteria.") % {"done": done, "total": total}
        )
    with transaction.atomic():
        assignment.submitted_at = timezone.now()
        assignment.save(update_fields=["submitted_at"])
        audit_record(actor=actor, action="score.submit", obj=dossier, after={"member": actor.get_username()})
    return assignment


def dossier_outcome(dossier: Dossier) -> Outcome:
    """The result the council's submitted scores give (also used to preview before closing)."""
    release = dossier.round.release
    criteria = list(Criterion.objects.filter(criteria_set=dossier.criteria_set, scorable=True))
    rules = [
        CriterionRule(
            c.pk,
            f"{c.part}.{c.code} {c.name_vi}",
            c.max_points,
            {int(k): int(v) for k, v in c.min_points_for_star.items()},
        )
        for c in criteria
    ]
    bands = [
        Band(b.stars, b.min_score, b.max_score, b.max_inclusive, b.certifiable)
        for b in StarBand.objects.filter(release=release)
    ]
    scores: dict[str, dict[int, int]] = {}
    for assignment in dossier.assignments.filter(submitted_at__isnull=False).select_related("member__user"):
        points = {s.criterion_id: s.option.points for s in assignment.scores.select_related("option")}
        scores[assignment.member.user.get_username()] = points
    if not scores:
        raise ValidationError(
            _("No council member has submitted scores for %(dossier)s.") % {"dossier": dossier}
        )
    return outcome_compute(
        rules=rules,
        bands=bands,
        scores=scores,
        max_star_certified=dossier.round.level.max_star_certified,
        spread_limit=Decimal(release.score_spread_limit),
        knockout_reasons=list(dossier.knockout_reasons),
    )


def round_close(*, actor, evaluation_round: EvaluationRound, reason: str = "") -> list[DossierResult]:
    """Close scoring: every scored dossier gets its result. Refused while members' totals on a dossier
    differ by more than the spread limit (they re-discuss first) or a member has not submitted."""
    _require_official_of_province(actor, evaluation_round.province)
    if evaluation_round.status != EvaluationRound.Status.SCORING:
        raise ValidationError(_("Only a round in scoring can be closed."))
    dossiers = list(
        Dossier.objects.filter(
            round=evaluation_round, status=Dossier.Status.PASSED, assignments__isnull=False
        )
        .distinct()
        .select_related("round__release", "round__level", "criteria_set")
    )
    problems: list[str] = [
        _("%(dossier)s has no council member assigned.") % {"dossier": d}
        for d in Dossier.objects.filter(
            round=evaluation_round, status=Dossier.Status.PASSED, assignments__isnull=True
        )
    ]
    outcomes: dict[int, Outcome] = {}
    for dossier in dossiers:
        pending = dossier.assignments.filter(submitted_at__isnull=True).count()
        if pending:
            problems.append(
                _("%(dossier)s: %(n)s member(s) have not submitted their scores.")
                % {"dossier": dossier, "n": pending}
            )
            continue
        outcome = dossier_outcome(dossier)
        if outcome.needs_rediscussion:
            problems.append(
                _("%(dossier)s: members' totals differ by %(spread)s points; re-discuss before closing.")
                % {"dossier": dossier, "spread": outcome.spread}
            )
        outcomes[dossier.pk] = outcome
    if problems:
        raise ValidationError(problems)
    results = []
    with transaction.atomic():
        for dossier in dossiers:
            outcome = outcomes[dossier.pk]
            result, _created = DossierResult.objects.update_or_create(
                dossier=dossier,
                defaults={
                    "average_total": outcome.average_total,
                    "band_stars": outcome.band_stars,
                    "stars": outcome.stars,
                    "potential_stars": outcome.potential_stars,
                    "knocked_out": outcome.knocked_out,
                    "breakdown": outcome.as_breakdown(),
                },
            )
            if outcome.knocked_out:
                dossier.status = Dossier.Status.REJECTED
            elif outcome.potential_stars:
                dossier.status = Dossier.Status.FORWARDED
            elif outcome.certifiable:
                dossier.status = Dossier.Status.SCORED
            else:
                dossier.status = Dossier.Status.NOT_RECOGNISED
            dossier.save(update_fields=["status"])
            audit_record(
                actor=actor,
                action="dossier.result",
                obj=dossier,
                after={
                    "average": str(outcome.average_total),
                    "stars": outcome.stars,
                    "potential": outcome.potential_stars,
                    "knocked_out": outcome.knocked_out,
                },
            )
            results.append(result)
        evaluation_round.status = EvaluationRound.Status.CLOSED
        evaluation_round.closed_at = timezone.now()
        evaluation_round.save(update_fields=["status", "closed_at"])
        audit_record(
            actor=actor,
            action="round.close",
            obj=evaluation_round,
            after={"results": len(results)},
            reason=reason,
        )
    return results


def dossier_forward(*, actor, dossier: Dossier, target_round: EvaluationRound) -> Dossier:
    """A potential higher-star dossier goes to the next level's round (26/2026: ≥ 90 at the province →
    the Ministry), with its self-assessment and the commune's report; the next council scores it anew."""
    _require_official_of_province(actor, dossier.round.province)
    level = dossier.round.level
    errors: list[str] = []
    if dossier.status != Dossier.Status.FORWARDED:
        errors.append(_("Only a potential higher-star dossier is forwarded."))
    if level.forwards_to_id is None or target_round.level_id != level.forwards_to_id:
        errors.append(_("The target round is not at the level this council forwards to."))
    if target_round.status != EvaluationRound.Status.OPEN:
        errors.append(_("The target round does not accept dossiers."))
    if Dossier.objects.filter(round=target_round, product=dossier.product).exists():
        errors.append(_("This product already has a dossier in the target round."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        forwarded = Dossier.objects.create(
            round=target_round,
            product=dossier.product,
            criteria_set=dossier.criteria_set,
            kind=dossier.kind,
            status=Dossier.Status.PASSED,
            forwarded_from=dossier,
            registration_no=dossier.registration_no,
            commune_report=dossier.commune_report,
            commune_checked_at=dossier.commune_checked_at,
            submitted_at=dossier.submitted_at,
        )
        for old in dossier.self_assessments.prefetch_related("evidence"):
            new = forwarded.self_assessments.create(
                criterion=old.criterion, option=old.option, note=old.note, carried_over=True
            )
            new.evidence.set(old.evidence.all())
        audit_record(
            actor=actor,
            action="dossier.forward",
            obj=forwarded,
            after={"from_round": dossier.round_id, "to_round": target_round.pk},
        )
    return forwarded
