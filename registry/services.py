"""Writes to the registry: entities, products and their content. One path for forms, API, admin,
importers and commands; every write is audited in the same transaction."""

from decimal import Decimal, InvalidOperation
from typing import Any

import nh3
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record, snapshot
from ocop_hub.text import fold, nfc, plain_text
from places.models import Commune
from registry import access
from registry.duplicates import duplicates_matches_log, product_duplicates_check
from registry.files import image_encode
from registry.languages import CONTENT_LANGUAGES, REQUIRED_LANGUAGE
from registry.models import Entity, Packaging, Product, ProductCategory, ProductImage, ProductTranslation
from registry.validators import clean_gln, clean_gtin, clean_tax_code
from traceability.changes import scan_pages_changed

ENTITY_FIELDS = [
    "kind",
    "legal_name",
    "tax_code",
    "representative",
    "phone",
    "email",
    "address",
    "commune",
    "founded_year",
    "members_count",
    "workers_count",
    "women_count",
    "ethnic_minority_count",
    "description",
    "gln",
]
ENTITY_PLAIN_FIELDS = ["legal_name", "representative", "phone", "address", "description"]

PRODUCT_FIELDS = [
    "category",
    "commune",
    "code",
    "shelf_life_days",
    "price_min_vnd",
    "price_max_vnd",
    "monthly_capacity",
    "capacity_unit",
]
TRANSLATION_PLAIN_FIELDS = ["name", "short_description", "ingredients", "usage"]

# Stories are rich text: keep structure and links, drop scripts, styles and event handlers.
STORY_TAGS = {"p", "br", "strong", "em", "b", "i", "u", "ul", "ol", "li", "h2", "h3", "h4", "blockquote", "a"}
STORY_ATTRIBUTES = {"a": {"href", "title"}}


def _raise_if(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _collect(errors: dict, fn, *args, **kwargs) -> Any:
    try:
        return fn(*args, **kwargs)
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            errors.setdefault(key, []).extend(messages)
        return None


def story_sanitize(html: str) -> str:
    return nh3.clean(
        nfc(html), tags=STORY_TAGS, attributes=STORY_ATTRIBUTES, url_schemes={"http", "https", "mailto"}
    )


# --- entities -------------------------------------------------------------------------------------


def _entity_clean(
    data: dict[str, Any], *, instance: Entity | None, unique_check: bool = True
) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}
    for name in ENTITY_PLAIN_FIELDS:
        if name in data:
            clean[name] = _collect(errors, plain_text, data[name] or "", field=name)
    for name in ("legal_name", "representative", "address"):
        if name in data and not clean.get(name) and name not in errors:
            errors.setdefault(name, []).append(_("This field is required."))
    if "kind" in data:
        if data["kind"] not in Entity.Kind.values:
            errors.setdefault("kind", []).append(_("Choose a valid entity type."))
        clean["kind"] = data["kind"]
    if "tax_code" in data:
        code = _collect(errors, clean_tax_code, data["tax_code"])
        if code and unique_check:  # an importer checks a whole file's tax codes in one query
            clash = Entity.objects.filter(tax_code=code)
            if instance is not None:
                clash = clash.exclude(pk=instance.pk)
            if clash.exists():
                errors.setdefault("tax_code", []).append(
                    _("Another entity is already registered with tax code %(code)s.") % {"code": code}
                )
        clean["tax_code"] = code
    if "email" in data:
        email = (data["email"] or "").strip()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                errors.setdefault("email", []).append(_("Enter a valid email address."))
        clean["email"] = email
    if "gln" in data:
        clean["gln"] = _collect(errors, clean_gln, data["gln"])
    if "founded_year" in data:
        year = data["founded_year"]
        if year not in (None, "") and not (1900 <= int(year) <= timezone.now().year):
            errors.setdefault("founded_year", []).append(
                _("Enter a founding year between 1900 and this year.")
            )
        clean["founded_year"] = int(year) if year not in (None, "") else None
    for name in ("members_count", "workers_count", "women_count", "ethnic_minority_count"):
        if name in data:
            value = int(data[name] or 0)
            if value < 0:
                errors.setdefault(name, []).append(_("Enter a number of zero or more."))
            clean[name] = value
    workers = clean.get("workers_count", instance.workers_count if instance else 0)
    for name in ("women_count", "ethnic_minority_count"):
        if clean.get(name, getattr(instance, name, 0) if instance else 0) > workers:
            errors.setdefault(name, []).append(_("This cannot be more than the number of workers."))
    if "commune" in data:
        if not isinstance(data["commune"], Commune):
            errors.setdefault("commune", []).append(_("Choose a commune."))
        clean["commune"] = data["commune"]
    _raise_if(errors)
    if "legal_name" in clean:
        clean["name_folded"] = fold(clean["legal_name"])
    if "commune" in clean:
        clean["province_id"] = clean["commune"].province_id
    return clean


