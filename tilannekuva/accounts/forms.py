"""Sign-in forms: the password form with one generic error, and the six-digit code."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tilannekuva.accounts import throttle


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

    def clean(self):
        """Count the attempt of a (user name, address) pair before its password is checked; refuse a locked pair."""
        username = self.cleaned_data.get("username") or ""
        address = throttle.client_address(self.request) if self.request is not None else ""
        # Counted before the password is checked, atomically: parallel attempts cannot all pass the check.
        wait = (
            throttle.claim_attempt(username=username, address=address)
            if username and self.cleaned_data.get("password")
            else 0
        )
        if wait:
            minutes = max(1, round(wait / 60))
            raise ValidationError(
                ngettext(
                    "Too many wrong passwords. Try again in %(minutes)d minute.",
                    "Too many wrong passwords. Try again in %(minutes)d minutes.",
                    minutes,
                )
                % {"minutes": minutes},
                code="locked",
            )
        cleaned = super().clean()
        throttle.record_success(username=username, address=address)
        return cleaned


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Six-digit code"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9 ]*", "size": 8}
        ),
    )
