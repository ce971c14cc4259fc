"""PxWeb as Statistics Finland serves it since 8 June 2026: short table ids, variable codes that can carry a date,
value codes with a prefix; and the other answer form, PxWeb's plain `json` (columns and data rows).

Statistics Finland's notes ("Changes to interface use of PxWeb databases on 8 June", stat.fi, and its
"Instructions for updating interface queries for PxWeb databases"): the file name, TABLEID and MATRIX shorten to
the four-character id (`statfin_vaerak_pxt_11re.px` → `11re.px`); every variable gets a code that the API uses in
place of its name (`alue_23_20260101`, `timeperiod_y`, `contentscode`); some value codes of the analysis variable
get a prefix (`vaesto` → `vaerak-vaesto`). The API stays PxWeb v1: `GET <table>` gives the table's variables
(`code`, `text`, `values`, `valueTexts`, `time`, `elimination`), `GET <database>?query=<words>` searches the
database's tables (`id`, `path`, `title`), `POST <table>` answers a query.

So that a dated code needs no option, the variables are found from what the table says of itself: the time
variable is the one flagged `time` (in an answer: `role.time`, or a `t` column); the value variable is the one
offering the asked value code (`role.metric`, `c` columns); the area variable is the one offering Statistics
Finland's area codes (`SSS`, `KU…`, `MK…`; `role.geo`). A variable the user names is matched by its code, its
text, or its code without the dated tail (`alue` for `alue_23_20260101`).
"""

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils import timezone

from tilannekuva.core.http import OutsideClient
from tilannekuva.databank.models import Gender, Indicator, Observation
from tilannekuva.databank.services import ImportDataError, ObservationRow

from .base import describe_value as _kind
from .pxweb_jsonstat import Dataset, Dimension

OLD_TABLE_ID = re.compile(r"^statfin_([a-z0-9]+)_pxt_[a-z0-9_]+$")
SHORT_TABLE_ID = re.compile(r"^[a-z0-9]{3,8}$")
MISSING = {".", "..", "...", "-", "", "x", "X"}  # PxWeb's symbols for a cell without a value


def table_path(table: str) -> str | None:
    """Where a table is under the database: a path with its folder is kept as given (`.px` added); an old long id
    tells its folder (`statfin_vaerak_pxt_11ra` → `vaerak/statfin_vaerak_pxt_11ra.px`); a short id (`11re`,
    `11re.px`) does not, and gives None: its folder is looked up (`find_table`)."""
    table = table.strip().strip("/")
    if "/" in table:
        return table if table.endswith(".px") else f"{table}.px"
    name = table.removesuffix(".px")
    match = OLD_TABLE_ID.match(name)
    if match:
        return f"{match.group(1)}/{name}.px"
    if SHORT_TABLE_ID.match(name):
        return None
    raise ValueError(f"table '{table}': not a table id (e.g. 11re, 11re.px, vaerak/11re.px or statfin_vaerak_pxt_11ra)")


def find_table(client: OutsideClient, table: str) -> str:
    """A short id's path, from the database's table search (`?query=11re`): the hit whose id is the table's."""
    name = table.strip().strip("/").removesuffix(".px")
    hits = client.get_json("", params={"query": name})
    if not isinstance(hits, list):
        raise ImportDataError(f"the table search for '{name}' answered {_kind(hits)}, not a list of tables")
    for i, hit in enumerate(hits):
        if not isinstance(hit, dict):
            raise ImportDataError(f"the table search for '{name}': hit {i} is {_kind(hit)}, not an object")
        if str(hit.get("id", "")).removesuffix(".px") != name:
            continue
        folder = str(hit.get("path", "")).strip("/")
        database = client.url("").rstrip("/").rsplit("/", 1)[-1]
        parts = [p for p in folder.split("/") if p and p != database]
        if not parts:
            raise ImportDataError(f"the table search for '{name}' gives it no folder (path {hit.get('path')!r})")
        return f"{'/'.join(parts)}/{name}.px"
    raise ImportDataError(
        f"table '{name}' is not in the database (the search found {len(hits)} other tables); "
        "give its path, e.g. vaerak/11re.px"
    )


