"""The versioned parameter files of data/funding/: HYTE indicator lists per year and level, and the vitality
index's dimensions. Nothing of the method is in Python: the files say what counts, with their sources and
with `verified: false` on every inference or unknown."""

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings

DIRECTIONS = ("higher_is_better", "lower_is_better")
PARTS = ("process", "outcome")
SCALING_METHODS = ("min_max", "percentile")
MISSING_RULES = ("exclude", "zero")
EURO_FORMULAS = ("fixed_pot", "per_resident")
LEVELS = ("municipality", "county")
CHANGES = ("percent", "difference")
MERGE_RULES = ("sum", "population_weighted_mean")
REFERENCES = ("national", "maakunta")


class ParameterError(ValueError):
    """A parameter file is malformed; the message names the file and the field."""


def directory() -> Path:
    return Path(settings.DATA_DIR) / "funding"


@dataclass(frozen=True)
class Indicator:
    id: str
    name: str
    part: str
    source: str
    direction: str
    weight: float
    verified: bool
    note: str = ""
    target: float | None = None


@dataclass(frozen=True)
class Scaling:
    method: str = "min_max"
    missing: str = "exclude"
    equal_points: float = 100.0
    verified: bool = False
    note: str = ""


@dataclass(frozen=True)
class HyteParameters:
    """One year's HYTE method for one level (municipalities or wellbeing services counties)."""

    year: int
    level: str
    title: str
    indicators: tuple[Indicator, ...]
    part_weights: dict[str, float]
    scaling: Scaling
    pot_eur: Decimal | None
    euro_formula: str
    residents_year_offset: int
    sources: tuple[dict[str, str], ...] = ()
    notes: dict[str, str] = field(default_factory=dict)
    verified: dict[str, bool] = field(default_factory=dict)
    file_name: str = ""

    def indicator(self, indicator_id: str) -> Indicator | None:
        return next((i for i in self.indicators if i.id == indicator_id), None)

    @property
    def unverified(self) -> list[str]:
        """What the file marks unverified: method items and indicators, for the method page."""
        return [key for key, ok in self.verified.items() if not ok] + [i.id for i in self.indicators if not i.verified]


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


def parse_hyte(data: Any, *, name: str) -> HyteParameters:
    """A HYTE parameter file's content, checked field by field."""
    if not isinstance(data, dict):
        raise ParameterError(f"{name}: the file is not a mapping of fields")
    year = int(_number(_need(data, "year", name), f"{name}, year"))
    level = _choice(_need(data, "level", name), LEVELS, f"{name}, level")
    indicators = []
    seen: set[str] = set()
    for number, item in enumerate(_need(data, "indicators", name) or [], start=1):
        where = f"{name}, indicator {number}"
        if not isinstance(item, dict):
            raise ParameterError(f"{where}: not a mapping")
        indicator_id = str(_need(item, "id", where))
        if indicator_id in seen:
            raise ParameterError(f"{where}: the id '{indicator_id}' is given twice")
        seen.add(indicator_id)
        target = item.get("target")
        indicators.append(
            Indicator(
                id=indicator_id,
                name=str(_need(item, "name", where)),
                part=_choice(_need(item, "part", where), PARTS, f"{where}, part"),
                source=str(item.get("source", "")),
                direction=_choice(_need(item, "direction", where), DIRECTIONS, f"{where}, direction"),
                weight=_number(item.get("weight", 1), f"{where}, weight"),
                verified=bool(_need(item, "verified", where)),
                note=str(item.get("note", "")),
                target=None if target is None else _number(target, f"{where}, target"),
            )
        )
    parts = _need(data, "parts", name)
    part_weights = {p: _number((parts.get(p) or {}).get("weight", 0), f"{name}, parts.{p}.weight") for p in PARTS}
    if sum(part_weights.values()) <= 0:
        raise ParameterError(f"{name}, parts: the weights must add up to more than 0")
    raw_scaling = _need(data, "scaling", name)
    scaling = Scaling(
        method=_choice(raw_scaling.get("method", "min_max"), SCALING_METHODS, f"{name}, scaling.method"),
        missing=_choice(raw_scaling.get("missing", "exclude"), MISSING_RULES, f"{name}, scaling.missing"),
        equal_points=_number(raw_scaling.get("equal_points", 100), f"{name}, scaling.equal_points"),
        verified=bool(raw_scaling.get("verified", False)),
        note=str(raw_scaling.get("note", "")),
    )
    pot = _need(data, "pot", name)
    pot_eur = None if pot.get("eur") is None else Decimal(str(_number(pot["eur"], f"{name}, pot.eur")))
    formula = _need(data, "euro_formula", name)
    residents = _need(data, "residents", name)
    return HyteParameters(
        year=year,
        level=level,
        title=str(data.get("title", "")),
        indicators=tuple(indicators),
        part_weights=part_weights,
        scaling=scaling,
        pot_eur=pot_eur,
        euro_formula=_choice(formula.get("formula"), EURO_FORMULAS, f"{name}, euro_formula.formula"),
        residents_year_offset=int(_number(residents.get("year_offset", -1), f"{name}, residents.year_offset")),
        sources=tuple({str(k): str(v) for k, v in s.items()} for s in data.get("sources") or []),
        notes={
            "pot": str(pot.get("note", "")),
            "euro_formula": str(formula.get("note", "")),
            "residents": str(residents.get("note", "")),
            "parts": str(data.get("parts_note", "")),
            "scaling": scaling.note,
            "indicators": str(data.get("indicators_note", "")),
        },
        verified={
            "pot": bool(pot.get("verified", False)),
            "euro_formula": bool(formula.get("verified", False)),
            "residents": bool(residents.get("verified", False)),
            "parts": bool(data.get("parts_verified", False)),
            "scaling": scaling.verified,
        },
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
