"""Reads of the public catalogue: only what the public may see (registry's public scope,
`products_visible_to(None)`), only public facts (opendata.fields' allow-list is the rule: never a tax
code, phone, e-mail, representative or worker counts). Every list here is paginated or bounded."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from certificates.models import Certificate
from places.models import Commune, Province
from registry import selectors as registry_selectors
from registry.models import (
    Entity,
    OcopGroup,
    Packaging,
    Product,
    ProductImage,
    ProductTranslation,
    Recognition,
)

STARS = (3, 4, 5)  # only 3★–5★ are recognised and certified (Decision 26/2026, Art. 3.3)
# What the browse page offers as "recognition": the registry's kinds (VietGAP, golden brand, export…).
RECOGNITIONS = tuple(Recognition.Kind.values)


@dataclass
class BrowseFilters:
    province: str = ""
    commune: str = ""
    group: str = ""
    star: int | None = None
    recognition: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return bool(self.province or self.commune or self.group or self.star or self.recognition)


def browse_filters(params) -> BrowseFilters:
    """The browse page's GET filters. An unknown value is dropped with a message saying so: the
    visitor sees every product of the other filters, never an error page."""
    found = BrowseFilters()
    province = (params.get("province") or "").strip()[:10]
    if province:
        if Province.objects.filter(pk=province).exists():
            found.province = province
        else:
            found.problems.append(
                _("There is no province with the code “%(code)s”; showing every province.")
                % {"code": province}
            )
    commune = (params.get("commune") or "").strip()[:10]
    if commune:
        row = Commune.objects.filter(pk=commune).values_list("province_id", flat=True).first()
        if row is None or (found.province and row != found.province):
            found.problems.append(
                _("There is no commune with the code “%(code)s” here; showing every commune.")
                % {"code": commune}
            )
        else:
            found.commune = commune
    group = (params.get("group") or "").strip()[:4]
    if group:
        if OcopGroup.objects.filter(pk=group).exists():
            found.group = group
        else:
            found.problems.append(
                _("There is no OCOP group “%(code)s”; showing every group.") % {"code": group}
            )
    star = (params.get("star") or "").strip()[:4]
    if star:
        if star.isdigit() and int(star) in STARS:
            found.star = int(star)
        else:
            found.problems.append(_("Stars go from 3 to 5; showing every star rating."))
    recognition = (params.get("recognition") or "").strip()[:30]
    if recognition:
        if recognition in RECOGNITIONS:
            found.recognition = recognition
        else:
            found.problems.append(_("Unknown recognition; showing products with any recognition."))
    return found


def _valid_certificates(today: date) -> QuerySet[Certificate]:
    # A passed date is expired even before the nightly lapse job has run (certificate_verdict).
    return Certificate.objects.filter(status=Certificate.Status.VALID, valid_until__gte=today)


def _current_recognitions(today: date) -> Q:
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=today)) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=today)
    )


def catalogue_products(
    filters: BrowseFilters | None = None, *, today: date, query: str = ""
) -> QuerySet[Product]:
    """Public products, each annotated with `stars` (its valid certificate's, or None), best first;
    `query` is the registry's plain name match (the search page has the full search)."""
    filters = filters or BrowseFilters()
    stars = (
        _valid_certificates(today)
        .filter(product=OuterRef("pk"))
        .order_by("-stars", "-valid_until")
        .values("stars")[:1]
    )
    qs = registry_selectors.products_visible_to(
        None, query=query, province=filters.province, commune=filters.commune, group=filters.group
    ).annotate(stars=Subquery(stars, output_field=IntegerField()))
    if filters.star:
        qs = qs.filter(stars=filters.star)
    if filters.recognition:
        held = Recognition.objects.filter(_current_recognitions(today), kind=filters.recognition).filter(
            Q(product=OuterRef("pk")) | Q(product__isnull=True, entity=OuterRef("entity_id"))
        )
        qs = qs.filter(Exists(held))
    # PostgreSQL puts NULLs first in a descending order, SQLite last: products without a valid
    # certificate go last on both.
    return qs.order_by(F("stars").desc(nulls_last=True), "name_folded", "pk")


def featured_products(*, today: date, limit: int = 8) -> list[Product]:
    """The home page's products: the highest stars first."""
    return list(catalogue_products(today=today)[:limit])


@dataclass(frozen=True)
class Facet:
    value: str
    label: str
    count: int


def province_counts(qs: QuerySet[Product]) -> list[Facet]:
    rows = qs.order_by().values("province_id", "province__name").annotate(n=Count("pk", distinct=True))
    facets = [Facet(r["province_id"], r["province__name"], r["n"]) for r in rows]
    return sorted(facets, key=lambda f: f.label)


def commune_counts(qs: QuerySet[Product]) -> list[Facet]:
    rows = qs.order_by().values("commune_id", "commune__name").annotate(n=Count("pk", distinct=True))
    return sorted((Facet(r["commune_id"], r["commune__name"], r["n"]) for r in rows), key=lambda f: f.label)


def group_counts(qs: QuerySet[Product], *, english: bool) -> list[Facet]:
    rows = (
        qs.order_by()
        .values("category__subgroup__group_id")
        .annotate(n=Count("pk", distinct=True))
        .values_list("category__subgroup__group_id", "n")
    )
    counts = dict(rows)
    return [
        Facet(g.code, g.name_en if english else g.name_vi, counts.get(g.code, 0))
        for g in OcopGroup.objects.all()
        if counts.get(g.code)
    ]


def star_counts(qs: QuerySet) -> list[Facet]:
    """Counts per star of a `catalogue_products` queryset (annotated with `stars`)."""
    rows = dict(
        qs.order_by().values("stars").annotate(n=Count("pk", distinct=True)).values_list("stars", "n")
    )
    return [Facet(str(star), str(star), rows[star]) for star in sorted(STARS, reverse=True) if rows.get(star)]


def recognition_counts(qs: QuerySet[Product], *, today: date) -> list[Facet]:
    ids = qs.order_by().values("pk")
    entity_ids = qs.order_by().values("entity_id")
    current = Recognition.objects.filter(_current_recognitions(today))
    own = dict(
        current.filter(product_id__in=ids)
        .values("kind")
        .annotate(n=Count("product_id", distinct=True))
        .values_list("kind", "n")
    )
    entity_wide = set(
        current.filter(product__isnull=True, entity_id__in=entity_ids).values_list("kind", flat=True)
    )
    labels = dict(Recognition.Kind.choices)
    return [
        Facet(kind, str(labels[kind]), own.get(kind, 0))
        for kind in RECOGNITIONS
        if own.get(kind) or kind in entity_wide
    ]


def provinces_with_products(*, today: date) -> list[Facet]:
    return province_counts(catalogue_products(today=today))


# --- one product, one producer --------------------------------------------------------------------


def product_page(pk: int) -> Product:
    """A public product with what its page shows (Product.DoesNotExist for any other)."""
    return registry_selectors.product_detail(None, pk)


@dataclass(frozen=True)
class RecognitionShown:
    kind: str
    label: str
    issuer: str
    number: str
    valid_from: date | None
    valid_to: date | None
    note: str
    entity_wide: bool


def recognitions_of(product: Product, *, today: date) -> list[RecognitionShown]:
    """The product's current recognitions and its producer's entity-wide ones, except export markets
    (those are listed on their own: `export_markets_of`)."""
    rows = (
        Recognition.objects.filter(_current_recognitions(today), entity_id=product.entity_id)
        .filter(Q(product=product) | Q(product__isnull=True))
        .exclude(kind=Recognition.Kind.EXPORT_MARKET)
        .order_by("kind", "id")
    )
    return [
        RecognitionShown(
            r.kind,
            r.get_kind_display(),
            r.issuer,
            r.number,
            r.valid_from,
            r.valid_to,
            r.note,
            r.product_id is None,
        )
        for r in rows
    ]


def export_markets_of(product: Product, *, today: date) -> list[str]:
    """Export markets are recognitions of kind export_market whose note names the markets
    ("Nhật Bản; Liên minh châu Âu"): one entry per market, in the order given, without repeats."""
    notes = (
        Recognition.objects.filter(
            _current_recognitions(today), kind=Recognition.Kind.EXPORT_MARKET, entity_id=product.entity_id
        )
        .filter(Q(product=product) | Q(product__isnull=True))
        .order_by("id")
        .values_list("note", flat=True)
    )
    markets: list[str] = []
    for note in notes:
        for market in note.split(";"):
            market = market.strip()
            if market and market not in markets:
                markets.append(market)
    return markets


def packagings_of(product: Product) -> list[Packaging]:
    return list(product.packagings.all())


def images_of(product: Product) -> list[ProductImage]:
    return sorted(product.images.all(), key=lambda image: (image.position, image.pk))


def producer_page(pk: int) -> Entity:
    """A producer the public may see (one with a public product); Entity.DoesNotExist otherwise."""
    return registry_selectors.entity_detail(None, pk)


def producer_products(entity: Entity, *, today: date) -> QuerySet[Product]:
    filters = BrowseFilters()
    return catalogue_products(filters, today=today).filter(entity=entity)


# --- feeds and sitemap ------------------------------------------------------------------------------


def feed_products(*, today: date, entity: Entity | None = None, province: Province | None = None):
    """Public products of one producer or one province with what a shopping feed needs."""
    qs = catalogue_products(today=today)
    if entity is not None:
        qs = qs.filter(entity=entity)
    if province is not None:
        qs = qs.filter(province=province)
    # The list's prefetches read names and thumbnails only: a feed needs the texts, photos, GTINs.
    return (
        qs.prefetch_related(None)
        .prefetch_related(
            Prefetch("translations", queryset=ProductTranslation.objects.filter(language="vi")),
            "images",
            Prefetch("packagings", queryset=Packaging.objects.order_by("size", "id")),
        )
        .select_related("category__subgroup__group")
    )


def feed_entity(pk: int) -> Entity:
    return producer_page(pk)


def feed_province(code: str) -> Province:
    return Province.objects.get(pk=code)


def sitemap_products() -> Iterable[tuple[int, date]]:
    return (
        registry_selectors.products_visible_to(None)
        .prefetch_related(None)
        .order_by("pk")
        .values_list("pk", "updated_at")
    )


def sitemap_producers() -> Iterable[tuple[int, date]]:
    return registry_selectors.entities_visible_to(None).order_by("pk").values_list("pk", "updated_at")
