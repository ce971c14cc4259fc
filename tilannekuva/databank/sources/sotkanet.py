"""Sotkanet (THL) REST API 1.1: indicator metadata, regions and values, imported as one recorded run."""

import argparse
import csv
import io
import json
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TextIO

import httpx
from django.conf import settings
from django.core.management.base import CommandError
from django.db.models import Max, Min
from django.utils import timezone

from tilannekuva.core.http import OutsideClient, SourceError
from tilannekuva.databank import services
from tilannekuva.databank.models import Gender, ImportRun, Indicator, Observation
from tilannekuva.databank.services import Counts, ImportDataError, ObservationRow
from tilannekuva.regions.models import Area, AreaKind
from tilannekuva.regions.selectors import UnknownArea, area_for, members_of

help = "Sotkanet (THL): indicator metadata and values per region, year and gender (REST API 1.1)."

SOURCE_KEY = "sotkanet"
DEFAULT_BASE_URL = "https://sotkanet.fi/rest/1.1"
THL_ORGANIZATION_ID = 2
THL_LICENCE = "CC BY 4.0"
GENDERS = tuple(Gender.values)
FORMATS = ("json", "csv")
CSV_HEADER = ("indicator", "region", "year", "gender", "primary value", "absolute value")
JSON_REQUIRED = ("indicator", "region", "year", "gender", "value")
JSON_OPTIONAL = ("absValue",)
FIRST_YEAR, LAST_YEAR = 1800, 2200
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


def _shown(value: Any) -> str:
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
    for number, item in enumerate(document, start=1):
        row = _json_row(item, where=f"json row {number}", errors=errors)
        if row is not None:
            rows.append(row)
    if errors:
        raise ImportDataError(errors)
    return rows


def _json_row(item: Any, *, where: str, errors: list[str]) -> SotkanetRow | None:
    if not isinstance(item, dict):
        errors.append(f"{where}: {_kind(item)}, not an object")
        return None
    before = len(errors)
    errors.extend(f"{where}: field '{name}' is missing" for name in JSON_REQUIRED if name not in item)
    known = set(JSON_REQUIRED) | set(JSON_OPTIONAL)
    errors.extend(f"{where}: unknown field '{name}'" for name in sorted(item, key=str) if name not in known)

    def whole(name: str) -> int:
        value = item.get(name)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            errors.append(f"{where}, field '{name}': {_shown(value)} is not a whole number")
            return 0
        return value

    def number(name: str) -> float | None:
        value = item.get(name)
        if value is None and name in JSON_OPTIONAL:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            errors.append(f"{where}, field '{name}': {_shown(value)} is not a number")
            return None
        return float(value)

    if len(errors) > before:
        return None
    indicator, region, year = whole("indicator"), whole("region"), whole("year")
    if len(errors) == before and not FIRST_YEAR <= year <= LAST_YEAR:
        errors.append(f"{where}, field 'year': {year} is not a plausible year")
    gender = item["gender"]
    if gender not in GENDERS:
        errors.append(f"{where}, field 'gender': {_shown(gender)} is not one of {', '.join(GENDERS)}")
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
    header = tuple(cell.strip() for cell in records[0])
    if header != CSV_HEADER:
        raise ImportDataError(f"csv header: expected '{expected}', got '{';'.join(records[0])[:200]}'")
    if not text.endswith(("\n", "\r")):
        # Every complete Sotkanet answer ends with a line break; without one the last row may be cut short.
        raise ImportDataError(f"csv row {len(records)}: the answer ends in the middle of this row (truncated)")
    rows: list[SotkanetRow] = []
    errors: list[str] = []
    for number, cells in enumerate(records[1:], start=2):
        row = _csv_row(cells, where=f"csv row {number}", errors=errors)
        if row is not None:
            rows.append(row)
    if errors:
        raise ImportDataError(errors)
    return rows


