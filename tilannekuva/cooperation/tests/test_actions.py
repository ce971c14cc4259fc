"""The actions list with its filters, the action page's update, and the process timeline."""

import pytest
from django.urls import reverse

from tilannekuva.audit.models import AuditEntry
from tilannekuva.cooperation.models import ProgressNote
from tilannekuva.cooperation.selectors import ActionFilters, action_rows
from tilannekuva.cooperation.templatetags.cooperation import partial_date
from tilannekuva.regions.models import Organisation, Region
from tilannekuva.strategy.models import Action, ActionStatus, StrategyVersion
from tilannekuva.strategy.selectors import version_in_force


def version_of(slug: str) -> StrategyVersion:
    """The version in force this year in the region of `slug`."""
    version = version_in_force(Region.objects.get(slug=slug))
    assert version is not None
    return version


@pytest.fixture
def ps_version(world):
    return version_of("pohjois-savo")


def test_interface_filter_keeps_the_actions_under_that_focus_area(ps_version):
    rows = action_rows(ps_version, ActionFilters(interface="tyollisyys-yhdyspinta"))
    assert rows and {r.interface.key for r in rows} == {"tyollisyys-yhdyspinta"}
    assert "c-vastinparit" in {r.action.key for r in rows}
    assert len(rows) < len(action_rows(ps_version, ActionFilters()))


def test_goal_and_status_filters(ps_version):
    Action.objects.filter(version=ps_version, key="c-vastinparit").update(status=ActionStatus.DONE)
    assert [r.action.key for r in action_rows(ps_version, ActionFilters(status="done"))] == ["c-vastinparit"]
    rows = action_rows(ps_version, ActionFilters(goal="c-yhdyspintapalvelut"))
    assert rows and {r.action.goal.key for r in rows} == {"c-yhdyspintapalvelut"}


def test_organisation_filter_matches_group_members_and_the_responsible_text(ps_version):
    county = Organisation.objects.get(short_name="PSHVA")
    by_text = {r.action.key for r in action_rows(ps_version, ActionFilters(organisation=county.pk))}
    assert by_text and all(
        "pshva" in Action.objects.get(version=ps_version, key=k).responsible.casefold() for k in by_text
    )
    group = Action.objects.get(version=ps_version, key="c-vastinparit").responsible_group
    assert group is not None
    group.member_organisations.add(county)
    assert "c-vastinparit" in {r.action.key for r in action_rows(ps_version, ActionFilters(organisation=county.pk))}


def test_filters_come_from_a_shareable_address_and_bad_values_are_ignored(client, world):
    url = reverse("cooperation:actions", args=["pohjois-savo"])
    filtered = client.get(url, {"interface": "tyollisyys-yhdyspinta"}).content.decode()
    assert "/regions/pohjois-savo/actions/c-vastinparit/" in filtered
    assert "/regions/pohjois-savo/actions/a-ruoka-apuallianssi/" not in filtered
    assert client.get(url, {"status": "no-such", "organisation": "x"}).status_code == 200


def test_a_coordinator_changes_status_and_due_date_and_the_note_is_kept(client, people, es_action):
    client.force_login(people["cody"])
    url = reverse("cooperation:action", args=["etela-savo", es_action.key])
    client.post(url, {"status": "done", "due": "2026-06-30", "note": "Kartoitus valmis"})
    es_action.refresh_from_db()
    assert (es_action.status, es_action.due.isoformat()) == ("done", "2026-06-30")
    note = ProgressNote.objects.get(action=es_action)
    assert (note.text, note.status_after, note.author) == ("Kartoitus valmis", "done", people["cody"])
    assert "30.6.2026" in client.get(url).content.decode()


def test_a_status_change_without_words_still_leaves_a_note_and_no_change_leaves_none(client, people, es_action):
    client.force_login(people["alice"])
    url = reverse("cooperation:action", args=["etela-savo", es_action.key])
    client.post(url, {"status": "in_progress", "due": "", "note": ""})
    client.post(url, {"status": "in_progress", "due": "", "note": ""})
    assert list(ProgressNote.objects.filter(action=es_action).values_list("status_after", flat=True)) == ["in_progress"]


def test_an_unknown_action_or_year_is_not_found(client, world):
    assert client.get(reverse("cooperation:action", args=["pohjois-savo", "no-such"])).status_code == 404
    assert client.get(reverse("cooperation:actions", args=["pohjois-savo"]), {"year": "1066"}).status_code == 404
    assert client.get(reverse("cooperation:actions", args=["no-such-region"])).status_code == 404


def test_the_process_timeline_shows_the_five_phases_in_order_with_events(client, world):
    page = client.get(reverse("cooperation:process", args=["keski-uusimaa"])).content.decode()
    phases = list(version_of("keski-uusimaa").phases.order_by("position"))
    assert len(phases) == 5
    positions = [page.index(f'id="phase-{p.key}"') for p in phases]
    assert positions == sorted(positions)
    assert '<time datetime="2022-02-07">7.2.2022</time>' in page
    assert "Kuntalaiskysely" in page


@pytest.mark.parametrize(
    ("value", "shown"), [("2022-02-07", "7.2.2022"), ("2022-03", "3/2022"), ("2022", "2022"), ("", "")]
)
def test_dates_of_the_strategy_files_are_shown_in_finnish_form(value, shown):
    assert (f">{shown}<" in partial_date(value)) if value else partial_date(value) == ""


def test_the_update_is_in_the_audit_trail_under_the_coordinator(client, people, es_action):
    client.force_login(people["cody"])
    url = reverse("cooperation:action", args=["etela-savo", es_action.key])
    client.post(url, {"status": "in_progress", "due": "", "note": "Aloitettu"})
    entries = AuditEntry.objects.filter(actor_id=people["cody"].pk)
    assert entries.filter(action="changed", changes__status=["not_started", "in_progress"]).exists()
    assert entries.filter(action="created", note="Aloitettu").exists()
