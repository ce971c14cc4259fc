"""Landing where the work is: after sign-in an editor or a coordinator lands on their tasks, returned and overdue
ones first, and the header has "My tasks" (Omat tehtävät)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tilannekuva.followup.models import TaskStatus
from tilannekuva.followup.selectors import my_tasks, task_page
from tilannekuva.followup.services import review_report, submit_report
from tilannekuva.regions.models import Organisation

from .conftest import OWN_KEY, YES_NO_KEY

MINUTES = "https://www.mikkeli.fi/paatoksenteko/poytakirjat/2025-hyvinvointikertomus"


def test_an_editor_signs_in_and_lands_on_their_tasks(client, people, period):
    response = client.post(
        reverse("accounts:login"), {"username": "erkki", "password": "erkki-password-1"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("followup:mine", args=[period.region.slug])
    html = response.content.decode()
    assert f'href="{reverse("followup:landing")}"' in html  # "My tasks" in the header


def test_a_viewer_without_tasks_lands_on_the_front_page(client, people, period):
    client.force_login(people["carol"])
    response = client.get(reverse("followup:landing"))
    assert response.status_code == 302 and response["Location"] == reverse("portal:home")


def test_returned_and_overdue_tasks_come_first(people, period, region):
    task = period.tasks.get(metric__key=OWN_KEY, organisation__area__code="491")
    report = submit_report(task=task, user=people["erkki"], yes=True, evidence_url=MINUTES)
    review_report(report=report, user=people["kaisa"], approve=False, comment="Liitä pöytäkirja.")
    mine = my_tasks(people["erkki"], region)
    assert mine.to_report[0].pk == task.pk and mine.to_report[0].status == TaskStatus.RETURNED
    period.deadline = datetime.date(2020, 1, 1)  # every open task is overdue now; the returned one stays first
    period.save()
    assert my_tasks(people["erkki"], region).to_report[0].pk == task.pk


def test_a_shared_task_is_only_for_the_responsible_groups_organisations(people, period, region):
    task = period.tasks.get(metric__key=YES_NO_KEY)
    assert task.pk in {t.pk for t in my_tasks(people["erkki"], region).to_report}  # the group lists nobody: partners
    group = task.metric.responsible or task.metric.goal.responsible
    county = Organisation.objects.get(name="Etelä-Savon hyvinvointialue")
    group.member_organisations.set([county])
    assert task.pk not in {t.pk for t in my_tasks(people["erkki"], region).to_report}
    assert not task_page(region=region, pk=task.pk, user=people["erkki"]).may_report  # no form to claim it
    with pytest.raises(PermissionDenied):
        submit_report(task=task, user=people["erkki"], yes=True, evidence_url=MINUTES)
    submit_report(task=task, user=people["hanna"], yes=True, evidence_url=MINUTES)
    task.refresh_from_db()
    assert task.organisation == county
