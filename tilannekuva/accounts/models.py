"""Second-factor devices: one TOTP authenticator per user, with its throttle against guessed codes."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TOTPDevice(models.Model):
    """A user's authenticator app. Unconfirmed until the user has typed one code from it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="totp_device", verbose_name=_("user")
    )
    # Base32, as authenticator apps take it. Kept in the clear like django-otp does: the server must compute
    # codes from it, so a hash would not do, and a key to encrypt it would sit beside it in the environment.
    secret = models.CharField(_("secret"), max_length=64)
    confirmed = models.BooleanField(_("confirmed"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    # The time step of the last accepted code: a code seen once is never accepted again (no replay).
    last_used_step = models.BigIntegerField(_("last used time step"), null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(_("wrong codes in a row"), default=0)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)

    class Meta:
        verbose_name = _("authenticator (TOTP)")
        verbose_name_plural = _("authenticators (TOTP)")

    def __str__(self) -> str:
        return f"TOTP {self.user}"


class LoginFailure(models.Model):
    """Wrong passwords in a row for one user name from one address (tilannekuva.accounts.throttle)."""

    username = models.CharField(_("user name"), max_length=150)
    address = models.CharField(_("address"), max_length=45)
    failures = models.PositiveIntegerField(_("wrong passwords in a row"), default=0)
    last_failure_at = models.DateTimeField(_("last wrong password"))
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)

    class Meta:
        verbose_name = _("failed sign-in")
        verbose_name_plural = _("failed sign-ins")
        constraints = [models.UniqueConstraint(fields=["username", "address"], name="login_failure_unique")]
        indexes = [
            models.Index(fields=["address", "last_failure_at"], name="login_failure_address"),
            models.Index(fields=["last_failure_at"], name="login_failure_time"),
        ]

    def __str__(self) -> str:
        return f"{self.username} @ {self.address}: {self.failures}"
