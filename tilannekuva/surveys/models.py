"""Surveys: a survey of a region in a year, its sections and questions, invitations (single-use tokens), and the
responses with their answers. Answers are anonymous unless the survey says otherwise."""

import hashlib

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tilannekuva.core.i18n import translated
from tilannekuva.regions.models import Organisation, OrganisationKind, Region

MIN_GROUP_SIZE = 5  # the house rule's floor: no group under five respondents is ever shown broken down


def token_hash(token: str) -> str:
    """Tokens are stored only as their SHA-256: a copy of the database gives nobody a way to answer."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", pgettext_lazy("survey status", "Open")  # "avoinna", not a task's "avoin"
    CLOSED = "closed", _("Closed")


class Distribution(models.TextChoices):
    INVITATIONS = "invitations", _("Single-use invitations")
    OPEN_LINK = "open_link", _("Open anonymous link")


class Survey(models.Model):
    """One survey of a region in one year. Its `key` names the kind of survey (e.g. partner-survey): the strategy
    binds metrics to it (`binding: {type: survey, survey: partner-survey, question: nps}`) and the results of
    the same key are compared year over year."""

    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="surveys")
    key = models.SlugField(
        _("survey key"),
        max_length=80,
        help_text=_("The same key every year, e.g. partner-survey; metrics are bound to it."),
    )
    template = models.SlugField(_("template"), max_length=80, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    title_fi = models.CharField(pgettext_lazy("survey", "title in Finnish"), max_length=300)
    title_sv = models.CharField(pgettext_lazy("survey", "title in Swedish"), max_length=300, blank=True)
    title_en = models.CharField(pgettext_lazy("survey", "title in English"), max_length=300, blank=True)
    intro_fi = models.TextField(_("introduction in Finnish"), blank=True)
    intro_sv = models.TextField(_("introduction in Swedish"), blank=True)
    intro_en = models.TextField(_("introduction in English"), blank=True)
    status = models.CharField(_("status"), max_length=8, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT)
    distribution = models.CharField(
        _("distribution"), max_length=12, choices=Distribution.choices, default=Distribution.INVITATIONS
    )
    opens_on = models.DateField(_("opens on"), null=True, blank=True)
    closes_on = models.DateField(_("closes on"), null=True, blank=True)
    anonymous = models.BooleanField(
        _("anonymous"),
        default=True,
        help_text=_("Anonymous: an answer keeps only the kind of the respondent's organisation, never the invitation."),
    )
    asks_organisation_kind = models.BooleanField(
        _("ask the kind of organisation"),
        default=False,
        help_text=_("On the open link, ask respondents what kind of organisation they answer for."),
    )
    min_group_size = models.PositiveSmallIntegerField(
        _("smallest group shown"),
        default=MIN_GROUP_SIZE,
        validators=[MinValueValidator(MIN_GROUP_SIZE)],
        help_text=_("Results of a group with fewer respondents are never shown; at least 5."),
    )
    open_key = models.CharField(_("open link key"), max_length=64, blank=True, unique=True, null=True)
    source = models.TextField(_("source of the questions"), blank=True)
    demo = models.BooleanField(
        _("demo data (synthetic)"), default=False, help_text=_("The answers are synthetic demo data, made by code.")
    )
    results_published_at = models.DateTimeField(
        _("results published"),
        null=True,
        blank=True,
        help_text=_("When set, the results (small groups hidden, approved open answers only) are public."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["region", "-year", "key"]
        constraints = [
            models.UniqueConstraint(fields=["region", "key", "year"], name="survey_unique_key_year"),
            models.CheckConstraint(condition=models.Q(min_group_size__gte=MIN_GROUP_SIZE), name="survey_min_group"),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.year}"

    @property
    def title(self) -> str:
        return translated(self, "title")

    @property
    def intro(self) -> str:
        return translated(self, "intro")

    @property
    def threshold(self) -> int:
        return max(self.min_group_size, MIN_GROUP_SIZE)

    @property
    def results_published(self) -> bool:
        return self.results_published_at is not None


class Section(models.Model):
    survey = models.ForeignKey(Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveIntegerField(_("position"), default=0)
    title_fi = models.CharField(pgettext_lazy("survey", "title in Finnish"), max_length=300, blank=True)
    title_sv = models.CharField(pgettext_lazy("survey", "title in Swedish"), max_length=300, blank=True)
    title_en = models.CharField(pgettext_lazy("survey", "title in English"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["survey", "position", "pk"]

    def __str__(self) -> str:
        return self.title or str(_("Section %(number)s") % {"number": self.position + 1})

    @property
    def title(self) -> str:
        return translated(self, "title")

    @property
    def region(self) -> Region:
        return self.survey.region


class QuestionKind(models.TextChoices):
    NPS = "nps", _("Recommendation (NPS)")
    SCALE_1_10 = "scale_1_10", _("Scale 1–10")
    SCALE_1_5 = "scale_1_5", _("Scale 1–5")
    LIKERT = "likert", _("Agreement (Likert 1–5)")
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TEXT = "text", _("Open text")


LIKERT_LABELS = [
    _("Strongly disagree"),
    _("Disagree"),
    _("Neither agree nor disagree"),
    _("Agree"),
    _("Strongly agree"),
]
SCALE_KINDS = {QuestionKind.NPS, QuestionKind.SCALE_1_10, QuestionKind.SCALE_1_5, QuestionKind.LIKERT}
CHOICE_KINDS = {QuestionKind.SINGLE, QuestionKind.MULTIPLE}
DEFAULT_SCALES = {
    QuestionKind.NPS: (0, 10),
    QuestionKind.SCALE_1_10: (1, 10),
    QuestionKind.SCALE_1_5: (1, 5),
    QuestionKind.LIKERT: (1, 5),
}


class Question(models.Model):
    """A question; its scale is stored with it (NPS on 0–10, or on the seed's 1–10 as asked there)."""

    survey = models.ForeignKey(Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(Section, verbose_name=_("section"), on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(_("key"), max_length=80, help_text=_("E.g. nps or q1; metrics are bound to it."))
    position = models.PositiveIntegerField(_("position"), default=0)
    kind = models.CharField(pgettext_lazy("survey question", "kind"), max_length=12, choices=QuestionKind.choices)
    scale_min = models.SmallIntegerField(_("scale from"), null=True, blank=True)
    scale_max = models.SmallIntegerField(_("scale to"), null=True, blank=True)
    required = models.BooleanField(_("required"), default=False)
    text_fi = models.TextField(_("question in Finnish"))
    text_sv = models.TextField(_("question in Swedish"), blank=True)
    text_en = models.TextField(_("question in English"), blank=True)
    help_fi = models.CharField(_("help in Finnish"), max_length=500, blank=True)
    help_sv = models.CharField(_("help in Swedish"), max_length=500, blank=True)
    help_en = models.CharField(_("help in English"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["survey", "section__position", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["survey", "key"], name="question_unique_key")]

    def __str__(self) -> str:
        return f"{self.key}: {self.text[:80]}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.kind in DEFAULT_SCALES:
            low, high = DEFAULT_SCALES[QuestionKind(self.kind)]
            self.scale_min = low if self.scale_min is None else self.scale_min
            self.scale_max = high if self.scale_max is None else self.scale_max
        else:
            self.scale_min = self.scale_max = None
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def text(self) -> str:
        return translated(self, "text")

    @property
    def help(self) -> str:
        return translated(self, "help")

    @property
    def region(self) -> Region:
        return self.survey.region

    @property
    def is_scale(self) -> bool:
        return self.kind in SCALE_KINDS

    @property
    def is_choice(self) -> bool:
        return self.kind in CHOICE_KINDS

    @property
    def point_labels(self) -> dict[int, str]:
        """Labels of a scale's points: its choices valued 1, 2, …, or the Likert scale's own words."""
        labels = {int(c.value): c.text for c in self.choices.all() if c.value.lstrip("-").isdigit()}
        if not labels and self.kind == QuestionKind.LIKERT:
            labels = {i + 1: str(text) for i, text in enumerate(LIKERT_LABELS)}
        return labels

    @property
    def scale(self) -> list[int]:
        if self.scale_min is None or self.scale_max is None:
            return []
        return list(range(self.scale_min, self.scale_max + 1))


class Choice(models.Model):
    question = models.ForeignKey(Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveIntegerField(_("position"), default=0)
    value = models.SlugField(_("value"), max_length=80)
    text_fi = models.CharField(_("text in Finnish"), max_length=300)
    text_sv = models.CharField(_("text in Swedish"), max_length=300, blank=True)
    text_en = models.CharField(_("text in English"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        ordering = ["question", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["question", "value"], name="choice_unique_value")]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return translated(self, "text")

    @property
    def region(self) -> Region:
        return self.question.survey.region


class Invitation(models.Model):
    """A single-use invitation: its token is shown once and stored only as a hash."""

    survey = models.ForeignKey(Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="invitations")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    used_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["survey", "organisation__name", "pk"]

    def __str__(self) -> str:
        return f"{self.survey} – {self.organisation or '–'}"

    @property
    def region(self) -> Region:
        return self.survey.region


class ResponseSource(models.TextChoices):
    WEB = "web", _("Answered here")
    IMPORT = "import", _("Imported")
    DEMO = "demo", _("Demo data (synthetic)")


class Response(models.Model):
    """One respondent's answers. In an anonymous survey only the kind of organisation is kept."""

    survey = models.ForeignKey(Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="responses")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organisation_kind = models.CharField(
        _("kind of organisation"), max_length=32, choices=OrganisationKind.choices, blank=True
    )
    invitation = models.OneToOneField(
        Invitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="response"
    )
    submitted_at = models.DateTimeField(_("submitted"))
    source = models.CharField(_("source"), max_length=8, choices=ResponseSource.choices, default=ResponseSource.WEB)
    import_key = models.CharField(_("respondent in the imported file"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["survey", "submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "import_key"], condition=~models.Q(import_key=""), name="response_unique_import"
            )
        ]

    def __str__(self) -> str:
        return f"{self.survey} #{self.pk}"

    @property
    def region(self) -> Region:
        return self.survey.region


class Moderation(models.TextChoices):
    PENDING = "pending", _("Waiting for moderation")
    PUBLISHED = "published", _("Published")
    HIDDEN = "hidden", _("Not published")


class Answer(models.Model):
    """One answer: a number (scales), a choice (one row per chosen option), or text (moderated before it is
    published)."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    number = models.SmallIntegerField(null=True, blank=True)
    choice = models.ForeignKey(Choice, null=True, blank=True, on_delete=models.CASCADE, related_name="answers")
    text = models.TextField(blank=True)
    moderation = models.CharField(
        _("moderation"), max_length=10, choices=Moderation.choices, default=Moderation.PENDING
    )

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        indexes = [models.Index(fields=["question", "number"])]

    def __str__(self) -> str:
        return f"{self.question.key}: {self.number if self.number is not None else self.choice or self.text[:40]}"
