"""The simulator's form: the year, the level, the unit, and each indicator's value for that unit: a process item
0 or 100 (VNA 1393/2022 liite 1), an outcome indicator's latest value within the indicator's possible range.
The fields start from the chosen unit's own figures (its baselines); a value the indicator cannot have is
refused with the reason, next to the field."""

from typing import Any

from django import forms
from django.utils.translation import gettext, gettext_lazy

from tilannekuva.regions.models import Area

from .calculator import PREVIOUS
from .files import parse_number
from .models import Level
from .parameters import PROCESS_POINTS, HyteParameters, Indicator

PREFIX = "v-"
MAX_LENGTH = 20


def number_text(value: float | None) -> str:
    return "" if value is None else f"{value:g}".replace(".", ",")


class ValueField(forms.Field):
    """An indicator's value written the Finnish way (1,5) or the English way (1.5); empty keeps the baseline."""

    def __init__(self, *, indicator: Indicator, **kwargs: Any):
        self.indicator = indicator
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> float | None:
        text = str(value or "").strip()
        if len(text) > MAX_LENGTH:
            raise forms.ValidationError(gettext("At most %(count)s characters.") % {"count": MAX_LENGTH})
        try:
            number = parse_number(text)
        except ValueError as exc:
            raise forms.ValidationError(gettext("'%(value)s' is not a number, e.g. 12,5") % {"value": text}) from exc
        if number is None:
            return None
        indicator = self.indicator
        if indicator.binary and number not in PROCESS_POINTS:
            raise forms.ValidationError(
                gettext("A process indicator gives 0 or 100 points (VNA 1393/2022 liite 1), not %(value)s.")
                % {"value": number_text(number)}
            )
        if not indicator.low <= number <= indicator.high:
            raise forms.ValidationError(
                gettext("%(value)s is outside the indicator's possible range %(low)s–%(high)s.")
                % {"value": number_text(number), "low": number_text(indicator.low), "high": number_text(indicator.high)}
            )
        return number


class SimulatorForm(forms.Form):
    level = forms.ChoiceField(label=gettext_lazy("Level"), choices=Level.choices, required=False)
    area = forms.ChoiceField(label=gettext_lazy("Municipality or county"))

    def __init__(
        self, data: Any, *, parameters: HyteParameters, areas: list[Area], current: dict[str, float | None]
    ) -> None:
        super().__init__(data)
        self.parameters = parameters
        self.current = current
        area_field = self.fields["area"]
        assert isinstance(area_field, forms.ChoiceField)
        area_field.choices = [(a.code, a.name) for a in areas]
        for indicator in parameters.indicators:
            value = current.get(indicator.id)
            if indicator.part == "outcome":
                help_text = gettext("Latest %(latest)s, the year before %(previous)s; possible %(low)s–%(high)s") % {
                    "latest": number_text(value) or "–",
                    "previous": number_text(current.get(indicator.id + PREVIOUS)) or "–",
                    "low": number_text(indicator.low),
                    "high": number_text(indicator.high),
                }
            else:
                help_text = gettext("Now %(value)s") % {"value": number_text(value) or gettext("no answer")}
            self.fields[PREFIX + indicator.id] = ValueField(
                indicator=indicator, label=indicator.name, required=False, help_text=help_text
            )

    def indicator_fields(self) -> list[tuple[Indicator, forms.BoundField]]:
        return [(i, self[PREFIX + i.id]) for i in self.parameters.indicators]

    def changes(self) -> dict[str, float]:
        """The indicators whose value differs from the unit's own: id -> the new value."""
        found = {}
        for indicator in self.parameters.indicators:
            value = self.cleaned_data.get(PREFIX + indicator.id)
            if value is not None and value != self.current.get(indicator.id):
                found[indicator.id] = value
        return found


def baselines(current: dict[str, float | None], parameters: HyteParameters) -> dict[str, str]:
    """The form's fields filled with the unit's own values."""
    return {PREFIX + i.id: number_text(current.get(i.id)) for i in parameters.indicators}
