"""The recurring obligations of the HYTE year (data/calendar/obligations.yaml), read once into typed objects."""

import datetime
import functools
from dataclasses import dataclass
from typing import Any

import yaml
from django.conf import settings

from .models import EventKind

FREQUENCIES = {"yearly", "council_term", "recurring"}


class ObligationFileError(Exception):
    """The obligations file is malformed; the message names the entry and the field."""


@dataclass(frozen=True)
class Obligation:
    key: str
    kind: str
    title: str
    frequency: str
    source: str
    month: int | None = None
    day: int | None = None
    date_rule: str = ""

    @property
    def has_date(self) -> bool:
        return self.month is not None and self.day is not None

    def date_in(self, year: int) -> datetime.date | None:
        if self.month is None or self.day is None:
            return None
        return datetime.date(year, self.month, self.day)


def parse(data: object) -> list[Obligation]:
    if not isinstance(data, dict) or data.get("format") != 1 or not isinstance(data.get("obligations"), list):
        raise ObligationFileError("the file needs 'format: 1' and a list 'obligations'")
    found = []
    for number, item in enumerate(data["obligations"], start=1):
        where = f"obligation {number}"
        if not isinstance(item, dict):
            raise ObligationFileError(f"{where}: not a mapping")
        for name in ("key", "kind", "title", "frequency", "source"):
            if not isinstance(item.get(name), str) or not item[name].strip():
                raise ObligationFileError(f"{where}, field '{name}': missing")
        if item["kind"] not in EventKind.values:
            raise ObligationFileError(f"{where}, field 'kind': unknown kind '{item['kind']}'")
        if item["frequency"] not in FREQUENCIES:
            raise ObligationFileError(f"{where}, field 'frequency': one of {', '.join(sorted(FREQUENCIES))}")
        date = item.get("date") or {}
        month: Any = date.get("month")
        day: Any = date.get("day")
        if date:
            try:
                datetime.date(2001, int(month), int(day))
            except (TypeError, ValueError) as exc:
                raise ObligationFileError(f"{where}, field 'date': not a day of the year") from exc
        found.append(
            Obligation(
                key=item["key"],
                kind=item["kind"],
                title=item["title"],
                frequency=item["frequency"],
                source=" ".join(item["source"].split()),
                month=int(month) if date else None,
                day=int(day) if date else None,
                date_rule=item.get("date_rule", ""),
            )
        )
    return found


@functools.cache
def obligations() -> tuple[Obligation, ...]:
    path = settings.DATA_DIR / "calendar" / "obligations.yaml"
    return tuple(parse(yaml.safe_load(path.read_text(encoding="utf-8"))))


def obligation(key: str) -> Obligation | None:
    return next((o for o in obligations() if o.key == key), None)
