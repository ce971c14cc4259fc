"""Forms of the grants: what the fields are; the rules for their values live in services."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from tilannekuva.regions.models import Area

from .models import Application, Criterion, Priority, PriorityStatus, TargetGroup
from .proposals import MAX_WEIGHT
from .scoring import SCORE_MAX


def parse_euros(text: str) -> Decimal:
    """Euros as Finns write them: decimal comma, spaces between thousands, an optional € sign."""
    cleaned = (
        text.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("€", "").replace(",", ".")
    )
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise forms.ValidationError(_("“%(text)s” is not an amount in euros."), params={"text": text}) from None
    if not value.is_finite() or value.as_tuple().exponent < -2:  # type: ignore[operator]
        raise forms.ValidationError(_("“%(text)s” is not an amount in euros."), params={"text": text})
    return value


class EurosField(forms.Field):
    widget = forms.TextInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off", "maxlength": "20"})

    def to_python(self, value: Any) -> Decimal | None:
        text = str(value or "").strip()
        return parse_euros(text) if text else None


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class ApplicationForm(forms.Form):
    association = forms.CharField(
        label=_("Association"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "organization"})
    )
    business_id = forms.CharField(
        label=_("Business id (Y-tunnus)"),
        max_length=9,
        help_text=_("For example 1234567-8."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        help_text=_("The confirmation and the private link to the application are sent here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    contact_person = forms.CharField(
        label=_("Contact person"),
        max_length=200,
        required=False,
        help_text=_("Who answers the funder's questions about the application."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=_("Phone"), max_length=40, required=False, widget=forms.TextInput(attrs={"autocomplete": "tel"})
    )
    signatory = forms.CharField(
        label=_("Person with signing authority"),
        max_length=200,
        required=False,
        help_text=_("Who signs for the association (e.g. the chair), as in the register of associations."),
    )
    iban = forms.CharField(
        label=_("Bank account (IBAN)"),
        max_length=42,
        required=False,
        help_text=_("The association's account the grant is paid to, for example FI21 1234 5600 0007 85."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    activity = forms.CharField(label=_("Name of the activity"), max_length=200)
    description = forms.CharField(
        label=_("What the activity is and what it achieves"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000
    )
    target_groups = forms.MultipleChoiceField(
        label=_("Target groups"), choices=TargetGroup.choices, widget=forms.CheckboxSelectMultiple
    )
    priorities = forms.ModelMultipleChoiceField(
        label=_("Priorities the activity addresses"),
        queryset=Priority.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Municipalities where the activity takes place"),
        queryset=Area.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    total_budget = EurosField(label=_("Budget of the activity (€)"), help_text=_("For example 12 500 or 12 500,50."))
    amount_applied = EurosField(label=_("Amount applied (€)"))
    earlier_grants = forms.CharField(
        label=_("Earlier grants"),
        required=False,
        help_text=_("Grants for this activity in the last three years: funder, year and amount."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
    attachments = MultipleFileField(label=_("Attachments"), required=False)
    privacy_notice = forms.BooleanField(
        label=_("I have read the privacy notice: how the funder processes the personal data of the application."),
        required=False,
    )

    def __init__(
        self, *args: Any, priorities: list[Priority], municipalities: list[Area], max_mb: int, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        priority_field = self.fields["priorities"]
        assert isinstance(priority_field, forms.ModelMultipleChoiceField)
        priority_field.queryset = Priority.objects.filter(
            pk__in=[p.pk for p in priorities], status=PriorityStatus.ACCEPTED
        )
        municipality_field = self.fields["municipalities"]
        assert isinstance(municipality_field, forms.ModelMultipleChoiceField)
        municipality_field.queryset = Area.objects.filter(pk__in=[m.pk for m in municipalities]).order_by("name_fi")
        self.fields["attachments"].help_text = _(
            "For example the action plan, budget or annual report: PDF, Word, Excel, OpenDocument, PNG, JPEG, text "
            "or CSV; at most 5 files of %(limit)s MB each."
        ) % {"limit": max_mb}


class PriorityForm(forms.Form):
    status = forms.ChoiceField(label=_("Decision"), choices=PriorityStatus.choices, widget=forms.RadioSelect)
    weight = forms.IntegerField(label=_("Weight (1–5)"), min_value=1, max_value=MAX_WEIGHT)
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class AddPriorityForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    weight = forms.IntegerField(label=_("Weight (1–5)"), min_value=1, max_value=MAX_WEIGHT, initial=1)


class PublishForm(forms.Form):
    reasoning = forms.CharField(
        label=_("Reasoning published with the priorities"), widget=forms.Textarea(attrs={"rows": 5})
    )


class ReviewerForm(forms.Form):
    reviewer = forms.ModelChoiceField(label=_("Reviewer"), queryset=get_user_model().objects.none())
    remove = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["reviewer"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = candidates


class ScoreForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, criteria: list[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        scored = {}
        for criterion in criteria:
            scored[f"criterion_{criterion.pk}"] = forms.TypedChoiceField(
                label=criterion.title,
                help_text=criterion.description,
                choices=[(str(i), str(i)) for i in range(SCORE_MAX + 1)],
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "inline-choices"}),
            )
        self.fields = {**scored, **self.fields}

    def scores(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"criterion_{c.pk}"] for c in self.criteria}


class DecisionForm(forms.Form):
    def __init__(
        self, *args: Any, applications: list[Application], proposal: dict[int, Decimal], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.applications = applications
        for a in applications:
            amount = a.granted_amount if a.granted_amount is not None else proposal.get(a.pk, Decimal(0))
            self.fields[f"amount_{a.pk}"] = EurosField(
                label=_("Grant to %(association)s (€)") % {"association": a.association},
                initial=f"{amount:.2f}".replace(".", ","),
            )

    def amounts(self) -> dict[int, Decimal]:
        return {a.pk: self.cleaned_data[f"amount_{a.pk}"] for a in self.applications}
