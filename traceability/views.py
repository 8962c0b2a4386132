"""Django front door of the resolver (the same `resolve` as the WSGI fast path) and the scan page
the default link points to; the pages where a product's producer and officials manage its lots,
serials and resolver links."""

import csv
import io

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from registry import access
from registry.forms import apply_service_errors
from registry.languages import CONTENT_LANGUAGES
from traceability import digital_link, platform_ids, resolver, scan_page, selectors, services, steps
from traceability.forms import (
    LotAreasForm,
    LotForm,
    LotRecallForm,
    RawMaterialAreaForm,
    ResolverLinkForm,
    SerialsIssueForm,
    StepForm,
)
from traceability.models import Lot
from web.pagination import paginate
from web.refusals import get_or_404, show_refusal


@csrf_exempt  # a resolver answers GET/HEAD/OPTIONS; anything else is refused by resolve() with 405
def resolver_view(request, rest: str = ""):
    raw = request.META.get("RAW_URI") or request.META.get("REQUEST_URI") or request.path
    answer = resolver.resolve(
        method=request.method,
        path=raw.split("?", 1)[0],
        query=request.META.get("QUERY_STRING", ""),
        accept=request.headers.get("Accept", ""),
        accept_language=request.headers.get("Accept-Language", ""),
    )
    # HEAD gets GET's headers (Content-Length included); the server leaves the body out.
    response = HttpResponse(answer.body, status=answer.status)
    for name, value in answer.headers:
        response[name] = value
    return response


def scan(request, rest: str):
    """What a consumer sees after scanning (traceability.scan_page, which the lean dispatcher in
    front of Django also serves): the same bytes behind Django's URL, for runserver and tests."""
    raw = request.META.get("RAW_URI") or request.path
    page = scan_page.answer(
        meta=request.META,
        path=raw.split("?", 1)[0].removeprefix("/scan"),
        query=request.META.get("QUERY_STRING", ""),
    )
    response = HttpResponse(page.body, status=page.status)
    for name, value in page.headers:
        response[name] = value
    return response


# --- a product's traceability: lots, serials, resolver links (its producer and officials) ---------


def _trace_page(request, product, **bound):
    """The page with fresh forms, except the one a refused POST brings back with its errors."""
    lots = paginate(request, selectors.lots_of(product))
    recall_forms = {lot.pk: LotRecallForm(lot=lot) for lot in lots if lot.status == Lot.Status.ACTIVE}
    if "recall_form" in bound:
        form = bound.pop("recall_form")
        recall_forms[form.lot.pk] = form
    has_areas = selectors.areas_of(product.entity_id).exists()
    area_forms = (
        {lot.pk: LotAreasForm(lot=lot, entity_id=product.entity_id) for lot in lots} if has_areas else {}
    )
    if "areas_form" in bound:
        form = bound.pop("areas_form")
        area_forms[form.lot.pk] = form
    links_by_packaging: dict[int, list] = {}
    for link in selectors.resolver_links_of(product):
        links_by_packaging.setdefault(link.packaging_id, []).append(link)
    context = {
        "product": product,
        "page": lots,
        "recall_forms": recall_forms,
        "area_forms": area_forms,
        "can_manage_entity": access.can_manage_entity(request.user, product.entity),
        "ranges": selectors.serial_ranges_of(product),
        "packagings": [
            (packaging, links_by_packaging.get(packaging.pk, []))
            for packaging in product.packagings.all()
            if packaging.gtin
        ],
        "languages": dict(CONTENT_LANGUAGES),
        "lot_form": LotForm(product=product),
        "serials_form": SerialsIssueForm(product=product),
        "link_form": ResolverLinkForm(product=product),
        "journey": selectors.journey_of(product),
        "step_kinds": [(value, StepForm.KIND_ICONS[value], label) for value, label in steps.StepKind.choices],
        **bound,
    }
    return render(request, "traceability/product_trace.html", context)


def _refused(request, product, form, exc: ValidationError, name: str):
    apply_service_errors(form, exc)
    return _trace_page(request, product, **{name: form})


@login_required
def product_trace(request, pk: int):
    product = get_or_404(selectors.product_managed, request.user, pk)
    return _trace_page(request, product)


@login_required
@require_POST
def lot_create(request, pk: int):
    product = get_or_404(selectors.product_managed, request.user, pk)
    form = LotForm(request.POST, product=product)
    if not form.is_valid():
        return _trace_page(request, product, lot_form=form)
    try:
        lot = services.lot_create(actor=request.user, product=product, **form.cleaned_data)
    except ValidationError as exc:
        return _refused(request, product, form, exc, "lot_form")
    messages.success(request, _("The lot %(code)s was created.") % {"code": lot.code})
    return redirect("traceability:product_trace", pk=product.pk)


