"""Forms only parse input; the services validate and write (one set of rules for every entry point)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from places.models import Commune, Province
from registry.languages import CONTENT_LANGUAGES
from registry.models import Entity, Evidence, Packaging, ProductCategory, Recognition
from registry.services import PRODUCT_FIELDS


def apply_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form fields it names (the rest at the top)."""
    if hasattr(exc, "error_dict"):
        for field, messages in exc.message_dict.items():
            target = field if field in form.fields else None
            for message in messages:
                form.add_error(target, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


class EntityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=Entity.Kind.choices)
    legal_name = forms.CharField(label=_("Legal name"), max_length=255)
    tax_code = forms.CharField(label=_("Tax code / business registration number"), max_length=14)
    representative = forms.CharField(label=_("Representative"), max_length=150)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    email = forms.CharField(label=_("Email"), max_length=254, required=False)
    address = forms.CharField(label=_("Address"), max_length=300)
    province = forms.ModelChoiceField(label=_("Province"), queryset=Province.objects.all())
    commune = forms.ModelChoiceField(label=_("Commune"), queryset=Commune.objects.none())
    founded_year = forms.IntegerField(label=_("Founding year"), required=False)
    members_count = forms.IntegerField(label=_("Members"), min_value=0, initial=0)
    workers_count = forms.IntegerField(label=_("Workers"), min_value=0, initial=0)
    women_count = forms.IntegerField(label=_("Women workers"), min_value=0, initial=0)
    ethnic_minority_count = forms.IntegerField(label=_("Ethnic-minority workers"), min_value=0, initial=0)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    gln = forms.CharField(label=_("GLN (optional)"), max_length=13, required=False)

    def __init__(self, *args, province_code: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        chosen = self.data.get("province") or province_code or self.initial.get("province")
        code = getattr(chosen, "code", chosen)
        # Only the chosen province's communes are offered, and accepted: a commune of another
        # province in a forged post fails here with "select a valid choice".
        commune_field: forms.ModelChoiceField = self.fields["commune"]  # type: ignore[assignment]
        commune_field.queryset = (
            Commune.objects.filter(province_id=code).order_by("name_folded")
            if code
            else Commune.objects.none()
        )
        self.fields["province"].widget.attrs.update(
            {"hx-get": "/places/communes/", "hx-target": "#id_commune", "hx-trigger": "change"}
        )


class ProductForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Criteria set (product type)"),
        queryset=ProductCategory.objects.select_related("subgroup__group"),
    )
    commune = forms.ModelChoiceField(label=_("Commune of production"), queryset=Commune.objects.none())
    code = forms.CharField(label=_("OCOP product code"), max_length=40, required=False)
    shelf_life_days = forms.IntegerField(label=_("Shelf life (days)"), min_value=0, required=False)
    price_min_vnd = forms.IntegerField(label=_("Lowest price (VND)"), min_value=0, required=False)
    price_max_vnd = forms.IntegerField(label=_("Highest price (VND)"), min_value=0, required=False)
    monthly_capacity = forms.IntegerField(label=_("Monthly capacity"), min_value=0, required=False)
    capacity_unit = forms.CharField(label=_("Capacity unit"), max_length=20, required=False)
    # Shown only when the service finds a similar product of another entity (registry.duplicates) and
    # the user is an official who may accept it.
    duplicate_reason = forms.CharField(
        label=_("Reason for accepting"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why this product may be registered although a similar one exists; kept in the history."),
    )

    TEXT_FIELDS = [
        ("name", _("Name"), forms.TextInput),
        ("short_description", _("Short description"), forms.TextInput),
        ("story", _("Story"), forms.Textarea),
        ("ingredients", _("Ingredients"), forms.Textarea),
        ("usage", _("Usage"), forms.Textarea),
    ]

    def __init__(self, *args, province_code: str, **kwargs):
        super().__init__(*args, **kwargs)
        commune_field: forms.ModelChoiceField = self.fields["commune"]  # type: ignore[assignment]
        commune_field.queryset = Commune.objects.filter(province_id=province_code).order_by("name_folded")
        for lang, lang_name in CONTENT_LANGUAGES:
            for name, label, widget in self.TEXT_FIELDS:
                attrs = {"rows": 3, "lang": lang} if widget is forms.Textarea else {"lang": lang}
                self.fields[f"{name}_{lang}"] = forms.CharField(
                    label=f"{label} ({lang_name})",
                    required=False,
                    widget=widget(attrs=attrs),
                    max_length=255 if name == "name" else (500 if name == "short_description" else 20000),
                )

    def language_groups(self):
        return [
            (lang, lang_name, [self[f"{name}_{lang}"] for name, _label, _w in self.TEXT_FIELDS])
            for lang, lang_name in CONTENT_LANGUAGES
        ]

    def translations(self) -> dict[str, dict[str, str]]:
        data = self.cleaned_data
        return {
            lang: {name: data.get(f"{name}_{lang}", "") for name, _label, _w in self.TEXT_FIELDS}
            for lang, _n in CONTENT_LANGUAGES
        }

    def product_fields(self) -> dict:
        return {key: self.cleaned_data.get(key) for key in PRODUCT_FIELDS}


class ProductImageForm(forms.Form):
    image = forms.FileField(label=_("Image (JPEG, PNG, WebP)"))
    alt_text = forms.CharField(label=_("Description of the image"), max_length=200, required=False)


class StoryRecordingForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of the recording"), choices=CONTENT_LANGUAGES)
    audio = forms.FileField(label=_("Recording (MP3, M4A, Ogg, WAV, WebM)"))


class VideoLinkForm(forms.Form):
    video_url = forms.CharField(
        label=_("Video link (YouTube, Facebook, TikTok…)"), max_length=600, required=False
    )


class PackagingForm(forms.Form):
    size = forms.DecimalField(label=_("Size"), max_digits=10, decimal_places=2, min_value=0)
    unit = forms.ChoiceField(label=_("Unit"), choices=Packaging.Unit.choices)
    gtin = forms.CharField(label=_("GTIN (optional)"), max_length=14, required=False)
    description = forms.CharField(label=_("Description"), max_length=200, required=False)


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("File (PDF or image)"))
    kind = forms.ChoiceField(label=_("Kind"), choices=Evidence.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=255)
    issuer = forms.CharField(label=_("Issuer"), max_length=255, required=False)
    number = forms.CharField(label=_("Number"), max_length=100, required=False)
    valid_from = forms.DateField(
        label=_("Valid from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_to = forms.DateField(
        label=_("Valid to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class RecognitionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Recognition.Kind.choices)
    product: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Product (optional)"), queryset=None, required=False
    )
    issuer = forms.CharField(label=_("Issuer"), max_length=255, required=False)
    number = forms.CharField(label=_("Number"), max_length=100, required=False)
    valid_from = forms.DateField(
        label=_("Valid from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_to = forms.DateField(
        label=_("Valid to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("Note"), max_length=255, required=False)
    evidence: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("Evidence from the library"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, entity: Entity, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = entity.products.all()  # type: ignore[attr-defined]
        self.fields["evidence"].queryset = entity.evidence.all()  # type: ignore[attr-defined]


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=100)
