"""Official HYTE figures imported per year: THL's coefficient reports (indicator values and points) and the
Ministry of Finance's state-aid figures (€ per municipality). They are the truth the pages and the dashboard
show; the calculator only simulates around them."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tilannekuva.regions.models import Area


class Level(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipalities")
    COUNTY = "county", _("Wellbeing services counties")


class FigureKind(models.TextChoices):
    THL = "thl", _("THL coefficient report (indicator values and points)")
    VM = "vm", _("Ministry of Finance state-aid figures (€)")


class FigureImport(models.Model):
    """One import of one official table: what file, which year and level, what changed."""

    kind = models.CharField(_("kind"), max_length=8, choices=FigureKind.choices)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    file_name = models.CharField(_("file"), max_length=300)
    checksum = models.CharField(_("checksum (SHA-256)"), max_length=64)
    synthetic = models.BooleanField(
        _("synthetic demo figures"), default=False, help_text=_("Made up for the demo; never official figures.")
    )
    imported_at = models.DateTimeField(_("imported"), auto_now_add=True)
    rows_added = models.PositiveIntegerField(_("rows added"), default=0)
    rows_changed = models.PositiveIntegerField(_("rows changed"), default=0)
    rows_unchanged = models.PositiveIntegerField(_("rows unchanged"), default=0)
    rows_removed = models.PositiveIntegerField(_("rows removed"), default=0)

    class Meta:
        verbose_name = _("official figure import")
        verbose_name_plural = _("official figure imports")
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.level} {self.year}: {self.file_name}"


class IndicatorFigure(models.Model):
    """THL's figure of one indicator (or of the process part, the outcome part or the total) for one area."""

    TOTAL = "total"
    PROCESS = "process"
    OUTCOME = "outcome"

    year = models.PositiveSmallIntegerField(_("year"))
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="+")
    indicator = models.CharField(_("indicator"), max_length=80)
    value = models.FloatField(_("indicator value"), null=True, blank=True)
    points = models.FloatField(_("points (0–100)"), null=True, blank=True)
    synthetic = models.BooleanField(_("synthetic demo figure"), default=False)
    batch = models.ForeignKey(FigureImport, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("official indicator figure")
        verbose_name_plural = _("official indicator figures")
        constraints = [
            models.UniqueConstraint(fields=["year", "level", "area", "indicator"], name="funding_indicator_unique")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.area_id} {self.indicator}: {self.value} / {self.points}"


class EuroFigure(models.Model):
    """The Ministry of Finance's HYTE supplement of one area in one year, with the residents it was counted on."""

    year = models.PositiveSmallIntegerField(_("year"))
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="+")
    eur = models.DecimalField(_("euros"), max_digits=14, decimal_places=2)
    residents = models.PositiveIntegerField(_("residents"), null=True, blank=True)
    synthetic = models.BooleanField(_("synthetic demo figure"), default=False)
    batch = models.ForeignKey(FigureImport, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("official euro figure")
        verbose_name_plural = _("official euro figures")
        constraints = [models.UniqueConstraint(fields=["year", "level", "area"], name="funding_euro_unique")]

    def __str__(self) -> str:
        return f"{self.year} {self.area_id}: {self.eur} €"
