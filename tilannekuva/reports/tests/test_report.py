"""The yearly follow-up report: its sections from the dashboard's cards, charts from the dashboard's specs,
a municipality's edition, the welfare-report variant, Swedish, and the PDF checked as text and as an image."""

import datetime
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from tilannekuva.dashboard.tests.conftest import area
from tilannekuva.databank.models import Indicator, Observation
from tilannekuva.databank.services import source
from tilannekuva.followup.services import open_period, review_report, submit_report
from tilannekuva.regions.models import Region
from tilannekuva.reports import rendering, selectors

pytestmark = pytest.mark.django_db

GOAL_TITLE = "Hyvinvoinnin ja terveyden edistäminen"


def _region() -> Region:
    return Region.objects.get(slug="etela-savo")


def test_report_draws_a_chart_and_a_table_from_the_dashboards_own_spec(injuries):
    report = selectors.follow_up_report(region=_region(), year=2024)
    entry = next(e for e in report.entries if e.metric.key == injuries.key)
    assert entry.chart_svg.startswith("<svg")
    assert entry.chart_uri.startswith("data:image/svg+xml;base64,")
    assert [year for year, _values in entry.rows] == list(range(2019, 2025))
    assert report.charts_drawn == 1
    html = rendering.render_body(report, internal=False)
    assert GOAL_TITLE in html
    assert "Line chart" in html or "Viivakaavio" in html


def test_municipality_edition_adds_the_municipalitys_line_and_value(injuries):
    report = selectors.follow_up_report(region=_region(), year=2024, municipality_code="491")
    entry = next(e for e in report.entries if e.metric.key == injuries.key)
    assert entry.own == (2024, pytest.approx(100.0 + 4 - 10))
    assert len(entry.columns) == 3  # the region, the country and Mikkeli
    assert "Mikkeli" in report.title


def test_municipality_outside_the_region_is_not_found(world):
    with pytest.raises(selectors.NotFound):
        selectors.follow_up_report(region=_region(), year=2024, municipality_code="091")


def test_welfare_variant_lists_which_hyte_indicators_have_data_for_the_municipality(injuries):
    population, _created = Indicator.objects.get_or_create(
        source=source("sotkanet"), external_id="127", defaults={"title_fi": "Väestö 31.12."}
    )
    juva = area("municipality", "178")
    Observation.objects.bulk_create(
        Observation(indicator=population, area=juva, year=y, value=6000.0 - y) for y in range(2015, 2026)
    )
    report = selectors.follow_up_report(region=_region(), year=2024, municipality_code="178", kind=selectors.WELFARE)
    assert [year for year, _value in report.population] == list(range(2019, 2025))
    rows = {row.entry.metric.key: row for row in report.availability}
    assert rows[injuries.key].available and rows[injuries.key].year == 2024
    assert rows["hyte-kerroin-skaalattu-pistemaara"].available is False
    html = rendering.render_body(report, internal=False)
    assert "hyvinvointikertomus" in html


def test_swedish_report_uses_the_swedish_interface(world):
    report = selectors.follow_up_report(region=_region(), year=2024, language="sv", draw_charts=False)
    html = rendering.render_body(report, internal=False)
    assert "Uppföljningsrapport" in report.title
    assert "Sammanfattning" in html


