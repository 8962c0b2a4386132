"""Channels, outlets, events and destinations have rules (URLs, positions, jurisdiction): they are
written through the trade services from the pages; the admin shows them for support and search."""

from django.contrib import admin

from audit.admin_mixins import ReadOnlyAdminMixin
from trade.models import (
    Destination,
    DestinationTranslation,
    EventParticipation,
    Outlet,
    OutletProduct,
    SalesChannel,
    TradeEvent,
)


@admin.register(SalesChannel)
class SalesChannelAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["product", "kind", "url", "label"]
    list_filter = ["kind"]
    search_fields = ["url", "label"]


class OutletProductInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = OutletProduct
    extra = 0


@admin.register(Outlet)
class OutletAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "province", "commune", "is_open"]
    list_filter = ["kind", "is_open", "province"]
    search_fields = ["name", "name_folded", "address"]
    inlines = [OutletProductInline]


class EventParticipationInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = EventParticipation
    extra = 0


@admin.register(TradeEvent)
class TradeEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "start_date", "end_date", "province", "organiser"]
    list_filter = ["kind", "province"]
    search_fields = ["name", "place", "organiser"]
    date_hierarchy = "start_date"
    inlines = [EventParticipationInline]


class DestinationTranslationInline(ReadOnlyAdminMixin, admin.StackedInline):
    model = DestinationTranslation
    extra = 0


@admin.register(Destination)
class DestinationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "kind", "province", "commune", "product"]
    list_filter = ["kind", "province"]
    inlines = [DestinationTranslationInline]
