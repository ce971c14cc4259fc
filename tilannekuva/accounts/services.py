"""Sign-in: the password step, the optional TOTP step, enrolment, and single sign-on, as plain functions."""

import hmac
import logging
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pyotp
import segno
from django.conf import settings
from django.contrib import auth
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.http import HttpRequest
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tilannekuva.accounts import oidc
from tilannekuva.accounts.models import TOTPDevice
from tilannekuva.regions.models import RegionRole, RoleKind

logger = logging.getLogger(__name__)

MAX_WRONG_CODES = 5
LOCK_MINUTES = 10
# A code is accepted one step (30 s) early or late: phones' clocks drift.
VALID_WINDOW = 1
# Between the password and the code (or the enrolment), the session holds only this, for this long.
PENDING_KEY = "accounts_pending"
PENDING_SECONDS = 10 * 60
# Set at sign-in when the user has passed the TOTP step; the admin checks it.
TWO_FACTOR_KEY = "accounts_two_factor"
OIDC_KEY = "accounts_oidc"
OIDC_SECONDS = 10 * 60
ISSUER_NAME = "Tilannekuva"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


class TwoFactorError(Exception):
    """A code was refused; the message is for the user."""


class SignInError(Exception):
    """Single sign-on was refused; the message is for the user."""


@dataclass(frozen=True)
class PendingSignIn:
    user: Any
    backend: str
    next_url: str
    stage: str  # "code" or "enrol"


# --- where to go --------------------------------------------------------------------------------------------


def safe_next_url(request: HttpRequest, candidate: str | None) -> str:
    """The page to return to: the candidate if it stays on this site, else the default (one's tasks, or the
    front page for a user without any: followup.views.landing). Signing in from the front page lands on the
    default too: an editor or a coordinator lands where the work is. No open redirects."""
    if candidate == resolve_url("portal:home"):
        candidate = None
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


# --- rules --------------------------------------------------------------------------------------------------


def is_administrator(user: Any) -> bool:
    return bool(
        user.is_staff or user.is_superuser or RegionRole.objects.filter(user=user, role=RoleKind.ADMIN).exists()
    )


def two_factor_required(user: Any) -> bool:
    return settings.REQUIRE_TWO_FACTOR_FOR_ADMINS and is_administrator(user)


def confirmed_device(user: Any) -> TOTPDevice | None:
    if not getattr(user, "pk", None):
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def session_meets_two_factor_rules(request: HttpRequest) -> bool:
    """False for a session that skipped a code it owes (e.g. made before the device) or lacks a required one."""
    user = request.user
    if not user.is_authenticated:
        return False
    if confirmed_device(user) is not None:
        return bool(request.session.get(TWO_FACTOR_KEY))
    return not two_factor_required(user)


# --- the sign-in steps --------------------------------------------------------------------------------------


def begin_sign_in(request: HttpRequest, *, user: Any, backend: str, next_url: str) -> str:
    """After the password (or the identity provider): sign in, or hold the user for the code or enrolment.

    Returns the address to go to next. Until the last step the user is not signed in at all, so nothing else
    on the site can be used in between."""
    request.session.pop(PENDING_KEY, None)
    if confirmed_device(user) is not None:
        stage = "code"
    elif two_factor_required(user):
        stage = "enrol"
    else:
        complete_sign_in(request, user=user, backend=backend, two_factor=False)
        return next_url
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "backend": backend,
        "next": next_url,
        "stage": stage,
        "since": int(time.time()),
    }
    return reverse("accounts:login_code" if stage == "code" else "accounts:two_factor")


def pending_sign_in(request: HttpRequest) -> PendingSignIn | None:
    data = request.session.get(PENDING_KEY)
    if not isinstance(data, dict) or time.time() - data.get("since", 0) > PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return None
    user = get_user_model().objects.filter(pk=data["user"], is_active=True).first()
    if user is None:
        return None
    return PendingSignIn(user=user, backend=data["backend"], next_url=data["next"], stage=data["stage"])


def complete_sign_in(request: HttpRequest, *, user: Any, backend: str, two_factor: bool) -> None:
    # auth.login gives the session a new key, so a key planted before sign-in is worthless afterwards.
    request.session.pop(PENDING_KEY, None)
    auth.login(request, user, backend=backend)
    request.session[TWO_FACTOR_KEY] = two_factor


