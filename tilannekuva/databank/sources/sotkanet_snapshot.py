"""The bundled 2013 Sotkanet snapshot of Etelä-Savo (values up to 2012), imported as one recorded run."""

import argparse
import csv
import io
import json
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

from tilannekuva.databank.models import Gender, ImportRun, Indicator, Source
from tilannekuva.databank.services import ImportDataError, ObservationRow
from tilannekuva.regions.models import Area, AreaKind

from .base import Context, ImportSource, Output, Parsed
from .sotkanet import producer_and_licence, upsert_indicator

SOURCE_KEY = "sotkanet-snapshot"
SOURCE_DEFAULTS = {
    "name": "Sotkanet 2013 -tilannekuva (THL)",
    "url": "https://github.com/ouzor/sotkanet-shiny",
    "licence": "CC BY 4.0 (THL's own indicators; other producers' indicators by their terms)",
    "attribution": "Lähde: Sotkanet / THL, tilannekuva 8.9.2013",
}
VINTAGE = "tiedot vuoteen 2012 asti, tuotu vuoden 2013 Sotkanet-tilannekuvasta (8.9.2013)"
SNAPSHOT_DATE = "2013-09-08"
INDICATOR_LIST = "Sotkanet_valitut_indikaattorit_20130817.csv"
REGION_TABLE = "municipality_regions_2013.csv"
LONG_TABLES = (
    ("kunta_etela_savo_long.csv", AreaKind.MUNICIPALITY),
    ("seutukunta_etela_savo_long.csv", AreaKind.SEUTUKUNTA),
    ("maakunta_etela_savo_long.csv", AreaKind.MAAKUNTA),
)
LONG_HEADER = ["Muuttuja", "Alue", "Vuosi", "Arvo", "Maakunta"]
LIST_HEADER = ["indicator", "indicator.title.fi", "indicator.category"]
GROUPED_TITLE = re.compile(r"\[([^\]]+)\] (.+)")
NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")
WORD = re.compile(r"\w+")


def default_dir() -> Path:
    return settings.DATA_DIR / "sotkanet" / "snapshot-2013"


def default_catalogue() -> Path:
    return settings.DATA_DIR / "sotkanet" / "indicators-2015.json"


@dataclass(frozen=True)
class ListedIndicator:
    """A row of the indicator list: its id, its group, and the words of its title cells."""

    id: int
    group: str
    words: tuple[str, ...]
    where: str


@dataclass(frozen=True)
class SnapshotRow:
    """A row of a long table: `[GROUP] title`, the area's name, the year and the value."""

    group: str
    title: str
    area_name: str
    kind: str
    year: int
    value: float
    where: str


def words(text: str) -> tuple[str, ...]:
    return tuple(WORD.findall(text.casefold()))


def _records(text: str, *, name: str) -> list[list[str]]:
    try:
        return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    except csv.Error as exc:
        raise ImportDataError(f"{name}: cannot be read as CSV ({exc})")


def read_indicator_list(text: str, *, name: str = INDICATOR_LIST) -> list[ListedIndicator]:
    """The snapshot's indicator list. Blank rows separate the groups, and a row with no id heads each group.

    The tool that wrote the list broke titles that contained ';' (the cells after the group hold the rest, with
    stray quotes and the producer's id and name), and a few rows carry a sub-group such as ALKUTUOTANTO after the
    group. So a row is kept as the words of its title cell and of every cell after the group.
    """
    records = _records(text, name=name)
    if not records or [cell.strip() for cell in records[0][:3]] != LIST_HEADER:
        raise ImportDataError(f"{name} row 1: expected the header {','.join(LIST_HEADER)}")
    listed, errors, seen = [], [], set()
    for number, cells in enumerate(records[1:], start=2):
        where = f"{name} row {number}"
        if not any(cell.strip() for cell in cells) or not cells[0].strip():
            continue
        if not cells[0].strip().isdigit():
            errors.append(f"{where}, column 'indicator': {cells[0]!r} is not an indicator id")
            continue
        if len(cells) < 3 or not cells[2].strip():
            errors.append(f"{where}, column 'indicator.category': missing")
            continue
        indicator_id = int(cells[0])
        if indicator_id in seen:
            errors.append(f"{where}, column 'indicator': {indicator_id} is listed twice")
            continue
        seen.add(indicator_id)
        listed.append(ListedIndicator(indicator_id, cells[2].strip(), words(" ".join([cells[1], *cells[3:]])), where))
    if errors:
        raise ImportDataError(errors)
    return listed


