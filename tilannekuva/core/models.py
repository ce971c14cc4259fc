"""The ground floor's models: what every background job keeps (abstract), and the counters of shared limits."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Done")
    FAILED = "failed", _("Failed")


class BackgroundJob(models.Model):
    """What every background job keeps (the data bank's imports, the reports app's builds): its status, attempts,
    worker, heartbeat and progress. Run by `tilannekuva worker` through tilannekuva.core.jobs."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("queued"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    worker = models.CharField(_("worker"), max_length=200, blank=True)
    progress = models.CharField(_("progress"), max_length=500, blank=True)
    output = models.TextField(_("output"), blank=True)
    task_id = models.CharField(_("task"), max_length=64, blank=True)

    class Meta:
        abstract = True

    @property
    def active(self) -> bool:
        return self.status in (JobStatus.QUEUED, JobStatus.RUNNING)

    @property
    def command_line(self) -> str:
        raise NotImplementedError

    def same_work(self) -> dict[str, object]:
        """The fields that make two jobs the same work: the last finished one is the yardstick of progress."""
        raise NotImplementedError


class RateCounter(models.Model):
    """One counter of one period for a limit shared by every server process (tilannekuva.core.limits); rows of
    ended periods are dropped as new periods begin."""

    name = models.CharField(max_length=200, primary_key=True)
    period = models.BigIntegerField()
    amount = models.BigIntegerField(default=0)
    expires_at = models.FloatField(db_index=True)

    class Meta:
        verbose_name = _("rate counter")
        verbose_name_plural = _("rate counters")

    def __str__(self) -> str:
        return f"{self.name}: {self.amount}"
