"""Consumers' fake reports and shared places (public, CSRF-protected), and the review queue of
officials and producers. Thin: parse, call one service or selector, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from registry.forms import apply_service_errors
from scans import selectors, services
from scans.forms import DecisionForm, FakeReportForm, LocateForm
from scans.models import SuspectCase
from traceability.scan_story import SCAN_UI_LANGUAGES
from web.pagination import paginate
from web.refusals import get_or_404, show_refusal


def report(request):
    """The "report a fake" form of a scanned code, opened from the scan page in the language the page
    spoke (`?lang=`, kept through the post)."""
    ui = request.GET.get("lang", "")
    if ui not in SCAN_UI_LANGUAGES:
        return _report(request)
    with translation.override(ui):
        return _report(request)


def _report(request):
    code = request.POST.get("code") if request.method == "POST" else request.GET.get("code", "")
    scanned = selectors.code_context(code or "")
    if scanned.get("status"):
        return render(request, "scans/report.html", {"problem": scanned["problem"]}, status=400)
    if request.method != "POST":
        form = FakeReportForm(initial={"code": code})
        return render(
            request, "scans/report.html", {"scan": {"report_form": form}, "product": scanned["product"]}
        )
    form = FakeReportForm(request.POST)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        if data["website"]:
            # The honeypot was filled: a robot. Thanked like anyone, and nothing is kept.
            return render(request, "scans/report.html", {"sent": True, "product": scanned["product"]})
        try:
            services.fake_report_submit(
                request=request,
                code_path=data["code"],
                problem=data["problem"],
                where_bought=data["where_bought"],
                message=data["message"],
                contact=data["contact"],
            )
        except ValidationError as exc:
            status = 429 if services.is_rate_limited(exc) else 400
            apply_service_errors(form, exc)
        else:
            return render(request, "scans/report.html", {"sent": True, "product": scanned["product"]})
    return render(
        request,
        "scans/report.html",
        {"scan": {"report_form": form}, "product": scanned["product"]},
        status=status,
    )


@csrf_exempt  # the scan page carries no CSRF token (it is cached); the header below stands in
@require_POST
def locate(request):
    """A place the visitor's browser shared (after they pressed the button), posted by the page's
    script with the X-OCOP-Locate header: another site's form cannot set a header, and a script of
    another origin would need a CORS preflight this view never grants."""
    if request.headers.get("X-OCOP-Locate") != "1":
        return JsonResponse(
            {"suspect": False, "message": _("The check could not be completed; please try again later.")},
            status=403,
        )
    form = LocateForm(request.POST)
    wants_json = "application/json" in request.headers.get("Accept", "")
    status = 200
    try:
        if not form.is_valid():
            raise ValidationError(_("The browser sent no usable location; nothing was recorded."))
        answer = services.scan_locate(
            request=request,
            code_path=form.cleaned_data["code"],
            latitude=form.cleaned_data["latitude"],
            longitude=form.cleaned_data["longitude"],
        )
        suspect, message = answer.suspect, answer.message
    except ValidationError as exc:
        status = 429 if services.is_rate_limited(exc) else 400
        suspect, message = False, " ".join(exc.messages)
    if wants_json:
        return JsonResponse({"suspect": suspect, "message": message}, status=status)
    return render(
        request,
        "scans/located.html",
        {"suspect": suspect, "message": message, "ok": status == 200},
        status=status,
    )


QUEUE_FILTERS = ("status", "kind", "serial")


@login_required
def queue(request):
    """Alerts and fake reports of the products in the reviewer's jurisdiction."""
    if not selectors.may_review(request.user):
        raise PermissionDenied(_("Only officials and producers review suspect codes."))
    filters = {name: request.GET.get(name, "").strip()[:40] for name in QUEUE_FILTERS}
    if filters["status"] not in SuspectCase.Status.values:
        filters["status"] = ""
    if filters["kind"] not in SuspectCase.Kind.values:
        filters["kind"] = ""
    page = paginate(request, selectors.cases_visible_to(request.user, **filters))
    return render(
        request,
        "scans/queue.html",
        {
            "page": page,
            "filters": filters,
            "statuses": SuspectCase.Status.choices,
            "kinds": SuspectCase.Kind.choices,
            "decision_form": DecisionForm(),
        },
    )


@login_required
@require_POST
def decide(request, pk: int):
    case = get_or_404(selectors.case_for_review, request.user, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    else:
        try:
            services.suspect_case_decide(
                actor=request.user,
                case=case,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            )
        except (ValidationError, PermissionDenied) as exc:
            show_refusal(request, exc)
        else:
            messages.success(request, _("The decision was recorded."))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("scans:queue")
    return redirect(back)
