"""Forms of the co-operation pages: the action filter (GET) and the coordinators' and administrators' edits."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tilannekuva.strategy.models import ActionStatus, Goal, PhaseStatus

from . import selectors
from .models import CounterpartPair, Meeting

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _choices(form: forms.BaseForm, name: str, choices: list[tuple[Any, Any]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


def _interface_label(goal: Goal) -> str:
    return f"{goal.code}. {goal.title}" if goal.code else goal.title


class ActionFilterForm(forms.Form):
    interface = forms.ChoiceField(label=_("Interface or focus area"), required=False)
    goal = forms.ChoiceField(label=_("Goal"), required=False)
    organisation = forms.TypedChoiceField(label=_("Organisation"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args: Any, choices: selectors.FilterChoices, **kwargs: Any):
        super().__init__(*args, **kwargs)
        everything: list[tuple[Any, Any]] = [("", _("All"))]
        _choices(self, "interface", everything + [(g.key, _interface_label(g)) for g in choices.interfaces])
        _choices(self, "goal", everything + [(g.key, g.title[:90]) for g in choices.goals])
        _choices(self, "organisation", everything + [(o.pk, str(o)) for o in choices.organisations])
        _choices(self, "status", everything + choices.statuses)

    def filters(self) -> selectors.ActionFilters:
        """The valid choices only: a stale or mistyped parameter in a shared address is ignored, not an error."""
        self.is_valid()
        return selectors.as_filters(getattr(self, "cleaned_data", {}))


class ActionUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices, widget=forms.RadioSelect)
    due = forms.DateField(label=_("Due date"), required=False, widget=DATE_INPUT)
    note = forms.CharField(
        label=_("Progress note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What has been done, what is next. A status change is noted even without text."),
    )


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["date", "title", "agenda", "memo", "decisions"]
        widgets = {
            "date": DATE_INPUT,
            "agenda": forms.Textarea(attrs={"rows": 4}),
            "memo": forms.Textarea(attrs={"rows": 4}),
            "decisions": forms.Textarea(attrs={"rows": 4}),
        }


class CounterpartForm(forms.ModelForm):
    interface_key = forms.ChoiceField(label=_("Interface"))

    class Meta:
        model = CounterpartPair
        fields = ["interface_key", "municipality", "county", "contact_role", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, region: Any, version: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        _choices(self, "interface_key", [(g.key, _interface_label(g)) for g in selectors.interfaces_of(version)])
        self.fields["municipality"].queryset = selectors.municipalities_in(region, version.year)  # type: ignore[attr-defined]
        self.fields["county"].queryset = selectors.counties_for(version)  # type: ignore[attr-defined]


class CopyVersionForm(forms.Form):
    year = forms.IntegerField(label=_("Year of the new draft"), min_value=2000, max_value=2100)


class PhaseStatusForm(forms.Form):
    phase = forms.SlugField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Status"), choices=PhaseStatus.choices)
