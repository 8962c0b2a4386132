import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from audit.models import AuditEvent
from registry.models import Entity, Packaging, Product, ProductImage, ProductTranslation, Role
from registry.services import (
    entity_create,
    entity_update,
    packaging_add,
    product_create,
    product_image_add,
    product_set_status,
    product_update,
)
from tests.factories import commune, image_upload, make_entity, make_product, make_user, province, with_role

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _messages(exc) -> str:
    return " ".join(m for msgs in exc.value.message_dict.values() for m in msgs)


class TestEntities:
    def test_it_registers_an_entity_in_its_commune_and_province(self):
        entity = make_entity(commune_obj=commune("Lạng Sơn", "Chi Lăng"), legal_name="HTX Na Chi Lăng")
        assert entity.province.name == "Tỉnh Lạng Sơn"
        assert entity.name_folded == "htx na chi lang"

    @pytest.mark.parametrize("bad", ["12345", "53001234567", "530012345-01", "53OO123456", ""])
    def test_it_refuses_a_malformed_tax_code(self, bad):
        count = Entity.objects.count()
        with pytest.raises(ValidationError) as exc:
            make_entity(tax_code=bad)
        assert "10 digits" in _messages(exc)
        assert Entity.objects.count() == count

    def test_it_accepts_a_branch_tax_code(self):
        assert make_entity(tax_code="5300123456-001").tax_code == "5300123456-001"

    def test_it_refuses_a_duplicate_tax_code_in_vietnamese(self):
        make_entity(tax_code="5300999999")
        with translation.override("vi"), pytest.raises(ValidationError) as exc:
            make_entity(tax_code="5300999999")
        assert "5300999999" in _messages(exc)
        assert Entity.objects.filter(tax_code="5300999999").count() == 1

    def test_it_refuses_a_commune_outside_the_chosen_province(self):
        with pytest.raises(ValidationError) as exc:
            entity_create(
                actor=None,
                province=province("Lạng Sơn"),
                kind="cooperative",
                legal_name="HTX X",
                tax_code="5300111111",
                representative="A",
                address="B",
                commune=commune("Lào Cai"),
            )
        assert "not in" in _messages(exc)
        assert not Entity.objects.filter(tax_code="5300111111").exists()

    @pytest.mark.parametrize("field", ["legal_name", "representative", "address"])
    def test_it_refuses_html_in_plain_text_fields(self, field):
        entity = make_entity()
        with pytest.raises(ValidationError) as exc:
            entity_update(actor=None, entity=entity, **{field: 'Chè <script>alert("x")</script>'})
        assert "HTML is not allowed" in _messages(exc)
        entity.refresh_from_db()
        assert "<script>" not in getattr(entity, field)

    def test_it_refuses_more_women_than_workers(self):
        with pytest.raises(ValidationError):
            make_entity(workers_count=5, women_count=6)

    def test_it_validates_the_gln_check_digit(self):
        with pytest.raises(ValidationError) as exc:
            make_entity(gln="8934567000018")
        assert "check digit" in _messages(exc)
        assert make_entity(gln="8934567000017").gln == "8934567000017"

    def test_a_member_cannot_register_an_entity(self):
        member = with_role(make_user(), Role.Kind.ENTITY_MEMBER, entity=make_entity())
        with pytest.raises(PermissionDenied):
            entity_create(
                actor=member,
                kind="cooperative",
                legal_name="HTX Y",
                tax_code="5300222222",
                representative="A",
                address="B",
                commune=commune("Lào Cai"),
            )


