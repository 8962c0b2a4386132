import io
import stat
import unicodedata

import pytest
from biip.gtin import Gtin
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.core.management import call_command
from django.core.management.base import CommandError

from audit.models import AuditEvent
from ocop_hub.text import fold
from places.models import Province
from registry import access
from registry.demo import (
    DEMO_ENTITIES,
    DEMO_USERS,
    LOGINS_FILE_NAME,
    SCALE_TAX_PREFIX,
    demo_logins_read,
    demo_scale_generate,
    gtin_build,
)
from registry.models import (
    Entity,
    Evidence,
    Packaging,
    Product,
    ProductImage,
    ProductTranslation,
    Recognition,
    Role,
)

pytestmark = pytest.mark.django_db

ROW_MODELS = [Entity, Product, ProductTranslation, Packaging, ProductImage, Evidence, Recognition, Role]


@pytest.fixture
def dev(settings, tmp_path):
    """A development machine whose var/ directory is a temporary one."""
    settings.DEV_MODE = True
    settings.VAR_DIR = tmp_path / "var"
    return settings


def load_demo(*args: str) -> str:
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def product_named(name: str) -> Product:
    return Product.objects.select_related("entity", "commune", "province", "category").get(
        translations__language="vi", translations__name=name
    )


def row_counts() -> dict[str, int]:
    counts = {model.__name__: model._default_manager.count() for model in ROW_MODELS}
    counts["User"] = get_user_model().objects.count()
    counts["AuditEvent"] = AuditEvent.objects.count()
    return counts


def test_it_loads_the_producers_and_products_of_the_seed_articles(dev):
    load_demo()

    assert 12 <= Entity.objects.count() <= 16
    assert 20 <= Product.objects.count() <= 30
    statuses = set(Product.objects.values_list("status", flat=True))
    assert {Product.Status.CERTIFIED, Product.Status.REGISTERED, Product.Status.DRAFT} <= statuses
    assert Product.objects.filter(status=Product.Status.CERTIFIED).count() > Product.objects.count() / 2

    tea = product_named("Chè Shan tuyết Suối Giàng")
    assert tea.province.name == "Tỉnh Lào Cai"
    assert "Suối Giàng" in tea.commune.former_names  # today's Xã Văn Chấn
    assert tea.category_id == "QD26-11"
    assert tea.status == Product.Status.CERTIFIED
    assert tea.code.startswith(f"{tea.province_id}-{tea.commune_id}-")
    # The seed: five Suối Giàng tea lines certified at 4 stars.
    assert Product.objects.filter(commune=tea.commune, category_id="QD26-11", status="certified").count() == 5

    salmon = product_named("Cá hồi hun khói Sa Pa")
    assert salmon.commune.name == "Xã Ngũ Chỉ Sơn"
    assert salmon.entity.representative == "Lê Trung Thục"
    brocade = product_named("Váy thổ cẩm Mông thêu tay")
    assert brocade.commune.name == "Xã Mù Cang Chải"
    assert "Chế Cu Nha" in brocade.commune.former_names
    assert brocade.category_id == "QD26-22"

    expected = {
        "Na Chi Lăng": "QD26-01",
        "Hạt mắc ca nứt vỏ Văn Quan": "QD26-07",
        "Lạp sườn Lạng Sơn": "QD26-08",
        "Vịt quay lá mắc mật Thất Khê": "QD26-08",
        "Mật ong hoa rừng Hữu Liên": "QD26-04",
        "Thạch đen khô Tràng Định": "QD26-04",
        "Hồng vành khuyên Bảo Lâm": "QD26-01",
        "Hồng sấy gió Bảo Lâm": "QD26-07",
        "Chè xanh Bắc Sơn": "QD26-11",
    }
    for name, category in expected.items():
        product = product_named(name)
        assert product.province.name == "Tỉnh Lạng Sơn", name
        assert product.category_id == category, name


def test_the_scan_page_demo_product_also_tells_its_story_in_japanese(dev):
    load_demo()

    name = "Chè Shan tuyết Suối Giàng"
    ja = ProductTranslation.objects.get(product__translations__name=name, language="ja")
    assert "スオイザン" in ja.name and "<p>" in ja.story


