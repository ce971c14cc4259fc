"""The one reading of the year a request asks for (`?year=`, or a year in the address): one bound, one message.

A year is four digits from FIRST_YEAR to LAST_YEAR. FIRST_YEAR is the first year of any statistics Tilannekuva
holds (Sotkanet's municipal series begin in 1990; nothing older is imported), LAST_YEAR lies beyond any
strategy period; anything outside is a typo or a probe. Pages answer a bad year with 404 and a message that
names the parameter and the bound (never a 500); the open data API answers 400 with the same message.
"""

from typing import overload

from django.http import Http404, HttpRequest

FIRST_YEAR = 1990
LAST_YEAR = 2100


class BadYear(ValueError):
    """Text that is not a year from FIRST_YEAR to LAST_YEAR; the message says what was given and what is wanted."""


def parse_year(text: str, *, name: str = "year") -> int:
    """`text` as a year, or BadYear naming the parameter (`name`), the text and the bound."""
    text = text.strip()
    # Four ASCII digits first: str.isdigit() also accepts "²", which int() refuses, and int() refuses more than
    # 4300 digits.
    if not (len(text) == 4 and text.isascii() and text.isdigit()) or not FIRST_YEAR <= int(text) <= LAST_YEAR:
        raise BadYear(f"{name}: '{text[:20]}' is not a year from {FIRST_YEAR} to {LAST_YEAR}, e.g. 2024")
    return int(text)


@overload
def requested_year(request: HttpRequest, *, default: int, parameter: str = "year") -> int: ...


@overload
def requested_year(request: HttpRequest, *, default: int | None = None, parameter: str = "year") -> int | None: ...


def requested_year(request: HttpRequest, *, default: int | None = None, parameter: str = "year") -> int | None:
    """The request's `?year=` (or another `parameter` that holds a year): `default` when it is absent or empty,
    404 with the reason when it is not a year."""
    text = request.GET.get(parameter, "")
    if not text.strip():
        return default
    try:
        return parse_year(text, name=parameter)
    except BadYear as exc:
        raise Http404(str(exc)) from exc


def year_in_address(year: int) -> int:
    """A year captured from the address (`<int:year>`): 404 with the reason outside the bound."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404(f"year: {year} is not a year from {FIRST_YEAR} to {LAST_YEAR}, e.g. 2024")
    return year