class TestProducts:
    def test_it_creates_a_product_with_translations(self):
        product = make_product(name="Chè Shan Tuyết Suối Giàng")
        product_update(
            actor=None, product=product, translations={"en": {"name": "Suoi Giang Shan Tuyet tea"}}
        )
        assert product.translation("en").name == "Suoi Giang Shan Tuyet tea"
        assert product.translation("ja").name == "Chè Shan Tuyết Suối Giàng"  # falls back to vi
        assert product.name_folded == "che shan tuyet suoi giang"

    def test_it_requires_the_vietnamese_name(self):
        entity = make_entity()
        with pytest.raises(ValidationError) as exc:
            product_create(actor=None, entity=entity, category=None, translations={"en": {"name": "Tea"}})
        assert "Vietnamese name is required" in _messages(exc)
        assert not Product.objects.filter(entity=entity).exists()

    def test_it_sanitizes_the_story_and_keeps_its_structure(self):
        product = make_product()
        product_update(
            actor=None,
            product=product,
            translations={
                "vi": {
                    "name": "Chè",
                    "story": '<p onclick="x()">Cây chè <strong>cổ thụ</strong></p><script>steal()</script>',
                }
            },
        )
        story = ProductTranslation.objects.get(product=product, language="vi").story
        assert story == "<p>Cây chè <strong>cổ thụ</strong></p>"

    def test_it_refuses_html_in_the_product_name(self):
        product = make_product(name="Chè xanh")
        with pytest.raises(ValidationError):
            product_update(actor=None, product=product, translations={"vi": {"name": "<b>Chè</b>"}})
        assert ProductTranslation.objects.get(product=product, language="vi").name == "Chè xanh"

    def test_it_refuses_a_commune_of_production_in_another_province(self):
        entity = make_entity(commune_obj=commune("Lào Cai"))
        with pytest.raises(ValidationError) as exc:
            make_product(entity=entity, commune=commune("Lạng Sơn"))
        assert "province" in _messages(exc)

    def test_it_refuses_a_price_range_upside_down(self):
        with pytest.raises(ValidationError):
            make_product(price_min_vnd=200_000, price_max_vnd=100_000)

    def test_a_member_cannot_certify_their_own_product(self):
        entity = make_entity()
        member = with_role(make_user(), Role.Kind.ENTITY_MEMBER, entity=entity)
        product = make_product(entity=entity)
        product_set_status(actor=member, product=product, status=Product.Status.REGISTERED)
        with pytest.raises(ValidationError):
            product_set_status(actor=member, product=product, status=Product.Status.CERTIFIED)
        product.refresh_from_db()
        assert product.status == Product.Status.REGISTERED

    def test_a_member_cannot_edit_another_entitys_product(self):
        member = with_role(make_user(), Role.Kind.ENTITY_MEMBER, entity=make_entity())
        other = make_product(name="Na Chi Lăng")
        with pytest.raises(PermissionDenied):
            product_update(actor=member, product=other, translations={"vi": {"name": "Hàng giả"}})
        assert other.translation("vi").name == "Na Chi Lăng"


class TestPackagings:
    def test_it_stores_a_gtin_13_as_gtin_14(self):
        packaging = packaging_add(
            actor=None, product=make_product(), size=250, unit="g", gtin="8934567890120"
        )
        assert packaging.gtin == "08934567890120"

    @pytest.mark.parametrize(
        ("gtin", "message"),
        [
            ("8934567890128", "check digit"),
            ("893456789", "8, 12, 13 or 14 digits"),
            ("89345678901AB", "digits"),
        ],
    )
    def test_it_refuses_a_bad_gtin(self, gtin, message):
        product = make_product()
        with pytest.raises(ValidationError) as exc:
            packaging_add(actor=None, product=product, size=250, unit="g", gtin=gtin)
        assert message in _messages(exc)
        assert not Packaging.objects.filter(product=product).exists()

    def test_it_refuses_a_gtin_used_by_another_packaging(self):
        packaging_add(actor=None, product=make_product(), size=250, unit="g", gtin="8934567890120")
        with pytest.raises(ValidationError) as exc:
            packaging_add(actor=None, product=make_product(), size=500, unit="g", gtin="08934567890120")
        assert "already used" in _messages(exc)


class TestImages:
    def test_it_reencodes_an_image_and_makes_a_thumbnail(self):
        product = make_product()
        image = product_image_add(actor=None, product=product, upload=image_upload(size=(3000, 2000)))
        assert (image.width, image.height) == (1600, 1067)
        assert image.image.name.endswith(".jpg") and image.thumbnail.name.endswith(".jpg")
        assert image.thumbnail.size < image.image.size

    def test_it_refuses_a_file_that_is_not_an_image(self):
        from django.core.files.uploadedfile import SimpleUploadedFile

        product = make_product()
        fake = SimpleUploadedFile("photo.jpg", b"<?php system($_GET['c']); ?>", content_type="image/jpeg")
        with pytest.raises(ValidationError) as exc:
            product_image_add(actor=None, product=product, upload=fake)
        assert "not a valid image" in " ".join(exc.value.messages)
        assert not ProductImage.objects.filter(product=product).exists()

    def test_it_refuses_an_image_over_the_size_limit(self, settings):
        settings.OCOP_IMAGE_MAX_BYTES = 10_000
        product = make_product()
        big = image_upload(size=(1500, 1500), fmt="BMP")  # uncompressed: ~6.75 MB
        with pytest.raises(ValidationError) as exc:
            product_image_add(actor=None, product=product, upload=big)
        assert "limit" in " ".join(exc.value.messages)
        assert not ProductImage.objects.filter(product=product).exists()

    def test_it_refuses_a_truncated_image(self):
        product = make_product()
        upload = image_upload(fmt="PNG")
        upload.file.truncate(200)
        with pytest.raises(ValidationError):
            product_image_add(actor=None, product=product, upload=upload)


def test_every_write_above_leaves_an_intact_audit_chain():
    from audit.selectors import audit_chain_verify

    product = make_product()
    packaging_add(actor=None, product=product, size=1, unit="kg")
    product_image_add(actor=None, product=product, upload=image_upload())
    assert AuditEvent.objects.filter(object_type="registry.product", object_id=str(product.pk)).count() == 2
    assert audit_chain_verify().broken_at is None