def test_it_gives_every_product_vietnamese_and_english(dev):
    load_demo()

    for product in Product.objects.prefetch_related("translations"):
        by_lang = {tr.language: tr for tr in product.translations.all()}
        assert {"vi", "en"} <= set(by_lang), product
        for tr in by_lang.values():
            for name in ("name", "short_description", "story", "ingredients", "usage"):
                value = getattr(tr, name)
                assert value, (product, tr.language, name)
                assert unicodedata.is_normalized("NFC", value)
            assert tr.story.startswith("<p>") and tr.story.endswith("</p>")
        assert product.name_folded == fold(by_lang["vi"].name)


def test_it_changes_nothing_on_a_second_run(dev):
    load_demo()
    before = row_counts()

    output = load_demo()

    assert row_counts() == before
    assert "nothing new" in output


def test_it_stores_working_logins_outside_the_repository(dev, client):
    output = load_demo()

    path = dev.VAR_DIR / LOGINS_FILE_NAME
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    logins = demo_logins_read(path=path)
    assert set(logins) == {spec["username"] for spec in DEMO_USERS}
    assert "for development only" in output
    users = {u.username: u for u in get_user_model().objects.filter(username__in=logins)}
    for username, password in logins.items():
        assert f"{username} " in output and password in output
        assert check_password(password, users[username].password), username

    assert client.login(username="trunguong", password=logins["trunguong"])
    assert client.get("/admin/").status_code == 200

    # A second run prints the same passwords: they are reused, not reissued.
    assert all(password in load_demo() for password in logins.values())


def test_it_grants_each_demo_user_its_jurisdiction(dev):
    load_demo()
    users = {u.username: u for u in get_user_model().objects.all()}
    tea = product_named("Chè Shan tuyết Suối Giàng")
    lang_son = Province.objects.get(name="Tỉnh Lạng Sơn")

    national = users["trunguong"]
    assert national.is_superuser and national.is_staff and access.scope_of(national).national
    assert access.scope_of(users["tinh_laocai"]).provinces == {tea.province_id}
    assert access.scope_of(users["tinh_langson"]).provinces == {lang_son.code}
    assert access.scope_of(users["xa_vanchan"]).communes == {tea.commune_id}
    assert access.scope_of(users["hoidong_laocai"]).council
    assert access.scope_of(users["htx_suoigiang"]).entities == {tea.entity_id}
    members = Role.objects.filter(kind=Role.Kind.ENTITY_MEMBER).count()
    assert Entity.objects.count() / 3 <= members <= Entity.objects.count() / 2
    assert not any(u.is_staff for name, u in users.items() if name != "trunguong")


def test_it_issues_new_passwords_when_the_logins_file_is_lost(dev):
    load_demo()
    path = dev.VAR_DIR / LOGINS_FILE_NAME
    old = demo_logins_read(path=path)
    users_before = get_user_model().objects.count()
    path.unlink()

    load_demo()

    new = demo_logins_read(path=path)
    assert set(new) == set(old)
    assert get_user_model().objects.count() == users_before
    for username, password in new.items():
        assert password != old[username]
        assert check_password(password, get_user_model().objects.get(username=username).password)


def test_it_builds_gtins_with_the_gs1_check_digit():
    assert gtin_build(company_prefix="400638", item_reference="133393") == "4006381333931"
    with pytest.raises(ValueError):
        gtin_build(company_prefix="893", item_reference="1")


def test_it_gives_packagings_gs1_vietnam_gtins_and_certified_products_a_picture(dev):
    load_demo()

    packagings = list(Packaging.objects.all())
    assert len(packagings) >= 10
    for packaging in packagings:
        gtin = Gtin.parse(packaging.gtin)
        assert gtin.prefix.usage == "GS1 Vietnam"
        assert packaging.gtin.startswith("0893")
    per_product = Packaging.objects.values("product").distinct().count()
    assert per_product < Product.objects.count()
    for product in Product.objects.filter(status=Product.Status.CERTIFIED):
        image = product.images.get()
        assert image.image.name.endswith(".jpg") and image.width > 0
    assert not ProductImage.objects.exclude(product__status=Product.Status.CERTIFIED).exists()


