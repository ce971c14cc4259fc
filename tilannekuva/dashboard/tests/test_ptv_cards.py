"""PTV on the dashboard: every organisation type PTV's Open API documents has a kind, a county is placed by its
name where no business id is known, and after `tilannekuva import ptv` of the bundled records the Etelä-Savo
strategy's PTV metrics have their counts (dashboard/ptv.py).

The Etelä-Savo records in data/ptv/ are PTV training-environment copies (data/SOURCES.md): small counts, not
current figures. The county record is constructed, as in test_ptv.py, and says so."""

import pytest

from tilannekuva.dashboard.providers import data_for
from tilannekuva.databank.sources import ptv
from tilannekuva.databank.tests.conftest import recorded_server  # noqa: F401 - the fixture
from tilannekuva.databank.tests.test_ptv import (  # noqa: F401 - the fixtures
    MANTYHARJU,
    MIKKELI,
    PIEKSAMAKI,
    import_ptv,
    ptv_server,
    recorded,
    serve_json,
)
from tilannekuva.regions.models import OrganisationKind, Region
from tilannekuva.strategy.models import Metric

PTV_TYPES = [
    "State",
    "Municipality",
    "RegionalOrganization",
    "Organization",
    "Company",
    "SotePublic",
    "SotePrivate",
    "Region",
]


def test_every_documented_ptv_type_has_a_kind_other_than_other():
    assert set(ptv.KIND_OF_PTV_TYPE) == set(PTV_TYPES)
    assert OrganisationKind.OTHER not in ptv.KIND_OF_PTV_TYPE.values()
    assert ptv.KIND_OF_PTV_TYPE["Region"] == OrganisationKind.WELLBEING_SERVICES_COUNTY
    assert ptv.KIND_OF_PTV_TYPE["SotePublic"] == OrganisationKind.PUBLIC_BODY


def county_record() -> dict:
    """Constructed: a Region-type record named as the county, with a made-up id, no business id, and two of
    Pieksämäki's recorded services."""
    county = recorded(PIEKSAMAKI)
    county.update(
        id="00000000-0000-4000-8000-00000000e513",
        organizationType="Region",
        municipality=None,
        businessCode=None,
        organizationNames=[{"language": "fi", "value": "Etelä-Savon hyvinvointialue", "type": "Name"}],
        services=county["services"][:2],
        subOrganizations=None,
    )
    return county


def ptv_cards(region: Region) -> dict[str, dict[int, float]]:
    metrics = list(Metric.objects.filter(version__strategy__region=region, key__startswith="ptv-palvelukuvaukset"))
    assert len(metrics) == 3
    found = data_for(metrics, region=region)
    return {m.key.removeprefix("ptv-palvelukuvaukset-"): found[m.pk].values for m in metrics if m.pk in found}


@pytest.mark.django_db
def test_after_importing_the_bundled_records_the_ptv_cards_show_their_counts(world, ptv_server):  # noqa: F811
    county = county_record()
    serve_json(ptv_server, f"Organization/{county['id']}", county)
    output = import_ptv(
        ptv_server, "--organisations", f"{MIKKELI},{PIEKSAMAKI},{MANTYHARJU},{county['id']}", "--year", "2025"
    )
    assert "placed by its name" in output
    cards = ptv_cards(Region.objects.get(slug="etela-savo"))
    # Mikkeli 6, Pieksämäki 4, Mäntyharju 0 (test_ptv.py); the county 2.
    assert cards["kunnat"] == {2025: 10.0}
    assert cards["hyvinvointialue"] == {2025: 2.0}
    assert cards.get("jarjestot-ja-yhteisot", {}) == {}  # no association in the bundled records: no figure