def finish_with_code(request: HttpRequest, *, pending: PendingSignIn, code: str) -> str:
    device = confirmed_device(pending.user)
    if device is None:
        # The device was removed meanwhile: start again from the password.
        request.session.pop(PENDING_KEY, None)
        return reverse("accounts:login")
    verify_code(device=device, code=code)
    complete_sign_in(request, user=pending.user, backend=pending.backend, two_factor=True)
    return pending.next_url


def sign_out(request: HttpRequest) -> None:
    auth.logout(request)


# --- TOTP ---------------------------------------------------------------------------------------------------


def _totp(device: TOTPDevice) -> pyotp.TOTP:
    return pyotp.TOTP(device.secret)


def verify_code(*, device: TOTPDevice, code: str, now: float | None = None) -> None:
    """Accept the code or raise TwoFactorError. Five wrong codes lock the device for ten minutes."""
    code = "".join(code.split())
    refusal = None
    with transaction.atomic():
        # Locked row: two guesses sent at once must both be counted.
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        current = timezone.now()
        step = None
        if device.locked_until and device.locked_until > current:
            minutes = max(1, int((device.locked_until - current).total_seconds() // 60) + 1)
            refusal = locked_message(min(minutes, LOCK_MINUTES))
        else:
            step = _matching_step(device, code, time.time() if now is None else now)
        if refusal is None and step is None:
            device.failed_attempts += 1
            if device.failed_attempts >= MAX_WRONG_CODES:
                device.failed_attempts = 0
                device.locked_until = current + timedelta(minutes=LOCK_MINUTES)
                logger.warning("TOTP locked for user %s after %s wrong codes", device.user_id, MAX_WRONG_CODES)
                refusal = locked_message(LOCK_MINUTES)
            else:
                refusal = _("The code is wrong or has expired. Type the six digits your app shows now.")
            device.save(update_fields=["failed_attempts", "locked_until"])
        elif step is not None:
            device.failed_attempts = 0
            device.locked_until = None
            device.last_used_step = step
            device.save(update_fields=["failed_attempts", "locked_until", "last_used_step"])
    # Raised only after the commit: the count of wrong codes must not be rolled back with the refusal.
    if refusal is not None:
        raise TwoFactorError(refusal)


def locked_message(minutes: int) -> str:
    return ngettext(
        "Too many wrong codes. Signing in with a code is locked for %(minutes)d minute; try again after that.",
        "Too many wrong codes. Signing in with a code is locked for %(minutes)d minutes; try again after that.",
        minutes,
    ) % {"minutes": minutes}


def _matching_step(device: TOTPDevice, code: str, now: float) -> int | None:
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = _totp(device)
    current = int(now // totp.interval)
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if device.last_used_step is not None and step <= device.last_used_step:
            continue
        if hmac.compare_digest(totp.at(step * totp.interval), code):
            return step
    return None


def enrolment_device(user: Any) -> TOTPDevice:
    """The user's unconfirmed device, made with a new secret on first use; the same secret until confirmed."""
    device, _created = TOTPDevice.objects.get_or_create(user=user, defaults={"secret": pyotp.random_base32()})
    return device


def provisioning_uri(device: TOTPDevice) -> str:
    return _totp(device).provisioning_uri(name=device.user.get_username(), issuer_name=ISSUER_NAME)


def qr_svg(uri: str) -> str:
    """The otpauth URI as an inline SVG QR code, drawn here: no outside host and no script."""
    svg = segno.make(uri, error="m").svg_inline(scale=5, border=2, dark="#000", light="#fff", omitsize=False)
    label = escape(_("QR code for the authenticator app"))
    return svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)


def grouped_secret(secret: str) -> str:
    """The secret in groups of four letters, easier to type into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def confirm_enrolment(*, user: Any, code: str) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        raise TwoFactorError(_("There is no authenticator waiting for confirmation. Start the enrolment again."))
    verify_code(device=device, code=code)
    TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True, confirmed_at=timezone.now())
    device.refresh_from_db()
    return device


def remove_device(*, user: Any, code: str) -> None:
    device = confirmed_device(user)
    if device is None:
        return
    if two_factor_required(user):
        raise TwoFactorError(_("Administrators must use two-step verification, so it cannot be removed."))
    verify_code(device=device, code=code)
    device.delete()


# --- OpenID Connect -----------------------------------------------------------------------------------------


def oidc_enabled() -> bool:
    return oidc.is_configured()


def begin_oidc(request: HttpRequest, *, next_url: str) -> str:
    """Remember this sign-in's state, nonce and PKCE verifier, and give the provider's authorization URL."""
    try:
        config = oidc.provider()
    except oidc.OIDCError as exc:
        logger.error("OpenID Connect sign-in could not start: %s", exc)
        raise SignInError(_("Signing in with your organisation's account is not available right now.")) from exc
    values = oidc.new_request_secrets()
    request.session[OIDC_KEY] = {**values, "next": next_url, "since": int(time.time())}
    return oidc.authorization_url(config, redirect_uri=oidc_redirect_uri(request), **values)


def oidc_redirect_uri(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("accounts:oidc_callback"))


def complete_oidc(request: HttpRequest, *, params: dict[str, str]) -> str:
    """Check the provider's answer, find the user by e-mail, and go on as after a password."""
    saved = request.session.pop(OIDC_KEY, None)  # one use only, whatever happens below
    refused = _("Signing in with your organisation's account failed. Try again, or sign in with a password.")
    if not isinstance(saved, dict) or time.time() - saved.get("since", 0) > OIDC_SECONDS:
        raise SignInError(refused)
    if not hmac.compare_digest(params.get("state", ""), saved["state"]):
        logger.warning("OpenID Connect callback refused: state does not match")
        raise SignInError(refused)
    if params.get("error"):
        logger.warning("OpenID Connect provider refused sign-in: %s", params["error"])
        raise SignInError(refused)
    try:
        config = oidc.provider()
        id_token = oidc.exchange_code(
            config,
            code=params.get("code", ""),
            redirect_uri=oidc_redirect_uri(request),
            code_verifier=saved["code_verifier"],
        )
        claims = oidc.verify_id_token(config, id_token, nonce=saved["nonce"])
    except oidc.OIDCError as exc:
        logger.warning("OpenID Connect sign-in refused: %s", exc)
        raise SignInError(refused) from exc
    user = user_for_claims(claims)
    logger.info("OpenID Connect sign-in of user %s (%s)", user.pk, oidc.describe(claims))
    return begin_sign_in(request, user=user, backend=MODEL_BACKEND, next_url=saved["next"])


def user_for_claims(claims: dict[str, Any]) -> AbstractBaseUser:
    email = str(claims.get("email") or "").strip()
    # Only an address the provider says it has verified (`email_verified`, OIDC Core 5.1): without the claim, or
    # with it false, the provider could be vouching for anyone's address.
    verified = claims.get("email_verified")
    if not email or not (verified is True or verified == "true"):
        raise SignInError(_("Your organisation's account has no verified e-mail address, so it cannot be used here."))
    User = get_user_model()
    matches = list(User.objects.filter(email__iexact=email)[:2])
    if len(matches) > 1:
        logger.error("OpenID Connect: several users have the e-mail address %s", email)
        raise SignInError(
            _("Several accounts have the e-mail address %(email)s. Ask an administrator to fix this.")
            % {"email": email}
        )
    if matches:
        if not matches[0].is_active:
            raise SignInError(_("Your account in Tilannekuva is not in use."))
        return matches[0]
    if not settings.OIDC_CREATE_USERS:
        raise SignInError(
            _(
                "There is no account in Tilannekuva with the e-mail address %(email)s. "
                "Ask the administrator of your region to add you."
            )
            % {"email": email}
        )
    return create_user_from_claims(email=email, claims=claims)


def create_user_from_claims(*, email: str, claims: dict[str, Any]) -> AbstractBaseUser:
    """A new user without any role or password: they see what the public sees until an administrator acts."""
    User = get_user_model()
    username = email.lower()[:150]
    if User.objects.filter(username=username).exists():
        raise SignInError(
            _("The user name %(username)s is already taken. Ask an administrator to fix this.") % {"username": username}
        )
    user = User(
        username=username,
        email=email,
        first_name=str(claims.get("given_name") or "")[:150],
        last_name=str(claims.get("family_name") or "")[:150],
    )
    user.set_unusable_password()
    user.save()
    logger.info("OpenID Connect created user %s for %s", user.pk, email)
    return user
