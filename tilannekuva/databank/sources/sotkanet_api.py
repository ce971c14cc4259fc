"""Sotkanet's REST API 1.1 as Tilannekuva reads it: the client (over the shared OutsideClient) and the parsers of
its `/json` and `/csv` answers, plain functions that name the row and field of every fault."""

import csv
import io
import json
import logging
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from tilannekuva.core.http import OutsideClient
from tilannekuva.databank.models import Gender
from tilannekuva.databank.services import ImportDataError

from .base import FIRST_YEAR, LAST_YEAR

logger = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://sotkanet.fi/rest/1.1"
GENDERS = tuple(Gender.values)
FORMATS = ("json", "csv")
CSV_HEADER = ("indicator", "region", "year", "gender", "primary value", "absolute value")
JSON_REQUIRED = ("indicator", "region", "year", "gender", "value")
JSON_OPTIONAL = ("absValue",)
WHOLE_NUMBER = re.compile(r"\d+")
# Sotkanet writes '.' decimals; older answers used ',' (one decimal mark, no thousands separators).
DECIMAL_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?(?:[eE][-+]?\d+)?")


@dataclass(frozen=True)
class SotkanetRow:
    """One value as Sotkanet gives it. `region` is Sotkanet's internal region id; `where` names the row."""

    indicator: int
    region: int
    year: int
    gender: str
    value: float
    absolute_value: float | None
    where: str


# --- parsers: plain functions that name the row and field of every fault ----------------------------------


def shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _kind(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "true/false", type(None): "null"}
    return names.get(type(value), "a number")


def parse_json_rows(payload: bytes | str) -> list[SotkanetRow]:
    """The rows of a `/json` answer: a list of {indicator, region, year, gender, value, absValue?}."""
    try:
        # NaN and Infinity stay strings here so that they are reported as "not a number" below.
        document = json.loads(payload, parse_constant=str)
    except ValueError as exc:
        raise ImportDataError(f"json: the answer is not valid JSON ({exc})")
    if not isinstance(document, list):
        raise ImportDataError(f"json: the answer is {_kind(document)}, not a list of rows")
    rows: list[SotkanetRow] = []
    errors: list[str] = []
    unknown: set[str] = set()
    for number, item in enumerate(document, start=1):
        row = _json_row(item, where=f"json row {number}", errors=errors, unknown=unknown)
        if row is not None:
            rows.append(row)
    if errors:
        raise ImportDataError(errors)
    _log_unknown(unknown, "json")
    return rows


def _log_unknown(names: set[str], where: str) -> None:
    """Fields Sotkanet added to its answers are no fault: the rows are read without them, and the log says so."""
    if names:
        logger.warning(
            "Sotkanet %s answer has fields Tilannekuva does not read (ignored): %s", where, ", ".join(sorted(names))
        )


def _json_row(item: Any, *, where: str, errors: list[str], unknown: set[str]) -> SotkanetRow | None:
    if not isinstance(item, dict):
        errors.append(f"{where}: {_kind(item)}, not an object")
        return None
    before = len(errors)
    errors.extend(f"{where}: field '{name}' is missing" for name in JSON_REQUIRED if name not in item)
    known = set(JSON_REQUIRED) | set(JSON_OPTIONAL)
    unknown.update(str(name) for name in item if name not in known)

    def whole(name: str) -> int:
        value = item.get(name)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            errors.append(f"{where}, field '{name}': {shown(value)} is not a whole number")
            return 0
        return value

    def number(name: str) -> float | None:
        value = item.get(name)
        if value is None and name in JSON_OPTIONAL:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            errors.append(f"{where}, field '{name}': {shown(value)} is not a number")
            return None
        return float(value)

    if len(errors) > before:
        return None
    indicator, region, year = whole("indicator"), whole("region"), whole("year")
    if len(errors) == before and not FIRST_YEAR <= year <= LAST_YEAR:
        errors.append(f"{where}, field 'year': {year} is not a plausible year")
    gender = item["gender"]
    if gender not in GENDERS:
        errors.append(f"{where}, field 'gender': {shown(gender)} is not one of {', '.join(GENDERS)}")
    value, absolute = number("value"), number("absValue")
    if len(errors) > before or value is None:
        return None
    return SotkanetRow(indicator, region, year, gender, value, absolute, where)


def parse_csv_rows(text: str) -> list[SotkanetRow]:
    """The rows of a `/csv` answer: ';'-separated, header `indicator;region;year;gender;primary value;absolute
    value`; the absolute value may be empty."""
    text = text.removeprefix("\ufeff")
    expected = ";".join(CSV_HEADER)
    if not text.strip():
        raise ImportDataError(f"csv: the answer is empty; expected the header '{expected}'")
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=";", strict=True))
    except csv.Error as exc:
        raise ImportDataError(f"csv: the answer cannot be read as ';'-separated text ({exc})")
    header = [cell.strip() for cell in records[0]]
    if any(name not in header for name in CSV_HEADER) or len(set(header)) != len(header):
        raise ImportDataError(f"csv header: expected '{expected}', got '{';'.join(records[0])[:200]}'")
    positions = [header.index(name) for name in CSV_HEADER]
    _log_unknown({name for name in header if name not in CSV_HEADER}, "csv")
    if not text.endswith(("\n", "\r")):
        # Every complete Sotkanet answer ends with a line break; without one the last row may be cut short.
        raise ImportDataError(f"csv row {len(records)}: the answer ends in the middle of this row (truncated)")
    rows: list[SotkanetRow] = []
    errors: list[str] = []
    for number, cells in enumerate(records[1:], start=2):
        row = _csv_row(cells, where=f"csv row {number}", errors=errors, positions=positions, width=len(header))
        if row is not None:
            rows.append(row)
    if errors:
        raise ImportDataError(errors)
    return rows


