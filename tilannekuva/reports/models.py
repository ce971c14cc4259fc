"""Snapshots: the dashboard and the follow-up report frozen for a council meeting, kept as rendered."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tilannekuva.regions.models import Region


class Snapshot(models.Model):
    """The dashboard and the report of one follow-up year as they stood when frozen: the rendered pages, the PDF
    and the figures, so that a snapshot keeps its numbers after new imports and reported values."""

    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="snapshots")
    title = models.CharField(_("meeting"), max_length=300, help_text=_("E.g. the council meeting the snapshot is for."))
    meeting_date = models.DateField(_("meeting date"))
    year = models.PositiveSmallIntegerField(_("follow-up year"))
    language = models.CharField(_("language"), max_length=5, default="fi")
    public = models.BooleanField(
        _("public"), default=True, help_text=_("Public when the region's dashboard was public when it was frozen.")
    )
    dashboard_html = models.TextField(_("dashboard as rendered"))
    report_html = models.TextField(_("report as rendered"))
    report_pdf = models.BinaryField(_("report as PDF"), editable=False)
    figures = models.JSONField(_("figures"), default=list, blank=True)
    created_at = models.DateTimeField(_("frozen at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("snapshot")
        verbose_name_plural = _("snapshots")
        ordering = ["region", "-meeting_date", "-pk"]

    def __str__(self) -> str:
        return f"{self.region} {self.meeting_date:%d.%m.%Y} {self.title}"
