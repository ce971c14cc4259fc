"""Numbers as the interface language writes them: `{{ value|num:1 }}` → "12 345,6" in Finnish, and signed changes."""

from django import template
from django.utils.formats import number_format

register = template.Library()
MINUS = "\u2212"  # a real minus sign, as Finnish typography uses


@register.filter
def num(value: float | int | None, decimals: int | str | None = None) -> str:
    """A value with at most `decimals` decimals (default 2), trailing zeros dropped, grouped by thousands."""
    if value is None or value == "":
        return "–"
    places = 2 if decimals in (None, "") else int(decimals)
    rounded = round(float(value), places)
    if rounded.is_integer():
        text = number_format(int(rounded), use_l10n=True, force_grouping=True)
    else:
        digits = f"{rounded:.{places}f}".rstrip("0").split(".")[1]
        text = number_format(rounded, decimal_pos=len(digits), use_l10n=True, force_grouping=True)
    return text.replace("-", MINUS)


@register.filter
def signed(value: float | int | None, decimals: int | str | None = None) -> str:
    """A change with its sign: "+1,5", "−2", "±0"."""
    if value is None or value == "":
        return "–"
    text = num(abs(float(value)), decimals)
    if text in ("0", "0,0"):
        return "±0"
    return ("+" if float(value) > 0 else MINUS) + text
