from django.contrib import admin

from audit.admin_mixins import ReadOnlyAdminMixin
from transfers.models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Uploaded, previewed and applied through the import pages only; here for the record."""

    list_display = ["original_name", "created_by", "status", "created_at", "applied_at"]
    list_filter = ["status"]
    search_fields = ["original_name", "sha256"]
