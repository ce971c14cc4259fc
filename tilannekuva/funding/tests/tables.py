"""An official HYTE table written by the tests: THL's indicator values and points, and VM's euros, for the
municipalities of Etelä-Savo and a few others in 2024 (made up here, never bundled as data). Used by the unit
tests and the browser test."""

from decimal import Decimal
from pathlib import Path

from tilannekuva.funding import parameters
from tilannekuva.regions.models import Area, AreaKind, valid_in

YEAR = 2024
OTHERS = ["091", "837", "564", "179", "853", "297"]  # Helsinki, Tampere, Oulu, Jyväskylä, Turku, Kuopio


def scaled(values: dict[str, float], *, lower_is_better: bool) -> dict[str, float]:
    """Min–max written out independently of the calculator: what THL's table says the points are."""
    low, high = min(values.values()), max(values.values())
    if lower_is_better:
        return {k: 100 * (high - v) / (high - low) for k, v in values.items()}
    return {k: 100 * (v - low) / (high - low) for k, v in values.items()}


def table_codes() -> list[str]:
    etela_savo = Area.objects.get(kind=AreaKind.MAAKUNTA, code="10")
    members = Area.objects.filter(
        valid_in(YEAR, "parent_memberships__"), kind=AreaKind.MUNICIPALITY, parent_memberships__parent=etela_savo
    ).values_list("code", flat=True)
    return sorted({*members, *OTHERS})


def write_official_tables(tmp_path: Path, table_codes: list[str]) -> tuple[Path, Path]:
    """(THL file, VM file) for 2024: every indicator of the parameter file, its points, the parts and the total."""
    found = parameters.hyte(level="municipality", year=YEAR)
    assert found is not None
    values = {
        indicator.id: {code: float((n * 7 + i * 13) % 50 + n) for n, code in enumerate(table_codes)}
        for i, indicator in enumerate(found.indicators)
    }
    points = {i.id: scaled(values[i.id], lower_is_better=i.direction == "lower_is_better") for i in found.indicators}
    thl = ["vuosi;kuntanumero;indikaattori;arvo;pisteet"]
    totals, residents = {}, {}
    for n, code in enumerate(table_codes):
        for i in found.indicators:
            thl.append(f"{YEAR};{code};{i.id};{str(values[i.id][code]).replace('.', ',')};{points[i.id][code]:.4f}")
        process = [points[i.id][code] for i in found.indicators if i.part == "process"]
        outcome = [points[i.id][code] for i in found.indicators if i.part == "outcome"]
        totals[code] = (sum(process) / len(process) + sum(outcome) / len(outcome)) / 2
        thl.append(f"{YEAR};{code};total;;{totals[code]:.4f}")
        residents[code] = 2000 + 1000 * n
    weight = {c: residents[c] * totals[c] for c in table_codes}
    pot = Decimal("5000000")
    vm = ["year;area_code;residents;eur"]
    for code in table_codes:
        vm.append(f"{YEAR};{code};{residents[code]};{pot * Decimal(weight[code] / sum(weight.values())):.0f}")
    thl_path, vm_path = tmp_path / "thl-2024.csv", tmp_path / "vm-2024.csv"
    thl_path.write_text("\n".join(thl) + "\n", encoding="utf-8")
    vm_path.write_text("\n".join(vm) + "\n", encoding="utf-8")
    return thl_path, vm_path