def test_manual_metric_shows_its_approved_value_evidence_and_comment(users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    region = _region()
    period = open_period(region=region, year=2024, deadline=datetime.date(2025, 3, 31), user=users["alice"])
    task = period.tasks.get(metric__key="laaja-hyvinvointikertomus-ja-suunnitelma", organisation__area__code="491")
    report = submit_report(
        task=task,
        user=users["alice"],
        yes=True,
        evidence_url="https://example.org/poytakirja-2024.pdf",
        comment="Valtuusto hyväksyi 10.6.",
    )
    review_report(report=report, user=users["alice"], approve=True)
    built = selectors.follow_up_report(region=region, year=2024, draw_charts=False)
    entry = next(e for e in built.manual if e.metric.key == "laaja-hyvinvointikertomus-ja-suunnitelma")
    assert entry.evidence[0].url == "https://example.org/poytakirja-2024.pdf"
    html = rendering.render_body(built, internal=False)
    assert "https://example.org/poytakirja-2024.pdf" in html
    assert "Valtuusto hyväksyi 10.6." in html
    welfare = selectors.follow_up_report(
        region=region, year=2024, kind=selectors.WELFARE, municipality_code="491", draw_charts=False
    )
    own = next(e for e in welfare.entries if e.metric.key == "laaja-hyvinvointikertomus-ja-suunnitelma")
    assert own.own == (2024, 1.0)  # Mikkeli's own approved yes, in Mikkeli's welfare edition
    welfare_html = rendering.render_body(welfare, internal=False)
    start = welfare_html.index("Laaja valtuustokauden")
    row = welfare_html[start : welfare_html.index("</tr>", start)]
    assert "Kyllä" in row and "1 / 12" in row and '"num">1<' not in row  # Mikkeli's yes; 1 of the 12 of 2024


def test_report_build_command_writes_a_pdf_whose_pages_show_goals_and_charts(injuries, tmp_path):
    output = tmp_path / "report.pdf"
    call_command("report", "build", "etela-savo", "--year", "2024", "--format", "pdf", "--output", str(output))
    assert output.read_bytes().startswith(b"%PDF-")
    info = subprocess.run(["pdfinfo", str(output)], capture_output=True, text=True, check=True).stdout
    assert "Tagged:          yes" in info
    tags = subprocess.run(["pdfinfo", "-struct", str(output)], capture_output=True, text=True, check=True).stdout
    kinds = {line.split()[0].rstrip(":") for line in tags.splitlines() if line.strip()}
    assert {"H1", "Table", "TH", "Caption", "Figure"} <= kinds  # PDF/UA: headings, tables, the chart as a figure
    assert "Follow-up report 2024" in info or "Seurantaraportti 2024" in info
    text = subprocess.run(["pdftotext", str(output), "-"], capture_output=True, text=True, check=True).stdout
    assert GOAL_TITLE in text
    assert "Vammojen ja myrkytysten" in text
    page = _page_with(output, "Vammojen ja myrkytysten hoidosta")
    png = _png(output, page, tmp_path)
    _assert_drawn(png)


def _page_with(pdf: Path, words: str) -> int:
    pages = int(
        next(
            line.split()[-1]
            for line in subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout.splitlines()
            if line.startswith("Pages:")
        )
    )
    for number in range(1, pages + 1):
        text = subprocess.run(
            ["pdftotext", "-f", str(number), "-l", str(number), str(pdf), "-"], capture_output=True, text=True
        ).stdout
        if words in text.replace("\n", " "):
            return number
    raise AssertionError(f"no page shows '{words}'")


def _png(pdf: Path, page: int, folder: Path) -> Path:
    prefix = folder / "page"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", "-f", str(page), "-l", str(page), "-singlefile", str(pdf), str(prefix)],
        check=True,
    )
    return prefix.with_suffix(".png")


def _assert_drawn(png: Path) -> None:
    """An A4 page at 40 dpi (331 × 468 px) with more than a little ink on it."""
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (331, 468)
    from PIL import Image

    with Image.open(png) as image:
        histogram = image.convert("L").histogram()
    assert sum(histogram[:200]) > sum(histogram) * 0.01


def test_report_pdf_and_html_pages_answer_the_public(client, injuries):
    region = _region()
    page = client.get(reverse("reports:report", args=[region.slug, 2024]))
    assert page.status_code == 200
    assert GOAL_TITLE in page.content.decode()
    pdf = client.get(reverse("reports:report_pdf", args=[region.slug, 2024]), {"municipality": "491"})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    welfare = client.get(reverse("reports:welfare", args=[region.slug, 2024, "491"]))
    assert welfare.status_code == 200
    welfare_pdf = client.get(reverse("reports:welfare_pdf", args=[region.slug, 2024, "491"]))
    assert welfare_pdf.status_code == 200 and welfare_pdf.content.startswith(b"%PDF-")


def test_internal_regions_report_needs_a_role(client, users):
    region = _region()
    region.dashboard_public = False
    region.save()
    url = reverse("reports:report", args=[region.slug, 2024])
    assert client.get(url).status_code == 404  # as the API answers
    client.force_login(users["bob"])
    assert client.get(url).status_code == 404
    assert client.get(reverse("reports:report_pdf", args=[region.slug, 2024])).status_code == 404
    client.force_login(users["carol"])
    assert client.get(url).status_code == 200


def test_unknown_year_or_municipality_is_not_found(client, world):
    assert client.get(reverse("reports:report", args=["etela-savo", 1800])).status_code == 404
    assert client.get(reverse("reports:report", args=["etela-savo", 2024]), {"municipality": "x"}).status_code == 404
    assert client.get(reverse("reports:welfare", args=["etela-savo", 2024, "091"])).status_code == 404
