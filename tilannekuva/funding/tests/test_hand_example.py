"""The hand-computed example of docs/FUNDING.md, read from the document and recomputed by the calculator: the
document and the code cannot drift apart."""

import re
from decimal import Decimal
from pathlib import Path

import pytest

from tilannekuva.funding import calculator, parameters
from tilannekuva.funding.calculator import PREVIOUS

DOC = Path(__file__).resolve().parents[3] / "docs" / "FUNDING.md"


def example_rows() -> list[list[str]]:
    text = DOC.read_text(encoding="utf-8")
    table = text.split("<!-- hand-example -->", 1)[1].split("<!-- /hand-example -->", 1)[0]
    lines = [line for line in table.strip().splitlines()[2:] if line.startswith("|")]
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in lines]


def test_the_calculator_gives_the_documents_hand_computed_figures():
    found = parameters.hyte(level="municipality", year=2024)
    assert found is not None
    rows = example_rows()
    assert len(rows) == 3
    values, residents = {}, {}
    for code, people, yes, outcome, *_ in rows:
        previous, latest = (float(v) for v in re.split(r"\s*→\s*", outcome))
        values[code] = {i.id: (100.0 if n < int(yes) else 0.0) for n, i in enumerate(found.part("process"))}
        for indicator in found.part("outcome"):
            values[code][indicator.id], values[code][indicator.id + PREVIOUS] = latest, previous
        residents[code] = int(people)
    result = calculator.calculate(parameters=found, values=values, residents=residents)
    for code, _people, _yes, _outcome, process, outcome_mean, score, coefficient, eur in rows:
        unit = result.units[code]
        assert unit.process == pytest.approx(float(process))
        assert unit.outcome == pytest.approx(float(outcome_mean))
        assert unit.score == pytest.approx(float(score))
        assert unit.coefficient == pytest.approx(float(coefficient), abs=5e-8)
        assert unit.eur == Decimal(eur)
    assert result.national_mean == pytest.approx(28.0)
    assert found.base_price is not None and result.total_eur == found.base_price * sum(residents.values())