def _csv_row(cells: list[str], *, where: str, errors: list[str]) -> SotkanetRow | None:
    if not cells:
        errors.append(f"{where}: the row is empty")
        return None
    if len(cells) != len(CSV_HEADER):
        errors.append(f"{where}: {len(cells)} columns, expected {len(CSV_HEADER)} ({';'.join(CSV_HEADER)})")
        return None
    before = len(errors)
    values = dict(zip(CSV_HEADER, (cell.strip() for cell in cells), strict=True))

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


# --- metadata, regions and the import ----------------------------------------------------------------------


def _text(document: dict[str, Any], name: str, language: str) -> str:
    value = document.get(name)
    text = value.get(language) if isinstance(value, dict) else None
    return text.strip() if isinstance(text, str) else ""


def producer_and_licence(organization: Any) -> tuple[str, str]:
    """The producer's Finnish name and the licence: THL's indicators are CC BY 4.0, others' by their terms."""
    organization = organization if isinstance(organization, dict) else {}
    producer = _text(organization, "title", "fi")
    if organization.get("id") == THL_ORGANIZATION_ID:
        return producer, THL_LICENCE
    return producer, f"the producer's own terms ({producer or 'producer not named'}); only THL's are {THL_LICENCE}"


def indicator_fields(metadata: dict[str, Any], *, indicator_id: int) -> dict[str, Any]:
    """The Indicator fields from a `/indicators/{id}` answer. Direction is not in Sotkanet's metadata."""
    where = f"/indicators/{indicator_id}"
    errors = []
    if metadata.get("id") != indicator_id:
        errors.append(f"{where}, field 'id': {_shown(metadata.get('id'))}, expected {indicator_id}")
    title = _text(metadata, "title", "fi")
    if not title:
        errors.append(f"{where}, field 'title.fi': missing or empty")
    producer, licence = producer_and_licence(metadata.get("organization"))
    decimals = metadata.get("decimals")
    if decimals is not None and (isinstance(decimals, bool) or not isinstance(decimals, int) or decimals < 0):
        errors.append(f"{where}, field 'decimals': {_shown(decimals)} is not a whole number")
        decimals = None
    updated = None
    raw_updated = metadata.get("data-updated")
    if raw_updated is not None:
        try:
            updated = date.fromisoformat(str(raw_updated)[:10])
        except ValueError:
            errors.append(f"{where}, field 'data-updated': {_shown(raw_updated)} is not a date")
    span = metadata.get("range")
    first = last = None
    if span is not None:
        if isinstance(span, dict) and all(
            isinstance(span.get(k), int) and not isinstance(span.get(k), bool) for k in ("start", "end")
        ):
            first, last = span["start"], span["end"]
        else:
            errors.append(f"{where}, field 'range': {_shown(span)} is not {{start, end}} years")
    value_type = metadata.get("primaryValueType")
    if errors:
        raise ImportDataError(errors)
    return {
        "title_fi": title[:500],
        "title_sv": _text(metadata, "title", "sv")[:500],
        "title_en": _text(metadata, "title", "en")[:500],
        "description_fi": _text(metadata, "description", "fi"),
        "description_sv": _text(metadata, "description", "sv"),
        "description_en": _text(metadata, "description", "en"),
        "interpretation_fi": _text(metadata, "interpretation", "fi"),
        "unit": _text(value_type, "title", "fi")[:120] if isinstance(value_type, dict) else "",
        "decimals": decimals,
        "organisation": producer[:300],
        "licence": licence[:200],
        "data_updated": updated,
        "first_year": first,
        "last_year": last,
        "metadata": metadata,
    }


def upsert_indicator(indicator_id: int, wanted: dict[str, Any], *, source_key: str = SOURCE_KEY) -> Indicator:
    """Create or update; saved only when something changed. A direction set by hand is kept."""
    source = services.source(source_key)
    indicator = Indicator.objects.filter(source=source, external_id=str(indicator_id)).first()
    if indicator is None:
        return Indicator.objects.create(source=source, external_id=str(indicator_id), **wanted)
    changed = [name for name, value in wanted.items() if getattr(indicator, name) != value]
    if changed:
        for name in changed:
            setattr(indicator, name, wanted[name])
        indicator.save(update_fields=changed)
    return indicator


