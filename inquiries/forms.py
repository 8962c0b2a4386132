"""Forms only parse input; inquiries.services checks and writes (plain text, windows, rate limits)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from inquiries.models import BuyerProfile
from inquiries.services import ADDRESS_MAX, KEYWORDS_MAX, NOTE_MAX, ORGANISATION_MAX, REASON_MAX, UNIT_MAX
from places.models import Province
from registry.models import ProductCategory


class BuyerForm(forms.Form):
    organisation = forms.CharField(label=_("Organisation"), max_length=ORGANISATION_MAX)
    kind = forms.ChoiceField(label=_("Kind of buyer"), choices=BuyerProfile.Kind.choices)
    tax_code = forms.CharField(label=_("Tax code"), max_length=20)
    phone = forms.CharField(label=_("Contact phone"), max_length=20)
    email = forms.CharField(label=_("Contact e-mail"), max_length=254)
    province = forms.ModelChoiceField(label=_("Province"), queryset=Province.objects.all())


class BuyerSignUpForm(BuyerForm):
    """A buyer without an account: the login first, then the organisation (BuyerForm)."""

    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password_again = forms.CharField(
        label=_("Password again"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    # The honeypot of scans.forms.FakeReportForm (hidden from people; a robot's post keeps nothing).
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    field_order = ["username", "password", "password_again"]


class InquiryForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Product type (criteria set)"),
        queryset=ProductCategory.objects.select_related("subgroup__group"),
    )
    keywords = forms.CharField(
        label=_("Keywords (optional)"),
        max_length=KEYWORDS_MAX,
        required=False,
        help_text=_("Only products whose name contains every word, e.g. “shan tuyết”."),
    )
    # Text, not a number field: the service says what is wrong with "1.5 tấn" or "-3" in words.
    quantity = forms.CharField(label=_("Quantity"), max_length=20)
    unit = forms.CharField(
        label=_("Unit"),
        max_length=UNIT_MAX,
        help_text=_(
            "kg, tấn, tạ, g, lít and ml convert into each other; other units (hộp, chai, gói) "
            "match only the same unit."
        ),
    )
    delivery_start = forms.DateField(label=_("Delivery from"), widget=forms.DateInput(attrs={"type": "date"}))
    delivery_end = forms.DateField(label=_("Delivery until"), widget=forms.DateInput(attrs={"type": "date"}))
    destination_province = forms.ModelChoiceField(
        label=_("Deliver to province"), queryset=Province.objects.all()
    )
    destination_address = forms.CharField(label=_("Delivery address"), max_length=ADDRESS_MAX)
    note = forms.CharField(
        label=_("Note for the producers (optional)"),
        max_length=NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # The honeypot of scans.forms.FakeReportForm: hidden from people, filled by robots; such a post is
    # answered like a success and nothing is kept (inquiries.views.inquiry_create).
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Dates are parsed here but judged by the service (past, order, horizon), with its messages.
        for name in ("delivery_start", "delivery_end"):
            self.fields[name].error_messages["invalid"] = _("Enter a date, e.g. 31/12/2026.")


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you decline?"),
        max_length=REASON_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), max_length=REASON_MAX, required=False)


class DemandFilterForm(forms.Form):
    """The period as months (YYYY-MM, an <input type=month>) and, for national officials, a province."""

    month_from = forms.DateField(label=_("From month"), input_formats=["%Y-%m"], required=False)
    month_to = forms.DateField(label=_("To month"), input_formats=["%Y-%m"], required=False)
    province = forms.CharField(label=_("Province"), max_length=2, required=False)
