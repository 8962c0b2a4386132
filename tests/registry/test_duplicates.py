"""Issue 4: a commune should not have two entities registering the same product type."""

import json
import time

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from audit.models import AuditEvent
from ocop_hub.text import fold
from registry.duplicates import DuplicateIndex, name_similarity, product_duplicates_find
from registry.models import Product, ProductCategory, ProductTranslation, Role
from registry.services import product_create, product_set_status, product_update
from registry.services_people import api_token_create
from tests.factories import commune, make_entity, make_product, make_user, with_role

pytestmark = pytest.mark.django_db

TEA = "QD26-11"
HONEY = "QD26-04"
ACCEPTED = "Đã kiểm tra"  # for fixtures that set up more than one similar product


def _messages(exc) -> str:
    return " ".join(m for msgs in exc.value.message_dict.values() for m in msgs)


def _register(*, actor=None, entity, name, category=TEA, **extra) -> Product:
    return product_create(
        actor=actor,
        entity=entity,
        category=ProductCategory.objects.get(code=category),
        translations={"vi": {"name": name}},
        **extra,
    )


def _counts() -> tuple[int, int, int]:
    return Product.objects.count(), ProductTranslation.objects.count(), AuditEvent.objects.count()


@pytest.fixture
def place():
    return commune("Lào Cai", "Mù Cang Chải")


@pytest.fixture
def tan_phong(place):
    """An entity that already registered a Shan tuyết tea in the commune."""
    entity = make_entity(commune_obj=place, legal_name="HTX Tân Phong")
    return make_product(entity=entity, name="Chè Shan tuyết", category=TEA)


@pytest.fixture
def newcomer(place):
    return make_entity(commune_obj=place, legal_name="HTX Chế Cu Nha")


def _member_of(entity):
    return with_role(make_user(), Role.Kind.ENTITY_MEMBER, entity=entity)


def _commune_official(place):
    return with_role(make_user(), Role.Kind.COMMUNE, commune=place)


def _province_official(place):
    return with_role(make_user(), Role.Kind.PROVINCE, province=place.province)


# --- the similarity -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Chè Shan Tuyết Hà Giang", "Che shan tuyet Ha Giang"),
        ("Miến dong", "Miến dong Bình Liêu"),
        ("Chè Shan tuyết", "Chè Shan tuyết Tân Phong"),
        ("Miến dong Bình Liêu", "Bình Liêu miến dong"),
        ("Mật ong bạc hà", "MẬT ONG BẠC HÀ"),
    ],
)
def test_similar_names_score_at_least_the_threshold(a, b, settings):
    assert name_similarity(fold(a), fold(b)) >= settings.OCOP_DUPLICATE_NAME_SCORE


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Mật ong bạc hà", "Chè shan tuyết"),
        ("Chè xanh", "Chè đen"),
        ("Bánh chưng", "Bánh giầy"),
        ("Cam sành Hà Giang", "Cam sành Bắc Quang"),
    ],
)
def test_different_names_score_below_the_threshold(a, b, settings):
    assert name_similarity(fold(a), fold(b)) < settings.OCOP_DUPLICATE_NAME_SCORE


def test_an_empty_name_is_like_nothing():
    assert name_similarity("", "che") == 0
    assert name_similarity("che", "") == 0


def test_the_threshold_is_a_setting(tan_phong, newcomer, settings):
    settings.OCOP_DUPLICATE_NAME_SCORE = 96  # the name scores 95: a subset of tokens (x 0.95)
    assert not product_duplicates_find(commune=newcomer.commune, category=TEA, name="Chè Shan tuyết Sa Pa")
    settings.OCOP_DUPLICATE_NAME_SCORE = 85
    assert product_duplicates_find(commune=newcomer.commune, category=TEA, name="Chè Shan tuyết Sa Pa")


# --- the finder -----------------------------------------------------------------------------------


def test_it_finds_another_entitys_similar_product_in_one_query(
    tan_phong, newcomer, django_assert_num_queries
):
    tea = ProductCategory.objects.get(code=TEA)
    with django_assert_num_queries(1):
        matches = product_duplicates_find(
            commune=newcomer.commune,
            category=tea,
            name="Che shan tuyet",
            entity=newcomer,
        )
    assert [(m.product_id, m.name, m.entity_id, m.entity_name) for m in matches] == [
        (tan_phong.pk, "Chè Shan tuyết", tan_phong.entity_id, "HTX Tân Phong")
    ]
    assert matches[0].score == 100


