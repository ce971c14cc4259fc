"""The accounts app: our own sign-in, which the Django admin uses too."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "tilannekuva.accounts"
    verbose_name = _("Accounts and sign-in")

    def ready(self) -> None:
        from tilannekuva.accounts.admin_site import use_our_sign_in

        use_our_sign_in()
