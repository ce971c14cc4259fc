"""Computed metrics on the dashboard: seed 000's HYTE goal from the funding app (points ranked among all
municipalities, coefficient, € and €/resident: four figures, four cards), the vitality index from the data bank."""

import pytest

from tilannekuva.dashboard.providers import data_for
from tilannekuva.funding import selectors
from tilannekuva.funding.models import Level
from tilannekuva.funding.services import import_figures
from tilannekuva.regions.models import Region
from tilannekuva.strategy.models import Metric

pytestmark = pytest.mark.django_db
HYTE_METRICS = (
    "hyte-kerroin-indikaattorit",
    "hyte-kerroin-skaalattu-pistemaara",
    "hyte-lisarahoitus-euroa",
    "hyte-lisarahoitus-euroa-per-asukas",
)


def _metric(key: str) -> Metric:
    found = Metric.objects.filter(key=key, version__strategy__region__slug="etela-savo").order_by("-version__year")
    return found.first() or pytest.fail(f"no metric {key}")


def test_hyte_cards_show_four_figures_of_the_funding_app(official_files, client):
    thl, vm = official_files
    import_figures(path=thl, kind="thl")
    import_figures(path=vm, kind="vm")
    region = Region.objects.get(slug="etela-savo")
    metrics = [_metric(key) for key in HYTE_METRICS]
    found = data_for(metrics, region=region)
    coefficient, points, eur, per_resident = (found[m.pk].values[2024] for m in metrics)
    data = selectors.year_data(level=Level.MUNICIPALITY, year=2024)
    partners = [a.code for a in selectors.partners(region, level=Level.MUNICIPALITY, year=2024)]
    people = {c: data.residents[c] or 0 for c in partners}
    expected = sum(data.official_totals[c] * people[c] for c in partners) / sum(people.values())
    assert points == pytest.approx(expected)
    assert eur == pytest.approx(float(sum(data.official_eur[c] for c in partners)))
    assert per_resident == pytest.approx(eur / sum(people.values()), abs=0.01)
    assert len({coefficient, points, eur, per_resident}) == 4
    figure = selectors.region_figure(region, year=2024)
    assert figure is not None and figure.of == len(data.official_totals)
    assert found[metrics[1].pk].vintage.startswith(f"sija {figure.rank}/{figure.of}")
    assert found[metrics[1].pk].peers[2024] and not found[metrics[1].pk].synthetic
    assert client.get("/regions/etela-savo/dashboard/?year=2024").status_code == 200


def test_each_municipality_has_its_rank_among_all(official_files):
    thl, vm = official_files
    import_figures(path=thl, kind="thl")
    import_figures(path=vm, kind="vm")
    figures = selectors.municipality_figures(2024)
    mikkeli = selectors.municipality_figure("491", year=2024)
    assert mikkeli is not None and mikkeli.kind == "official" and mikkeli.of == len(figures)
    assert mikkeli.rank == 1 + sum(1 for f in figures.values() if f.points > mikkeli.points)
    assert mikkeli.eur_per_resident is not None and mikkeli.coefficient is not None


def test_without_figures_the_computed_metrics_have_no_data(world):
    region = Region.objects.get(slug="etela-savo")
    metrics = [_metric("hyte-kerroin-skaalattu-pistemaara"), _metric("elinvoima-vaestoindeksi")]
    assert data_for(metrics, region=region) == {}
