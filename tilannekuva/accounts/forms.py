"""Sign-in forms: the password form with one generic error, and the six-digit code."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class PasswordSignInForm(AuthenticationForm):
    # One message for every failure: it must not tell whether the user name exists or the account is in use.
    error_messages = {
        "invalid_login": _("The user name or password is wrong."),
        "inactive": _("The user name or password is wrong."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("User name")
        self.fields["password"].label = _("Password")


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Six-digit code"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9 ]*", "size": 8}
        ),
    )
