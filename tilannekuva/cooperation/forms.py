"""Forms of the co-operation pages: the action filter (GET) and the coordinators' and administrators' edits."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tilannekuva.strategy.models import ActionStatus, Goal, PhaseStatus

from . import registers, selectors
from .models import Agreement, CounterpartPair, Meeting

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
        grouped = [
            (_interface_label(interface)[:90], [(g.key, g.title[:90]) for g in goals])
            for interface, goals in choices.goals
        ]
        _choices(self, "goal", everything + grouped)
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
    """A pair's fields; the choices come from the strategy version (interfaces, levels, client paths) and the
    region (areas, organisations). The rules that tie them together are the service's."""

    interface_key = forms.ChoiceField(label=_("Interface"))
    level_key = forms.ChoiceField(label=_("Dialogue level"))
    client_path_key = forms.ChoiceField(label=_("Client path"), required=False)

    class Meta:
        model = CounterpartPair
        fields = [
            "interface_key",
            "level_key",
            "client_path_key",
            "area",
            "first_organisation",
            "first_role",
            "second_organisation",
            "second_role",
            "valid_from",
            "valid_to",
            "source",
            "note",
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 2}), "source": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, choices: registers.PairChoices, **kwargs: Any):
        super().__init__(*args, **kwargs)
        _choices(self, "interface_key", [(g.key, _interface_label(g)) for g in choices.interfaces])
        _choices(self, "level_key", [(level.key, level.name) for level in choices.levels])
        paths: list[tuple[Any, Any]] = [("", _("No client path"))]
        paths += [(path.key, f"{label}: {path.name}") for label, path in choices.client_paths]
        _choices(self, "client_path_key", paths)
        self.fields["area"].queryset = choices.areas  # type: ignore[attr-defined]
        self.fields["first_organisation"].queryset = choices.organisations  # type: ignore[attr-defined]
        self.fields["second_organisation"].queryset = choices.organisations  # type: ignore[attr-defined]
        self.fields["second_role"].required = True


class AgreementForm(forms.ModelForm):
    interface_key = forms.ChoiceField(label=_("Interface or focus area"), required=False)
    group_key = forms.ChoiceField(label=_("Responsible group"), required=False)
    url = forms.URLField(label=_("Link to the document"), max_length=1000, required=False, assume_scheme="https")

    class Meta:
        model = Agreement
        fields = [
            "kind",
            "title",
            "parties",
            "area",
            "interface_key",
            "group_key",
            "status",
            "signed_on",
            "valid_from",
            "valid_until",
            "document",
            "url",
            "source",
            "note",
        ]
        widgets = {
            "parties": forms.CheckboxSelectMultiple,
            "signed_on": DATE_INPUT,
            "valid_from": DATE_INPUT,
            "valid_until": DATE_INPUT,
            "note": forms.Textarea(attrs={"rows": 2}),
            "source": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, choices: registers.AgreementChoices, **kwargs: Any):
        super().__init__(*args, **kwargs)
        everything: list[tuple[Any, Any]] = [("", _("None"))]
        _choices(self, "interface_key", everything + [(g.key, _interface_label(g)) for g in choices.interfaces])
        _choices(self, "group_key", everything + [(g.key, g.name) for g in choices.groups])
        self.fields["parties"].queryset = choices.organisations  # type: ignore[attr-defined]
        self.fields["area"].queryset = choices.areas  # type: ignore[attr-defined]


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1900, max_value=2100)


class CopyVersionForm(forms.Form):
    year = forms.IntegerField(label=_("Year of the new draft"), min_value=2000, max_value=2100)


class PhaseStatusForm(forms.Form):
    phase = forms.SlugField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Status"), choices=PhaseStatus.choices)