@login_required
@require_POST
def lot_recall(request, pk: int, lot_pk: int):
    product = get_or_404(selectors.product_managed, request.user, pk)
    lot = get_or_404(selectors.lot_of, product, lot_pk)
    form = LotRecallForm(request.POST, lot=lot)
    if not form.is_valid():
        return _trace_page(request, product, recall_form=form)
    try:
        services.lot_recall(actor=request.user, lot=lot, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        return _refused(request, product, form, exc, "recall_form")
    messages.success(request, _("The lot %(code)s was recalled.") % {"code": lot.code})
    return redirect("traceability:product_trace", pk=product.pk)


@login_required
@require_POST
def serials_issue(request, pk: int):
    product = get_or_404(selectors.product_managed, request.user, pk)
    form = SerialsIssueForm(request.POST, product=product)
    if not form.is_valid():
        return _trace_page(request, product, serials_form=form)
    try:
        serial_range = services.serials_issue(actor=request.user, product=product, **form.cleaned_data)
    except ValidationError as exc:
        return _refused(request, product, form, exc, "serials_form")
    messages.success(
        request,
        ngettext("%(count)s serial was issued.", "%(count)s serials were issued.", serial_range.count)
        % {"count": f"{serial_range.count:,}"},
    )
    return redirect("traceability:product_trace", pk=product.pk)


SERIALS_CSV_HEADER = ["serial", "digital_link"]  # documented columns for label printers: not translated
SERIALS_CSV_ROWS_PER_WRITE = 2000


def _serials_csv(serial_range, uri_prefix: str):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    # A byte-order mark first: spreadsheet programs and label software then read the file as UTF-8.
    buffer.write("\ufeff")
    writer.writerow(SERIALS_CSV_HEADER)
    for rows, value in enumerate(selectors.serial_values(serial_range), start=1):
        writer.writerow([value, f"{uri_prefix}/21/{digital_link.encode_value(value)}" if uri_prefix else ""])
        if rows % SERIALS_CSV_ROWS_PER_WRITE == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


@login_required
def serials_csv(request, pk: int, range_pk: int):
    """One row per serial with its GS1 Digital Link URI, streamed: a range holds up to a million."""
    product = get_or_404(selectors.product_managed, request.user, pk)
    serial_range = get_or_404(selectors.serial_range_of, product, range_pk)
    gtin = serial_range.packaging.gtin if serial_range.packaging else ""
    # digital_link.build() checks the whole URI (~30 µs): once per row, a million rows would take
    # longer than a worker's timeout. The GTIN, lot and base are built and checked once here; each
    # serial is appended as DigitalLink.path() writes it (serials come from SERIAL_ALPHABET, always
    # a valid AI 21 value), which gives exactly build(gtin=…, lot=…, serial=value, base=…).
    lot_code = serial_range.lot.code if serial_range.lot else ""
    base = settings.OCOP_PUBLIC_BASE_URL
    # Without a GTIN the labels carry the platform identifier (/p/…), same qualifiers.
    uri_prefix = (
        digital_link.build(gtin=gtin, lot=lot_code, base=base)
        if gtin
        else platform_ids.build(product_id=product.pk, lot=lot_code, base=base)
    )
    response = StreamingHttpResponse(
        _serials_csv(serial_range, uri_prefix), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="serials-{product.pk}-{serial_range.pk}.csv"'
    return response


@login_required
@require_POST
def resolver_link_add(request, pk: int):
    product = get_or_404(selectors.product_managed, request.user, pk)
    form = ResolverLinkForm(request.POST, product=product)
    if not form.is_valid():
        return _trace_page(request, product, link_form=form)
    try:
        services.resolver_link_add(actor=request.user, **form.cleaned_data)
    except ValidationError as exc:
        return _refused(request, product, form, exc, "link_form")
    messages.success(request, _("The link was added."))
    return redirect("traceability:product_trace", pk=product.pk)


@login_required
@require_POST
def resolver_link_remove(request, pk: int, link_pk: int):
    product = get_or_404(selectors.product_managed, request.user, pk)
    link = get_or_404(selectors.resolver_link_of, product, link_pk)
    services.resolver_link_remove(actor=request.user, link=link)
    messages.success(request, _("The link was removed."))
    return redirect("traceability:product_trace", pk=product.pk)


@login_required
@require_POST
def lot_areas_set(request, pk: int, lot_pk: int):
    product = get_or_404(selectors.product_managed, request.user, pk)
    lot = get_or_404(selectors.lot_of, product, lot_pk)
    form = LotAreasForm(request.POST, lot=lot, entity_id=product.entity_id)
    if not form.is_valid():
        return _trace_page(request, product, areas_form=form)
    try:
        services.lot_areas_set(actor=request.user, lot=lot, areas=list(form.cleaned_data["areas"]))
    except ValidationError as exc:
        return _refused(request, product, form, exc, "areas_form")
    messages.success(request, _("The raw-material areas of lot %(code)s were saved.") % {"code": lot.code})
    return redirect("traceability:product_trace", pk=product.pk)


@login_required
def step_new(request, pk: int):
    """Record a step of the product's journey in plain words (traceability.steps writes the EPCIS)."""
    product = get_or_404(selectors.product_managed, request.user, pk)
    if request.method != "POST":
        kind = request.GET.get("kind")
        initial = {"kind": kind if kind in steps.StepKind.values else None, "when": timezone.localtime()}
        form = StepForm(product=product, initial=initial)
        return render(request, "traceability/step_form.html", {"product": product, "form": form})
    form = StepForm(request.POST, request.FILES, product=product)
    if form.is_valid():
        try:
            event = steps.step_record(actor=request.user, product=product, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(step)s of lot %(code)s was recorded.")
                % {"step": steps.StepKind(form.cleaned_data["kind"]).label, "code": event.lot},
            )
            return redirect(f"{reverse('traceability:product_trace', args=[product.pk])}#journey")
    return render(request, "traceability/step_form.html", {"product": product, "form": form})


# --- an entity's raw-material areas (vùng nguyên liệu): list, map, add, edit, remove ------------------


def _areas_page(request, entity, form=None, status: int = 200):
    areas = list(selectors.areas_of(entity.pk))
    context = {
        "entity": entity,
        "areas": areas,
        "areas_geojson": selectors.areas_geojson(areas),
        "form": form or RawMaterialAreaForm(),
        "tile_url": settings.OCOP_MAP_TILE_URL,
        "attribution": settings.OCOP_MAP_ATTRIBUTION,
    }
    return render(request, "traceability/entity_areas.html", context, status=status)


@login_required
def entity_areas(request, pk: int):
    entity = get_or_404(selectors.entity_managed, request.user, pk)
    return _areas_page(request, entity)


@login_required
@require_POST
def area_create(request, pk: int):
    entity = get_or_404(selectors.entity_managed, request.user, pk)
    form = RawMaterialAreaForm(request.POST, request.FILES)
    if not form.is_valid():
        return _areas_page(request, entity, form)
    try:
        area = services.raw_material_area_create(actor=request.user, entity=entity, **form.cleaned_data)
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return _areas_page(request, entity, form)
    messages.success(request, _("The area %(name)s was added.") % {"name": area.name})
    return redirect("traceability:entity_areas", pk=entity.pk)


def _area_edit_page(request, entity, area, form):
    # The map shows the entity's other areas as on the list page; the one edited is the form's
    # GeoJSON, which area_map.js draws as the outline being worked on.
    others = list(selectors.areas_of(entity.pk).exclude(pk=area.pk))
    context = {
        "entity": entity,
        "area": area,
        "areas_geojson": selectors.areas_geojson(others),
        "form": form,
        "draw_point": area.geometry.get("type") == "Point",
        "tile_url": settings.OCOP_MAP_TILE_URL,
        "attribution": settings.OCOP_MAP_ATTRIBUTION,
    }
    return render(request, "traceability/area_edit.html", context)


@login_required
def area_edit(request, pk: int, area_pk: int):
    entity = get_or_404(selectors.entity_managed, request.user, pk)
    area = get_or_404(selectors.area_of, entity, area_pk)
    if request.method != "POST":
        return _area_edit_page(request, entity, area, RawMaterialAreaForm(area=area))
    form = RawMaterialAreaForm(request.POST, request.FILES)
    if not form.is_valid():
        return _area_edit_page(request, entity, area, form)
    try:
        area = services.raw_material_area_update(actor=request.user, area=area, **form.cleaned_data)
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return _area_edit_page(request, entity, area, form)
    messages.success(request, _("The area %(name)s was saved.") % {"name": area.name})
    return redirect("traceability:entity_areas", pk=entity.pk)


@login_required
@require_POST
def area_remove(request, pk: int, area_pk: int):
    entity = get_or_404(selectors.entity_managed, request.user, pk)
    area = get_or_404(selectors.area_of, entity, area_pk)
    try:
        services.raw_material_area_remove(actor=request.user, area=area)
    except ValidationError as exc:
        show_refusal(request, exc)
    else:
        messages.success(request, _("The area %(name)s was removed.") % {"name": area.name})
    return redirect("traceability:entity_areas", pk=entity.pk)


@login_required
def lot_qr(request, pk: int, lot_pk: int):
    """The lot's QR code (SVG) for the producer's own labels: error correction M, a 4-module quiet zone."""
    product = get_or_404(selectors.product_managed, request.user, pk)
    lot = get_or_404(selectors.lot_of, product, lot_pk)
    buffer = io.BytesIO()
    segno.make(selectors.lot_uri(lot), error="m", micro=False).save(buffer, kind="svg", scale=4, border=4)
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    response["Content-Disposition"] = f'inline; filename="lot-{lot.pk}-qr.svg"'
    return response
