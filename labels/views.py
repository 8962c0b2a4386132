"""A product's label sheets: the print form and its jobs, a job's page (progress, then download)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from labels import selectors, services
from labels.forms import LabelJobForm
from labels.models import LabelJob
from registry.forms import apply_service_errors
from traceability import selectors as trace_selectors
from web.pagination import paginate
from web.refusals import get_or_404


def _page(request, product, form, status=200):
    context = {"product": product, "form": form, "page": paginate(request, selectors.jobs_of(product))}
    return render(request, "labels/jobs.html", context, status=status)


@login_required
def label_jobs(request, pk: int):
    product = get_or_404(trace_selectors.product_managed, request.user, pk)
    if request.method != "POST":
        initial = {}
        if request.GET.get("lot", "").isdigit():
            initial["lot"] = int(request.GET["lot"])
        return _page(request, product, LabelJobForm(product=product, initial=initial))
    form = LabelJobForm(request.POST, product=product)
    if not form.is_valid():
        return _page(request, product, form)
    try:
        job = services.label_job_create(actor=request.user, product=product, **form.cleaned_data)
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return _page(request, product, form)
    if job.status == LabelJob.Status.DONE:
        messages.success(request, _("The labels are ready to download."))
    elif job.status == LabelJob.Status.QUEUED:
        messages.success(
            request, _("The labels are being made in the background: this page shows the progress.")
        )
    return redirect("labels:job", pk=product.pk, job_pk=job.pk)


@login_required
def label_job(request, pk: int, job_pk: int):
    product = get_or_404(trace_selectors.product_managed, request.user, pk)
    job = get_or_404(selectors.job_of, product, job_pk)
    done = services.progress_of(job)
    context = {
        "product": product,
        "job": job,
        "done": done,
        "percent": min(100, round(100 * done / job.count)) if job.count else 0,
    }
    return render(request, "labels/job.html", context)


@login_required
def label_job_download(request, pk: int, job_pk: int):
    product = get_or_404(trace_selectors.product_managed, request.user, pk)
    job = get_or_404(selectors.job_of, product, job_pk)
    if job.status != LabelJob.Status.DONE or not job.output:
        raise Http404(_("These labels are not ready."))
    content_type = {"pdf": "application/pdf", "csv": "text/csv; charset=utf-8"}.get(
        job.output_format, "application/zip"
    )
    response = FileResponse(
        job.output.open("rb"),
        as_attachment=True,
        filename=f"nhan-{product.pk}-{job.pk}.{job.extension}",
        content_type=content_type,
    )
    return response