def stem(code: str) -> str:
    """A variable code without its dated tail: `alue_23_20260101` → `alue`, `sukupuoli_9_20180101` → `sukupuoli`."""
    return re.sub(r"(_\d+)*$", "", code)


def matches(name: str, code: str, text: str = "") -> bool:
    wanted = name.casefold()
    return wanted in {code.casefold(), text.casefold(), stem(code).casefold()}


@dataclass(frozen=True)
class Variable:
    code: str
    text: str
    values: tuple[str, ...]
    time: bool = False
    elimination: bool = False


def read_variables(payload: Any, *, where: str) -> list[Variable]:
    """A table's metadata (`GET <table>`), checked: every variable has a code and a list of value codes."""
    if not isinstance(payload, dict) or not isinstance(payload.get("variables"), list):
        raise ImportDataError(f"the table description of {where} is {_kind(payload)}, not an object with variables")
    variables = []
    for i, entry in enumerate(payload["variables"]):
        if not isinstance(entry, dict) or not isinstance(entry.get("code"), str) or not entry["code"]:
            raise ImportDataError(f"{where}: variables[{i}] has no code")
        values = entry.get("values")
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise ImportDataError(f"{where}: variable '{entry['code']}' has no list of value codes")
        variables.append(
            Variable(
                code=entry["code"],
                text=str(entry.get("text", "")),
                values=tuple(values),
                time=entry.get("time") is True,
                elimination=entry.get("elimination") is True,
            )
        )
    return variables


def is_area_code(code: str) -> bool:
    return code == "SSS" or (code[:2] in {"KU", "MK", "SK", "HV"} and code[2:].isdigit())


@dataclass(frozen=True)
class Resolved:
    """The table's variables as the import uses them, and the query that asks for them."""

    area: str
    time: str
    value: tuple[str, str]
    filters: tuple[tuple[str, str], ...]
    notes: tuple[str, ...] = ()


def resolve(
    variables: list[Variable],
    *,
    area: str,
    time: str,
    value: tuple[str, str],
    filters: list[tuple[str, str]],
) -> Resolved:
    """Which variable is which: named ones by code, text or stem; the rest from the time flag, the value code
    offered and the area codes offered. A renamed value code (`vaesto` → `vaerak-vaesto`) is found by its prefix
    and said in the notes."""
    notes = []

    def named(name: str, what: str) -> Variable:
        for variable in variables:
            if matches(name, variable.code, variable.text):
                return variable
        known = ", ".join(f"{v.code} ({v.text})" for v in variables)
        raise ImportDataError(f"{what}: the table has no variable '{name}' (it has {known})")

    time_var = named(time, "--year-dimension") if time else next((v for v in variables if v.time), None)
    if time_var is None:
        raise ImportDataError("the table has no time variable; name it with --year-dimension")
    dimension, code = value
    candidates = [named(dimension, "--value-dimension")] if dimension else [v for v in variables if v is not time_var]
    value_var, value_code = None, code
    for variable in candidates:
        if code in variable.values:
            value_var = variable
            break
    if value_var is None:
        for variable in candidates:
            renamed = [v for v in variable.values if v.endswith(f"-{code}")]
            if len(renamed) == 1:
                value_var, value_code = variable, renamed[0]
                notes.append(f"the value code '{code}' is now '{value_code}' in the table")
                break
    if value_var is None:
        raise ImportDataError(f"no variable of the table offers the value '{code}'")
    if area:
        area_var = named(area, "--area-dimension")
    else:
        offering = [v for v in variables if v not in (time_var, value_var) and any(is_area_code(c) for c in v.values)]
        with_municipalities = [v for v in offering if any(c.startswith(("KU", "MK")) for c in v.values)]
        chosen = with_municipalities or offering
        if len(chosen) != 1:
            raise ImportDataError(
                "cannot tell the table's area variable; name it with --area-dimension"
                + (f" ({', '.join(v.code for v in chosen)})" if chosen else "")
            )
        area_var = chosen[0]
    picked = []
    for name, wanted in filters:
        variable = named(name, "--filter")
        if wanted not in variable.values:
            raise ImportDataError(f"--filter {name}: variable '{variable.code}' has no value '{wanted}'")
        picked.append((variable.code, wanted))
    chosen_codes = {area_var.code, time_var.code, value_var.code, *(c for c, _ in picked)}
    for variable in variables:
        if variable.code not in chosen_codes and not variable.elimination and len(variable.values) != 1:
            raise ImportDataError(
                f"variable '{variable.code}' ({variable.text}) has {len(variable.values)} values and no total; "
                f"choose one with --filter {stem(variable.code)}:CODE"
            )
    return Resolved(
        area=area_var.code,
        time=time_var.code,
        value=(value_var.code, value_code),
        filters=tuple(picked),
        notes=tuple(notes),
    )


