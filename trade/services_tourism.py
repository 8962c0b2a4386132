"""Writes of tourist destinations (by the officials of their province, or national officials) and
their content in the six content languages (Vietnamese required, the others optional)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_record, snapshot
from ocop_hub.text import plain_text
from places.models import Commune
from registry import access
from registry.languages import CONTENT_LANGUAGES, REQUIRED_LANGUAGE
from registry.models import Product
from trade import access as trade_access
from trade.geo import position_clean
from trade.links import website_clean
from trade.models import TOURISM_GROUP, Destination, DestinationTranslation

DESTINATION_FIELDS = ["kind", "commune", "latitude", "longitude", "product", "website"]
DESCRIPTION_MAX = 5000


def _translations_clean(translations: dict, *, required: bool) -> dict[str, dict[str, str]]:
    """Descriptions are plain text: a tourist page in six languages has no need for markup, and plain
    text cannot carry a script."""
    errors: dict[str, list[str]] = {}
    clean: dict[str, dict[str, str]] = {}
    languages = dict(CONTENT_LANGUAGES)
    for language, content in (translations or {}).items():
        if language not in languages:
            errors["translations"] = [_("Unknown content language “%(code)s”.") % {"code": language}]
            continue
        row: dict[str, str] = {}
        for field in ("name", "description"):
            key = f"{field}_{language}"
            try:
                row[field] = plain_text((content or {}).get(field) or "", field=key)
            except ValidationError as exc:
                errors.update(exc.message_dict)
        if len(row.get("description", "")) > DESCRIPTION_MAX:
            errors[f"description_{language}"] = [
                _("The description is too long (at most %(n)s characters).") % {"n": DESCRIPTION_MAX}
            ]
        if language == REQUIRED_LANGUAGE and not row.get("name") and f"name_{language}" not in errors:
            if required or row.get("description"):
                errors[f"name_{language}"] = [_("Give the destination's name in Vietnamese.")]
        elif row.get("description") and not row.get("name") and f"name_{language}" not in errors:
            errors[f"name_{language}"] = [
                _("Give the name in %(language)s too, or leave the description empty.")
                % {"language": languages[language]}
            ]
        if len(row.get("name", "")) > 255:
            errors[f"name_{language}"] = [_("The name is too long (at most 255 characters).")]
        clean[language] = row
    if (
        required
        and not clean.get(REQUIRED_LANGUAGE, {}).get("name")
        and f"name_{REQUIRED_LANGUAGE}" not in errors
    ):
        errors[f"name_{REQUIRED_LANGUAGE}"] = [_("Give the destination's name in Vietnamese.")]
    if errors:
        raise ValidationError(errors)
    return clean


def _destination_clean(data: dict) -> dict:
    errors: dict[str, list[str]] = {}
    clean: dict = {}
    if data.get("kind") not in Destination.Kind.values:
        errors["kind"] = [_("Choose a kind of destination.")]
    clean["kind"] = data.get("kind")
    if not isinstance(data.get("commune"), Commune):
        errors["commune"] = [_("Choose a commune.")]
    clean["commune"] = data.get("commune")
    try:
        clean["latitude"], clean["longitude"] = position_clean(data.get("latitude"), data.get("longitude"))
    except ValidationError as exc:
        errors.update(exc.message_dict)
    product = data.get("product")
    if product is not None:
        if not isinstance(product, Product) or product.category.subgroup.group_id != TOURISM_GROUP:
            errors["product"] = [
                _(
                    "Link only an OCOP tourism product (group 6: community tourism, eco-tourism, tourist "
                    "sites)."
                )
            ]
        elif product.status not in Product.PUBLIC_STATUSES:
            errors["product"] = [_("This tourism product is not certified: it cannot be shown to tourists.")]
    clean["product"] = product
    try:
        clean["website"] = website_clean(data.get("website") or "")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return clean


def _translations_write(destination: Destination, translations: dict[str, dict[str, str]]) -> None:
    for language, row in translations.items():
        if language != REQUIRED_LANGUAGE and not row.get("name"):
            DestinationTranslation.objects.filter(destination=destination, language=language).delete()
            continue
        DestinationTranslation.objects.update_or_create(
            destination=destination, language=language, defaults=row
        )


def _content(destination: Destination) -> dict:
    return {
        tr.language: {"name": tr.name, "description": tr.description}
        for tr in DestinationTranslation.objects.filter(destination=destination).order_by("language")
    }


def destination_create(*, actor, translations: dict, **data) -> Destination:
    access.require(trade_access.is_official_with_province(actor))
    errors: dict[str, list[str]] = {}
    clean: dict = {}
    content: dict = {}
    try:
        clean = _destination_clean(data)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        content = _translations_clean(translations, required=True)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    access.require(access.is_province_official(actor, clean["commune"].province_id))
    with transaction.atomic():
        destination = Destination.objects.create(**clean, province_id=clean["commune"].province_id)
        _translations_write(destination, content)
        audit_record(
            actor=actor,
            action="destination.create",
            obj=destination,
            after=snapshot(destination) | {"content": _content(destination)},
        )
    return destination


def destination_update(
    *, actor, destination: Destination, translations: dict | None = None, reason: str = "", **data
) -> Destination:
    access.require(access.is_province_official(actor, destination.province_id))
    errors: dict[str, list[str]] = {}
    clean: dict = {}
    content: dict = {}
    try:
        clean = _destination_clean({**{f: getattr(destination, f) for f in DESTINATION_FIELDS}, **data})
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if translations is not None:
        try:
            content = _translations_clean(translations, required=REQUIRED_LANGUAGE in translations)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    access.require(access.is_province_official(actor, clean["commune"].province_id))
    with transaction.atomic():
        locked = Destination.objects.select_for_update().get(pk=destination.pk)
        before = snapshot(locked) | {"content": _content(locked)}
        for field, value in clean.items():
            setattr(locked, field, value)
        locked.province_id = clean["commune"].province_id
        locked.save()
        _translations_write(locked, content)
        audit_record(
            actor=actor,
            action="destination.update",
            obj=locked,
            before=before,
            after=snapshot(locked) | {"content": _content(locked)},
            reason=reason,
        )
    return locked