def read_catalogue(text: str, *, name: str) -> dict[int, dict[str, Any]]:
    """Sotkanet's indicator catalogue (a recorded `/indicators` answer), by id."""
    try:
        document = json.loads(text)
    except ValueError as exc:
        raise ImportDataError(f"{name}: not valid JSON ({exc})")
    if not isinstance(document, list):
        raise ImportDataError(f"{name}: not a list of indicators")
    return {
        entry["id"]: entry
        for entry in document
        if isinstance(entry, dict) and isinstance(entry.get("id"), int) and not isinstance(entry.get("id"), bool)
    }


def read_seutukunnat(text: str, *, name: str = REGION_TABLE) -> dict[str, int]:
    """Sub-region name -> Sotkanet region id, from the snapshot's region table (one row per municipality)."""
    records = _records(text, name=name)
    header = [cell.strip() for cell in records[0]] if records else []
    if "seutukunta.region" not in header or "seutukunta.title.fi" not in header:
        raise ImportDataError(f"{name} row 1: the columns seutukunta.region and seutukunta.title.fi are missing")
    id_column, name_column = header.index("seutukunta.region"), header.index("seutukunta.title.fi")
    found: dict[str, int] = {}
    errors = []
    for number, cells in enumerate(records[1:], start=2):
        if len(cells) != len(header):
            errors.append(f"{name} row {number}: {len(cells)} columns, expected {len(header)}")
            continue
        title, raw_id = cells[name_column].strip(), cells[id_column].strip()
        if not title and not raw_id:
            continue
        try:
            region_id = int(float(raw_id))
        except ValueError:
            errors.append(f"{name} row {number}, column 'seutukunta.region': {raw_id!r} is not a region id")
            continue
        if found.setdefault(title, region_id) != region_id:
            errors.append(f"{name} row {number}: '{title}' has two region ids, {found[title]} and {region_id}")
    if errors:
        raise ImportDataError(errors)
    return found


def read_long_table(text: str, *, name: str, kind: str) -> list[SnapshotRow]:
    """A long table: columns Muuttuja ("[GROUP] title"), Alue, Vuosi, Arvo, Maakunta."""
    records = _records(text, name=name)
    if not records or [cell.strip() for cell in records[0]] != LONG_HEADER:
        raise ImportDataError(f"{name} row 1: expected the header {','.join(LONG_HEADER)}")
    rows, errors = [], []
    for number, cells in enumerate(records[1:], start=2):
        where = f"{name} row {number}"
        if len(cells) != len(LONG_HEADER):
            errors.append(f"{where}: {len(cells)} columns, expected {len(LONG_HEADER)}")
            continue
        variable, area_name, year, value = (cell.strip() for cell in cells[:4])
        before = len(errors)
        grouped = GROUPED_TITLE.fullmatch(variable)
        if grouped is None:
            errors.append(f"{where}, column 'Muuttuja': {variable!r} is not '[GROUP] title'")
        if not area_name:
            errors.append(f"{where}, column 'Alue': empty")
        if not year.isdigit() or not 1800 <= int(year) <= 2200:
            errors.append(f"{where}, column 'Vuosi': {year!r} is not a year")
        if not NUMBER.fullmatch(value):
            errors.append(f"{where}, column 'Arvo': {value!r} is not a number")
        if len(errors) > before or grouped is None:
            continue
        group, title = grouped.group(1).strip(), grouped.group(2).strip()
        rows.append(SnapshotRow(group, title, area_name, kind, int(year), float(value), where))
    if errors:
        raise ImportDataError(errors)
    return rows


