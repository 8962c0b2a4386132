"""Officials' and entity members' pages for the registry: thin, each parses, calls one selector or
service, renders."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.selectors import events_for
from places.selectors import provinces_list
from registry import access, selectors, services, services_evidence, services_media
from registry.duplicates import can_accept_duplicate
from registry.forms import (
    EntityForm,
    EvidenceForm,
    PackagingForm,
    ProductForm,
    ProductImageForm,
    RecognitionForm,
    StoryRecordingForm,
    VideoLinkForm,
    apply_service_errors,
)
from registry.languages import CONTENT_LANGUAGES
from registry.models import Entity, Evidence, Packaging, Product
from web.pagination import paginate
from web.refusals import get_or_404, show_refusal

# --- entities -------------------------------------------------------------------------------------


@login_required
def entity_list(request):
    filters = {k: request.GET.get(k, "") for k in ("query", "province", "commune", "kind")}
    page = paginate(request, selectors.entities_visible_to(request.user, **filters))
    return render(
        request,
        "registry/entity_list.html",
        {
            "page": page,
            "filters": filters,
            "provinces": provinces_list(),
            "kinds": Entity.Kind.choices,
        },
    )


@login_required
def entity_detail(request, pk: int):
    entity = get_or_404(selectors.entity_detail, request.user, pk)
    products = selectors.products_visible_to(request.user, entity=entity.pk)
    return render(
        request,
        "registry/entity_detail.html",
        {
            "entity": entity,
            "products": products,
            "can_manage": access.can_manage_entity(request.user, entity),
            "recognitions": entity.recognitions.select_related("product").prefetch_related("evidence"),
            "evidence": entity.evidence.all() if access.can_manage_entity(request.user, entity) else [],
            "history": events_for(entity)[:50] if access.can_see_history(request.user) else None,
        },
    )


def _entity_form_data(form: EntityForm) -> dict:
    data = dict(form.cleaned_data)
    data.pop("province")
    return data


@login_required
def entity_create(request):
    scope = access.scope_of(request.user)
    if not scope.is_official:
        raise PermissionDenied(_("Only officials register new entities."))
    default_province = next(iter(scope.provinces), None)
    form = EntityForm(
        request.POST or None, province_code=default_province, initial={"province": default_province}
    )
    if request.method == "POST" and form.is_valid():
        try:
            entity = services.entity_create(
                actor=request.user, province=form.cleaned_data["province"], **_entity_form_data(form)
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The entity was registered."))
            return redirect("registry:entity_detail", pk=entity.pk)
    return render(request, "registry/entity_form.html", {"form": form, "entity": None})


@login_required
def entity_edit(request, pk: int):
    entity = get_or_404(selectors.entity_detail, request.user, pk)
    access.require(access.can_manage_entity(request.user, entity))
    initial = {name: getattr(entity, name) for name in services.ENTITY_FIELDS}
    initial["province"] = entity.province_id
    form = EntityForm(request.POST or None, initial=initial, province_code=entity.province_id)
    if request.method == "POST" and form.is_valid():
        try:
            services.entity_update(
                actor=request.user,
                entity=entity,
                province=form.cleaned_data["province"],
                **_entity_form_data(form),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("registry:entity_detail", pk=entity.pk)
    return render(request, "registry/entity_form.html", {"form": form, "entity": entity})


# --- products -------------------------------------------------------------------------------------


@login_required
def product_list(request):
    filters = {
        k: request.GET.get(k, "") for k in ("query", "province", "commune", "group", "category", "status")
    }
    page = paginate(request, selectors.products_visible_to(request.user, **filters))
    return render(
        request,
        "registry/product_list.html",
        {
            "page": page,
            "filters": filters,
            "provinces": provinces_list(),
            "statuses": Product.Status.choices,
            "categories": selectors.categories_list(),
        },
    )


@login_required
def my_products(request):
    scope = access.scope_of(request.user)
    entities = Entity.objects.filter(pk__in=scope.entities)
    products = selectors.products_visible_to(request.user).filter(entity_id__in=scope.entities)
    return render(
        request,
        "registry/my_products.html",
        {
            "entities": entities,
            "page": paginate(request, products),
        },
    )


def product_detail(request, pk: int):
    product = get_or_404(selectors.product_detail, request.user, pk)
    can_manage = request.user.is_authenticated and access.can_manage_product(request.user, product)
    return render(
        request,
        "registry/product_detail.html",
        {
            "product": product,
            "can_manage": can_manage,
            "translations": {tr.language: tr for tr in product.translations.all()},
            "languages": CONTENT_LANGUAGES,
            "image_form": ProductImageForm() if can_manage else None,
            "packaging_form": PackagingForm() if can_manage else None,
            "recording_form": StoryRecordingForm() if can_manage else None,
            "video_form": VideoLinkForm(initial={"video_url": product.video_url}) if can_manage else None,
            "history": events_for(product)[:50] if access.can_see_history(request.user) else None,
        },
    )


def _product_initial(product: Product) -> dict:
    initial = {name: getattr(product, name) for name in services.PRODUCT_FIELDS}
    for tr in product.translations.all():
        for name, _label, _w in ProductForm.TEXT_FIELDS:
            initial[f"{name}_{tr.language}"] = getattr(tr, name)
    return initial


def _duplicates_shown(request, form: ProductForm, exc: ValidationError) -> dict | None:
    """The similar products a refusal names (registry.duplicates), each linked when the user may open
    it, and whether this user may accept the product anyway."""
    matches = getattr(exc, "matches", None)
    if not matches:
        return None
    visible = selectors.product_ids_visible_to(request.user, [m.product_id for m in matches])
    return {
        "matches": [(match, match.product_id in visible) for match in matches],
        "can_accept": can_accept_duplicate(request.user, form.cleaned_data["commune"]),
    }


@login_required
def product_create(request, entity_pk: int):
    entity = get_or_404(selectors.entity_detail, request.user, entity_pk)
    access.require(access.can_manage_entity(request.user, entity))
    form = ProductForm(
        request.POST or None, province_code=entity.province_id, initial={"commune": entity.commune_id}
    )
    duplicates = None
    if request.method == "POST" and form.is_valid():
        try:
            product = services.product_create(
                actor=request.user,
                entity=entity,
                translations=form.translations(),
                duplicate_reason=form.cleaned_data["duplicate_reason"],
                **form.product_fields(),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
            duplicates = _duplicates_shown(request, form, exc)
        else:
            messages.success(request, _("The product was created. Add photos and packagings below."))
            return redirect("registry:product_detail", pk=product.pk)
    return render(
        request,
        "registry/product_form.html",
        {"form": form, "entity": entity, "product": None, "duplicates": duplicates},
    )


@login_required
def product_edit(request, pk: int):
    product = get_or_404(selectors.product_detail, request.user, pk)
    access.require(access.can_manage_product(request.user, product))
    form = ProductForm(
        request.POST or None, province_code=product.entity.province_id, initial=_product_initial(product)
    )
    duplicates = None
    if request.method == "POST" and form.is_valid():
        try:
            services.product_update(
                actor=request.user,
                product=product,
                translations=form.translations(),
                duplicate_reason=form.cleaned_data["duplicate_reason"],
                **form.product_fields(),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
            duplicates = _duplicates_shown(request, form, exc)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("registry:product_detail", pk=product.pk)
    return render(
        request,
        "registry/product_form.html",
        {"form": form, "entity": product.entity, "product": product, "duplicates": duplicates},
    )


@login_required
@require_POST
def product_image_add(request, pk: int):
    product = get_or_404(selectors.product_detail, request.user, pk)
    form = ProductImageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.product_image_add(
                actor=request.user,
                product=product,
                upload=form.cleaned_data["image"],
                alt_text=form.cleaned_data["alt_text"],
            )
        except ValidationError as exc:
            show_refusal(request, exc)
        else:
            messages.success(request, _("The image was added."))
    else:
        messages.error(request, _("Choose an image file."))
    return redirect("registry:product_detail", pk=product.pk)


@login_required
@require_POST
def story_recording_add(request, pk: int):
    product = get_or_404(selectors.product_detail, request.user, pk)
    form = StoryRecordingForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a language and a recording file."))
    else:
        try:
            services_media.story_recording_set(
                actor=request.user,
                product=product,
                language=form.cleaned_data["language"],
                upload=form.cleaned_data["audio"],
            )
        except ValidationError as exc:
            show_refusal(request, exc)
        else:
            messages.success(request, _("The recording was saved."))
    return redirect(reverse("registry:product_detail", args=[product.pk]) + "#story-media")


@login_required
@require_POST
def story_recording_remove(request, pk: int, recording_pk: int):
    product = get_or_404(selectors.product_detail, request.user, pk)
    recording = get_or_404(selectors.recording_of, product, recording_pk)
    try:
        services_media.story_recording_remove(actor=request.user, recording=recording)
    except ValidationError as exc:
        show_refusal(request, exc)
    else:
        messages.success(request, _("The recording was removed."))
    return redirect(reverse("registry:product_detail", args=[product.pk]) + "#story-media")


@login_required
@require_POST
def product_video_set(request, pk: int):
    product = get_or_404(selectors.product_detail, request.user, pk)
    form = VideoLinkForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError({"video_url": _("The link is too long (500 characters at most).")})
        services_media.product_video_set(
            actor=request.user, product=product, url=form.cleaned_data["video_url"]
        )
    except ValidationError as exc:
        show_refusal(request, exc)
    else:
        messages.success(request, _("The video link was saved."))
    return redirect(reverse("registry:product_detail", args=[product.pk]) + "#story-media")


@login_required
@require_POST
def packaging_add(request, pk: int):
    product = get_or_404(selectors.product_detail, request.user, pk)
    form = PackagingForm(request.POST)
    if form.is_valid():
        try:
            services.packaging_add(actor=request.user, product=product, **form.cleaned_data)
        except ValidationError as exc:
            show_refusal(request, exc)
        else:
            messages.success(request, _("The packaging was added."))
    else:
        for field_errors in form.errors.values():
            for field_message in field_errors:
                messages.error(request, str(field_message))
    return redirect("registry:product_detail", pk=product.pk)


@login_required
@require_POST
def packaging_remove(request, pk: int):
    try:
        packaging = Packaging.objects.select_related("product__entity").get(
            pk=pk, product__in=selectors.products_visible_to(request.user)
        )
    except Packaging.DoesNotExist as exc:
        raise Http404 from exc
    services.packaging_remove(actor=request.user, packaging=packaging)
    messages.success(request, _("The packaging was removed."))
    return redirect("registry:product_detail", pk=packaging.product_id)


@login_required
@require_POST
def product_status(request, pk: int):
    product = get_or_404(selectors.product_detail, request.user, pk)
    try:
        services.product_set_status(
            actor=request.user,
            product=product,
            status=request.POST.get("status", ""),
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as exc:
        show_refusal(request, exc)
    else:
        messages.success(request, _("The status was changed."))
    return redirect("registry:product_detail", pk=product.pk)


# --- evidence library and recognitions ------------------------------------------------------------


@login_required
def evidence_upload(request, entity_pk: int):
    entity = get_or_404(selectors.entity_detail, request.user, entity_pk)
    access.require(access.can_manage_entity(request.user, entity))
    form = EvidenceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("file")
        try:
            services_evidence.evidence_upload(actor=request.user, entity=entity, upload=upload, **data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The document was added to the library."))
            return redirect("registry:entity_detail", pk=entity.pk)
    return render(
        request,
        "registry/simple_form.html",
        {
            "form": form,
            "entity": entity,
            "title": _("Add a document to the evidence library"),
            "multipart": True,
        },
    )


@login_required
def evidence_file(request, pk: int):
    """Evidence is private to the entity and the officials over it; never served from /media/."""
    evidence = Evidence.objects.select_related("entity").filter(pk=pk).first()
    if evidence is None or not access.can_manage_entity(request.user, evidence.entity):
        raise Http404(_("Not found, or not in your jurisdiction."))
    extension = (evidence.file.name or "").rsplit(".", 1)[-1]
    return FileResponse(
        evidence.file.open("rb"),
        content_type=evidence.content_type,
        filename=f"evidence-{evidence.pk}.{extension}",
    )


@login_required
def recognition_create(request, entity_pk: int):
    entity = get_or_404(selectors.entity_detail, request.user, entity_pk)
    access.require(access.can_manage_entity(request.user, entity))
    form = RecognitionForm(request.POST or None, entity=entity)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["evidence"] = list(data["evidence"])
        try:
            services_evidence.recognition_create(actor=request.user, entity=entity, **data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The recognition was recorded."))
            return redirect("registry:entity_detail", pk=entity.pk)
    return render(
        request,
        "registry/simple_form.html",
        {
            "form": form,
            "entity": entity,
            "title": _("Record a recognition"),
            "multipart": False,
        },
    )
