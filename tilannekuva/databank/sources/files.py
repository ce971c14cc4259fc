"""Local CSV and XLSX files for data that has no API: welfare-report tables, TEAviisari results, the vitality index.

`tilannekuva import file PATH` reads a file in the long format (one value per row: indicator, area, year, value)
or the wide format (one row per area, one column per year, as people export from Excel), validates every row
before anything is written, and stores the values as observations of indicators of the source "file", or of an
existing source named with --source-key. The formats, with examples, are in docs/FILE-IMPORT.md.

The file is read by the one table reader (`core.tables.read_table`); `file_rows.rows_from` checks its rows, and
raises ImportDataError naming the row and column of every fault.
"""

import argparse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

from tilannekuva.core.tables import Table, TableError, read_table
from tilannekuva.databank import services
from tilannekuva.databank.models import Direction, Indicator, Source
from tilannekuva.databank.services import ImportDataError, ObservationRow

from .base import Context, ImportSource, Parsed
from .file_areas import AreaIndex
from .file_rows import COLUMNS, LONG, WIDE, FileRows, indicator_id_of, rows_from

SOURCE_KEY = "file"


@dataclass(frozen=True)
class FileOptions:
    """`tilannekuva import file PATH ...`, parsed."""

    path: Path
    format: str | None = None
    sheet: str | None = None
    source_key: str = SOURCE_KEY
    source_name: str | None = None
    indicator: str | None = None
    indicator_title: str | None = None
    unit: str | None = None
    direction: str | None = None
    vintage: str | None = None
    map: dict[str, str] = field(default_factory=dict)


# --- indicators --------------------------------------------------------------------------------------------


def target_source(key: str) -> Source:
    """The source whose indicators the file fills: "file", or an existing source such as "sotkanet"."""
    found = Source.objects.filter(key=key).first()
    if found:
        return found
    if key in services.KNOWN_SOURCES:
        return services.source(key)
    known = sorted(set(Source.objects.values_list("key", flat=True)) | set(services.KNOWN_SOURCES))
    raise ImportDataError(f"--source-key {key}: there is no such source (there are: {', '.join(known)})")


def upsert_indicators(
    *, source: Source, ids: list[str], options: FileOptions
) -> tuple[dict[str, Indicator], list[str]]:
    """The indicators of `ids` at `source`, created where missing. Indicators of the file source take the
    command line's title, unit, direction, vintage and producer; another source's indicators are never changed,
    since their metadata comes from that source's own import. Returns the indicators and notes for the user."""
    if options.indicator_title and len(ids) > 1:
        raise ImportDataError(f"--indicator-title names one indicator, but the file holds {len(ids)}: {', '.join(ids)}")
    existing = {i.external_id: i for i in Indicator.objects.filter(source=source, external_id__in=ids)}
    own = source.key == SOURCE_KEY
    missing = [i for i in ids if i not in existing]
    if missing and not own and not options.indicator_title:
        raise ImportDataError(
            f"{source.name} has no indicator '{missing[0]}' in Tilannekuva: import it from {source.name} first, "
            f"or give --indicator-title to create it here"
        )
    wanted = {
        "title_fi": options.indicator_title,
        "unit": options.unit,
        "direction": options.direction,
        "vintage": options.vintage,
        "organisation": options.source_name,
    }
    given = {name: value for name, value in wanted.items() if value is not None}
    notes = []
    for external_id in missing:
        existing[external_id] = Indicator.objects.create(
            source=source, external_id=external_id, **{"title_fi": external_id, **given}
        )
    for external_id, indicator in existing.items():
        if external_id in missing:
            continue
        changed = [name for name, value in given.items() if getattr(indicator, name) != value]
        if changed and own:
            for name in changed:
                setattr(indicator, name, given[name])
            indicator.save(update_fields=changed)
        elif changed:
            notes.append(
                f"{source.name} {external_id} already exists: its title, unit, direction, vintage and producer are "
                f"kept as {source.name} gives them"
            )
    return existing, notes


def describe(path: Path, table: Table, parsed: FileRows, *, source: Source, indicators: dict[str, Indicator]) -> str:
    years = sorted({r.year for r in parsed.rows})
    named = ", ".join(
        f"{i.external_id} ({i.title_fi})" for i in sorted(indicators.values(), key=lambda i: i.external_id)
    )
    lines = [
        f"{path.name}: {table.kind}, {parsed.layout} format, {len(parsed.rows)} values for "
        f"{len({r.area.pk for r in parsed.rows})} areas, {years[0]}–{years[-1]} → {source.name}: {named}."
    ]
    if parsed.without_value:
        lines.append(f"Cells without a value (empty, '..' or '.'), skipped: {parsed.without_value}.")
    if parsed.ignored_columns:
        lines.append("Columns not read: " + ", ".join(f"'{c}'" for c in parsed.ignored_columns) + ".")
    return "\n".join(lines)


