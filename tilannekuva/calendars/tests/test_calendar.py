"""The annual calendar: statutory dates only where a statute sets one, the region's own entries, events derived
from the follow-up, meetings and grant rounds; an iCalendar feed that parses back and keeps RFC 5545's rules;
private feed addresses; reminders once per date; and every role (anonymous, viewer, another region's
administrator, the administrator)."""

import datetime

import icalendar
import pytest
from django.core import mail
from django.urls import reverse

from tilannekuva.calendars import services
from tilannekuva.calendars.models import CalendarEntry, FeedToken, Recurrence
from tilannekuva.calendars.obligations import ObligationFileError, obligations, parse
from tilannekuva.calendars.selectors import events
from tilannekuva.cooperation.models import Meeting
from tilannekuva.followup.services import open_period
from tilannekuva.regions.models import Organisation, Region, RegionRole, RoleKind


@pytest.fixture
def region(world):
    return Region.objects.get(slug="etela-savo")


@pytest.fixture
def entry(region, users):
    return services.add_entry(
        region=region,
        user=users["alice"],
        values={
            "kind": "welfare_report",
            "title": "Hyvinvointiraportti valtuustolle",
            "date": datetime.date(2024, 5, 20),
            "recurrence": Recurrence.YEARLY,
            "group_key": "hyte-tyoryhma",
            "public": True,
            "source": "Valtuuston kokousaikataulu",
        },
        obligation_key="hyvinvointiraportti-valtuustolle",
    )


def titles(found):
    return [e.title for e in found]


def test_only_the_statutory_obligations_with_a_date_in_their_statute_become_dated_events(region):
    dated = [o for o in obligations() if o.has_date]
    assert {o.key for o in dated} == {"valtionosuuspaatos-kunnat", "rahoituspaatos-hyvinvointialue"}
    assert all("§" in o.source for o in dated)
    found = [e for e in events(region, 2026, internal=False) if e.origin == "statute"]
    assert {e.date for e in found} == {datetime.date(2026, 12, 31)}


def test_a_yearly_entry_recurs_a_council_term_entry_every_four_years_and_29_february_falls_on_the_28th():
    yearly = CalendarEntry(date=datetime.date(2024, 2, 29), recurrence=Recurrence.YEARLY, until_year=2026)
    assert yearly.occurs_in(2023) is None
    assert yearly.occurs_in(2025) == datetime.date(2025, 2, 28)
    assert yearly.occurs_in(2028) is None
    term = CalendarEntry(date=datetime.date(2025, 6, 1), recurrence=Recurrence.COUNCIL_TERM)
    assert [y for y in range(2025, 2034) if term.occurs_in(y)] == [2025, 2029, 2033]


def test_follow_up_deadlines_and_meetings_are_derived_and_internal(region, users, entry):
    open_period(region=region, year=2025, deadline=datetime.date(2026, 3, 31), user=users["alice"])
    Meeting.objects.create(region=region, group_key="hyte-tyoryhma", date=datetime.date(2026, 4, 2), title="Kevät")
    internal = events(region, 2026, internal=True)
    public = events(region, 2026, internal=False)
    assert any(e.origin == "followup" and e.date == datetime.date(2026, 3, 31) for e in internal)
    assert any(e.origin == "meeting" and e.title.endswith(": Kevät") for e in internal)
    assert not any(e.origin in ("followup", "meeting") for e in public)
    assert "Hyvinvointiraportti valtuustolle" in titles(public)


def parsed_feed(content: bytes) -> icalendar.Calendar:
    """The feed read back, after the RFC 5545 rules that a parser forgives: CRLF line ends, lines of at most 75
    octets, VERSION and PRODID once, each VEVENT with one UID (unique), one DTSTAMP and a DTSTART."""
    lines = content.split(b"\r\n")
    assert lines[-1] == b"" and all(b"\n" not in line for line in lines)
    assert max(len(line) for line in lines) <= 75
    calendar = icalendar.Calendar.from_ical(content)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    uids = [str(e["UID"]) for e in calendar.events]
    assert len(uids) == len(set(uids))
    for event in calendar.events:
        assert event.get("DTSTAMP") and event.get("DTSTART")
        assert isinstance(event.start, datetime.date) and event.end > event.start
    return calendar


