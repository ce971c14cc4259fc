"""Writes of the funding app: importing official HYTE tables, in one transaction, idempotently."""

import hashlib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from tilannekuva.regions.models import Area, AreaKind

from . import parameters
from .calculator import PREVIOUS
from .files import FigureFileError, Row, parse_rows, read_table
from .models import EuroFigure, FigureImport, FigureKind, IndicatorFigure, Level
from .parameters import PROCESS_POINTS

AREA_KINDS = {Level.MUNICIPALITY: AreaKind.MUNICIPALITY, Level.COUNTY: AreaKind.WELLBEING_SERVICES_COUNTY}
AREA_NAMES = {Level.MUNICIPALITY: "municipality", Level.COUNTY: "wellbeing services county"}
PART_ROWS = (IndicatorFigure.TOTAL, IndicatorFigure.PROCESS, IndicatorFigure.OUTCOME)
MAX_EUR = Decimal("100000000000")


@dataclass
class ImportResult:
    batches: list[FigureImport]

    def __str__(self) -> str:
        parts = []
        for b in self.batches:
            label = " (SYNTHETIC)" if b.synthetic else ""
            parts.append(
                f"{b.get_kind_display()} {b.level} {b.year}{label}: {b.rows_added} added, {b.rows_changed} changed, "
                f"{b.rows_unchanged} unchanged, {b.rows_removed} removed"
            )
        return "\n".join(parts)


def is_synthetic_name(name: str) -> bool:
    return "SYNTHETIC" in name.upper()


def import_figures(
    *, path: Path, kind: str, level: str = Level.MUNICIPALITY, synthetic: bool | None = None
) -> ImportResult:
    """Import an official table (THL's points or VM's euros) from a CSV or XLSX file.

    The file replaces the figures of its years (of that kind and level): rows missing from it are removed, so
    a corrected table wins; a second identical import changes nothing. A file whose name contains SYNTHETIC is
    stored as synthetic demo figures, and the pages say so."""
    content = path.read_bytes()
    return import_content(content=content, name=path.name, kind=kind, level=level, synthetic=synthetic)


def import_content(
    *, content: bytes, name: str, kind: str, level: str = Level.MUNICIPALITY, synthetic: bool | None = None
) -> ImportResult:
    if kind not in FigureKind.values:
        raise FigureFileError([f"kind '{kind}' is not one of {', '.join(FigureKind.values)}"])
    if level not in Level.values:
        raise FigureFileError([f"level '{level}' is not one of {', '.join(Level.values)}"])
    rows = parse_rows(read_table(content, name=name), kind=kind, level=level)
    areas, errors = _areas(rows, level=level)
    if kind == FigureKind.THL:
        errors += _check_indicators(rows, level=level)
    else:
        errors += _check_euros(rows)
    if errors:
        raise FigureFileError(sorted(errors, key=_row_number))
    synthetic = is_synthetic_name(name) if synthetic is None else synthetic
    checksum = hashlib.sha256(content).hexdigest()
    batches = []
    with transaction.atomic():
        for year in sorted({r.year for r in rows}):
            year_rows = [r for r in rows if r.year == year]
            batch = FigureImport.objects.create(
                kind=kind, level=level, year=year, file_name=name, checksum=checksum, synthetic=synthetic
            )
            if kind == FigureKind.THL:
                _write_indicator_figures(year_rows, batch=batch, areas=areas)
            else:
                _write_euro_figures(year_rows, batch=batch, areas=areas)
            batch.save()
            batches.append(batch)
    return ImportResult(batches)


def _row_number(error: str) -> int:
    number = error.split(",", 1)[0].split(":", 1)[0].removeprefix("row ")
    return int(number) if number.isdigit() else 0


def _areas(rows: list[Row], *, level: str) -> tuple[dict[tuple[int, str], Area], list[str]]:
    """Each row's area, valid in the row's year; every unknown code is a fault naming its row."""
    kind = AREA_KINDS[Level(level)]
    candidates = list(Area.objects.filter(kind=kind, code__in={r.area_code for r in rows}))
    found: dict[tuple[int, str], Area] = {}
    errors = []
    for row in rows:
        key = (row.year, row.area_code)
        if key in found:
            continue
        area = next(
            (
                a
                for a in candidates
                if a.code == row.area_code
                and (a.valid_from is None or a.valid_from <= row.year)
                and (a.valid_to is None or a.valid_to >= row.year)
            ),
            None,
        )
        if area is None:
            errors.append(
                f"row {row.number}, column 'area_code': "
                f"no {AREA_NAMES[Level(level)]} with code {row.area_code} in {row.year}"
            )
            continue
        found[key] = area
    return found, errors


def _check_euros(rows: list[Row]) -> list[str]:
    errors = [f"row {r.number}, column 'eur': {r.eur} is too large" for r in rows if r.eur and r.eur >= MAX_EUR]
    seen: dict[tuple[int, str], int] = {}
    for row in rows:
        key = (row.year, row.area_code)
        if key in seen:
            errors.append(f"row {row.number}: the same year and area as row {seen[key]}")
        seen.setdefault(key, row.number)
    return errors


