"""The simulator's reads: the calculator before and after a what-if change, for the region's partners, and the
chosen unit's result step by step in the statute's words."""

from dataclasses import dataclass
from decimal import Decimal

from tilannekuva.regions.models import Area

from . import calculator, explain
from .selectors import YearData, calculate


@dataclass
class SimulatedRow:
    area: Area
    before: calculator.UnitResult
    after: calculator.UnitResult
    changed: bool

    @property
    def eur_change(self) -> Decimal | None:
        if self.before.eur is None or self.after.eur is None:
            return None
        return self.after.eur - self.before.eur


@dataclass
class Simulation:
    rows: list[SimulatedRow]
    ranked: int
    eur_before: Decimal | None
    eur_after: Decimal | None
    points_before: float | None
    points_after: float | None
    national_before: float | None = None
    national_after: float | None = None

    @property
    def eur_change(self) -> Decimal | None:
        if self.eur_before is None or self.eur_after is None:
            return None
        return self.eur_after - self.eur_before


def _mean(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


def simulate(data: YearData, *, code: str, changes: dict[str, float], areas: list[Area]) -> Simulation | None:
    """The calculator before and after `changes` to unit `code`, for the partners `areas` and for them together
    (points: unweighted mean; euros: sum)."""
    before = calculate(data)
    after = calculate(data, {code: changes})
    if before is None or after is None:
        return None
    rows = [
        SimulatedRow(area, before.units[area.code], after.units[area.code], area.code == code)
        for area in areas
        if area.code in before.units
    ]
    euros_before = [r.before.eur for r in rows if r.before.eur is not None]
    euros_after = [r.after.eur for r in rows if r.after.eur is not None]
    complete = bool(rows) and len(euros_before) == len(euros_after) == len(rows)
    return Simulation(
        rows=rows,
        ranked=after.ranked,
        eur_before=sum(euros_before, Decimal(0)) if complete else None,
        eur_after=sum(euros_after, Decimal(0)) if complete else None,
        points_before=_mean([r.before.total for r in rows]),
        points_after=_mean([r.after.total for r in rows]),
        national_before=before.national_mean,
        national_after=after.national_mean,
    )


@dataclass
class ExplainedStep:
    step: explain.Step
    before: str
    after: str


def explain_steps(simulation: Simulation, data: YearData, *, code: str) -> list[ExplainedStep]:
    """The chosen unit's result step by step, each step with the statute's words and section (explain.STEPS)."""
    row = next((r for r in simulation.rows if r.area.code == code), None)
    if row is None or data.parameters is None or data.level != "municipality":  # the steps quote VNA 1393/2022
        return []
    price = data.parameters.base_price

    def figures(unit: calculator.UnitResult, national: float | None) -> dict[str, str]:
        eur = "–"
        if unit.eur is not None and price is not None and unit.coefficient is not None:
            eur = f"{price} × {unit.residents} × {unit.coefficient:.4f} = {unit.eur} €"
        return {
            "process": f"{unit.process:.2f}" if unit.process is not None else "–",
            "outcome": f"{unit.outcome:.2f}" if unit.outcome is not None else "–",
            "missing": ", ".join(unit.missing) or "–",
            "coefficient": (
                f"({unit.process or 0:.2f} + {unit.outcome or 0:.2f}) / 2 = {unit.score:.2f}; "
                f"{unit.score:.2f} / {national or 0:.2f} = {unit.coefficient or 0:.4f}"
            ),
            "euros": eur,
        }

    before = figures(row.before, simulation.national_before)
    after = figures(row.after, simulation.national_after)
    return [ExplainedStep(step, before[step.key], after[step.key]) for step in explain.STEPS]
