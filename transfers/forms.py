from django import forms
from django.utils.translation import gettext_lazy as _

from transfers.columns import KINDS, ORDER


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=_("Excel (.xlsx) or CSV file"))
    kind = forms.ChoiceField(
        label=_("What the file holds"),
        required=False,
        choices=[("", _("Detect from the sheet names and headers"))] + [(k, KINDS[k].label) for k in ORDER],
    )
