"""Snapshots: the dashboard and the follow-up report frozen for a council meeting, kept as rendered."""

import shlex

from django.conf import settings
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from tilannekuva.core.models import BackgroundJob
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


class BuildFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    HTML = "html", "HTML"


class ReportBuild(BackgroundJob):
    """A report built in the background (`tilannekuva report build --background ...` or the reports page's
    button), run by `tilannekuva worker`; the finished file is kept in the media storage for download."""

    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("follow-up year"))
    municipality_code = models.CharField(_("municipality"), max_length=3, blank=True)
    county_code = models.CharField(_("wellbeing services county"), max_length=8, blank=True)
    kind = models.CharField(_("kind"), max_length=16, default="followup")
    language = models.CharField(_("language"), max_length=5, default="fi")
    format = models.CharField(_("format"), max_length=4, choices=BuildFormat.choices, default=BuildFormat.PDF)
    file = models.FileField(_("file"), upload_to="reports/builds/", blank=True, max_length=300)

    class Meta:
        verbose_name = _("background report build")
        verbose_name_plural = _("background report builds")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status"], name="report_build_status")]

    def __str__(self) -> str:
        return f"{self.command_line} ({self.get_status_display()})"

    @property
    def command_line(self) -> str:
        """The build as it would be typed: `report build etela-savo --year 2024 --format pdf --language fi`."""
        parts = ["report", "build", self.region.slug, "--year", str(self.year), "--format", self.format]
        parts += ["--language", self.language]
        if self.municipality_code:
            parts += ["--municipality", self.municipality_code]
        if self.county_code:
            parts += ["--county", self.county_code]
        if self.kind != "followup":
            parts += ["--kind", self.kind]
        return shlex.join(parts)

    def same_work(self) -> dict[str, object]:
        return {
            "region": self.region_id,
            "year": self.year,
            "municipality_code": self.municipality_code,
            "county_code": self.county_code,
            "kind": self.kind,
            "language": self.language,
            "format": self.format,
        }

    @property
    def filename(self) -> str:
        county = f"county-{self.county_code}" if self.county_code else ""
        parts = [self.region.slug, self.kind, str(self.year), self.municipality_code, county, self.language]
        return slugify("-".join(filter(None, parts))) + "." + self.format
