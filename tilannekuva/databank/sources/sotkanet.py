"""Sotkanet (THL) REST API 1.1: indicator metadata, regions and values, imported as one recorded run.

`tilannekuva import sotkanet --indicators 127,3037 --years 2010-2024` asks for each indicator's metadata, skips an
indicator whose data-updated date has not changed since the last import, and asks for the values of the others
(one request per indicator). The client and the answers' parsers are in `sotkanet_api.py`."""

import argparse
import dataclasses
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from django.conf import settings
from django.core.management.base import CommandError
from django.utils import timezone

from tilannekuva.databank import services
from tilannekuva.databank.models import ImportRun, Indicator, Observation
from tilannekuva.databank.services import Counts, ImportDataError, ObservationRow
from tilannekuva.regions.models import Area, AreaKind
from tilannekuva.regions.selectors import UnknownArea, area_for, members_of

from .base import FIRST_YEAR, LAST_YEAR, Context, ImportSource, Parsed, comma_list, save_indicator, year_span
from .sotkanet_api import (
    DEFAULT_BASE_URL,
    FORMATS,
    GENDERS,
    WHOLE_NUMBER,
    SotkanetClient,
    SotkanetRow,
    parse_rows,
    shown,
)

SOURCE_KEY = "sotkanet"
THL_ORGANIZATION_ID = 2
THL_LICENCE = "CC BY 4.0"


@dataclass(frozen=True)
class SotkanetOptions:
    """`tilannekuva import sotkanet ...`, parsed. `allowed` is what --regions lets through, per year."""

    indicators: list[int]
    years: list[int]
    genders: list[str] = field(default_factory=lambda: ["total"])
    regions: list[str] = field(default_factory=list)
    fmt: str = "json"
    force: bool = False
    base_url: str = DEFAULT_BASE_URL
    timeout: float = 30.0
    backoff: float = 1.0
    allowed: dict[int, set[int]] | None = None


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
        errors.append(f"{where}, field 'id': {shown(metadata.get('id'))}, expected {indicator_id}")
    title = _text(metadata, "title", "fi")
    if not title:
        errors.append(f"{where}, field 'title.fi': missing or empty")
    producer, licence = producer_and_licence(metadata.get("organization"))
    decimals = metadata.get("decimals")
    if decimals is not None and (isinstance(decimals, bool) or not isinstance(decimals, int) or decimals < 0):
        errors.append(f"{where}, field 'decimals': {shown(decimals)} is not a whole number")
        decimals = None
    updated = None
    raw_updated = metadata.get("data-updated")
    if raw_updated is not None:
        try:
            updated = date.fromisoformat(str(raw_updated)[:10])
        except ValueError:
            errors.append(f"{where}, field 'data-updated': {shown(raw_updated)} is not a date")
    span = metadata.get("range")
    first = last = None
    if span is not None:
        if isinstance(span, dict) and all(
            isinstance(span.get(k), int) and not isinstance(span.get(k), bool) for k in ("start", "end")
        ):
            first, last = span["start"], span["end"]
        else:
            errors.append(f"{where}, field 'range': {shown(span)} is not {{start, end}} years")
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
    return save_indicator(services.source(source_key), str(indicator_id), wanted)


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
            raise ImportDataError(f"/regions row {number}, field 'id': {shown(region_id)} is not a whole number")
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


# --- the import: `tilannekuva import sotkanet ...` -----------------------------------------------------------


@dataclass
class Fetched:
    """Each indicator fetched: its indicator, its rows, and whether its year span comes from the data bank."""

    indicators: list[tuple[Indicator, list[SotkanetRow], bool]]


def id_list(text: str) -> list[int]:
    parts = comma_list(text)
    if not parts or not all(WHOLE_NUMBER.fullmatch(part) for part in parts):
        raise argparse.ArgumentTypeError(f"'{text}' is not a list of indicator ids such as 127,3037")
    return list(dict.fromkeys(int(part) for part in parts))


def gender_list(text: str) -> list[str]:
    genders = comma_list(text)
    unknown = [g for g in genders if g not in GENDERS]
    if not genders or unknown:
        raise argparse.ArgumentTypeError(f"'{text}': genders are {', '.join(GENDERS)}")
    return list(dict.fromkeys(genders))


