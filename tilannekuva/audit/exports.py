"""The CSV export of a region's audit trail: one row per changed field, ';'-separated UTF-8 with a BOM."""

import csv
import re
from collections.abc import Iterable, Iterator
from typing import Any

from django.utils import timezone

from .models import AuditEntry, plain_text

# Stable names for scripts and spreadsheets, not translated.
COLUMNS = ("at", "actor", "action", "object_type", "object_id", "object", "field", "before", "after", "note")
BOM = "\ufeff"
NUMBER = re.compile(r"-?\d+([.,]\d+)?(e-?\d+)?", re.IGNORECASE)


def cell(value: Any) -> str:
    """Text a spreadsheet shows as text: a leading '=', '+', '-' or '@' would make some run it as a formula."""
    text = plain_text(value)
    if text[:1] in ("=", "+", "@", "\t", "\r") or (text[:1] == "-" and not NUMBER.fullmatch(text)):
        return "'" + text
    return text


def rows(entries: Iterable[AuditEntry]) -> Iterator[list[str]]:
    """One row per changed field; an entry without field changes (e.g. a period opened) gives one row."""
    for entry in entries:
        start = [
            timezone.localtime(entry.at).isoformat(timespec="seconds"),
            cell(entry.actor_name),
            entry.action,
            f"{entry.content_type.app_label}.{entry.content_type.model}",
            cell(entry.object_id),
            cell(entry.object_repr),
        ]
        changes = entry.field_changes()
        if not changes:
            yield [*start, "", "", "", cell(entry.note)]
        for change in changes:
            yield [*start, change.name, cell(change.before), cell(change.after), cell(entry.note)]


class _Line:
    """A file-like object whose write() returns what was written: csv.writer formats, the response streams."""

    def write(self, text: str) -> str:
        return text


def csv_lines(entries: Iterable[AuditEntry]) -> Iterator[str]:
    writer = csv.writer(_Line(), delimiter=";", lineterminator="\r\n")
    yield BOM + writer.writerow(COLUMNS)
    for row in rows(entries):
        yield writer.writerow(row)