def already_imported(
    indicator: Indicator | None, fields: dict[str, Any], *, years: Sequence[int], genders: Sequence[str]
) -> bool:
    """True when the source's data-updated date is the one stored and every requested year that the indicator
    covers already has observations: its data request can be skipped."""
    if indicator is None or fields["data_updated"] is None or indicator.data_updated != fields["data_updated"]:
        return False
    first, last = fields["first_year"] or FIRST_YEAR, fields["last_year"] or LAST_YEAR
    wanted = {year for year in years if first <= year <= last}
    have = set(
        Observation.objects.filter(indicator=indicator, year__in=wanted, gender__in=genders).values_list(
            "year", flat=True
        )
    )
    return wanted <= have


def check_answer(
    rows: Iterable[SotkanetRow], *, indicator_id: int, years: Sequence[int], genders: Sequence[str]
) -> None:
    """The answer must be about what was asked: this indicator, these years and genders."""
    errors = []
    for row in rows:
        if row.indicator != indicator_id:
            errors.append(f"{row.where}, field 'indicator': {row.indicator}, but {indicator_id} was asked for")
        if row.year not in years:
            errors.append(f"{row.where}, field 'year': {row.year} was not asked for")
        if row.gender not in genders:
            errors.append(f"{row.where}, field 'gender': '{row.gender}' was not asked for")
    if errors:
        raise ImportDataError(errors)


def region_area(region_id: int, region: dict[str, Any] | None) -> Area:
    """An area for a Sotkanet region that the area store does not hold (a hospital district, a municipality
    merged before the keys we load, ...), so that every row of an answer has a place."""
    if region is None:
        # Sotkanet answered with a region id that its own /regions list does not name.
        names = {
            "fi": f"Sotkanet-alue {region_id}",
            "sv": f"Sotkanet-område {region_id}",
            "en": f"Sotkanet region {region_id}",
        }
        code = f"SOTKANET-{region_id}"
    else:
        names = {lang: _text(region, "title", lang) for lang in ("fi", "sv", "en")}
        names["fi"] = names["fi"] or f"Sotkanet-alue {region_id}"
        code = f"{str(region.get('category', '')).strip()}-{str(region.get('code', '')).strip()}"
    if Area.objects.filter(kind=AreaKind.OTHER, code=code).exists():
        code = f"{code}-{region_id}"
    slug = f"sotkanet-{region_id}"
    if Area.objects.filter(slug=slug).exists():
        raise ImportDataError(f"region {region_id}: the identifier '{slug}' is taken by another area")
    return Area.objects.create(
        kind=AreaKind.OTHER,
        code=code[:40],
        slug=slug,
        name_fi=names["fi"][:200],
        name_sv=names["sv"][:200],
        name_en=names["en"][:200],
        sotkanet_id=region_id,
    )


def areas_by_sotkanet_id(region_ids: Iterable[int] | None = None) -> dict[int, int]:
    """Sotkanet region id -> Area id for the areas that have one (all, or those of `region_ids`)."""
    areas = Area.objects.filter(sotkanet_id__isnull=False)
    if region_ids is not None:
        areas = areas.filter(sotkanet_id__in=region_ids)
    return {region_id: pk for region_id, pk in areas.values_list("sotkanet_id", "pk") if region_id is not None}


def areas_for_regions(region_ids: set[int], *, client: SotkanetClient, report: list[str]) -> dict[int, int]:
    """Sotkanet region id -> Area id, creating areas for the regions the store does not hold (asking /regions
    once)."""
    found = areas_by_sotkanet_id(region_ids)
    missing = sorted(region_ids - found.keys())
    if not missing:
        return found
    listed: dict[int, dict[str, Any]] = {}
    for number, region in enumerate(client.regions(), start=1):
        region_id = region.get("id")
        if isinstance(region_id, bool) or not isinstance(region_id, int):
            raise ImportDataError(f"/regions row {number}, field 'id': {_shown(region_id)} is not a whole number")
        listed[region_id] = region
    unlisted = []
    for region_id in missing:
        found[region_id] = region_area(region_id, listed.get(region_id)).pk
        if region_id not in listed:
            unlisted.append(str(region_id))
    report.append(f"{len(missing)} Sotkanet regions were not in the area store and were added as other areas.")
    if unlisted:
        report.append(
            f"{len(unlisted)} of them are not in Sotkanet's own region list and are named by their id: "
            f"{', '.join(unlisted)}."
        )
    return found


