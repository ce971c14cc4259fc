"""Checks of the loaded demo that `test_demo.py` runs after its one load (the demo takes a while to load)."""

from tilannekuva.dashboard import profiles, selectors
from tilannekuva.dashboard.status import Status, is_current
from tilannekuva.followup.models import ReportingPeriod
from tilannekuva.regions.models import Region
from tilannekuva.reports import selectors as reports

HYTE_POINTS = "hyte-kerroin-skaalattu-pistemaara"
POPULATION_INDEX = "elinvoima-vaestoindeksi"


def check_where_mikkeli_stands_and_that_no_old_value_is_on_track() -> None:
    """Issue 16 on the loaded demo, as a new user would try it: no card is ✓ on a value older than its metric's
    frequency allows, and Mikkeli's profile, the comparison and Mikkeli's welfare edition read the same
    per-municipality figures (HYTE points of every municipality, the population index), beside the region and the
    country."""
    year = selectors.default_year()
    walked = 0
    for region in Region.objects.all():
        for shown in (year, year - 1, year - 3):
            try:
                board = selectors.dashboard(region=region, year=shown)
            except selectors.NotFound:
                continue
            for card in board.cards:
                walked += 1
                if card.status == Status.ON_TRACK:
                    assert card.latest is not None
                    assert is_current(card.metric, latest_year=card.latest[0], year=shown), card.metric.key
    assert walked > 100

    etela_savo = Region.objects.get(slug="etela-savo")
    profile = profiles.municipality_profile(region=etela_savo, code="491", year=year)
    rows = {row.card.metric.key: row for row in profile.rows}
    for key in (HYTE_POINTS, POPULATION_INDEX):
        row = rows[key]
        assert row.value is not None and row.region_value is not None and row.country_value is not None, key
    assert rows[HYTE_POINTS].of == 12  # ranked among the twelve municipalities of 2024

    compared = selectors.comparison(region=etela_savo, metric_key=HYTE_POINTS, year=year)
    assert compared.year == 2024
    assert len(compared.municipalities) == 12 and all(r.value is not None for r in compared.municipalities)
    assert sorted(r.rank for r in compared.municipalities if r.rank) == list(range(1, 13))
    assert {r.kind for r in compared.rows} >= {"region", "country"}

    welfare = reports.follow_up_report(
        region=etela_savo, year=year, kind=reports.WELFARE, municipality_code="491", draw_charts=False
    )
    own = {e.metric.key: e.own for e in welfare.entries}
    assert own[HYTE_POINTS] == (rows[HYTE_POINTS].year, rows[HYTE_POINTS].value)
    assert own[POPULATION_INDEX] == (rows[POPULATION_INDEX].year, rows[POPULATION_INDEX].value)

    period = ReportingPeriod.objects.get(region=etela_savo, year=year)
    assert not period.tasks.filter(organisation__area__code="588").exists()  # no Pertunmaa from 2025
    assert period.tasks.filter(metric__key="laaja-hyvinvointikertomus-ja-suunnitelma").count() == 11