def test_it_records_recognitions_with_their_evidence(dev):
    load_demo()

    gi = Recognition.objects.get(
        kind=Recognition.Kind.GEOGRAPHICAL_INDICATION, product__entity__tax_code="5200512349"
    )
    assert "Chè Shan tuyết Suối Giàng" in gi.note
    assert gi.evidence.get().kind == Evidence.Kind.IP_DOCUMENT
    kinds = set(Recognition.objects.values_list("kind", flat=True))
    assert {Recognition.Kind.VIETGAP, Recognition.Kind.GOLDEN_BRAND, Recognition.Kind.EXPORT_MARKET} <= kinds
    for recognition in Recognition.objects.exclude(product=None):
        assert recognition.product.entity_id == recognition.entity_id


def test_it_writes_its_texts_in_nfc_with_unique_tax_codes():
    tax_codes = [spec["tax_code"] for spec in DEMO_ENTITIES]
    assert len(set(tax_codes)) == len(tax_codes)
    assert all(
        len(code) == 10 and code.isdigit() and not code.startswith(SCALE_TAX_PREFIX) for code in tax_codes
    )

    def strings(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for item in value.values():
                yield from strings(item)
        elif isinstance(value, list | tuple):
            for item in value:
                yield from strings(item)

    for text in strings(DEMO_ENTITIES):
        assert unicodedata.is_normalized("NFC", text), text


def test_it_generates_scale_products_over_every_province(dev):
    audit_before = AuditEvent.objects.count()
    output = load_demo("--scale", "200")

    generated = Product.objects.filter(entity__tax_code__startswith=SCALE_TAX_PREFIX)
    assert generated.count() == 200
    assert "Generated 200 products" in output
    entities = Entity.objects.filter(tax_code__startswith=SCALE_TAX_PREFIX)
    assert 100 <= entities.count() <= 130  # about one entity per 1.7 products
    assert entities.values("province").distinct().count() == Province.objects.count() == 34
    assert entities.values("commune").distinct().count() > 90
    for entity in entities.select_related("commune"):
        assert entity.name_folded == fold(entity.legal_name)
        assert entity.province_id == entity.commune.province_id
    for product in generated.select_related("commune").prefetch_related("translations"):
        (vi,) = product.translations.all()
        assert vi.language == "vi" and vi.name
        assert product.name_folded == fold(vi.name)
        assert product.province_id == product.commune.province_id
    assert generated.filter(status=Product.Status.CERTIFIED).count() > 140
    # One audit event for the whole batch, on top of the curated rows' own events.
    event = AuditEvent.objects.get(action="demo.scale_generate")
    assert event.after == {"products": 200, "entities": entities.count()}
    assert AuditEvent.objects.filter(action="product.create").count() == Product.objects.count() - 200
    assert AuditEvent.objects.count() > audit_before

    before = row_counts()
    output = load_demo("--scale", "200")
    assert row_counts() == before
    assert "200 generated products already exist" in output


def test_it_tops_up_the_generated_products_to_the_count_asked(dev):
    first = demo_scale_generate(count=50)
    second = demo_scale_generate(count=80)

    assert (first.products, second.products, second.existing) == (50, 30, 50)
    assert Product.objects.filter(entity__tax_code__startswith=SCALE_TAX_PREFIX).count() == 80
    assert demo_scale_generate(count=80).products == 0
    assert AuditEvent.objects.filter(action="demo.scale_generate").count() == 2


def test_it_refuses_to_run_outside_development(settings, tmp_path):
    settings.DEV_MODE = False
    settings.DEBUG = False
    settings.VAR_DIR = tmp_path

    with pytest.raises(CommandError, match="development"):
        load_demo()

    assert not Entity.objects.exists()
    assert not (tmp_path / LOGINS_FILE_NAME).exists()


def test_every_certified_demo_product_holds_a_valid_certificate(dev):
    from certificates.models import Certificate
    from certificates.selectors import current_certificate

    output = load_demo()

    certified = Product.objects.filter(status=Product.Status.CERTIFIED)
    assert certified.count() > 10
    for product in certified:
        certificate = current_certificate(product.pk)
        assert certificate is not None and certificate.status == Certificate.Status.VALID, product
    assert current_certificate(product_named("Chè Shan tuyết Suối Giàng").pk).stars == 4
    assert f"Certificates imported for the certified demo products: {certified.count()}." in output
