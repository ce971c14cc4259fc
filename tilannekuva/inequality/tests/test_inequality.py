"""Inequality: gaps between the best and the worst municipality, women and men, and a breakdown's groups, with the
trend, computed only from observations, saying why where a gap cannot be computed; on the metric page and in the
report. The observations here are SYNTHETIC, made for the tests."""

import pytest
from django.urls import reverse
from django.utils import translation

from tilannekuva.databank.models import Indicator, Observation
from tilannekuva.databank.services import source
from tilannekuva.inequality.gaps import GapSeries, extremes, group_kind
from tilannekuva.inequality.selectors import inequality_of
from tilannekuva.regions.models import Area, Region
from tilannekuva.strategy.models import Metric

METRIC = "vammojen-ja-myrkytysten-sairaalahoito"  # bound to Sotkanet 3037, lower is better


@pytest.fixture
def region(world):
    return Region.objects.get(slug="etela-savo")


@pytest.fixture
def indicator(region):
    """SYNTHETIC values of Sotkanet 3037 for three Etelä-Savo municipalities, the region by gender and by age."""
    made = Indicator.objects.create(
        source=source("sotkanet"), external_id="3037", title_fi="SYNTEETTINEN testi-indikaattori", decimals=1
    )
    municipality = {code: Area.objects.get(kind="municipality", code=code) for code in ("491", "178", "740")}
    rows = {
        2020: {"491": 100.0, "178": 130.0, "740": 110.0},
        2022: {"491": 100.0, "178": 150.0, "740": 105.0},
    }
    for year, values in rows.items():
        for code, value in values.items():
            Observation.objects.create(indicator=made, area=municipality[code], year=year, value=value)
    for year, women, men in ((2020, 90.0, 140.0), (2022, 95.0, 135.0)):
        Observation.objects.create(indicator=made, area=region.area, year=year, gender="female", value=women)
        Observation.objects.create(indicator=made, area=region.area, year=year, gender="male", value=men)
    for group, value in (("0–14", 80.0), ("65+", 190.0)):
        Observation.objects.create(indicator=made, area=region.area, year=2022, classification=group, value=value)
    return made


def metric(key=METRIC):
    return Metric.objects.get(version__strategy__region__slug="etela-savo", version__year=2024, key=key)


def test_the_best_municipality_is_the_lowest_when_lower_is_better_and_the_gap_widens(region, indicator):
    result = inequality_of(metric=metric(), indicator=indicator, area=region.area, direction="lower_is_better")
    latest = result.municipalities.latest
    assert latest is not None
    assert (latest.high_label, latest.low_label, latest.gap, latest.count) == ("Mikkeli", "Juva", 50.0, 3)
    trend = result.municipalities.trend
    assert trend is not None and (trend.first.gap, trend.last.gap, trend.word) == (30.0, 50.0, "widening")


def test_the_gender_gap_comes_from_the_regions_values_for_women_and_men(region, indicator):
    result = inequality_of(metric=metric(), indicator=indicator, area=region.area, direction="lower_is_better")
    assert [(p.year, p.high_label, p.gap) for p in result.gender.points] == [
        (2020, "Naiset", 50.0),
        (2022, "Naiset", 40.0),
    ]
    assert result.gender.trend is not None and result.gender.trend.word == "narrowing"


def test_a_breakdown_by_age_is_recognised_and_its_gap_computed(region, indicator):
    result = inequality_of(metric=metric(), indicator=indicator, area=region.area, direction="lower_is_better")
    assert result.groups.group_kind == "age"
    assert result.groups.latest is not None and result.groups.latest.gap == 110.0
    assert result.groups.trend is None  # one year only


def test_up_to_the_follow_up_year_only(region, indicator):
    result = inequality_of(
        metric=metric(), indicator=indicator, area=region.area, direction="lower_is_better", up_to=2021
    )
    assert [p.year for p in result.municipalities.points] == [2020]


def test_a_metric_without_an_indicator_says_why_no_gap_is_computed(region):
    with translation.override("en"):
        result = inequality_of(
            metric=metric("hyte-kerroin-indikaattorit"), indicator=None, area=region.area, direction="neutral"
        )
    assert not result.any_computed
    assert "not bound to a data-bank indicator" in result.municipalities.reason


def test_without_gender_or_group_data_the_reason_is_given(region):
    bare = Indicator.objects.create(source=source("file"), external_id="bare", title_fi="SYNTEETTINEN")
    Observation.objects.create(
        indicator=bare, area=Area.objects.get(kind="municipality", code="491"), year=2020, value=1
    )
    with translation.override("en"):
        result = inequality_of(metric=metric(), indicator=bare, area=region.area, direction="neutral")
    assert "two or more" in result.municipalities.reason
    assert "by gender" in result.gender.reason and "breakdown" in result.groups.reason


def test_without_a_direction_the_ends_are_the_highest_and_the_lowest():
    point = extremes(2020, {"A": 3.0, "B": 1.0, "C": 2.0}, direction="neutral")
    assert (point.high_label, point.low_label, point.ratio) == ("A", "B", 3.0)
    assert group_kind(["perusaste", "korkea-aste"]) == "other"
    assert GapSeries("gender").trend is None


def test_the_metric_page_shows_the_gaps_with_the_synthetic_label(client, region, indicator):
    page = client.get(reverse("dashboard:metric", args=["etela-savo", METRIC]) + "?year=2024").content.decode()
    assert 'id="inequality-title-page"' in page and "SYNTEETTINEN testi-indikaattori" in page
    assert "Juva" in page
