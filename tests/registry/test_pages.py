import pytest
from django.test import Client
from django.utils import timezone

from registry.models import Entity, Product, ProductImage, Role
from tests.factories import commune, image_upload, make_entity, make_product, make_user, with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    entity = make_entity(commune_obj=commune("Lào Cai", "Mù Cang Chải"), legal_name="HTX Thổ cẩm Mông")
    user = with_role(make_user(), Role.Kind.ENTITY_MEMBER, entity=entity)
    client = Client()
    client.force_login(user)
    return client, user, entity


@pytest.fixture
def official():
    lao_cai = commune("Lào Cai").province
    user = with_role(make_user(), Role.Kind.PROVINCE, province=lao_cai)
    client = Client()
    client.force_login(user)
    return client, user, lao_cai


def test_a_member_creates_a_product_and_sees_it_in_my_products(member):
    client, _user, entity = member
    response = client.post(
        f"/entities/{entity.pk}/products/new/",
        {
            "category": "QD26-22",
            "commune": entity.commune_id,
            "name_vi": "Khăn thổ cẩm Mông",
            "name_en": "Hmong brocade scarf",
            "story_vi": "<p>Dệt tay</p>",
        },
    )
    product = Product.objects.get(entity=entity)
    assert response.status_code == 302 and response["Location"] == f"/products/{product.pk}/"
    page = client.get("/my/products/").content.decode()
    assert "Khăn thổ cẩm Mông" in page


def test_a_member_uploads_an_image_and_it_shows(member):
    client, _user, entity = member
    product = make_product(entity=entity)
    response = client.post(
        f"/products/{product.pk}/images/", {"image": image_upload(), "alt_text": "Ảnh"}, follow=True
    )
    image = ProductImage.objects.get(product=product)
    assert image.image.url in response.content.decode()


def test_a_fake_image_is_refused_with_a_message_in_vietnamese(member, vietnamese):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client, _user, entity = member
    product = make_product(entity=entity)
    fake = SimpleUploadedFile("anh.png", b"GIF89a not really", content_type="image/png")
    response = client.post(
        f"/products/{product.pk}/images/", {"image": fake}, follow=True, HTTP_ACCEPT_LANGUAGE="vi"
    )
    assert "Tệp này không phải là ảnh hợp lệ" in response.content.decode()
    assert not ProductImage.objects.filter(product=product).exists()


def test_a_forged_post_for_another_entitys_product_changes_nothing(member):
    client, _user, _entity = member
    other = make_product(name="Na Chi Lăng", entity=make_entity(commune_obj=commune("Lạng Sơn")))
    for url, data in [
        (
            f"/products/{other.pk}/edit/",
            {"category": "QD26-01", "commune": other.commune_id, "name_vi": "Giả"},
        ),
        (f"/products/{other.pk}/packagings/", {"size": "1", "unit": "kg"}),
        (f"/products/{other.pk}/images/", {"image": image_upload()}),
        (f"/products/{other.pk}/status/", {"status": "withdrawn"}),
        (f"/entities/{other.entity_id}/products/new/", {"category": "QD26-01", "name_vi": "Giả"}),
    ]:
        assert client.post(url, data).status_code == 404, url
    other.refresh_from_db()
    assert other.translation("vi").name == "Na Chi Lăng"
    assert other.status == Product.Status.DRAFT
    assert not other.packagings.exists() and not other.images.exists()
    assert Product.objects.filter(entity=other.entity).count() == 1


