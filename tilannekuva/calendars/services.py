"""Writes of the annual calendar: the region's own entries, the reminders of coming dates and the private feed
addresses. Each write checks who may do it (tilannekuva.regions.permissions) and is in the audit trail."""

import datetime
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from tilannekuva.audit.services import record
from tilannekuva.regions.models import Region, RegionRole, RoleKind
from tilannekuva.regions.permissions import can_view_internal, is_region_admin

from .models import CalendarEntry, EventKind, FeedToken, ReminderSent
from .obligations import obligation
from .selectors import CalendarEvent, events_between

ENTRY_FIELDS = ("kind", "title", "description", "date", "recurrence", "until_year", "group_key", "public", "source")


class CalendarError(Exception):
    def __init__(self, message: str, *, field: str | None = None):
        self.field = field
        super().__init__(message)


@transaction.atomic
def add_entry(*, region: Region, user: Any, values: dict[str, Any], obligation_key: str = "") -> CalendarEntry:
    if not is_region_admin(user, region):
        raise PermissionDenied
    fields = {name: values[name] for name in ENTRY_FIELDS if name in values}
    if not str(fields.get("title", "")).strip():
        raise CalendarError(_("Give the entry a title."), field="title")
    until = fields.get("until_year")
    if until is not None and until < fields["date"].year:
        raise CalendarError(_("The last year is before the first date."), field="until_year")
    if obligation_key and obligation(obligation_key) is None:
        raise CalendarError(_("No such obligation."), field="obligation_key")
    entry = CalendarEntry.objects.create(region=region, created_by=user, obligation_key=obligation_key, **fields)
    record(actor=user, obj=entry, action="created", region=region)
    return entry


@transaction.atomic
def delete_entry(*, entry: CalendarEntry, user: Any) -> None:
    if not is_region_admin(user, entry.region):
        raise PermissionDenied
    record(actor=user, obj=entry, action="deleted", region=entry.region, note=entry.title)
    entry.delete()


def recipients(region: Region, event: CalendarEvent) -> set[str]:
    """The region's administrators, and the coordinators of the event's group when it has one."""
    roles = RegionRole.objects.filter(region=region).select_related("user")
    chosen = [r for r in roles if r.role == RoleKind.ADMIN]
    if event.group_key:
        chosen += [r for r in roles if r.role == RoleKind.COORDINATOR and r.group_key == event.group_key]
    return {r.user.email for r in chosen if r.user.email and r.user.is_active}


# The follow-up's own reminders (`tilannekuva followup remind`) already tell its editors of the deadline.
NOT_REMINDED = {EventKind.FOLLOWUP}


def send_reminders(*, region: Region, today: datetime.date, days_before: int = 14) -> int:
    """E-mail of every event from today to `days_before` days ahead, once per event and date however often it
    runs. Returns the number of messages sent."""
    coming = [
        e
        for e in events_between(region, today, today + datetime.timedelta(days=days_before))
        if e.kind not in NOT_REMINDED
    ]
    messages = []
    for event in coming:
        if ReminderSent.objects.filter(uid=event.uid, date=event.date).exists():
            continue
        addresses = sorted(recipients(region, event))
        if not addresses:
            continue
        subject = _("Tilannekuva: %(title)s on %(date)s (%(region)s)") % {
            "title": event.title[:120],
            "date": event.date.strftime("%d.%m.%Y"),
            "region": region.name,
        }
        lines = [event.title, event.date.strftime("%d.%m.%Y"), str(event.kind_label)]
        if event.source:
            lines.append(_("Source: %(source)s") % {"source": event.source})
        if event.demo:
            lines.append(_("Demo data."))
        body = "\n".join(lines) + "\n"
        messages += [(subject, body, settings.DEFAULT_FROM_EMAIL, [address]) for address in addresses]
        try:
            with transaction.atomic():
                ReminderSent.objects.create(region=region, uid=event.uid, date=event.date, recipients=len(addresses))
        except IntegrityError:
            messages = messages[: -len(addresses)]  # another run reminded of it just now
    return send_mass_mail(messages, fail_silently=False) if messages else 0


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


@transaction.atomic
def issue_feed_token(*, region: Region, user: Any) -> str:
    """A new private feed address for `user` (the old one stops working). Only its hash is kept."""
    if not can_view_internal(user, region):
        raise PermissionDenied
    token = secrets.token_urlsafe(24)
    FeedToken.objects.update_or_create(user=user, region=region, defaults={"token_hash": _hash(token)})
    record(actor=user, obj=region, action="other", region=region, note=_("New private calendar feed address"))
    return token


def feed_user(*, region: Region, token: str) -> Any | None:
    """The user whose private feed `token` is, while they still have a role in the region."""
    found = FeedToken.objects.filter(region=region, token_hash=_hash(token)).select_related("user").first()
    if found is None:
        return None
    user = get_user_model().objects.filter(pk=found.user_id, is_active=True).first()
    return user if user is not None and can_view_internal(user, region) else None