def allowed_areas(identifiers: Sequence[str], *, years: Sequence[int]) -> dict[int, set[int]]:
    """Year -> the Area ids that a --regions filter lets through: each area itself, its municipalities in
    that year, and the whole country."""
    try:
        areas = [area_for(identifier) for identifier in identifiers]
    except UnknownArea as exc:
        raise CommandError(str(exc))
    country = set(Area.objects.filter(kind=AreaKind.COUNTRY).values_list("pk", flat=True))
    allowed = {}
    for year in years:
        ids = {area.pk for area in areas} | country
        for area in areas:
            ids.update(members_of(area, year=year).values_list("pk", flat=True))
        allowed[year] = ids
    return allowed


def bundle(answers: list[tuple[str, bytes]]) -> bytes:
    """The raw answers of a run as kept on it: one answer as it came; several each after a `GET <url>` line."""
    if len(answers) == 1:
        return answers[0][1]
    return b"".join(b"GET " + url.encode() + b"\n" + payload + b"\n" for url, payload in answers)


def record_year_span(indicator: Indicator) -> None:
    """For indicators whose metadata has no range: the years the data bank holds."""
    span = Observation.objects.filter(indicator=indicator).aggregate(first=Min("year"), last=Max("year"))
    if (indicator.first_year, indicator.last_year) != (span["first"], span["last"]):
        indicator.first_year, indicator.last_year = span["first"], span["last"]
        indicator.save(update_fields=["first_year", "last_year"])


def import_indicators(
    *,
    client: SotkanetClient,
    run: ImportRun,
    indicator_ids: Sequence[int],
    years: Sequence[int],
    genders: Sequence[str],
    fmt: str = "json",
    force: bool = False,
    allowed: dict[int, set[int]] | None = None,
    report: list[str],
) -> Counts | None:
    """The work of one run (inside its transaction): None when every indicator was skipped as unchanged."""
    if not Area.objects.filter(kind=AreaKind.COUNTRY).exists():
        raise ImportDataError("the area store is empty: run `tilannekuva regions load` first")
    answers: list[tuple[str, bytes]] = []
    fetched: list[tuple[Indicator, list[SotkanetRow], bool]] = []
    try:
        for indicator_id in indicator_ids:
            fields = indicator_fields(client.indicator(indicator_id), indicator_id=indicator_id)
            existing = Indicator.objects.filter(source__key=SOURCE_KEY, external_id=str(indicator_id)).first()
            if not force and already_imported(existing, fields, years=years, genders=genders):
                upsert_indicator(indicator_id, fields)
                report.append(
                    f"Sotkanet {indicator_id} ({fields['title_fi']}): data updated {fields['data_updated']}, "
                    "already imported: skipped (--force fetches it again)."
                )
                continue
            url = client.data_url(indicator_id, years=years, genders=genders, fmt=fmt)
            payload = client.data_answer(indicator_id, years=years, genders=genders, fmt=fmt)
            answers.append((url, payload))
            try:
                rows = parse_rows(payload, fmt=fmt)
                check_answer(rows, indicator_id=indicator_id, years=years, genders=genders)
            except ImportDataError as exc:
                raise ImportDataError([f"indicator {indicator_id} ({url}): {error}" for error in exc.errors])
            fields["vintage"] = f"Sotkanet, haettu {timezone.localdate().isoformat()}"
            fetched.append((upsert_indicator(indicator_id, fields), rows, fields["first_year"] is None))
    except (SourceError, ImportDataError):
        # What came is kept even when it was malformed: the failed run then shows what the source answered.
        if answers:
            services.keep_payload(run, bundle(answers))
        raise
    if answers:
        services.keep_payload(run, bundle(answers))
    if not fetched:
        return None

    if allowed is None:
        region_ids = {row.region for _, rows, _ in fetched for row in rows}
        area_of = areas_for_regions(region_ids, client=client, report=report)
    else:
        area_of = areas_by_sotkanet_id()
    observations: list[ObservationRow] = []
    places: dict[tuple, list[str]] = defaultdict(list)
    for indicator, rows, _ in fetched:
        kept = 0
        for row in rows:
            area_id = area_of.get(row.region)
            if allowed is not None and area_id not in allowed[row.year]:
                continue
            if area_id is None:
                raise ImportDataError(
                    f"indicator {indicator.external_id}, {row.where}: region {row.region} has no area"
                )
            observation = ObservationRow(indicator.pk, area_id, row.year, row.gender, "", row.value, row.absolute_value)
            observations.append(observation)
            places[observation[:5]].append(f"indicator {indicator.external_id}, {row.where}")
            kept += 1
        years_seen = sorted({row.year for row in rows})
        span = f"{years_seen[0]}–{years_seen[-1]}" if years_seen else "no years"
        outside = f" ({len(rows) - kept} outside --regions left out)" if allowed is not None else ""
        report.append(f"Sotkanet {indicator.external_id} ({indicator.title_fi}): {kept} values, {span}{outside}.")

    def describe(row: ObservationRow) -> str:
        return " and ".join(places[row[:5]])

    counts = services.write_observations(services.check_unique(observations, describe=describe), run=run)
    for indicator, _, without_range in fetched:
        if without_range:
            record_year_span(indicator)
    return counts


