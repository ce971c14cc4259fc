"""Forms of the data bank pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tilannekuva.strategy.models import Metric

from .regional import Aggregation


class BindForm(forms.Form):
    metric = forms.ModelChoiceField(queryset=Metric.objects.none(), label=_("Metric"))
    aggregation = forms.ChoiceField(
        choices=Aggregation.CHOICES,
        initial=Aggregation.REGION_VALUE,
        label=_("Region figure"),
        help_text=_("Used where the source has no figure of its own for the region."),
    )

    def __init__(self, *args: object, metrics: list[Metric], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["metric"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Metric.objects.filter(pk__in=[m.pk for m in metrics]).order_by("position")
        field.label_from_instance = lambda m: f"{m.goal.title[:60]} – {m.title[:90]}"  # type: ignore[method-assign,assignment]
