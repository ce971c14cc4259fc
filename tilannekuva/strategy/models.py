"""The strategy model: a region's strategy, kept as one version per year, with its goal tree and metrics."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tilannekuva.regions.models import Area, Organisation, OrganisationKind, Region

from . import bindings
from .bindings import (
    AgreementBinding,
    AgreementKind,
    Binding,
    BindingError,
    BindingType,
    ComputedBinding,
    DataBankBinding,
    SurveyBinding,
)
from .choices import Direction, Frequency, MeasureKind, TargetRule, TargetType


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return number_format(int(value) if float(value).is_integer() else value, use_l10n=True)


class StrategyKind(models.TextChoices):
    PARTNERSHIP_STRATEGY = "partnership_strategy", _("Partnership strategy")
    INTERFACE_PLAN = "interface_plan", _("Interface plan")
    COUNTY_STRATEGY = "county_strategy", _("Wellbeing services county strategy")
    MUNICIPAL_STRATEGY = "municipal_strategy", _("Municipal strategy")
    OTHER = "other", _("Other strategy")


class Strategy(models.Model):
    region = models.OneToOneField(Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="strategy")
    kind = models.CharField(_("kind"), max_length=32, choices=StrategyKind.choices)

    class Meta:
        verbose_name = _("strategy")
        verbose_name_plural = _("strategies")

    def __str__(self) -> str:
        from .selectors import version_in_force  # the selectors read these models

        version = version_in_force(self.region)
        return version.name if version else str(self.region)


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    ARCHIVED = "archived", _("Archived")


class StrategyVersion(models.Model):
    """The strategy as it stood in one year. The strategy is updated yearly; old versions are kept."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="versions")
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=16, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    approved_by = models.CharField(_("approved by"), max_length=300, blank=True)
    name = models.CharField(_("name"), max_length=300)
    period_start = models.PositiveSmallIntegerField(_("period starts"))
    period_end = models.PositiveSmallIntegerField(_("period ends"))
    period_label = models.CharField(_("period label"), max_length=200, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    mission = models.TextField(_("mission"))
    vision = models.TextField(_("vision"))
    principles = models.JSONField(_("principles"), default=list, blank=True)
    background = models.JSONField(_("background"), default=list, blank=True)
    source = models.JSONField(_("source document"), default=dict, blank=True)
    process_title = models.CharField(_("process title"), max_length=300, blank=True)
    dialogue_levels = models.JSONField(
        _("dialogue levels"),
        default=list,
        blank=True,
        help_text=_("The levels at which the partners meet, e.g. leadership, interface, everyday, participation."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("strategy version")
        verbose_name_plural = _("strategy versions")
        ordering = ["strategy", "-year"]
        constraints = [models.UniqueConstraint(fields=["strategy", "year"], name="version_unique_year")]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"

    @property
    def region(self) -> Region:
        return self.strategy.region


class VersionPart(models.Model):
    """Everything that hangs off one strategy version, in the order of the source."""

    version = models.ForeignKey(StrategyVersion, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position"]

    @property
    def region(self) -> Region:
        return self.version.strategy.region


class KeyedPart(VersionPart):
    key = models.SlugField(_("key"), max_length=80)

    class Meta(VersionPart.Meta):
        abstract = True


class Partner(VersionPart):
    version = models.ForeignKey(StrategyVersion, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey(Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT)
    role = models.CharField(_("role"), max_length=300, blank=True)

    class Meta(VersionPart.Meta):
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self) -> str:
        return str(self.organisation)


class Value(VersionPart):
    version = models.ForeignKey(StrategyVersion, on_delete=models.CASCADE, related_name="values")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta(VersionPart.Meta):
        verbose_name = _("value")
        verbose_name_plural = _("values")

    def __str__(self) -> str:
        return self.name


class GroupKind(models.TextChoices):
    WORKING_GROUP = "working_group", _("Working group")
    FORUM = "forum", _("Forum")
    NETWORK = "network", _("Network")
    COUNCIL = "council", _("Council or board")
    NEGOTIATION = "negotiation", _("Negotiation")
    PARTNERSHIP_TABLE = "partnership_table", _("Partnership table")
    THEME_GROUP = "theme_group", _("Theme group")
    RESPONSIBLE_PARTY = "responsible_party", _("Responsible party")
    OTHER = "other", _("Other")


class Group(KeyedPart):
    """A working group from the responsibility table, or a forum or network of co-operation. A group may work
    in one area of the region (a seutukunta, a municipality) and under a parent group (a theme group under its
    partnership table)."""

    version = models.ForeignKey(StrategyVersion, on_delete=models.CASCADE, related_name="groups")
    in_responsibility_table = models.BooleanField(
        _("in the responsibility table"), default=False, help_text=_("Listed under responsibilities.")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=GroupKind.choices)
    name = models.CharField(_("name"), max_length=300)
    task = models.TextField(_("task"), blank=True)
    purpose = models.TextField(_("purpose"), blank=True)
    tasks = models.JSONField(_("tasks"), default=list, blank=True)
    coordinator_role = models.CharField(_("coordinator"), max_length=300, blank=True)
    composition = models.TextField(_("composition"), blank=True)
    members_text = models.TextField(_("members"), blank=True)
    member_organisations = models.ManyToManyField(Organisation, verbose_name=_("member organisations"), blank=True)
    reports_to = models.TextField(_("reports to"), blank=True)
    cadence = models.CharField(_("meets"), max_length=300, blank=True)
    focus_area = models.ForeignKey(
        "Goal",
        verbose_name=_("focus area"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    area = models.ForeignKey(
        Area,
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The sub-region (seutukunta) or other area of the region the group works in; empty: all of it."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        help_text=_("The group this one works under, e.g. the partnership table of a theme group."),
    )
    source = models.TextField(_("source"), blank=True, help_text=_("Where the group's description is drawn from."))

    class Meta(KeyedPart.Meta):
        verbose_name = _("working group or forum")
        verbose_name_plural = _("working groups and forums")
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="group_unique_key")]

    def __str__(self) -> str:
        return self.name


class GoalLevel(models.TextChoices):
    MAIN_GOAL = "main_goal", _("Main goal")
    FOCUS_AREA = "focus_area", _("Focus area")
    GOAL = "goal", _("Goal")
    SUB_GOAL = "sub_goal", _("Sub-goal")


class Goal(KeyedPart):
    """A node of the goal tree: main goals and focus areas at the top, goals and sub-goals below."""

    version = models.ForeignKey(StrategyVersion, on_delete=models.CASCADE, related_name="goals")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    level = models.CharField(_("level"), max_length=16, choices=GoalLevel.choices)
    code = models.CharField(_("code"), max_length=16, blank=True)
    title = models.TextField(_("title"))
    description = models.TextField(_("description"), blank=True)
    themes = models.JSONField(_("themes"), default=list, blank=True)
    contributes_to = models.ManyToManyField(
        "self", verbose_name=_("contributes to"), symmetrical=False, blank=True, related_name="contributions"
    )
    responsible = models.ForeignKey(
        Group,
        verbose_name=_("responsible"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="goals",
    )
    dialogue_levels = models.JSONField(
        _("dialogue levels with counterpart pairs"),
        default=list,
        blank=True,
        help_text=_("Of an interface: the keys of the dialogue levels at which it needs a counterpart pair."),
    )
    client_paths = models.JSONField(
        _("client paths"),
        default=list,
        blank=True,
        help_text=_("Of an interface: the client paths that need their own counterpart pairs, as key and name."),
    )

    class Meta(KeyedPart.Meta):
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="goal_unique_key")]

    def __str__(self) -> str:
        return self.title


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class Action(KeyedPart):
    """A measure (toimenpide): goal × action × responsible × metric × status."""

    version = models.ForeignKey(StrategyVersion, on_delete=models.CASCADE, related_name="actions")
    goal = models.ForeignKey(Goal, verbose_name=_("goal"), on_delete=models.CASCADE, related_name="actions")
    title = models.TextField(_("action"))
    description = models.TextField(_("description"), blank=True)
    responsible = models.TextField(_("responsible"), blank=True)
    responsible_group = models.ForeignKey(
        Group,
        verbose_name=_("responsible group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
    )
    schedule = models.CharField(_("schedule"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    due = models.DateField(_("due"), null=True, blank=True)

    class Meta(KeyedPart.Meta):
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="action_unique_key")]

    def __str__(self) -> str:
        return self.title


class Metric(KeyedPart):
    """A metric of a goal (or of an action): what is measured, how, how often, the target and the data source."""

    version = models.ForeignKey(StrategyVersion, on_delete=models.CASCADE, related_name="metrics")
    goal = models.ForeignKey(Goal, verbose_name=_("goal"), on_delete=models.CASCADE, related_name="metrics")
    action = models.ForeignKey(
        Action,
        verbose_name=_("action"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="metrics",
    )
    name = models.CharField(_("name"), max_length=300, blank=True)
    description = models.TextField(_("description"))
    measure = models.TextField(_("metric as written"), blank=True)
    kind = models.CharField(_("measure kind"), max_length=24, choices=MeasureKind.choices)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    direction = models.CharField(_("direction"), max_length=20, choices=Direction.choices, default=Direction.NEUTRAL)
    frequency = models.CharField(_("follow-up"), max_length=16, choices=Frequency.choices)
    target_type = models.CharField(_("target type"), max_length=8, choices=TargetType.choices, blank=True)
    target_operator = models.CharField(_("target operator"), max_length=2, blank=True)
    target_value = models.FloatField(_("target value"), null=True, blank=True)
    target_min = models.FloatField(_("target minimum"), null=True, blank=True)
    target_max = models.FloatField(_("target maximum"), null=True, blank=True)
    target_rule = models.CharField(_("target rule"), max_length=16, choices=TargetRule.choices, blank=True)
    target_text = models.TextField(_("target in words"), blank=True)
    binding_type = models.CharField(
        _("data source"), max_length=16, choices=BindingType.choices, default=BindingType.MANUAL
    )
    binding = models.JSONField(_("data source details"), default=dict, blank=True)
    per_organisation = models.BooleanField(_("reported per organisation"), default=False)
    responsible = models.ForeignKey(
        Group,
        verbose_name=_("responsible"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="metrics",
    )

    class Meta(KeyedPart.Meta):
        verbose_name = _("metric")
        verbose_name_plural = _("metrics")
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="metric_unique_key")]

    def __str__(self) -> str:
        return self.name or self.description

    @property
    def title(self) -> str:
        return self.name or self.description

    @property
    def target_summary(self) -> str:
        """The target in a short human form: '> 60', '75–100', 'In the best third', or the source's words."""
        if self.target_type == TargetType.VALUE:
            return f"{self.target_operator} {_number(self.target_value)}".strip()
        if self.target_type == TargetType.RANGE:
            return f"{_number(self.target_min)}–{_number(self.target_max)}"
        if self.target_type == TargetType.RULE:
            return str(TargetRule(self.target_rule).label)
        return self.target_text

    @property
    def typed_binding(self) -> Binding:
        """The binding parsed from its stored type and details (strategy.bindings); read its attributes."""
        return bindings.parse(self.binding_type, self.binding)

    def set_binding(self, binding: Binding) -> None:
        self.binding_type, self.binding = binding.type, bindings.details_of(binding)

    def clean(self) -> None:
        super().clean()
        try:
            self.typed_binding  # noqa: B018 - parsing is the check
        except BindingError as exc:
            field = "binding_type" if exc.field == "type" else "binding"
            raise ValidationError({field: _("Not a valid data source: %(error)s") % {"error": exc}})

    @property
    def binding_summary(self) -> str:
        """Where the data comes from, in words: 'Sotkanet (THL), indicator 3037'."""
        binding = self.typed_binding
        label = str(BindingType(binding.type).label)
        if isinstance(binding, DataBankBinding):
            source = bindings.SOURCE_LABELS.get(binding.source)
            if source and binding.organisation_kind:
                return f"{source}: {OrganisationKind(binding.organisation_kind).label}"
            return gettext("%(source)s, indicator %(id)s") % {"source": source or label, "id": binding.series}
        if isinstance(binding, ComputedBinding):
            index = {
                bindings.HYTE_COEFFICIENT: gettext("HYTE coefficient"),
                bindings.VITALITY_INDEX: gettext("vitality index"),
            }
            component = f" ({binding.component})" if binding.component else ""
            return f"{label}: {index[binding.index]}{component}"
        if isinstance(binding, AgreementBinding):
            return f"{label}: {AgreementKind(binding.agreement_kind).label}"
        if isinstance(binding, SurveyBinding):  # in words, not the survey's and question's internal keys
            survey = bindings.SURVEY_LABELS.get(binding.survey) or gettext("the region's own survey")
            return f"{label}: {survey}" + (" (NPS)" if binding.question == "nps" else "")
        return label


class PhaseStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


class ProcessPhase(KeyedPart):
    """A phase of the strategy process (collect data, update, plan projects, implement, evaluate)."""

    version = models.ForeignKey(StrategyVersion, on_delete=models.CASCADE, related_name="phases")
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    start = models.CharField(_("starts"), max_length=10, blank=True)
    end = models.CharField(_("ends"), max_length=10, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=PhaseStatus.choices, default=PhaseStatus.PLANNED)

    class Meta(KeyedPart.Meta):
        verbose_name = _("process phase")
        verbose_name_plural = _("process phases")
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="phase_unique_key")]

    def __str__(self) -> str:
        return self.name


class EventKind(models.TextChoices):
    WORKSHOP = "workshop", _("Workshop")
    SURVEY = "survey", _("Survey")
    BRIEFING = "briefing", _("Briefing")
    SEMINAR = "seminar", _("Seminar")
    COUNCIL_DECISION = "council_decision", _("Council decision")
    BOARD_MEETING = "board_meeting", _("Board or committee meeting")
    OTHER = "other", _("Other")


class ProcessEvent(models.Model):
    phase = models.ForeignKey(ProcessPhase, on_delete=models.CASCADE, related_name="events")
    position = models.PositiveIntegerField(default=0)
    name = models.TextField(_("name"))
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    date = models.CharField(_("date"), max_length=10, blank=True)
    participants = models.TextField(_("participants"), blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("participation event")
        verbose_name_plural = _("participation events")
        ordering = ["position"]

    def __str__(self) -> str:
        return self.name

    @property
    def region(self) -> Region:
        return self.phase.region
