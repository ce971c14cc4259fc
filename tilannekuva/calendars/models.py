"""The HYTE annual calendar (vuosikello): a region's own recurring entries, the reminders sent of them and the
private calendar-feed addresses. Everything else in the calendar is derived from the other apps' records."""

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tilannekuva.regions.models import Region


class EventKind(models.TextChoices):
    WELFARE_REPORT = "welfare_report", _("Yearly welfare report to the council")
    EXTENSIVE_WELFARE_REPORT = "extensive_welfare_report", _("Extensive welfare report of the council term")
    TEAVIISARI = "teaviisari", _("TEAviisari data collection")
    HYTE_COEFFICIENT = "hyte_coefficient", _("HYTE coefficient and state funding")
    BUDGET = "budget", pgettext_lazy("calendar event", "Budget")
    NEGOTIATION = "negotiation", _("Negotiation between the partners")
    SURVEY = "survey", _("Survey")
    MEETING = "meeting", _("Meeting of a forum or group")
    FOLLOWUP = "followup", _("Follow-up period")
    GRANTS = "grants", _("Grant round")
    STATEMENTS = "statements", _("Statement round")
    PROJECT = "project", _("Project milestone")
    OTHER = "other", _("Other")


class Recurrence(models.TextChoices):
    ONCE = "once", _("Once")
    YEARLY = "yearly", _("Every year")
    COUNCIL_TERM = "council_term", _("Once per council term (every four years)")


class CalendarEntry(models.Model):
    """A date the region keeps itself: when its council handles the welfare report, when the forum meets, when
    the budget is prepared. Repeats yearly or once per council term from its first date."""

    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=32, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    date = models.DateField(_("date"), help_text=_("The first (or only) date."))
    recurrence = models.CharField(_("repeats"), max_length=16, choices=Recurrence.choices, default=Recurrence.YEARLY)
    until_year = models.PositiveSmallIntegerField(_("last year"), null=True, blank=True)
    group_key = models.SlugField(
        _("responsible group"),
        max_length=80,
        blank=True,
        help_text=_("The key of the working group or forum whose coordinators are reminded, e.g. hyte-tyoryhma."),
    )
    obligation_key = models.SlugField(
        _("obligation"), max_length=80, blank=True, help_text=_("The recurring obligation this date schedules.")
    )
    public = models.BooleanField(_("public"), default=True, help_text=_("Shown to everyone who may see the dashboard."))
    source = models.CharField(
        _("where the date comes from"),
        max_length=500,
        blank=True,
        help_text=_("E.g. the council's schedule or the group's decision."),
    )
    demo = models.BooleanField(_("demo data"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("calendar entry")
        verbose_name_plural = _("calendar entries")
        ordering = ["region", "date", "pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%d.%m.%Y})"

    def occurs_in(self, year: int) -> datetime.date | None:
        """The entry's date in `year`, or None. 29 February falls on the 28th in other years."""
        if year < self.date.year or (self.until_year is not None and year > self.until_year):
            return None
        if self.recurrence == Recurrence.ONCE:
            return self.date if year == self.date.year else None
        if self.recurrence == Recurrence.COUNCIL_TERM and (year - self.date.year) % 4:
            return None
        day = self.date.day
        if self.date.month == 2 and day == 29:
            day = 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
        return datetime.date(year, self.date.month, day)


class ReminderSent(models.Model):
    """One reminder of one event's date, so that a daily run reminds of each date once."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    uid = models.CharField(max_length=200)
    date = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [models.UniqueConstraint(fields=["uid", "date"], name="calendar_reminder_unique")]

    def __str__(self) -> str:
        return f"{self.uid} {self.date:%Y-%m-%d}"


class FeedToken(models.Model):
    """A user's private calendar-feed address for a region (internal events too). Only the hash is kept."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed address")
        verbose_name_plural = _("calendar feed addresses")
        constraints = [models.UniqueConstraint(fields=["user", "region"], name="calendar_feed_one_per_user")]

    def __str__(self) -> str:
        return f"{self.user} – {self.region}"
