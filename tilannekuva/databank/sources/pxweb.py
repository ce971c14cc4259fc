"""Statistics Finland's PxWeb API (StatFin): query one table, read its JSON-stat 2.0 answer, store observations.

`tilannekuva import statfin --table statfin_vaerak_pxt_11ra --area-dimension Alue --year-dimension Vuosi
--value-dimension Tiedot:vaesto --indicator-id population --indicator-title "Väestö 31.12."` asks PxWeb (API v1)
for every area and the chosen years of one value of the table, and stores the values of the areas that
Tilannekuva knows (municipalities "KU491", maakunnat "MK10", the whole country "SSS", ...) as observations of
the indicator `<table>:<value code>`. The JSON-stat 2.0 answer is read and checked in `pxweb_jsonstat.py`.
"""

import argparse
import logging
import re
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from tilannekuva.core.http import OutsideClient
from tilannekuva.databank import services
from tilannekuva.databank.models import Gender, Indicator, Observation
from tilannekuva.databank.services import ImportDataError, ObservationRow
from tilannekuva.regions.models import Area, AreaKind

from .base import Context, ImportSource, Parsed, save_indicator, year_span
from .pxweb_jsonstat import Dataset, load_json, read_dataset
from .pxweb_tables import (
    Resolved,
    check_overlap,
    find_table,
    from_roles,
    is_plain_json,
    matches,
    read_plain_json,
    read_variables,
    resolve,
    table_path,
    vintage_of,
)

logger = logging.getLogger(__name__)

SOURCE_KEY = "statfin"
DEFAULT_BASE_URL = "https://pxdata.stat.fi/PXWeb/api/v1/fi/StatFin/"
# Area codes in StatFin tables: a prefix and Statistics Finland's code. KU, MK and SSS are seen in StatFin's
# population tables; SK and HV follow the same pattern for seutukunnat and wellbeing services counties.
AREA_PREFIXES: dict[str, tuple[str, int]] = {
    "KU": (AreaKind.MUNICIPALITY.value, 3),
    "MK": (AreaKind.MAAKUNTA.value, 2),
    "SK": (AreaKind.SEUTUKUNTA.value, 3),
    "HV": (AreaKind.WELLBEING_SERVICES_COUNTY.value, 2),
}
WHOLE_COUNTRY = "SSS"
TOTAL_CODE = "SSS"  # StatFin's code of a variable's total (yhteensä)
COUNTRY_CODE = "FI"
YEAR = re.compile(r"^\d{4}$")


# --- PxWeb ------------------------------------------------------------------------------------------------


def table_name(text: str) -> str:
    try:
        table_path(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc))
    return text.strip().strip("/")


def table_id(table: str) -> str:
    return table.strip().strip("/").rsplit("/", 1)[-1].removesuffix(".px")


def query_for(
    *,
    area_dimension: str,
    year_dimension: str,
    value: tuple[str, str],
    years: list[int],
    filters: list[tuple[str, str]],
) -> dict[str, Any]:
    """Every area (the areas Tilannekuva does not know are skipped afterwards), the chosen years or all of them,
    the one value, and one category of each filtered dimension."""

    def item(code: str, values: list[str]) -> dict[str, Any]:
        return {"code": code, "selection": {"filter": "item", "values": values}}

    every_year = {"code": year_dimension, "selection": {"filter": "all", "values": ["*"]}}
    return {
        "query": [
            {"code": area_dimension, "selection": {"filter": "all", "values": ["*"]}},
            item(year_dimension, [str(y) for y in years]) if years else every_year,
            item(value[0], [value[1]]),
            *(item(dimension, [code]) for dimension, code in filters),
        ],
        "response": {"format": "json-stat2"},
    }


