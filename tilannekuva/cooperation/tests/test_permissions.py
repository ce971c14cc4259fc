"""Who may open and change each co-operation page: every view × anonymous, viewer, editor, coordinator,
the region's administrator and another region's administrator."""

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse

from tilannekuva.cooperation.models import CounterpartPair, Meeting, ProgressNote
from tilannekuva.cooperation.selectors import counties_for, interfaces_of
from tilannekuva.regions.models import Organisation, OrganisationKind
from tilannekuva.strategy.models import Action, ProcessPhase, StrategyVersion

from .conftest import ACTION_KEY, GROUP_KEY, PHASE_KEY

ROLES = ["anonymous", "carol", "erin", "cody", "alice", "bob"]
ES = "etela-savo"


@pytest.fixture
def setting(people, es_action, es_phase, es_version, etela_savo):
    mikkeli = Organisation.objects.get(kind=OrganisationKind.MUNICIPALITY, area__code="491")
    county = counties_for(es_version)[0]
    meeting = Meeting.objects.create(region=etela_savo, group_key=GROUP_KEY, date="2026-02-01", title="Kevään kokous")
    pair = CounterpartPair.objects.create(
        region=etela_savo,
        interface_key=interfaces_of(es_version)[0].key,
        municipality=mikkeli,
        county=county,
        contact_role="hyte-koordinaattori",
    )
    return {"people": people, "meeting": meeting, "pair": pair, "version": es_version, "mikkeli": mikkeli}


def login(client, setting, who):
    if who != "anonymous":
        client.force_login(setting["people"][who])


READ_ANYONE = ["actions", "action", "groups", "group", "counterparts", "process"]


def read_url(name, setting):
    args = {
        "actions": [ES],
        "action": [ES, ACTION_KEY],
        "groups": [ES],
        "group": [ES, GROUP_KEY],
        "counterparts": [ES],
        "process": [ES],
        "meeting": [ES, GROUP_KEY, setting["meeting"].pk],
        "counterpart": [ES, setting["pair"].pk],
        "versions": [ES],
    }[name]
    return reverse(f"cooperation:{name}", args=args)


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("name", READ_ANYONE)
def test_public_pages_open_to_everyone(client, setting, who, name):
    login(client, setting, who)
    assert client.get(read_url(name, setting)).status_code == 200


# Reading pages that are not public: 302 = sent to log in, 403 = refused.
RESTRICTED_READS = {
    "meeting": {"anonymous": 302, "carol": 403, "erin": 403, "cody": 200, "alice": 200, "bob": 403},
    "counterpart": {"anonymous": 302, "carol": 403, "erin": 403, "cody": 403, "alice": 200, "bob": 403},
    "versions": {"anonymous": 302, "carol": 200, "erin": 200, "cody": 200, "alice": 200, "bob": 403},
}


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("name", list(RESTRICTED_READS))
def test_internal_pages_need_the_right_role(client, setting, who, name):
    login(client, setting, who)
    response = client.get(read_url(name, setting))
    assert response.status_code == RESTRICTED_READS[name][who]
    if response.status_code == 302:
        assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))


@pytest.mark.parametrize("who", ROLES)
def test_progress_notes_and_meetings_are_shown_to_roles_in_the_region_only(client, setting, es_action, who):
    ProgressNote.objects.create(action=es_action, text="Kartoitus aloitettu", status_after="in_progress")
    login(client, setting, who)
    action_page = client.get(read_url("action", setting)).content.decode()
    group_page = client.get(read_url("group", setting)).content.decode()
    insider = who in {"carol", "erin", "cody", "alice"}
    assert ("Kartoitus aloitettu" in action_page) is insider
    assert ("Kevään kokous" in group_page) is insider
    keeper = who in {"cody", "alice"}
    assert ('name="note"' in action_page) is keeper
    assert ('name="agenda"' in group_page) is keeper


def _action_changed(setting):
    action = Action.objects.get(key=ACTION_KEY)
    return action.status == "in_progress" and ProgressNote.objects.filter(action=action).exists()


def _version_copied(setting):
    return StrategyVersion.objects.filter(strategy=setting["version"].strategy, year=2031).exists()


def _version_approved(setting):
    return StrategyVersion.objects.get(pk=setting["draft"].pk).status == "approved"


WRITES = {
    "action": (
        lambda s: read_url("action", s),
        lambda s: {"status": "in_progress", "due": "2026-12-31", "note": "Aloitettu"},
        _action_changed,
        {"cody", "alice"},
    ),
    "group": (
        lambda s: read_url("group", s),
        lambda s: {"date": "2026-04-01", "title": "Uusi kokous"},
        lambda s: Meeting.objects.filter(title="Uusi kokous").exists(),
        {"cody", "alice"},
    ),
    "meeting": (
        lambda s: read_url("meeting", s),
        lambda s: {"date": "2026-02-01", "title": "Muutettu kokous"},
        lambda s: Meeting.objects.filter(title="Muutettu kokous").exists(),
        {"cody", "alice"},
    ),
    "counterparts": (
        lambda s: read_url("counterparts", s),
        lambda s: {
            "interface_key": s["pair"].interface_key,
            "municipality": s["mikkeli"].pk,
            "county": s["pair"].county_id,
            "contact_role": "perhekeskuskoordinaattori",
        },
        lambda s: CounterpartPair.objects.filter(contact_role="perhekeskuskoordinaattori").exists(),
        {"alice"},
    ),
    "counterpart": (
        lambda s: read_url("counterpart", s),
        lambda s: {"delete": "1"},
        lambda s: not CounterpartPair.objects.filter(pk=s["pair"].pk).exists(),
        {"alice"},
    ),
    "version_copy": (
        lambda s: reverse("cooperation:version_copy", args=[ES, s["version"].year]),
        lambda s: {"year": "2031"},
        _version_copied,
        {"alice"},
    ),
    "version_approve": (
        lambda s: reverse("cooperation:version_approve", args=[ES, s["draft"].year]),
        lambda s: {},
        _version_approved,
        {"alice"},
    ),
    "process": (
        lambda s: read_url("process", s),
        lambda s: {"phase": PHASE_KEY, "status": "in_progress"},
        lambda s: ProcessPhase.objects.get(key=PHASE_KEY).status == "in_progress",
        {"alice"},
    ),
}


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("name", list(WRITES))
def test_only_keepers_may_change_and_others_change_nothing(client, setting, who, name):
    url, data, changed, allowed = WRITES[name]
    if name == "version_approve":
        from tilannekuva.strategy.versions import copy_version

        setting["draft"] = copy_version(version=setting["version"], year=2030)
    login(client, setting, who)
    response = client.post(url(setting), data(setting))
    if who in allowed:
        assert response.status_code == 302, response.content.decode()[:2000]
        assert changed(setting)
    else:
        assert response.status_code == 403
        assert not changed(setting)