def test_a_forged_commune_of_another_province_is_refused(official):
    client, _user, lao_cai = official
    data = {
        "kind": "cooperative",
        "legal_name": "HTX Giả",
        "tax_code": "5300888888",
        "representative": "A",
        "address": "B",
        "province": lao_cai.code,
        "commune": commune("Lạng Sơn").code,
        "members_count": 0,
        "workers_count": 0,
        "women_count": 0,
        "ethnic_minority_count": 0,
    }
    response = client.post("/entities/new/", data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode() or "Hãy chọn" in response.content.decode()
    assert not Entity.objects.filter(tax_code="5300888888").exists()


def test_an_official_registers_an_entity_with_the_form(official):
    client, _user, lao_cai = official
    target = commune("Lào Cai", "Mù Cang Chải")
    data = {
        "kind": "cooperative",
        "legal_name": "HTX Chè Shan Tuyết",
        "tax_code": "5300123450",
        "representative": "Sùng A Tủa",
        "address": "Bản Chế Cu Nha",
        "province": lao_cai.code,
        "commune": target.code,
        "members_count": 7,
        "workers_count": 20,
        "women_count": 12,
        "ethnic_minority_count": 18,
    }
    response = client.post("/entities/new/", data, follow=True)
    assert "HTX Chè Shan Tuyết" in response.content.decode()
    entity = Entity.objects.get(tax_code="5300123450")
    # The official sees the entity's history on its page.
    assert "entity.create" in client.get(f"/entities/{entity.pk}/").content.decode()


def test_a_wrong_tax_code_shows_the_error_and_keeps_the_input(official):
    client, _user, lao_cai = official
    data = {
        "kind": "cooperative",
        "legal_name": "HTX Sai mã",
        "tax_code": "12345",
        "representative": "A",
        "address": "B",
        "province": lao_cai.code,
        "commune": commune("Lào Cai").code,
        "members_count": 0,
        "workers_count": 0,
        "women_count": 0,
        "ethnic_minority_count": 0,
    }
    page = client.post("/entities/new/", data).content.decode()
    assert "10 digits" in page or "10 chữ số" in page
    assert 'value="HTX Sai mã"' in page
    assert not Entity.objects.filter(legal_name="HTX Sai mã").exists()


def test_an_expired_session_is_sent_to_log_in_and_nothing_changes(member):
    client, _user, entity = member
    product = make_product(entity=entity, name="Khăn cũ")
    session = client.session
    session.set_expiry(-1)  # expired in the past
    session.save()
    response = client.post(
        f"/products/{product.pk}/edit/",
        {"category": "QD26-22", "commune": product.commune_id, "name_vi": "Khăn mới"},
    )
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    product.refresh_from_db()
    assert product.translation("vi").name == "Khăn cũ"


def test_the_product_list_paginates_and_filters(official, settings):
    settings.PAGE_SIZE = 5
    client, _user, _lao_cai = official
    entity = make_entity(commune_obj=commune("Lào Cai"))
    for i in range(7):
        make_product(entity=entity, name=f"Chè số {i}")
    make_product(entity=entity, name="Mật ong bạc hà", category="QD26-04")
    page1 = client.get("/products/").content.decode()
    assert "Page 1 of 2" in page1 or "Trang 1 / 2" in page1
    filtered = client.get("/products/", {"query": "mat ong"}).content.decode()
    assert "Mật ong bạc hà" in filtered and "Chè số 1" not in filtered
    # A page number past the end shows the last page rather than an error.
    assert client.get("/products/", {"page": 99}).status_code == 200


def test_the_empty_list_says_so(official):
    client, _user, _lao_cai = official
    page = client.get("/products/", {"query": "khong co san pham nay"}).content.decode()
    assert "No products match." in page or "Không có sản phẩm nào phù hợp." in page


def test_the_commune_select_is_filled_for_a_province():
    page = Client().get("/places/communes/", {"province": commune("Lạng Sơn").province_id}).content.decode()
    assert page.count("<option") == 65 + 1


def test_the_language_switch_changes_the_interface(member):
    client, _user, _entity = member
    client.post("/i18n/setlang/", {"language": "en", "next": "/my/products/"})
    assert "<h1>My products</h1>" in client.get("/my/products/").content.decode()
    client.post("/i18n/setlang/", {"language": "vi", "next": "/my/products/"})
    assert "<h1>Sản phẩm của tôi</h1>" in client.get("/my/products/").content.decode()


def test_the_public_home_shows_only_certified_products():
    make_product(name="Chè đã chứng nhận", status=Product.Status.CERTIFIED)
    make_product(name="Chè bản nháp")
    page = Client().get("/").content.decode()
    assert "Chè đã chứng nhận" in page and "Chè bản nháp" not in page


def test_pages_use_no_cdn():
    for url in ["/", "/accounts/login/", "/api/docs"]:
        page = Client().get(url).content.decode()
        assert "cdn." not in page and "https://" not in page.split("<body")[0], url


def test_timestamps_are_shown_in_vietnam_time(official):
    client, _user, _lao_cai = official
    entity = make_entity(commune_obj=commune("Lào Cai"))
    page = client.get(f"/entities/{entity.pk}/").content.decode()
    local = timezone.localtime(entity.created_at).strftime("%d/%m/%Y %H:%M")
    assert local in page


def test_an_object_outside_the_jurisdiction_shows_a_helpful_404(official, settings):
    settings.DEBUG = False
    client, _user, _lao_cai = official
    other = make_product(entity=make_entity(commune_obj=commune("Lạng Sơn")))
    response = client.get(f"/products/{other.pk}/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "jurisdiction" in page or "thẩm quyền" in page or "phạm vi" in page
    assert 'href="/"' in page
