"""The form of a region's own calendar entry."""

from django import forms
from django.utils.translation import pgettext_lazy

from .models import CalendarEntry


class EntryForm(forms.ModelForm):
    class Meta:
        model = CalendarEntry
        fields = ["kind", "title", "date", "recurrence", "until_year", "group_key", "public", "source", "description"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"public": pgettext_lazy("calendar entry", "Public")}


class ObligationChoiceForm(forms.Form):
    obligation_key = forms.SlugField(required=False, widget=forms.HiddenInput)
