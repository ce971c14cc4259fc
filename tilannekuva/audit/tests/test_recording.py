"""What the trail records: changes through the ORM with who, when and before/after; roles; imports; deletions."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test import RequestFactory

from tilannekuva.audit.middleware import CurrentUserMiddleware
from tilannekuva.audit.models import AuditAction, AuditEntry
from tilannekuva.audit.services import acting_as, diff, json_safe, record, snapshot
from tilannekuva.regions.models import Region, RegionRole, RoleKind
from tilannekuva.strategy.models import Goal, Metric, StrategyVersion
from tilannekuva.strategy.yaml_import import import_file


def entries_about(obj):
    return list(AuditEntry.objects.filter(content_type__model=obj._meta.model_name, object_id=str(obj.pk)))


def test_changing_a_metric_target_while_acting_as_alice_records_alice_with_before_and_after(users, target_metric):
    with acting_as(users["alice"]):
        target_metric.target_value = 65
        target_metric.save()
    [entry] = entries_about(target_metric)
    assert (entry.actor, entry.actor_name, entry.action) == (users["alice"], "alice", AuditAction.CHANGED)
    assert entry.changes == {"target_value": [60.0, 65.0]}
    assert entry.region.slug == "etela-savo"
    assert entry.object_repr == str(target_metric)


def test_saving_without_a_change_records_nothing(users, target_metric):
    with acting_as(users["alice"]):
        target_metric.save()
        Metric.objects.get(pk=target_metric.pk).save()
    assert entries_about(target_metric) == []


def test_a_json_field_edited_in_place_is_recorded(users, world):
    metric = Metric.objects.filter(version__strategy__region__slug="etela-savo", binding_type="databank")[0]
    before = dict(metric.binding)
    details = metric.binding  # the stored JSON itself, changed in place
    details.update(series="9999")
    with acting_as(users["alice"]):
        metric.save()
    [entry] = entries_about(metric)
    assert entry.changes == {"binding": [before, {**before, "series": "9999"}]}


def test_a_save_of_a_row_not_loaded_first_compares_with_the_stored_row(users, target_metric):
    stale = Metric.objects.get(pk=target_metric.pk)
    stale._state.adding = True  # as if built by hand with the pk of an existing row
    del stale.__dict__["_audit_loaded"]
    stale.target_value = 70
    with acting_as(users["alice"]):
        stale.save()
    [entry] = entries_about(target_metric)
    assert entry.changes == {"target_value": [60.0, 70.0]}


def test_a_save_of_other_fields_only_records_nothing_and_makes_no_query(
    users, target_metric, django_assert_num_queries
):
    target_metric.position = 999
    with django_assert_num_queries(1):  # the UPDATE itself
        target_metric.save(update_fields=["position"])
    assert entries_about(target_metric) == []


def test_granting_and_removing_a_region_role_is_recorded(users, etela_savo):
    dave = users["dave"]
    with acting_as(users["alice"]):
        role = RegionRole.objects.create(user=dave, region=etela_savo, role=RoleKind.EDITOR)
        role.role = RoleKind.ADMIN
        role.save()
        role_id = role.pk
        role.delete()
    granted, promoted, removed = reversed(
        AuditEntry.objects.filter(content_type__model="regionrole", object_id=str(role_id))
    )
    assert [e.action for e in (granted, promoted, removed)] == ["created", "changed", "deleted"]
    assert {e.actor_name for e in (granted, promoted, removed)} == {"alice"}
    assert {e.region_id for e in (granted, promoted, removed)} == {etela_savo.pk}
    assert granted.changes["user"] == [None, {"pk": dave.pk, "repr": "dave"}]
    assert granted.changes["role"] == [None, "editor"]
    assert promoted.changes == {"role": ["editor", "admin"]}
    assert removed.changes["role"] == ["admin", None]


def test_a_strategy_reimport_that_changes_nothing_records_nothing(world):
    before = AuditEntry.objects.count()
    import_file(settings.STRATEGIES_DIR / "pohjois-savo.yaml")
    assert AuditEntry.objects.count() == before


def test_an_import_runs_as_the_system(world, target_metric):
    Metric.objects.filter(pk=target_metric.pk).update(target_value=50)  # as if edited without the trail
    import_file(settings.STRATEGIES_DIR / "etela-savo.yaml")
    [entry] = entries_about(target_metric)
    assert (entry.actor, entry.actor_name, entry.who) == (None, "system", "system")
    assert entry.changes == {"target_value": [50.0, 60.0]}


def test_deleting_a_goal_records_its_last_state(users, world):
    goal = Goal.objects.filter(version__strategy__region__slug="etela-savo", children=None)[0]
    goal_id, title = goal.pk, goal.title
    metric_ids = {str(pk) for pk in goal.metrics.values_list("pk", flat=True)}
    with acting_as(users["alice"]):
        goal.delete()
    deleted = AuditEntry.objects.filter(action=AuditAction.DELETED)
    entry = deleted.get(content_type__model="goal", object_id=str(goal_id))
    assert entry.changes["title"] == [title, None]
    assert entry.changes["version"][0]["pk"] == goal.version_id
    assert entry.actor_name == "alice"
    # Its metrics went with it, each with its own entry.
    assert set(deleted.filter(content_type__model="metric").values_list("object_id", flat=True)) == metric_ids


def test_the_request_user_is_the_actor_through_the_middleware(users, target_metric):
    def view(request):
        target_metric.target_value = 61
        target_metric.save()
        return None

    request = RequestFactory().post("/")
    request.user = users["alice"]
    CurrentUserMiddleware(view)(request)
    [entry] = entries_about(target_metric)
    assert entry.actor == users["alice"]


def test_deleting_a_region_keeps_its_trail_without_the_link(users, etela_savo):
    region = Region.objects.create(slug="koe", name="Koe", area=etela_savo.area)
    with acting_as(users["alice"]):
        RegionRole.objects.create(user=users["dave"], region=region, role=RoleKind.VIEWER)
        region.delete()
    connection.check_constraints()  # the foreign keys are checked at commit, which a test never reaches
    trail = AuditEntry.objects.filter(content_type__model__in=["region", "regionrole"], actor_name="alice")
    assert sorted(trail.values_list("content_type__model", "action")) == [
        ("region", "deleted"),
        ("regionrole", "created"),
        ("regionrole", "deleted"),
    ]
    assert set(trail.values_list("region", flat=True)) == {None}


def test_deleting_a_user_keeps_their_name_in_the_trail(users, target_metric):
    with acting_as(users["alice"]):
        target_metric.target_value = 62
        target_metric.save()
        users["alice"].delete()
    connection.check_constraints()
    entry = entries_about(target_metric)[0]
    assert (entry.actor, entry.actor_name) == (None, "alice")


def test_record_finds_the_region_from_the_strategy_version(world):
    version = StrategyVersion.objects.get(strategy__region__slug="pohjois-savo")
    entry = record(actor=None, obj=version, action="approved", note="Hallitus 1.2.2025")
    assert entry.region is not None and entry.region.slug == "pohjois-savo"
    assert (entry.actor_name, entry.changes, entry.note) == ("system", {}, "Hallitus 1.2.2025")


def test_snapshot_and_diff_give_json_safe_changed_fields(target_metric):
    before = snapshot(target_metric, fields=["target_value", "goal", "kind"])
    assert before["goal"] == {"pk": target_metric.goal_id, "repr": str(target_metric.goal)}
    after = {**before, "target_value": 70.0}
    assert diff(before, after) == {"target_value": [60.0, 70.0]}
    assert json_safe({"due": datetime.date(2025, 12, 31), "sum": Decimal("1.50")}) == {
        "due": "2025-12-31",
        "sum": "1.50",
    }


@pytest.mark.parametrize("value", [float("nan"), float("inf")])
def test_values_postgresql_cannot_store_are_kept_as_text(value):
    assert isinstance(json_safe(value), str)
