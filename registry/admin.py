from django.contrib import admin

from audit.admin_mixins import AuditedAdminMixin, ReadOnlyAdminMixin
from registry.models import (
    ApiToken,
    Entity,
    Evidence,
    OcopGroup,
    OcopSubGroup,
    Packaging,
    Product,
    ProductCategory,
    ProductImage,
    ProductTranslation,
    Recognition,
    Role,
)


@admin.register(OcopGroup)
class OcopGroupAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name_vi", "name_en", "position"]


@admin.register(OcopSubGroup)
class OcopSubGroupAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name_vi", "group", "position"]
    list_filter = ["group"]


@admin.register(ProductCategory)
class ProductCategoryAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name_vi", "name_en", "subgroup", "managing_agency_vi"]
    list_filter = ["subgroup__group"]
    search_fields = ["code", "name_vi", "name_en"]


class TranslationInline(admin.StackedInline):
    model = ProductTranslation
    extra = 0


class PackagingInline(admin.TabularInline):
    model = Packaging
    extra = 0


class ImageInline(admin.TabularInline):
    model = ProductImage
    extra = 0


@admin.register(Entity)
class EntityAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["legal_name", "kind", "tax_code", "province", "commune"]
    list_filter = ["kind", "province"]
    search_fields = ["legal_name", "name_folded", "tax_code"]


@admin.register(Product)
class ProductAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "entity", "category", "province", "status"]
    list_filter = ["status", "category__subgroup__group", "province"]
    search_fields = ["name_folded", "code", "entity__legal_name"]
    inlines = [TranslationInline, PackagingInline, ImageInline]
    list_select_related = ["entity", "category", "province"]


@admin.register(ProductTranslation)
class ProductTranslationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "language", "product"]
    list_filter = ["language"]


@admin.register(ProductImage)
class ProductImageAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["image", "product", "width", "height"]


@admin.register(Packaging)
class PackagingAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["product", "size", "unit", "gtin"]
    search_fields = ["gtin"]


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["title", "kind", "entity", "valid_to", "content_type", "size_bytes"]
    list_filter = ["kind", "content_type"]


@admin.register(Recognition)
class RecognitionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["kind", "number", "entity", "product", "valid_to"]
    list_filter = ["kind"]


@admin.register(Role)
class RoleAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["user", "kind", "province", "commune", "entity"]
    list_filter = ["kind"]


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
