"""Who reports what: tasks for the organisations that are members in the period's year, each municipality its
own welfare report, the county its own figure, a shared task only for the responsible group's organisations,
and the region's figure of a per-municipality yes/no metric as "X / Y"."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tilannekuva.dashboard.selectors import dashboard
from tilannekuva.followup.services import review_report, submit_report
from tilannekuva.regions.models import OrganisationKind

from .conftest import OWN_KEY, YEAR

MINUTES = "https://www.mikkeli.fi/paatoksenteko/poytakirjat/2025-hyvinvointikertomus"
COUNTY_KEY = "pitkat-tyosuhteet-hyvinvointialue"  # "(hva)"
MUNICIPALITIES_KEY = "pitkat-tyosuhteet-kunnat"  # "(kunnat)"


def test_a_2025_period_makes_no_task_for_pertunmaa(period):
    assert YEAR == 2025
    assert not period.tasks.filter(organisation__area__code="588").exists()  # Pertunmaa, in Mäntyharju from 2025


@pytest.mark.parametrize("key", [OWN_KEY, MUNICIPALITIES_KEY])
def test_each_of_the_11_municipalities_reports_its_own(period, key):
    tasks = period.tasks.filter(metric__key=key).select_related("organisation")
    assert tasks.count() == 11
    assert {t.organisation.kind for t in tasks} == {OrganisationKind.MUNICIPALITY}
    assert "507" in {t.organisation.area.code for t in tasks}  # Mäntyharju


def test_the_countys_metric_is_the_countys_task_and_mikkeli_cannot_claim_it(period, people):
    task = period.tasks.get(metric__key=COUNTY_KEY)
    assert task.organisation is not None and task.organisation.kind == OrganisationKind.WELLBEING_SERVICES_COUNTY
    with pytest.raises(PermissionDenied):
        submit_report(task=task, user=people["erkki"], number=55.0)
    assert not task.reports.exists()


def test_the_region_figure_of_a_per_municipality_yes_no_metric_is_x_of_11(period, people, region):
    mikkeli = period.tasks.get(metric__key=OWN_KEY, organisation__area__code="491")
    report = submit_report(task=mikkeli, user=people["erkki"], yes=True, evidence_url=MINUTES)
    review_report(report=report, user=people["kaisa"], approve=True)
    board = dashboard(region=region, year=YEAR)
    card = next(c for c in board.cards if c.metric.key == OWN_KEY)
    assert card.coverage == (1, 11)
    assert card.data is not None and card.data.reporters[YEAR] == [("Mikkeli", report.display_value, MINUTES)]
    assert card.status.value != "on_track"  # one of eleven is not "yes" for the region
    mikkeli_area = mikkeli.organisation.area
    assert card.data.area_value(mikkeli_area, YEAR) == 1.0


def test_a_yes_no_metric_reads_yes_or_no_with_who_reported_it_and_the_evidence(client, period, people, region):
    mikkeli = period.tasks.get(metric__key=OWN_KEY, organisation__area__code="491")
    report = submit_report(task=mikkeli, user=people["erkki"], yes=True, evidence_url=MINUTES)
    review_report(report=report, user=people["kaisa"], approve=True)
    client.cookies["django_language"] = "fi"
    page = reverse("dashboard:metric", args=[region.slug, OWN_KEY]) + f"?year={YEAR}"
    html = client.get(page).content.decode()
    assert "1 / 11" in html and "Mikkeli</span>: Kyllä" in html and MINUTES in html
    assert "1,000000" not in html and ">1<" not in html
    profile = client.get(reverse("dashboard:municipality", args=[region.slug, "491"]) + f"?year={YEAR}")
    assert "Kyllä" in profile.content.decode()
    compared = client.get(reverse("dashboard:comparison", args=[region.slug, OWN_KEY]) + f"?year={YEAR}")
    html = compared.content.decode()
    assert "Kyllä" in html and "1 / 11" in html and ">1<" not in html