def entity_create(*, actor, province=None, **data) -> Entity:
    """Register a producer entity. `province`, when a form sends it, must contain the commune."""
    commune = data.get("commune")
    if province is not None and isinstance(commune, Commune) and commune.province_id != province.code:
        raise ValidationError(
            {
                "commune": _("The commune %(commune)s is not in %(province)s.")
                % {"commune": commune.name, "province": province.name}
            }
        )
    required = {
        "kind": "",
        "legal_name": "",
        "tax_code": "",
        "representative": "",
        "address": "",
        "commune": None,
    }
    clean = _entity_clean({**required, **data}, instance=None)
    access.require(access.can_create_entity_in(actor, clean["commune"]))
    try:
        with transaction.atomic():
            entity = Entity.objects.create(**clean)
            audit_record(actor=actor, action="entity.create", obj=entity, after=snapshot(entity))
    except IntegrityError as exc:  # a concurrent registration of the same tax code
        raise ValidationError(
            {"tax_code": _("Another entity is already registered with this tax code.")}
        ) from exc
    return entity


def entity_update(*, actor, entity: Entity, province=None, reason: str = "", **changes) -> Entity:
    access.require(access.can_manage_entity(actor, entity))
    commune = changes.get("commune")
    if province is not None and isinstance(commune, Commune) and commune.province_id != province.code:
        raise ValidationError(
            {
                "commune": _("The commune %(commune)s is not in %(province)s.")
                % {"commune": commune.name, "province": province.name}
            }
        )
    clean = _entity_clean(changes, instance=entity)
    if "commune" in clean and clean["commune"].pk != entity.commune_id:
        # Moving an entity to another commune is an official's decision within their jurisdiction.
        access.require(access.can_create_entity_in(actor, clean["commune"]))
    with transaction.atomic():
        locked = Entity.objects.select_for_update().get(pk=entity.pk)
        before = snapshot(locked)
        for key, value in clean.items():
            setattr(locked, key, value)
        after = snapshot(locked)
        if before != after:
            locked.save()
            audit_record(
                actor=actor, action="entity.update", obj=locked, before=before, after=after, reason=reason
            )
            scan_pages_changed()  # the scan and catalogue pages show the producer
    return locked


# --- products -------------------------------------------------------------------------------------


def _product_clean(data: dict[str, Any], *, entity: Entity) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}
    if "category" in data:
        if not isinstance(data["category"], ProductCategory):
            errors.setdefault("category", []).append(_("Choose a criteria set."))
        clean["category"] = data["category"]
    if "commune" in data:
        commune = data["commune"]
        if not isinstance(commune, Commune):
            errors.setdefault("commune", []).append(_("Choose a commune."))
        elif commune.province_id != entity.province_id:
            errors.setdefault("commune", []).append(
                _("The commune of production must be in the entity's province (%(province)s).")
                % {"province": entity.province.name}
            )
        clean["commune"] = commune
    if "code" in data:
        clean["code"] = _collect(errors, plain_text, data["code"] or "", field="code")
    if "capacity_unit" in data:
        clean["capacity_unit"] = _collect(
            errors, plain_text, data["capacity_unit"] or "", field="capacity_unit"
        )
    for name in ("shelf_life_days", "price_min_vnd", "price_max_vnd", "monthly_capacity"):
        if name in data:
            value = data[name]
            if value in (None, ""):
                clean[name] = None
                continue
            try:
                value = int(value)
            except (TypeError, ValueError):
                errors.setdefault(name, []).append(_("Enter a whole number."))
                continue
            if value < 0:
                errors.setdefault(name, []).append(_("Enter a number of zero or more."))
            clean[name] = value
    low, high = clean.get("price_min_vnd"), clean.get("price_max_vnd")
    if low is not None and high is not None and low > high:
        errors.setdefault("price_max_vnd", []).append(_("The highest price is lower than the lowest price."))
    _raise_if(errors)
    if "commune" in clean:
        clean["province_id"] = clean["commune"].province_id
    return clean


