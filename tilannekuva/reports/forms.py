"""Forms of the reports app: freezing a snapshot; the rules for the values live in services."""

from django import forms
from django.utils.translation import gettext_lazy as _


class SnapshotForm(forms.Form):
    title = forms.CharField(label=_("Meeting"), max_length=300, help_text=_("E.g. the regional council, 12.3."))
    meeting_date = forms.DateField(label=_("Meeting date"), widget=forms.DateInput(attrs={"type": "date"}))
    year = forms.IntegerField(label=_("Follow-up year"), min_value=1990, max_value=2100)
    language = forms.ChoiceField(label=_("Language"), choices=[("fi", _("Finnish")), ("sv", _("Swedish"))])
