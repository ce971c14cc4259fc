"""The reports part of the demo: one snapshot of Etelä-Savo's dashboard and report frozen for a (DEMO) meeting,
so that the reports page lists one. Made once: a second run changes nothing."""

import datetime
from collections.abc import Iterator

from django.contrib.auth import get_user_model

from tilannekuva.dashboard.selectors import default_year
from tilannekuva.regions.models import Region

from .models import Snapshot
from .services import freeze_snapshot

DEMO_REGION = "etela-savo"
DEMO_MEETING = "Maakuntahallitus (DEMO)"
DEMO_ADMIN = "demo-admin"


def load_demo_data(*, password: str) -> Iterator[str]:
    region = Region.objects.filter(slug=DEMO_REGION).first()
    admin = get_user_model().objects.filter(username=DEMO_ADMIN).first()
    if region is None or admin is None:
        return
    year = default_year()
    if not Snapshot.objects.filter(region=region, title=DEMO_MEETING).exists():
        snapshot = freeze_snapshot(
            region=region,
            user=admin,
            title=DEMO_MEETING,
            meeting_date=datetime.date(year + 1, 3, 16),
            year=year,
        )
        yield f"Reports: snapshot '{DEMO_MEETING}' of {year} frozen at /regions/{DEMO_REGION}/snapshots/{snapshot.pk}/."
    yield f"Reports: /regions/{DEMO_REGION}/reports/ (yearly report, municipal editions, snapshots); API /api/v1/."
