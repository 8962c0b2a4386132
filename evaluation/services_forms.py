"""Whole-sheet writes: a page posts every criterion at once (Mẫu 02, a member's score sheet); these
apply the per-criterion services in one transaction, so a page never stores half a sheet.

Only the rows that changed go through the services: an unchanged carried-over answer stays marked as
carried over, and the audit log records what a user changed, not every row of every save.
Errors are keyed `<field>_<criterion id>` (option, note, evidence) so a form shows each beside its
criterion; a message every row gave is about the whole sheet and is reported once."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction

from evaluation.models import Criterion, CriterionOption, Dossier, Score
from evaluation.services_council import _assignment_of, score_record
from evaluation.services_dossiers import _editable, self_assessment_set
from ocop_hub.text import nfc
from registry import access
from registry.models import Evidence


@dataclass(frozen=True)
class Answer:
    """The entity's answer on one criterion of Mẫu 02."""

    criterion: Criterion
    option: CriterionOption
    note: str = ""
    evidence: tuple[Evidence, ...] = field(default_factory=tuple)


def _raise_collected(errors: dict[str, list[str]], rows: int) -> None:
    if not errors:
        return
    # A message that every changed row gave (the dossier was submitted, scoring is closed …) is shown
    # once for the sheet rather than beside each of 32 criteria.
    common: set[str] = set()
    if rows > 1 and len(errors) == rows:
        common = set.intersection(*(set(m) for m in errors.values()))
    collected: dict[str, list[str]] = {}
    for key, messages in errors.items():
        rest = [m for m in messages if m not in common]
        if rest:
            collected[key] = rest
    if common:
        collected[NON_FIELD_ERRORS] = sorted(common)
    raise ValidationError(collected)


def self_assessment_save_all(*, actor, dossier: Dossier, answers: Iterable[Answer]) -> int:
    """Mẫu 02 in one go: `self_assessment_set` for each changed answer; all or nothing.
    Returns how many answers changed."""
    # Checked once for the sheet, so that even a sheet with nothing changed is refused where it must be.
    access.require(access.can_manage_product(actor, dossier.product))
    _editable(dossier)
    existing = {row.criterion_id: row for row in dossier.self_assessments.prefetch_related("evidence").all()}
    changed = []
    for answer in answers:
        row = existing.get(answer.criterion.pk)
        if (
            row is None
            or row.option_id != answer.option.pk
            or row.note != nfc(answer.note)
            or {doc.pk for doc in row.evidence.all()} != {doc.pk for doc in answer.evidence}
        ):
            changed.append(answer)
    errors: dict[str, list[str]] = {}
    with transaction.atomic():
        for answer in changed:
            try:
                self_assessment_set(
                    actor=actor,
                    dossier=dossier,
                    criterion=answer.criterion,
                    option=answer.option,
                    note=answer.note,
                    evidence=answer.evidence,
                )
            except ValidationError as exc:
                if not hasattr(exc, "error_dict"):
                    raise  # about the dossier (it was submitted), not this criterion
                for name, messages in exc.message_dict.items():
                    key = name if name in ("option", "note", "evidence") else "option"
                    errors.setdefault(f"{key}_{answer.criterion.pk}", []).extend(messages)
        _raise_collected(errors, len(changed))
    return len(changed)


def scores_save_all(*, actor, dossier: Dossier, choices: Iterable[tuple[Criterion, CriterionOption]]) -> int:
    """A council member's sheet in one go: `score_record` for each changed criterion; all or nothing.
    Returns how many scores changed."""
    _assignment_of(actor, dossier)  # PermissionDenied for a dossier not assigned to the actor
    existing = dict(
        Score.objects.filter(assignment__dossier=dossier, assignment__member__user=actor).values_list(
            "criterion_id", "option_id"
        )
    )
    changed = [(c, o) for c, o in choices if existing.get(c.pk) != o.pk]
    errors: dict[str, list[str]] = {}
    with transaction.atomic():
        for criterion, option in changed:
            try:
                score_record(actor=actor, dossier=dossier, criterion=criterion, option=option)
            except ValidationError as exc:
                errors.setdefault(f"option_{criterion.pk}", []).extend(exc.messages)
        _raise_collected(errors, len(changed))
    return len(changed)
