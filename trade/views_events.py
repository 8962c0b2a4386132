"""Trade fairs and promotion events: the public list (upcoming, past) and page with the products
taking part; officials create and edit them; producers register their own certified products."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from places.models import Province
from registry import access
from registry.forms import apply_service_errors
from trade import access as trade_access
from trade import selectors
from trade.forms import EventForm, ParticipationForm
from trade.models import TradeEvent
from trade.services_events import (
    event_participation_add,
    event_participation_remove,
    trade_event_create,
    trade_event_update,
)
from web.pagination import paginate
from web.refusals import get_or_404, show_refusal


def event_list(request):
    when = request.GET.get("when", "upcoming")
    if when not in ("upcoming", "past"):
        when = "upcoming"
    filters = {"province": request.GET.get("province", ""), "kind": request.GET.get("kind", "")}
    if filters["kind"] not in TradeEvent.Kind.values:
        filters["kind"] = ""
    events = selectors.events_list(when=when, today=timezone.localdate(), **filters)
    context = {
        "page": paginate(request, events),
        "when": when,
        "filters": filters,
        "provinces": Province.objects.all(),
        "kinds": TradeEvent.Kind.choices,
        "can_add": request.user.is_authenticated and trade_access.is_official_with_province(request.user),
    }
    return render(request, "trade/event_list.html", context)


def _can_register(user) -> bool:
    scope = access.scope_of(user)
    return user.is_authenticated and (scope.is_entity_member or trade_access.is_official_with_province(user))


def _detail_page(request, event, *, form=None):
    can_register = _can_register(request.user)
    participations = selectors.participations_of(event)
    context = {
        "event": event,
        "page": paginate(request, participations),
        "can_manage": request.user.is_authenticated and trade_access.can_manage_event(request.user, event),
        "can_register": can_register,
        "form": form or (ParticipationForm(user=request.user, event=event) if can_register else None),
        "removable": {
            p.pk
            for p in participations
            if request.user.is_authenticated
            and trade_access.can_add_participant(request.user, event=event, product=p.product)
        },
    }
    return render(request, "trade/event_detail.html", context)


def event_detail(request, pk: int):
    return _detail_page(request, get_or_404(selectors.event_detail, pk))


def _form_page(request, form, *, event=None):
    return render(request, "trade/event_form.html", {"form": form, "event": event})


@login_required
def event_create_view(request):
    if not trade_access.is_official_with_province(request.user):
        raise PermissionDenied(_("Only province and national officials add trade events."))
    if request.method != "POST":
        return _form_page(request, EventForm(user=request.user))
    form = EventForm(request.POST, user=request.user)
    if not form.is_valid():
        return _form_page(request, form)
    try:
        event = trade_event_create(actor=request.user, **form.cleaned_data)
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return _form_page(request, form)
    messages.success(request, _("The event is saved."))
    return redirect("trade:event_detail", pk=event.pk)


def _event_managed(user, pk: int) -> TradeEvent:
    event = selectors.event_detail(pk)
    if not trade_access.can_manage_event(user, event):
        raise TradeEvent.DoesNotExist
    return event


@login_required
def event_edit_view(request, pk: int):
    event = get_or_404(_event_managed, request.user, pk)
    if request.method != "POST":
        initial = {f: getattr(event, f) for f in ("name", "kind", "start_date", "end_date", "place")}
        initial |= {
            "province": event.province_id,
            "organiser": event.organiser,
            "description": event.description,
            "website": event.website,
        }
        return _form_page(request, EventForm(user=request.user, initial=initial), event=event)
    form = EventForm(request.POST, user=request.user)
    if not form.is_valid():
        return _form_page(request, form, event=event)
    try:
        trade_event_update(actor=request.user, event=event, **form.cleaned_data)
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return _form_page(request, form, event=event)
    messages.success(request, _("The event is saved."))
    return redirect("trade:event_detail", pk=event.pk)


@login_required
@require_POST
def participation_add_view(request, pk: int):
    event = get_or_404(selectors.event_detail, pk)
    if not _can_register(request.user):
        raise PermissionDenied(_("Only producers and officials list products at events."))
    form = ParticipationForm(request.POST, user=request.user, event=event)
    if not form.is_valid():
        return _detail_page(request, event, form=form)
    try:
        event_participation_add(actor=request.user, event=event, product=form.cleaned_data["product"])
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return _detail_page(request, event, form=form)
    messages.success(request, _("The product is listed at this event."))
    return redirect("trade:event_detail", pk=event.pk)


@login_required
@require_POST
def participation_remove_view(request, pk: int, participation_pk: int):
    event = get_or_404(selectors.event_detail, pk)
    participation = get_or_404(selectors.participation_of, event, participation_pk)
    try:
        event_participation_remove(actor=request.user, participation=participation)
    except PermissionDenied as exc:
        show_refusal(request, exc)
        return redirect("trade:event_detail", pk=event.pk)
    messages.success(request, _("The product is no longer listed at this event."))
    return redirect("trade:event_detail", pk=event.pk)