def area_key(code: str) -> tuple[str, str] | None:
    """A StatFin area code as Tilannekuva's (kind, code): KU491 → municipality 491, MK10 → maakunta 10,
    SSS → the whole country. None for codes of other area kinds (suuralueet, postal areas, ...)."""
    if code == WHOLE_COUNTRY:
        return AreaKind.COUNTRY.value, COUNTRY_CODE
    prefix, number = code[:2], code[2:]
    if prefix in AREA_PREFIXES and number.isdigit() and number.isascii():
        kind, width = AREA_PREFIXES[prefix]
        if len(number) <= width:
            return kind, number.zfill(width)
    return None


@dataclass
class Mapped:
    """What the mapping made of an answer: the rows to write and what it left out, for the summary."""

    rows: list[ObservationRow]
    unknown_areas: list[str]
    without_value: list[str]
    codes: dict[int, str]  # area id → the code the answer gave it

    def describe(self, row: ObservationRow) -> str:
        return f"{self.codes.get(row.area_id, row.area_id)} {row.year}"


def observations_from(
    dataset: Dataset,
    *,
    indicator: Indicator,
    area_dimension: str,
    year_dimension: str,
    value: tuple[str, str],
    classification: str = "",
    filters: tuple[tuple[str, str], ...] = (),
) -> Mapped:
    """Rows for the cells of `value` whose area Tilannekuva knows. Every other dimension must have been narrowed
    to one category, in the answer or by a filter (dimension id, code), so that each (area, year) has exactly one
    value."""
    chosen = dict(filters)
    for dimension_id, code in chosen.items():
        if code not in dataset.dimension(dimension_id).codes:
            raise ImportDataError(f"--filter: dimension '{dimension_id}' has no category '{code}' in the answer")
    value_dimension = dataset.dimension(value[0])
    if value[1] not in value_dimension.codes:
        raise ImportDataError(f"dimension '{value[0]}' has no category '{value[1]}' in the answer")
    areas = dataset.dimension(area_dimension)
    years = dataset.dimension(year_dimension)
    for dimension in dataset.dimensions:
        if dimension.id not in {area_dimension, year_dimension, value[0], *chosen} and len(dimension.codes) != 1:
            raise ImportDataError(
                f"dimension '{dimension.id}' has {len(dimension.codes)} categories in the answer; "
                f"choose one with --filter {dimension.id}:CODE"
            )
    year_of = {}
    for code in years.codes:
        if not YEAR.match(code):
            raise ImportDataError(f"dimension '{year_dimension}' category '{code}' is not a year")
        year_of[code] = int(code)
    wanted = {code: key for code in areas.codes if (key := area_key(code))}
    known = {
        (kind, code): pk
        for kind, code, pk in Area.objects.filter(kind__in={k for k, _ in wanted.values()}).values_list(
            "kind", "code", "pk"
        )
    }
    area_of = {code: known[key] for code, key in wanted.items() if key in known}
    unknown = sorted(code for code in areas.codes if code not in area_of)
    if len(classification) > (Observation._meta.get_field("classification").max_length or 0):
        raise ImportDataError(
            f"--filter: '{classification}' is too long to be kept as the observations' classification"
        )
    rows, without_value = [], []
    for position, (codes, number) in enumerate(dataset.cells()):
        if codes[value[0]] != value[1] or codes[area_dimension] not in area_of:
            continue
        if any(codes[d] != c for d, c in chosen.items()):
            continue
        if number is None:
            symbol = dataset.status.get(position)
            cell = f"{codes[area_dimension]} {codes[year_dimension]}"
            without_value.append(f"{cell} ({symbol})" if symbol else cell)
            continue
        rows.append(
            ObservationRow(
                indicator_id=indicator.pk,
                area_id=area_of[codes[area_dimension]],
                year=year_of[codes[year_dimension]],
                gender=Gender.TOTAL.value,
                classification=classification,
                value=number,
                absolute_value=None,
            )
        )
    code_of_area = {pk: code for code, pk in area_of.items()}
    return Mapped(rows=rows, unknown_areas=unknown, without_value=without_value, codes=code_of_area)


