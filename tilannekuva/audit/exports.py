"""The CSV export of a region's audit trail: one row per changed field, ';'-separated UTF-8 with a BOM, in the
machine or the Finnish spreadsheet dialect (core.csv_dialects)."""

import itertools
from collections.abc import Iterable, Iterator
from typing import Any

from django.utils import timezone

from tilannekuva.core import csv_dialects

from .models import AuditEntry, plain_text

# Stable names for scripts and spreadsheets, not translated.
COLUMNS = ("at", "actor", "action", "object_type", "object_id", "object", "field", "before", "after", "note")


def cell(value: Any) -> str:
    """A value as plain text; `core.tables` makes every cell it writes inert (never run as a formula)."""
    return plain_text(value)


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


def csv_lines(entries: Iterable[AuditEntry], dialect: str = csv_dialects.MACHINE) -> Iterator[str]:
    """The lines one at a time, so that the response streams a long trail; `machine` or `fi` (the Finnish
    spreadsheet dialect). The trail has no number or code columns (object ids are database keys, values are
    shown as text), so both dialects write the same cells; the rule is the same as for every download."""
    return csv_dialects.dialect_lines(itertools.chain([COLUMNS], rows(entries)), dialect)
