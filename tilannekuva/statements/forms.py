"""Forms of the statement rounds: the values are checked again by the services, which name the field at fault."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tilannekuva.regions.models import Organisation
from tilannekuva.strategy.models import Goal, StrategyVersion


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


class StatementForm(forms.Form):
    request = forms.ModelChoiceField(label=_("On behalf of"), queryset=None, empty_label=None)  # type: ignore[arg-type]
    goal = forms.ModelChoiceField(
        label=_("Goal"), queryset=Goal.objects.none(), required=False, empty_label=_("The version in general")
    )
    text = forms.CharField(label=_("Statement"), widget=forms.Textarea(attrs={"rows": 6}))
    document = forms.FileField(label=_("Document (optional)"), required=False)

    def __init__(self, *args: Any, requests: list, goals: list[Goal], **kwargs: Any):
        super().__init__(*args, **kwargs)
        from .models import StatementRequest

        self.fields["request"].queryset = StatementRequest.objects.filter(  # type: ignore[attr-defined]
            pk__in=[r.pk for r in requests]
        ).select_related("organisation")
        self.fields["request"].label_from_instance = lambda r: str(r.organisation)  # type: ignore[attr-defined]
        self.fields["goal"].queryset = Goal.objects.filter(pk__in=[g.pk for g in goals]).order_by("position")  # type: ignore[attr-defined]
        self.fields["goal"].label_from_instance = (
            lambda g: (  # type: ignore[attr-defined]
                f"{g.code} {g.title}".strip()[:140]
            )
        )


class AnswerForm(forms.Form):
    text = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 3}))
