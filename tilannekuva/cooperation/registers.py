"""Reads of the partnership's two registers: the counterpart matrix (interface × dialogue level × client path, as
in a year) and the agreements. The counterparts page, the agreements page and the dashboard's provider all ask
these functions, so that a figure and its status are the same wherever they are shown."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tilannekuva.regions.models import Area, AreaKind, Organisation, Region, valid_in
from tilannekuva.regions.selectors import lies_within, members_of
from tilannekuva.strategy.models import AgreementKind, Goal, GoalLevel, Group, Metric, StrategyVersion
from tilannekuva.strategy.selectors import root_goal_of
from tilannekuva.strategy.structures import (
    ClientPath,
    DialogueLevel,
    client_paths_of,
    dialogue_levels_of,
    matrix_interfaces,
)

from .models import Agreement, AgreementStatus, CounterpartPair

# --- the counterpart matrix -----------------------------------------------------------------------------------


@dataclass
class MatrixCell:
    """One place where a counterpart pair is needed: an interface at a level, on a client path where given."""

    level: DialogueLevel
    client_path: ClientPath | None
    pairs: list[CounterpartPair] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return bool(self.pairs)

    @property
    def label(self) -> str:
        return f"{self.level.name} ({self.client_path.name})" if self.client_path else self.level.name


@dataclass
class ListedPair:
    """A pair with the names of its level and client path, as the strategy gives them (its keys otherwise)."""

    pair: CounterpartPair
    level: str
    client_path: str


@dataclass
class MatrixRow:
    interface: Goal
    columns: list[list[MatrixCell]]  # one list per dialogue level of the strategy, empty where not needed
    pairs: list[ListedPair]

    @property
    def cells(self) -> list[MatrixCell]:
        return [cell for column in self.columns for cell in column]

    @property
    def missing(self) -> list[MatrixCell]:
        return [cell for cell in self.cells if not cell.found]

    @property
    def found(self) -> bool:
        """Seed 001's 'contacts can be found': every level the interface needs has a pair (on every client path
        at the levels divided by client path)."""
        return bool(self.cells) and not self.missing

    @property
    def label(self) -> str:
        return f"{self.interface.code}. {self.interface.title}" if self.interface.code else self.interface.title


@dataclass
class CounterpartMatrix:
    region: Region
    version: StrategyVersion
    year: int
    levels: list[DialogueLevel]
    rows: list[MatrixRow]
    unplaced: list[ListedPair]  # pairs of the year that fit no place of the matrix (e.g. without a level)

    def rows_for(self, interface_keys: Iterable[str] | None) -> list[MatrixRow]:
        keys = set(interface_keys) if interface_keys is not None else None
        return [row for row in self.rows if keys is None or row.interface.key in keys]

    def found(self, interface_keys: Iterable[str] | None = None) -> bool:
        rows = self.rows_for(interface_keys)
        return bool(rows) and all(row.found for row in rows)

    def evidence(self, interface_keys: Iterable[str] | None = None) -> str:
        rows = self.rows_for(interface_keys)
        cells = [cell for row in rows for cell in row.cells]
        found = sum(1 for cell in cells if cell.found)
        text = _("A counterpart pair in %(found)s of %(total)s places (%(year)s).") % {
            "found": found,
            "total": len(cells),
            "year": self.year,
        }
        missing = [
            f"{row.interface.code or row.interface.title}: {cell.label}" if len(rows) > 1 else cell.label
            for row in rows
            for cell in row.missing
        ]
        if missing:
            text += " " + _("Missing: %(places)s.") % {"places": "; ".join(missing)}
        return text


def region_pairs(region: Region) -> list[CounterpartPair]:
    return list(
        CounterpartPair.objects.filter(region=region).select_related(
            "area", "first_organisation", "second_organisation"
        )
    )


def counterpart_matrix(
    region: Region, version: StrategyVersion, *, year: int, pairs: list[CounterpartPair] | None = None
) -> CounterpartMatrix:
    """The matrix of `version`'s interfaces and dialogue levels with the region's pairs valid in `year`."""
    levels = dialogue_levels_of(version)
    interfaces = matrix_interfaces(version)
    level_names = {level.key: level.name for level in levels}
    level_order = {level.key: i for i, level in enumerate(levels)}
    path_names = {(i.key, path.key): path.name for i in interfaces for path in client_paths_of(i)}

    def listed(pair: CounterpartPair) -> ListedPair:
        path = path_names.get((pair.interface_key, pair.client_path_key), pair.client_path_key)
        return ListedPair(pair=pair, level=level_names.get(pair.level_key, pair.level_key), client_path=path)

    current = [p for p in (region_pairs(region) if pairs is None else pairs) if p.valid_in(year)]
    placed: set[int] = set()
    rows = []
    for interface in interfaces:
        paths = client_paths_of(interface)
        path_order = {path.key: i for i, path in enumerate(paths)}
        own = sorted(
            (p for p in current if p.interface_key == interface.key),
            key=lambda p: (level_order.get(p.level_key, len(levels)), path_order.get(p.client_path_key, -1), p.pk),
        )
        columns: list[list[MatrixCell]] = []
        for level in levels:
            if level.key not in interface.dialogue_levels:
                columns.append([])
                continue
            divided = level.per_client_path and bool(paths)
            cells = [MatrixCell(level, path) for path in paths] if divided else [MatrixCell(level, None)]
            for cell in cells:
                cell.pairs = [
                    p
                    for p in own
                    if p.level_key == level.key
                    and (cell.client_path is None or p.client_path_key == cell.client_path.key)
                ]
                placed.update(p.pk for p in cell.pairs)
            columns.append(cells)
        rows.append(MatrixRow(interface=interface, columns=columns, pairs=[listed(p) for p in own]))
    unplaced = [listed(p) for p in current if p.pk not in placed]
    return CounterpartMatrix(region=region, version=version, year=year, levels=levels, rows=rows, unplaced=unplaced)


def interfaces_of_metric(metric: Metric, goals: dict[int, Goal]) -> list[str] | None:
    """The interface a metric answers for: the focus area it sits under; None (every interface) for a metric of
    a main goal."""
    root = root_goal_of(goals[metric.goal_id], goals)
    return [root.key] if root.level == GoalLevel.FOCUS_AREA else None


# --- agreements -----------------------------------------------------------------------------------------------


def visible_agreements(region: Region, *, internal: bool) -> QuerySet[Agreement]:
    """The region's agreements; one in preparation is shown only to those who see the region's internal pages."""
    found = Agreement.objects.filter(region=region).select_related("area").prefetch_related("parties__area")
    return found if internal else found.exclude(status=AgreementStatus.PREPARING)


def matching_agreements(
    agreements: Iterable[Agreement], *, kind: str, interface_keys: Iterable[str] | None, year: int
) -> list[Agreement]:
    """The agreements of `kind` in force in `year`, for one of `interface_keys` (any interface when None)."""
    keys = set(interface_keys) if interface_keys is not None else None
    return [a for a in agreements if a.kind == kind and a.in_force(year) and (keys is None or a.interface_key in keys)]


def agreement_evidence(found: list[Agreement], *, kind: str, year: int) -> str:
    if not found:
        return _("The agreements register has no %(kind)s in force in %(year)s.") % {
            "kind": AgreementKind(kind).label.lower(),
            "year": year,
        }
    parts = []
    for agreement in found:
        text = _("%(title)s, signed %(date)s") % {
            "title": agreement.title,
            "date": date_format(agreement.signed_on, "j.n.Y") if agreement.signed_on else "–",
        }
        if agreement.demo:
            text += " (" + _("example, demo data") + ")"
        parts.append(text)
    return _("In force in %(year)s: %(agreements)s.") % {"year": year, "agreements": "; ".join(parts)}


@dataclass
class AreaAgreements:
    area: Area | None
    agreements: list[Agreement]


def agreements_by_area(agreements: Iterable[Agreement]) -> list[AreaAgreements]:
    """The whole region's agreements first, then each area's, areas by name."""
    groups: dict[int | None, AreaAgreements] = {}
    for agreement in agreements:
        groups.setdefault(agreement.area_id, AreaAgreements(area=agreement.area, agreements=[])).agreements.append(
            agreement
        )
    return sorted(groups.values(), key=lambda g: (g.area is not None, g.area.name_fi if g.area else ""))


# --- choices of the forms: what a pair or an agreement may name ------------------------------------------------


def areas_of(region: Region, *, year: int) -> QuerySet[Area]:
    """The region's own area, the seutukunnat within it and its municipalities in `year`."""
    municipalities = members_of(region.area, year=year)
    sub_regions = Area.objects.filter(
        Q(kind=AreaKind.SEUTUKUNTA, member_memberships__member__in=municipalities)
        & valid_in(year, "member_memberships__")
    ).distinct()
    within = [a.pk for a in sub_regions if lies_within(a, region.area, year=year)]
    return Area.objects.filter(Q(pk=region.area_id) | Q(pk__in=within) | Q(pk__in=municipalities)).order_by(
        "kind", "name_fi"
    )


