"""Forms of the reports app: freezing a snapshot; the rules for the values live in services."""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class SnapshotForm(forms.Form):
    title = forms.CharField(label=_("Meeting"), max_length=300, help_text=_("E.g. the regional council, 12.3."))
    meeting_date = forms.DateField(label=_("Meeting date"), widget=forms.DateInput(attrs={"type": "date"}))
    year = forms.IntegerField(label=_("Follow-up year"), min_value=1990, max_value=2100)
    language = forms.ChoiceField(label=_("Language"), choices=[("fi", _("Finnish")), ("sv", _("Swedish"))])


COUNTY_PREFIX = "county-"


class BuildForm(forms.Form):
    """A report built in the background: the year, a municipality's or the county's edition or the whole region,
    the language and the format. A county's choice is `county-CODE`, given on as `county_code`."""

    year = forms.IntegerField(label=_("Follow-up year"), min_value=1990, max_value=2100)
    municipality_code = forms.ChoiceField(label=_("Edition"), required=False)
    language = forms.ChoiceField(label=_("Language"), choices=[("fi", _("Finnish")), ("sv", _("Swedish"))])
    format = forms.ChoiceField(label=_("Format"), choices=[("pdf", "PDF"), ("html", "HTML")])

    def __init__(
        self, *args: Any, municipalities: Iterable[Any] = (), counties: Iterable[Any] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("The whole region"))] + [(f"{COUNTY_PREFIX}{c.code}", c.name) for c in counties]
        choices += [(m.code, m.name) for m in municipalities]
        self.fields["municipality_code"].choices = choices  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        code = cleaned.get("municipality_code") or ""
        if code.startswith(COUNTY_PREFIX):
            cleaned["municipality_code"], cleaned["county_code"] = "", code.removeprefix(COUNTY_PREFIX)
        return cleaned
