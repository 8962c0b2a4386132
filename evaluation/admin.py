import json

from django.contrib import admin
from django.contrib.admin.options import ActionLocation
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from audit.admin_mixins import AuditedAdminMixin, ReadOnlyAdminMixin
from evaluation.criteria_xlsx import criteria_set_to_xlsx
from evaluation.models import CouncilLevel, CriteriaRelease, CriteriaSet, Criterion, CriterionOption, StarBand
from evaluation.selectors import criteria_set_export


class StarBandInline(admin.TabularInline):
    model = StarBand
    extra = 0


class CouncilLevelInline(admin.TabularInline):
    model = CouncilLevel
    extra = 0
    fk_name = "release"


@admin.register(CriteriaRelease)
class CriteriaReleaseAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["code", "decision", "effective_from", "effective_to", "certificate_validity_months"]
    readonly_fields = ["code", "parts", "content_sha256", "loaded_at"]
    inlines = [StarBandInline, CouncilLevelInline]


class CriterionInline(admin.TabularInline):
    model = Criterion
    fields = ("part", "code", "name_vi", "max_points", "min_points_for_star", "scorable")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.action(description=_("Export as JSON"))
def export_json(modeladmin, request, queryset):
    data = [criteria_set_export(s) for s in queryset.select_related("release")]
    body = json.dumps(data[0] if len(data) == 1 else data, ensure_ascii=False, indent=1)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    name = data[0]["set_code"] if len(data) == 1 else "criteria-sets"
    response["Content-Disposition"] = f'attachment; filename="{name}.json"'
    return response


@admin.action(description=_("Export as Excel (XLSX)"))
def export_xlsx(modeladmin, request, queryset):
    criteria_set = queryset.select_related("release").first()
    response = HttpResponse(
        criteria_set_to_xlsx(criteria_set_export(criteria_set)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{criteria_set.code}.xlsx"'
    return response


@admin.register(CriteriaSet)
class CriteriaSetAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Sets are versioned: viewed and exported here, changed only by loading a new release."""

    list_display = ["code", "name_vi", "release", "category"]
    list_filter = ["release"]
    search_fields = ["code", "name_vi"]
    inlines = [CriterionInline]
    actions = [export_json, export_xlsx]

    def has_view_permission(self, request, obj=None):
        return request.user.is_staff

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        # Read-only admins hide actions that need change permission; export only reads.
        return {"export_json": self.get_action(export_json), "export_xlsx": self.get_action(export_xlsx)}


class OptionInline(admin.TabularInline):
    model = CriterionOption
    fields = ("position", "text_vi", "points", "star_marker")
    readonly_fields = fields
    extra = 0


@admin.register(Criterion)
class CriterionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["criteria_set", "part", "code", "name_vi", "max_points"]
    list_filter = ["criteria_set__release", "part"]
    search_fields = ["name_vi", "criteria_set__code"]
    inlines = [OptionInline]
