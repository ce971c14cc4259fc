"""The versioned parameter files of data/funding/: the HYTE indicator lists per year and level as the statutes
set them (data/finlex/), and the vitality index's dimensions. Nothing of the method is in Python: the files say
what counts, each item citing its statute section, with `verified: false` and the reason on every inference or
unknown."""

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings

DIRECTIONS = ("higher_is_better", "lower_is_better")
PARTS = ("process", "outcome")
LEVELS = ("municipality", "county")
FORMULAS = ("base_price_x_residents_x_coefficient", "base_price_x_residents")
NORMALISATIONS = ("population_weighted_national_mean", "national_mean")
CHANGES = ("percent", "difference")
MERGE_RULES = ("sum", "population_weighted_mean")
REFERENCES = ("national", "maakunta")
PROCESS_POINTS = (0.0, 100.0)  # VNA 1393/2022 liite 1: every process indicator gives 0 or 100 points
SOTKANET_NOT_VERIFIED = "Sotkanet id not verified"


class ParameterError(ValueError):
    """A parameter file is malformed; the message names the file and the field."""


def directory() -> Path:
    return Path(settings.DATA_DIR) / "funding"


@dataclass(frozen=True)
class Indicator:
    id: str
    name: str
    part: str
    weight: float
    cite: str
    verified: bool
    source: str = ""
    scoring: str = ""
    unit: str = ""
    low: float = 0.0
    high: float = 100.0
    direction: str = "higher_is_better"
    direction_verified: bool = True
    direction_note: str = ""
    target: float | None = None
    target_note: str = ""
    sotkanet_id: str | None = None
    sotkanet_verified: bool = False
    sotkanet_note: str = ""
    scoring_verified: bool = True
    note: str = ""

    @property
    def binary(self) -> bool:
        """A process item scored 0 or 100 by the annex's answer rules."""
        return self.part == "process" and self.scoring_verified and bool(self.scoring)

    def unverified(self) -> list[str]:
        reasons = []
        if not self.verified:
            reasons.append(self.note or "not in the cited text")
        if self.part == "outcome" and not self.direction_verified:
            reasons.append(f"direction inferred: {self.direction_note}")
        if self.part == "outcome" and self.target is None and self.target_note:
            reasons.append(f"no target value: {self.target_note}")
        if self.part == "process" and not self.scoring_verified:
            reasons.append("scoring not stated in the decree")
        if self.sotkanet_note == SOTKANET_NOT_VERIFIED:
            reasons.append(SOTKANET_NOT_VERIFIED)
        return reasons


@dataclass(frozen=True)
class MethodItem:
    """One rule of the method (base price, residents, coefficient, scaling, missing data) and its statute."""

    cite: str
    verified: bool
    note: str = ""


@dataclass(frozen=True)
class HyteParameters:
    """One year's HYTE method for one level (municipalities or wellbeing services counties)."""

    year: int
    level: str
    title: str
    indicators: tuple[Indicator, ...]
    base_price: Decimal | None
    formula: str
    residents_year_offset: int
    normalisation: str = "population_weighted_national_mean"
    method: dict[str, MethodItem] = field(default_factory=dict)
    statutes: tuple[dict[str, str], ...] = ()
    file_name: str = ""

    def indicator(self, indicator_id: str) -> Indicator | None:
        return next((i for i in self.indicators if i.id == indicator_id), None)

    def part(self, part: str) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if i.part == part)

    @property
    def uses_coefficient(self) -> bool:
        return self.formula == "base_price_x_residents_x_coefficient"

    @property
    def unverified(self) -> list[tuple[str, str]]:
        """(item, reason) for everything the file marks unverified: method rules first, then indicators."""
        found = [(key, item.note or "unverified") for key, item in self.method.items() if not item.verified]
        for indicator in self.indicators:
            found += [(indicator.id, reason) for reason in indicator.unverified()]
        return found


def _need(data: dict[str, Any], key: str, where: str) -> Any:
    if key not in data:
        raise ParameterError(f"{where}: the field '{key}' is missing")
    return data[key]


def _choice(value: Any, choices: tuple[str, ...], where: str) -> str:
    if value not in choices:
        raise ParameterError(f"{where}: '{value}' is not one of {', '.join(choices)}")
    return str(value)


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ParameterError(f"{where}: '{value}' is not a number")
    return float(value)


