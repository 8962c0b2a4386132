"""Forms only parse input; scans.services checks and writes (plain text, rate limits, scope)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from scans.models import SuspectCase

WHERE_MAX = 200
MESSAGE_MAX = 2000
CONTACT_MAX = 200
NOTE_MAX = 1000


class FakeReportForm(forms.Form):
    code = forms.CharField(widget=forms.HiddenInput, max_length=200)
    problem = forms.ChoiceField(label=_("What is wrong?"), choices=SuspectCase.Problem.choices)
    where_bought = forms.CharField(
        label=_("Where did you buy it? (shop, market, website)"), max_length=WHERE_MAX, required=False
    )
    message = forms.CharField(
        label=_("What did you notice?"),
        max_length=MESSAGE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    contact = forms.CharField(
        label=_("Phone or e-mail, if you want an answer (optional)"), max_length=CONTACT_MAX, required=False
    )
    # A field people never see (the `hidden` attribute) and robots fill in: such a post is thanked
    # and thrown away, so the robot learns nothing.
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )


class DecisionForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (SuspectCase.Status.INVESTIGATING, SuspectCase.Status.INVESTIGATING.label),
            (SuspectCase.Status.CONFIRMED_FAKE, SuspectCase.Status.CONFIRMED_FAKE.label),
            (SuspectCase.Status.FALSE_ALARM, SuspectCase.Status.FALSE_ALARM.label),
        ],
    )
    note = forms.CharField(
        label=_("Note"), max_length=NOTE_MAX, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class LocateForm(forms.Form):
    code = forms.CharField(max_length=200)
    latitude = forms.CharField(max_length=40, required=False)
    longitude = forms.CharField(max_length=40, required=False)
