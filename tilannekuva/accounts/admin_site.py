"""The Django admin signs in through our pages, so that its own login form cannot skip the TOTP step."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode

from tilannekuva.accounts import services


def admin_login(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
    next_url = services.safe_next_url(request, request.GET.get("next") or reverse("admin:index"))
    return HttpResponseRedirect(f"{reverse('accounts:login')}?{urlencode({'next': next_url})}")


def use_our_sign_in() -> None:
    site = admin.site
    original_has_permission = site.has_permission

    def has_permission(request: HttpRequest) -> bool:
        # A session that owes a code (one made before the device, or by another way in) is sent to sign in.
        return original_has_permission(request) and services.session_meets_two_factor_rules(request)

    # Instance attributes: AdminSite.get_urls() routes self.login, and admin_view checks self.has_permission.
    site.login = admin_login  # type: ignore[method-assign]
    site.has_permission = has_permission  # type: ignore[method-assign]
