"""Forms of the statement rounds: the values are checked again by the services, which name the field at fault."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tilannekuva.regions.models import Organisation
from tilannekuva.strategy.models import Goal, StrategyVersion

from .models import StatementRequest


class RoundForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    instructions = forms.CharField(label=_("What is asked"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    deadline = forms.DateField(label=_("Statements by"), widget=forms.DateInput(attrs={"type": "date"}))
    organisations = forms.ModelMultipleChoiceField(
        label=_("Partners asked for a statement"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, version: StrategyVersion, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            pk__in=version.partners.values("organisation_id")
        ).order_by("kind", "name")


class RequestChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.organisation)


class GoalChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} {obj.title}".strip()[:140]


class StatementForm(forms.Form):
    request = RequestChoiceField(label=_("On behalf of"), queryset=StatementRequest.objects.none(), empty_label=None)
    goal = GoalChoiceField(
        label=_("Goal"), queryset=Goal.objects.none(), required=False, empty_label=_("The version in general")
    )
    text = forms.CharField(label=_("Statement"), widget=forms.Textarea(attrs={"rows": 6}))
    document = forms.FileField(label=_("Document (optional)"), required=False)

    def __init__(self, *args: Any, requests: list[StatementRequest], goals: list[Goal], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["request"].queryset = StatementRequest.objects.filter(  # type: ignore[attr-defined]
            pk__in=[r.pk for r in requests]
        ).select_related("organisation")
        self.fields["goal"].queryset = Goal.objects.filter(  # type: ignore[attr-defined]
            pk__in=[g.pk for g in goals]
        ).order_by("position")


class AnswerForm(forms.Form):
    text = forms.CharField(label=_("Answer to the statement"), widget=forms.Textarea(attrs={"rows": 3}))
