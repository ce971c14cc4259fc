"""A round's decisions as CSV or XLSX, for the funder's own case-management system: one row per application."""

import csv
import io
from decimal import Decimal
from typing import Any

from openpyxl import Workbook

from . import services
from .models import GrantRound

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
    scores = services.round_scores(grant_round)
    proposal = services.allocation_proposal(grant_round, scores)
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
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return value


def as_csv(grant_round: GrantRound) -> bytes:
    """';'-separated UTF-8 with a byte-order mark, as Finnish spreadsheets open it; decimal point in numbers."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in decision_rows(grant_round):
        writer.writerow([_plain(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def as_xlsx(grant_round: GrantRound) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "decisions"
    sheet.append(COLUMNS)
    for row in decision_rows(grant_round):
        sheet.append([float(v) if isinstance(v, Decimal) else ("" if v is None else v) for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
