"""Issue 19: the report a council accepts. Its first page after the cover is the summary (what improved, worsened
and is missing per main goal, told from the figures), no two sections or tables are the same, the last page is
no orphan, the charts have one legend and honest axes, the Swedish edition says once that the strategy's texts
are Finnish, and the data gaps are a page of their own."""

import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from tilannekuva.core import charts
from tilannekuva.regions.models import Region
from tilannekuva.reports import rendering, selectors

pytestmark = pytest.mark.django_db

INJURIES_TITLE = "Vammojen ja myrkytysten hoidosta"


def _region() -> Region:
    return Region.objects.get(slug="etela-savo")


def _pages(pdf: Path) -> list[str]:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    count = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]
    return [
        subprocess.run(
            ["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(pdf), "-"], capture_output=True, text=True
        ).stdout
        for n in range(1, count + 1)
    ]


class _Blocks(HTMLParser):
    """The text of every <section> (its nested sections' text included) and of every <table>."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[tuple[str, list[str]]] = []
        self.sections: list[str] = []
        self.tables: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("section", "table"):
            self.open.append((tag, []))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("section", "table") and self.open:
            kind, parts = self.open.pop()
            text = " ".join(" ".join(parts).split())
            (self.sections if kind == "section" else self.tables).append(text)
            for _kind, outer in self.open:
                outer.append(text)

    def handle_data(self, data: str) -> None:
        if self.open:
            self.open[-1][1].append(data)


def test_pdf_opens_with_cover_then_summary_repeats_no_section_and_ends_without_an_orphan(injuries, tmp_path):
    output = tmp_path / "report.pdf"
    call_command("report", "build", "etela-savo", "--year", "2024", "--format", "pdf", "--output", str(output))
    pages = _pages(output)
    cover, summary = pages[0], pages[1]
    assert "Etelä-Savo" in cover and "2024" in cover and "Hyväksytty" in cover  # region, year, approval status
    assert re.search(r"\d{1,2}\.\d{1,2}\.\d{4}", cover)  # the date it was made
    assert summary.lstrip().startswith("Yhteenveto")
    assert "Asukkaiden kokema hyvinvointi paranee" in summary  # per main goal
    assert "Parani edellisestä arvosta" in " ".join(summary.split())  # the injuries metric improved
    assert "Ilman tietoa vuodelta 2024" in summary
    last = [line for line in pages[-1].splitlines() if line.strip()]
    assert len(last) > 6, f"the last page holds only {len(last)} lines: {last}"

    report = selectors.follow_up_report(region=_region(), year=2024, draw_charts=False)
    blocks = _Blocks()
    blocks.feed(rendering.render_body(report, internal=False, static=True))
    assert len(blocks.sections) > 5
    repeated = {text[:80] for text in blocks.sections if blocks.sections.count(text) > 1}
    assert not repeated, f"sections repeated: {repeated}"
    repeated_tables = {text[:80] for text in blocks.tables if blocks.tables.count(text) > 1}
    assert not repeated_tables, f"tables repeated: {repeated_tables}"


def test_summary_sentences_are_made_from_the_figures_and_gaps_grouped_by_responsible(injuries):
    report = selectors.follow_up_report(region=_region(), year=2024, draw_charts=False)
    card = next(c for c in report.board.cards if c.metric.key == injuries.key)
    goal = next(g for g in report.summary.goals if card in g.node.all_cards)
    assert card in goal.improved
    before, after = card.previous, card.latest
    assert before is not None and after is not None
    with translation.override("fi"):
        expected = f"{before[1]:.1f}".replace(".", ",") + " / 10 000 → " + f"{after[1]:.1f}".replace(".", ",")
    assert expected in " ".join(goal.sentences)
    assert f"({before[0]}–{after[0]})" in " ".join(goal.sentences)
    missing = {gap.card.metric.key for group in report.summary.gaps for gap in group.gaps}
    assert missing == {c.metric.key for c in report.board.missing}
    assert injuries.key not in missing
    assert all(gap.reason for group in report.summary.gaps for gap in group.gaps)
    # A metric without data is not a block of its own in the goals' section: it is in the one list of gaps.
    html = rendering.render_body(report, internal=False, static=True)
    assert html.count('class="report-metric"') == len([e for e in report.entries if e.has_data])


def test_welfare_report_follows_the_structure_of_the_yearly_welfare_report(injuries):
    report = selectors.follow_up_report(
        region=_region(), year=2024, municipality_code="491", kind=selectors.WELFARE, draw_charts=False
    )
    keys = [s.key for s in report.sections if s.has_data]
    assert keys[:3] == ["population-title", "availability-title", "goals-title"]
    assert keys.index("goals-title") < keys.index("hyte-title") < keys.index("inequality-report-title")
    assert keys[-1] == "gaps-title"


def test_swedish_edition_says_once_that_the_strategy_texts_are_finnish(world):
    report = selectors.follow_up_report(region=_region(), year=2024, language="sv", draw_charts=False)
    html = rendering.render_body(report, internal=False)
    assert html.count("finns inte på svenska") == 1
    assert "Sammanfattning" in html and "Innehåll" in html
    finnish = selectors.follow_up_report(region=_region(), year=2024, draw_charts=False)
    assert "ruotsinkielistä" not in rendering.render_body(finnish, internal=False)


def test_a_chart_has_one_legend_and_an_axis_that_does_not_exaggerate():
    rows = [
        {"year": 2024, "series": "Etelä-Savo", "value": 6.58},
        {"year": 2025, "series": "Etelä-Savo", "value": 6.24},
    ]
    scale = charts.honest_domain([6.58, 6.24], scale=(1, 10))
    assert scale == [1.0, 10.0]
    spec = charts.line_chart(rows, title="t", y_title="y", series_title="Alue", y_domain=scale)
    svg = charts.render_svg(spec)
    assert svg.count(">Alue<") == 1  # one legend, not "Alue Alue"
    assert spec["encoding"]["y"]["scale"] == {"domain": [1.0, 10.0], "zero": False}
    assert ">10<" in svg and ">1<" in svg  # the axis is drawn over the whole scale
    assert charts.honest_domain([40.0, 45.0], unit="%") == [0.0, 100.0]
    assert charts.honest_domain([140.0], unit="%") is None  # a share over 100 is no share: not forced
    plain = charts.line_chart(rows, title="t", y_title="y", series_title="Alue")
    assert plain["encoding"]["y"]["scale"] == {"zero": True}
    zoomed = charts.line_chart(rows, title="t", y_title="y", series_title="Alue", zoomed=True)
    assert zoomed["encoding"]["y"]["scale"] == {"zero": False} and "y (" in zoomed["encoding"]["y"]["title"]


def test_data_gaps_page_lists_what_is_missing_why_and_who_is_responsible(client, injuries):
    region = _region()
    response = client.get(reverse("reports:gaps", args=[region.slug, 2024]))
    assert response.status_code == 200
    html = response.content.decode()
    board_missing = selectors.gaps(region=region, year=2024)
    assert board_missing.gap_count > 0
    first = board_missing.gaps[0]
    assert first.responsible in html
    assert first.gaps[0].reason in html
    assert INJURIES_TITLE not in html  # it has data for 2024
    assert client.get(reverse("reports:gaps", args=[region.slug, 1800])).status_code == 404


def test_the_vitality_section_does_not_repeat_the_hyte_table(world, monkeypatch):
    """The bug of issue 19: "Elinvoima" showed the HYTE coefficient's table again."""
    from tilannekuva.regions.models import Area, AreaKind
    from tilannekuva.reports import sections

    mikkeli = Area.objects.get(kind=AreaKind.MUNICIPALITY, code="491")
    funding = sections.FundingSection(
        hyte_year=2024,
        hyte_rows=[sections.HyteRow(mikkeli, 55.0, "synthetic", 3, 1, None, None)],
        vitality_year=2024,
        vitality_rows=[("Mikkeli", 0.25)],
    )
    monkeypatch.setattr(sections, "funding_section", lambda **kwargs: funding)
    report = selectors.follow_up_report(region=_region(), year=2024, draw_charts=False)
    blocks = _Blocks()
    blocks.feed(rendering.render_body(report, internal=False, static=True))
    hyte_tables = [t for t in blocks.tables if "HYTE-kerroin 2024" in t]
    assert len(hyte_tables) == 1
    assert not {t[:80] for t in blocks.tables if blocks.tables.count(t) > 1}
    assert not {t[:80] for t in blocks.sections if blocks.sections.count(t) > 1}
