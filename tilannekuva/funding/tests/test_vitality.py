"""The vitality index: changes, z-scores against the reference, the composite, mergers, missing dimensions."""

import pytest

from tilannekuva.dashboard.providers import data_for
from tilannekuva.databank.models import Indicator, Observation
from tilannekuva.databank.services import source
from tilannekuva.funding import vitality
from tilannekuva.funding.parameters import Merge
from tilannekuva.regions.models import Area, AreaKind, Region
from tilannekuva.strategy.models import Metric

pytestmark = pytest.mark.django_db


def test_changes_are_percent_or_difference_and_flipped_where_lower_is_better():
    series = {"a": {2020: 100.0, 2021: 110.0, 2023: 99.0}}
    assert vitality.changes(series, change="percent", direction="higher_is_better") == {
        "a": {2021: pytest.approx(10.0), 2023: pytest.approx(-10.0)}
    }
    assert vitality.changes(series, change="difference", direction="lower_is_better") == {
        "a": {2021: -10.0, 2023: 11.0}
    }


def test_z_scores_are_centred_on_the_reference_and_need_its_coverage():
    deltas = {"a": {2021: 1.0}, "b": {2021: 3.0}, "c": {2021: 2.0}}
    scores, years = vitality.standardise(deltas, groups={"FI": ["a", "b", "c"]}, min_share=0.9)
    assert years == [2021]
    assert sum(scores[c][2021] for c in "abc") == pytest.approx(0)
    assert scores["b"][2021] > 0 > scores["a"][2021]
    _scores, years = vitality.standardise(deltas, groups={"FI": ["a", "b", "c", "d", "e"]}, min_share=0.9)
    assert years == []  # three of five is not enough to stand for the reference


def test_merged_municipality_is_restated_into_its_present_one():
    series = {"507": {2023: 5000.0, 2025: 6700.0}, "588": {2023: 1700.0}}
    restated = vitality.restate(series, merges=(Merge("588", "507", 2025),), rule="sum", population={})
    assert restated == {"507": {2023: 6700.0, 2025: 6700.0}}
    ratios = {"507": {2023: 10.0}, "588": {2023: 20.0}}
    weights = {"507": {2023: 3000.0}, "588": {2023: 1000.0}}
    merged = vitality.restate(
        ratios, merges=(Merge("588", "507", 2025),), rule="population_weighted_mean", population=weights
    )
    assert merged["507"][2023] == pytest.approx(12.5)


def _population(values: dict[str, tuple[float, float]]) -> None:
    indicator, _ = Indicator.objects.get_or_create(
        source=source("sotkanet"), external_id="127", defaults={"title_fi": "Väestö 31.12."}
    )
    areas = {a.code: a for a in Area.objects.filter(kind=AreaKind.MUNICIPALITY, code__in=values)}
    Observation.objects.bulk_create(
        Observation(indicator=indicator, area=areas[code], year=year, value=value)
        for code, pair in values.items()
        for year, value in zip((2021, 2022), pair, strict=True)
    )


def test_composite_and_region_mean_with_a_national_reference():
    current = vitality.current_municipalities()
    growth = {code: (1000.0, 1000.0 + (n % 7) * 10) for n, code in enumerate(sorted({*current, "588"}))}
    _population(growth)
    result = vitality.compute(reference="national", dimension_set="seed-000")
    assert result.statuses["vaestoindeksi"].years == [2022]
    assert result.statuses["tyopaikkaindeksi"].reason == "no-data"
    assert result.composite == {}  # four of the five dimensions are missing: no composite is made up
    mean = sum(result.scores[c][2022]["vaestoindeksi"] for c in current) / len(current)
    assert mean == pytest.approx(0, abs=1e-9)
    region = Region.objects.get(slug="etela-savo")
    codes = [
        a.code
        for a in Area.objects.filter(parent_memberships__parent=region.area, kind="municipality", valid_to__isnull=True)
    ]
    by_year = result.region_mean(codes, component="vaestoindeksi")
    assert by_year[2022][1] == len(codes) == 11


def test_a_single_dimension_set_gives_a_composite(settings, tmp_path):
    (tmp_path / "funding").mkdir()
    text = (settings.DATA_DIR / "funding" / "vitality.yaml").read_text(encoding="utf-8")
    text = text.replace("min_dimensions: null", "min_dimensions: 1")
    (tmp_path / "funding" / "vitality.yaml").write_text(text, encoding="utf-8")
    settings.DATA_DIR = tmp_path
    current = vitality.current_municipalities()
    _population({code: (1000.0, 1000.0 + (n % 5)) for n, code in enumerate(sorted(current))})
    result = vitality.compute()
    some = next(iter(result.composite.values()))
    assert set(some) == {2022}


