"""Statement rounds (lausuntokierros): a draft strategy version sent to chosen partners for their statements by a
date, the statements (in general or on a goal, with a document) and the administrators' answers to them. The
round stays with its version: once the version is approved, its statements and answers are shown beside it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tilannekuva.regions.models import Organisation, Region
from tilannekuva.strategy.models import Goal, StrategyVersion


class RoundStatus(models.TextChoices):
    OPEN = "open", _("Open for statements")
    CLOSED = "closed", _("Closed")


class StatementRound(models.Model):
    """One request for statements on a draft version."""

    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(
        StrategyVersion, verbose_name=_("strategy version"), on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("title"), max_length=300)
    instructions = models.TextField(_("what is asked"), blank=True)
    deadline = models.DateField(_("statements by"))
    status = models.CharField(_("status"), max_length=8, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    demo = models.BooleanField(_("demo data"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("statement round")
        verbose_name_plural = _("statement rounds")
        ordering = ["region", "-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.version.year})"


class StatementRequest(models.Model):
    """A partner asked for its statement in a round."""

    round = models.ForeignKey(StatementRound, on_delete=models.CASCADE, related_name="requests")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("request for a statement")
        verbose_name_plural = _("requests for statements")
        ordering = ["round", "organisation__name"]
        constraints = [models.UniqueConstraint(fields=["round", "organisation"], name="statement_request_unique")]

    def __str__(self) -> str:
        return f"{self.round}: {self.organisation}"

    @property
    def region(self) -> Region:
        return self.round.region


def document_path(statement: "Statement", filename: str) -> str:
    return f"statements/{statement.request.round.region.slug}/{statement.request.round_id}/{filename}"


class Statement(models.Model):
    """A partner's statement, on the version in general (no goal) or on one of its goals."""

    request = models.ForeignKey(StatementRequest, on_delete=models.CASCADE, related_name="statements")
    goal = models.ForeignKey(
        Goal, verbose_name=_("goal"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("statement"))
    document = models.FileField(_("document"), upload_to=document_path, max_length=300, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("given by")
    )
    submitted_at = models.DateTimeField(pgettext_lazy("statement", "given"), auto_now_add=True)

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        ordering = ["request__organisation__name", "submitted_at", "pk"]

    def __str__(self) -> str:
        return f"{self.request.organisation}: {self.text[:60]}"

    @property
    def region(self) -> Region:
        return self.request.round.region


class StatementAnswer(models.Model):
    """The answer to a statement (vastine): what was done with it in the version."""

    statement = models.OneToOneField(Statement, on_delete=models.CASCADE, related_name="answer")
    text = models.TextField(pgettext_lazy("statement", "answer"))
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("answered by")
    )
    answered_at = models.DateTimeField(pgettext_lazy("statement", "answered"), auto_now=True)

    class Meta:
        verbose_name = _("answer to a statement")
        verbose_name_plural = _("answers to statements")

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def region(self) -> Region:
        return self.statement.request.round.region
