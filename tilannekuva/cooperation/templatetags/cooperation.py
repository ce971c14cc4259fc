"""Template filters for the co-operation pages: dates of the strategy files, which may name only a month."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def partial_date(value: str) -> SafeString | str:
    """'2022-02-07' as 7.2.2022, '2022-03' as 3/2022, '2022' as is, in a <time> element for machines."""
    if not value:
        return ""
    parts = value.split("-")
    try:
        numbers = [int(p) for p in parts]
    except ValueError:
        return value
    if len(numbers) == 3:
        text = f"{numbers[2]}.{numbers[1]}.{numbers[0]}"
    elif len(numbers) == 2:
        text = f"{numbers[1]}/{numbers[0]}"
    else:
        text = str(numbers[0])
    return format_html('<time datetime="{}">{}</time>', value, text)
