import json

from django import forms
from django.contrib import admin
from django.contrib.admin.options import ActionLocation
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _

from audit.admin_mixins import AuditedAdminMixin, ReadOnlyAdminMixin
from evaluation.criteria_xlsx import criteria_set_from_xlsx, criteria_set_to_xlsx
from evaluation.models import CouncilLevel, CriteriaRelease, CriteriaSet, Criterion, CriterionOption, StarBand
from evaluation.selectors import criteria_set_export
from evaluation.services_criteria import criteria_set_import


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


class CriteriaSetImportForm(forms.Form):
    release = forms.ModelChoiceField(label=_("Release"), queryset=CriteriaRelease.objects.all())
    file = forms.FileField(label=_("Criteria set file (.json or .xlsx)"))


@admin.register(CriteriaSet)
class CriteriaSetAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Sets are versioned: viewed and exported here, added to a release by import, never edited."""

    change_list_template = "admin/evaluation/criteriaset/change_list.html"

    def get_urls(self):
        extra = [
            path(
                "import/", self.admin_site.admin_view(self.import_view), name="evaluation_criteriaset_import"
            )
        ]
        return extra + super().get_urls()

    def import_view(self, request):
        if not request.user.is_superuser:
            raise PermissionDenied
        form = CriteriaSetImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                content = upload.read(5 * 1024 * 1024 + 1)
                if len(content) > 5 * 1024 * 1024:
                    raise ValidationError(_("The file is larger than 5 MB."))
                if upload.name.lower().endswith(".xlsx"):
                    data = criteria_set_from_xlsx(content)
                else:
                    try:
                        data = json.loads(content.decode("utf-8-sig"))
                    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                        raise ValidationError(
                            _("This file is neither valid JSON nor an Excel workbook.")
                        ) from exc
                    if not isinstance(data, dict):
                        raise ValidationError(_("This file is neither valid JSON nor an Excel workbook."))
                criteria_set = criteria_set_import(
                    actor=request.user, release=form.cleaned_data["release"], data=data
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                self.message_user(request, _("Imported %(set)s.") % {"set": criteria_set})
                return redirect("admin:evaluation_criteriaset_change", criteria_set.pk)
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "title": _("Import a criteria set"),
            "opts": self.model._meta,
        }
        return render(request, "admin/evaluation/criteriaset/import.html", context)

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
