"""The wellbeing services county's edition of the follow-up report: which county, the metrics it reports by hand
(a manual binding whose `reporter` is `county`), and its HYTE figures at the county level as the funding app has
them (THL's points and VM's euros where imported, else the calculator's, or the per-resident share of the years
when the county's share is paid per resident), with the region's own figure beside for comparison.

The rest of the edition is the municipal edition's: the data bank's figures of the county's area with the
region's beside, and the sections without data collapsed into the one list of missing data."""

from django.utils.translation import gettext as _

from tilannekuva.dashboard import selectors as dashboard_selectors
from tilannekuva.dashboard.providers import counties_of
from tilannekuva.funding import parameters
from tilannekuva.funding import selectors as funding_selectors
from tilannekuva.funding.models import Level
from tilannekuva.regions.models import Area, AreaKind, Region
from tilannekuva.strategy.bindings import REPORTER_COUNTY, ManualBinding
from tilannekuva.strategy.models import Metric

from .sections import FundingSection, HyteRow

NotFound = dashboard_selectors.NotFound


def counties(region: Region, *, year: int) -> list[Area]:
    """The region's wellbeing services counties in `year` (the region itself when it is one)."""
    if region.area.kind == AreaKind.WELLBEING_SERVICES_COUNTY:
        return [region.area]
    return counties_of(region, year=year)


def county_of(region: Region, code: str, *, year: int) -> Area:
    """The county `code` of the region, or its only county when `code` is empty."""
    found = counties(region, year=year)
    if code:
        found = [a for a in found if a.code == code]
    if len(found) != 1:
        codes = ", ".join(f"{a.code} ({a.name})" for a in counties(region, year=year)) or "none"
        what = f"county {code} is not" if code else "give the county's code: there is not exactly one"
        raise NotFound(f"{what} a wellbeing services county of {region} in {year}; its counties: {codes}")
    return found[0]


def reported_by_county(metric: Metric) -> bool:
    binding = metric.typed_binding
    return isinstance(binding, ManualBinding) and binding.reporter == REPORTER_COUNTY


def _row(row: funding_selectors.PartnerRow) -> HyteRow:
    coefficient = row.computed.coefficient if row.computed is not None else None
    kind = row.points_kind or row.eur_kind
    return HyteRow(row.area, row.points, kind, row.rank, row.tertile, row.eur, row.eur_per_resident, coefficient)


def county_funding(region: Region, county: Area, *, year: int) -> FundingSection:
    """The county's HYTE figures in the latest year with county figures up to `year` (else the per-resident
    share of `year`), what the year's method file marks unverified, and the region's figure beside."""
    section = FundingSection()
    years = [y for y in funding_selectors.years_with_figures(Level.COUNTY) if y <= year]
    if years:
        used = years[-1]
        data = funding_selectors.year_data(level=Level.COUNTY, year=used)
        rows = funding_selectors.partner_rows(data, funding_selectors.calculate(data), [county])
        method = data.parameters
    else:
        used = year
        rows = [r for r in funding_selectors.county_per_resident_rows(region, year=year) if r.area.pk == county.pk]
        method = parameters.hyte(level=Level.COUNTY, year=year)
    section.hyte_rows = [_row(r) for r in rows if r.points is not None or r.eur is not None]
    if not section.hyte_rows:
        return section
    section.hyte_year = used
    section.unverified = list(method.unverified) if method is not None else []
    figure = funding_selectors.region_figure(region, year=used)
    if figure is not None:
        section.hyte_rows.append(
            HyteRow(
                region.area,
                figure.points,
                "synthetic" if figure.synthetic else "mean",
                figure.rank,
                figure.tertile,
                figure.eur,
                figure.eur_per_resident,
                figure.coefficient,
            )
        )
        section.comparison = _("The region's row is its municipalities' figure, for comparison.")
    return section