# --- the command: `tilannekuva import sotkanet ...` --------------------------------------------------------


def year_list(text: str) -> list[int]:
    """`2010-2024`, `2010,2012` or `2024`."""
    years: set[int] = set()
    for part in text.split(","):
        start, dash, end = part.strip().partition("-")
        try:
            first, last = int(start), int(end if dash else start)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{part.strip()}' is not a year or a span such as 2010-2024")
        if not FIRST_YEAR <= first <= last <= LAST_YEAR:
            raise argparse.ArgumentTypeError(f"'{part.strip()}' is not a span of years from earlier to later")
        years.update(range(first, last + 1))
    return sorted(years)


def id_list(text: str) -> list[int]:
    parts = [part.strip() for part in text.split(",") if part.strip()]
    if not parts or not all(WHOLE_NUMBER.fullmatch(part) for part in parts):
        raise argparse.ArgumentTypeError(f"'{text}' is not a list of indicator ids such as 127,3037")
    return list(dict.fromkeys(int(part) for part in parts))


def gender_list(text: str) -> list[str]:
    genders = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [g for g in genders if g not in GENDERS]
    if not genders or unknown:
        raise argparse.ArgumentTypeError(f"'{text}': genders are {', '.join(GENDERS)}")
    return list(dict.fromkeys(genders))


