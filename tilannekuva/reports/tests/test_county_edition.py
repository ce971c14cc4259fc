"""The wellbeing services county's edition: its cover, the data bank's figures of the county's area beside the
region's, the metrics the county reports, its HYTE share at the county level (SYNTHETIC population), and the
`report build --county` command and the reports page's choice."""

import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from tilannekuva.dashboard.tests.conftest import area
from tilannekuva.databank.models import Indicator, Observation
from tilannekuva.databank.services import source
from tilannekuva.funding.demo import DEMO_TABLES
from tilannekuva.funding.services import import_figures
from tilannekuva.regions.models import Region
from tilannekuva.reports import builds, rendering, selectors
from tilannekuva.reports.forms import BuildForm

pytestmark = pytest.mark.django_db

COUNTY = "Etelä-Savon hyvinvointialue"


def _region() -> Region:
    return Region.objects.get(slug="etela-savo")


@pytest.fixture
def county_world(injuries):
    """SYNTHETIC figures: the injuries series for the county's area, and the member municipalities' population."""
    county = area("wellbeing_services_county", "12")
    indicator = Indicator.objects.get(external_id="synthetic-injuries")
    population, _created = Indicator.objects.get_or_create(
        source=source("sotkanet"), external_id="127", defaults={"title_fi": "Väestö 31.12."}
    )
    rows = [
        Observation(indicator=population, area=area("municipality", code), year=y, value=value)
        for code, value in (("491", 52000.0), ("178", 5900.0))
        for y in range(2020, 2026)
    ]
    rows += [Observation(indicator=indicator, area=county, year=y, value=77.7) for y in range(2019, 2025)]
    Observation.objects.bulk_create(rows)
    return county, indicator


def test_county_edition_names_the_county_and_shows_its_own_figures(county_world, injuries):
    county, _indicator = county_world
    report = selectors.follow_up_report(region=_region(), year=2024, county_code="", draw_charts=False)
    assert report.county == county and report.municipality is None
    assert report.title.endswith(f"Etelä-Savo, {COUNTY}")
    # Only the metrics the county reports by hand, not the municipalities' or the council's.
    assert [e.metric.key for e in report.manual] == ["pitkat-tyosuhteet-hyvinvointialue"]
    html = rendering.render_body(report, internal=False, static=True)
    cover = html.split("</header>")[0]
    assert COUNTY in cover
    assert "pitkat-tyosuhteet-hyvinvointialue" in html or "Yli 3v. kestäneiden" in html
    keys = [s.key for s in report.sections if s.has_data]
    assert keys.index("manual-title") < keys.index("goals-title")
    # The data bank's figure of the county's area, with the region's beside.
    row = next(r for r in report.availability if r.entry.metric.key == injuries.key)
    assert (row.year, row.value) == (2024, 77.7) and row.region_value is not None
    assert "77,7" in html


def test_county_hyte_share_and_region_beside(county_world):
    report = selectors.follow_up_report(region=_region(), year=2024, county_code="12", draw_charts=False)
    rows = report.funding.hyte_rows
    assert rows, "the county's per-resident share from the SYNTHETIC population"
    assert rows[0].area.code == "12" and rows[0].eur is not None
    html = rendering.render_body(report, internal=False, static=True)
    assert COUNTY in html.split('id="hyte-title"')[1]


def test_county_hyte_has_the_regions_synthetic_figure_beside(county_world, settings):
    for name, kind in DEMO_TABLES:
        import_figures(path=Path(settings.DATA_DIR) / "funding" / name, kind=kind)
    report = selectors.follow_up_report(region=_region(), year=2024, county_code="12", draw_charts=False)
    county_row, region_row = report.funding.hyte_rows
    assert county_row.area.code == "12" and region_row.area == _region().area
    assert region_row.kind == "synthetic" and region_row.points is not None
    html = rendering.render_body(report, internal=False, static=True)
    hyte = html.split('id="hyte-title"')[1].split("</section>")[0]
    assert "SYNTEETTINEN" in hyte and "vertailun vuoksi" in hyte


def test_county_edition_as_pdf_names_the_county_on_its_cover(county_world, tmp_path):
    output = tmp_path / "county.pdf"
    call_command("report", "build", "etela-savo", "--year", "2024", "--county", "12", "--output", str(output))
    text = subprocess.run(["pdftotext", "-l", "1", str(output), "-"], capture_output=True, text=True, check=True)
    assert COUNTY in text.stdout.replace("\n", " ")


def test_county_not_of_the_region_is_not_found(world):
    with pytest.raises(selectors.NotFound):
        selectors.follow_up_report(region=_region(), year=2024, county_code="99", draw_charts=False)
    with pytest.raises(builds.BuildError):
        builds.queue_build(region=_region(), year=2024, county_code="12", municipality_code="491")


def test_report_build_command_and_page_offer_the_county_edition(county_world, tmp_path, client):
    output = tmp_path / "county.html"
    call_command("report", "build", "etela-savo", "--year", "2024", "--format", "html", "--county", "--output", output)
    assert COUNTY in output.read_text(encoding="utf-8")
    page = client.get(reverse("reports:report", args=["etela-savo", 2024]) + "?county=12")
    assert page.status_code == 200 and COUNTY in page.content.decode()
    assert "report.pdf?county=12" in page.content.decode()
    data = {"year": 2024, "municipality_code": "county-12", "language": "fi", "format": "pdf"}
    form = BuildForm(data, counties=[county_world[0]])
    assert form.is_valid(), form.errors
    assert form.cleaned_data["county_code"] == "12" and form.cleaned_data["municipality_code"] == ""
    build = builds.queue_build(region=_region(), **form.cleaned_data)
    assert build.county_code == "12" and "--county 12" in build.command_line
