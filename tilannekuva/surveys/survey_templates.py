"""The survey templates shipped with the product: YAML files in `data/surveys/` (provenance in data/SOURCES.md),
read as plain dictionaries. The compass survey's questions are made from a strategy version's goals."""

from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.utils.translation import gettext_lazy as _

BLANK = "blank"
COMPASS = "compass-survey"
TEMPLATE_KEYS = ["partner-survey", COMPASS, "resident-wellbeing-survey", "strategy-participation-survey"]
TEMPLATE_LABELS = {
    "partner-survey": _("Partner survey (NPS and self-assessment, seed 000)"),
    COMPASS: _("Compass survey: progress of the strategy's goals"),
    "resident-wellbeing-survey": _("Residents' quality of life (EUROHIS-QOL 8)"),
    "strategy-participation-survey": _("Strategy participation survey (residents, staff, decision makers)"),
    BLANK: _("Blank survey"),
}


class TemplateError(LookupError):
    pass


def directory() -> Path:
    return Path(settings.DATA_DIR) / "surveys"


def load(key: str) -> dict[str, Any]:
    if key not in TEMPLATE_KEYS:
        raise TemplateError(f"no survey template '{key}'")
    with (directory() / f"{key}.yaml").open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle)
    return data


def choices() -> list[tuple[str, str]]:
    return [(key, str(TEMPLATE_LABELS[key])) for key in [*TEMPLATE_KEYS, BLANK]]
