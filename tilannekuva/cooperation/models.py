"""Co-operation records beside the strategy: progress notes on actions, group meetings and counterpart pairs."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tilannekuva.regions.models import Area, Organisation, Region
from tilannekuva.strategy.models import Action, ActionStatus, AgreementKind


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
    """A counterpart pair (vastinpari): who on each side of an interface works together at one dialogue level,
    on a client path or in an area where these are given. Role titles only, never personal names, so that the
    register can be public and survives staff changes. A side without an organisation is the municipalities."""

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="counterpart_pairs"
    )
    interface_key = models.SlugField(_("interface"), max_length=80, help_text=_("The key of the interface's goal."))
    level_key = models.SlugField(
        _("dialogue level"), max_length=80, blank=True, help_text=_("The key of a dialogue level of the strategy.")
    )
    client_path_key = models.SlugField(
        _("client path"), max_length=80, blank=True, help_text=_("The key of one of the interface's client paths.")
    )
    area = models.ForeignKey(
        Area,
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Where the pair works, when not in the whole region: a seutukunta or a municipality."),
    )
    first_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation (first side)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: the municipalities (of the area, if one is given)."),
    )
    first_role = models.CharField(
        _("role title (first side)"), max_length=300, help_text=_("A role title, e.g. 'kunnan hyte-yhdyshenkilö'.")
    )
    second_organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation (second side)"), on_delete=models.PROTECT, related_name="+"
    )
    second_role = models.CharField(_("role title (second side)"), max_length=300, blank=True)
    valid_from = models.PositiveSmallIntegerField(_("from year"), null=True, blank=True)
    valid_to = models.PositiveSmallIntegerField(_("to year"), null=True, blank=True)
    source = models.TextField(_("source"), blank=True, help_text=_("Where the pair is drawn from."))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("counterpart pair")
        verbose_name_plural = _("counterpart pairs")
        ordering = ["interface_key", "level_key", "client_path_key", "pk"]

    def __str__(self) -> str:
        return f"{self.first_side}: {self.first_role} – {self.second_organisation}: {self.second_role}"

    @property
    def first_side(self) -> str:
        if self.first_organisation is not None:
            return str(self.first_organisation)
        if self.area is not None:
            return str(_("Municipalities of %(area)s") % {"area": self.area})
        return str(_("Municipalities"))

    def valid_in(self, year: int) -> bool:
        return (self.valid_from is None or self.valid_from <= year) and (self.valid_to is None or year <= self.valid_to)


class AgreementStatus(models.TextChoices):
    PREPARING = "preparing", _("In preparation")
    SIGNED = "signed", _("Signed")
    ENDED = "ended", _("Ended")


def agreement_path(agreement: "Agreement", filename: str) -> str:
    return f"agreements/{agreement.region.slug}/{filename}"


class Agreement(models.Model):
    """A written agreement of the partnership (an interface, co-operation or partnership agreement): its
    parties, the area it covers, when it was signed and is valid, its document, and the group responsible."""

    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="agreements")
    kind = models.CharField(_("kind"), max_length=24, choices=AgreementKind.choices)
    title = models.CharField(_("title"), max_length=300)
    parties = models.ManyToManyField(Organisation, verbose_name=_("parties"), related_name="+")
    area = models.ForeignKey(
        Area,
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The sub-region or municipality the agreement covers; empty: the whole region."),
    )
    interface_key = models.SlugField(
        _("interface or focus area"), max_length=80, blank=True, help_text=_("The key of the goal it concerns.")
    )
    group_key = models.SlugField(
        _("responsible group"),
        max_length=80,
        blank=True,
        help_text=_("The key of the group that keeps the agreement; it stays the same from one version to the next."),
    )
    status = models.CharField(_("status"), max_length=12, choices=AgreementStatus.choices)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    document = models.FileField(_("document"), upload_to=agreement_path, max_length=300, blank=True)
    url = models.URLField(_("link to the document"), max_length=1000, blank=True)
    note = models.TextField(_("note"), blank=True)
    source = models.TextField(_("source"), blank=True, help_text=_("Where the entry is drawn from."))
    demo = models.BooleanField(
        _("example (demo data)"), default=False, help_text=_("An invented example of the demo, not a real agreement.")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-signed_on", "title", "pk"]

    def __str__(self) -> str:
        return self.title

    def in_force(self, year: int) -> bool:
        """Signed (or since ended) and valid at some time in `year`."""
        if self.status == AgreementStatus.PREPARING or self.signed_on is None:
            return False
        start = self.valid_from or self.signed_on
        return start.year <= year and (self.valid_until is None or year <= self.valid_until.year)