def organisations_of(version: StrategyVersion) -> QuerySet[Organisation]:
    """The version's partners and the member organisations of its groups."""
    members = Group.member_organisations.through.objects.filter(group__version=version).values("organisation_id")
    return (
        Organisation.objects.filter(Q(pk__in=version.partners.values("organisation_id")) | Q(pk__in=members))
        .select_related("area")
        .distinct()
        .order_by("kind", "name")
    )


@dataclass
class PairChoices:
    interfaces: list[Goal]
    levels: list[DialogueLevel]
    client_paths: list[tuple[str, ClientPath]]  # (interface label, path)
    areas: QuerySet[Area]
    organisations: QuerySet[Organisation]


def pair_choices(region: Region, version: StrategyVersion, *, year: int) -> PairChoices:
    interfaces = matrix_interfaces(version)
    return PairChoices(
        interfaces=interfaces,
        levels=dialogue_levels_of(version),
        client_paths=[(i.code or i.title[:40], path) for i in interfaces for path in client_paths_of(i)],
        areas=areas_of(region, year=year),
        organisations=organisations_of(version),
    )


@dataclass
class AgreementChoices:
    interfaces: list[Goal]
    groups: list[Group]
    areas: QuerySet[Area]
    organisations: QuerySet[Organisation]


def agreement_choices(region: Region, version: StrategyVersion, *, year: int) -> AgreementChoices:
    return AgreementChoices(
        interfaces=list(version.goals.filter(parent=None).order_by("position")),
        groups=list(version.groups.order_by("position")),
        areas=areas_of(region, year=year),
        organisations=organisations_of(version),
    )
