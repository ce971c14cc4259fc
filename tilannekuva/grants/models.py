"""Grants to associations (järjestöavustukset): a region's yearly principles (priorities that rise from its
wellbeing data, and the assessment criteria), the funders' grant rounds, applications, reviews and decisions."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tilannekuva.regions.models import Area, Organisation, Region


class PrinciplesStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class Principles(models.Model):
    """A region's grant principles of one year: the priorities and the criteria shared by every funder's round."""

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="grant_principles"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    group_key = models.SlugField(
        _("working group"),
        max_length=80,
        blank=True,
        help_text=_("The key of the HYTE working group whose coordinators set the priorities, e.g. hyte-tyoryhma."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=PrinciplesStatus.choices, default=PrinciplesStatus.DRAFT
    )
    reasoning = models.TextField(_("reasoning"), blank=True)
    data_vintage = models.TextField(_("data vintage"), blank=True)
    proposed_at = models.DateTimeField(_("proposed"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("grant principles")
        verbose_name_plural = _("grant principles")
        ordering = ["region", "-year"]
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="grants_principles_unique_year")]

    def __str__(self) -> str:
        return f"{self.region} {self.year}"

    @property
    def is_published(self) -> bool:
        return self.status == PrinciplesStatus.PUBLISHED


class PriorityOrigin(models.TextChoices):
    DATA = "data", _("Proposed from the data")
    GROUP = "group", _("Added by the working group")


class PriorityStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class Priority(models.Model):
    """A yearly priority. `evidence` holds the indicators behind a proposed one as they were when proposed."""

    principles = models.ForeignKey(Principles, on_delete=models.CASCADE, related_name="priorities")
    theme = models.CharField(_("theme"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    origin = models.CharField(_("origin"), max_length=8, choices=PriorityOrigin.choices, default=PriorityOrigin.GROUP)
    status = models.CharField(
        _("status"), max_length=10, choices=PriorityStatus.choices, default=PriorityStatus.PROPOSED
    )
    evidence = models.JSONField(_("evidence"), default=list, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("priority")
        verbose_name_plural = _("priorities")
        ordering = ["principles", "position", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def region(self) -> Region:
        return self.principles.region


class CriterionKind(models.TextChoices):
    SCORED = "scored", _("Scored by the reviewers (0–5)")
    PRIORITY_FIT = "priority_fit", _("Computed from the priorities addressed")


class Criterion(models.Model):
    """An assessment criterion with its weight; the priority-fit criterion is computed, the others scored."""

    principles = models.ForeignKey(Principles, on_delete=models.CASCADE, related_name="criteria")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight (points)"), default=25, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    kind = models.CharField(_("kind"), max_length=16, choices=CriterionKind.choices, default=CriterionKind.SCORED)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["principles", "position", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def region(self) -> Region:
        return self.principles.region


class GrantRound(models.Model):
    """A funder's call for applications under the region's principles of the year."""

    principles = models.ForeignKey(
        Principles, verbose_name=_("principles"), on_delete=models.PROTECT, related_name="rounds"
    )
    funder = models.ForeignKey(Organisation, verbose_name=_("funder"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=300)
    opens_on = models.DateField(_("opens"))
    closes_on = models.DateField(_("closes"))
    budget = models.DecimalField(
        _("budget (€)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    max_grant = models.DecimalField(
        _("largest grant (€)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Empty: no limit below the budget."),
    )
    min_score = models.PositiveSmallIntegerField(
        _("lowest weighted score funded"),
        default=50,
        validators=[MaxValueValidator(100)],
        help_text=_("Applications below this weighted score (0–100) get no grant in the allocation proposal."),
    )
    eligibility = models.TextField(_("eligibility rules"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("grant round")
        verbose_name_plural = _("grant rounds")
        ordering = ["-opens_on", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def region(self) -> Region:
        return self.principles.region

    @property
    def year(self) -> int:
        return self.principles.year


class RoundReviewer(models.Model):
    """A user named to score a round's applications."""

    round = models.ForeignKey(GrantRound, on_delete=models.CASCADE, related_name="reviewers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    named_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    named_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reviewer")
        verbose_name_plural = _("reviewers")
        constraints = [models.UniqueConstraint(fields=["round", "user"], name="grants_reviewer_unique")]

    def __str__(self) -> str:
        return f"{self.user} – {self.round}"

    @property
    def region(self) -> Region:
        return self.round.principles.region


