from django.contrib import admin

from audit.admin_mixins import ReadOnlyAdminMixin
from labels.models import LabelJob, LabelTemplate


@admin.register(LabelTemplate)
class LabelTemplateAdmin(admin.ModelAdmin):
    """Templates are data: built-in ones come from labels/data/templates.json (load_label_templates);
    new sizes are added here and checked by LabelTemplate.clean."""

    list_display = ["code", "name_vi", "layout", "label_width_mm", "label_height_mm", "active"]
    list_filter = ["layout", "active"]


@admin.register(LabelJob)
class LabelJobAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Created from the product's label page only; here for the record."""

    list_display = ["id", "product", "template", "output_format", "count", "status", "created_at"]
    list_filter = ["status", "output_format"]
