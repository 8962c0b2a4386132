"""The print form only parses; labels.services.label_job_create checks and words every refusal. A
choice outside what the page offered (another product's range, an unknown template, a format not
offered) is refused here with the same words the service would use."""

from django import forms
from django.utils.translation import gettext_lazy as _

from labels.models import LabelJob
from labels.selectors import templates_offered
from registry.models import Product
from traceability import selectors as trace_selectors
from traceability.models import Lot


class RangeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        lot = obj.lot.code if obj.lot else "—"
        gtin = obj.packaging.gtin if obj.packaging and obj.packaging.gtin else "—"
        return _("%(count)s serials · lot %(lot)s · GTIN %(gtin)s · %(date)s") % {
            "count": f"{obj.count:,}",
            "lot": lot,
            "gtin": gtin,
            "date": obj.issued_at.strftime("%d/%m/%Y"),
        }


class LabelJobForm(forms.Form):
    serial_range = RangeChoiceField(
        label=_("Serial range"),
        queryset=None,
        error_messages={"invalid_choice": _("Choose a serial range of this product.")},
    )
    lot: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Lot (optional)"),
        queryset=None,
        required=False,
        help_text=_("Leave empty to use the range's own lot."),
        error_messages={"invalid_choice": _("This lot belongs to another product.")},
    )
    template: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Label template"),
        queryset=None,
        error_messages={"invalid_choice": _("Choose one of the label templates offered.")},
    )
    output_format = forms.ChoiceField(
        label=_("Format"),
        choices=LabelJob.Format.choices,
        error_messages={
            "invalid_choice": _("Choose a format offered: PDF, ZIP of SVG or PNG images, or CSV.")
        },
    )
    first = forms.IntegerField(
        label=_("From serial number"),
        required=False,
        help_text=_("Position in the range, 1 = the first serial issued. Empty: from the first."),
    )
    count = forms.IntegerField(
        label=_("Number of labels"), required=False, help_text=_("Empty: the rest of the range.")
    )

    def __init__(self, *args, product: Product, **kwargs):
        kwargs.setdefault("auto_id", "labels_%s")
        super().__init__(*args, **kwargs)
        self.fields["serial_range"].queryset = trace_selectors.serial_ranges_of(product)  # type: ignore[attr-defined]
        self.fields["lot"].queryset = Lot.objects.filter(product=product)  # type: ignore[attr-defined]
        self.fields["template"].queryset = templates_offered()  # type: ignore[attr-defined]