def test_the_public_feed_validates_as_icalendar_and_holds_only_public_events(client, region, users, entry):
    open_period(region=region, year=2025, deadline=datetime.date.today(), user=users["alice"])
    response = client.get(reverse("calendars:feed", args=["etela-savo"]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = parsed_feed(response.content)
    summaries = [str(e["SUMMARY"]) for e in calendar.events]
    assert "Hyvinvointiraportti valtuustolle" in summaries
    assert not any("määräaika" in s or "deadline" in s for s in summaries)
    assert any(
        "Lähde: Laki kunnan peruspalvelujen valtionosuudesta" in str(e.get("DESCRIPTION", "")) for e in calendar.events
    )


def test_a_private_feed_address_shows_internal_events_keeps_only_a_hash_and_ends_with_the_role(client, region, users):
    open_period(region=region, year=2025, deadline=datetime.date.today(), user=users["alice"])
    token = services.issue_feed_token(region=region, user=users["carol"])
    assert not FeedToken.objects.filter(token_hash=token).exists()
    url = reverse("calendars:private_feed", args=["etela-savo", token])
    calendar = parsed_feed(client.get(url).content)
    assert any("2025" in str(e["SUMMARY"]) and str(e["UID"]).startswith("followup-") for e in calendar.events)
    assert client.get(reverse("calendars:private_feed", args=["etela-savo", "wrong"])).status_code == 404
    RegionRole.objects.filter(user=users["carol"]).delete()
    assert client.get(url).status_code == 404


def test_reminders_reach_the_administrators_and_the_groups_coordinators_once_per_date(
    region, users, entry, django_user_model
):
    users["alice"].email = "alice@example.invalid"
    users["alice"].save()
    coordinator = django_user_model.objects.create_user("koordinaattori", email="hyte@example.invalid")
    RegionRole.objects.create(user=coordinator, region=region, role=RoleKind.COORDINATOR, group_key="hyte-tyoryhma")
    today = datetime.date(2026, 5, 10)
    sent = services.send_reminders(region=region, today=today, days_before=14)
    assert sent == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.invalid", "hyte@example.invalid"]
    assert "20.05.2026" in mail.outbox[0].subject
    assert services.send_reminders(region=region, today=today, days_before=14) == 0


def test_a_malformed_obligation_is_named_by_entry_and_field():
    with pytest.raises(ObligationFileError, match="obligation 1, field 'kind'"):
        parse(
            {
                "format": 1,
                "obligations": [{"key": "x", "kind": "party", "title": "x", "frequency": "yearly", "source": "s"}],
            }
        )


def test_the_page_answers_each_role(client, region, users, entry, django_user_model):
    editor = django_user_model.objects.create_user("calendar-editor")
    mikkeli = Organisation.objects.get(kind="municipality", area__code="491")
    RegionRole.objects.create(user=editor, region=region, role=RoleKind.EDITOR, organisation=mikkeli)
    users = {**users, "editor": editor}
    url = reverse("calendars:calendar", args=["etela-savo"]) + "?year=2026"
    open_period(region=region, year=2025, deadline=datetime.date(2026, 3, 31), user=users["alice"])
    anonymous = client.get(url)
    assert anonymous.status_code == 200 and "raportoinnin määräaika" not in anonymous.content.decode()
    client.force_login(users["carol"])
    assert "raportoinnin määräaika" in client.get(url).content.decode()
    form = {"kind": "budget", "title": "Talousarvio", "date": "2026-11-15", "recurrence": "yearly", "public": "on"}
    for who in ["carol", "editor", "bob"]:
        client.force_login(users[who])
        assert client.post(url, form).status_code == 403
        assert client.post(reverse("calendars:entry_delete", args=["etela-savo", entry.pk])).status_code == 403
    client.force_login(users["alice"])
    assert client.post(url, form).status_code == 302
    assert CalendarEntry.objects.filter(title="Talousarvio", created_by=users["alice"]).exists()


def test_an_internal_dashboard_hides_the_calendar_and_its_public_feed(client, region, users):
    Region.objects.filter(pk=region.pk).update(dashboard_public=False)
    assert client.get(reverse("calendars:calendar", args=["etela-savo"])).status_code == 404  # as the API
    assert client.get(reverse("calendars:feed", args=["etela-savo"])).status_code == 404
    client.force_login(users["bob"])
    assert client.get(reverse("calendars:calendar", args=["etela-savo"])).status_code == 404


def test_a_projects_milestones_are_in_the_public_calendar(region):
    from tilannekuva.projects.models import Milestone, Project

    project = Project.objects.create(
        region=region, name="Tietopankki", goal_key="yhteisen-tiedon-jakaminen-ja-tilannekuva"
    )
    Milestone.objects.create(project=project, title="Näkymä valmis", due=datetime.date(2026, 9, 30))
    found = [e for e in events(region, 2026, internal=False) if e.origin == "project"]
    assert [(e.title, e.date) for e in found] == [("Tietopankki: Näkymä valmis", datetime.date(2026, 9, 30))]