def _csv_row(
    cells: list[str], *, where: str, errors: list[str], positions: Sequence[int], width: int
) -> SotkanetRow | None:
    if not cells:
        errors.append(f"{where}: the row is empty")
        return None
    if len(cells) != width:
        errors.append(f"{where}: {len(cells)} columns, expected {width} as in the header ({';'.join(CSV_HEADER)})")
        return None
    before = len(errors)
    values = {name: cells[position].strip() for name, position in zip(CSV_HEADER, positions, strict=True)}

    def whole(name: str) -> int:
        if not WHOLE_NUMBER.fullmatch(values[name]):
            errors.append(f"{where}, column '{name}': {values[name]!r} is not a whole number")
            return 0
        return int(values[name])

    def number(name: str) -> float | None:
        raw = values[name]
        if raw == "" and name == "absolute value":
            return None
        parsed = float(raw.replace(",", ".")) if DECIMAL_NUMBER.fullmatch(raw) else math.nan
        if not math.isfinite(parsed):
            errors.append(f"{where}, column '{name}': {raw!r} is not a number")
            return None
        return parsed

    indicator, region, year = whole("indicator"), whole("region"), whole("year")
    if WHOLE_NUMBER.fullmatch(values["year"]) and not FIRST_YEAR <= year <= LAST_YEAR:
        errors.append(f"{where}, column 'year': {year} is not a plausible year")
    if values["gender"] not in GENDERS:
        errors.append(f"{where}, column 'gender': {values['gender']!r} is not one of {', '.join(GENDERS)}")
    value, absolute = number("primary value"), number("absolute value")
    if len(errors) > before or value is None:
        return None
    return SotkanetRow(indicator, region, year, values["gender"], value, absolute, where)


def parse_rows(payload: bytes, *, fmt: str) -> list[SotkanetRow]:
    """The rows of a raw `/json` or `/csv` answer."""
    return parse_json_rows(payload) if fmt == "json" else parse_csv_rows(_as_text(payload))


def _as_text(payload: bytes) -> str:
    try:
        return payload.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ImportDataError(f"csv: the answer is not UTF-8 text (byte {exc.start})")


# --- the client --------------------------------------------------------------------------------------------


class SotkanetClient:
    """Sotkanet REST API 1.1 over the shared OutsideClient: a User-Agent, timeouts, retries, a cache per run."""

    def __init__(
        self,
        base_url: str = DEFAULT_BASE_URL,
        *,
        timeout: float = 30.0,
        retries: int = 3,
        backoff: float = 1.0,
        transport: httpx.BaseTransport | None = None,
    ):
        self.http = OutsideClient(
            base_url, name="Sotkanet", timeout=timeout, retries=retries, backoff=backoff, transport=transport
        )

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> "SotkanetClient":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def indicators(self) -> list[dict[str, Any]]:
        """The catalogue: every indicator with its titles, producer and classifications."""
        return self._list_of_objects("indicators")

    def indicator(self, indicator_id: int) -> dict[str, Any]:
        """One indicator's metadata: titles, description, unit, decimals, producer, data-updated, range."""
        document = self.http.get_json(f"indicators/{indicator_id}")
        if not isinstance(document, dict):
            raise ImportDataError(f"/indicators/{indicator_id}: the answer is {_kind(document)}, not an object")
        return document

    def regions(self) -> list[dict[str, Any]]:
        """Every region with its internal id, code, category, titles and memberOf links."""
        return self._list_of_objects("regions")

    @staticmethod
    def data_parameters(indicator_id: int, *, years: Sequence[int], genders: Sequence[str]) -> dict[str, Any]:
        # The API takes repeated parameters: years=2010&years=2011&genders=total&genders=male.
        return {"indicator": indicator_id, "years": list(years), "genders": list(genders)}

    def data_url(self, indicator_id: int, *, years: Sequence[int], genders: Sequence[str], fmt: str = "json") -> str:
        return self.http.url(fmt, self.data_parameters(indicator_id, years=years, genders=genders))

    def data_answer(
        self, indicator_id: int, *, years: Sequence[int], genders: Sequence[str], fmt: str = "json"
    ) -> bytes:
        """One request for all the years and genders of one indicator: the raw answer."""
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}")
        return self.http.get(fmt, self.data_parameters(indicator_id, years=years, genders=genders)).content

    def data(
        self, indicator_id: int, *, years: Sequence[int], genders: Sequence[str], fmt: str = "json"
    ) -> list[SotkanetRow]:
        """The rows of one indicator for all the given years and genders."""
        return parse_rows(self.data_answer(indicator_id, years=years, genders=genders, fmt=fmt), fmt=fmt)

    def _list_of_objects(self, path: str) -> list[dict[str, Any]]:
        document = self.http.get_json(path)
        if not isinstance(document, list):
            raise ImportDataError(f"/{path}: the answer is {_kind(document)}, not a list")
        faults = [
            f"/{path} row {n}: {_kind(item)}, not an object"
            for n, item in enumerate(document, 1)
            if not isinstance(item, dict)
        ]
        if faults:
            raise ImportDataError(faults)
        return document