def from_roles(dataset: Dataset, *, area: str, time: str, value: tuple[str, str]) -> tuple[str, str, tuple[str, str]]:
    """The area, time and value dimensions of an answer read without the table's metadata (a saved answer): named
    ones by code, label or stem, the rest from `role.geo`, `role.time` and `role.metric`, or the area codes."""

    def named(name: str, role: str, what: str) -> str:
        if name:
            for d in dataset.dimensions:
                if matches(name, d.id, d.label):
                    return d.id
            raise ImportDataError(f"{what}: the answer has no dimension '{name}'")
        ids = dataset.roles.get(role, ())
        if len(ids) == 1:
            return ids[0]
        if role == "geo":
            offering = [d.id for d in dataset.dimensions if any(is_area_code(c) for c in d.codes)]
            offering = [i for i in offering if i not in {time_id, metric_id}]
            if len(offering) == 1:
                return offering[0]
        raise ImportDataError(f"the answer does not say which dimension is {role}; name it with {what}")

    time_id = named(time, "time", "--year-dimension")
    metric_id = named(value[0], "metric", "--value-dimension")
    area_id = named(area, "geo", "--area-dimension")
    codes = dataset.dimension(metric_id).codes
    code = value[1]
    if code not in codes:
        renamed = [c for c in codes if c.endswith(f"-{code}")]
        code = renamed[0] if len(renamed) == 1 else code
    return area_id, time_id, (metric_id, code)


def check_overlap(
    indicator: Indicator,
    rows: list[ObservationRow],
    describe: Callable[[ObservationRow], str],
    *,
    previous: str,
    series: str,
) -> str:
    """A re-pointed series continues only where the new table agrees with the stored values: every (area, year)
    both have must be equal, and there must be at least one."""
    stored = {
        (area, year): value
        for area, year, value in Observation.objects.filter(
            indicator=indicator,
            gender=Gender.TOTAL.value,
            classification=rows[0].classification if rows else "",
        ).values_list("area_id", "year", "value")
    }
    shared = [r for r in rows if (r.area_id, r.year) in stored]
    key = indicator.metadata.get("key")
    if not shared:
        raise ImportDataError(
            f"--indicator-id '{key}' is already the name of {indicator.external_id} ({indicator.title_fi}), and "
            f"{series} shares no value with it to show that it is the same series; choose another --indicator-id"
        )
    differing = [
        r
        for r in shared
        if not math.isclose(stored[(r.area_id, r.year)] or 0.0, r.value or 0.0, rel_tol=1e-9, abs_tol=1e-9)
    ]
    if differing:
        shown = ", ".join(f"{describe(r)}: stored {stored[(r.area_id, r.year)]}, new {r.value}" for r in differing[:5])
        raise ImportDataError(
            f"--indicator-id '{key}': {series} is not the series {previous} continues; "
            f"{len(differing)} of the {len(shared)} shared values differ ({shown})"
        )
    return (
        f"{key}: the series moves from {previous} to {series} (the indicator keeps its id {indicator.external_id}); "
        f"the {len(shared)} values both have are equal."
    )


def vintage_of(table: str, updated: str, *, from_file: str = "") -> str:
    """Which release the values are: the table, its update date, and when they were fetched or from what file."""
    day = re.match(r"(\d{4})-(\d{2})-(\d{2})", updated or "")
    text = f"Tilastokeskus, taulukko {table}"
    if day:
        text += f" (päivitetty {int(day[3])}.{int(day[2])}.{day[1]})"
    if from_file:
        return f"{text}; tallennettu PxWeb-vastaus {Path(from_file).name}"
    return f"{text}; haettu {timezone.localdate():%d.%m.%Y}"


