"""Sign-in routes: password, code, two-step verification settings, single sign-on, sign-out."""

from django.urls import path

from tilannekuva.accounts import views

app_name = "accounts"
urlpatterns = [
    path("accounts/login/", views.login, name="login"),
    path("accounts/login/code/", views.login_code, name="login_code"),
    path("accounts/logout/", views.logout, name="logout"),
    path("accounts/two-factor/", views.two_factor, name="two_factor"),
    path("accounts/oidc/start/", views.oidc_start, name="oidc_start"),
    path("accounts/oidc/callback/", views.oidc_callback, name="oidc_callback"),
]
