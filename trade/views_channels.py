"""A product's page "Where it is sold", for its producer (and the officials over it): online
channels and the outlets that stock it. Linked from the producer's product page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from registry.forms import apply_service_errors
from traceability import selectors as trace_selectors
from trade import selectors
from trade.forms import ChannelForm, StockForm
from trade.services_channels import sales_channel_add, sales_channel_remove
from trade.services_outlets import outlet_product_add, outlet_product_remove
from web.refusals import get_or_404


def _page(request, product, *, channel_form=None, stock_form=None):
    context = {
        "product": product,
        "channels": selectors.channels_of(product),
        "stock": selectors.stock_of(product),
        "events": selectors.events_of(product),
        "channel_form": channel_form or ChannelForm(),
        "stock_form": stock_form or StockForm(),
    }
    return render(request, "trade/product_sales.html", context)


@login_required
def product_sales(request, pk: int):
    return _page(request, get_or_404(trace_selectors.product_managed, request.user, pk))


@login_required
@require_POST
def channel_add_view(request, pk: int):
    product = get_or_404(trace_selectors.product_managed, request.user, pk)
    form = ChannelForm(request.POST)
    if not form.is_valid():
        return _page(request, product, channel_form=form)
    try:
        sales_channel_add(actor=request.user, product=product, **form.cleaned_data)
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return _page(request, product, channel_form=form)
    messages.success(request, _("The channel is added."))
    return redirect("trade:product_sales", pk=product.pk)


@login_required
@require_POST
def channel_remove_view(request, pk: int, channel_pk: int):
    product = get_or_404(trace_selectors.product_managed, request.user, pk)
    channel = get_or_404(selectors.channel_of, product, channel_pk)
    sales_channel_remove(actor=request.user, channel=channel)
    messages.success(request, _("The channel is removed."))
    return redirect("trade:product_sales", pk=product.pk)


@login_required
@require_POST
def stock_add_view(request, pk: int):
    product = get_or_404(trace_selectors.product_managed, request.user, pk)
    form = StockForm(request.POST)
    if not form.is_valid():
        return _page(request, product, stock_form=form)
    try:
        outlet_product_add(actor=request.user, product=product, **form.cleaned_data)
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return _page(request, product, stock_form=form)
    messages.success(request, _("The outlet is listed as selling this product."))
    return redirect("trade:product_sales", pk=product.pk)


@login_required
@require_POST
def stock_remove_view(request, pk: int, link_pk: int):
    product = get_or_404(trace_selectors.product_managed, request.user, pk)
    link = get_or_404(selectors.stock_link_of, product, link_pk)
    outlet_product_remove(actor=request.user, link=link)
    messages.success(request, _("The outlet is no longer listed for this product."))
    return redirect("trade:product_sales", pk=product.pk)
