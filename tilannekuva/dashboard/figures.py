"""What a provider answers for one metric in one region (`MetricData`), and the region's counties: the dashboard's
shared vocabulary, which the providers (`providers.py`, `ptv.py`) and the apps that register providers build on."""

from dataclasses import dataclass, field
from datetime import date

from tilannekuva.databank.models import Indicator
from tilannekuva.databank.regional import RegionSeries
from tilannekuva.regions.models import Area, AreaKind, AreaMembership, Region, valid_in
from tilannekuva.strategy.models import Direction


@dataclass
class MetricData:
    """What is known of one metric in one region: the region's value per year, and where it comes from."""

    values: dict[int, float]
    source_label: str
    unit: str = ""
    vintage: str = ""
    rule_labels: list[str] = field(default_factory=list)
    indicator: Indicator | None = None
    series: RegionSeries | None = None
    direction: str = Direction.NEUTRAL
    updated: date | None = None
    peers: dict[int, list[float]] = field(default_factory=dict)  # year -> values of peer areas ("best third")
    texts: dict[int, str] = field(default_factory=dict)  # year -> a value reported in words
    detail_url: str = ""  # a page of the providing app that explains the figure (a calculation, survey results)
    detail_label: str = ""
    evidence: dict[int, str] = field(default_factory=dict)  # year -> what a register's answer rests on
    scale: tuple[float, float] | None = None  # the whole answer scale (a survey question's), for honest axes
    synthetic: bool = False  # derived from SYNTHETIC demo input: the vintage says "synteettinen" (exports, API too)
    # Every provider answers per municipality: area id -> year -> the area's own figure (municipalities, the
    # county, the country where known), and how the region's figure is made of them.
    by_area: dict[int, dict[int, float | None]] = field(default_factory=dict)
    country: Area | None = None
    region_rule: str = ""  # e.g. "the mean of the municipalities' values", "the sum ..."
    coverage: dict[int, tuple[int, int]] = field(default_factory=dict)  # year -> (yes or reported, expected)
    # year -> (organisation, value, a link to its evidence) where each organisation reports its own
    reporters: dict[int, list[tuple[str, str, str]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.series is not None and not self.by_area:
            self.by_area = {area: dict(years) for area, years in self.series.values.items()}
            self.country = self.series.country

    def area_value(self, area: Area, year: int) -> float | None:
        return self.by_area.get(area.pk, {}).get(year)

    def area_values(self, area: Area, *, up_to: int) -> dict[int, float]:
        return {y: v for y, v in self.by_area.get(area.pk, {}).items() if y <= up_to and v is not None}

    def country_value(self, year: int) -> float | None:
        return self.area_value(self.country, year) if self.country is not None else None

    @property
    def decimals(self) -> int | None:
        """The indicator's decimals where the metric has one (computed and reported metrics have none)."""
        return self.indicator.decimals if self.indicator is not None else None

    def years_up_to(self, year: int) -> list[int]:
        """The years with a value (in numbers or in words) up to and including `year`."""
        return sorted(y for y in {*self.values, *self.texts} if y <= year)

    def up_to(self, year: int) -> list[tuple[int, float]]:
        """The region's values up to and including `year`, oldest first."""
        return sorted((y, v) for y, v in self.values.items() if y <= year)


def counties_of(region: Region, *, year: int | None = None) -> list[Area]:
    """The wellbeing services counties of the region's municipalities, where the region is not one itself."""
    if region.area.kind == AreaKind.WELLBEING_SERVICES_COUNTY:
        return []
    municipalities = AreaMembership.objects.filter(parent=region.area, member__kind=AreaKind.MUNICIPALITY)
    if year is not None:
        municipalities = municipalities.filter(valid_in(year))
    counties = AreaMembership.objects.filter(
        parent__kind=AreaKind.WELLBEING_SERVICES_COUNTY, member__in=municipalities.values("member")
    )
    if year is not None:
        counties = counties.filter(valid_in(year))
    return list(Area.objects.filter(pk__in=counties.values("parent")).order_by("code"))