def match_titles(
    rows: list[SnapshotRow], listed: list[ListedIndicator], catalogue: dict[int, dict[str, Any]]
) -> dict[tuple[str, str], int]:
    """(group, title) -> indicator id. Within the group: a listed row whose words are the title's; else the one
    whose words begin with the title's (a broken title with debris after it); else a listed id whose title in
    the catalogue is the title (Sotkanet renamed a few indicators after the list was written)."""
    first_seen: dict[tuple[str, str], str] = {}
    for row in rows:
        first_seen.setdefault((row.group, row.title), row.where)
    matched, errors = {}, []
    for (group, title), where in first_seen.items():
        key = words(title)
        in_group = [item for item in listed if item.group == group]
        candidates = (
            [item.id for item in in_group if item.words == key]
            or [item.id for item in in_group if key and item.words[: len(key)] == key]
            or [
                item.id
                for item in in_group
                if words(str((catalogue.get(item.id, {}).get("title") or {}).get("fi", ""))) == key
            ]
        )
        if len(candidates) == 1:
            matched[(group, title)] = candidates[0]
        elif candidates:
            shown = ", ".join(str(c) for c in candidates)
            errors.append(f"{where}: the indicator '[{group}] {title}' matches several in {INDICATOR_LIST}: {shown}")
        else:
            errors.append(f"{where}: the indicator '[{group}] {title}' is not in {INDICATOR_LIST}")
    if errors:
        raise ImportDataError(errors)
    return matched


def match_areas(rows: list[SnapshotRow], seutukunnat: dict[str, int]) -> dict[tuple[str, str], int]:
    """(kind, name) -> Area id: municipalities and the maakunta by Finnish name, sub-regions through the
    snapshot's region table to their Sotkanet id (the area store names them 'Mikkeli', the snapshot 'Mikkelin
    seutukunta')."""
    by_name: dict[tuple[str, str], list[int]] = defaultdict(list)
    for pk, kind, name in Area.objects.filter(kind__in=[AreaKind.MUNICIPALITY, AreaKind.MAAKUNTA]).values_list(
        "pk", "kind", "name_fi"
    ):
        by_name[(kind, name)].append(pk)
    sub_regions = dict(
        Area.objects.filter(kind=AreaKind.SEUTUKUNTA, sotkanet_id__isnull=False).values_list("sotkanet_id", "pk")
    )
    first_seen: dict[tuple[str, str], str] = {}
    for row in rows:
        first_seen.setdefault((row.kind, row.area_name), row.where)
    matched, errors = {}, []
    for (kind, name), where in first_seen.items():
        if kind == AreaKind.SEUTUKUNTA:
            region_id = seutukunnat.get(name)
            if region_id is None:
                errors.append(f"{where}, column 'Alue': '{name}' is not a sub-region of {REGION_TABLE}")
            elif region_id not in sub_regions:
                errors.append(f"{where}, column 'Alue': '{name}' (Sotkanet {region_id}) is not in the area store")
            else:
                matched[(kind, name)] = sub_regions[region_id]
            continue
        found = by_name.get((kind, name), [])
        if len(found) == 1:
            matched[(kind, name)] = found[0]
        else:
            how = "is not a" if not found else "names more than one"
            errors.append(f"{where}, column 'Alue': '{name}' {how} {kind} in the area store")
    if errors:
        raise ImportDataError(errors)
    return matched


def indicator_fields(
    indicator_id: int, *, group: str, title: str, catalogue: dict[int, dict[str, Any]]
) -> dict[str, Any]:
    entry = catalogue.get(indicator_id) or {}
    titles = entry["title"] if isinstance(entry.get("title"), dict) else {}
    producer, licence = producer_and_licence(entry.get("organization")) if entry else ("", "")

    def title_in(language: str) -> str:
        text = titles.get(language)
        return text.strip()[:500] if isinstance(text, str) else ""

    return {
        "title_fi": title_in("fi") or title[:500],
        "title_sv": title_in("sv"),
        "title_en": title_in("en"),
        "organisation": producer[:300],
        "licence": licence[:200],
        "vintage": VINTAGE,
        "metadata": {"snapshot": SNAPSHOT_DATE, "group": group, "title_2013": title, "catalogue_2015": entry or None},
    }


@dataclass(frozen=True)
class SnapshotOptions:
    """`tilannekuva import sotkanet-snapshot [--dir DIR] [--catalogue FILE]`, parsed."""

    directory: Path = field(default_factory=default_dir)
    catalogue: Path = field(default_factory=default_catalogue)


