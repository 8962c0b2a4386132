"""Reads of the registry, always scoped to what the user may see (registry.access)."""

from collections.abc import Iterable

from django.db.models import Prefetch, Q, QuerySet

from ocop_hub.text import fold
from registry import access
from registry.models import Entity, Product, ProductCategory, ProductImage, ProductTranslation, StoryRecording


def _scoped(qs: QuerySet, q: Q | None) -> QuerySet:
    return qs if q is None else qs.filter(q)


def products_visible_to(
    user,
    *,
    query: str = "",
    province: str = "",
    commune: str = "",
    group: str = "",
    category: str = "",
    status: str = "",
    entity: int | None = None,
) -> QuerySet[Product]:
    qs = _scoped(Product.objects.all(), access.product_filter(access.scope_of(user)))
    folded = fold(query)
    if folded:
        qs = qs.filter(
            Q(name_folded__contains=folded) | Q(entity__name_folded__contains=folded) | Q(code=query.strip())
        )
    if province:
        qs = qs.filter(province_id=province)
    if commune:
        qs = qs.filter(commune_id=commune)
    if group:
        qs = qs.filter(category__subgroup__group_id=group)
    if category:
        qs = qs.filter(category_id=category)
    if status:
        qs = qs.filter(status=status)
    if entity:
        qs = qs.filter(entity_id=entity)
    return qs.select_related("entity", "commune", "province", "category").prefetch_related(
        Prefetch("translations", queryset=ProductTranslation.objects.only("product_id", "language", "name")),
        Prefetch(
            "images", queryset=ProductImage.objects.only("product_id", "thumbnail", "alt_text", "position")
        ),
    )


def product_ids_visible_to(user, ids: Iterable[int]) -> set[int]:
    """Which of these products the user may open (to link them, e.g. in a list of similar products)."""
    qs = _scoped(Product.objects.filter(pk__in=list(ids)), access.product_filter(access.scope_of(user)))
    return set(qs.values_list("pk", flat=True))


def product_detail(user, pk: int) -> Product:
    qs = _scoped(Product.objects.all(), access.product_filter(access.scope_of(user)))
    return (
        qs.select_related("entity", "entity__commune", "commune", "province", "category__subgroup__group")
        .prefetch_related("translations", "images", "packagings", "recognitions")
        .get(pk=pk)
    )


def recording_of(product: Product, pk: int) -> StoryRecording:
    """One of the product's story recordings (another product's is not found)."""
    return StoryRecording.objects.get(product=product, pk=pk)


def entities_visible_to(
    user, *, query: str = "", province: str = "", commune: str = "", kind: str = ""
) -> QuerySet[Entity]:
    qs = _scoped(Entity.objects.all(), access.entity_filter(access.scope_of(user)))
    folded = fold(query)
    if folded:
        qs = qs.filter(Q(name_folded__contains=folded) | Q(tax_code__startswith=query.strip()))
    if province:
        qs = qs.filter(province_id=province)
    if commune:
        qs = qs.filter(commune_id=commune)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.select_related("commune", "province")


def entity_detail(user, pk: int) -> Entity:
    qs = _scoped(Entity.objects.all(), access.entity_filter(access.scope_of(user)))
    return qs.select_related("commune", "province").get(pk=pk)


def entities_managed_by(user) -> QuerySet[Entity]:
    """Entities the user may add products to: their own, or those of their jurisdiction."""
    scope = access.scope_of(user)
    if scope.national:
        return Entity.objects.all()
    q = Q(pk__in=scope.entities) | Q(province_id__in=scope.provinces) | Q(commune_id__in=scope.communes)
    return Entity.objects.filter(q) if scope.can_write else Entity.objects.none()


def categories_list() -> QuerySet[ProductCategory]:
    return ProductCategory.objects.select_related("subgroup__group")
