"""The data bank: indicators from outside sources and local files, their observations, and import runs."""

import shlex

from django.db import models
from django.utils.translation import gettext_lazy as _

from tilannekuva.core.i18n import translated
from tilannekuva.core.models import BackgroundJob
from tilannekuva.regions.models import Area
from tilannekuva.strategy.models import Direction  # one enum for a metric's and an indicator's direction


class Source(models.Model):
    """Where indicators come from: Sotkanet, Statistics Finland, PTV, or a local file."""

    key = models.SlugField(_("identifier"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    url = models.URLField(_("address"), blank=True)
    licence = models.CharField(_("licence"), max_length=200, blank=True)
    attribution = models.CharField(_("attribution"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    """One indicator at its source, e.g. Sotkanet 127 "Väestö 31.12."."""

    source = models.ForeignKey(Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="indicators")
    external_id = models.CharField(_("id at the source"), max_length=80)
    title_fi = models.CharField(_("title in Finnish"), max_length=500)
    title_sv = models.CharField(_("title in Swedish"), max_length=500, blank=True)
    title_en = models.CharField(_("title in English"), max_length=500, blank=True)
    description_fi = models.TextField(_("description in Finnish"), blank=True)
    description_sv = models.TextField(_("description in Swedish"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    interpretation_fi = models.TextField(_("interpretation in Finnish"), blank=True)
    unit = models.CharField(_("unit"), max_length=120, blank=True)
    decimals = models.PositiveSmallIntegerField(_("decimals"), null=True, blank=True)
    direction = models.CharField(_("direction"), max_length=20, choices=Direction.choices, default=Direction.NEUTRAL)
    organisation = models.CharField(_("producer"), max_length=300, blank=True)
    licence = models.CharField(_("licence"), max_length=200, blank=True)
    data_updated = models.DateField(_("data updated"), null=True, blank=True)
    first_year = models.PositiveSmallIntegerField(_("first year"), null=True, blank=True)
    last_year = models.PositiveSmallIntegerField(_("last year"), null=True, blank=True)
    vintage = models.CharField(
        _("vintage"),
        max_length=300,
        blank=True,
        help_text=_("Where and when the data was taken, e.g. 'data up to 2012, imported from a 2013 snapshot'."),
    )
    metadata = models.JSONField(_("metadata at the source"), default=dict, blank=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["source", "title_fi"]
        constraints = [models.UniqueConstraint(fields=["source", "external_id"], name="indicator_unique_source_id")]

    def __str__(self) -> str:
        return f"{self.title} ({self.source.key} {self.external_id})"

    @property
    def title(self) -> str:
        return translated(self, "title")

    @property
    def description(self) -> str:
        return translated(self, "description")


class Gender(models.TextChoices):
    TOTAL = "total", _("Total")
    MALE = "male", _("Men")
    FEMALE = "female", _("Women")


class ImportStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    UNCHANGED = "unchanged", _("Nothing changed")
    SKIPPED = "skipped", _("Skipped: source not updated")
    FAILED = "failed", _("Failed")


class ImportRun(models.Model):
    """One import from one source: what was asked, what came, what changed. Kept for every run."""

    source = models.ForeignKey(Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="runs")
    source_url = models.TextField(_("address"), blank=True)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.RUNNING)
    rows_added = models.PositiveIntegerField(_("rows added"), default=0)
    rows_changed = models.PositiveIntegerField(_("rows changed"), default=0)
    rows_unchanged = models.PositiveIntegerField(_("rows unchanged"), default=0)
    checksum = models.CharField(_("checksum (SHA-256)"), max_length=64, blank=True)
    errors = models.TextField(_("errors"), blank=True)
    raw_payload = models.BinaryField(_("raw answer (gzip)"), null=True, blank=True, editable=False)
    # The process that runs the import (host:pid): a run left "running" by a process that is gone is marked failed
    # (tilannekuva.core.jobs.fail_dead_runs).
    worker = models.CharField(_("worker"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.source} {self.started_at:%Y-%m-%d %H:%M} {self.get_status_display()}"


class Observation(models.Model):
    """A value of an indicator for an area, a year and a classification (gender, age group, ...)."""

    # No database constraints on the three foreign keys (docs/DECISIONS.md, "Observations without foreign-key
    # constraints"): PostgreSQL's row-by-row checks cost two thirds of a national import. Django still applies
    # CASCADE, PROTECT and SET_NULL on deletes, and services.write_observations refuses unknown ids set-wise.
    # No index of its own: the unique constraint's index starts with the indicator. A second, narrower one led
    # PostgreSQL to read every area's rows of the indicators and filter them (issue 19: 85–190 ms instead of 10).
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="observations", db_constraint=False, db_index=False
    )
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="observations", db_constraint=False)
    year = models.PositiveSmallIntegerField()
    gender = models.CharField(max_length=8, choices=Gender.choices, default=Gender.TOTAL)
    classification = models.CharField(max_length=80, blank=True, default="")
    value = models.FloatField(null=True, blank=True)
    absolute_value = models.FloatField(null=True, blank=True)
    import_run = models.ForeignKey(
        ImportRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_constraint=False
    )

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "area", "year", "gender", "classification"], name="observation_unique"
            )
        ]
        indexes = [models.Index(fields=["area", "indicator", "year"], name="observation_area_ind_year")]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.area_id} {self.year} {self.gender}: {self.value}"


class BackgroundImport(BackgroundJob):
    """An import asked to run in the background (`tilannekuva import --background ...`), run by the worker
    (`tilannekuva worker`). Its progress is shown on /data/imports/ and by `tilannekuva import_jobs`."""

    source = models.CharField(_("source"), max_length=40)
    arguments = models.JSONField(_("arguments"), default=list, blank=True)
    import_run = models.ForeignKey(
        ImportRun, verbose_name=_("import run"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("background import")
        verbose_name_plural = _("background imports")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status"], name="background_import_status")]

    def __str__(self) -> str:
        return f"{self.command_line} ({self.get_status_display()})"

    @property
    def command_line(self) -> str:
        """The import as it would be typed: `file /path/x.csv --indicator-title 'Väestö 31.12.'`."""
        return shlex.join([self.source, *self.arguments])

    def same_work(self) -> dict[str, object]:
        return {"source": self.source, "arguments": self.arguments}
