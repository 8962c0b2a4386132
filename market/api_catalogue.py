"""The public catalogue as JSON (no login): public products with the browse page's filters, and one
product. Public fields only, the same allow-list spirit as opendata.fields: never a tax code, phone,
e-mail, representative, address or worker counts. A bad filter is refused with a message (422),
unlike the page, which drops it and says so: a program should learn its request was wrong."""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema

from certificates.models import Certificate
from certificates.selectors import verification_url
from market import selectors_catalogue as selectors
from market.sharing import absolute
from registry.languages import CONTENT_LANGUAGES
from registry.models import Product

router = Router(tags=["catalogue"])
PAGE_SIZE = 50


class ProducerOut(Schema):
    id: int
    name: str
    kind: str
    province_code: str
    province_name: str
    commune_code: str
    commune_name: str
    url: str


class CertificateOut(Schema):
    stars: int
    number: str
    valid_from: date
    valid_until: date
    verification_url: str


class ProductOut(Schema):
    id: int
    code: str
    names: dict[str, str]
    criteria_set_code: str
    ocop_group_code: str
    province_code: str
    province_name: str
    commune_code: str
    commune_name: str
    stars: int | None
    price_min_vnd: int | None
    price_max_vnd: int | None
    url: str
    image_url: str | None
    producer: ProducerOut


class ProductDetailOut(ProductOut):
    short_descriptions: dict[str, str]
    stories_html: dict[str, str]
    certificate: CertificateOut | None
    recognitions: list[str]
    export_markets: list[str]
    packagings: list[str]
    gtins: list[str]


class ProductPage(Schema):
    count: int
    page: int
    pages: int
    items: list[ProductOut]


def _product_row(product: Product) -> dict:
    images = sorted(product.images.all(), key=lambda image: (image.position, image.pk))
    entity = product.entity
    return {
        "id": product.pk,
        "code": product.code,
        "names": {tr.language: tr.name for tr in product.translations.all()},
        "criteria_set_code": product.category_id,
        "ocop_group_code": product.category.subgroup.group_id,
        "province_code": product.province_id,
        "province_name": product.province.name,
        "commune_code": product.commune_id,
        "commune_name": product.commune.name,
        "stars": getattr(product, "stars", None),
        "price_min_vnd": product.price_min_vnd,
        "price_max_vnd": product.price_max_vnd,
        "url": absolute(reverse("market:product", args=[product.pk])),
        "image_url": absolute(images[0].thumbnail.url) if images else None,
        "producer": {
            "id": entity.pk,
            "name": entity.legal_name,
            "kind": entity.kind,
            "province_code": entity.province_id,
            "province_name": entity.province.name,
            "commune_code": entity.commune_id,
            "commune_name": entity.commune.name,
            "url": absolute(reverse("market:producer", args=[entity.pk])),
        },
    }


@router.get("/products", response=ProductPage, summary="Public OCOP products")
def products(
    request,
    province: str = "",
    commune: str = "",
    group: str = "",
    star: str = "",
    recognition: str = "",
    q: str = "",
    page: str = "1",
):
    filters = selectors.browse_filters(
        {"province": province, "commune": commune, "group": group, "star": star, "recognition": recognition}
    )
    if filters.problems:
        raise ValidationError(filters.problems)
    if not page.isdigit() or int(page) < 1:
        raise ValidationError({"page": [_("The page must be a whole number from 1.")]})
    qs = selectors.catalogue_products(filters, today=timezone.localdate(), query=q[:200]).select_related(
        "entity__province", "entity__commune", "category__subgroup"
    )
    paginator = Paginator(qs, PAGE_SIZE)
    number = min(int(page[:6]), max(paginator.num_pages, 1))
    current = paginator.page(number)
    return {
        "count": paginator.count,
        "page": number,
        "pages": paginator.num_pages,
        "items": [_product_row(p) for p in current.object_list],
    }


@router.get("/products/{pk}", response=ProductDetailOut, summary="One public OCOP product")
def product(request, pk: int):
    today = timezone.localdate()
    found = (
        selectors.catalogue_products(today=today)
        .filter(pk=pk)
        .select_related("entity__province", "entity__commune", "category__subgroup")
    )
    item = found.prefetch_related("translations", "packagings").first()
    if item is None:
        raise Product.DoesNotExist(pk)
    row = _product_row(item)
    texts = {tr.language: tr for tr in item.translations.all()}
    languages = [code for code, _name in CONTENT_LANGUAGES if code in texts]
    certificate = (
        Certificate.objects.filter(product=item, status=Certificate.Status.VALID, valid_until__gte=today)
        .order_by("-valid_until")
        .first()
    )
    row.update(
        short_descriptions={code: texts[code].short_description for code in languages},
        stories_html={code: texts[code].story for code in languages},
        certificate=None
        if certificate is None
        else {
            "stars": certificate.stars,
            "number": certificate.number,
            "valid_from": certificate.valid_from,
            "valid_until": certificate.valid_until,
            "verification_url": verification_url(certificate),
        },
        recognitions=sorted({r.kind for r in selectors.recognitions_of(item, today=today)}),
        export_markets=selectors.export_markets_of(item, today=today),
        packagings=[str(p) for p in item.packagings.all()],
        gtins=[p.gtin for p in item.packagings.all() if p.gtin],
    )
    return row