def name_list(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--indicators", required=True, type=id_list, help="Sotkanet indicator ids, e.g. 127,3037")
    parser.add_argument("--years", required=True, type=year_list, help="years, e.g. 2010-2024 or 2015,2020")
    parser.add_argument(
        "--genders", type=gender_list, default=["total"], help="total, male and/or female (default: total)"
    )
    parser.add_argument(
        "--regions",
        type=name_list,
        default=[],
        help="keep only the rows of these regions or areas (e.g. etela-savo or maakunta:10), their "
        "municipalities and the whole country (default: every region in the answer)",
    )
    parser.add_argument(
        "--format", dest="fmt", choices=FORMATS, default="json", help="ask for the data as json (default) or csv"
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="fetch the data even when Sotkanet's data-updated date has not changed since the last import "
        "(e.g. after a run limited with --regions)",
    )
    default_url = getattr(settings, "SOTKANET_BASE_URL", DEFAULT_BASE_URL)
    parser.add_argument("--base-url", default=default_url, help=f"Sotkanet REST address (default {default_url})")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for an answer (default 30)")
    parser.add_argument(
        "--backoff", type=float, default=1.0, help="seconds before the first retry, doubled after each (default 1)"
    )


def run(options: dict[str, Any], stdout: TextIO) -> ImportRun:
    indicator_ids: list[int] = options["indicators"]
    years: list[int] = options["years"]
    genders: list[str] = options.get("genders") or ["total"]
    regions: list[str] = options.get("regions") or []
    fmt: str = options.get("fmt") or "json"
    force = bool(options.get("force"))
    base_url = options.get("base_url") or DEFAULT_BASE_URL
    allowed = allowed_areas(regions, years=years) if regions else None
    parameters = {
        "indicators": indicator_ids,
        "years": years,
        "genders": genders,
        "regions": regions,
        "format": fmt,
        "force": force,
        "base_url": base_url,
    }
    report: list[str] = []
    with SotkanetClient(
        base_url, timeout=options.get("timeout") or 30.0, backoff=options.get("backoff", 1.0)
    ) as client:
        urls = [client.data_url(i, years=years, genders=genders, fmt=fmt) for i in indicator_ids]

        def work(import_run: ImportRun) -> Counts | None:
            return import_indicators(
                client=client,
                run=import_run,
                indicator_ids=indicator_ids,
                years=years,
                genders=genders,
                fmt=fmt,
                force=force,
                allowed=allowed,
                report=report,
            )

        import_run = services.run_import(source_key=SOURCE_KEY, url="\n".join(urls), parameters=parameters, work=work)
    for line in report:
        stdout.write(line)
    return import_run


# --- recorded metadata: `/indicators/{id}` answers kept as files (the demo's bundled 2025 metadata) -------------


def read_recorded_metadata(paths: Iterable[Path]) -> dict[int, dict[str, Any]]:
    """`/indicators/{id}` answers from files: one answer, a list of answers, or a collector's `indicators` dict."""
    answers: dict[int, dict[str, Any]] = {}
    for path in sorted(paths):
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ImportDataError(f"{path.name}: not a readable JSON file ({exc})")
        if isinstance(document, dict) and isinstance(document.get("indicators"), dict):
            items = list(document["indicators"].values())
        elif isinstance(document, list):
            items = document
        else:
            items = [document]
        for number, item in enumerate(items):
            if not isinstance(item, dict) or not isinstance(item.get("id"), int):
                raise ImportDataError(
                    f"{path.name}, answer {number + 1}: not an indicator answer with a whole-number 'id'"
                )
            answers[item["id"]] = item
    return answers


def import_recorded_metadata(*, directory: Path, vintage: str, stdout: TextIO) -> ImportRun:
    """Create or update Sotkanet indicators from recorded metadata answers, as one run; no values are written."""
    paths = list(directory.glob("*.json"))

    def work(import_run: ImportRun) -> Counts:
        for path in sorted(paths):
            services.keep_payload(import_run, path.read_bytes())
        answers = read_recorded_metadata(paths)
        if not answers:
            raise ImportDataError(f"{directory}: no recorded indicator answers (*.json)")
        for indicator_id, answer in sorted(answers.items()):
            fields = indicator_fields(answer, indicator_id=indicator_id)
            existing = Indicator.objects.filter(source__key=SOURCE_KEY, external_id=str(indicator_id)).first()
            if existing is None or not existing.observations.exists():
                fields["vintage"] = vintage
            else:  # values imported from the API since: their vintage stays
                fields.pop("vintage", None)
            upsert_indicator(indicator_id, fields)
        stdout.write(f"Sotkanet metadata of {len(answers)} indicators from {directory.name}: {vintage}.")
        return Counts()

    return services.run_import(
        source_key=SOURCE_KEY, url=directory.resolve().as_uri(), parameters={"metadata": str(directory)}, work=work
    )
