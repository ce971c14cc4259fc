"""The calendar part of the demo: a few of Etelä-Savo's own entries, so that its vuosikello shows how the region
schedules the obligations that have no statutory date. The dates are examples, marked DEMO on every page and in
the feed; the statutory dates and the events derived from the follow-up, surveys and grant rounds need no demo
data. Idempotent."""

import datetime
from collections.abc import Iterator

from django.contrib.auth import get_user_model

from tilannekuva.regions.models import Region

from . import services
from .models import CalendarEntry, Recurrence

DEMO_REGION = "etela-savo"
SOURCE = "DEMO: esimerkkipäivä; alue asettaa oman päivänsä"
ENTRIES = [
    (
        "welfare_report",
        "hyvinvointiraportti-valtuustolle",
        "Vuosittainen hyvinvointiraportti valtuustoille",
        (2025, 5, 31),
        Recurrence.YEARLY,
    ),
    (
        "extensive_welfare_report",
        "laaja-hyvinvointikertomus",
        "Laaja hyvinvointikertomus ja -suunnitelma valtuustokaudelle",
        (2025, 11, 30),
        Recurrence.COUNCIL_TERM,
    ),
    ("negotiation", "hyte-neuvottelu", "Hyte-neuvottelu: hyvinvointialue ja kunnat", (2025, 10, 15), Recurrence.YEARLY),
    ("budget", "talousarvio-hyte-mittarit", "Talousarvion hyte-mittarit valmisteluun", (2025, 9, 1), Recurrence.YEARLY),
]


def load_demo_data(*, password: str) -> Iterator[str]:
    region = Region.objects.filter(slug=DEMO_REGION).first()
    admin = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    if region is None or admin is None:
        return
    added = 0
    for kind, obligation_key, title, (year, month, day), recurrence in ENTRIES:
        if CalendarEntry.objects.filter(region=region, obligation_key=obligation_key, demo=True).exists():
            continue
        entry = services.add_entry(
            region=region,
            user=admin,
            values={
                "kind": kind,
                "title": title,
                "date": datetime.date(year, month, day),
                "recurrence": recurrence,
                "group_key": "hyte-tyoryhma",
                "public": True,
                "source": SOURCE,
            },
            obligation_key=obligation_key,
        )
        CalendarEntry.objects.filter(pk=entry.pk).update(demo=True)
        added += 1
    yield f"Annual calendar of {region}: {added} demo entries added (marked DEMO)."
