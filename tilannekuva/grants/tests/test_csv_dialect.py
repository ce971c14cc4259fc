"""The decisions' CSV in the two dialects: the Finnish spreadsheet dialect in the Finnish interface or with
`?dialect=fi` (read here as a Finnish spreadsheet reads it), the machine dialect with `?dialect=machine`."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tilannekuva.core.tests.finnish_spreadsheet import finnish_spreadsheet, machine_csv
from tilannekuva.grants import services
from tilannekuva.regions.models import Area

from .conftest import application_fields, close


@pytest.fixture
def decided(grant_round, people):
    """An application from Enonkoski (code 046) with a granted sum in cents and an activity a spreadsheet would
    run as a formula if it were written as it is."""
    fields = application_fields(
        grant_round,
        municipalities=[Area.objects.get(kind="municipality", code="046")],
        amount_applied=Decimal("4000.50"),
        activity="=1+1 kerhotoimintaa",
    )
    application = services.submit_application(**fields).application
    services.record_decisions(
        grant_round=close(grant_round), user=people["hanna"], amounts={application.pk: Decimal("2500.5")}
    )
    return grant_round


def url(grant_round, query=""):
    return reverse("grants:export", args=["etela-savo", grant_round.pk, "csv"]) + query


@pytest.mark.parametrize("how", ["interface", "parameter"])
def test_the_decisions_open_in_a_finnish_spreadsheet(client, people, decided, settings, how):
    client.force_login(people["hanna"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fi" if how == "interface" else "en"
    response = client.get(url(decided, "" if how == "interface" else "?dialect=fi"))
    header, row = finnish_spreadsheet(response.content)[:2]  # fails on any cell a spreadsheet would run
    cell = dict(zip(header, row, strict=True))
    assert cell["granted_eur"] == 2500.5 and cell["applied_eur"] == 4000.5  # numbers, from a decimal comma
    assert cell["municipalities"] == "046"  # a code keeps its leading zero
    assert cell["activity"] == "'=1+1 kerhotoimintaa"


def test_the_decisions_in_the_machine_dialect(client, people, decided, settings):
    client.force_login(people["hanna"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fi"
    header, row = machine_csv(client.get(url(decided, "?dialect=machine")).content)[:2]
    cell = dict(zip(header, row, strict=True))
    assert cell["granted_eur"] == "2500.50" and cell["applied_eur"] == "4000.50" and cell["municipalities"] == "046"