# --- the command -------------------------------------------------------------------------------------------


def column_map(text: str) -> tuple[str, str]:
    column, equals, header = text.partition("=")
    column, header = column.strip().casefold(), header.strip()
    if not equals or not header:
        raise argparse.ArgumentTypeError(f"'{text}' is not COLUMN=HEADER, e.g. value=primary.value")
    if column not in COLUMNS:
        raise argparse.ArgumentTypeError(f"'{column}' is not a column of the formats ({', '.join(COLUMNS)})")
    return column, header


def indicator_id(text: str) -> str:
    try:
        return indicator_id_of(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"--indicator: {exc}")


class FileSource(ImportSource[FileOptions]):
    name = "file"
    help = "A local CSV or XLSX file in the long or the wide format (docs/FILE-IMPORT.md)."
    source_key = SOURCE_KEY
    options_type = FileOptions

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("path", type=Path, help="the CSV or XLSX file")
        parser.add_argument("--format", choices=[LONG, WIDE], help="long or wide (default: told from the header)")
        parser.add_argument("--sheet", help="the worksheet of an XLSX workbook (default: the first)")
        parser.add_argument(
            "--source-key",
            default=SOURCE_KEY,
            help=f"the source whose indicators the file fills (default: {SOURCE_KEY}), e.g. sotkanet",
        )
        parser.add_argument(
            "--source-name", help="who produced the data, e.g. TEAviisari (THL): the indicators' producer"
        )
        parser.add_argument(
            "--indicator", type=indicator_id, help="the indicator id for every row (no indicator column)"
        )
        parser.add_argument("--indicator-title", help="the indicator's title in Finnish")
        parser.add_argument("--unit", help="the indicator's unit, e.g. '%%' or 'pistettä'")
        parser.add_argument("--direction", choices=Direction.values, help="whether a higher value is better")
        parser.add_argument(
            "--vintage", help="where and when the data was taken, e.g. 'TEAviisari 2024, exported 5/2025'"
        )
        parser.add_argument(
            "--map",
            dest="map",
            action="append",
            type=column_map,
            default=[],
            metavar="COLUMN=HEADER",
            help="read a column from a header of another name, e.g. --map value=primary.value (repeatable)",
        )

    def options(self, values: Any) -> FileOptions:
        return super().options({**values, "path": Path(values["path"]), "map": dict(values.get("map") or [])})

    def parameters(self, options: FileOptions) -> dict[str, Any]:
        return {
            "path": str(options.path),
            "format": options.format,
            "sheet": options.sheet,
            "source_key": options.source_key,
            "source_name": options.source_name,
            "indicator": options.indicator,
            "indicator_title": options.indicator_title,
            "unit": options.unit,
            "direction": options.direction,
            "vintage": options.vintage,
            "map": options.map,
        }

    def address(self, options: FileOptions, client: Any) -> str:
        return options.path.resolve().as_uri()

    def fetch(self, context: Context[FileOptions]) -> bytes:
        path = context.options.path
        try:
            size = path.stat().st_size
            if size > settings.IMPORT_MAX_FILE_MB * 1024 * 1024:
                raise ImportDataError(
                    f"{path}: the file is {size / (1024 * 1024):.0f} MB; the limit is {settings.IMPORT_MAX_FILE_MB} MB "
                    "(IMPORT_MAX_FILE_MB)"
                )
            content = path.read_bytes()
        except OSError as exc:
            raise ImportDataError(f"{path}: the file cannot be read ({exc.strerror or exc})")
        context.keep(content)
        return content

    def parse(self, fetched: bytes, context: Context[FileOptions]) -> Parsed:
        options = context.options
        try:
            table = read_table(fetched, sheet=options.sheet)
        except TableError as exc:
            raise ImportDataError(exc.errors)
        checked = rows_from(
            table,
            areas=AreaIndex.from_database(),
            layout=options.format,
            indicator=options.indicator,
            mapping=options.map,
        )
        source = target_source(options.source_key)
        indicators, notes = upsert_indicators(source=source, ids=checked.indicators, options=options)
        by_id = {i.pk: i for i in indicators.values()}
        areas = {r.area.pk: r.area for r in checked.rows}
        rows = [
            ObservationRow(
                indicator_id=indicators[r.indicator].pk,
                area_id=r.area.pk,
                year=r.year,
                gender=r.gender,
                classification=r.classification,
                value=r.value,
                absolute_value=r.absolute_value,
            )
            for r in checked.rows
        ]

        def where(row: ObservationRow) -> str:
            return f"{by_id[row.indicator_id].external_id}, {areas[row.area_id].describe()}, {row.year}"

        context.say(describe(options.path, table, checked, source=source, indicators=indicators))
        for note in notes:
            context.say(note)
        return Parsed(rows=rows, describe=where, spans=list(indicators.values()))


SOURCE = FileSource()
