"""Language helpers for every app: the current interface language, and a model field in that language."""

from django.conf import settings
from django.utils.translation import get_language


def current_language() -> str:
    """The two-letter code of the language the interface is in now (fi, sv or en), Finnish outside a request."""
    return (get_language() or settings.LANGUAGE_CODE)[:2]


def supported_language(code: str | None) -> str:
    """`code` if the site offers that language, else the default (Finnish): for a cookie or a parameter."""
    return code if code in {known for known, _name in settings.LANGUAGES} else settings.LANGUAGE_CODE


def translated(obj: object, field: str) -> str:
    """`field_fi`, `field_sv` or `field_en` in the current language, falling back to Finnish where it is empty."""
    return getattr(obj, f"{field}_{current_language()}", "") or getattr(obj, f"{field}_{settings.LANGUAGE_CODE}", "")
