"""A metric's binding (where its values come from), parsed once into a typed object at the edge.

A metric stores its binding as `Metric.binding_type` and the JSON `Metric.binding`; a strategy file writes it as
`binding: {type: ..., ...}` (docs/STRATEGY-FORMAT.md). Both are read here, and only here, into one of six kinds:

- `ManualBinding`: reported by hand (the follow-up app), by whom `reporter` says: each member municipality its
  own figure (`municipality`), the wellbeing services county (`county`), the regional council (`council`), or
  one shared figure by one of the responsible group's organisations (`group`, the default);
- `DataBankBinding`: an indicator of the data bank, whichever source brought it (`source` and `series`: the
  source's key and the indicator's id at it, e.g. sotkanet 3037 or ptv services-responsible), with the rule for
  a region figure where the source has none (`aggregation`) and, for a source that counts per organisation
  (PTV), whose figure it is (`organisation_kind`);
- `SurveyBinding`: a survey of the region (`survey`: its template key) and optionally one `question`;
- `ComputedBinding`: an index computed by the funding app (`index`: the HYTE coefficient or the vitality index);
- `CounterpartsBinding`: yes when every place of the metric's interface in the counterpart matrix has a pair
  (the co-operation app's counterpart pairs);
- `AgreementBinding`: yes when an agreement of `agreement_kind` for the metric's interface is in force (the
  co-operation app's agreements register).

The rest of the code reads attributes (`metric.typed_binding.aggregation`), never the JSON.
"""

from collections.abc import Mapping
from dataclasses import MISSING, dataclass, fields
from typing import Any, ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _


class BindingType(models.TextChoices):
    MANUAL = "manual", _("Reported by hand")
    DATABANK = "databank", _("Data bank")
    SURVEY = "survey", _("Survey")
    COMPUTED = "computed", _("Computed index")
    COUNTERPARTS = "counterparts", _("Counterpart pairs")
    AGREEMENT = "agreement", _("Agreements register")


class AgreementKind(models.TextChoices):
    """The kinds of written agreement a strategy's metrics may name (a binding of type agreement)."""

    INTERFACE_AGREEMENT = "interface_agreement", _("Interface agreement (yhdyspintasopimus)")
    COOPERATION_AGREEMENT = "cooperation_agreement", _("Co-operation agreement (yhteistyösopimus)")
    PARTNERSHIP_AGREEMENT = "partnership_agreement", _("Partnership agreement (kumppanuussopimus)")
    OTHER = "other", _("Other agreement")


# The names of the data bank's sources that metrics are most often bound to, as a binding's summary shows them.
SOURCE_LABELS = {
    "sotkanet": _("Sotkanet (THL)"),
    "sotkanet-snapshot": _("Sotkanet (THL), saved snapshot"),
    "statfin": _("Statistics Finland"),
    "ptv": _("Finnish Service Catalogue (PTV)"),
    "file": _("A file imported into the data bank"),
}
# The shipped survey templates (data/surveys/) in words, for a card's source: never the internal key.
SURVEY_LABELS = {
    "partner-survey": _("the partner survey"),
    "compass-survey": _("the compass survey"),
    "resident-wellbeing-survey": _("the residents' wellbeing survey"),
    "strategy-participation-survey": _("the participation survey"),
}
# The region figure's rules of the data bank (databank.regional.Aggregation); the first is the default.
AGGREGATIONS = ("region_value", "mean", "population_weighted_mean", "sum")
REGION_VALUE = AGGREGATIONS[0]
INDICES = ("hyte_coefficient", "vitality_index")
HYTE_COEFFICIENT, VITALITY_INDEX = INDICES
REFERENCES = ("national", "maakunta")
# Who reports a manual metric: each municipality its own, the county, the council, or the group one shared figure.
REPORTERS = ("group", "municipality", "county", "council")
REPORTER_GROUP, REPORTER_MUNICIPALITY, REPORTER_COUNTY, REPORTER_COUNCIL = REPORTERS
# Whose figure a data-bank binding names, for a source that counts per organisation (PTV).
ORGANISATION_KINDS = ("municipality", "wellbeing_services_county", "association")


class BindingError(ValueError):
    """A binding is not valid: `field` names the field at fault (or `type`), the message says why."""

    def __init__(self, field: str, message: str):
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


@dataclass(frozen=True)
class ManualBinding:
    type: ClassVar[str] = BindingType.MANUAL.value

    reporter: str = ""

    @property
    def reporter_kind(self) -> str:
        """Who reports the metric (REPORTERS); the responsible group's one shared figure by default."""
        return self.reporter or REPORTER_GROUP


