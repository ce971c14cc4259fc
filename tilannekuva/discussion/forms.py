from django import forms
from django.utils.translation import gettext_lazy as _

from tilannekuva.core.years import FIRST_YEAR, LAST_YEAR


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ModerationForm(forms.Form):
    ACTIONS = [
        ("hide", _("Hide")),
        ("show", _("Show again")),
        ("report", _("Show in the report")),
        ("unreport", _("Remove from the report")),
    ]
    action = forms.ChoiceField(choices=ACTIONS)
    note = forms.CharField(label=_("Reason"), required=False, max_length=500)
    year = forms.IntegerField(label=_("Report year"), required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR)
