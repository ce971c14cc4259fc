"""Checks of the identifiers that organisations carry: the Finnish business id (Y-tunnus)."""

import re

BUSINESS_ID = re.compile(r"^(\d{7})-(\d)$")
BUSINESS_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2)


def business_id_is_valid(text: str) -> bool:
    """The Finnish business id (Y-tunnus) 1234567-8 with its check digit: the seven digits weighted 7, 9, 10, 5, 8,
    4, 2 and summed; remainder 0 gives the check digit 0, remainder 1 is never given out, otherwise 11 - remainder."""
    match = BUSINESS_ID.match(text)
    if not match:
        return False
    remainder = sum(int(d) * w for d, w in zip(match.group(1), BUSINESS_ID_WEIGHTS, strict=True)) % 11
    return remainder != 1 and int(match.group(2)) == (0 if remainder == 0 else 11 - remainder)
