"""Strategic projects (seed 004, phase 3: "aikataulutus, budjetointi ja toteutussuunnitelmat", "Riskianalyysi ja
toimenpiteet"): a project under a goal or an action, with its milestones, budget and funders, a risk register
(likelihood × impact and measures) and its progress reports. A project names its goal or action by key, which
stays the same from one yearly version to the next, as meetings name their group."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tilannekuva.regions.models import Organisation, Region


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    APPLIED = "applied", _("Funding applied for")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Project(models.Model):
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    goal_key = models.SlugField(_("goal"), max_length=80, blank=True, help_text=_("The key of the goal."))
    action_key = models.SlugField(_("action"), max_length=80, blank=True, help_text=_("The key of the action."))
    group_key = models.SlugField(
        _("responsible group"),
        max_length=80,
        blank=True,
        help_text=_("Its coordinators write the progress reports, e.g. hyte-tyoryhma."),
    )
    lead = models.ForeignKey(
        Organisation,
        verbose_name=_("lead organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    starts_on = models.DateField(_("starts"), null=True, blank=True)
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    budget = models.DecimalField(
        pgettext_lazy("project", "budget (€)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    status = models.CharField(_("status"), max_length=16, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED)
    source = models.CharField(
        _("source"), max_length=500, blank=True, help_text=_("Where the project's facts come from.")
    )
    demo = models.BooleanField(_("demo data"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["region", "-starts_on", "name"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(goal_key="", action_key=""), name="project_under_goal_or_action")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """The goal or action must be one of the region's strategy (in any yearly version: keys stay)."""
        from tilannekuva.strategy.models import Action, Goal

        errors = {}
        if not self.goal_key and not self.action_key:
            errors["goal_key"] = _("Name the goal or the action the project belongs to.")
        in_region = {"version__strategy__region_id": self.region_id}
        if self.goal_key and not Goal.objects.filter(key=self.goal_key, **in_region).exists():
            errors["goal_key"] = _("The region's strategy has no goal with this key.")
        if self.action_key and not Action.objects.filter(key=self.action_key, **in_region).exists():
            errors["action_key"] = _("The region's strategy has no action with this key.")
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The project ends before it starts.")
        if errors:
            raise ValidationError(errors)


class Milestone(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=300)
    due = models.DateField(_("due"))
    done_on = models.DateField(_("done"), null=True, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def region(self) -> Region:
        return self.project.region


class Funding(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="funding")
    funder = models.CharField(pgettext_lazy("project", "funder"), max_length=300)
    amount = models.DecimalField(
        _("amount (€)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    confirmed = models.BooleanField(_("granted"), default=False)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("funding")
        verbose_name_plural = _("funding")
        ordering = ["-amount", "pk"]

    def __str__(self) -> str:
        return f"{self.funder}: {self.amount} €"

    @property
    def region(self) -> Region:
        return self.project.region


SCALE = [MinValueValidator(1), MaxValueValidator(5)]


class RiskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Risk(models.Model):
    """A risk of the project: likelihood and impact on 1–5, the score their product (1–25), and the measures."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="risks")
    title = models.CharField(_("risk"), max_length=300)
    likelihood = models.PositiveSmallIntegerField(_("likelihood (1–5)"), validators=SCALE)
    impact = models.PositiveSmallIntegerField(_("impact (1–5)"), validators=SCALE)
    measures = models.TextField(_("measures"), blank=True)
    owner = models.CharField(_("owner (role)"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=RiskStatus.choices, default=RiskStatus.OPEN)

    class Meta:
        verbose_name = _("risk")
        verbose_name_plural = _("risks")
        ordering = ["status", "-likelihood", "-impact", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(likelihood__gte=1, likelihood__lte=5, impact__gte=1, impact__lte=5),
                name="risk_scale_1_5",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def region(self) -> Region:
        return self.project.region

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def level(self) -> str:
        """high (15–25), medium (8–14), low (1–7): told by symbol and word on the pages."""
        return "high" if self.score >= 15 else "medium" if self.score >= 8 else "low"


class ProgressReport(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="progress_reports")
    written_on = models.DateField(_("date"))
    text = models.TextField(_("progress"))
    spent = models.DecimalField(
        _("spent so far (€)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    status_after = models.CharField(_("status after"), max_length=16, choices=ProjectStatus.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-written_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.project}: {self.written_on:%d.%m.%Y}"

    @property
    def region(self) -> Region:
        return self.project.region