def test_it_lists_the_best_match_first(tan_phong, newcomer, place):
    other = make_product(
        entity=make_entity(commune_obj=place, legal_name="HTX Khác"),
        name="Chè Shan tuyết cổ thụ Mù Cang",
        duplicate_reason=ACCEPTED,
    )
    matches = product_duplicates_find(commune=place, category=TEA, name="Chè Shan tuyết", entity=newcomer)
    assert [m.product_id for m in matches] == [tan_phong.pk, other.pk]
    assert matches[0].score > matches[1].score


# --- the services ---------------------------------------------------------------------------------


def test_it_refuses_a_similar_product_of_another_entity_and_writes_nothing(tan_phong, newcomer, english):
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        _register(actor=_member_of(newcomer), entity=newcomer, name="Che shan tuyet")
    assert exc.value.error_dict["duplicate"][0].code == "duplicate"
    message = exc.value.message_dict["duplicate"][0]
    assert message == (
        "Another entity in this commune already registered a similar product of the same criteria set: "
        "“Chè Shan tuyết” (HTX Tân Phong). An official can accept it with a reason."
    )
    assert exc.value.matches[0].product_id == tan_phong.pk
    assert _counts() == before


def test_the_same_entitys_second_product_is_not_a_duplicate(tan_phong):
    second = _register(entity=tan_phong.entity, name="Chè Shan tuyết Tân Phong")
    assert second.name_folded == "che shan tuyet tan phong"


def test_another_commune_or_another_criteria_set_is_not_a_duplicate(tan_phong, place):
    elsewhere = make_entity(commune_obj=commune("Lạng Sơn"))
    assert _register(entity=elsewhere, name="Chè Shan tuyết").pk
    neighbour = make_entity(commune_obj=place)
    assert _register(entity=neighbour, name="Chè Shan tuyết", category=HONEY).pk


def test_the_commune_of_production_counts_not_the_entitys(tan_phong, place):
    """An entity seated elsewhere in the province that produces in the commune is a duplicate there."""
    other_seat = commune("Lào Cai", "Sa Pa")
    assert other_seat.pk != place.pk
    seated_elsewhere = make_entity(commune_obj=other_seat)
    with pytest.raises(ValidationError):
        _register(entity=seated_elsewhere, name="Chè Shan tuyết", commune=place)
    assert _register(entity=seated_elsewhere, name="Chè Shan tuyết").commune == other_seat


def test_a_withdrawn_product_is_ignored(tan_phong, newcomer):
    product_set_status(actor=None, product=tan_phong, status=Product.Status.WITHDRAWN)
    assert _register(entity=newcomer, name="Chè Shan tuyết").pk


@pytest.mark.parametrize("official", [_commune_official, _province_official])
def test_an_official_accepts_a_similar_product_with_a_reason(tan_phong, newcomer, place, official):
    user = official(place)
    product = _register(
        actor=user, entity=newcomer, name="Chè Shan tuyết", duplicate_reason="Hai vùng chè khác nhau"
    )
    event = AuditEvent.objects.get(action="product.duplicate_accept", object_id=str(product.pk))
    assert event.actor == user
    assert event.reason == "Hai vùng chè khác nhau"
    assert event.after["matches"] == [
        {
            "product_id": tan_phong.pk,
            "name": "Chè Shan tuyết",
            "entity_id": tan_phong.entity_id,
            "entity_name": "HTX Tân Phong",
            "score": 100.0,
        }
    ]
    assert AuditEvent.objects.filter(action="product.create", object_id=str(product.pk)).exists()


def test_the_platform_may_accept_too(tan_phong, newcomer):
    product = _register(entity=newcomer, name="Chè Shan tuyết", duplicate_reason="Nhập từ sổ của tỉnh")
    assert AuditEvent.objects.filter(action="product.duplicate_accept", object_id=str(product.pk)).exists()


def test_a_reason_without_a_match_records_no_acceptance(newcomer):
    product = _register(entity=newcomer, name="Mật ong bạc hà", duplicate_reason="Phòng khi trùng")
    assert not AuditEvent.objects.filter(action="product.duplicate_accept").exists()
    assert product.pk