# --- the command ------------------------------------------------------------------------------------------


def dimension_code(text: str) -> tuple[str, str]:
    """`DIMENSION:CODE`, or only `CODE` (the table's variables tell which dimension offers it)."""
    dimension, colon, code = text.rpartition(":") if ":" in text else ("", "", text)
    if (colon and not dimension.strip()) or not code.strip():
        raise argparse.ArgumentTypeError(f"'{text}' is not CODE or DIMENSION:CODE, e.g. vaerak-vaesto or Tiedot:vaesto")
    return dimension.strip(), code.strip()


def filter_code(text: str) -> tuple[str, str]:
    dimension, code = dimension_code(text)
    if not dimension:
        raise argparse.ArgumentTypeError(f"'{text}' is not DIMENSION:CODE, e.g. sukupuoli:SSS")
    return dimension, code


@dataclass(frozen=True)
class PxWebOptions:
    """`tilannekuva import statfin ...`, parsed. The area, year and value dimensions may be left out: they are
    then found from the table's metadata (`pxweb_tables.resolve`) or the answer's roles."""

    table: str
    value_dimension: tuple[str, str]
    indicator_id: str
    indicator_title: str
    area_dimension: str = ""
    year_dimension: str = ""
    years: list[int] = field(default_factory=list)
    filters: list[tuple[str, str]] = field(default_factory=list)
    base_url: str = DEFAULT_BASE_URL
    from_file: str = ""

    @property
    def named(self) -> bool:
        """The old form: every dimension named, so the query needs no metadata."""
        return bool(self.area_dimension and self.year_dimension and self.value_dimension[0])

    @property
    def classification(self) -> str:
        """The filters that narrow the series; a filter on a variable's total (StatFin's `SSS`) is the same data as
        leaving the variable out, and so no classification."""
        return ",".join(f"{d}={c}" for d, c in sorted(self.filters) if c != TOTAL_CODE)


@dataclass(frozen=True)
class Fetched:
    content: bytes
    url: str
    resolved: Resolved | None  # None: a saved answer, read by its roles


