"""Outlets: the public list and page (address always, a small map when JavaScript runs), the
officials' forms, and the officials' list of what an outlet sells."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from places.models import Province
from registry.forms import apply_service_errors
from trade import access as trade_access
from trade import selectors
from trade.forms import OutletForm, OutletStockForm
from trade.models import Outlet
from trade.services_outlets import (
    outlet_create,
    outlet_product_add,
    outlet_product_remove,
    outlet_set_open,
    outlet_update,
)
from web.pagination import paginate
from web.refusals import get_or_404, show_refusal


def _map(**extra) -> dict:
    return {"tile_url": settings.OCOP_MAP_TILE_URL, "attribution": settings.OCOP_MAP_ATTRIBUTION, **extra}


def outlet_list(request):
    filters = {
        "province": request.GET.get("province", ""),
        "kind": request.GET.get("kind", ""),
        "query": request.GET.get("query", "")[:100],
    }
    if filters["kind"] not in Outlet.Kind.values:
        filters["kind"] = ""
    context = {
        "page": paginate(request, selectors.outlets_visible_to(request.user, **filters)),
        "filters": filters,
        "provinces": Province.objects.all(),
        "kinds": Outlet.Kind.choices,
        "can_add": request.user.is_authenticated and trade_access.is_official_with_province(request.user),
    }
    return render(request, "trade/outlet_list.html", context)


def _detail_page(request, outlet, *, stock_form=None, status=200):
    can_manage = request.user.is_authenticated and trade_access.can_manage_outlet(request.user, outlet)
    marker = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [float(outlet.longitude), float(outlet.latitude)],
                },
                "properties": {"kind": "outlet", "name": outlet.name, "label": outlet.address},
            }
        ],
    }
    context = _map(
        outlet=outlet,
        page=paginate(request, selectors.products_at(outlet)),
        markers=marker,
        can_manage=can_manage,
        stock=selectors.stock_at(outlet) if can_manage else None,
        stock_form=stock_form or (OutletStockForm(user=request.user) if can_manage else None),
    )
    return render(request, "trade/outlet_detail.html", context, status=status)


def outlet_detail(request, pk: int):
    return _detail_page(request, get_or_404(selectors.outlet_detail, request.user, pk))


def _form_page(request, form, *, outlet=None, status=200):
    return render(request, "trade/outlet_form.html", _map(form=form, outlet=outlet), status=status)


@login_required
def outlet_create_view(request):
    if not trade_access.is_official_with_province(request.user):
        raise PermissionDenied(_("Only province and national officials add outlets."))
    if request.method != "POST":
        return _form_page(request, OutletForm(user=request.user))
    form = OutletForm(request.POST, user=request.user)
    if not form.is_valid():
        return _form_page(request, form)
    try:
        outlet = outlet_create(actor=request.user, **form.service_data())
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return _form_page(request, form)
    messages.success(request, _("The outlet is saved."))
    return redirect("trade:outlet_detail", pk=outlet.pk)


@login_required
def outlet_edit_view(request, pk: int):
    outlet = get_or_404(selectors.outlet_managed, request.user, pk)
    if request.method != "POST":
        initial = {f: getattr(outlet, f) for f in ("name", "kind", "address", "opening_hours", "website")}
        initial |= {
            "province": outlet.province_id,
            "commune": outlet.commune_id,
            "latitude": outlet.latitude,
            "longitude": outlet.longitude,
        }
        return _form_page(request, OutletForm(user=request.user, initial=initial), outlet=outlet)
    form = OutletForm(request.POST, user=request.user)
    if not form.is_valid():
        return _form_page(request, form, outlet=outlet)
    try:
        outlet_update(actor=request.user, outlet=outlet, **form.service_data())
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return _form_page(request, form, outlet=outlet)
    messages.success(request, _("The outlet is saved."))
    return redirect("trade:outlet_detail", pk=outlet.pk)


@login_required
@require_POST
def outlet_open_view(request, pk: int):
    outlet = get_or_404(selectors.outlet_managed, request.user, pk)
    is_open = request.POST.get("open") == "1"
    outlet_set_open(actor=request.user, outlet=outlet, is_open=is_open)
    messages.success(request, _("The outlet is open again.") if is_open else _("The outlet is closed."))
    return redirect("trade:outlet_detail", pk=outlet.pk)


@login_required
@require_POST
def outlet_stock_add_view(request, pk: int):
    outlet = get_or_404(selectors.outlet_managed, request.user, pk)
    form = OutletStockForm(request.POST, user=request.user)
    if not form.is_valid():
        return _detail_page(request, outlet, stock_form=form)
    try:
        outlet_product_add(actor=request.user, outlet=outlet, **form.cleaned_data)
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return _detail_page(request, outlet, stock_form=form)
    messages.success(request, _("The product is listed at this outlet."))
    return redirect("trade:outlet_detail", pk=outlet.pk)


@login_required
@require_POST
def outlet_stock_remove_view(request, pk: int, link_pk: int):
    outlet = get_or_404(selectors.outlet_managed, request.user, pk)
    link = get_or_404(selectors.stock_link_at, outlet, link_pk)
    try:
        outlet_product_remove(actor=request.user, link=link)
    except PermissionDenied as exc:
        show_refusal(request, exc)
        return redirect("trade:outlet_detail", pk=outlet.pk)
    messages.success(request, _("The product is no longer listed at this outlet."))
    return redirect("trade:outlet_detail", pk=outlet.pk)
