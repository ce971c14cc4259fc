"""A round's decisions as CSV or XLSX, for the funder's own case-management system: one row per application."""

from decimal import Decimal
from typing import Any

from tilannekuva.core import csv_dialects, tables

from . import scoring
from .models import GrantRound

CENT = Decimal("0.01")
# Kept as text in the Finnish spreadsheet dialect (`="049"`, not the number 49).
CODE_COLUMNS = ("funder_business_id", "business_id", "municipalities")
COLUMNS = [
    "round_id",
    "round",
    "funder",
    "funder_business_id",
    "year",
    "application_id",
    "submitted",
    "association",
    "business_id",
    "activity",
    "target_groups",
    "priorities",
    "municipalities",
    "total_budget_eur",
    "applied_eur",
    "weighted_score",
    "rank",
    "proposed_eur",
    "granted_eur",
    "status",
    "decided",
    "decision_note",
    "demo_data",
]


def decision_rows(grant_round: GrantRound) -> list[list[Any]]:
    scores = scoring.round_scores(grant_round)
    proposal = scoring.allocation_proposal(grant_round, scores)
    rows = []
    for position, score in enumerate(scores, start=1):
        a = score.application
        rows.append(
            [
                grant_round.pk,
                grant_round.title,
                str(grant_round.funder),
                grant_round.funder.business_id,
                grant_round.year,
                a.pk,
                a.submitted_at.date().isoformat(),
                a.association,
                a.business_id,
                a.activity,
                "|".join(a.target_groups),
                "|".join(p.title for p in a.priorities.all()),
                "|".join(m.code for m in a.municipalities.all()),
                a.total_budget,
                a.amount_applied,
                score.total,
                position,
                proposal[a.pk],
                a.granted_amount,
                a.status,
                a.decided_at.date().isoformat() if a.decided_at else "",
                a.decision_note,
                "true" if a.is_demo else "false",
            ]
        )
    return rows


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return value.quantize(CENT)
    return value


def as_csv(grant_round: GrantRound, dialect: str = csv_dialects.MACHINE) -> bytes:
    """';'-separated UTF-8 with a byte-order mark: `machine` (a decimal point) or `fi` (the Finnish spreadsheet
    dialect: a decimal comma, business ids and municipality codes as text, no cell a spreadsheet would run)."""
    rows = [COLUMNS, *([_plain(v) for v in row] for row in decision_rows(grant_round))]
    return "".join(csv_dialects.dialect_lines(rows, dialect, codes=CODE_COLUMNS)).encode("utf-8")


def as_xlsx(grant_round: GrantRound) -> bytes:
    rows = ([float(v) if isinstance(v, Decimal) else v for v in row] for row in decision_rows(grant_round))
    return tables.xlsx_bytes([COLUMNS, *rows], title="decisions")