@dataclass(frozen=True)
class DataBankBinding:
    type: ClassVar[str] = BindingType.DATABANK.value

    source: str
    series: str
    organisation_kind: str = ""
    aggregation: str = ""

    @property
    def rule(self) -> str:
        """How the region figure is derived where the source has none (the source's own figure by default)."""
        return self.aggregation or REGION_VALUE

    @property
    def indicator_key(self) -> tuple[str, str]:
        """(source key, id at the source) of the data bank's indicator."""
        return self.source, self.series


@dataclass(frozen=True)
class SurveyBinding:
    type: ClassVar[str] = BindingType.SURVEY.value

    survey: str
    question: str = ""


@dataclass(frozen=True)
class ComputedBinding:
    type: ClassVar[str] = BindingType.COMPUTED.value

    index: str
    component: str = ""
    reference: str = ""
    dimension_set: str = ""
    aggregation: str = ""


@dataclass(frozen=True)
class CounterpartsBinding:
    type: ClassVar[str] = BindingType.COUNTERPARTS.value


@dataclass(frozen=True)
class AgreementBinding:
    type: ClassVar[str] = BindingType.AGREEMENT.value

    agreement_kind: str


Binding = ManualBinding | DataBankBinding | SurveyBinding | ComputedBinding | CounterpartsBinding | AgreementBinding
KINDS: dict[str, type[Binding]] = {
    kind.type: kind
    for kind in (ManualBinding, DataBankBinding, SurveyBinding, ComputedBinding, CounterpartsBinding, AgreementBinding)
}
CHOICES: dict[tuple[type[Binding], str], tuple[str, ...]] = {
    (ManualBinding, "reporter"): REPORTERS,
    (DataBankBinding, "aggregation"): AGGREGATIONS,
    (DataBankBinding, "organisation_kind"): ORGANISATION_KINDS,
    (ComputedBinding, "index"): INDICES,
    (ComputedBinding, "reference"): REFERENCES,
    (ComputedBinding, "aggregation"): AGGREGATIONS,
    (AgreementBinding, "agreement_kind"): tuple(AgreementKind.values),
}


def parse(binding_type: str, details: Mapping[str, Any]) -> Binding:
    """The typed binding of a stored type and its details; BindingError names the field at fault."""
    kind = KINDS.get(binding_type)
    if kind is None:
        raise BindingError("type", f"expected one of {', '.join(KINDS)}; got {binding_type!r}")
    if not isinstance(details, Mapping):
        raise BindingError("type", f"the details of a {binding_type} binding are not a mapping")
    names = [f.name for f in fields(kind)]
    extra = sorted(str(name) for name in details if name not in names)
    if extra:
        allowed = f"its fields are {', '.join(names)}" if names else "it has no other fields"
        raise BindingError(extra[0], f"not a field of a {binding_type} binding ({allowed})")
    values: dict[str, str] = {}
    for f in fields(kind):
        value = details.get(f.name)
        if value is None or value == "":
            if f.default is MISSING:
                raise BindingError(f.name, f"required for a {binding_type} binding")
            continue
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise BindingError(f.name, f"expected text; got {type(value).__name__} {value!r}")
        choices = CHOICES.get((kind, f.name))
        if choices is not None and value not in choices:
            raise BindingError(f.name, f"expected one of {', '.join(choices)}; got {value!r}")
        values[f.name] = str(value)
    return kind(**values)


def parse_item(item: Mapping[str, Any]) -> Binding:
    """The typed binding of a strategy file's `binding: {type: ..., ...}` (manual where the file has none)."""
    details = dict(item)
    return parse(str(details.pop("type", BindingType.MANUAL.value)), details)


def details_of(binding: Binding) -> dict[str, str]:
    """The stored JSON of a binding: its fields that have a value, in the order of the strategy schema."""
    return {f.name: getattr(binding, f.name) for f in fields(binding) if getattr(binding, f.name)}


def item_of(binding: Binding) -> dict[str, str]:
    """The binding as a strategy file writes it: its type first, then its fields that have a value."""
    return {"type": binding.type, **details_of(binding)}


def errors_of(path: str, item: Mapping[str, Any]) -> list[str]:
    """A strategy file's metric binding checked: each fault as 'path.binding.field: message (metric KEY)'."""
    try:
        parse_item(item.get("binding") or {"type": BindingType.MANUAL.value})
    except BindingError as exc:
        return [f"{path}.binding.{exc.field}: {exc.message} (metric '{item.get('key', '')}')"]
    return []
