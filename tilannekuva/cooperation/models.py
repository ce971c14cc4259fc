"""Co-operation records beside the strategy: progress notes on actions, group meetings and counterpart pairs."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tilannekuva.regions.models import Organisation, OrganisationKind, Region
from tilannekuva.strategy.models import Action, ActionStatus


class ProgressNote(models.Model):
    """What happened to an action, written by its coordinator or the region administrator."""

    action = models.ForeignKey(
        Action, verbose_name=_("action"), on_delete=models.CASCADE, related_name="progress_notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    written_at = models.DateTimeField(_("written at"), default=timezone.now)
    text = models.TextField(_("note"))
    status_after = models.CharField(_("status after"), max_length=16, choices=ActionStatus.choices)

    class Meta:
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")
        ordering = ["-written_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.action} – {self.written_at:%Y-%m-%d}"

    @property
    def region(self) -> Region:
        return self.action.region


class Meeting(models.Model):
    """A meeting of a working group, forum or network. Tied to the group's key, which stays the same from one
    yearly version to the next, so that the meetings are not lost when the strategy is updated."""

    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="meetings")
    group_key = models.SlugField(_("working group"), max_length=80)
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=300)
    agenda = models.TextField(_("agenda"), blank=True)
    memo = models.TextField(_("memo"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["region", "group_key"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%Y-%m-%d})"


class CounterpartPair(models.Model):
    """A counterpart pair (vastinpari): who in a municipality and who in the county work together on one
    interface. Role titles only, never personal names, so that the list can be public and survives staff changes."""

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="counterpart_pairs"
    )
    interface_key = models.SlugField(_("interface"), max_length=80, help_text=_("The key of the interface's goal."))
    municipality = models.ForeignKey(
        Organisation,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": OrganisationKind.MUNICIPALITY},
    )
    county = models.ForeignKey(
        Organisation,
        verbose_name=_("wellbeing services county"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": OrganisationKind.WELLBEING_SERVICES_COUNTY},
    )
    contact_role = models.CharField(
        _("contact role"), max_length=300, help_text=_("A role title, e.g. 'employment services coordinator'.")
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("counterpart pair")
        verbose_name_plural = _("counterpart pairs")
        ordering = ["interface_key", "municipality__name", "pk"]

    def __str__(self) -> str:
        return f"{self.municipality} – {self.county}: {self.contact_role}"
