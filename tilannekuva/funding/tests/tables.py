"""An official HYTE table written by the tests: THL's indicator values and points, and VM's euros, for the
municipalities of Etelä-Savo and a few others in 2024 (made up here, never bundled as data). The points and
euros are worked out here independently of the calculator, by VNA 1393/2022 3 § as docs/FUNDING.md reads it.
Used by the unit tests and the browser test."""

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from tilannekuva.funding import parameters
from tilannekuva.regions.models import Area, AreaKind, valid_in

YEAR = 2024
OTHERS = ["091", "837", "564", "179", "853", "297"]  # Helsinki, Tampere, Oulu, Jyväskylä, Turku, Kuopio


def scaled_differences(differences: dict[str, float]) -> dict[str, float]:
    """Min–max of the oriented differences, written out independently of the calculator."""
    low, high = min(differences.values()), max(differences.values())
    return {k: 100 * (d - low) / (high - low) for k, d in differences.items()}


def table_codes() -> list[str]:
    etela_savo = Area.objects.get(kind=AreaKind.MAAKUNTA, code="10")
    members = Area.objects.filter(
        valid_in(YEAR, "parent_memberships__"), kind=AreaKind.MUNICIPALITY, parent_memberships__parent=etela_savo
    ).values_list("code", flat=True)
    return sorted({*members, *OTHERS})


def write_official_tables(tmp_path: Path, table_codes: list[str]) -> tuple[Path, Path]:
    """(THL file, VM file) for 2024: every indicator of the parameter file, its points, the parts and the total."""
    found = parameters.hyte(level="municipality", year=YEAR)
    assert found is not None and found.base_price is not None
    thl = ["vuosi;kuntanumero;indikaattori;arvo;pisteet"]
    process = {code: [100.0 if (n * 7 + i * 13) % 3 else 0.0 for i in range(15)] for n, code in enumerate(table_codes)}
    latest = {
        code: {i.id: float(5 + (n * 3 + k) % 9) for k, i in enumerate(found.part("outcome"))}
        for n, code in enumerate(table_codes)
    }
    previous = {
        code: {i.id: float(5 + (n * 5 + k) % 7) for k, i in enumerate(found.part("outcome"))}
        for n, code in enumerate(table_codes)
    }
    outcome_points = {
        i.id: scaled_differences({c: previous[c][i.id] - latest[c][i.id] for c in table_codes})  # lower is better
        for i in found.part("outcome")
    }
    scores, residents = {}, {}
    for n, code in enumerate(table_codes):
        for k, indicator in enumerate(found.part("process")):
            value = process[code][k]
            thl.append(f"{YEAR};{code};{indicator.id};{value:g};{value:g}")
        for indicator in found.part("outcome"):
            points = outcome_points[indicator.id][code]
            thl.append(f"{YEAR};{code};{indicator.id};{latest[code][indicator.id]:g};{points:.4f}")
            thl.append(f"{YEAR};{code};{indicator.id}.previous;{previous[code][indicator.id]:g};")
        process_mean = sum(process[code]) / 15
        outcome_mean = sum(outcome_points[i.id][code] for i in found.part("outcome")) / 6
        scores[code] = (process_mean + outcome_mean) / 2
        thl.append(f"{YEAR};{code};total;;{scores[code]:.4f}")
        residents[code] = 2000 + 1000 * n
    national = sum(scores[c] * residents[c] for c in table_codes) / sum(residents.values())
    vm = ["year;area_code;residents;eur"]
    for code in table_codes:
        eur = found.base_price * residents[code] * Decimal(scores[code] / national)
        vm.append(f"{YEAR};{code};{residents[code]};{eur.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}")
    thl_path, vm_path = tmp_path / "thl-2024.csv", tmp_path / "vm-2024.csv"
    thl_path.write_text("\n".join(thl) + "\n", encoding="utf-8")
    vm_path.write_text("\n".join(vm) + "\n", encoding="utf-8")
    return thl_path, vm_path
