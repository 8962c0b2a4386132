"""Registry writes in bulk for the importer: the same validation as the forms' services
(`_entity_clean`, `_product_clean`, `_translations_clean`), the same permission checks, one audit
event per row, but batched inserts so a national file (9,800 entities, 17,000 products) takes seconds.
Updates of existing records go through `entity_update` / `product_update` one by one."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_record_many, snapshot
from ocop_hub.text import fold
from registry import access
from registry.duplicates import can_accept_duplicate
from registry.models import Entity, Product, ProductTranslation
from registry.services import _entity_clean, _product_clean, _translations_clean

BATCH = 1000


def entities_import(*, actor, rows: list[dict[str, Any]]) -> list[Entity]:
    """Create entities from import rows (the fields of `entity_create`), all or none."""
    entities: list[Entity] = []
    allowed: dict[str, bool] = {}
    tax_codes: set[str] = set()
    for data in rows:
        clean = _entity_clean(data, instance=None, unique_check=False)
        commune = clean["commune"]
        if commune.code not in allowed:
            allowed[commune.code] = access.can_create_entity_in(actor, commune)
        access.require(allowed[commune.code])
        if clean["tax_code"] in tax_codes:
            raise ValidationError(
                {"tax_code": _("The tax code %(code)s appears twice.") % {"code": clean["tax_code"]}}
            )
        tax_codes.add(clean["tax_code"])
        entities.append(Entity(**clean))
    clash = sorted(Entity.objects.filter(tax_code__in=tax_codes).values_list("tax_code", flat=True))
    if clash:
        raise ValidationError(
            {
                "tax_code": _("Another entity is already registered with tax code %(code)s.")
                % {"code": clash[0]}
            }
        )
    with transaction.atomic():
        Entity.objects.bulk_create(entities, batch_size=BATCH)
        audit_record_many(
            actor=actor, action="entity.create", items=[(e, None, snapshot(e)) for e in entities]
        )
    return entities


def products_import(*, actor, rows: list[dict[str, Any]]) -> list[Product]:
    """Create products from import rows: {"entity": Entity, "translations": {...}, "duplicate_reason":
    str, "duplicate_matches": list, **fields of `product_create`}, all or none."""
    products: list[Product] = []
    texts: list[dict[str, dict[str, str]]] = []
    accepted: list[tuple[Product, None, dict]] = []
    reasons: list[str] = []
    for data in rows:
        data = dict(data)
        entity: Entity = data.pop("entity")
        translations = data.pop("translations")
        reason = data.pop("duplicate_reason", "")
        matches = data.pop("duplicate_matches", [])
        access.require(access.can_manage_entity(actor, entity))
        clean = _product_clean({"commune": entity.commune, **data}, entity=entity)
        text = _translations_clean(translations, require_vi=True)
        product = Product(entity=entity, name_folded=fold(text["vi"]["name"]), **clean)
        products.append(product)
        texts.append(text)
        if matches:
            if not can_accept_duplicate(actor, clean["commune"]):
                raise ValidationError(
                    {"duplicate": _("Only a commune or province official can accept a similar product.")}
                )
            accepted.append((product, None, {"matches": matches}))
            reasons.append(reason)
    with transaction.atomic():
        Product.objects.bulk_create(products, batch_size=BATCH)
        translations_rows = [
            ProductTranslation(product=product, language=lang, **row)
            for product, text in zip(products, texts, strict=True)
            for lang, row in text.items()
        ]
        ProductTranslation.objects.bulk_create(translations_rows, batch_size=BATCH)
        by_product: dict[int, dict[str, dict]] = {}
        for product in products:  # str(product) reads its translations: no query per row
            product._prefetched_objects_cache = {"translations": []}  # type: ignore[attr-defined]
        for tr in translations_rows:
            tr.product._prefetched_objects_cache["translations"].append(tr)  # type: ignore[attr-defined]
            by_product.setdefault(tr.product_id, {})[tr.language] = snapshot(
                tr, ["name", "short_description", "story", "ingredients", "usage"]
            )
        audit_record_many(
            actor=actor,
            action="product.create",
            items=[(p, None, snapshot(p) | {"translations": by_product.get(p.pk, {})}) for p in products],
        )
        for (product, _none, after), reason in zip(accepted, reasons, strict=True):
            audit_record_many(
                actor=actor, action="product.duplicate_accept", items=[(product, None, after)], reason=reason
            )
    return products
