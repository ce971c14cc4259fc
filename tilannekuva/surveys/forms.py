"""Forms of the survey pages: what the fields are; the rules for their values live in services."""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tilannekuva.regions.models import Organisation, OrganisationKind

from . import survey_templates
from .models import Question, QuestionKind, SurveyStatus


class CreateSurveyForm(forms.Form):
    template = forms.ChoiceField(label=_("Template"), choices=survey_templates.choices, widget=forms.RadioSelect)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(
        label=_("Title in Finnish"),
        max_length=300,
        required=False,
        help_text=_("Leave empty to use the template's title. A blank survey needs one."),
    )
    key = forms.SlugField(
        label=_("Survey key"),
        max_length=80,
        required=False,
        help_text=_("Leave empty to use the template's key (the key that metrics are bound to)."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year - 1


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=SurveyStatus.choices)


class InvitationForm(forms.Form):
    organisations = forms.ModelMultipleChoiceField(
        label=_("Partner organisations"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    per_organisation = forms.IntegerField(
        label=_("Invitations per organisation"), min_value=1, max_value=500, initial=1
    )
    output = forms.ChoiceField(
        label=_("Give the links"),
        choices=[("page", _("on a page, once")), ("csv", _("as a CSV file, once"))],
        widget=forms.RadioSelect,
        initial="csv",
    )

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisations"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations]).order_by("kind", "name")


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Answers file (CSV or XLSX)"),
        help_text=_(
            "A Webropol-style export: a header row, then one row per respondent. Columns: Vastaaja (the "
            "respondent's id, required), optionally Vastausaika and Organisaation tyyppi, and one column per "
            "question, headed by its key (nps, q1, … as in the table of questions below) or its Finnish text. "
            "Any other column is refused."
        ),
    )


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(choices=[("publish", _("Publish")), ("hide", _("Do not publish"))])


class PublishForm(forms.Form):
    decision = forms.ChoiceField(choices=[("publish", _("Publish the results")), ("withdraw", _("Withdraw"))])


@dataclass(frozen=True)
class Option:
    """One radio button or check box of a question, as the template writes it (by hand: rendering some sixty
    inputs through the widget templates was most of the form page's time)."""

    id: str
    value: str
    label: str
    checked: bool


def options_of(bound: forms.BoundField) -> list[Option]:
    current = bound.value()
    if isinstance(current, list | tuple):
        chosen = {str(v) for v in current}
    else:
        chosen = set() if current in (None, "") else {str(current)}
    choices = getattr(bound.field, "choices", [])
    return [
        Option(f"{bound.auto_id}_{i}", str(v), str(label), str(v) in chosen) for i, (v, label) in enumerate(choices)
    ]


def field_name(question: Question) -> str:
    return f"q-{question.key}"


class ResponseForm(forms.Form):
    """One field per question; the template renders them as fieldsets of radio buttons, check boxes or a text
    area. The values are checked again by services.clean_answers."""

    def __init__(self, *args: Any, questions: list[Question], ask_kind: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        if ask_kind:
            self.fields["organisation_kind"] = forms.ChoiceField(
                label=_("What kind of organisation do you answer for?"),
                choices=[("", "–"), *OrganisationKind.choices],
                required=False,
            )
        for question in questions:
            self.fields[field_name(question)] = self._field(question)

    @staticmethod
    def _field(question: Question) -> forms.Field:
        label, required = question.text, question.required
        if question.is_scale:
            labels = question.point_labels
            options = [(str(v), f"{v} – {labels[v]}" if v in labels else str(v)) for v in question.scale]
            return forms.ChoiceField(label=label, choices=options, required=required, widget=forms.RadioSelect)
        if question.kind == QuestionKind.SINGLE:
            options = [(c.value, c.text) for c in question.choices.all()]
            return forms.ChoiceField(label=label, choices=options, required=required, widget=forms.RadioSelect)
        if question.kind == QuestionKind.MULTIPLE:
            options = [(c.value, c.text) for c in question.choices.all()]
            return forms.MultipleChoiceField(
                label=label, choices=options, required=required, widget=forms.CheckboxSelectMultiple
            )
        return forms.CharField(
            label=label, required=required, max_length=10_000, widget=forms.Textarea(attrs={"rows": 4})
        )

    def values(self) -> dict[str, Any]:
        return {q.key: self.cleaned_data.get(field_name(q)) for q in self.questions}

    def sections(self) -> list[tuple[Any, list[tuple[Question, forms.BoundField, list[Option]]]]]:
        """The questions grouped by section, each with its bound field and its options, in order."""
        grouped: list[tuple[Any, list[tuple[Question, forms.BoundField, list[Option]]]]] = []
        for question in self.questions:
            if not grouped or grouped[-1][0] != question.section:
                grouped.append((question.section, []))
            bound = self[field_name(question)]
            grouped[-1][1].append((question, bound, options_of(bound)))
        return grouped