class TargetGroup(models.TextChoices):
    CHILDREN = "children", _("Children")
    YOUNG = "young", _("Young people")
    FAMILIES = "families", _("Families with children")
    WORKING_AGE = "working_age", _("Working-age adults")
    OLDER = "older", _("Older people")
    DISABLED = "disabled", _("People with disabilities")
    IMMIGRANTS = "immigrants", _("Immigrants")
    UNEMPLOYED = "unemployed", _("Unemployed people")
    EVERYONE = "everyone", _("All residents")


class ApplicationStatus(models.TextChoices):
    RECEIVED = "received", _("Received, being assessed")
    GRANTED = "granted", _("Granted")
    PARTLY_GRANTED = "partly_granted", _("Granted in part")
    REJECTED = "rejected", _("Not granted")


class Application(models.Model):
    """An association's application. The applicant sees it through a private link whose token is kept hashed."""

    round = models.ForeignKey(
        GrantRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="applications"
    )
    association = models.CharField(_("association"), max_length=200)
    business_id = models.CharField(_("business id"), max_length=9)
    email = models.EmailField(_("e-mail for the confirmation"))
    # What a Finnish grant decision and its payment need: whom to contact, who signs for the association, where
    # the money goes; and the applicant's acknowledgement of the privacy notice (tietosuojaseloste).
    contact_person = models.CharField(_("contact person"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    signatory = models.CharField(_("person with signing authority"), max_length=200, blank=True)
    iban = models.CharField(_("bank account (IBAN)"), max_length=34, blank=True)
    privacy_notice_seen_at = models.DateTimeField(_("privacy notice acknowledged"), null=True, blank=True)
    activity = models.CharField(_("activity"), max_length=200)
    description = models.TextField(_("description of the activity"))
    target_groups = models.JSONField(_("target groups"), default=list)
    priorities = models.ManyToManyField(Priority, verbose_name=_("priorities addressed"), related_name="applications")
    municipalities = models.ManyToManyField(Area, verbose_name=_("municipalities served"), related_name="+")
    total_budget = models.DecimalField(_("budget of the activity (€)"), max_digits=12, decimal_places=2)
    amount_applied = models.DecimalField(_("amount applied (€)"), max_digits=12, decimal_places=2)
    earlier_grants = models.TextField(_("earlier grants"), blank=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    submitted_at = models.DateTimeField(pgettext_lazy("grant application", "submitted"), auto_now_add=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=ApplicationStatus.choices, default=ApplicationStatus.RECEIVED
    )
    granted_amount = models.DecimalField(_("granted (€)"), max_digits=12, decimal_places=2, null=True, blank=True)
    decision_note = models.TextField(_("reasons for the decision"), blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["round", "submitted_at", "pk"]

    def __str__(self) -> str:
        return f"{self.association}: {self.activity}"

    @property
    def region(self) -> Region:
        return self.round.principles.region

    @property
    def target_group_labels(self) -> list[str]:
        labels = dict(TargetGroup.choices)
        return [str(labels.get(key, key)) for key in self.target_groups]


def attachment_path(attachment: "Attachment", filename: str) -> str:
    application = attachment.application
    return f"grants/{application.round.principles.region.slug}/{application.round_id}/{application.pk}/{filename}"


class Attachment(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["application", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def region(self) -> Region:
        return self.application.region


class Review(models.Model):
    """One reviewer's scores of one application, given independently and then fixed."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    comment = models.TextField(_("comment"), blank=True)
    submitted_at = models.DateTimeField(_("scored"), auto_now_add=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["application", "submitted_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["application", "reviewer"], name="grants_review_unique")]

    def __str__(self) -> str:
        return f"{self.reviewer} – {self.application}"

    @property
    def region(self) -> Region:
        return self.application.region


class CriterionScore(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(_("score"), validators=[MaxValueValidator(5)])

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [models.UniqueConstraint(fields=["review", "criterion"], name="grants_score_unique")]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"


class Conflict(models.Model):
    """A reviewer's declared conflict of interest (esteellisyys) in one application: the reviewer does not score
    it, and the application's score comes from the others."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="conflicts")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField(_("reason"))
    declared_at = models.DateTimeField(_("declared"), auto_now_add=True)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [models.UniqueConstraint(fields=["application", "reviewer"], name="grants_conflict_unique")]

    def __str__(self) -> str:
        return f"{self.reviewer} – {self.application}"

    @property
    def region(self) -> Region:
        return self.application.region
