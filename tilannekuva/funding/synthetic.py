"""The SYNTHETIC demo tables of data/funding/: made-up indicator values for every municipality, with the points
and euros the calculator gives them. Never official figures; the file names say SYNTHETIC and the pages say so.

Regenerate with `python -m tilannekuva.funding.synthetic 2024` (deterministic: the same files every time)."""

import csv
import random
import sys
from decimal import Decimal
from pathlib import Path

from django.conf import settings

from tilannekuva.core import tables as core_tables

from . import calculator, parameters

# Plausible ranges (low, high) of the made-up values, by indicator id prefix; TEAviisari results are 0–100.
RANGES = {
    "perusopetus": (30.0, 95.0),
    "liikunta": (20.0, 95.0),
    "kuntajohto": (15.0, 100.0),
    "kulttuuri": (10.0, 90.0),
    "nuorisotyottomyys": (4.0, 25.0),
    "koulutuksen-ulkopuolella": (3.0, 14.0),
    "kaatumiset-65": (150.0, 380.0),
    "toimeentulotuki": (2.5, 12.0),
    "tyokyvyttomyyselake": (3.0, 12.0),
    "koettu-terveys": (25.0, 45.0),
}
SYNTHETIC_POT = Decimal("100000000")


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
        values[code] = {}
        for indicator in found.indicators:
            low, high = next(r for prefix, r in RANGES.items() if indicator.id.startswith(prefix))
            values[code][indicator.id] = round(rng.uniform(low, high), 1)
    residents = populations(year + found.residents_year_offset)
    result = calculator.calculate(
        parameters=found, values=values, residents={c: residents.get(c) for c in codes}, pot=SYNTHETIC_POT
    )
    thl = [["year", "area_code", "indicator", "value", "points"]]
    vm = [["year", "area_code", "residents", "eur"]]
    for code in codes:
        unit = result.units[code]
        for indicator in found.indicators:
            points = unit.points[indicator.id]
            thl.append([str(year), code, indicator.id, f"{values[code][indicator.id]:.1f}", f"{points:.2f}"])
        for part, value in (("process", unit.process), ("outcome", unit.outcome), ("total", unit.total)):
            thl.append([str(year), code, part, "", f"{value:.2f}"])
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
