"""Sign-in pages: read the request, call a service, render. The rules live in services.py."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tilannekuva.accounts import services
from tilannekuva.accounts.forms import CodeForm, PasswordSignInForm


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    next_url = services.safe_next_url(request, request.POST.get("next") or request.GET.get("next"))
    form = PasswordSignInForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        return HttpResponseRedirect(
            services.begin_sign_in(request, user=user, backend=user.backend, next_url=next_url)  # type: ignore[attr-defined]
        )
    context = {"form": form, "next": next_url, "oidc_enabled": services.oidc_enabled()}
    return render(request, "accounts/login.html", context)


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def login_code(request: HttpRequest) -> HttpResponse:
    pending = services.pending_sign_in(request)
    if pending is None or pending.stage != "code":
        return redirect("accounts:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            return HttpResponseRedirect(
                services.finish_with_code(request, pending=pending, code=form.cleaned_data["code"])
            )
        except services.TwoFactorError as exc:
            form.add_error("code", str(exc))
    return render(request, "accounts/login_code.html", {"form": form})


@require_POST
@csrf_protect
def logout(request: HttpRequest) -> HttpResponse:
    services.sign_out(request)
    return redirect("portal:home")


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """Enrol, confirm or remove the authenticator: for a signed-in user, or one held here at sign-in."""
    pending = services.pending_sign_in(request)
    enrolling_at_sign_in = pending is not None and pending.stage == "enrol"
    if enrolling_at_sign_in:
        user = pending.user  # type: ignore[union-attr]
    elif request.user.is_authenticated:
        user = request.user
    else:
        return redirect_to_login(request.get_full_path())
    form = CodeForm(request.POST or None)
    device = services.confirmed_device(user)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        try:
            if device is None:
                services.confirm_enrolment(user=user, code=code)
                if enrolling_at_sign_in:
                    services.complete_sign_in(request, user=user, backend=pending.backend, two_factor=True)  # type: ignore[union-attr]
                    messages.success(request, _("Two-step verification is now on."))
                    return HttpResponseRedirect(pending.next_url)  # type: ignore[union-attr]
                request.session[services.TWO_FACTOR_KEY] = True
                messages.success(request, _("Two-step verification is now on."))
            else:
                services.remove_device(user=user, code=code)
                messages.success(request, _("Two-step verification has been removed."))
            return redirect("accounts:two_factor")
        except services.TwoFactorError as exc:
            form.add_error("code", str(exc))
    context: dict = {"form": form, "device": device, "enrolling_at_sign_in": enrolling_at_sign_in}
    if device is None:
        enrolment = services.enrolment_device(user)
        uri = services.provisioning_uri(enrolment)
        context |= {"secret": services.grouped_secret(enrolment.secret), "uri": uri, "qr": services.qr_svg(uri)}
    return render(request, "accounts/two_factor.html", context)


@require_POST
@csrf_protect
def oidc_start(request: HttpRequest) -> HttpResponse:
    next_url = services.safe_next_url(request, request.POST.get("next"))
    try:
        return HttpResponseRedirect(services.begin_oidc(request, next_url=next_url))
    except services.SignInError as exc:
        messages.error(request, str(exc))
        return redirect("accounts:login")


@require_GET
@never_cache
def oidc_callback(request: HttpRequest) -> HttpResponse:
    try:
        return HttpResponseRedirect(services.complete_oidc(request, params=request.GET.dict()))
    except services.SignInError as exc:
        messages.error(request, str(exc))
        return redirect("accounts:login")
