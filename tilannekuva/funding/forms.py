"""The simulator's form: the year, the level, the unit and a change for each indicator of that year."""

from typing import Any

from django import forms
from django.utils.translation import gettext, gettext_lazy

from tilannekuva.regions.models import Area

from .files import parse_number
from .models import Level
from .parameters import HyteParameters

PREFIX = "d-"
MAX_LENGTH = 20


class ChangeField(forms.Field):
    """A change written the Finnish way (+10, −1,5) or the English way (-1.5); empty is no change."""

    def to_python(self, value: Any) -> float | None:
        text = str(value or "").strip()
        if len(text) > MAX_LENGTH:
            raise forms.ValidationError(gettext("At most %(count)s characters.") % {"count": MAX_LENGTH})
        try:
            return parse_number(text)
        except ValueError as exc:
            raise forms.ValidationError(
                gettext("'%(value)s' is not a number, e.g. +10 or -1,5") % {"value": text}
            ) from exc


class SimulatorForm(forms.Form):
    level = forms.ChoiceField(label=gettext_lazy("Level"), choices=Level.choices, required=False)
    area = forms.ChoiceField(label=gettext_lazy("Municipality or county"))

    def __init__(self, data: Any, *, parameters: HyteParameters, areas: list[Area], current: dict[str, float | None]):
        super().__init__(data)
        self.parameters = parameters
        area_field = self.fields["area"]
        assert isinstance(area_field, forms.ChoiceField)
        area_field.choices = [(a.code, a.name) for a in areas]
        for indicator in parameters.indicators:
            value = current.get(indicator.id)
            help_text = (
                gettext("Now %(value)s") % {"value": f"{value:.1f}".replace(".", ",")}
                if value is not None
                else gettext("No value")
            )
            self.fields[PREFIX + indicator.id] = ChangeField(label=indicator.name, required=False, help_text=help_text)

    def changes(self) -> dict[str, float]:
        return {
            name[len(PREFIX) :]: value
            for name, value in self.cleaned_data.items()
            if name.startswith(PREFIX) and value not in (None, 0)
        }
