"""Forms of the evaluation pages only parse input; the services validate and write.

The criterion sheets (Mẫu 02 and a member's scores) offer each criterion only its own options, so an
option id of another criterion in a forged post fails here with "select a valid choice"."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from evaluation.models import Criterion, CriterionOption, Dossier, SelfAssessment
from evaluation.selectors import sheet_criteria
from evaluation.services_forms import Answer
from registry.models import Evidence

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RoundForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    level = forms.ChoiceField(
        label=_("Council level"),
        choices=[("province", _("Province council")), ("central", _("Central council (Ministry)"))],
        initial="province",
    )
    province: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Province"),
        queryset=None,
        required=False,
        help_text=_("Empty for a central (Ministry) round."),
    )
    period_start = forms.DateField(label=_("Period start"), widget=DATE)
    period_end = forms.DateField(label=_("Period end"), widget=DATE)
    submission_deadline = forms.DateField(label=_("Dossiers accepted until"), widget=DATE)

    def __init__(self, *args, provinces, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = provinces  # type: ignore[attr-defined]


class CouncilMemberForm(forms.Form):
    user: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Council member"), queryset=None)
    is_chair = forms.BooleanField(label=_("Chair"), required=False)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = candidates  # type: ignore[attr-defined]


class AssignForm(forms.Form):
    members: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("Members who score this dossier"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = members  # type: ignore[attr-defined]


class ForwardForm(forms.Form):
    target_round: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Central round"), queryset=None)

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_round"].queryset = targets  # type: ignore[attr-defined]


class CloseRoundForm(forms.Form):
    reason = forms.CharField(label=_("Note (optional)"), max_length=500, required=False)


class DossierForm(forms.Form):
    """Mẫu 01: register a product in a round."""

    evaluation_round: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Evaluation round"), queryset=None
    )
    kind = forms.ChoiceField(
        label=_("Registration type"),
        choices=Dossier.Kind.choices,
        initial=Dossier.Kind.FIRST,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, rounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evaluation_round"].queryset = rounds  # type: ignore[attr-defined]


class CommuneCheckForm(forms.Form):
    """Mẫu 03: the commune's four findings (Art. 7.2), then pass or return."""

    ACCEPT = "pass"
    RETURN = "return"

    origin = forms.CharField(
        label=_("Origin of the product idea"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    local_labour = forms.CharField(
        label=_("Local labour"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    local_materials = forms.CharField(
        label=_("Local raw materials"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    local_identity = forms.CharField(
        label=_("Local identity"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    knockout_reasons = forms.CharField(
        label=_("Knock-out findings (optional, one per line)"),
        help_text=_("A forged dossier, no food-safety certificate, all raw material imported …"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(ACCEPT, _("Pass it to the province council")), (RETURN, _("Return it to the entity"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason for returning"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    REPORT_FIELDS = ("origin", "local_labour", "local_materials", "local_identity")

    def report(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in self.REPORT_FIELDS}

    def knockouts(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["knockout_reasons"].splitlines() if line.strip()]


def _option_label(option: CriterionOption) -> str:
    label = ngettext("%(points)s point", "%(points)s points", option.points) % {"points": option.points}
    label = f"{label} — {option.text_vi}"
    if option.star_marker:
        label += " " + str(_("(least for %(stars)s★)")) % {"stars": option.star_marker}
    return label


class _SheetForm(forms.Form):
    """One radio group per scorable criterion, named option_<criterion id>."""

    def __init__(self, *args, sheet: list[dict[str, Any]], **kwargs):
        super().__init__(*args, **kwargs)
        self.sheet = sheet
        self.criteria = sheet_criteria(sheet)
        for criterion in self.criteria:
            self.fields[f"option_{criterion.pk}"] = forms.TypedChoiceField(
                label=f"{criterion.part}.{criterion.code} {criterion.name_vi}",
                choices=[(o.pk, _option_label(o)) for o in criterion.options.all()],
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
            )
            self._add_fields(criterion)

    def _add_fields(self, criterion: Criterion) -> None:
        pass

    def _bound(self, criterion: Criterion) -> dict[str, Any]:
        return {"option": self[f"option_{criterion.pk}"]}

    def parts(self) -> list[dict[str, Any]]:
        """The sheet with each criterion's bound fields, for the template."""
        return [
            part
            | {
                "groups": [
                    group | {"criteria": [row | self._bound(row["criterion"]) for row in group["criteria"]]}
                    for group in part["groups"]
                ]
            }
            for part in self.sheet
        ]

    def _option(self, criterion: Criterion) -> CriterionOption | None:
        chosen = self.cleaned_data.get(f"option_{criterion.pk}")
        return next((o for o in criterion.options.all() if o.pk == chosen), None)


class SelfAssessmentForm(_SheetForm):
    """Mẫu 02: per criterion the option, a note and evidence from the entity's library."""

    def __init__(
        self,
        *args,
        sheet: list[dict[str, Any]],
        evidence: list[Evidence],
        answers: dict[int, SelfAssessment],
        **kwargs,
    ):
        self.evidence = evidence
        initial: dict[str, Any] = {}
        for criterion_id, row in answers.items():
            initial[f"option_{criterion_id}"] = row.option_id
            initial[f"note_{criterion_id}"] = row.note
            initial[f"evidence_{criterion_id}"] = [doc.pk for doc in row.evidence.all()]
        super().__init__(*args, sheet=sheet, initial=initial, **kwargs)

    def _add_fields(self, criterion: Criterion) -> None:
        self.fields[f"note_{criterion.pk}"] = forms.CharField(
            label=_("Explanation"),
            max_length=2000,
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
        )
        self.fields[f"evidence_{criterion.pk}"] = forms.TypedMultipleChoiceField(
            label=_("Evidence"),
            choices=[(doc.pk, f"{doc.title} ({doc.get_kind_display()})") for doc in self.evidence],
            coerce=int,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )

    def _bound(self, criterion: Criterion) -> dict[str, Any]:
        return {
            "option": self[f"option_{criterion.pk}"],
            "note": self[f"note_{criterion.pk}"],
            "evidence": self[f"evidence_{criterion.pk}"],
        }

    def clean(self):
        data = super().clean()
        for criterion in self.criteria:
            if data.get(f"option_{criterion.pk}") is None and (
                data.get(f"note_{criterion.pk}") or data.get(f"evidence_{criterion.pk}")
            ):
                self.add_error(
                    f"option_{criterion.pk}",
                    ValidationError(_("Choose an option to save the note and evidence of this criterion.")),
                )
        return data

    def answers(self) -> list[Answer]:
        documents = {doc.pk: doc for doc in self.evidence}
        answers = []
        for criterion in self.criteria:
            option = self._option(criterion)
            if option is None:
                continue
            chosen = self.cleaned_data.get(f"evidence_{criterion.pk}") or []
            answers.append(
                Answer(
                    criterion=criterion,
                    option=option,
                    note=self.cleaned_data.get(f"note_{criterion.pk}", ""),
                    evidence=tuple(documents[pk] for pk in chosen),
                )
            )
        return answers


class ScoreSheetForm(_SheetForm):
    """A council member's scores: one option per criterion, pre-selected with their own earlier score."""

    def __init__(self, *args, sheet: list[dict[str, Any]], own: dict[int, int], **kwargs):
        initial = {f"option_{criterion_id}": option_id for criterion_id, option_id in own.items()}
        super().__init__(*args, sheet=sheet, initial=initial, **kwargs)

    def choices(self) -> list[tuple[Criterion, CriterionOption]]:
        chosen = []
        for criterion in self.criteria:
            option = self._option(criterion)
            if option is not None:
                chosen.append((criterion, option))
        return chosen
