"""Officials' import and export pages: thin, each parses, calls one service or selector, renders."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from registry import access
from transfers import exports, selectors, services
from transfers.columns import KINDS
from transfers.forms import ImportUploadForm
from transfers.models import ImportRow
from web.pagination import paginate
from web.refusals import get_or_404, show_refusal

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LIST_FILTERS = {
    "entities": ("query", "province", "commune", "kind"),
    "products": ("query", "province", "commune", "group", "category", "status"),
    "recognitions": ("query", "province", "commune", "kind"),
    "certificates": ("query", "province", "commune", "group", "category", "status"),
}


def _official(request) -> None:
    if not access.scope_of(request.user).is_official:
        raise PermissionDenied(_("Only commune, province and national officials can import files."))


@login_required
def import_list(request):
    _official(request)
    form = ImportUploadForm()
    if request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                job = services.import_job_create(
                    actor=request.user, upload=form.cleaned_data["file"], kind_hint=form.cleaned_data["kind"]
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error("file", message)
            else:
                return redirect("transfers:import_detail", pk=job.pk)
    page = paginate(request, selectors.imports_visible_to(request.user))
    return render(
        request, "transfers/import_list.html", {"form": form, "page": page, "kinds": KINDS.values()}
    )


@login_required
def import_detail(request, pk: int):
    job = get_or_404(selectors.import_detail, request.user, pk)
    outcome = request.GET.get("outcome", "")
    if outcome not in ImportRow.Outcome.values:
        outcome = ImportRow.Outcome.ERROR if job.error_count else ""
    rows = selectors.import_rows(job, outcome=outcome)
    done, total = services.progress_of(job)
    return render(
        request,
        "transfers/import_detail.html",
        {
            "job": job,
            "page": paginate(request, rows, per_page=50),
            "outcome": outcome,
            "outcomes": ImportRow.Outcome.choices,
            "counts": selectors.import_counts(job),
            "done": done,
            "total": total,
            "percent": min(100, round(100 * done / total)) if total else 0,
            "columns": {name: sheet.get("columns", {}) for name, sheet in job.sheets.items()},
            "can_confirm": job.status == job.Status.PREVIEWED and not job.error_count and job.change_count,
        },
    )


@login_required
@require_POST
def import_confirm(request, pk: int):
    job = get_or_404(selectors.import_detail, request.user, pk)
    try:
        services.import_apply_confirm(actor=request.user, job=job)
    except (ValidationError, PermissionDenied) as exc:
        show_refusal(request, exc)
    else:
        messages.success(request, _("Confirmed: the file is being applied. You can close this page."))
    return redirect("transfers:import_detail", pk=job.pk)


@login_required
@require_POST
def import_cancel(request, pk: int):
    job = get_or_404(selectors.import_detail, request.user, pk)
    try:
        services.import_job_cancel(actor=request.user, job=job)
    except (ValidationError, PermissionDenied) as exc:
        show_refusal(request, exc)
    return redirect("transfers:import_list")


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def import_template(request, kind: str, fmt: str):
    """Empty files with the headers (and, in the workbook, a sheet explaining every column)."""
    if kind == "all" and fmt == "xlsx":
        return _download(
            exports.export_xlsx(None, exports.all_kinds(), {}, template=True), "ocop-mau-nhap.xlsx", XLSX
        )
    if kind not in KINDS or fmt not in ("xlsx", "csv"):
        raise Http404
    if fmt == "csv":
        return _download(
            exports.export_csv(None, KINDS[kind], {}, template=True), f"ocop-mau-{kind}.csv", "text/csv"
        )
    return _download(
        exports.export_xlsx(None, [KINDS[kind]], {}, template=True), f"ocop-mau-{kind}.xlsx", XLSX
    )


@login_required
def export(request, kind: str, fmt: str):
    """The lists' rows as import files, filtered by the same query string as the list pages."""
    if kind not in KINDS or fmt not in ("xlsx", "csv"):
        raise Http404
    if not access.scope_of(request.user).can_write:
        raise PermissionDenied(_("Exports are for officials and entity members."))
    filters = {k: request.GET.get(k, "") for k in LIST_FILTERS[kind] if request.GET.get(k)}
    if kind in ("recognitions", "certificates") and "kind" in filters:
        filters.pop("kind")
    if kind == "recognitions":
        filters = {k: v for k, v in filters.items() if k in ("query", "province", "commune")}
    name = f"ocop-{kind}"
    if fmt == "csv":
        return _download(
            exports.export_csv(request.user, KINDS[kind], filters), f"{name}.csv", "text/csv; charset=utf-8"
        )
    return _download(exports.export_xlsx(request.user, [KINDS[kind]], filters), f"{name}.xlsx", XLSX)