class SotkanetSource(ImportSource[SotkanetOptions]):
    name = "sotkanet"
    help = "Sotkanet (THL): indicator metadata and values per region, year and gender (REST API 1.1)."
    source_key = SOURCE_KEY
    options_type = SotkanetOptions

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--indicators", required=True, type=id_list, help="Sotkanet indicator ids, e.g. 127,3037")
        parser.add_argument("--years", required=True, type=year_span, help="years, e.g. 2010-2024 or 2015,2020")
        parser.add_argument(
            "--genders", type=gender_list, default=["total"], help="total, male and/or female (default: total)"
        )
        parser.add_argument(
            "--regions",
            type=comma_list,
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

    def options(self, values: Any) -> SotkanetOptions:
        options = super().options(values)
        if not options.regions:
            return options
        return dataclasses.replace(options, allowed=allowed_areas(options.regions, years=options.years))

    def parameters(self, options: SotkanetOptions) -> dict[str, Any]:
        return {
            "indicators": options.indicators,
            "years": options.years,
            "genders": options.genders,
            "regions": options.regions,
            "format": options.fmt,
            "force": options.force,
            "base_url": options.base_url,
        }

    def connect(self, options: SotkanetOptions) -> SotkanetClient:
        return SotkanetClient(options.base_url, timeout=options.timeout, backoff=options.backoff)

    def address(self, options: SotkanetOptions, client: SotkanetClient) -> str:
        return "\n".join(
            client.data_url(i, years=options.years, genders=options.genders, fmt=options.fmt)
            for i in options.indicators
        )

    def fetch(self, context: Context[SotkanetOptions]) -> Fetched | None:
        """Each indicator's metadata, then the values of those that changed (all with --force); None when every
        indicator was skipped as unchanged. What came is kept on the run, even when it was malformed."""
        options, client = context.options, context.client
        if not Area.objects.filter(kind=AreaKind.COUNTRY).exists():
            raise ImportDataError("the area store is empty: run `tilannekuva regions load` first")
        answers: list[tuple[str, bytes]] = []
        fetched: list[tuple[Indicator, list[SotkanetRow], bool]] = []
        years, genders, fmt = options.years, options.genders, options.fmt
        try:
            for indicator_id in options.indicators:
                fields = indicator_fields(client.indicator(indicator_id), indicator_id=indicator_id)
                existing = Indicator.objects.filter(source__key=SOURCE_KEY, external_id=str(indicator_id)).first()
                if not options.force and already_imported(existing, fields, years=years, genders=genders):
                    upsert_indicator(indicator_id, fields)
                    context.say(
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
        finally:
            if answers:
                context.keep(bundle(answers))
        return Fetched(fetched) if fetched else None

    def parse(self, fetched: Fetched, context: Context[SotkanetOptions]) -> Parsed:
        """The rows placed on their areas (areas Sotkanet has and the store lacks are added); with --regions, only
        the rows of the allowed areas."""
        allowed = context.options.allowed
        if allowed is None:
            region_ids = {row.region for _, rows, _ in fetched.indicators for row in rows}
            area_of = areas_for_regions(region_ids, client=context.client, report=context.report)
        else:
            area_of = areas_by_sotkanet_id()
        observations: list[ObservationRow] = []
        places: dict[tuple, list[str]] = defaultdict(list)
        for indicator, rows, _ in fetched.indicators:
            kept = 0
            for row in rows:
                area_id = area_of.get(row.region)
                if allowed is not None and area_id not in allowed[row.year]:
                    continue
                if area_id is None:
                    raise ImportDataError(
                        f"indicator {indicator.external_id}, {row.where}: region {row.region} has no area"
                    )
                observation = ObservationRow(
                    indicator.pk, area_id, row.year, row.gender, "", row.value, row.absolute_value
                )
                observations.append(observation)
                places[observation[:5]].append(f"indicator {indicator.external_id}, {row.where}")
                kept += 1
            years_seen = sorted({row.year for row in rows})
            span = f"{years_seen[0]}–{years_seen[-1]}" if years_seen else "no years"
            outside = f" ({len(rows) - kept} outside --regions left out)" if allowed is not None else ""
            context.say(f"Sotkanet {indicator.external_id} ({indicator.title_fi}): {kept} values, {span}{outside}.")

        def describe(row: ObservationRow) -> str:
            return " and ".join(places[row[:5]])

        spans = [indicator for indicator, _, without_range in fetched.indicators if without_range]
        return Parsed(rows=observations, describe=describe, spans=spans)


SOURCE = SotkanetSource()


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
