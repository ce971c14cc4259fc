"""Statistics Finland's PxWeb API (StatFin): query one table, read its JSON-stat 2.0 answer, store observations.

`tilannekuva import statfin --table statfin_vaerak_pxt_11ra --area-dimension Alue --year-dimension Vuosi
--value-dimension Tiedot:vaesto --indicator-id population --indicator-title "Väestö 31.12."` asks PxWeb (API v1)
for every area and the chosen years of one value of the table, and stores the values of the areas that
Tilannekuva knows (municipalities "KU491", maakunnat "MK10", the whole country "SSS", ...) as observations of
the indicator `<table>:<value code>`.
"""

import argparse
import itertools
import json
import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TextIO

from django.db.models import Max, Min

from tilannekuva.core.http import OutsideClient, SourceError
from tilannekuva.databank import services
from tilannekuva.databank.models import Gender, ImportRun, Indicator, Observation
from tilannekuva.databank.services import Counts, ImportDataError, ObservationRow
from tilannekuva.regions.models import Area, AreaKind

help = "Statistics Finland (PxWeb, StatFin): one value of a table for the municipalities, maakunnat and country."

SOURCE_KEY = "statfin"
DEFAULT_BASE_URL = "https://pxdata.stat.fi/PXWeb/api/v1/fi/StatFin/"
# Beyond this many cells an answer is refused rather than walked: PxWeb itself caps one answer far below it.
MAX_CELLS = 10_000_000
# Area codes in StatFin tables: a prefix and Statistics Finland's code. KU, MK and SSS are seen in StatFin's
# population tables; SK and HV follow the same pattern for seutukunnat and wellbeing services counties.
AREA_PREFIXES: dict[str, tuple[str, int]] = {
    "KU": (AreaKind.MUNICIPALITY.value, 3),
    "MK": (AreaKind.MAAKUNTA.value, 2),
    "SK": (AreaKind.SEUTUKUNTA.value, 3),
    "HV": (AreaKind.WELLBEING_SERVICES_COUNTY.value, 2),
}
WHOLE_COUNTRY = "SSS"
COUNTRY_CODE = "FI"
TABLE_ID = re.compile(r"^statfin_([a-z0-9]+)_pxt_[a-z0-9_]+$")
YEAR = re.compile(r"^\d{4}$")


# --- JSON-stat 2.0 ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dimension:
    """One dimension of a dataset: its categories in position order, with their labels and units."""

    id: str
    label: str
    codes: tuple[str, ...]
    labels: dict[str, str] = field(default_factory=dict)
    units: dict[str, Any] = field(default_factory=dict)

    def label_of(self, code: str) -> str:
        return self.labels.get(code, code)


@dataclass(frozen=True)
class Dataset:
    """A validated JSON-stat 2.0 dataset. Values are kept by cell position; missing positions have no value."""

    dimensions: tuple[Dimension, ...]
    values: dict[int, float | None]
    status: dict[int, str]
    label: str = ""
    source: str = ""
    updated: str = ""

    @property
    def size(self) -> int:
        return math.prod(len(d.codes) for d in self.dimensions)

    def dimension(self, dimension_id: str) -> Dimension:
        for dimension in self.dimensions:
            if dimension.id == dimension_id:
                return dimension
        known = ", ".join(d.id for d in self.dimensions)
        raise ImportDataError(f"the answer has no dimension '{dimension_id}' (it has {known})")

    def cells(self) -> Iterator[tuple[dict[str, str], float | None]]:
        """Every cell in row-major order (the last dimension varies fastest), as (codes by dimension, value)."""
        ids = [d.id for d in self.dimensions]
        for position, codes in enumerate(itertools.product(*(d.codes for d in self.dimensions))):
            yield dict(zip(ids, codes, strict=True)), self.values.get(position)


def load_json(content: bytes, *, url: str) -> Any:
    """Parse an answer strictly: a key given twice in one object, or NaN/Infinity, is a fault, not a silent pick."""

    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in pairs:
            if key in result:
                raise ImportDataError(f"the answer from {url} has the key '{key}' twice in one object")
            result[key] = value
        return result

    def no_constant(name: str) -> Any:
        raise ImportDataError(f"the answer from {url} contains {name}, which is not a JSON number")

    try:
        return json.loads(content, object_pairs_hook=no_duplicates, parse_constant=no_constant)
    except (ValueError, UnicodeDecodeError) as exc:
        raise SourceError(f"Statistics Finland answered with something that is not JSON for {url}: {exc}") from exc