class SnapshotSource(ImportSource[SnapshotOptions]):
    name = "sotkanet-snapshot"
    help = "The bundled 2013 Sotkanet snapshot of Etelä-Savo: 52 indicators up to 2012 (data/sotkanet/snapshot-2013)."
    source_key = SOURCE_KEY
    options_type = SnapshotOptions

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--dir",
            dest="directory",
            type=Path,
            default=None,
            help="the snapshot's folder (default data/sotkanet/snapshot-2013)",
        )
        parser.add_argument(
            "--catalogue",
            type=Path,
            default=None,
            help="Sotkanet's recorded indicator catalogue for titles in fi/sv/en and producers "
            "(default data/sotkanet/indicators-2015.json)",
        )

    def parameters(self, options: SnapshotOptions) -> dict[str, Any]:
        return {"dir": str(options.directory), "catalogue": str(options.catalogue)}

    def address(self, options: SnapshotOptions, client: Any) -> str:
        return options.directory.resolve().as_uri()

    def run(self, options: SnapshotOptions | Mapping[str, Any], stdout: Output) -> ImportRun:
        # The snapshot is a source of its own, named for what it is (not one of the data bank's known sources).
        Source.objects.get_or_create(key=SOURCE_KEY, defaults=SOURCE_DEFAULTS)
        return super().run(options, stdout)

    def fetch(self, context: Context[SnapshotOptions]) -> dict[str, bytes]:
        """The snapshot's files, kept on the run one after another."""
        directory = context.options.directory
        names = [INDICATOR_LIST, REGION_TABLE, *(name for name, _ in LONG_TABLES)]
        contents: dict[str, bytes] = {}
        for name in names:
            try:
                contents[name] = (directory / name).read_bytes()
            except OSError as exc:
                raise ImportDataError(f"{directory / name}: cannot be read ({exc.strerror or exc})")
        context.keep(b"".join(b"FILE " + n.encode() + b"\n" + contents[n] + b"\n" for n in names))
        return contents

    def parse(self, fetched: dict[str, bytes], context: Context[SnapshotOptions]) -> Parsed:
        directory, catalogue_path = context.options.directory, context.options.catalogue

        def text(name: str) -> str:
            try:
                return fetched[name].decode("utf-8")
            except UnicodeDecodeError as exc:
                raise ImportDataError(f"{name}: not UTF-8 text (byte {exc.start})")

        try:
            catalogue_text = catalogue_path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ImportDataError(f"{catalogue_path}: cannot be read ({exc})")
        catalogue = read_catalogue(catalogue_text, name=catalogue_path.name)
        listed = read_indicator_list(text(INDICATOR_LIST))
        seutukunnat = read_seutukunnat(text(REGION_TABLE))
        rows: list[SnapshotRow] = []
        errors: list[str] = []
        for name, kind in LONG_TABLES:
            try:
                rows.extend(read_long_table(text(name), name=name, kind=kind))
            except ImportDataError as exc:
                errors.extend(exc.errors)
        if errors:
            raise ImportDataError(errors)
        if not rows:
            raise ImportDataError(f"{directory}: the snapshot's tables have no rows")
        indicator_of = match_titles(rows, listed, catalogue)
        area_of = match_areas(rows, seutukunnat)

        indicators: dict[int, Indicator] = {}
        for (group, title), indicator_id in indicator_of.items():
            if indicator_id not in indicators:
                fields = indicator_fields(indicator_id, group=group, title=title, catalogue=catalogue)
                indicators[indicator_id] = upsert_indicator(indicator_id, fields, source_key=SOURCE_KEY)
        observations: list[ObservationRow] = []
        places: dict[tuple, list[str]] = defaultdict(list)
        for row in rows:
            indicator = indicators[indicator_of[(row.group, row.title)]]
            observation = ObservationRow(
                indicator.pk, area_of[(row.kind, row.area_name)], row.year, Gender.TOTAL.value, "", row.value, None
            )
            observations.append(observation)
            places[observation[:5]].append(row.where)

        def describe(observation: ObservationRow) -> str:
            return " and ".join(places[observation[:5]])

        years = sorted({row.year for row in rows})
        per_file = ", ".join(
            f"{name} {sum(1 for r in rows if r.where.startswith(name + ' '))}" for name, _ in LONG_TABLES
        )
        context.say(
            f"Sotkanet 2013 snapshot: {len(rows)} values of {len(indicators)} indicators for {len(area_of)} areas, "
            f"{years[0]}–{years[-1]} ({per_file})."
        )
        return Parsed(rows=observations, describe=describe, spans=list(indicators.values()))


SOURCE = SnapshotSource()
