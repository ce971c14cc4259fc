from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ProjectStatus


class ProgressForm(forms.Form):
    written_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    text = forms.CharField(label=_("What has happened"), widget=forms.Textarea(attrs={"rows": 4}))
    spent = forms.DecimalField(label=_("Spent so far (€)"), required=False, min_value=0, decimal_places=2)
    status_after = forms.ChoiceField(label=_("Status"), choices=ProjectStatus.choices)