def test_an_entity_member_cannot_accept(tan_phong, newcomer, english):
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        _register(
            actor=_member_of(newcomer), entity=newcomer, name="Chè Shan tuyết", duplicate_reason="Của tôi"
        )
    assert exc.value.message_dict["duplicate_reason"] == [
        "Only a commune or province official can accept a similar product."
    ]
    assert _counts() == before


def test_an_official_of_another_commune_cannot_accept(tan_phong, newcomer, place, english):
    """The entity is seated in its commune, so that commune's official manages it; the product is made
    in another commune, whose officials alone (or the province's) may accept the duplicate there."""
    other = commune("Lào Cai", "Sa Pa")
    producer = make_entity(commune_obj=other)
    make_product(entity=make_entity(commune_obj=other), name="Mật ong bạc hà", category=HONEY)
    official_of_seat = with_role(make_user(), Role.Kind.COMMUNE, commune=place)
    producer_here = make_entity(commune_obj=place)
    with pytest.raises(ValidationError) as exc:
        _register(
            actor=official_of_seat,
            entity=producer_here,
            name="Mật ong bạc hà",
            category=HONEY,
            commune=other,
            duplicate_reason="Khác vùng",
        )
    assert "Only a commune or province official" in _messages(exc)
    assert not Product.objects.filter(entity=producer_here).exists()
    assert producer.pk


def test_a_reason_is_plain_text(tan_phong, newcomer, english):
    with pytest.raises(ValidationError) as exc:
        _register(entity=newcomer, name="Chè Shan tuyết", duplicate_reason="<b>đồng ý</b>")
    assert "HTML is not allowed" in exc.value.message_dict["duplicate_reason"][0]


def test_renaming_to_a_similar_name_is_checked_like_a_registration(tan_phong, newcomer, place, english):
    product = _register(entity=newcomer, name="Mật ong bạc hà", category=TEA)
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        product_update(actor=None, product=product, translations={"vi": {"name": "Chè Shan Tuyết"}})
    assert "“Chè Shan tuyết” (HTX Tân Phong)" in _messages(exc)
    assert _counts() == before
    product.refresh_from_db()
    assert product.name_folded == "mat ong bac ha"
    user = _province_official(place)
    product_update(
        actor=user,
        product=product,
        translations={"vi": {"name": "Chè Shan Tuyết"}},
        duplicate_reason="Đã kiểm tra tại xã",
    )
    product.refresh_from_db()
    assert product.name_folded == "che shan tuyet"
    assert AuditEvent.objects.get(action="product.duplicate_accept").reason == "Đã kiểm tra tại xã"


def test_moving_to_the_commune_or_criteria_set_of_a_similar_product_is_checked(tan_phong, newcomer):
    product = _register(entity=newcomer, name="Chè Shan tuyết", category=HONEY)
    with pytest.raises(ValidationError):
        product_update(actor=None, product=product, category=ProductCategory.objects.get(code=TEA))
    product.refresh_from_db()
    assert product.category_id == HONEY


def test_an_accepted_product_is_edited_without_a_new_acceptance(tan_phong, newcomer):
    product = _register(entity=newcomer, name="Chè Shan tuyết", duplicate_reason="Đã kiểm tra")
    product_update(
        actor=_member_of(newcomer),
        product=product,
        price_min_vnd=100_000,
        translations={"vi": {"name": "Chè Shan tuyết", "short_description": "Búp non"}},
    )
    product.refresh_from_db()
    assert product.price_min_vnd == 100_000
    assert AuditEvent.objects.filter(action="product.duplicate_accept").count() == 1


# --- the pages ------------------------------------------------------------------------------------


