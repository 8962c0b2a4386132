"""Forms only parse input; the services validate and write (traceability.services), so the rules and
their messages are the same for pages, the API and importers. Fields the services check are left
lenient here (no max_length/min_value duplicating a rule) so the user reads the service's message."""

import json

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from registry.languages import CONTENT_LANGUAGES
from registry.models import Packaging, Product
from traceability.models import Lot, RawMaterialArea, ResolverLink
from traceability.steps import StepKind, Unit

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PackagingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj} · GTIN {obj.gtin}" if obj.gtin else str(obj)


def _packagings(product: Product, *, with_gtin: bool = False):
    qs = Packaging.objects.filter(product=product)
    return qs.exclude(gtin="") if with_gtin else qs


class LotForm(forms.Form):
    code = forms.CharField(
        label=_("Lot code"),
        max_length=100,
        required=False,
        help_text=_("Up to 20 letters without diacritics, digits and - . / _ + :"),
    )
    packaging = PackagingChoiceField(label=_("Packaging (optional)"), queryset=None, required=False)
    production_date = forms.DateField(label=_("Production date"), required=False, widget=DATE_INPUT)
    expiry_date = forms.DateField(label=_("Expiry date"), required=False, widget=DATE_INPUT)
    quantity = forms.IntegerField(label=_("Quantity (items)"), required=False)

    def __init__(self, *args, product: Product, **kwargs):
        kwargs.setdefault("auto_id", "lot_%s")
        super().__init__(*args, **kwargs)
        self.fields["packaging"].queryset = _packagings(product)  # type: ignore[attr-defined]
        self.fields["code"].widget.attrs.update({"required": True, "autocapitalize": "characters"})


class LotRecallForm(forms.Form):
    # Not required here: lot_recall's own message ("consumers will read it") says more.
    reason = forms.CharField(
        label=_("Reason for the recall"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "required": True}),
        help_text=_("Shown to consumers who scan a code of this lot."),
    )

    def __init__(self, *args, lot: Lot, **kwargs):
        kwargs.setdefault("auto_id", f"recall{lot.pk}_%s")
        super().__init__(*args, **kwargs)
        self.lot = lot


class SerialsIssueForm(forms.Form):
    count = forms.IntegerField(label=_("Number of serials"))
    packaging = PackagingChoiceField(
        label=_("Packaging"),
        queryset=None,
        help_text=_("Only packagings with a GTIN: a serial is printed with its GTIN."),
    )
    lot: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Lot (optional)"), queryset=None, required=False
    )

    def __init__(self, *args, product: Product, **kwargs):
        kwargs.setdefault("auto_id", "serials_%s")
        super().__init__(*args, **kwargs)
        self.fields["count"].widget.attrs.update({"min": 1, "max": settings.OCOP_SERIALS_MAX_PER_RANGE})
        self.fields["packaging"].queryset = _packagings(product, with_gtin=True)  # type: ignore[attr-defined]
        # New serials for a recalled lot would be printed on goods that must not be sold.
        self.fields["lot"].queryset = Lot.objects.filter(  # type: ignore[attr-defined]
            product=product, status=Lot.Status.ACTIVE
        )


class ResolverLinkForm(forms.Form):
    packaging = PackagingChoiceField(label=_("Packaging (GTIN)"), queryset=None)
    link_type = forms.ChoiceField(label=_("Link type"), choices=ResolverLink.LinkType.choices)
    language = forms.ChoiceField(label=_("Language"), choices=CONTENT_LANGUAGES)
    title = forms.CharField(label=_("Title"), max_length=200)
    # A CharField, not a URLField: resolver_link_add decides which addresses are allowed and says so.
    target = forms.CharField(
        label=_("Target address"),
        max_length=500,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    lot: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Lot (optional)"),
        queryset=None,
        required=False,
        help_text=_("Leave empty for a link that holds for every lot."),
    )

    def __init__(self, *args, product: Product, **kwargs):
        kwargs.setdefault("auto_id", "link_%s")
        super().__init__(*args, **kwargs)
        self.fields["packaging"].queryset = _packagings(product, with_gtin=True)  # type: ignore[attr-defined]
        self.fields["lot"].queryset = Lot.objects.filter(product=product)  # type: ignore[attr-defined]