def jsonstat_cells(payload: Any) -> Iterator[tuple[dict[str, str], float | None]]:
    """The cells of a JSON-stat 2.0 dataset as (codes by dimension id, value). The whole payload is validated
    before the first cell comes out; any fault raises ImportDataError naming the field."""
    return read_dataset(payload).cells()


def read_dataset(payload: Any) -> Dataset:
    """Validate a JSON-stat 2.0 dataset (https://json-stat.org/full/) and return it; faults name their field."""
    if not isinstance(payload, dict):
        raise ImportDataError(f"the answer is {_kind(payload)}, not a JSON-stat dataset object")
    if payload.get("version") != "2.0":
        raise ImportDataError(
            f"version is {payload.get('version')!r}, not '2.0': ask PxWeb for the format json-stat2 (JSON-stat 2.0)"
        )
    if payload.get("class") != "dataset":
        raise ImportDataError(f"class is {payload.get('class')!r}, not 'dataset'")
    ids = _dimension_ids(payload.get("id"))
    sizes = _sizes(payload.get("size"), ids)
    described = payload.get("dimension")
    if not isinstance(described, dict):
        raise ImportDataError(f"dimension is {_kind(described)}, not an object describing {', '.join(ids)}")
    errors = [f"dimension describes '{extra}', which id does not name" for extra in described if extra not in ids]
    dimensions = []
    for dimension_id, size in zip(ids, sizes, strict=True):
        try:
            dimensions.append(_dimension(dimension_id, described.get(dimension_id), size))
        except ImportDataError as exc:
            errors.extend(exc.errors)
    if errors:
        raise ImportDataError(errors)
    total = math.prod(sizes)
    if total > MAX_CELLS:
        raise ImportDataError(f"size says {_product(sizes)} = {total} cells, more than the {MAX_CELLS} an import takes")
    values = _values(payload.get("value"), tuple(dimensions), sizes)
    status = _status(payload.get("status"), total)
    texts = {}
    for name in ("label", "source", "updated"):
        text = payload.get(name, "")
        if not isinstance(text, str):
            raise ImportDataError(f"{name} is {_kind(text)}, not text")
        texts[name] = text
    return Dataset(dimensions=tuple(dimensions), values=values, status=status, **texts)


def _kind(value: Any) -> str:
    if value is None:
        return "missing (null)"
    names = {dict: "an object", list: "a list", str: "text", bool: "true/false", int: "a number", float: "a number"}
    shown = json.dumps(value, ensure_ascii=False)
    shown = shown if len(shown) <= 40 else shown[:37] + "..."
    return f"{names.get(type(value), type(value).__name__)} ({shown})"


def _product(sizes: Sequence[int]) -> str:
    return " × ".join(str(s) for s in sizes) if sizes else "1"


def _dimension_ids(ids: Any) -> list[str]:
    if not isinstance(ids, list) or not ids:
        raise ImportDataError(f"id is {_kind(ids)}, not a list of dimension ids")
    seen: set[str] = set()
    for i, dimension_id in enumerate(ids):
        if not isinstance(dimension_id, str) or not dimension_id:
            raise ImportDataError(f"id[{i}] is {_kind(dimension_id)}, not a dimension id")
        if dimension_id in seen:
            raise ImportDataError(f"id lists dimension '{dimension_id}' twice")
        seen.add(dimension_id)
    return ids


def _sizes(sizes: Any, ids: list[str]) -> list[int]:
    if not isinstance(sizes, list):
        raise ImportDataError(f"size is {_kind(sizes)}, not a list of dimension sizes")
    if len(sizes) != len(ids):
        raise ImportDataError(f"id names {len(ids)} dimensions ({', '.join(ids)}), size has {len(sizes)} entries")
    for dimension_id, size in zip(ids, sizes, strict=True):
        if isinstance(size, bool) or not isinstance(size, int) or size < 0:
            raise ImportDataError(f"size of dimension '{dimension_id}' is {_kind(size)}, not a whole number ≥ 0")
    return sizes


