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
        """Refuse a locked (user name, address) pair before the password is checked; count wrong passwords."""
        username = self.cleaned_data.get("username") or ""
        address = throttle.client_address(self.request) if self.request is not None else ""
        wait = throttle.seconds_locked(username=username, address=address)
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
        try:
            cleaned = super().clean()
        except ValidationError:
            if username and self.cleaned_data.get("password"):
                throttle.record_failure(username=username, address=address)
            raise
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