def _translations_clean(
    translations: dict[str, dict[str, str]], *, require_vi: bool
) -> dict[str, dict[str, str]]:
    errors: dict[str, list[str]] = {}
    known = dict(CONTENT_LANGUAGES)
    clean: dict[str, dict[str, str]] = {}
    for lang, fields in translations.items():
        if lang not in known:
            errors.setdefault("language", []).append(
                _("Unknown content language: %(lang)s.") % {"lang": lang}
            )
            continue
        row: dict[str, str] = {}
        for name in TRANSLATION_PLAIN_FIELDS:
            if name in fields:
                row[name] = _collect(errors, plain_text, fields[name] or "", field=f"{name}_{lang}") or ""
        if "story" in fields:
            row["story"] = story_sanitize(fields["story"] or "")
        if not row.get("name") and any(row.values()):
            errors.setdefault(f"name_{lang}", []).append(_("Give the product's name in this language too."))
        if any(row.values()):
            clean[lang] = row
    if require_vi and not clean.get(REQUIRED_LANGUAGE, {}).get("name"):
        errors.setdefault(f"name_{REQUIRED_LANGUAGE}", []).append(_("The Vietnamese name is required."))
    _raise_if(errors)
    return clean


def _write_translations(product: Product, clean: dict[str, dict[str, str]]) -> None:
    for lang, row in clean.items():
        ProductTranslation.objects.update_or_create(product=product, language=lang, defaults=row)
    vi = clean.get(REQUIRED_LANGUAGE)
    if vi and vi.get("name"):
        product.name_folded = fold(vi["name"])
        product.save(update_fields=["name_folded"])


def _product_snapshot(product: Product) -> dict[str, Any]:
    data = snapshot(product)
    data["translations"] = {
        tr.language: snapshot(tr, ["name", "short_description", "story", "ingredients", "usage"])
        for tr in ProductTranslation.objects.filter(product=product)
    }
    return data


def _duplicate_accept_record(*, actor, product: Product, accepted: tuple[list, str]) -> None:
    matches, reason = accepted
    if matches:
        audit_record(
            actor=actor,
            action="product.duplicate_accept",
            obj=product,
            after={"matches": duplicates_matches_log(matches)},
            reason=reason,
        )


def product_create(
    *,
    actor,
    entity: Entity,
    translations: dict[str, dict[str, str]],
    duplicate_reason: str = "",
    **data,
) -> Product:
    """Register a product. A similar product of another entity in the same commune and criteria set
    (registry.duplicates) refuses it unless an official accepts with `duplicate_reason`."""
    access.require(access.can_manage_entity(actor, entity))
    required = {"category": None, "commune": entity.commune}
    errors: dict[str, list[str]] = {}
    clean = _collect(errors, _product_clean, {**required, **data}, entity=entity)
    texts = _collect(errors, _translations_clean, translations, require_vi=True)
    _raise_if(errors)
    accepted = product_duplicates_check(
        actor=actor,
        commune=clean["commune"],
        category=clean["category"],
        name=texts[REQUIRED_LANGUAGE]["name"],
        entity=entity,
        reason=duplicate_reason,
    )
    with transaction.atomic():
        product = Product.objects.create(entity=entity, **clean)
        _write_translations(product, texts)
        audit_record(actor=actor, action="product.create", obj=product, after=_product_snapshot(product))
        _duplicate_accept_record(actor=actor, product=product, accepted=accepted)
    return product


def product_update(
    *,
    actor,
    product: Product,
    translations: dict[str, dict[str, str]] | None = None,
    reason: str = "",
    duplicate_reason: str = "",
    **changes,
) -> Product:
    """Change a product. A new name, criteria set or commune of production is checked for similar
    products like a new registration; `duplicate_reason` is an official's acceptance."""
    access.require(access.can_manage_product(actor, product))
    clean = _product_clean(changes, entity=product.entity)
    texts = _translations_clean(translations or {}, require_vi=False)
    if REQUIRED_LANGUAGE in texts and not texts[REQUIRED_LANGUAGE].get("name", "x"):
        raise ValidationError({"name_vi": _("The Vietnamese name is required.")})
    with transaction.atomic():
        locked = Product.objects.select_for_update().get(pk=product.pk)
        accepted = _product_update_duplicates(
            actor=actor, product=locked, clean=clean, texts=texts, reason=duplicate_reason
        )
        before = _product_snapshot(locked)
        for key, value in clean.items():
            setattr(locked, key, value)
        locked.save()
        _write_translations(locked, texts)
        after = _product_snapshot(locked)
        if before != after:
            audit_record(
                actor=actor, action="product.update", obj=locked, before=before, after=after, reason=reason
            )
        _duplicate_accept_record(actor=actor, product=locked, accepted=accepted)
    scan_pages_changed()  # the scan page shows this product's certificate and texts
    return locked