class PxWebSource(ImportSource[PxWebOptions]):
    name = "statfin"
    help = "Statistics Finland (PxWeb, StatFin): one value of a table for the municipalities, maakunnat and country."
    source_key = SOURCE_KEY
    options_type = PxWebOptions

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--table",
            required=True,
            type=table_name,
            help="table id (11re, 11re.px), its path under the database (vaerak/11re.px), or an old id",
        )
        parser.add_argument(
            "--value",
            "--value-dimension",
            dest="value_dimension",
            required=True,
            type=dimension_code,
            help="the value to import: CODE (vaerak-vaesto) or DIMENSION:CODE",
        )
        parser.add_argument("--area-dimension", help="the table's area variable (default: found from the table)")
        parser.add_argument("--year-dimension", help="the table's year variable (default: found from the table)")
        parser.add_argument(
            "--indicator-id", required=True, help="a short name for the series in Tilannekuva, e.g. population"
        )
        parser.add_argument("--indicator-title", required=True, help="the indicator's title in Finnish")
        parser.add_argument("--years", type=year_span, default=[], help="years, e.g. 2020-2024 (default: all)")
        parser.add_argument(
            "--filter",
            dest="filters",
            action="append",
            type=filter_code,
            default=[],
            help="one category of another variable, DIMENSION:CODE; the variable by code, text or stem (repeatable)",
        )
        parser.add_argument("--base-url", default=DEFAULT_BASE_URL, help=f"PxWeb database address ({DEFAULT_BASE_URL})")
        parser.add_argument("--from-file", help="read a saved PxWeb answer (json-stat2 or json) instead of asking")

    def parameters(self, options: PxWebOptions) -> dict[str, Any]:
        return {
            "table": options.table,
            "area_dimension": options.area_dimension,
            "year_dimension": options.year_dimension,
            "value": ":".join(options.value_dimension).lstrip(":"),
            "years": options.years,
            "filters": [":".join(f) for f in options.filters],
            "indicator_id": options.indicator_id,
            "indicator_title": options.indicator_title,
            "from_file": options.from_file,
        }

    def connect(self, options: PxWebOptions) -> Any:
        if options.from_file:
            return nullcontext()
        return OutsideClient(options.base_url, name="Statistics Finland (PxWeb)")

    def address(self, options: PxWebOptions, client: OutsideClient | None) -> str:
        if options.from_file:
            return Path(options.from_file).resolve().as_uri()
        assert client is not None
        return client.url(table_path(options.table) or options.table)

    def fetch(self, context: Context[PxWebOptions]) -> Fetched:
        options = context.options
        if options.from_file:
            try:
                content = Path(options.from_file).read_bytes()
            except OSError as exc:
                raise ImportDataError(f"--from-file: cannot read {options.from_file}: {exc.strerror}")
            context.keep(content)
            return Fetched(content, options.from_file, None)
        client: OutsideClient = context.client
        path = table_path(options.table) or find_table(client, options.table)
        if options.named:
            resolved = Resolved(
                area=options.area_dimension,
                time=options.year_dimension,
                value=options.value_dimension,
                filters=tuple(options.filters),
            )
        else:
            variables = read_variables(
                load_json(client.get(path).content, url=client.url(path)), where=client.url(path)
            )
            resolved = resolve(
                variables,
                area=options.area_dimension,
                time=options.year_dimension,
                value=options.value_dimension,
                filters=options.filters,
            )
        query = query_for(
            area_dimension=resolved.area,
            year_dimension=resolved.time,
            value=resolved.value,
            years=options.years,
            filters=list(resolved.filters),
        )
        response = client.post(path, json=query)
        context.keep(response.content)
        for note in resolved.notes:
            context.say(f"{options.table}: {note}.")
        return Fetched(response.content, client.url(path), resolved)

    def parse(self, fetched: Fetched, context: Context[PxWebOptions]) -> Parsed:
        options = context.options
        payload = load_json(fetched.content, url=fetched.url)
        resolved = fetched.resolved
        contents = (resolved.value[0] if resolved else options.value_dimension[0]) or "contentscode"
        dataset = read_plain_json(payload, contents=contents) if is_plain_json(payload) else read_dataset(payload)
        if resolved is None:
            area, time, value = from_roles(
                dataset, area=options.area_dimension, time=options.year_dimension, value=options.value_dimension
            )
            filters = tuple((_dimension_named(dataset, d), c) for d, c in options.filters)
        else:
            area, time, value, filters = resolved.area, resolved.time, resolved.value, resolved.filters
        series = f"{table_id(options.table)}:{value[1]}"
        indicator, previous = upsert_indicator(
            external_id=series,
            key=options.indicator_id,
            title=options.indicator_title,
            dataset=dataset,
            value=value,
            vintage=vintage_of(table_id(options.table), dataset.updated, from_file=options.from_file),
            parameters={
                **self.parameters(options),
                "value": ":".join(value),
                "area_dimension": area,
                "year_dimension": time,
            },
        )
        mapped = observations_from(
            dataset,
            indicator=indicator,
            area_dimension=area,
            year_dimension=time,
            value=value,
            classification=options.classification,
            filters=filters,
        )
        if previous:
            context.say(check_overlap(indicator, mapped.rows, mapped.describe, previous=previous, series=series))
        context.say(describe(options.table, indicator, mapped))
        return Parsed(rows=mapped.rows, describe=mapped.describe, spans=[indicator])


def _dimension_named(dataset: Dataset, name: str) -> str:
    for dimension in dataset.dimensions:
        if matches(name, dimension.id, dimension.label):
            return dimension.id
    raise ImportDataError(f"--filter: the answer has no dimension '{name}'")