def _mapping(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ParameterError(f"{where}: not a mapping")
    return value


def _indicator(item: Any, where: str) -> Indicator:
    item = _mapping(item, where)
    part = _choice(_need(item, "part", where), PARTS, f"{where}, part")
    low, high = 0.0, 100.0
    if item.get("range") is not None:
        bounds = item["range"]
        if not isinstance(bounds, list) or len(bounds) != 2:
            raise ParameterError(f"{where}, range: give [lowest, highest]")
        low, high = _number(bounds[0], f"{where}, range"), _number(bounds[1], f"{where}, range")
        if low >= high:
            raise ParameterError(f"{where}, range: the lowest value must be below the highest")
    sotkanet = item.get("sotkanet") or {}
    target = item.get("target")
    sotkanet_id = sotkanet.get("id")
    return Indicator(
        id=str(_need(item, "id", where)),
        name=str(_need(item, "name", where)),
        part=part,
        weight=_number(_need(item, "weight", where), f"{where}, weight"),
        cite=str(_need(item, "cite", where)),
        verified=bool(_need(item, "verified", where)),
        source=str(item.get("source", "")),
        scoring=str(item.get("scoring", "")),
        unit=str(item.get("unit", "")),
        low=low,
        high=high,
        direction=_choice(item.get("direction", "higher_is_better"), DIRECTIONS, f"{where}, direction"),
        direction_verified=bool(item.get("direction_verified", part == "process")),
        direction_note=str(item.get("direction_note", "")),
        target=None if target is None else _number(target, f"{where}, target"),
        target_note=str(item.get("target_note", "")),
        sotkanet_id=None if sotkanet_id is None else str(sotkanet_id),
        sotkanet_verified=bool(sotkanet.get("verified", False)),
        sotkanet_note=str(sotkanet.get("note", "")),
        scoring_verified=bool(item.get("scoring_verified", True)),
        note=str(item.get("note", "")),
    )


def _method_item(data: dict[str, Any], key: str, where: str) -> MethodItem | None:
    raw = data.get(key)
    if raw is None:
        return None
    raw = _mapping(raw, f"{where}, {key}")
    return MethodItem(
        cite=str(raw.get("cite", "")), verified=bool(raw.get("verified", False)), note=str(raw.get("note", ""))
    )


def parse_hyte(data: Any, *, name: str) -> HyteParameters:
    """A HYTE parameter file's content, checked field by field."""
    data = _mapping(data, f"{name}: the file")
    year = int(_number(_need(data, "year", name), f"{name}, year"))
    level = _choice(_need(data, "level", name), LEVELS, f"{name}, level")
    indicators = []
    seen: set[str] = set()
    for number, item in enumerate(_need(data, "indicators", name) or [], start=1):
        indicator = _indicator(item, f"{name}, indicator {number}")
        if indicator.id in seen:
            raise ParameterError(f"{name}, indicator {number}: the id '{indicator.id}' is given twice")
        if indicator.sotkanet_id is not None and not indicator.sotkanet_verified:
            raise ParameterError(f"{name}, indicator {number}: a Sotkanet id must be verified, or left out")
        seen.add(indicator.id)
        indicators.append(indicator)
    price = _mapping(_need(data, "base_price", name), f"{name}, base_price")
    raw_price = price.get("eur_per_resident")
    formula = _mapping(_need(data, "formula", name), f"{name}, formula")
    rule = _choice(formula.get("rule"), FORMULAS, f"{name}, formula.rule")
    if rule == FORMULAS[0] and not indicators:
        raise ParameterError(f"{name}, indicators: a coefficient needs indicators")
    residents = _mapping(_need(data, "residents", name), f"{name}, residents")
    coefficient = _mapping(data.get("coefficient") or {}, f"{name}, coefficient")
    method = {
        key: found
        for key in (
            "base_price",
            "formula",
            "residents",
            "coefficient",
            "outcome_scaling",
            "process_scoring",
            "missing",
        )
        if (found := _method_item(data, key, name)) is not None
    }
    return HyteParameters(
        year=year,
        level=level,
        title=str(data.get("title", "")),
        indicators=tuple(indicators),
        base_price=None if raw_price is None else Decimal(str(_number(raw_price, f"{name}, base_price"))),
        formula=rule,
        residents_year_offset=int(_number(residents.get("year_offset", -2), f"{name}, residents.year_offset")),
        normalisation=_choice(
            coefficient.get("normalisation", NORMALISATIONS[0]), NORMALISATIONS, f"{name}, coefficient.normalisation"
        ),
        method=method,
        statutes=tuple({str(k): str(v) for k, v in s.items()} for s in data.get("statutes") or []),
        file_name=name,
    )


def _read(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ParameterError(f"{path.name}: not valid YAML: {exc}") from exc


@cache
def _all_hyte(folder: str) -> dict[tuple[str, int], HyteParameters]:
    found: dict[tuple[str, int], HyteParameters] = {}
    for path in sorted(Path(folder).glob("hyte-*.yaml")):
        parameters = parse_hyte(_read(path), name=path.name)
        key = (parameters.level, parameters.year)
        if key in found:
            raise ParameterError(f"{path.name}: {parameters.level} {parameters.year} is also in {found[key].file_name}")
        found[key] = parameters
    return found


def all_hyte() -> dict[tuple[str, int], HyteParameters]:
    return _all_hyte(str(directory()))


def hyte(*, level: str, year: int) -> HyteParameters | None:
    """The parameters of `level` in `year`, or None where no file covers that year."""
    return all_hyte().get((level, year))


def hyte_years(level: str) -> list[int]:
    return sorted(year for lvl, year in all_hyte() if lvl == level)


# --- Vitality index ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dimension:
    key: str
    name: str
    measure: str
    direction: str
    change: str
    merge: str
    inputs: tuple[tuple[str, str], ...]  # (data-bank source key, indicator id), first with values wins
    verified: bool
    note: str = ""


@dataclass(frozen=True)
class DimensionSet:
    key: str
    name: str
    dimensions: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True)
class Merge:
    from_code: str
    into_code: str
    year: int
    note: str = ""


@dataclass(frozen=True)
class VitalityParameters:
    dimensions: dict[str, Dimension]
    sets: dict[str, DimensionSet]
    default_reference: str
    default_set: str
    min_reference_share: float
    min_dimensions: int | None
    merges: tuple[Merge, ...]
    method_note: str
    sources: tuple[dict[str, str], ...] = ()


def parse_vitality(data: Any, *, name: str) -> VitalityParameters:
    if not isinstance(data, dict):
        raise ParameterError(f"{name}: the file is not a mapping of fields")
    dimensions = {}
    for key, item in (_need(data, "dimensions", name) or {}).items():
        where = f"{name}, dimensions.{key}"
        inputs = tuple((str(_need(i, "source", where)), str(_need(i, "indicator", where))) for i in item["inputs"])
        if not inputs:
            raise ParameterError(f"{where}: at least one input is needed")
        dimensions[key] = Dimension(
            key=key,
            name=str(_need(item, "name", where)),
            measure=str(item.get("measure", "")),
            direction=_choice(_need(item, "direction", where), DIRECTIONS, f"{where}.direction"),
            change=_choice(_need(item, "change", where), CHANGES, f"{where}.change"),
            merge=_choice(_need(item, "merge", where), MERGE_RULES, f"{where}.merge"),
            inputs=inputs,
            verified=bool(_need(item, "verified", where)),
            note=str(item.get("note", "")),
        )
    sets = {}
    for key, item in (_need(data, "dimension_sets", name) or {}).items():
        where = f"{name}, dimension_sets.{key}"
        unknown = [d for d in _need(item, "dimensions", where) if d not in dimensions]
        if unknown:
            raise ParameterError(f"{where}: no dimension '{unknown[0]}'")
        sets[key] = DimensionSet(
            key=key,
            name=str(item.get("name", key)),
            dimensions=tuple(item["dimensions"]),
            note=str(item.get("note", "")),
        )
    default_set = str(_need(data, "default_dimension_set", name))
    if default_set not in sets:
        raise ParameterError(f"{name}, default_dimension_set: no set '{default_set}'")
    min_dimensions = data.get("min_dimensions")
    return VitalityParameters(
        dimensions=dimensions,
        sets=sets,
        default_reference=_choice(_need(data, "default_reference", name), REFERENCES, f"{name}, default_reference"),
        default_set=default_set,
        min_reference_share=_number(data.get("min_reference_share", 0.9), f"{name}, min_reference_share"),
        min_dimensions=None if min_dimensions is None else int(_number(min_dimensions, f"{name}, min_dimensions")),
        merges=tuple(
            Merge(from_code=str(m["from"]), into_code=str(m["into"]), year=int(m["year"]), note=str(m.get("note", "")))
            for m in data.get("merges") or []
        ),
        method_note=str((data.get("method") or {}).get("note", "")),
        sources=tuple({str(k): str(v) for k, v in s.items()} for s in data.get("sources") or []),
    )


@cache
def _vitality(folder: str) -> VitalityParameters:
    path = Path(folder) / "vitality.yaml"
    return parse_vitality(_read(path), name=path.name)


def vitality() -> VitalityParameters:
    return _vitality(str(directory()))