def _product_update_duplicates(
    *, actor, product: Product, clean: dict[str, Any], texts: dict[str, dict[str, str]], reason: str
) -> tuple[list, str]:
    """Only what makes the product another product type in a commune is checked again: an unchanged
    registration that already had an accepted (or older) match edits freely."""
    commune = clean.get("commune", product.commune)
    category = clean.get("category", product.category)
    new_name = texts.get(REQUIRED_LANGUAGE, {}).get("name")
    name_changed = new_name is not None and fold(new_name) != product.name_folded
    if not (name_changed or commune.pk != product.commune_id or category.pk != product.category_id):
        return [], ""
    name = new_name if new_name is not None else product.name_vi
    return product_duplicates_check(
        actor=actor,
        commune=commune,
        category=category,
        name=name,
        entity=product.entity,
        exclude_product_id=product.pk,
        reason=reason,
    )


# Which status an entity member may move a product to by themself; certification states come from
# the evaluation and certificate services, never from a form.
MEMBER_TRANSITIONS = {
    (Product.Status.DRAFT, Product.Status.REGISTERED),
    (Product.Status.REGISTERED, Product.Status.DRAFT),
    (Product.Status.DRAFT, Product.Status.WITHDRAWN),
    (Product.Status.REGISTERED, Product.Status.WITHDRAWN),
}


def product_set_status(*, actor, product: Product, status: str, reason: str = "") -> Product:
    if status not in Product.Status.values:
        raise ValidationError({"status": _("Unknown product status.")})
    access.require(access.can_manage_product(actor, product))
    scope = access.scope_of(actor)
    official = actor is None or scope.is_official
    if not official and (product.status, status) not in MEMBER_TRANSITIONS:
        raise ValidationError({"status": _("Only an official can change this product's status.")})
    with transaction.atomic():
        locked = Product.objects.select_for_update().get(pk=product.pk)
        before = {"status": locked.status}
        if locked.status == status:
            return locked
        locked.status = status
        locked.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor,
            action="product.status",
            obj=locked,
            before=before,
            after={"status": status},
            reason=reason,
        )
    scan_pages_changed()  # the scan page shows this product's certificate and texts
    return locked


def product_image_add(*, actor, product: Product, upload, alt_text: str = "") -> ProductImage:
    access.require(access.can_manage_product(actor, product))
    alt = plain_text(alt_text, field="alt_text")
    encoded = image_encode(upload)
    with transaction.atomic():
        position = ProductImage.objects.filter(product=product).count()
        image = ProductImage(
            product=product, width=encoded.width, height=encoded.height, alt_text=alt, position=position
        )
        image.image.save(f"p{product.pk}.jpg", ContentFile(encoded.main), save=False)
        image.thumbnail.save(f"p{product.pk}_thumb.jpg", ContentFile(encoded.thumbnail), save=False)
        image.save()
        audit_record(actor=actor, action="product.image_add", obj=product, after={"image": image.image.name})
    scan_pages_changed()
    return image


def product_image_remove(*, actor, image: ProductImage) -> None:
    product = image.product
    access.require(access.can_manage_product(actor, product))
    with transaction.atomic():
        name = image.image.name
        image.delete()
        audit_record(actor=actor, action="product.image_remove", obj=product, before={"image": name})
    scan_pages_changed()


def packaging_add(
    *, actor, product: Product, size, unit: str, gtin: str = "", description: str = ""
) -> Packaging:
    access.require(access.can_manage_product(actor, product))
    errors: dict[str, list[str]] = {}
    clean_code = _collect(errors, clean_gtin, gtin)
    desc = _collect(errors, plain_text, description, field="description")
    if unit not in Packaging.Unit.values:
        errors.setdefault("unit", []).append(_("Choose a unit."))
    try:
        size = Decimal(str(size))
        if not size.is_finite() or size <= 0 or size >= Decimal("1e8"):
            raise InvalidOperation
    except (InvalidOperation, TypeError, ValueError):
        errors.setdefault("size", []).append(_("Enter a size greater than zero."))
    if clean_code and Packaging.objects.filter(gtin=clean_code).exists():
        errors.setdefault("gtin", []).append(
            _("The GTIN %(gtin)s is already used by another packaging.") % {"gtin": clean_code}
        )
    _raise_if(errors)
    with transaction.atomic():
        packaging = Packaging.objects.create(
            product=product, size=size, unit=unit, gtin=clean_code or "", description=desc or ""
        )
        audit_record(actor=actor, action="packaging.create", obj=packaging, after=snapshot(packaging))
    scan_pages_changed()
    return packaging


def packaging_remove(*, actor, packaging: Packaging) -> None:
    access.require(access.can_manage_product(actor, packaging.product))
    with transaction.atomic():
        before = snapshot(packaging)
        audit_record(actor=actor, action="packaging.delete", obj=packaging, before=before)
        packaging.delete()
    scan_pages_changed()
