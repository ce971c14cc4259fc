"""The dashboard's pages: every metric with a status, "ready X / Y" computed, comparison, municipality profile,
downloads, permissions, and the cache that an import expires."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils.html import escape

from tilannekuva.dashboard.selectors import dashboard
from tilannekuva.dashboard.status import Status
from tilannekuva.databank import services
from tilannekuva.databank.models import Indicator
from tilannekuva.regions.models import Region
from tilannekuva.strategy.models import Metric

from .conftest import ETELA_SAVO_2024, METRIC_KEY, area

STATUS_LABELS = [str(status.label) for status in Status]


def url(name: str, *args: str, **query: str) -> str:
    base = reverse(f"dashboard:{name}", args=["etela-savo", *args])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


def test_every_metric_of_seed_000_is_on_the_dashboard_with_a_status(client, world):
    response = client.get(url("dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    metrics = Metric.objects.filter(version__strategy__region__slug="etela-savo")
    assert metrics.count() == 37
    for metric in metrics:
        start = html.index(f'id="card-{metric.key}"')
        card = html[start : html.index("</article>", start)]
        assert 'class="status status-' in card, metric.key
        assert escape(metric.title[:60]) in card, metric.key
    # The seed's own words for the metrics (tested against the strategy file in strategy/tests) are the cards' titles.
    assert "Kodin ja vapaa-ajan tapaturmien määrä vähenee" in html
    assert "PTV-palvelukuvauksien määrä kunnat" in html


def test_metrics_ready_is_computed(english, injuries):
    page = english.get(url("dashboard", year="2024")).content.decode()
    assert "Metrics ready 1 / 37" in page
    assert "Metrics ready 0 / 37" in english.get(url("dashboard", year="2025")).content.decode()
    board = dashboard(region=Region.objects.get(slug="etela-savo"), year=2024)
    assert len(board.ready) == 1 and len(board.cards) == 37
    assert all(c.status == Status.NO_DATA for c in board.missing if c.metric.key != METRIC_KEY)


def test_missing_metrics_name_who_is_responsible(english, world):
    page = english.get(url("dashboard")).content.decode()
    assert "Without data for the year: 37 metrics and who is responsible for them" in page
    assert "Turvallisuustyöryhmä" in page or "turvallisuus" in page.lower()


def test_card_shows_latest_value_changes_target_and_trend(english, injuries):
    board = dashboard(region=Region.objects.get(slug="etela-savo"), year=2024)
    card = next(c for c in board.cards if c.metric.key == METRIC_KEY)
    assert card.latest is not None and card.latest[0] == 2024
    assert card.change_since_previous is not None and card.change_since_previous < 0  # falling: better
    assert card.data is not None
    assert card.baseline == (2023, pytest.approx(card.data.values[2023]))  # period starts 2023
    assert card.status == Status.NOT_ASSESSED  # no target: the fall is a trend, not "on track"
    page = english.get(url("dashboard", year="2024")).content.decode()
    start = page.index(f'id="card-{METRIC_KEY}"')
    html = page[start : page.index("</article>", start)]
    assert "Change from previous" in html and "better" in html
    assert "<polyline" in html  # the trend line
    assert "Not assessed" in html and "a trend, not a status" in html and 'role="tooltip"' in html


def test_a_year_before_the_data_is_no_data_yet(english, injuries):
    board = dashboard(region=Region.objects.get(slug="etela-savo"), year=2018)
    card = next(c for c in board.cards if c.metric.key == METRIC_KEY)
    assert card.status == Status.NO_DATA


def test_metric_page_has_chart_table_metadata_and_downloads(english, injuries):
    response = english.get(url("metric", METRIC_KEY, year="2024") + "&m=491")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-chart="metric-chart"' in html and '<script id="metric-chart" type="application/json">' in html
    assert "Mikkeli" in html and "Whole country" not in html.split("metric-chart")[0]
    for fmt in ("csv", "xlsx", "svg", "png"):
        assert reverse("dashboard:download", args=["etela-savo", METRIC_KEY, fmt]) in html
    assert "SYNTHETIC test data" in html  # the vintage
    assert "Lower is better" in html


def test_csv_download_has_every_municipality_and_the_region(client, injuries):
    response = client.get(url("download", METRIC_KEY, "csv", year="2024", dialect="machine"))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.csv"')
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert {r["area_code"] for r in rows if r["area_kind"] == "municipality"} == set(ETELA_SAVO_2024)
    region_rows = [r for r in rows if r["area_kind"] == "maakunta"]
    assert [r["year"] for r in region_rows] == [str(y) for y in range(2019, 2025)]
    assert "keskiarvo" in region_rows[0]["area_name"] or "mean" in region_rows[0]["area_name"]


def test_csv_download_in_the_finnish_interface_is_in_the_finnish_spreadsheet_dialect(client, english, injuries):
    english.cookies["django_language"] = "fi"
    finnish = client.get(url("download", METRIC_KEY, "csv", year="2024")).content.decode("utf-8-sig")
    codes = {r["area_code"] for r in csv.DictReader(io.StringIO(finnish), delimiter=";")}
    assert (
        '="046"' in codes
    )  # Enonkoski's code stays text in a Finnish spreadsheet (databank/tests/test_csv_dialect_fi)
    english.cookies["django_language"] = "en"
    machine = client.get(url("download", METRIC_KEY, "csv", year="2024")).content.decode("utf-8-sig")
    assert '="046"' not in machine and ";046;" in machine


def test_xlsx_svg_and_png_downloads(client, injuries):
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(url("download", METRIC_KEY, "xlsx")).content))
    assert workbook.active.max_row > 70
    svg = client.get(url("download", METRIC_KEY, "svg"))
    assert svg["Content-Type"] == "image/svg+xml" and svg.content.lstrip().startswith(b"<svg")
    png = client.get(url("download", METRIC_KEY, "png"))
    assert png.content.startswith(b"\x89PNG\r\n\x1a\n")


def test_downloads_of_unknown_formats_and_metrics_without_data_are_not_found(client, injuries):
    assert client.get(url("download", METRIC_KEY, "pdf")).status_code == 404
    assert client.get(url("download", "kumppanuuden-suositteluindeksi-nps", "svg")).status_code == 404


def test_comparison_ranks_the_municipalities_by_better(english, injuries):
    response = english.get(url("comparison", METRIC_KEY, year="2024"))
    assert response.status_code == 200
    comparison = response.context["comparison"] if response.context else None
    html = response.content.decode()
    assert "Lower is better: rank 1 has the lowest value." in html
    assert "(wellbeing services county)" in html
    assert 'data-chart="map-spec"' in html
    names = [row.area.name for row in comparison.municipalities] if comparison else []
    assert len(names) in (0, 12)
    body = html[html.index("<tbody>") : html.index("</tbody>")]
    first = body.index("Mikkeli")  # Mikkeli improves fastest: the lowest value, rank 1
    assert first < body.index("Juva")


def test_comparison_sorts_by_name_both_ways(english, injuries):
    ascending = english.get(url("comparison", METRIC_KEY, year="2024", sort="name", order="asc")).content.decode()
    descending = english.get(url("comparison", METRIC_KEY, year="2024", sort="name", order="desc")).content.decode()
    assert ascending.index("Enonkoski") < ascending.index("Sulkava")
    assert descending.index("Sulkava") < descending.index("Enonkoski")
    assert 'aria-sort="descending"' in descending


def test_municipality_profile_compares_with_the_region_and_the_country(english, injuries):
    response = english.get(url("municipality", "491", year="2024"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Mikkeli in the Etelä-Savo partnership" in html
    assert "1. of 12" in html
    assert "Metrics without municipal values" in html


def test_the_municipality_picker_is_at_the_top_and_its_address_opens_the_profile(english, injuries):
    html = english.get(url("dashboard", year="2024")).content.decode()
    assert 'id="kunta-select"' in html
    assert html.index('id="kunta-select"') < html.index("main-goals-title")  # before any card
    response = english.get(url("dashboard", year="2024", kunta="491"))
    assert response.status_code == 302 and response["Location"] == url("municipality", "491", year="2024")
    assert english.get(url("dashboard", year="2025", kunta="588")).status_code == 404  # Pertunmaa merged
    profile = english.get(response["Location"]).content.decode()
    assert "Where Mikkeli stands" in profile and "better than the region in" in profile
    assert profile.index("Where Mikkeli stands") < profile.index("profile-caption")  # standing before details


def test_a_municipality_outside_the_region_or_year_is_not_found(client, world):
    assert client.get(url("municipality", "091")).status_code == 404  # Helsinki
    assert client.get(url("municipality", "588", year="2025")).status_code == 404  # Pertunmaa merged
    assert client.get(url("municipality", "588", year="2024")).status_code == 200


@pytest.mark.parametrize("bad", ["abc", "20245", "1066"])
def test_a_bad_year_is_not_found(client, world, bad):
    assert client.get(url("dashboard", year=bad)).status_code == 404


def test_unknown_region_and_metric_are_not_found(client, world):
    assert client.get(reverse("dashboard:dashboard", args=["atlantis"])).status_code == 404
    assert client.get(url("metric", "no-such-metric")).status_code == 404
    assert client.get(url("comparison", "no-such-metric")).status_code == 404


def test_the_dashboard_only_answers_get(client, world):
    assert client.post(url("dashboard")).status_code == 405


@pytest.mark.parametrize(
    ("who", "expected"), [(None, 404), ("alice", 200), ("carol", 200), ("bob", 404), ("dave", 404)]
)
def test_an_internal_dashboard_needs_a_role_in_the_region(client, users, who, expected):
    Region.objects.filter(slug="etela-savo").update(dashboard_public=False)
    if who:
        client.force_login(users[who])
    for address in (url("dashboard"), url("metric", METRIC_KEY), url("municipality", "491")):
        response = client.get(address)
        assert response.status_code == expected, address  # outsiders: 404, as the API answers


def test_a_public_dashboard_is_open_to_everyone(client, world):
    assert client.get(url("dashboard")).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_an_import_expires_the_cached_dashboard(english, injuries):
    """Transactional: the expiry runs when the import commits, as it does in production."""
    first = english.get(url("dashboard", year="2024"))
    assert "Metrics ready 1 / 37" in first.content.decode()
    again = english.get(url("dashboard", year="2024"))
    assert again.content == first.content and again.context is None  # the whole page, from the cache
    assert "Metrics ready 0 / 37" in english.get(url("dashboard", year="2025")).content.decode()  # now cached
    indicator_id = Indicator.objects.get(external_id="synthetic-injuries").pk
    mikkeli = area("municipality", "491").pk
    row = services.ObservationRow(indicator_id, mikkeli, 2025, "total", "", 50.0, None)
    services.run_import(
        source_key="file", url="", parameters={}, work=lambda run: services.write_observations([row], run=run)
    )
    assert "Metrics ready 1 / 37" in english.get(url("dashboard", year="2025")).content.decode()


def test_finnish_is_the_default_language_with_finnish_numbers(client, injuries):
    html = client.get(url("dashboard", year="2024")).content.decode()
    assert "Mittareista valmiina 1 / 37" in html
    assert '<html lang="fi">' in html


def test_anonymous_pages_hold_no_csrf_token_and_signed_in_pages_their_own(client, users):
    assert b"csrfmiddlewaretoken" not in client.get(url("dashboard")).content
    client.force_login(users["carol"])
    page = client.get(url("dashboard")).content.decode()
    assert "csrfmiddlewaretoken" in page and "carol" in page  # the log-out form, rendered for this user


def test_the_language_switch_needs_no_csrf_token(world):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("set_language"), {"language": "sv", "next": url("dashboard")})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "sv"


def test_an_anonymous_page_is_kept_whole_with_its_headers(client, world):
    first = client.get(url("dashboard"))
    again = client.get(url("dashboard"))
    assert again.content == first.content
    assert again.context is None  # answered by the middleware, no template rendered
    assert again["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert again["Content-Language"] == "fi"


def test_signed_in_users_and_other_languages_are_not_served_anonymous_pages(client, users):
    client.get(url("dashboard"))
    client.cookies["django_language"] = "sv"
    assert '<html lang="sv">' in client.get(url("dashboard")).content.decode()
    client.force_login(users["alice"])
    page = client.get(url("dashboard"))
    assert page.context is not None and "alice" in page.content.decode()


def test_the_anonymous_page_cache_keeps_only_the_parameters_a_page_reads(client, world):
    from django.core.cache import cache

    client.get(url("dashboard"))
    client.get(url("dashboard") + "?year=2024")
    before = len(cache._cache)  # type: ignore[attr-defined]  # the local-memory cache's own dict
    for n in range(300):
        assert client.get(url("dashboard") + f"?junk={n}").status_code == 200
        assert client.get(url("dashboard") + f"?year=2024&utm={n}").status_code == 200
    assert len(cache._cache) == before  # type: ignore[attr-defined]
    # The same parameters in another order, or repeated, are the same kept page.
    again = client.get(url("dashboard") + "?year=2024&year=2024")
    assert again.context is None


def test_the_chart_rounds_to_the_metrics_precision_and_thins_year_labels(injuries):
    from tilannekuva.dashboard.downloads import ChartChoice, metric_chart
    from tilannekuva.dashboard.selectors import metric_card

    region = Region.objects.get(slug="etela-savo")
    card = metric_card(region=region, metric_key=METRIC_KEY, year=2024)
    spec = metric_chart(card, region=region, choice=ChartChoice(), language="fi").spec
    assert spec is not None
    assert spec["encoding"]["y"]["axis"]["format"] == ",.1f"  # the indicator's one decimal
    assert spec["encoding"]["tooltip"][-1]["format"] == ",.1f"
    assert spec["encoding"]["x"]["axis"]["labelOverlap"] == "greedy"
    assert spec["config"]["axis"]["aria"] is False  # the page labels the chart in its own language


def test_progress_puts_baseline_latest_and_target_on_one_bar(english, injuries):
    from tilannekuva.dashboard.progress import progress_of
    from tilannekuva.dashboard.selectors import metric_card

    region = Region.objects.get(slug="etela-savo")
    injuries.target_type, injuries.target_operator, injuries.target_value = "value", "<=", 90.0
    injuries.save()
    card = metric_card(region=region, metric_key=METRIC_KEY, year=2024)
    progress = progress_of(card)
    assert progress is not None and card.baseline is not None and card.latest is not None
    assert progress.baseline == card.baseline and progress.latest == card.latest and progress.target == 90.0
    assert progress.projected is not None and progress.projected < card.latest[1]  # falling, extended to the end
    assert 0 <= progress.baseline_x <= 100 and 0 <= progress.target_x <= 100
    html = english.get(url("metric", METRIC_KEY, year="2024")).content.decode()
    assert "Progress toward the target" in html and "target 90 by 2025" in html
