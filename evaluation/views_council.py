"""The council's pages: a member's list and score sheet, and the explained result. Thin, like views."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from evaluation import selectors, services_council, services_forms
from evaluation.forms import ScoreSheetForm
from evaluation.models import EvaluationRound
from registry.forms import apply_service_errors
from web.pagination import paginate
from web.refusals import get_or_404, show_refusal


@login_required
def scoring_list(request):
    page = paginate(request, selectors.assignments_of(request.user))
    return render(request, "evaluation/scoring_list.html", {"page": page})


@login_required
def dossier_score(request, pk: int):
    """A member's score sheet. Only their own earlier scores are shown (selectors.scores_visible_to)."""
    dossier = get_or_404(selectors.dossier_detail, request.user, pk)
    assignment = selectors.assignment_for(request.user, dossier)
    if assignment is None:
        messages.error(request, _("This dossier is not assigned to you."))
        return redirect("evaluation:scoring_list")
    own = {
        score.criterion_id: score.option_id
        for score in selectors.scores_visible_to(request.user, dossier)
        if score.assignment_id == assignment.pk
    }
    form = ScoreSheetForm(request.POST or None, sheet=selectors.criteria_sheet(dossier.criteria_set), own=own)
    if request.method == "POST":
        if form.is_valid():
            try:
                changed = services_forms.scores_save_all(
                    actor=request.user, dossier=dossier, choices=form.choices()
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            except PermissionDenied as exc:
                show_refusal(request, exc)
                return redirect("evaluation:scoring_list")
            else:
                messages.success(request, _("Your scores were saved (%(n)s changed).") % {"n": changed})
                return redirect("evaluation:dossier_score", pk=dossier.pk)
        messages.error(request, _("Nothing was saved: correct the criteria marked below."))
    return render(
        request,
        "evaluation/dossier_score.html",
        {
            "dossier": dossier,
            "assignment": assignment,
            "form": form,
            "answers": selectors.self_assessments_of(dossier),
            "scored": len(own),
            "total": len(form.criteria),
            "can_score": dossier.round.status == EvaluationRound.Status.SCORING
            and assignment.submitted_at is None,
        },
    )


@login_required
@require_POST
def dossier_score_submit(request, pk: int):
    dossier = get_or_404(selectors.dossier_detail, request.user, pk)
    try:
        services_council.assignment_submit(actor=request.user, dossier=dossier)
    except (ValidationError, PermissionDenied) as exc:
        show_refusal(request, exc)
        return redirect("evaluation:dossier_score", pk=dossier.pk)
    messages.success(request, _("Your scores for %(dossier)s were submitted.") % {"dossier": dossier})
    return redirect("evaluation:scoring_list")


@login_required
def dossier_result(request, pk: int):
    """The result with its computation (Open Food Facts habit): anyone who may see the dossier sees why."""
    dossier = get_or_404(selectors.dossier_detail, request.user, pk)
    return render(
        request,
        "evaluation/dossier_result.html",
        {"dossier": dossier, "explained": selectors.result_explained(request.user, dossier)},
    )