def _dimension(dimension_id: str, entry: Any, size: int) -> Dimension:
    where = f"dimension '{dimension_id}'"
    if entry is None:
        raise ImportDataError(f"{where} is named in id but not described in dimension")
    if not isinstance(entry, dict) or not isinstance(entry.get("category"), dict):
        raise ImportDataError(f"{where} has no category object")
    category = entry["category"]
    labels = category.get("label", {})
    if not isinstance(labels, dict):
        raise ImportDataError(f"{where} category label is {_kind(labels)}, not an object of code → label")
    for code, label in labels.items():
        if not isinstance(label, str):
            raise ImportDataError(f"{where} category label of '{code}' is {_kind(label)}, not text")
    index = category.get("index")
    if index is None:
        # JSON-stat lets a dimension with a single category leave out the index.
        if len(labels) != 1:
            raise ImportDataError(
                f"{where} category has no index (allowed only for a single category; it has {len(labels)} labels)"
            )
        codes = list(labels)
    elif isinstance(index, list):
        codes = _codes_from_list(where, index)
    elif isinstance(index, dict):
        codes = _codes_from_positions(where, index)
    else:
        raise ImportDataError(f"{where} category index is {_kind(index)}, not a list or an object of code → position")
    if len(codes) != size:
        raise ImportDataError(f"{where} has {len(codes)} categories, size says {size}")
    unknown = [code for code in labels if code not in set(codes)]
    if unknown:
        raise ImportDataError(f"{where} category label names '{unknown[0]}', which its index does not list")
    label = entry.get("label", dimension_id)
    if not isinstance(label, str):
        raise ImportDataError(f"{where} label is {_kind(label)}, not text")
    units = category.get("unit", {})
    if not isinstance(units, dict):
        raise ImportDataError(f"{where} category unit is {_kind(units)}, not an object of code → unit")
    return Dimension(id=dimension_id, label=label, codes=tuple(codes), labels=labels, units=units)


def _codes_from_list(where: str, index: list[Any]) -> list[str]:
    seen: set[str] = set()
    for i, code in enumerate(index):
        if not isinstance(code, str):
            raise ImportDataError(f"{where} category index[{i}] is {_kind(code)}, not a category code")
        if code in seen:
            raise ImportDataError(f"{where} category index lists '{code}' twice")
        seen.add(code)
    return index


def _codes_from_positions(where: str, index: dict[str, Any]) -> list[str]:
    by_position: dict[int, str] = {}
    for code, position in index.items():
        if isinstance(position, bool) or not isinstance(position, int):
            raise ImportDataError(f"{where} category index gives '{code}' the position {_kind(position)}")
        if not 0 <= position < len(index):
            raise ImportDataError(
                f"{where} category index gives '{code}' position {position}, outside 0–{len(index) - 1}"
            )
        if position in by_position:
            raise ImportDataError(
                f"{where} category index gives position {position} to both '{by_position[position]}' and '{code}'"
            )
        by_position[position] = code
    return [by_position[p] for p in range(len(index))]


def _describe_cell(position: int, dimensions: tuple[Dimension, ...], sizes: Sequence[int]) -> str:
    codes = []
    for dimension, size in zip(reversed(dimensions), reversed(sizes), strict=True):
        position, offset = divmod(position, size)
        codes.append(f"{dimension.id}={dimension.codes[offset]}")
    return ", ".join(reversed(codes))


def _number(raw: Any, *, where: str) -> float | None:
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise ImportDataError(f"{where} is {_kind(raw)}, not a number")
    return float(raw)


def _values(raw: Any, dimensions: tuple[Dimension, ...], sizes: list[int]) -> dict[int, float | None]:
    total = math.prod(sizes)
    values: dict[int, float | None] = {}
    errors: list[str] = []
    if isinstance(raw, list):
        if len(raw) != total:
            raise ImportDataError(f"value has {len(raw)} entries, size says {_product(sizes)} = {total}")
        positions: Iterator[tuple[int, Any]] = enumerate(raw)
    elif isinstance(raw, dict):
        numbered = []
        for key, entry in raw.items():
            if not (isinstance(key, str) and key.isdigit() and key.isascii()):
                raise ImportDataError(f"value has the key '{key}', not a cell position")
            if int(key) >= total:
                raise ImportDataError(
                    f"value has position {key}, outside 0–{total - 1} (size says {_product(sizes)} = {total})"
                )
            numbered.append((int(key), entry))
        positions = iter(numbered)
    else:
        raise ImportDataError(f"value is {_kind(raw)}, not a list or an object of position → value")
    for position, entry in positions:
        try:
            values[position] = _number(
                entry, where=f"value[{position}] ({_describe_cell(position, dimensions, sizes)})"
            )
        except ImportDataError as exc:
            errors.extend(exc.errors)
    if errors:
        raise ImportDataError(errors)
    return values


