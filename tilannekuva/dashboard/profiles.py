"""A municipality's profile: its own figure of every metric of the strategy, from whichever provider has one
(the data bank, the follow-up's approved reports of its organisation, the HYTE points, the vitality index),
beside the region and the country, and its standing on each main goal before the details."""

from dataclasses import dataclass, field

from tilannekuva.regions.models import Area, AreaKind, Region
from tilannekuva.regions.selectors import members_of
from tilannekuva.strategy.models import Direction, StrategyVersion

from .selectors import Card, ComparisonRow, GoalNode, NotFound, dashboard, rank_rows
from .status import Trend, change_kind, is_current


@dataclass
class ProfileRow:
    card: Card
    year: int | None
    value: float | None
    previous: float | None
    region_value: float | None
    country_value: float | None
    rank: int | None
    of: int
    follow_up_year: int = 0

    @property
    def change(self) -> float | None:
        return None if self.value is None or self.previous is None else self.value - self.previous

    @property
    def direction(self) -> str:
        return self.card.assessment.direction

    @property
    def current(self) -> bool:
        """Whether the municipality's latest value is current for the follow-up year (status.is_current)."""
        return self.year is None or is_current(self.card.metric, latest_year=self.year, year=self.follow_up_year)

    def _compare(self, other: float | None) -> Trend | None:
        if self.value is None or other is None or self.direction == Direction.NEUTRAL:
            return None
        return change_kind(other, self.value, direction=self.direction)

    @property
    def against_region(self) -> Trend | None:
        """IMPROVED: better than the region; WORSENED: worse; UNCHANGED: the same."""
        return self._compare(self.region_value)

    @property
    def against_country(self) -> Trend | None:
        return self._compare(self.country_value)

    @property
    def trend(self) -> Trend | None:
        """The direction of the municipality's own latest change."""
        if self.value is None or self.previous is None:
            return None
        return change_kind(self.previous, self.value, direction=self.direction)


@dataclass
class Standing:
    """How the municipality stands on one main goal: of its metrics with a figure of the municipality's own,
    how many are better or worse than the region's and the country's, and which way they last changed."""

    node: GoalNode
    rows: list[ProfileRow]
    counts: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        def count(values: list[Trend | None], wanted: Trend) -> int:
            return sum(1 for v in values if v == wanted)

        region = [r.against_region for r in self.rows]
        country = [r.against_country for r in self.rows]
        trends = [r.trend for r in self.rows]
        self.counts = {
            "with_data": len(self.rows),
            "better_than_region": count(region, Trend.IMPROVED),
            "worse_than_region": count(region, Trend.WORSENED),
            "better_than_country": count(country, Trend.IMPROVED),
            "worse_than_country": count(country, Trend.WORSENED),
            "improved": count(trends, Trend.IMPROVED),
            "worsened": count(trends, Trend.WORSENED),
        }


@dataclass
class Profile:
    region: Region
    municipality: Area
    version: StrategyVersion
    year: int
    rows: list[ProfileRow]
    standings: list[Standing] = field(default_factory=list)

    @property
    def with_data(self) -> list[ProfileRow]:
        return [r for r in self.rows if r.value is not None]

    @property
    def without_data(self) -> list[ProfileRow]:
        return [r for r in self.rows if r.value is None]


def profile_row(
    card: Card, municipality: Area, *, year: int, members: dict[int, list[Area]], region: Region
) -> ProfileRow:
    data = card.data
    own = data.area_values(municipality, up_to=year) if data else {}
    latest_year = max(own) if own else None
    rank, of = None, 0
    if data is not None and latest_year is not None:
        if latest_year not in members:  # setdefault would read the members again for every metric
            members[latest_year] = list(members_of(region.area, year=latest_year))
        peers = [
            ComparisonRow(area=m, kind=AreaKind.MUNICIPALITY, value=data.area_value(m, latest_year), previous=None)
            for m in members[latest_year]
        ]
        rank_rows(peers, direction=card.assessment.direction)
        of = sum(1 for p in peers if p.value is not None)
        rank = next((p.rank for p in peers if p.area.pk == municipality.pk), None)
    return ProfileRow(
        card=card,
        year=latest_year,
        value=own.get(latest_year) if latest_year else None,
        previous=own.get(latest_year - 1) if latest_year else None,
        region_value=data.values.get(latest_year) if data and latest_year else None,
        country_value=data.country_value(latest_year) if data and latest_year else None,
        rank=rank,
        of=of,
        follow_up_year=year,
    )


def municipality_profile(*, region: Region, code: str, year: int) -> Profile:
    """One municipality across every metric of the strategy, against the region and the country."""
    municipality = Area.objects.filter(kind=AreaKind.MUNICIPALITY, code=code).first()
    if municipality is None or municipality.pk not in {a.pk for a in members_of(region.area, year=year)}:
        raise NotFound(f"municipality {code} is not in {region} in {year}")
    board = dashboard(region=region, year=year)
    members: dict[int, list[Area]] = {}
    by_card = {
        card.metric.pk: profile_row(card, municipality, year=year, members=members, region=region)
        for card in board.cards
    }
    goals = board.main_goals + board.focus_areas
    standings = [
        Standing(
            node=node, rows=[by_card[c.metric.pk] for c in node.all_cards if by_card[c.metric.pk].value is not None]
        )
        for node in goals
    ]
    return Profile(
        region=region,
        municipality=municipality,
        version=board.version,
        year=year,
        rows=[by_card[c.metric.pk] for c in board.cards],
        standings=standings,
    )
