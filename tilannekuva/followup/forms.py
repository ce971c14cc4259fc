"""Forms of the follow-up: what the fields are; the rules for their values live in services."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tilannekuva.core.uploads import max_upload_bytes
from tilannekuva.regions.models import Organisation
from tilannekuva.strategy.models import MeasureKind, Metric

from .services import NUMBER_KINDS


def parse_number(text: str) -> float | None:
    """A number as Finns write it: decimal comma, spaces between thousands."""
    cleaned = text.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace(",", ".")
    if not cleaned:
        return None
    try:
        return float(cleaned)
    except ValueError:
        raise forms.ValidationError(_("“%(text)s” is not a number."), params={"text": text}) from None


class ReportForm(forms.Form):
    value_yes = forms.TypedChoiceField(
        label=_("Answer"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        required=False,
    )
    value_number = forms.CharField(label=_("Value"), required=False, max_length=40)
    value_text = forms.CharField(label=_("Value in words"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    organisation = forms.ModelChoiceField(label=_("Reported for"), queryset=Organisation.objects.none(), required=False)
    evidence_url = forms.URLField(
        label=_("Evidence: a link"),
        required=False,
        assume_scheme="https",
        help_text=_("For example the council's minutes or a published plan."),
    )
    evidence_file = forms.FileField(label=_("Evidence: a document"), required=False)
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, metric: Metric, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.metric = metric
        if metric.kind == MeasureKind.YES_NO:
            del self.fields["value_number"]
        elif metric.kind in NUMBER_KINDS:
            del self.fields["value_yes"]
            self.fields["value_number"].label = (
                _("Value (%(unit)s)") % {"unit": metric.unit} if metric.unit else _("Value")
            )
            self.fields["value_text"].label = _("Explanation")
        else:
            del self.fields["value_yes"], self.fields["value_number"]
        if len(organisations) > 1:
            field = self.fields["organisation"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations]).order_by("name")
            field.required = True
        else:
            del self.fields["organisation"]
        limit = max_upload_bytes() // 1024 // 1024
        self.fields["evidence_file"].help_text = _(
            "PDF, Word, Excel, PowerPoint, OpenDocument, PNG, JPEG, text or CSV; at most %(limit)s MB."
        ) % {"limit": limit}

    def clean_value_number(self) -> float | None:
        return parse_number(self.cleaned_data.get("value_number") or "")

    def clean_value_yes(self) -> bool | None:
        value = self.cleaned_data.get("value_yes")
        return None if value in ("", None) else bool(value)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("return", _("Return for correction"))],
        widget=forms.RadioSelect,
    )
    review_comment = forms.CharField(
        label=_("Comment to the reporter"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class OpenPeriodForm(forms.Form):
    year = forms.IntegerField(label=_("Year followed up"), min_value=2000, max_value=2100)
    deadline = forms.DateField(
        label=_("Deadline for reporting"),
        input_formats=["%d.%m.%Y", "%Y-%m-%d"],
        help_text=_("For example 31.3.2026."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