def _status(raw: Any, total: int) -> dict[int, str]:
    if raw is None:
        return {}
    if isinstance(raw, str):
        return dict.fromkeys(range(total), raw)
    if isinstance(raw, list):
        if len(raw) not in (1, total):
            raise ImportDataError(f"status has {len(raw)} entries, value has {total}")
        if len(raw) == 1 and total != 1:
            raw = raw * total
        entries: list[tuple[Any, Any]] = list(enumerate(raw))
    elif isinstance(raw, dict):
        entries = []
        for key, entry in raw.items():
            if not (key.isdigit() and key.isascii() and int(key) < total):
                raise ImportDataError(f"status has the key '{key}', not a cell position 0–{total - 1}")
            entries.append((int(key), entry))
    else:
        raise ImportDataError(f"status is {_kind(raw)}, not text, a list or an object of position → status")
    status = {}
    for position, entry in entries:
        if entry is None:
            continue
        if not isinstance(entry, str):
            raise ImportDataError(f"status[{position}] is {_kind(entry)}, not text")
        status[position] = entry
    return status


# --- PxWeb ------------------------------------------------------------------------------------------------


def table_path(table: str) -> str:
    """`statfin_vaerak_pxt_11ra` → `vaerak/statfin_vaerak_pxt_11ra.px`; a path with a folder is kept as given."""
    table = table.strip().strip("/")
    if "/" in table:
        return table if table.endswith(".px") else f"{table}.px"
    name = table.removesuffix(".px")
    match = TABLE_ID.match(name)
    if not match:
        raise ValueError(
            f"table '{table}': cannot tell its folder; give it as a path, e.g. 'vaerak/statfin_vaerak_pxt_11ra.px'"
        )
    return f"{match.group(1)}/{name}.px"


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
) -> Mapped:
    """Rows for the cells of `value` whose area Tilannekuva knows. Every other dimension must have been narrowed
    to one category, so that each (area, year) has exactly one value."""
    value_dimension = dataset.dimension(value[0])
    if value[1] not in value_dimension.codes:
        raise ImportDataError(f"dimension '{value[0]}' has no category '{value[1]}' in the answer")
    areas = dataset.dimension(area_dimension)
    years = dataset.dimension(year_dimension)
    for dimension in dataset.dimensions:
        if dimension.id not in {area_dimension, year_dimension, value[0]} and len(dimension.codes) != 1:
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
    dimension, _, code = text.partition(":")
    if not dimension.strip() or not code.strip():
        raise argparse.ArgumentTypeError(f"'{text}' is not DIMENSION:CODE, e.g. Tiedot:vaesto")
    return dimension.strip(), code.strip()


def year_list(text: str) -> list[int]:
    """`2020-2024`, `2020,2022` or `2024`."""
    years: set[int] = set()
    for part in text.split(","):
        start, dash, end = part.strip().partition("-")
        try:
            first, last = int(start), int(end if dash else start)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{part.strip()}' is not a year or a span such as 2020-2024")
        if not 1800 <= first <= last <= 2200:
            raise argparse.ArgumentTypeError(f"'{part.strip()}' is not a span of years from earlier to later")
        years.update(range(first, last + 1))
    return sorted(years)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--table", required=True, type=table_name, help="table id (statfin_vaerak_pxt_11ra) or its path under StatFin"
    )
    parser.add_argument("--area-dimension", required=True, help="the table's area variable, e.g. Alue")
    parser.add_argument("--year-dimension", required=True, help="the table's year variable, e.g. Vuosi")
    parser.add_argument(
        "--value-dimension", required=True, type=dimension_code, help="the value to import as DIMENSION:CODE"
    )
    parser.add_argument(
        "--indicator-id", required=True, help="a short name for the series in Tilannekuva, e.g. population"
    )
    parser.add_argument("--indicator-title", required=True, help="the indicator's title in Finnish")
    parser.add_argument("--years", type=year_list, default=[], help="years, e.g. 2020-2024 (default: all)")
    parser.add_argument(
        "--filter",
        dest="filters",
        action="append",
        type=dimension_code,
        default=[],
        help="one category of another variable of the table, DIMENSION:CODE (repeatable)",
    )
    parser.add_argument("--base-url", default=DEFAULT_BASE_URL, help=f"PxWeb database address ({DEFAULT_BASE_URL})")


