"""Buyers' pages (register, inquiries, the combined answer), producers' "Buyer requests", and officials'
buyer verification and demand-vs-capacity table. Thin: parse, call one service or selector, render."""

from datetime import date

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inquiries import selectors, services, services_answers, services_buyers
from inquiries.forms import BuyerForm, BuyerSignUpForm, CancelForm, DeclineForm, DemandFilterForm, InquiryForm
from inquiries.models import Inquiry, OfferShare
from places.selectors import provinces_list
from registry import access
from registry.forms import apply_service_errors
from scans.services import is_rate_limited
from web.pagination import paginate
from web.refusals import get_or_404, show_refusal

# --- buyers ---------------------------------------------------------------------------------------------


def buyer_register(request):
    if not request.user.is_authenticated:
        return _buyer_sign_up(request)
    if selectors.buyer_profile_of(request.user) is not None:
        return redirect("inquiries:inquiry_list")
    form = BuyerForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services_buyers.buyer_register(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _(
                        "Your organisation is registered. You can send inquiries now; producers' contact "
                        "details are shown once an official of your province has verified it."
                    ),
                )
                return redirect("inquiries:inquiry_list")
    return render(request, "inquiries/buyer_register.html", {"form": form}, status=status)


def _buyer_sign_up(request):
    form = BuyerSignUpForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = dict(form.cleaned_data)
            if data.pop("website"):
                # The honeypot was filled: a robot. Answered like a success, and nothing is kept.
                messages.success(request, _("Your account is opened."))
                return redirect("web:home")
            try:
                buyer = services_buyers.buyer_sign_up(request=request, **data)
            except ValidationError as exc:
                status = 429 if is_rate_limited(exc) else 400
                apply_service_errors(form, exc)
            else:
                login(request, buyer.user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(
                    request,
                    _(
                        "Your account is opened and your organisation registered. You can send inquiries "
                        "now; producers' contact details are shown once an official of your province has "
                        "verified it."
                    ),
                )
                return redirect("inquiries:inquiry_list")
    return render(request, "inquiries/buyer_register.html", {"form": form, "sign_up": True}, status=status)


@login_required
def inquiry_list(request):
    buyer = selectors.buyer_profile_of(request.user)
    if buyer is None:
        return redirect("inquiries:buyer_register")
    status = request.GET.get("status", "")
    if status not in Inquiry.Status.values:
        status = ""
    page = paginate(request, selectors.inquiries_of(request.user, status=status))
    return render(
        request,
        "inquiries/inquiry_list.html",
        {"buyer": buyer, "page": page, "status": status, "statuses": Inquiry.Status.choices},
    )


@login_required
def inquiry_create(request):
    buyer = selectors.buyer_profile_of(request.user)
    if buyer is None:
        return redirect("inquiries:buyer_register")
    form = InquiryForm(
        request.POST or None, initial={"destination_province": buyer.province_id, "unit": "kg"}
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = dict(form.cleaned_data)
            if data.pop("website"):
                # The honeypot was filled: a robot. Answered like a success, and nothing is kept.
                messages.success(request, _("Your inquiry was sent."))
                return redirect("inquiries:inquiry_list")
            try:
                inquiry = services.inquiry_submit(actor=request.user, buyer=buyer, **data)
            except ValidationError as exc:
                status = 429 if is_rate_limited(exc) else 400
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("Your inquiry was sent."))
                return redirect("inquiries:inquiry_detail", pk=inquiry.pk)
    return render(request, "inquiries/inquiry_form.html", {"form": form, "buyer": buyer}, status=status)


@login_required
def inquiry_detail(request, pk: int):
    inquiry = get_or_404(selectors.inquiry_of_buyer, request.user, pk)
    buyer = inquiry.buyer
    shares = [
        {"share": share, "contacts": selectors.contacts_visible(buyer=buyer, share=share)}
        for share in inquiry.shares.all()
    ]
    return render(
        request,
        "inquiries/inquiry_detail.html",
        {
            "inquiry": inquiry,
            "buyer": buyer,
            "shares": shares,
            "totals": selectors.share_totals(inquiry),
            "cancel_form": CancelForm(),
            "can_cancel": inquiry.is_live or inquiry.status == Inquiry.Status.COVERED,
        },
    )


@login_required
@require_POST
def inquiry_cancel(request, pk: int):
    inquiry = get_or_404(selectors.inquiry_of_buyer, request.user, pk)
    form = CancelForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Please keep the reason under 500 characters."))
        services.inquiry_cancel(actor=request.user, inquiry=inquiry, reason=form.cleaned_data["reason"])
    except (ValidationError, PermissionDenied) as exc:
        show_refusal(request, exc)
    else:
        messages.success(request, _("The inquiry was cancelled; the producers were released from it."))
    return redirect("inquiries:inquiry_detail", pk=inquiry.pk)


# --- producers --------------------------------------------------------------------------------------------


@login_required
def buyer_requests(request):
    """Shares proposed to the user's producer entities, to accept or decline."""
    if not access.scope_of(request.user).is_entity_member:
        raise PermissionDenied(_("Only members of a producer entity answer buyers' requests."))
    status = request.GET.get("status", "")
    if status not in OfferShare.Status.values:
        status = ""
    page = paginate(request, selectors.shares_for_producer(request.user, status=status))
    rows = [
        {"share": share, "contacts": selectors.contacts_visible(buyer=share.inquiry.buyer, share=share)}
        for share in page.object_list
    ]
    return render(
        request,
        "inquiries/buyer_requests.html",
        {
            "page": page,
            "rows": rows,
            "status": status,
            "statuses": OfferShare.Status.choices,
            "decline_form": DeclineForm(),
        },
    )


@login_required
@require_POST
def share_accept(request, pk: int):
    share = get_or_404(selectors.share_for_producer, request.user, pk)
    try:
        services_answers.offer_share_accept(actor=request.user, share=share)
    except (ValidationError, PermissionDenied) as exc:
        show_refusal(request, exc)
    else:
        messages.success(request, _("You accepted your share; the buyer sees your contact details now."))
    return redirect("inquiries:buyer_requests")


@login_required
@require_POST
def share_decline(request, pk: int):
    share = get_or_404(selectors.share_for_producer, request.user, pk)
    form = DeclineForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Please keep the reason under 500 characters."))
        services_answers.offer_share_decline(
            actor=request.user, share=share, reason=form.cleaned_data["reason"]
        )
    except (ValidationError, PermissionDenied) as exc:
        show_refusal(request, exc)
    else:
        messages.success(request, _("You declined your share; the platform asks other producers."))
    return redirect("inquiries:buyer_requests")


# --- officials ----------------------------------------------------------------------------------------------


@login_required
def buyer_list(request):
    if not selectors.may_verify_buyers(request.user):
        raise PermissionDenied(_("Only province and national officials verify buyers."))
    state = request.GET.get("state", "waiting")
    if state not in ("waiting", "verified", "all"):
        state = "waiting"
    page = paginate(request, selectors.buyers_for_official(request.user, state=state))
    return render(request, "inquiries/buyer_list.html", {"page": page, "state": state})


@login_required
@require_POST
def buyer_verify(request, pk: int):
    buyer = get_or_404(selectors.buyer_for_official, request.user, pk)
    try:
        services_buyers.buyer_verify(actor=request.user, buyer=buyer)
    except (ValidationError, PermissionDenied) as exc:
        show_refusal(request, exc)
    else:
        messages.success(request, _("%(buyer)s is verified.") % {"buyer": buyer.organisation})
    return redirect(reverse("inquiries:buyer_list") + "?state=waiting")


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@login_required
def demand(request):
    """Demand vs declared capacity by product type, for officials (their provinces; national: all)."""
    allowed = selectors.demand_provinces(request.user)
    if allowed is not None and not allowed:
        raise PermissionDenied(_("Only province and national officials see demand and capacity."))
    today = timezone.localdate()
    form = DemandFilterForm(request.GET or None)
    first, last, province = today.replace(day=1), _add_months(today, 5), ""
    if form.is_bound:
        if form.is_valid():
            first = form.cleaned_data["month_from"] or first
            last = form.cleaned_data["month_to"] or last
            province = form.cleaned_data["province"]
        else:
            messages.error(request, _("Choose the months as year and month, e.g. 2026-12."))
        if last < first:
            messages.error(request, _("The last month cannot be before the first; the first month is shown."))
            last = first
        if _add_months(first, 36) <= last:
            messages.error(request, _("A period covers at most 36 months; the first 36 are shown."))
            last = _add_months(first, 35)
    table = selectors.demand_vs_capacity(
        request.user, province=province, first_month=first, last_month=last, today=today
    )
    provinces = provinces_list() if allowed is None else provinces_list().filter(code__in=allowed)
    return render(
        request,
        "inquiries/demand.html",
        {
            "table": table,
            "first": first,
            "last": last,
            "province": province,
            "provinces": provinces,
        },
    )
