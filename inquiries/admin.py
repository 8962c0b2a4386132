"""Read-only in the admin: buyers, inquiries and shares are written through inquiries.services (pages,
audited); the admin is for support and search, not a second write path."""

from django.contrib import admin

from audit.admin_mixins import ReadOnlyAdminMixin
from inquiries.models import BuyerProfile, Inquiry, OfferShare


@admin.register(BuyerProfile)
class BuyerProfileAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("organisation", "kind", "tax_code", "province", "verified_at")
    list_filter = ("kind", "province")
    search_fields = ("organisation", "tax_code")
    raw_id_fields = ("user", "verified_by")


class OfferShareInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = OfferShare
    raw_id_fields = ("product", "entity", "responded_by")
    extra = 0


@admin.register(Inquiry)
class InquiryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "pk",
        "buyer",
        "category",
        "quantity",
        "unit",
        "delivery_start",
        "status",
        "unmet_quantity",
    )
    list_filter = ("status", "category", "destination_province")
    raw_id_fields = ("buyer", "created_by")
    inlines = [OfferShareInline]
