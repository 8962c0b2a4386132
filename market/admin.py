from django.contrib import admin

from market.models import SearchDocument, SearchState


@admin.register(SearchDocument)
class SearchDocumentAdmin(admin.ModelAdmin):
    """Read-only: the index is derived from the registry (market.services_search); to change what a
    search finds, change the product."""

    list_display = ["product_id", "__str__", "province_id", "star", "group_code", "indexed_at"]
    list_filter = ["star", "group_code"]
    search_fields = ["names"]
    readonly_fields = [f.name for f in SearchDocument._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SearchState)
class SearchStateAdmin(admin.ModelAdmin):
    list_display = ["audit_seen", "vocabulary_version", "built_at", "refreshed_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
