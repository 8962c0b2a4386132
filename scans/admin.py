"""Read-only in the admin: scans are written in batches by scans.buffer, cases are decided in the
review queue (scans.services, audited). The admin is for looking, not for a second write path."""

from django.contrib import admin

from scans.models import DailyScanRollup, ScanEvent, SuspectCase


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SuspectCase)
class SuspectCaseAdmin(ReadOnlyAdmin):
    list_display = ("kind", "rule", "product", "lot_code", "serial_value", "occurrences", "status", "last_at")
    list_filter = ("kind", "rule", "status")
    search_fields = ("serial_value", "lot_code", "code_path")
    raw_id_fields = ("product", "decided_by")
    exclude = ("visitor_key",)


@admin.register(DailyScanRollup)
class DailyScanRollupAdmin(ReadOnlyAdmin):
    list_display = ("day", "product", "scans", "visitors", "suspect_scans")
    list_filter = ("day",)
    raw_id_fields = ("product",)


@admin.register(ScanEvent)
class ScanEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "product", "lot_code", "serial_value", "suspect")
    list_filter = ("suspect",)
    raw_id_fields = ("product",)
    exclude = ("visitor_key",)
