"""The annual calendar as an iCalendar (RFC 5545) feed, written with the `icalendar` library: one all-day event
per date, each with a stable UID, its source and the page it comes from."""

import datetime
from collections.abc import Iterable

import icalendar
from django.utils import timezone

from tilannekuva.regions.models import Region

from .selectors import CalendarEvent

PRODID = "-//Tilannekuva//Vuosikello//FI"


def feed(region: Region, found: Iterable[CalendarEvent], *, name: str, base_url: str) -> bytes:
    calendar = icalendar.Calendar.new(prodid=PRODID, name=name, uid=f"vuosikello-{region.slug}@tilannekuva")
    calendar.add("calscale", "GREGORIAN")
    stamp = timezone.now().astimezone(datetime.UTC).replace(microsecond=0)
    for event in found:
        description = "\n".join(
            part
            for part in (event.description, f"Lähde: {event.source}" if event.source else "", str(event.kind_label))
            if part
        )
        summary = f"{event.title} (DEMO)" if event.demo else event.title
        item = icalendar.Event.new(
            uid=f"{event.uid}@{region.slug}.tilannekuva",
            stamp=stamp,
            start=event.date,
            end=event.date + datetime.timedelta(days=1),
            summary=summary,
            description=description or None,
            categories=[str(event.kind_label)],
            url=base_url + event.url if event.url else None,
        )
        item.add("transp", "TRANSPARENT")
        calendar.add_component(item)
    calendar.validate()
    return calendar.to_ical()