def run(options: dict[str, Any], stdout: TextIO) -> ImportRun:
    table = options["table"]
    path = table_path(table)
    value: tuple[str, str] = options["value_dimension"]
    filters: list[tuple[str, str]] = options.get("filters") or []
    years: list[int] = options.get("years") or []
    key = options["indicator_id"]
    query = query_for(
        area_dimension=options["area_dimension"],
        year_dimension=options["year_dimension"],
        value=value,
        years=years,
        filters=filters,
    )
    parameters = {
        "table": table,
        "area_dimension": options["area_dimension"],
        "year_dimension": options["year_dimension"],
        "value": ":".join(value),
        "years": years,
        "filters": [":".join(f) for f in filters],
        "indicator_id": key,
        "indicator_title": options["indicator_title"],
        "query": query,
    }
    report: list[str] = []

    with OutsideClient(options.get("base_url") or DEFAULT_BASE_URL, name="Statistics Finland (PxWeb)") as client:
        url = client.url(path)

        def work(import_run: ImportRun) -> Counts:
            response = client.post(path, json=query)
            services.keep_payload(import_run, response.content)
            dataset = read_dataset(load_json(response.content, url=url))
            indicator = upsert_indicator(
                external_id=f"{table_id(table)}:{value[1]}",
                key=key,
                title=options["indicator_title"],
                dataset=dataset,
                value=value,
                parameters=parameters,
            )
            mapped = observations_from(
                dataset,
                indicator=indicator,
                area_dimension=options["area_dimension"],
                year_dimension=options["year_dimension"],
                value=value,
                classification=",".join(f"{d}={c}" for d, c in sorted(filters)),
            )
            rows = services.check_unique(mapped.rows, describe=mapped.describe)
            counts = services.write_observations(rows, run=import_run)
            record_year_span(indicator)
            report.append(describe(table, indicator, mapped))
            return counts

        import_run = services.run_import(source_key=SOURCE_KEY, url=url, parameters=parameters, work=work)
    for line in report:
        stdout.write(line)
    return import_run


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
) -> Indicator:
    """Create or update the indicator; saved only when something about it changed."""
    source = services.source(SOURCE_KEY)
    taken = Indicator.objects.filter(source=source, metadata__key=key).exclude(external_id=external_id).first()
    if taken:
        raise ImportDataError(f"--indicator-id '{key}' is already the name of {taken.external_id} ({taken.title_fi})")
    value_dimension = dataset.dimension(value[0])
    unit = value_dimension.units.get(value[1], {})
    unit = unit if isinstance(unit, dict) else {}
    decimals = unit.get("decimals")
    decimals = decimals if isinstance(decimals, int) and not isinstance(decimals, bool) and decimals >= 0 else None
    wanted: dict[str, Any] = {
        "title_fi": title,
        "unit": str(unit.get("base", ""))[:120],
        "decimals": decimals
        if isinstance(decimals, int) and not isinstance(decimals, bool) and decimals >= 0
        else None,
        "organisation": dataset.source or "Tilastokeskus",
        "licence": services.KNOWN_SOURCES[SOURCE_KEY]["licence"],
        "data_updated": _updated(dataset.updated),
        "metadata": {
            "key": key,
            "table": parameters["table"],
            "table_label": dataset.label,
            "value": parameters["value"],
            "value_label": value_dimension.label_of(value[1]),
            "area_dimension": parameters["area_dimension"],
            "year_dimension": parameters["year_dimension"],
            "filters": parameters["filters"],
        },
    }
    indicator = Indicator.objects.filter(source=source, external_id=external_id).first()
    if indicator is None:
        return Indicator.objects.create(source=source, external_id=external_id, **wanted)
    changed = [name for name, v in wanted.items() if getattr(indicator, name) != v]
    if changed:
        for name in changed:
            setattr(indicator, name, wanted[name])
        indicator.save(update_fields=changed)
    return indicator


def record_year_span(indicator: Indicator) -> None:
    span = Observation.objects.filter(indicator=indicator).aggregate(first=Min("year"), last=Max("year"))
    if (indicator.first_year, indicator.last_year) != (span["first"], span["last"]):
        indicator.first_year, indicator.last_year = span["first"], span["last"]
        indicator.save(update_fields=["first_year", "last_year"])
