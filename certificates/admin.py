from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from audit.admin_mixins import AuditedAdminMixin, ReadOnlyAdminMixin
from certificates.models import Certificate, CertificateEvent, NumberCounter, NumberPattern
from certificates.services import number_pattern_check


class CertificateEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = CertificateEvent
    extra = 0
    fields = ("at", "kind", "actor", "reason", "details")
    readonly_fields = ("at", "kind", "actor", "reason", "details")


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Issued, revoked and lapsed through the services only (numbers, events, product status, audit)."""

    list_display = [
        "number",
        "product",
        "entity",
        "stars",
        "status",
        "decision_date",
        "valid_until",
        "imported",
    ]
    list_filter = ["status", "stars", "imported", "release"]
    search_fields = [
        "number",
        "verification_code",
        "decision_no",
        "entity__legal_name",
        "product__name_folded",
    ]
    list_select_related = ["product", "entity"]
    date_hierarchy = "decision_date"
    inlines = [CertificateEventInline]


@admin.register(CertificateEvent)
class CertificateEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["certificate", "kind", "at", "actor"]
    list_filter = ["kind"]
    search_fields = ["certificate__number"]
    list_select_related = ["certificate", "actor"]


class NumberPatternForm(forms.ModelForm):
    class Meta:
        model = NumberPattern
        fields = ["province", "pattern"]

    def clean_pattern(self):
        pattern = self.cleaned_data["pattern"]
        try:
            number_pattern_check(pattern)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["pattern"]) from exc
        return pattern


@admin.register(NumberPattern)
class NumberPatternAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Decision 26/2026 prescribes no number format: each province sets its own here."""

    form = NumberPatternForm
    list_display = ["province", "pattern", "example"]
    list_select_related = ["province"]

    @admin.display(description=_("example number"))
    def example(self, obj: NumberPattern) -> str:
        try:
            return obj.pattern.format(seq=1, year=2026, province=obj.province_id, stars=4)
        except (KeyError, IndexError, ValueError, AttributeError):
            return "—"


@admin.register(NumberCounter)
class NumberCounterAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["issuer", "year", "last"]
    list_filter = ["year"]
