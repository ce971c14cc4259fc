from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The roof: the home page, the demo loader and backup/restore of the whole installation. It may import every
    app; no app imports it."""

    name = "tilannekuva.portal"