def describe(table: str, indicator: Indicator, mapped: Mapped) -> str:
    years = sorted({r.year for r in mapped.rows})
    span = f"{years[0]}–{years[-1]}" if years else "no years"
    lines = [
        f"{table} → {indicator.external_id} ({indicator.title_fi}): {len(mapped.rows)} values for "
        f"{len({r.area_id for r in mapped.rows})} areas, {span}."
    ]
    if mapped.unknown_areas:
        shown = ", ".join(mapped.unknown_areas[:10]) + (", ..." if len(mapped.unknown_areas) > 10 else "")
        lines.append(f"{len(mapped.unknown_areas)} area codes are not areas of Tilannekuva and were skipped: {shown}")
    if mapped.without_value:
        shown = ", ".join(mapped.without_value[:10]) + (", ..." if len(mapped.without_value) > 10 else "")
        lines.append(f"{len(mapped.without_value)} cells have no value at the source and were skipped: {shown}")
    return "\n".join(lines)


def _updated(text: str) -> date | None:
    try:
        return date.fromisoformat(text[:10]) if text else None
    except ValueError:
        raise ImportDataError(f"updated is '{text}', not a date")


def upsert_indicator(
    *,
    external_id: str,
    key: str,
    title: str,
    dataset: Dataset,
    value: tuple[str, str],
    parameters: dict[str, Any],
    vintage: str = "",
) -> tuple[Indicator, str]:
    """Create or update the indicator; saved only when something about it changed. An --indicator-id already
    naming a series of another table or value code re-points that indicator: it keeps its id (and so the
    metrics bound to it) and the series it was is returned, for the overlap check; else "" is returned."""
    source = services.source(SOURCE_KEY)
    named = (
        Indicator.objects.filter(source=source, metadata__key=key).first()
        or Indicator.objects.filter(source=source, external_id=key).first()
    )
    previous = ""
    if named is not None and named.metadata.get("series", named.external_id) != external_id:
        previous = str(named.metadata.get("series", named.external_id))
        other = Indicator.objects.filter(source=source, external_id=external_id).exclude(pk=named.pk).first()
        if other is not None:
            raise ImportDataError(
                f"--indicator-id '{key}': {external_id} is already imported as "
                f"'{other.metadata.get('key', external_id)}' ({other.title_fi})"
            )
    value_dimension = dataset.dimension(value[0])
    unit = value_dimension.units.get(value[1], {})
    unit = unit if isinstance(unit, dict) else {}
    decimals = unit.get("decimals")
    decimals = decimals if isinstance(decimals, int) and not isinstance(decimals, bool) and decimals >= 0 else None
    if named is not None and not unit:  # an answer without units (PxWeb's plain json) keeps the ones known
        unit, decimals = {"base": named.unit}, named.decimals
    earlier = list(named.metadata.get("previous", []) if named is not None else [])
    if previous and previous not in earlier:
        earlier.append(previous)
    wanted: dict[str, Any] = {
        "title_fi": title,
        "unit": str(unit.get("base", ""))[:120],
        "decimals": decimals,
        "organisation": dataset.source or "Tilastokeskus",
        "licence": services.KNOWN_SOURCES[SOURCE_KEY]["licence"],
        "data_updated": _updated(dataset.updated),
        **({"vintage": vintage} if vintage else {}),
        "metadata": {
            "key": key,
            "series": external_id,
            "previous": earlier,
            "table": parameters["table"],
            "table_label": dataset.label,
            "value": parameters["value"],
            "value_label": value_dimension.label_of(value[1]),
            "area_dimension": parameters["area_dimension"],
            "year_dimension": parameters["year_dimension"],
            "filters": parameters["filters"],
        },
    }
    identity = named.external_id if named is not None else external_id
    return save_indicator(source, identity, wanted), previous


SOURCE = PxWebSource()
