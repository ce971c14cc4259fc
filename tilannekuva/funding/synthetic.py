"""The SYNTHETIC demo tables of data/funding/: made-up indicator values for every municipality, with the points
and euros the calculator gives them. Never official figures; the file names say SYNTHETIC and the pages say so.

Regenerate with `python -m tilannekuva.funding.synthetic 2024` (deterministic: the same files every time)."""

import csv
import random
import sys
from pathlib import Path

from django.conf import settings

from tilannekuva.core import tables as core_tables

from . import calculator, parameters

# Plausible ranges (low, high) of the made-up outcome values (latest year); the earlier year differs by a few %.
OUTCOME_RANGES = {
    "O1a": (12.0, 30.0),
    "O1b": (12.0, 28.0),
    "O2": (4.0, 14.0),
    "O3": (0.5, 4.0),
    "O4": (3.0, 12.0),
    "O5": (150.0, 380.0),
}


def municipalities(year: int) -> list[str]:
    path = Path(settings.DATA_DIR) / "regions" / f"municipality_key_{year}.csv"
    with path.open(encoding="utf-8") as handle:
        return sorted(row["kunta"].zfill(3) for row in csv.DictReader(handle))


def populations(year: int) -> dict[str, int]:
    """The bundled population (Sotkanet 127) of the latest year up to `year`."""
    path = Path(settings.DATA_DIR) / "population" / "sotkadata_population.csv"
    rows: dict[int, dict[str, int]] = {}
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            rows.setdefault(int(row["year"]), {})[row["municipality_code"].zfill(3)] = int(float(row["primary.value"]))
    latest = max(y for y in rows if y <= year)
    return rows[latest]


def tables(year: int) -> tuple[list[list[str]], list[list[str]]]:
    found = parameters.hyte(level="municipality", year=year)
    if found is None:
        raise SystemExit(f"no parameter file for municipalities {year}")
    rng = random.Random(year)
    codes = municipalities(year)
    values: dict[str, dict[str, float | None]] = {}
    for code in codes:
        activity = rng.uniform(0.3, 0.95)  # how likely this made-up municipality answers "yes"
        values[code] = {}
        for indicator in found.part("process"):
            values[code][indicator.id] = 100.0 if rng.random() < activity else 0.0
        for indicator in found.part("outcome"):
            low, high = OUTCOME_RANGES[indicator.id]
            latest = round(rng.uniform(low, high), 1)
            values[code][indicator.id] = latest
            values[code][indicator.id + calculator.PREVIOUS] = round(latest * rng.uniform(0.9, 1.1), 1)
    residents = populations(year + found.residents_year_offset)
    result = calculator.calculate(parameters=found, values=values, residents={c: residents.get(c) for c in codes})
    thl = [["year", "area_code", "indicator", "value", "points"]]
    vm = [["year", "area_code", "residents", "eur"]]
    for code in codes:
        unit = result.units[code]
        for indicator in found.indicators:
            value = values[code][indicator.id]
            thl.append([str(year), code, indicator.id, f"{value:.1f}", f"{unit.points[indicator.id]:.2f}"])
            if indicator.part == "outcome":
                previous = values[code][indicator.id + calculator.PREVIOUS]
                thl.append([str(year), code, indicator.id + calculator.PREVIOUS, f"{previous:.1f}", ""])
        for part, points in (("process", unit.process), ("outcome", unit.outcome), ("total", unit.score)):
            thl.append([str(year), code, part, "", f"{points:.2f}"])
        if unit.eur is not None:
            vm.append([str(year), code, str(unit.residents), f"{unit.eur:.2f}"])
    return thl, vm


def write(year: int, directory: Path | None = None) -> list[Path]:
    directory = directory or parameters.directory()
    thl, vm = tables(year)
    paths = []
    for name, rows in (
        (f"SYNTHETIC-thl-municipalities-{year}.csv", thl),
        (f"SYNTHETIC-vm-municipalities-{year}.csv", vm),
    ):
        path = directory / name
        path.write_text(core_tables.csv_text(rows), encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tilannekuva.settings")
    django.setup()
    for written in write(int(sys.argv[1]) if len(sys.argv) > 1 else 2024):
        print(written)