def test_vitality_page_shows_missing_dimensions(client, world):
    page = client.get("/regions/etela-savo/vitality/").content.decode()
    assert "ei tietoja tietopankissa" in page or "missing" in page


def test_a_statistics_finland_series_comes_before_sotkanet_and_the_maakunta_reference_centres_each_maakunta():
    current = vitality.current_municipalities()
    indicator = Indicator.objects.create(source=source("statfin"), external_id="vaesto", title_fi="Väestö")
    areas = {a.code: a for a in Area.objects.filter(kind=AreaKind.MUNICIPALITY, code__in={*current, "588"})}
    Observation.objects.bulk_create(
        Observation(indicator=indicator, area=area, year=year, value=1000.0 + (n % 9) * (year - 2022))
        for n, (code, area) in enumerate(sorted(areas.items()))
        for year in (2022, 2023)
    )
    result = vitality.compute(reference="maakunta", dimension_set="kuntaliitto")
    assert result.statuses["vaestoindeksi"].source == ("statfin", "vaesto")
    etela_savo = [c for c, m in result.maakunta_of.items() if m == "10"]
    assert len(etela_savo) == 11
    assert result.region_mean(etela_savo, component="vaestoindeksi")[2023][0] == pytest.approx(0, abs=1e-9)


def test_the_real_population_of_2023_2025_gives_every_etela_savo_municipality_a_population_index(client, world):
    from tilannekuva.funding.demo import import_vitality_figures

    list(import_vitality_figures())
    result = vitality.compute(reference="national", dimension_set="seed-000")
    population = result.statuses["vaestoindeksi"]
    assert population.source == ("file", "vaesto") and population.points == [2023, 2024, 2025]
    assert population.years == [2024, 2025]
    etela_savo = [c for c, m in result.maakunta_of.items() if m == "10"]
    assert len(etela_savo) == 11
    for code in etela_savo:
        assert set(result.scores[code]) >= {2024, 2025}
        assert "vaestoindeksi" in result.scores[code][2025]
    assert result.statuses["huoltosuhdeindeksi"].years == [2025]  # 2024 and 2025: one change
    page = client.get("/regions/etela-savo/vitality/?set=seed-000").content.decode()
    assert "Tilastokeskus" in page and "31.12.2023–2025" in page
    for name in ("Mikkeli", "Savonlinna", "Mäntyharju", "Sulkava"):
        assert name in page
    # The dashboard's population card says which series it rests on, with its producer and vintage.
    region = Region.objects.get(slug="etela-savo")
    metric = Metric.objects.filter(version__strategy__region=region, key="elinvoima-vaestoindeksi").latest(
        "version__year"
    )
    card = data_for([metric], region=region)[metric.pk]
    assert "Tilastokeskus" in card.vintage and "2025" in card.vintage


def test_a_dimension_with_one_real_point_says_so(world):
    indicator = Indicator.objects.create(source=source("file"), external_id="koulutustaso", title_fi="Koulutustaso")
    areas = Area.objects.filter(kind=AreaKind.MUNICIPALITY, valid_to__isnull=True)
    Observation.objects.bulk_create(Observation(indicator=indicator, area=a, year=2025, value=400.0) for a in areas)
    status = vitality.compute(dimension_set="seed-000").statuses["koulutusindeksi"]
    assert status.reason == "one-point" and status.points == [2025] and not status.years


def test_a_series_imported_with_import_statfin_indicator_id_is_found_by_that_name(world):
    indicator = Indicator.objects.create(
        source=source("statfin"), external_id="115x:tyopaikat_yht", title_fi="Työpaikat", metadata={"key": "tyopaikat"}
    )
    areas = Area.objects.filter(kind=AreaKind.MUNICIPALITY, valid_to__isnull=True)
    Observation.objects.bulk_create(
        Observation(indicator=indicator, area=a, year=y, value=1000.0 + n + y)
        for n, a in enumerate(areas)
        for y in (2022, 2023)
    )
    assert vitality.find_indicator("statfin", "tyopaikat") == indicator
    status = vitality.compute(dimension_set="kuntaliitto").statuses["tyopaikkaindeksi"]
    assert status.source == ("statfin", "tyopaikat") and status.years == [2023]


def test_municipality_vitality_gives_one_municipalitys_latest_scores(world):
    from tilannekuva.funding import selectors
    from tilannekuva.funding.demo import import_vitality_figures

    list(import_vitality_figures())
    mikkeli = selectors.municipality_vitality("491", dimension_set="seed-000")
    assert mikkeli.year == 2025 and mikkeli.scores["vaestoindeksi"] is not None
    assert mikkeli.scores["koulutusindeksi"] is None and mikkeli.composite is None  # not every dimension has data
