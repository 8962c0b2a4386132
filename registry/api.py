from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate
from ninja.security import HttpBearer

from places.models import Commune
from registry import selectors, services
from registry.duplicates import DuplicateProductError
from registry.models import ProductCategory
from registry.services_people import api_token_authenticate

router = Router(tags=["registry"])


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
        return user


def reader(request):
    """Reads accept a token, a session, or nobody (then only published data)."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        user = api_token_authenticate(header[7:].strip())
        if user is not None:
            return user
    return request.user if request.user.is_authenticated else None


class EntityOut(Schema):
    id: int
    kind: str
    legal_name: str
    tax_code: str
    representative: str
    address: str
    commune_id: str
    province_id: str
    founded_year: int | None
    members_count: int
    workers_count: int
    women_count: int
    ethnic_minority_count: int
    description: str
    gln: str


class EntityIn(Schema):
    kind: str
    legal_name: str
    tax_code: str
    representative: str
    address: str
    commune: str = Field(description="Commune code (5 digits)")
    phone: str = ""
    email: str = ""
    founded_year: int | None = None
    members_count: int = 0
    workers_count: int = 0
    women_count: int = 0
    ethnic_minority_count: int = 0
    description: str = ""
    gln: str = ""


class TranslationOut(Schema):
    language: str
    name: str
    short_description: str


class ProductOut(Schema):
    id: int
    entity_id: int
    category_id: str
    commune_id: str
    province_id: str
    code: str
    status: str
    shelf_life_days: int | None
    price_min_vnd: int | None
    price_max_vnd: int | None
    monthly_capacity: int | None
    capacity_unit: str
    translations: list[TranslationOut]
    updated_at: datetime

    @staticmethod
    def resolve_translations(obj):
        return list(obj.translations.all())


class TranslationIn(Schema):
    name: str = ""
    short_description: str = ""
    story: str = ""
    ingredients: str = ""
    usage: str = ""


class ProductIn(Schema):
    entity: int
    category: str = Field(description="Criteria set code, e.g. QD26-11")
    commune: str | None = None
    code: str = ""
    shelf_life_days: int | None = None
    price_min_vnd: int | None = None
    price_max_vnd: int | None = None
    monthly_capacity: int | None = None
    capacity_unit: str = ""
    translations: dict[str, TranslationIn]
    duplicate_reason: str = Field(
        "",
        description="An official's reason for registering the product although another entity of the same "
        "commune has a similar one of the same criteria set (see `matches` in a 422 answer)",
    )


class ProductPatch(Schema):
    category: str | None = None
    commune: str | None = None
    code: str | None = None
    shelf_life_days: int | None = None
    price_min_vnd: int | None = None
    price_max_vnd: int | None = None
    monthly_capacity: int | None = None
    capacity_unit: str | None = None
    translations: dict[str, TranslationIn] | None = None
    duplicate_reason: str = Field("", description="As for POST /products")


class ErrorOut(Schema):
    detail: dict | str


class DuplicateMatchOut(Schema):
    product_id: int
    name: str
    entity_id: int
    entity_name: str
    score: float


class ValidationErrorOut(ErrorOut):
    """Messages by field; `matches` lists the similar products when `detail` has a "duplicate" key."""

    matches: list[DuplicateMatchOut] = []


def _duplicate_refusal(exc: DuplicateProductError) -> Status:
    return Status(422, {"detail": exc.message_dict, "matches": [m.as_dict() for m in exc.matches]})


def _commune(code: str | None) -> Commune | None:
    return Commune.objects.filter(code=code).first() if code else None


def _category(code: str | None) -> ProductCategory | None:
    return ProductCategory.objects.filter(code=code).first() if code else None


@router.get("/entities", response=list[EntityOut])
@paginate(PageNumberPagination, page_size=50)
def list_entities(request, query: str = "", province: str = "", commune: str = "", kind: str = ""):
    return selectors.entities_visible_to(
        reader(request), query=query, province=province, commune=commune, kind=kind
    )


@router.get("/entities/{entity_id}", response={200: EntityOut, 404: ErrorOut})
def get_entity(request, entity_id: int):
    return selectors.entity_detail(reader(request), entity_id)


@router.post("/entities", response={201: EntityOut, 403: ErrorOut, 422: ErrorOut}, auth=TokenAuth())
def create_entity(request, payload: EntityIn):
    data = payload.dict()
    data["commune"] = _commune(data["commune"])
    return Status(201, services.entity_create(actor=request.auth, **data))


@router.get("/products", response=list[ProductOut])
@paginate(PageNumberPagination, page_size=50)
def list_products(
    request,
    query: str = "",
    province: str = "",
    commune: str = "",
    group: str = "",
    category: str = "",
    status: str = "",
):
    return selectors.products_visible_to(
        reader(request),
        query=query,
        province=province,
        commune=commune,
        group=group,
        category=category,
        status=status,
    )


@router.get("/products/{product_id}", response={200: ProductOut, 404: ErrorOut})
def get_product(request, product_id: int):
    return selectors.product_detail(reader(request), product_id)


@router.post(
    "/products",
    response={201: ProductOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    auth=TokenAuth(),
)
def create_product(request, payload: ProductIn):
    entity = selectors.entity_detail(request.auth, payload.entity)
    data = payload.dict(exclude={"entity", "translations"})
    data["category"] = _category(data["category"])
    data["commune"] = _commune(data["commune"]) if data["commune"] else entity.commune
    translations = {lang: tr.dict() for lang, tr in payload.translations.items()}
    try:
        product = services.product_create(
            actor=request.auth, entity=entity, translations=translations, **data
        )
    except DuplicateProductError as exc:
        return _duplicate_refusal(exc)
    return Status(201, selectors.product_detail(request.auth, product.pk))


@router.patch(
    "/products/{product_id}",
    response={200: ProductOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    auth=TokenAuth(),
)
def update_product(request, product_id: int, payload: ProductPatch):
    product = get_object_or_404(selectors.products_visible_to(request.auth), pk=product_id)
    data = payload.dict(exclude_unset=True, exclude={"translations"})
    if "category" in data:
        data["category"] = _category(data["category"])
    if "commune" in data:
        data["commune"] = _commune(data["commune"])
    translations = {lang: tr.dict(exclude_unset=True) for lang, tr in (payload.translations or {}).items()}
    try:
        services.product_update(actor=request.auth, product=product, translations=translations, **data)
    except DuplicateProductError as exc:
        return _duplicate_refusal(exc)
    return selectors.product_detail(request.auth, product_id)
