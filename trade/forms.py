"""Forms only parse; the trade services check and word every refusal. Choices offered are the ones the
user may use, so a forged id (another province's commune, a closed outlet) fails here already."""

from django import forms
from django.utils.translation import gettext_lazy as _

from places.models import Commune, Province
from registry import access
from registry.languages import CONTENT_LANGUAGES
from trade import selectors
from trade.models import Destination, Outlet, SalesChannel, TradeEvent


def _provinces_of(user):
    scope = access.scope_of(user)
    qs = Province.objects.all()
    return qs if scope.national else qs.filter(code__in=scope.provinces)


class _PlaceForm(forms.Form):
    """Province (those the official manages) then one of its communes, and a position that the map
    fills in when JavaScript runs (typed by hand otherwise)."""

    province = forms.ModelChoiceField(
        label=_("Province"),
        queryset=Province.objects.none(),
        error_messages={"invalid_choice": _("Choose one of your provinces.")},
    )
    commune = forms.ModelChoiceField(
        label=_("Commune"),
        queryset=Commune.objects.none(),
        error_messages={"invalid_choice": _("Choose a commune of the chosen province.")},
    )
    latitude = forms.CharField(
        label=_("Latitude"),
        max_length=20,
        help_text=_("Decimal degrees north, e.g. 22.3364. Click the map to fill it in."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "data-map-lat": ""}),
    )
    longitude = forms.CharField(
        label=_("Longitude"),
        max_length=20,
        help_text=_("Decimal degrees east, e.g. 103.8438."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "data-map-lon": ""}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        province_field: forms.ModelChoiceField = self.fields["province"]  # type: ignore[assignment]
        province_field.queryset = _provinces_of(user)
        chosen = self.data.get("province") or self.initial.get("province")
        code = getattr(chosen, "code", chosen)
        commune_field: forms.ModelChoiceField = self.fields["commune"]  # type: ignore[assignment]
        commune_field.queryset = (
            Commune.objects.filter(province_id=code).order_by("name_folded")
            if code
            else Commune.objects.none()
        )
        self.fields["province"].widget.attrs.update(
            {"hx-get": "/places/communes/", "hx-target": "#id_commune", "hx-trigger": "change"}
        )

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("province", None)
        return data


class OutletForm(_PlaceForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Outlet.Kind.choices)
    address = forms.CharField(label=_("Address"), max_length=300)
    opening_hours = forms.CharField(
        label=_("Opening hours"), max_length=200, required=False, help_text=_("E.g. 8:00–21:00 every day.")
    )
    website = forms.CharField(label=_("Website (optional)"), max_length=500, required=False)
    field_order = ["name", "kind", "address", "province", "commune", "latitude", "longitude"]


class EventForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=255)
    kind = forms.ChoiceField(label=_("Kind"), choices=TradeEvent.Kind.choices)
    start_date = forms.DateField(label=_("Start date"), widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(label=_("End date"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("Place"), max_length=300)
    province = forms.ModelChoiceField(
        label=_("Province"),
        queryset=Province.objects.none(),
        required=False,
        empty_label=_("— none (national event or abroad) —"),
        error_messages={"invalid_choice": _("Choose one of your provinces.")},
    )
    organiser = forms.CharField(label=_("Organiser"), max_length=255)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    website = forms.CharField(label=_("Website (optional)"), max_length=500, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        province_field: forms.ModelChoiceField = self.fields["province"]  # type: ignore[assignment]
        province_field.queryset = _provinces_of(user)
        if not access.scope_of(user).national:
            province_field.required = True
            province_field.empty_label = None


class DestinationForm(_PlaceForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=Destination.Kind.choices)
    product = forms.ModelChoiceField(
        label=_("OCOP tourism product (optional)"),
        queryset=selectors.tourism_products(),
        required=False,
        help_text=_("A certified product of group 6 (community tourism, eco-tourism, tourist sites)."),
        error_messages={"invalid_choice": _("Choose a certified OCOP tourism product.")},
    )
    website = forms.CharField(label=_("Website (optional)"), max_length=500, required=False)
    field_order = ["kind", "province", "commune", "latitude", "longitude", "product", "website"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for lang, lang_name in CONTENT_LANGUAGES:
            self.fields[f"name_{lang}"] = forms.CharField(
                label=_("Name (%(language)s)") % {"language": lang_name},
                max_length=255,
                required=False,
                widget=forms.TextInput(attrs={"lang": lang}),
            )
            self.fields[f"description_{lang}"] = forms.CharField(
                label=_("Description (%(language)s)") % {"language": lang_name},
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 3, "lang": lang}),
            )

    def place_fields(self):
        return [
            self[name]
            for name in ("kind", "province", "commune", "latitude", "longitude", "product", "website")
        ]

    def language_groups(self):
        return [
            (lang, name, [self[f"name_{lang}"], self[f"description_{lang}"]])
            for lang, name in CONTENT_LANGUAGES
        ]

    def service_data(self) -> dict:
        data = super().service_data()
        translations = {}
        for lang, _name in CONTENT_LANGUAGES:
            translations[lang] = {
                "name": data.pop(f"name_{lang}", ""),
                "description": data.pop(f"description_{lang}", ""),
            }
        data["translations"] = translations
        return data


class ChannelForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=SalesChannel.Kind.choices,
        error_messages={"invalid_choice": _("Choose a kind of channel.")},
    )
    url = forms.CharField(
        label=_("Link"), max_length=500, help_text=_("The full address, starting with https://")
    )
    label = forms.CharField(label=_("Label (optional)"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "channel_%s")
        super().__init__(*args, **kwargs)


class OutletChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} — {obj.commune}"


class StockForm(forms.Form):
    """A producer says which outlet sells the product."""

    outlet = OutletChoiceField(
        label=_("Outlet"),
        queryset=Outlet.objects.none(),
        error_messages={"invalid_choice": _("Choose an open outlet from the list.")},
    )
    since = forms.DateField(
        label=_("On sale there since"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: today."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "stock_%s")
        super().__init__(*args, **kwargs)
        self.fields["outlet"].queryset = selectors.outlets_open()  # type: ignore[attr-defined]


class ProductChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name_vi} — {obj.entity.legal_name}"


class OutletStockForm(forms.Form):
    """An official lists a product an outlet sells."""

    product = ProductChoiceField(
        label=_("Product"),
        queryset=None,
        error_messages={"invalid_choice": _("Choose a certified product of your province from the list.")},
    )
    since = forms.DateField(
        label=_("On sale there since"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: today."),
    )

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("auto_id", "stock_%s")
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = selectors.products_linkable_by(user)  # type: ignore[attr-defined]


class ParticipationForm(forms.Form):
    product = ProductChoiceField(
        label=_("Product"),
        queryset=None,
        error_messages={"invalid_choice": _("Choose one of the certified products offered.")},
    )

    def __init__(self, *args, user, event, **kwargs):
        kwargs.setdefault("auto_id", "participation_%s")
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = selectors.products_registrable_by(user, event)  # type: ignore[attr-defined]
