"""Follow-up of the metrics that people report: reporting periods, a task per metric and organisation, reported
values with their evidence, and their approval."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tilannekuva.regions.models import Organisation, Region
from tilannekuva.strategy.models import Metric


class PeriodStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class ReportingPeriod(models.Model):
    """A region's follow-up of one year: its manual metrics become tasks for their responsible groups."""

    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="periods")
    year = models.PositiveSmallIntegerField(_("year"))
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=8, choices=PeriodStatus.choices, default=PeriodStatus.OPEN)
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reminded_on = models.DateField(_("reminders sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["region", "-year"]
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="period_unique_year")]

    def __str__(self) -> str:
        return f"{self.region} {self.year}"


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Not reported")
    SUBMITTED = "submitted", _("Waiting for approval")
    RETURNED = "returned", _("Returned for correction")
    APPROVED = "approved", _("Approved")


class Task(models.Model):
    """One metric to report in a period, for one organisation where the metric is reported per organisation.

    A task of a metric reported for the whole partnership has no organisation until an editor reports it: the
    first report claims it for the editor's organisation, and only that organisation's editors may change it.
    """

    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("period"), on_delete=models.CASCADE, related_name="tasks"
    )
    metric = models.ForeignKey(Metric, verbose_name=_("metric"), on_delete=models.CASCADE, related_name="tasks")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    group_key = models.SlugField(_("responsible group"), max_length=80, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.OPEN)

    class Meta:
        verbose_name = _("reporting task")
        verbose_name_plural = _("reporting tasks")
        ordering = ["period", "metric__goal__position", "metric__position", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["period", "metric", "organisation"], name="task_unique_organisation"),
            models.UniqueConstraint(
                fields=["period", "metric"], condition=models.Q(organisation=None), name="task_unique_shared"
            ),
        ]

    def __str__(self) -> str:
        who = f" – {self.organisation}" if self.organisation_id else ""
        return f"{self.metric.title[:80]} ({self.period.year}){who}"

    @property
    def region(self) -> Region:
        return self.period.region

    @property
    def current(self) -> "Report | None":
        # Reports are ordered newest first (Meta.ordering), so the prefetched list of a page serves here too.
        return self.reports.first()


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned for correction")


def evidence_path(report: "Report", filename: str) -> str:
    return f"evidence/{report.task.period.region.slug}/{report.task.period.year}/{report.task_id}/{filename}"


class Report(models.Model):
    """A reported value with its evidence. Each submission is kept; the task's latest one is the current."""

    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="reports")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    value_number = models.FloatField(_("value"), null=True, blank=True)
    value_yes = models.BooleanField(_("yes or no"), null=True, blank=True)
    value_text = models.TextField(_("value in words"), blank=True)
    evidence_url = models.URLField(_("evidence (link)"), max_length=1000, blank=True)
    evidence_file = models.FileField(_("evidence (file)"), upload_to=evidence_path, max_length=300, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.SUBMITTED)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("reported by")
    )
    submitted_at = models.DateTimeField(_("reported"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_comment = models.TextField(_("reviewer's comment"), blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-submitted_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.task} · {self.display_value}"

    @property
    def region(self) -> Region:
        return self.task.period.region

    @property
    def numeric_value(self) -> float | None:
        """The value as the dashboard computes with it: yes = 1, no = 0."""
        if self.value_yes is not None:
            return 1.0 if self.value_yes else 0.0
        return self.value_number

    @property
    def display_value(self) -> str:
        if self.value_yes is not None:
            return str(_("Yes") if self.value_yes else _("No"))
        if self.value_number is not None:
            return f"{self.value_number:g}"
        return self.value_text[:80]