class RawMaterialAreaForm(forms.Form):
    """The outline comes from the map (written into the textarea by area_map.js), pasted GeoJSON or a
    .geojson file; raw_material_area_create (or _update) checks it. Given an `area`, the form starts
    from it: the edit page."""

    GEOJSON_EXTENSIONS = (".geojson", ".json")

    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=RawMaterialArea.Kind.choices)
    crop = forms.CharField(label=_("Crop or animal"), max_length=200)
    standards = forms.CharField(
        label=_("Standards"), max_length=300, required=False, help_text=_("For example VietGAP, organic.")
    )
    households = forms.IntegerField(label=_("Households"), required=False, min_value=0)
    area_ha = forms.DecimalField(
        label=_("Area (ha)"),
        required=False,
        localize=True,
        help_text=_("Only for a point: a polygon's area is measured from its outline."),
    )
    geometry = forms.CharField(
        label=_("Location (GeoJSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false", "data-area-geometry": ""}),
        help_text=_("Draw it on the map, or paste a GeoJSON point or polygon (longitude first)."),
    )
    geometry_file = forms.FileField(
        label=_("…or upload a GeoJSON file"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".geojson,.json,application/geo+json"}),
    )

    def __init__(self, *args, area: RawMaterialArea | None = None, **kwargs):
        kwargs.setdefault("auto_id", "area_%s")
        if area is not None:
            kwargs.setdefault("initial", self.initial_of(area))
        super().__init__(*args, **kwargs)

    @staticmethod
    def initial_of(area: RawMaterialArea) -> dict:
        """The form as the area is now. A polygon's hectares are left out: they are measured again
        from its outline, and would otherwise stick to a point drawn in its place."""
        return {
            "name": area.name,
            "kind": area.kind,
            "crop": area.crop,
            "standards": area.standards,
            "households": area.households,
            "area_ha": area.area_ha if area.geometry.get("type") == "Point" else None,
            "geometry": json.dumps(area.geometry, ensure_ascii=False),
        }

    def clean_geometry_file(self):
        upload = self.cleaned_data.get("geometry_file")
        if not upload:
            return None
        if not upload.name.lower().endswith(self.GEOJSON_EXTENSIONS):
            raise forms.ValidationError(_("Upload a .geojson or .json file."))
        limit = settings.OCOP_GEOJSON_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is too large (at most %(kb)s kB).") % {"kb": limit // 1024}
            )
        try:
            return upload.read(limit + 1).decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("The file is not UTF-8 text.")) from None

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        # A file wins over the textarea; one of them is needed.
        data["geometry"] = data.pop("geometry_file", None) or data.get("geometry", "")
        if not data["geometry"].strip():
            self.add_error(
                "geometry", _("Draw the area on the map, paste its GeoJSON or upload a GeoJSON file.")
            )
        if data.get("households") is None:
            data["households"] = 0
        return data


class LotAreasForm(forms.Form):
    areas: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("Raw-material areas"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, lot: Lot, entity_id: int, **kwargs):
        kwargs.setdefault("auto_id", f"lotareas{lot.pk}_%s")
        kwargs.setdefault("initial", {"areas": [a.pk for a in lot.raw_material_areas.all()]})
        super().__init__(*args, **kwargs)
        self.lot = lot
        self.fields["areas"].queryset = RawMaterialArea.objects.filter(  # type: ignore[attr-defined]
            entity_id=entity_id
        )


class StepLotChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        recalled = f" · {obj.get_status_display()}" if obj.status == Lot.Status.RECALLED else ""
        return f"{obj.code}{recalled}"


class InputLotsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.code} · {obj.product}"


class StepForm(forms.Form):
    """Every field at once, each saying which step uses it: the page works without JavaScript.
    traceability.steps.step_record decides what each step needs."""

    # Icons as text: a symbol any phone shows, so the step is found before its name is read.
    KIND_ICONS = {"harvest": "🌾", "produce": "🏭", "pack": "📦", "ship": "🚚", "receive": "📥"}

    kind = forms.ChoiceField(label=_("What happened?"), widget=forms.RadioSelect)
    lot = StepLotChoiceField(
        label=_("Lot"), queryset=None, help_text=_("For Produce: the new lot that was made.")
    )
    when = forms.DateTimeField(
        label=_("Date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    quantity = forms.DecimalField(
        label=_("Quantity"),
        required=False,
        localize=True,
        help_text=_("Needed for Harvest and Produce; optional for the other steps."),
    )
    unit = forms.ChoiceField(label=_("Unit"), required=False)
    area: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Raw-material area"),
        queryset=None,
        required=False,
        help_text=_("Harvest only: where it was harvested."),
    )
    input_lots = InputLotsField(
        label=_("Made from these lots"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Produce only: the lots that went into the new lot."),
    )
    destination = forms.CharField(
        label=_("Shipped to"),
        max_length=500,
        required=False,
        help_text=_("Ship only: the outlet or buyer."),
    )
    photo = forms.FileField(
        label=_("Photo (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )

    def __init__(self, *args, product: Product, **kwargs):
        kwargs.setdefault("auto_id", "step_%s")
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [  # type: ignore[attr-defined]
            (value, f"{self.KIND_ICONS[value]} {label}") for value, label in StepKind.choices
        ]
        self.fields["unit"].choices = Unit.choices  # type: ignore[attr-defined]
        self.fields["lot"].queryset = Lot.objects.filter(product=product)  # type: ignore[attr-defined]
        self.fields["area"].queryset = RawMaterialArea.objects.filter(  # type: ignore[attr-defined]
            entity_id=product.entity_id
        )
        self.fields["input_lots"].queryset = (  # type: ignore[attr-defined]
            Lot.objects.filter(product__entity_id=product.entity_id).select_related("product")
        )
