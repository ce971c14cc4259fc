"""Where the trail is shown: a region's page and CSV export for its administrators, and an object's history."""

import csv
import datetime
import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from tilannekuva.audit.models import AuditEntry
from tilannekuva.audit.services import acting_as
from tilannekuva.strategy.models import Goal


@pytest.fixture
def trail(users, target_metric):
    """Alice changes a metric's target range (two fields) and a goal's title; bob nothing in Etelä-Savo."""
    goal = target_metric.goal
    with acting_as(users["alice"]):
        target_metric.target_value, target_metric.target_operator = 65, ">="
        target_metric.save()
        goal.title = "Uusi otsikko"
        goal.save()
    return {"metric": target_metric, "goal": goal}


def csv_rows(response):
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(body[1:]), delimiter=";"))


@pytest.mark.parametrize("url_name", ["audit:region", "audit:export"])
@pytest.mark.parametrize(("who", "status"), [("alice", 200), ("carol", 403), ("bob", 403), ("dave", 403)])
def test_only_the_regions_administrators_open_its_trail(client, users, url_name, who, status):
    client.force_login(users[who])
    assert client.get(reverse(url_name, args=["etela-savo"])).status_code == status


@pytest.mark.parametrize("url_name", ["audit:region", "audit:export"])
def test_anonymous_visitor_is_sent_to_login(client, world, url_name):
    response = client.get(reverse(url_name, args=["etela-savo"]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_region_page_lists_the_changes_with_before_and_after(client, users, trail):
    client.force_login(users["alice"])
    text = client.get(reverse("audit:region", args=["etela-savo"])).content.decode()
    assert "Uusi otsikko" in text
    assert 'aria-labelledby="trail-caption"' in text
    assert "<style" not in text and "<script" not in text and "style=" not in text


def test_csv_has_one_row_per_changed_field(client, users, trail):
    client.force_login(users["alice"])
    response = client.get(reverse("audit:export", args=["etela-savo"]), {"action": "changed"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = csv_rows(response)
    assert [(r["object_type"], r["field"], r["before"], r["after"]) for r in rows] == [
        ("strategy.goal", "title", rows[0]["before"], "Uusi otsikko"),
        ("strategy.metric", "target_operator", ">", ">="),
        ("strategy.metric", "target_value", "60", "65"),
    ]
    assert {r["actor"] for r in rows} == {"alice"}
    assert list(rows[0]) == [
        "at",
        "actor",
        "action",
        "object_type",
        "object_id",
        "object",
        "field",
        "before",
        "after",
        "note",
    ]


def test_filters_narrow_the_page_and_the_export(client, users, trail):
    client.force_login(users["alice"])
    export = reverse("audit:export", args=["etela-savo"])
    goal_rows = csv_rows(client.get(export, {"kind": "strategy.goal"}))
    assert {r["object_id"] for r in goal_rows} == {str(trail["goal"].pk)}
    role_rows = csv_rows(client.get(export, {"action": "created"}))
    assert {r["object_type"] for r in role_rows} == {"regions.regionrole"}  # the users fixture's roles
    AuditEntry.objects.filter(content_type__model="goal").update(at=timezone.now() - datetime.timedelta(days=40))
    month_ago = (timezone.localdate() - datetime.timedelta(days=30)).isoformat()
    recent = csv_rows(client.get(export, {"date_from": month_ago}))
    assert "strategy.goal" not in {r["object_type"] for r in recent}
    older = csv_rows(client.get(export, {"date_to": month_ago}))
    assert {r["object_type"] for r in older} == {"strategy.goal"}
    page = client.get(reverse("audit:region", args=["etela-savo"]), {"kind": "strategy.goal"})
    assert page.context["page"].paginator.count == 1


def test_a_date_range_ending_before_it_starts_is_refused_with_a_message(client, users, trail):
    client.force_login(users["alice"])
    response = client.get(
        reverse("audit:region", args=["etela-savo"]), {"date_from": "2025-05-02", "date_to": "2025-05-01"}
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert 'id="id_date_to_error"' in text and 'aria-describedby="id_date_to_error"' in text


def render_history(obj, user):
    request = RequestFactory().get("/")
    request.user = user
    return Template("{% load audit %}{% audit_history obj %}").render(Context({"obj": obj, "request": request}))


def test_history_tag_shows_an_objects_changes_to_its_regions_administrator(users, trail):
    html = render_history(trail["metric"], users["alice"])
    assert "History of changes" in html or "Muutoshistoria" in html
    assert "alice" in html
    assert "<span>60</span>" in html and "<span>65</span>" in html
    assert timezone.localtime(AuditEntry.objects.all()[0].at).strftime("%-d.%-m.%Y") in html


def test_history_tag_shows_an_objects_changes_to_everyone_with_a_role_in_its_region(users, trail):
    assert "alice" in render_history(trail["metric"], users["carol"])  # a viewer of Etelä-Savo


@pytest.mark.parametrize("who", ["bob", "dave"])
def test_history_tag_shows_nothing_to_others(users, trail, who):
    assert "alice" not in render_history(trail["metric"], users[who])
    assert render_history(trail["metric"], AnonymousUser()).strip() == ""


def test_admin_lists_only_the_administrators_own_regions_entries_read_only(client, users, trail):
    pohjois_goal = Goal.objects.filter(version__strategy__region__slug="pohjois-savo")[0]
    with acting_as(users["bob"]):
        pohjois_goal.title = "Pohjois-Savon muutos"
        pohjois_goal.save()
    client.force_login(users["alice"])
    text = client.get(reverse("admin:audit_auditentry_changelist")).content.decode()
    assert "Uusi otsikko" in text and "Pohjois-Savon muutos" not in text
    bobs = AuditEntry.objects.get(object_id=str(pohjois_goal.pk), content_type__model="goal")
    assert client.get(reverse("admin:audit_auditentry_change", args=[bobs.pk])).status_code in (302, 403, 404)
    own = AuditEntry.objects.get(object_id=str(trail["goal"].pk), content_type__model="goal")
    page = client.get(reverse("admin:audit_auditentry_change", args=[own.pk]))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.post(reverse("admin:audit_auditentry_delete", args=[own.pk]), {"post": "yes"}).status_code == 403
