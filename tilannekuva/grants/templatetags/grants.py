"""Template filters of the grant pages: euros in the page language's number format."""

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def euros(amount: Any) -> str:
    """12 500 € or 12 500,50 € in Finnish; whole euros without decimals."""
    if amount is None or amount == "":
        return "–"
    value = Decimal(str(amount))
    places = 0 if value == value.to_integral_value() else 2
    return f"{number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)}\u00a0€"


@register.filter
def decimal1(value: Any) -> str:
    """A score with one decimal in the page language's format."""
    if value is None:
        return "–"
    # number_format cuts off the further digits (3.67 → "3,6"); round half up first.
    rounded = Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return number_format(rounded, decimal_pos=1, use_l10n=True)
