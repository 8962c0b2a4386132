"""Public verification of a certificate by its code, and the printable PDF for logged-in users."""

import re

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from certificates import selectors
from certificates.models import Certificate
from certificates.pdf import certificate_pdf_render
from certificates.services import certificate_issue
from certificates.services_lifecycle import certificate_revoke
from evaluation.selectors import can_run_round, round_detail
from web.refusals import get_or_404, show_refusal


@require_GET
def verify(request, code: str):
    """What anyone who scans a label or a certificate sees: no login, plain words."""
    try:
        certificate = selectors.certificate_by_code(code)
    except Certificate.DoesNotExist:
        # A code that names no certificate is the sign of a fake: say so, with a 404 for robots.
        return render(request, "certificates/verify_unknown.html", {"code": code[:40]}, status=404)
    today = timezone.localdate()
    context = {
        "certificate": certificate,
        "product": certificate.product,
        "entity": certificate.entity,
        "verdict": selectors.certificate_verdict(certificate, today=today),
        "revocation": selectors.revocation_event(certificate),
        "history": selectors.star_history(certificate.product_id),
        "stars": range(certificate.stars),
    }
    return render(request, "certificates/verify.html", context)


@login_required
@require_GET
def certificate_pdf(request, pk: int):
    certificate = get_or_404(selectors.certificate_visible_to, request.user, pk)
    response = HttpResponse(certificate_pdf_render(certificate), content_type="application/pdf")
    filename = "GCN-OCOP-" + re.sub(r"[^A-Za-z0-9]+", "-", certificate.number).strip("-") + ".pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class IssueForm(forms.Form):
    decision_no = forms.CharField(label=_("Recognition decision number"), max_length=80)
    decision_date = forms.DateField(label=_("Decision date"), widget=forms.DateInput(attrs={"type": "date"}))


@login_required
def round_certificates(request, pk: int):
    """Officials issue the certificates of a closed round's recognised dossiers under one decision."""
    evaluation_round = get_or_404(round_detail, request.user, pk)
    if not can_run_round(request.user, evaluation_round):
        raise Http404(_("Not found, or not in your jurisdiction."))
    dossiers = list(selectors.dossiers_to_certify(evaluation_round))
    form = IssueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        chosen = {int(v) for v in request.POST.getlist("dossier") if v.isdigit()}
        issued = 0
        try:
            with transaction.atomic():
                for dossier in dossiers:
                    if dossier.pk in chosen:
                        certificate_issue(actor=request.user, dossier=dossier, **form.cleaned_data)
                        issued += 1
        except (ValidationError, PermissionDenied) as exc:
            show_refusal(request, exc)
        else:
            if issued:
                messages.success(
                    request,
                    ngettext("%(n)s certificate was issued.", "%(n)s certificates were issued.", issued)
                    % {"n": issued},
                )
            else:
                messages.error(request, _("Choose at least one dossier."))
            return redirect("certificates:round_certificates", pk=evaluation_round.pk)
    return render(
        request,
        "certificates/round_certificates.html",
        {
            "round": evaluation_round,
            "dossiers": dossiers,
            "form": form,
            "issued": selectors.certificates_of_round(evaluation_round),
        },
    )


class RevokeForm(forms.Form):
    ground = forms.ChoiceField(
        label=_("Ground for revocation (Art. 8)"), choices=Certificate.RevocationGround.choices
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    decided_on = forms.DateField(
        label=_("Date of the revocation decision"), widget=forms.DateInput(attrs={"type": "date"})
    )


@login_required
def certificate_revoke_view(request, pk: int):
    """Officials record a revocation decision; the service checks who may revoke which stars."""
    certificate = get_or_404(selectors.certificate_visible_to, request.user, pk)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            certificate_revoke(actor=request.user, certificate=certificate, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            show_refusal(request, exc)
        else:
            messages.success(request, _("The certificate was revoked."))
            return redirect("certificates:verify", code=certificate.verification_code)
    return render(request, "certificates/revoke.html", {"certificate": certificate, "form": form})
