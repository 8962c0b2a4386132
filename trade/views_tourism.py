"""The tourist pages (public, in the six content languages: trade.tourist) and the officials' forms
for destinations. The map is an extra: every list on these pages is in the HTML without JavaScript."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from places.models import Province
from registry import access
from registry.forms import apply_service_errors
from registry.languages import CONTENT_LANGUAGES
from trade import access as trade_access
from trade import selectors, selectors_tourism, tourist
from trade.forms import DestinationForm
from trade.services_tourism import destination_create, destination_update
from web.pagination import paginate
from web.refusals import get_or_404, show_refusal


def _tourist_context(request) -> dict:
    language = tourist.language_of(request)
    return {
        "lang": language,
        "words": tourist.labels(language),
        "switch": tourist.switch(),
        "tile_url": settings.OCOP_MAP_TILE_URL,
        "attribution": settings.OCOP_MAP_ATTRIBUTION,
    }


def tourism_map(request):
    context = _tourist_context(request)
    language, words = context["lang"], context["words"]
    province = request.GET.get("province", "")
    if province and not Province.objects.filter(code=province).exists():
        province = ""
    destinations = paginate(request, selectors.destinations_public(province=province))
    for d in destinations:
        tourist.shown_in(d, language)
        d.kind_word = tourist.kind_word(words, d)
    outlets = Paginator(selectors.outlets_visible_to(None, province=province), settings.PAGE_SIZE).get_page(
        request.GET.get("outlet_page")
    )
    for o in outlets:
        o.kind_word = tourist.kind_word(words, o)
    markers = selectors_tourism.map_markers(language=language, labels=words, province=province)
    context.update(
        {
            "page": destinations,
            "outlets": outlets,
            "markers": markers,
            "province": province,
            "provinces": Province.objects.all(),
            "fell_back": any(d.fell_back for d in destinations),
            "fallback_note": tourist.say(words, "fallback", lang=words["lang_name"]),
            "can_add": trade_access.is_official_with_province(request.user)
            if request.user.is_authenticated
            else False,
        }
    )
    return render(request, "trade/tourism.html", context)


def destination_detail(request, pk: int):
    context = _tourist_context(request)
    language, words = context["lang"], context["words"]
    destination = tourist.shown_in(get_or_404(selectors.destination_detail, pk), language)
    km, refused = selectors_tourism.distance_parse(request.GET.get("km"))
    found = selectors_tourism.nearby(destination, km)
    for place in found.destinations:
        tourist.shown_in(place.obj, language)
    for place in [*found.destinations, *found.outlets]:
        place.kind_word = tourist.kind_word(words, place.obj)
        place.km_text = tourist.km_text(place.km)
    destination.kind_word = tourist.kind_word(words, destination)
    for item in found.products:
        item.shown = item.product.translation(language)
        item.km_text = tourist.km_text(item.km)
    markers, route_line = selectors_tourism.nearby_markers(destination, found, language=language)
    km_shown = tourist.km_text(km)
    context.update(
        {
            "destination": destination,
            "found": found,
            "km": km_shown,
            "km_value": int(km) if km == int(km) else km,
            "km_note": tourist.say(words, "km_invalid", km=km_shown) if refused else "",
            "fallback_note": tourist.say(words, "fallback", lang=words["lang_name"]),
            "markers": markers,
            "route_line": route_line,
            "route_total": tourist.say(words, "route_total", km=tourist.km_text(found.route_km)),
            "route_steps": [
                (place, tourist.say(words, "from_previous", km=tourist.km_text(step)))
                for place, step in found.route
            ],
            "km_min": selectors_tourism.KM_MIN,
            "km_max": selectors_tourism.KM_MAX,
            "can_edit": request.user.is_authenticated
            and access.is_province_official(request.user, destination.province_id),
        }
    )
    return render(request, "trade/destination.html", context)


# --- officials: add and edit destinations (gettext pages, like the rest of the back office) --------


def _form_page(request, form, *, destination=None, status=200):
    context = {
        "form": form,
        "destination": destination,
        "tile_url": settings.OCOP_MAP_TILE_URL,
        "attribution": settings.OCOP_MAP_ATTRIBUTION,
    }
    return render(request, "trade/destination_form.html", context, status=status)


@login_required
def destination_create_view(request):
    if not trade_access.is_official_with_province(request.user):
        raise PermissionDenied(_("Only province and national officials add destinations."))
    if request.method != "POST":
        return _form_page(request, DestinationForm(user=request.user))
    form = DestinationForm(request.POST, user=request.user)
    if not form.is_valid():
        return _form_page(request, form)
    try:
        destination = destination_create(actor=request.user, **form.service_data())
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return _form_page(request, form)
    except PermissionDenied as exc:
        show_refusal(request, exc)
        return _form_page(request, form, status=403)
    messages.success(request, _("The destination is saved."))
    return redirect("trade:destination_detail", pk=destination.pk)


@login_required
def destination_edit_view(request, pk: int):
    destination = get_or_404(selectors.destination_managed, request.user, pk)
    if request.method != "POST":
        initial = {
            "kind": destination.kind,
            "province": destination.province_id,
            "commune": destination.commune_id,
            "latitude": destination.latitude,
            "longitude": destination.longitude,
            "product": destination.product_id,
            "website": destination.website,
        }
        for tr in destination.translations.all():
            initial[f"name_{tr.language}"] = tr.name
            initial[f"description_{tr.language}"] = tr.description
        return _form_page(
            request, DestinationForm(user=request.user, initial=initial), destination=destination
        )
    form = DestinationForm(request.POST, user=request.user)
    if not form.is_valid():
        return _form_page(request, form, destination=destination)
    data = form.service_data()
    # Every language is on the form: an emptied optional language is removed; vi stays required.
    translations = {lang: data["translations"][lang] for lang, _name in CONTENT_LANGUAGES}
    data.pop("translations")
    try:
        destination_update(actor=request.user, destination=destination, translations=translations, **data)
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return _form_page(request, form, destination=destination)
    except PermissionDenied as exc:
        show_refusal(request, exc)
        return _form_page(request, form, destination=destination, status=403)
    messages.success(request, _("The destination is saved."))
    return redirect("trade:destination_detail", pk=destination.pk)