# --- PxWeb's plain json answer -----------------------------------------------------------------------------


def is_plain_json(payload: Any) -> bool:
    return isinstance(payload, dict) and "columns" in payload and "data" in payload


def read_plain_json(payload: dict[str, Any], *, contents: str = "contentscode") -> Dataset:
    """PxWeb's `json` answer (`columns` of type d/t/c and `data` rows of `key` and `values`) as a dataset: the
    d and t columns are dimensions, the c columns the categories of one value dimension (`contents`), the
    t column has the role time and the value dimension the role metric. Values come as text; PxWeb's symbols
    (`.`, `..`, `...`, `-`) are cells without a value."""
    columns = payload.get("columns")
    rows = payload.get("data")
    if not isinstance(columns, list) or not isinstance(rows, list):
        raise ImportDataError("the answer's columns and data are not lists")
    keys: list[dict[str, Any]] = []
    metrics: list[dict[str, Any]] = []
    for i, column in enumerate(columns):
        if not isinstance(column, dict) or not isinstance(column.get("code"), str):
            raise ImportDataError(f"columns[{i}] is {_kind(column)}, not a column with a code")
        (metrics if column.get("type") == "c" else keys).append(column)
    if not metrics:
        raise ImportDataError("the answer has no value column (type c)")
    codes: list[list[str]] = [[] for _ in keys]
    cells: dict[tuple[str, ...], float | None] = {}
    status: dict[tuple[str, ...], str] = {}
    for r, row in enumerate(rows):
        key, given = (row.get("key"), row.get("values")) if isinstance(row, dict) else (None, None)
        if not isinstance(key, list) or len(key) != len(keys) or not all(isinstance(k, str) for k in key):
            raise ImportDataError(f"data[{r}] key is {_kind(key)}, not {len(keys)} codes")
        if not isinstance(given, list) or len(given) != len(metrics):
            raise ImportDataError(f"data[{r}] values is {_kind(given)}, not {len(metrics)} values")
        for position, code in enumerate(key):
            if code not in codes[position]:
                codes[position].append(code)
        for metric, raw in zip(metrics, given, strict=True):
            cell = (*key, metric["code"])
            if cell in cells:
                raise ImportDataError(f"data[{r}]: the cell {', '.join(cell)} is given twice")
            if raw is None or (isinstance(raw, str) and raw.strip() in MISSING):
                cells[cell] = None
                if isinstance(raw, str) and raw.strip():
                    status[cell] = raw.strip()
                continue
            try:
                cells[cell] = float(str(raw).replace(",", "."))
            except ValueError:
                raise ImportDataError(f"data[{r}] value of {metric['code']} is {_kind(raw)}, not a number")
    dimensions = [
        Dimension(id=c["code"], label=str(c.get("text", c["code"])), codes=tuple(found))
        for c, found in zip(keys, codes, strict=True)
    ]
    dimensions.append(
        Dimension(
            id=contents,
            label="Tiedot",
            codes=tuple(m["code"] for m in metrics),
            labels={m["code"]: str(m.get("text", m["code"])) for m in metrics},
        )
    )
    sizes = [len(d.codes) for d in dimensions]
    values: dict[int, float | None] = {}
    flags: dict[int, str] = {}
    index = [{code: i for i, code in enumerate(d.codes)} for d in dimensions]
    for cell, number in cells.items():
        position = 0
        for size, lookup, code in zip(sizes, index, cell, strict=True):
            position = position * size + lookup[code]
        values[position] = number
        if cell in status:
            flags[position] = status[cell]
    meta = payload.get("metadata")
    first = meta[0] if isinstance(meta, list) and meta and isinstance(meta[0], dict) else {}
    updated = str(first.get("updated", ""))
    updated = re.sub(r"T(\d\d)\.(\d\d)\.(\d\d)", r"T\1:\2:\3", updated)
    roles = {"time": tuple(c["code"] for c in keys if c.get("type") == "t"), "metric": (contents,)}
    return Dataset(
        dimensions=tuple(dimensions),
        values=values,
        status=flags,
        label=str(first.get("label", "")),
        source=str(first.get("source", "")),
        updated=updated,
        roles=roles,
    )
