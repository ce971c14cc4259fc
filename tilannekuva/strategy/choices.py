"""The choices of a metric: what kind of measure, which way is better, how often, what kind of target."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MeasureKind(models.TextChoices):
    NUMBER = "number", _("Number")
    INDEX = "index", _("Index")
    PERCENT = "percent", _("Percent")
    COUNT = "count", _("Count")
    YES_NO = "yes_no", _("Yes / no")
    NPS = "nps", _("Net promoter score (NPS)")
    SCALE_1_10 = "scale_1_10", _("Scale 1–10")
    SCALE_1_5 = "scale_1_5", _("Scale 1–5")
    EURO = "euro", _("Euros")
    EURO_PER_RESIDENT = "euro_per_resident", _("Euros per resident")
    TEXT = "text", _("Described in words")
    UNDECIDED = "undecided", _("To be decided")


class Direction(models.TextChoices):
    """Which way is better, for a metric and for the data bank's indicators alike (the one enum of both)."""

    HIGHER_IS_BETTER = "higher_is_better", _("Higher is better")
    LOWER_IS_BETTER = "lower_is_better", _("Lower is better")
    NEUTRAL = "neutral", _("No direction")


class Frequency(models.TextChoices):
    YEARLY = "yearly", _("Yearly")
    TWICE_YEARLY = "twice_yearly", _("Twice a year")
    QUARTERLY = "quarterly", _("Quarterly")
    MONTHLY = "monthly", _("Monthly")
    COUNCIL_TERM = "council_term", _("Once per council term")
    ONCE = "once", _("Once")
    UNSPECIFIED = "unspecified", _("Not specified")


class TargetType(models.TextChoices):
    NONE = "", _("No target")
    VALUE = "value", _("Value")
    RANGE = "range", _("Range")
    RULE = "rule", _("Rule")
    TEXT = "text", _("In words")


class TargetRule(models.TextChoices):
    BEST_THIRD = "best_third", _("In the best third")
    INCREASE = "increase", _("Increases")
    DECREASE = "decrease", _("Decreases")
    MAINTAIN = "maintain", _("Stays at least at the current level")
    YES = "yes", _("Yes")