def _form(place, name="Che shan tuyet", **extra):
    return {
        "category": TEA,
        "commune": place.code,
        "name_vi": name,
        "short_description_vi": "Búp chè cổ thụ",
        "price_min_vnd": "120000",
        **extra,
    }


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_form_shows_the_match_and_tells_a_member_to_ask_an_official(tan_phong, newcomer, place):
    client = _client(_member_of(newcomer))
    before = _counts()
    response = client.post(f"/entities/{newcomer.pk}/products/new/", _form(place), HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="duplicates"' in page
    assert "Chè Shan tuyết" in page and "HTX Tân Phong" in page and "100 %" in page
    assert "a commune or province official must accept it" in page
    assert 'name="duplicate_reason"' not in page
    # The other entity's draft is not the member's to open: named, not linked.
    assert f'href="/products/{tan_phong.pk}/"' not in page
    # What was typed stays in the form.
    assert 'value="Che shan tuyet"' in page and 'value="Búp chè cổ thụ"' in page and 'value="120000"' in page
    assert _counts() == before


def test_the_page_shows_the_match_in_the_default_language_too(tan_phong, newcomer, place):
    client = _client(_member_of(newcomer))
    page = client.post(f"/entities/{newcomer.pk}/products/new/", _form(place)).content.decode()
    assert 'id="duplicates"' in page and "HTX Tân Phong" in page and "100 %" in page


def test_an_official_accepts_through_the_page(tan_phong, newcomer, place):
    client = _client(_commune_official(place))
    url = f"/entities/{newcomer.pk}/products/new/"
    page = client.post(url, _form(place), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'name="duplicate_reason"' in page
    assert "Reason for accepting" in page
    assert f'href="/products/{tan_phong.pk}/"' in page
    assert not Product.objects.filter(entity=newcomer).exists()

    response = client.post(url, _form(place, duplicate_reason="Vùng nguyên liệu riêng, đã kiểm tra"))
    product = Product.objects.get(entity=newcomer)
    assert response.status_code == 302 and response["Location"] == f"/products/{product.pk}/"
    assert product.price_min_vnd == 120000
    event = AuditEvent.objects.get(action="product.duplicate_accept", object_id=str(product.pk))
    assert event.reason == "Vùng nguyên liệu riêng, đã kiểm tra"
    assert "product.duplicate_accept" in client.get(f"/products/{product.pk}/").content.decode()


def test_a_forged_reason_from_a_member_is_refused_on_the_page(tan_phong, newcomer, place):
    client = _client(_member_of(newcomer))
    page = client.post(
        f"/entities/{newcomer.pk}/products/new/",
        _form(place, duplicate_reason="Tự chấp nhận"),
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()
    assert "Only a commune or province official can accept a similar product." in page
    assert not Product.objects.filter(entity=newcomer).exists()


def test_the_edit_page_checks_a_new_name(tan_phong, newcomer, place):
    product = make_product(entity=newcomer, name="Mật ong", category=TEA)
    client = _client(_member_of(newcomer))
    page = client.post(f"/products/{product.pk}/edit/", _form(place)).content.decode()
    assert 'id="duplicates"' in page and "HTX Tân Phong" in page
    product.refresh_from_db()
    assert product.name_folded == "mat ong"


# --- the API --------------------------------------------------------------------------------------


def _post(url, payload, key, method="post"):
    return getattr(Client(), method)(
        url,
        data=json.dumps(payload),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_the_api_answers_the_matches_and_an_official_accepts(tan_phong, newcomer, place):
    _token, member_key = api_token_create(actor=_member_of(newcomer), name="shop")
    payload = {"entity": newcomer.pk, "category": TEA, "translations": {"vi": {"name": "Chè Shan Tuyết"}}}
    before = _counts()
    response = _post("/api/products", payload, member_key)
    assert response.status_code == 422
    body = response.json()
    assert "HTX Tân Phong" in body["detail"]["duplicate"][0]
    assert body["matches"] == [
        {
            "product_id": tan_phong.pk,
            "name": "Chè Shan tuyết",
            "entity_id": tan_phong.entity_id,
            "entity_name": "HTX Tân Phong",
            "score": 100.0,
        }
    ]
    refused = _post("/api/products", {**payload, "duplicate_reason": "Của tôi"}, member_key)
    assert refused.status_code == 422 and "duplicate_reason" in refused.json()["detail"]
    assert _counts() == before

    _token, official_key = api_token_create(actor=_province_official(place), name="import")
    accepted = _post("/api/products", {**payload, "duplicate_reason": "Đã kiểm tra"}, official_key)
    assert accepted.status_code == 201, accepted.content
    assert AuditEvent.objects.filter(
        action="product.duplicate_accept", object_id=str(accepted.json()["id"])
    ).exists()


def test_the_api_checks_a_patch_too(tan_phong, newcomer):
    product = make_product(entity=newcomer, name="Mật ong", category=TEA)
    _token, key = api_token_create(actor=_member_of(newcomer), name="shop")
    response = _post(
        f"/api/products/{product.pk}",
        {"translations": {"vi": {"name": "Chè Shan tuyết"}}},
        key,
        method="patch",
    )
    assert response.status_code == 422
    assert response.json()["matches"][0]["product_id"] == tan_phong.pk
    response = _post(f"/api/products/{product.pk}", {"price_min_vnd": 5000}, key, method="patch")
    assert response.status_code == 200


# --- the index for importers ----------------------------------------------------------------------


def test_the_index_finds_what_the_query_finds(tan_phong, newcomer, place, django_assert_num_queries):
    make_product(
        entity=make_entity(commune_obj=place, legal_name="HTX B"),
        name="Chè Shan tuyết cổ thụ",
        duplicate_reason=ACCEPTED,
    )
    withdrawn = make_product(
        entity=make_entity(commune_obj=place), name="Chè Shan tuyết Mù Cang", duplicate_reason=ACCEPTED
    )
    product_set_status(actor=None, product=withdrawn, status=Product.Status.WITHDRAWN)
    make_product(entity=make_entity(commune_obj=commune("Lạng Sơn")), name="Chè Shan tuyết")
    with django_assert_num_queries(1):
        index = DuplicateIndex.load()
    for name in ["Chè Shan tuyết", "Che shan tuyet co thu", "Mật ong bạc hà"]:
        expected = product_duplicates_find(commune=place, category=TEA, name=name, entity=newcomer)
        assert index.find(place.code, TEA, name, entity_id=newcomer.pk) == expected
    assert withdrawn.pk not in {m.product_id for m in index.find(place.code, TEA, "Chè Shan tuyết")}
    own = index.find(place.code, TEA, "Chè Shan tuyết", entity_id=tan_phong.entity_id)
    assert tan_phong.pk not in {m.product_id for m in own}
    excluded = index.find(place.code, TEA, "Chè Shan tuyết", exclude_product_id=tan_phong.pk)
    assert tan_phong.pk not in {m.product_id for m in excluded}


def test_the_index_loads_one_province(tan_phong):
    make_product(entity=make_entity(commune_obj=commune("Lạng Sơn")), name="Na Chi Lăng", category="QD26-01")
    index = DuplicateIndex.load(province_code=tan_phong.province_id)
    assert len(index) == Product.objects.filter(province_id=tan_phong.province_id).count()


def test_rows_added_during_an_import_count(place):
    index = DuplicateIndex.load()
    assert index.find(place.code, TEA, "Miến dong", entity_id=1) == []
    index.add(
        product_id=-1,
        entity_id=2,
        commune_id=place.code,
        category_id=TEA,
        name="Miến dong Bình Liêu",
        entity_name="HTX Miến dong",
    )
    [match] = index.find(place.code, TEA, "Miến dong", entity_id=1)
    assert (match.product_id, match.name, match.entity_name) == (-1, "Miến dong Bình Liêu", "HTX Miến dong")
    assert index.find(place.code, TEA, "Miến dong", entity_id=2) == []


def test_an_unsaved_row_counts_and_ranks_after_saved_ones(tan_phong, place):
    index = DuplicateIndex.load()
    index.add(
        product_id=None,
        entity_id=-7,
        commune_id=place.code,
        category_id=TEA,
        name="Chè Shan tuyết",
        entity_name="HTX mới trong tệp",
    )
    matches = index.find(place.code, TEA, "Chè Shan tuyết", entity_id=-8)
    assert [(m.product_id, m.entity_name) for m in matches] == [
        (tan_phong.pk, "HTX Tân Phong"),
        (None, "HTX mới trong tệp"),
    ]
    assert [m.product_id for m in index.find(place.code, TEA, "Chè Shan tuyết", entity_id=-7)] == [
        tan_phong.pk
    ]


def test_the_index_answers_17000_products_quickly():
    """The national registry (~17,000 products) checked row by row, as an importer does."""
    words = ["che", "mat ong", "mien", "gao", "ruou", "nuoc mam", "tra", "banh", "mang", "nam"]
    rows = [
        (i, i % 9000, f"{i % 3300:05d}", f"QD26-{i % 26 + 1:02d}", f"{words[i % 10]} {i}", f"P{i}", f"E{i}")
        for i in range(17_000)
    ]
    started = time.perf_counter()
    index = DuplicateIndex(rows)
    for i in range(17_000):
        index.find(f"{i % 3300:05d}", f"QD26-{i % 26 + 1:02d}", f"{words[i % 10]} {i}", entity_id=i % 9000)
    # Measured ~0.1 s; the bound only catches a return to comparing every row with every row (minutes).
    assert time.perf_counter() - started < 10
