"""The evaluation pages: rounds, dossiers (Mẫu 01/02/03), council scoring and the explained result.
Thin: each parses, calls one selector or service, renders (council scoring and the result are in
views_council). Every record is looked up through a
selector scoped to the user's jurisdiction, so what is outside it is "not found"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from evaluation import selectors, services_council, services_dossiers, services_forms
from evaluation.forms import (
    AssignForm,
    CloseRoundForm,
    CommuneCheckForm,
    CouncilMemberForm,
    DossierForm,
    ForwardForm,
    RoundForm,
    SelfAssessmentForm,
)
from evaluation.models import Dossier
from places.models import Province
from registry import access
from registry import selectors as registry_selectors
from registry.forms import apply_service_errors
from web.pagination import paginate
from web.refusals import get_or_404, show_refusal


def _form_refused(request, form) -> None:
    for field_errors in form.errors.values():
        for message in field_errors:
            messages.error(request, str(message))


# --- rounds ---------------------------------------------------------------------------------------


@login_required
def round_list(request):
    scope = access.scope_of(request.user)
    page = paginate(request, selectors.rounds_visible_to(request.user))
    return render(
        request,
        "evaluation/round_list.html",
        {"page": page, "can_open": scope.national or bool(scope.provinces)},
    )


@login_required
def round_create(request):
    scope = access.scope_of(request.user)
    if not (scope.national or scope.provinces):
        raise PermissionDenied(_("Only the province's OCOP office (or the Ministry) may do this."))
    provinces = (
        Province.objects.all() if scope.national else Province.objects.filter(code__in=scope.provinces)
    )
    default_province = next(iter(sorted(scope.provinces)), None)
    form = RoundForm(request.POST or None, provinces=provinces, initial={"province": default_province})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            evaluation_round = services_dossiers.round_open(
                actor=request.user,
                name=data["name"],
                province=data["province"],
                level_code=data["level"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                submission_deadline=data["submission_deadline"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The round was opened."))
            return redirect("evaluation:round_detail", pk=evaluation_round.pk)
    return render(request, "evaluation/round_form.html", {"form": form})


@login_required
def round_detail(request, pk: int):
    evaluation_round = get_or_404(selectors.round_detail, request.user, pk)
    can_run = selectors.can_run_round(request.user, evaluation_round)
    context = {
        "round": evaluation_round,
        "page": paginate(request, selectors.round_dossiers(request.user, evaluation_round)),
        "can_run": can_run,
        "products": selectors.products_to_register(request.user, evaluation_round),
    }
    if can_run:
        members = list(selectors.round_members(evaluation_round))
        for dossier in context["page"].object_list:
            assigned = {a.member_id for a in dossier.assignments.all()}
            dossier.unassigned_members = [m for m in members if m.pk not in assigned]
        context |= {
            "members": members,
            "member_form": CouncilMemberForm(candidates=selectors.council_candidates(evaluation_round)),
            "close_form": CloseRoundForm(),
            "forward_targets": list(selectors.forward_targets(evaluation_round)),
        }
    return render(request, "evaluation/round_detail.html", context)


@login_required
@require_POST
def round_member_add(request, pk: int):
    evaluation_round = get_or_404(selectors.round_detail, request.user, pk)
    form = CouncilMemberForm(request.POST, candidates=selectors.council_candidates(evaluation_round))
    if form.is_valid():
        try:
            services_dossiers.council_member_add(
                actor=request.user,
                evaluation_round=evaluation_round,
                user=form.cleaned_data["user"],
                is_chair=form.cleaned_data["is_chair"],
            )
        except (ValidationError, PermissionDenied) as exc:
            show_refusal(request, exc)
        else:
            messages.success(
                request,
                _("%(user)s joined the council.") % {"user": form.cleaned_data["user"].get_username()},
            )
    else:
        _form_refused(request, form)
    return redirect("evaluation:round_detail", pk=evaluation_round.pk)


@login_required
@require_POST
def round_scoring_start(request, pk: int):
    evaluation_round = get_or_404(selectors.round_detail, request.user, pk)
    try:
        services_council.round_scoring_start(actor=request.user, evaluation_round=evaluation_round)
    except (ValidationError, PermissionDenied) as exc:
        show_refusal(request, exc)
    else:
        messages.success(request, _("Scoring has started: the council members can score their dossiers."))
    return redirect("evaluation:round_detail", pk=evaluation_round.pk)


@login_required
@require_POST
def round_close(request, pk: int):
    evaluation_round = get_or_404(selectors.round_detail, request.user, pk)
    form = CloseRoundForm(request.POST)
    try:
        results = services_council.round_close(
            actor=request.user,
            evaluation_round=evaluation_round,
            reason=form.cleaned_data["reason"] if form.is_valid() else "",
        )
    except (ValidationError, PermissionDenied) as exc:
        show_refusal(request, exc)
    else:
        messages.success(request, _("The round was closed: %(n)s result(s) computed.") % {"n": len(results)})
    return redirect("evaluation:round_detail", pk=evaluation_round.pk)


@login_required
@require_POST
def dossier_assign(request, pk: int):
    dossier = get_or_404(selectors.dossier_detail, request.user, pk)
    form = AssignForm(request.POST, members=selectors.round_members(dossier.round))
    if form.is_valid():
        try:
            services_council.dossier_assign(
                actor=request.user, dossier=dossier, members=list(form.cleaned_data["members"])
            )
        except (ValidationError, PermissionDenied) as exc:
            show_refusal(request, exc)
        else:
            messages.success(request, _("The members were assigned to %(dossier)s.") % {"dossier": dossier})
    else:
        _form_refused(request, form)
    return redirect("evaluation:round_detail", pk=dossier.round_id)


@login_required
@require_POST
def dossier_forward(request, pk: int):
    dossier = get_or_404(selectors.dossier_detail, request.user, pk)
    form = ForwardForm(request.POST, targets=selectors.forward_targets(dossier.round))
    if form.is_valid():
        try:
            services_council.dossier_forward(
                actor=request.user, dossier=dossier, target_round=form.cleaned_data["target_round"]
            )
        except (ValidationError, PermissionDenied) as exc:
            show_refusal(request, exc)
        else:
            messages.success(
                request,
                _("%(dossier)s was forwarded to %(round)s.")
                % {"dossier": dossier, "round": form.cleaned_data["target_round"]},
            )
    else:
        _form_refused(request, form)
    return redirect("evaluation:round_detail", pk=dossier.round_id)


# --- dossiers: Mẫu 01, Mẫu 02 and the commune's check (Mẫu 03) -----------------------------------------


@login_required
def dossier_create(request, product_pk: int):
    product = get_or_404(registry_selectors.product_detail, request.user, product_pk)
    access.require(access.can_manage_product(request.user, product))
    form = DossierForm(
        request.POST or None,
        rounds=selectors.rounds_open_for(product),
        initial={"evaluation_round": request.GET.get("round")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            dossier = services_dossiers.dossier_create(
                actor=request.user,
                evaluation_round=form.cleaned_data["evaluation_round"],
                product=product,
                kind=form.cleaned_data["kind"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The dossier was created. Fill in the self-assessment, then submit it to the commune."),
            )
            return redirect("evaluation:dossier_detail", pk=dossier.pk)
    return render(request, "evaluation/dossier_form.html", {"form": form, "product": product})


@login_required
def dossier_detail(request, pk: int):
    """Mẫu 01 and Mẫu 02; the entity fills the self-assessment here and posts every criterion at once."""
    dossier = get_or_404(selectors.dossier_detail, request.user, pk)
    sheet = selectors.criteria_sheet(dossier.criteria_set)
    answers = selectors.self_assessments_of(dossier)
    form = SelfAssessmentForm(
        request.POST or None,
        sheet=sheet,
        evidence=list(selectors.evidence_library(dossier)),
        answers=answers,
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                changed = services_forms.self_assessment_save_all(
                    actor=request.user, dossier=dossier, answers=form.answers()
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            except PermissionDenied as exc:
                show_refusal(request, exc)
                return redirect("evaluation:dossier_detail", pk=dossier.pk)
            else:
                messages.success(
                    request, _("The self-assessment was saved (%(n)s answer(s) changed).") % {"n": changed}
                )
                return redirect("evaluation:dossier_detail", pk=dossier.pk)
        messages.error(request, _("Nothing was saved: correct the criteria marked below."))
    can_edit = dossier.status in (
        Dossier.Status.DRAFT,
        Dossier.Status.RETURNED,
    ) and access.can_manage_product(request.user, dossier.product)
    return render(
        request,
        "evaluation/dossier_detail.html",
        {
            "dossier": dossier,
            "form": form,
            "answers": answers,
            "answered": len(answers),
            "total": len(form.criteria),
            "can_edit": can_edit,
            "can_check": dossier.status == Dossier.Status.SUBMITTED
            and selectors.dossiers_checkable_by(request.user).filter(pk=dossier.pk).exists(),
        },
    )


@login_required
@require_POST
def dossier_submit(request, pk: int):
    dossier = get_or_404(selectors.dossier_detail, request.user, pk)
    try:
        dossier = services_dossiers.dossier_submit(actor=request.user, dossier=dossier)
    except (ValidationError, PermissionDenied) as exc:
        show_refusal(request, exc)
    else:
        messages.success(
            request,
            _("The dossier was submitted to the commune: receipt %(no)s.") % {"no": dossier.registration_no},
        )
    return redirect("evaluation:dossier_detail", pk=dossier.pk)


@login_required
def dossiers_to_check(request):
    page = paginate(request, selectors.dossiers_to_check(request.user))
    return render(request, "evaluation/dossiers_to_check.html", {"page": page})


@login_required
def dossier_check(request, pk: int):
    """Art. 7.2: the commune's findings (Mẫu 03), then pass the dossier on or return it."""
    dossier = get_or_404(selectors.dossier_detail, request.user, pk)
    if not selectors.dossiers_checkable_by(request.user).filter(pk=dossier.pk).exists():
        raise Http404(_("Not found, or not in your jurisdiction."))
    form = CommuneCheckForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        passed = form.cleaned_data["decision"] == CommuneCheckForm.ACCEPT
        try:
            services_dossiers.dossier_commune_check(
                actor=request.user,
                dossier=dossier,
                passed=passed,
                report=form.report(),
                reason=form.cleaned_data["reason"],
                knockout_reasons=form.knockouts(),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            if passed:
                messages.success(request, _("The dossier was passed to the province council."))
            else:
                messages.success(request, _("The dossier was returned to the entity."))
            return redirect("evaluation:dossiers_to_check")
    return render(request, "evaluation/dossier_check.html", {"dossier": dossier, "form": form})


@login_required
def dossier_evidence(request, pk: int, evidence_pk: int):
    """A document of the dossier's self-assessment, for whoever may see the dossier (the council reads
    it beside the criterion); private: never served from /media/."""
    dossier = get_or_404(selectors.dossier_detail, request.user, pk)
    evidence = get_or_404(selectors.dossier_evidence, dossier, evidence_pk)
    extension = (evidence.file.name or "").rsplit(".", 1)[-1]
    return FileResponse(
        evidence.file.open("rb"),
        content_type=evidence.content_type,
        filename=f"evidence-{evidence.pk}.{extension}",
    )
