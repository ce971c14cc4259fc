"""Writes of the reports app: freezing a snapshot of the dashboard and the report for a council meeting."""

import datetime
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from tilannekuva.audit.models import AuditAction
from tilannekuva.audit.services import record
from tilannekuva.core.years import FIRST_YEAR, LAST_YEAR
from tilannekuva.dashboard import selectors as dashboard_selectors
from tilannekuva.regions.models import Region
from tilannekuva.regions.permissions import is_region_admin

from . import rendering, selectors
from .models import Snapshot


class SnapshotError(Exception):
    """A snapshot could not be made; the message names the field."""


def figures_of(report: selectors.FollowUpReport) -> list[dict[str, Any]]:
    """The numbers a snapshot keeps: each metric's latest value, its year and status, as frozen."""
    return [
        {
            "metric": card.metric.key,
            "title": card.metric.title[:300],
            "year": card.latest[0] if card.latest else None,
            "value": card.latest[1] if card.latest else None,
            "status": str(card.status),
        }
        for card in report.board.cards
    ]


def render_dashboard(region: Region, *, year: int, language: str) -> str:
    """The public dashboard's body as a visitor without a role sees it."""
    with translation.override(language):
        board = dashboard_selectors.dashboard(region=region, year=year)
        context = {
            "board": board,
            "municipalities": dashboard_selectors.municipalities(region, year=year),
            "region": region,
            "internal": False,
        }
        return render_to_string("dashboard/_dashboard.html", context)


def freeze_snapshot(
    *, region: Region, user: Any, title: str, meeting_date: datetime.date, year: int, language: str = "fi"
) -> Snapshot:
    """Freeze the dashboard and the report of `year` for the meeting of `meeting_date`: the rendered pages, the
    PDF and the figures are stored, so that the snapshot keeps its numbers after new imports."""
    if not is_region_admin(user, region):
        raise SnapshotError(_("Only the region's administrators freeze snapshots."))
    if not title.strip():
        raise SnapshotError(_("meeting: give the meeting the snapshot is for."))
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise SnapshotError(_("year: %(year)s is not a follow-up year.") % {"year": year})
    if language not in selectors.LANGUAGES:
        raise SnapshotError(_("language: choose Finnish or Swedish."))
    report = selectors.follow_up_report(region=region, year=year, language=language)
    body = rendering.render_body(report, internal=False, static=True)
    pdf = rendering.pdf_bytes(rendering.render_document(report, body))
    dashboard_html = render_dashboard(region, year=year, language=language)
    with transaction.atomic():
        snapshot = Snapshot.objects.create(
            region=region,
            title=title.strip()[:300],
            meeting_date=meeting_date,
            year=year,
            language=language,
            public=region.dashboard_public,
            dashboard_html=dashboard_html,
            report_html=body,
            report_pdf=pdf,
            figures=figures_of(report),
            created_by=user if getattr(user, "is_authenticated", False) else None,
        )
        record(
            actor=user,
            obj=snapshot,
            action=AuditAction.CREATED,
            note=f"snapshot {meeting_date.isoformat()} {title.strip()[:200]} ({year})",
            region=region,
        )
    return snapshot