def _check_indicators(rows: list[Row], *, level: str) -> list[str]:
    errors = []
    seen: dict[tuple[int, str, str], int] = {}
    for row in rows:
        found = parameters.hyte(level=level, year=row.year)
        if found is None:
            errors.append(
                f"row {row.number}, column 'year': there is no parameter file for {level} {row.year} in data/funding/"
            )
            continue
        if row.indicator not in PART_ROWS:
            errors += _check_indicator_value(row, found)
        key = (row.year, row.area_code, row.indicator)
        if key in seen:
            errors.append(f"row {row.number}: the same year, area and indicator as row {seen[key]}")
        seen.setdefault(key, row.number)
    return errors


def _check_indicator_value(row: Row, found: parameters.HyteParameters) -> list[str]:
    """The row names an indicator of the year's file (an outcome indicator's earlier year as "<id>.previous"),
    and its value is one the indicator can have: 0 or 100 for a process item scored so, else within its range."""
    indicator_id = row.indicator.removesuffix(PREVIOUS)
    indicator = found.indicator(indicator_id)
    if indicator is None or (row.indicator.endswith(PREVIOUS) and indicator.part != "outcome"):
        known = ", ".join(
            [*(i.id for i in found.indicators), *(i.id + PREVIOUS for i in found.part("outcome")), *PART_ROWS]
        )
        return [f"row {row.number}, column 'indicator': '{row.indicator}' is not in {found.file_name} ({known})"]
    if row.value is None:
        return []
    if indicator.binary and row.value not in PROCESS_POINTS:
        return [
            f"row {row.number}, column 'value': {row.indicator} is scored 0 or 100 (VNA 1393/2022 liite), "
            f"not {row.value:g}"
        ]
    if not indicator.low <= row.value <= indicator.high:
        return [
            f"row {row.number}, column 'value': {row.value:g} is outside {row.indicator}'s range "
            f"{indicator.low:g}–{indicator.high:g}"
        ]
    return []


def _write_indicator_figures(rows: list[Row], *, batch: FigureImport, areas: dict[tuple[int, str], Area]) -> None:
    existing = {(f.area_id, f.indicator): f for f in IndicatorFigure.objects.filter(year=batch.year, level=batch.level)}
    create, update, keep = [], [], set()
    for row in rows:
        area = areas[(row.year, row.area_code)]
        key = (area.pk, row.indicator)
        keep.add(key)
        found = existing.get(key)
        if found is None:
            create.append(
                IndicatorFigure(
                    year=row.year,
                    level=batch.level,
                    area=area,
                    indicator=row.indicator,
                    value=row.value,
                    points=row.points,
                    synthetic=batch.synthetic,
                    batch=batch,
                )
            )
        elif (found.value, found.points, found.synthetic) != (row.value, row.points, batch.synthetic):
            found.value, found.points, found.synthetic, found.batch = row.value, row.points, batch.synthetic, batch
            update.append(found)
    stale = [f.pk for key, f in existing.items() if key not in keep]
    IndicatorFigure.objects.bulk_create(create, batch_size=2000)
    IndicatorFigure.objects.bulk_update(update, ["value", "points", "synthetic", "batch"], batch_size=2000)
    IndicatorFigure.objects.filter(pk__in=stale).delete()
    batch.rows_added, batch.rows_changed, batch.rows_removed = len(create), len(update), len(stale)
    batch.rows_unchanged = len(rows) - len(create) - len(update)


def _write_euro_figures(rows: list[Row], *, batch: FigureImport, areas: dict[tuple[int, str], Area]) -> None:
    existing = {f.area_id: f for f in EuroFigure.objects.filter(year=batch.year, level=batch.level)}
    create, update, keep = [], [], set()
    for row in rows:
        area = areas[(row.year, row.area_code)]
        keep.add(area.pk)
        found = existing.get(area.pk)
        eur = row.eur if row.eur is not None else Decimal(0)  # parse_rows refuses a row without euros
        if found is None:
            create.append(
                EuroFigure(
                    year=row.year,
                    level=batch.level,
                    area=area,
                    eur=eur,
                    residents=row.residents,
                    synthetic=batch.synthetic,
                    batch=batch,
                )
            )
        elif (found.eur, found.residents, found.synthetic) != (eur, row.residents, batch.synthetic):
            found.eur, found.residents, found.synthetic, found.batch = eur, row.residents, batch.synthetic, batch
            update.append(found)
    stale = [f.pk for key, f in existing.items() if key not in keep]
    EuroFigure.objects.bulk_create(create, batch_size=2000)
    EuroFigure.objects.bulk_update(update, ["eur", "residents", "synthetic", "batch"], batch_size=2000)
    EuroFigure.objects.filter(pk__in=stale).delete()
    batch.rows_added, batch.rows_changed, batch.rows_removed = len(create), len(update), len(stale)
    batch.rows_unchanged = len(rows) - len(create) - len(update)
