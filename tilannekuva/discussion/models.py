"""Discussion on the data (seed 002: "interaktiivisen keskustelun ja tiedon vaihtamisen"): the partners' threaded
comments on a metric, a goal or an action, moderated by the region's administrators, who may choose a comment to
be shown in a year's report. A comment names its subject by key, which stays from one yearly version to the next."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tilannekuva.regions.models import Organisation, Region


class Subject(models.TextChoices):
    METRIC = "metric", _("Metric")
    GOAL = "goal", _("Goal")
    ACTION = "action", _("Action")


class CommentStatus(models.TextChoices):
    VISIBLE = "visible", _("Visible")
    HIDDEN = "hidden", _("Hidden by a moderator")


class Comment(models.Model):
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(_("subject"), max_length=8, choices=Subject.choices)
    key = models.SlugField(_("key"), max_length=80)
    parent = models.ForeignKey(
        "self", verbose_name=_("reply to"), null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=8, choices=CommentStatus.choices, default=CommentStatus.VISIBLE)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    moderation_note = models.CharField(_("moderator's note"), max_length=500, blank=True)
    report_year = models.PositiveSmallIntegerField(
        _("shown in the report of"), null=True, blank=True, help_text=_("Empty: not shown in a report.")
    )

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["region", "subject", "key"])]

    def __str__(self) -> str:
        return self.text[:80]
