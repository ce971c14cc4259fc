"""The yearly update of a strategy: copy a version to a new draft for another year, approve a draft."""

from datetime import date
from typing import Any

from django.db import transaction

from .models import Action, Goal, Group, Partner, ProcessEvent, StrategyVersion, Value


class VersionError(Exception):
    """A yearly version cannot be copied or approved; the message says why and what to do instead."""


@transaction.atomic
def copy_version(*, version: StrategyVersion, year: int) -> StrategyVersion:
    """A deep copy of `version` as a new draft for `year`. Keys are kept, so whatever hangs on a key (a metric's
    binding and its observations, a coordinator's group, meetings, counterpart pairs) follows to the new year."""
    strategy = version.strategy
    if StrategyVersion.objects.filter(strategy=strategy, year=year).exists():
        raise VersionError(
            f"{strategy.region.name} already has a strategy version for {year}: open that version instead, "
            "or choose another year."
        )
    source = version
    copy = StrategyVersion.objects.get(pk=version.pk)
    copy.pk = None
    copy.year, copy.status, copy.approved_on, copy.approved_by = year, "draft", None, ""
    copy.save(force_insert=True)

    for partner in source.partners.all():
        Partner.objects.create(
            version=copy, position=partner.position, organisation_id=partner.organisation_id, role=partner.role
        )
    Value.objects.bulk_create(
        Value(version=copy, position=v.position, name=v.name, description=v.description) for v in source.values.all()
    )
    groups: dict[int, Group] = {}
    old_groups = list(source.groups.all())
    focus_areas = {g.pk: g.focus_area_id for g in old_groups}
    for group in old_groups:
        old_pk = group.pk
        group.pk, group.version, group.focus_area = None, copy, None
        group.save(force_insert=True)
        groups[old_pk] = group
    # Through the link tables: the instances are reused for the copies, and a related manager would still
    # answer from the original's rows.
    members = Group.member_organisations.through
    members.objects.bulk_create(
        members(group_id=groups[m.group_id].pk, organisation_id=m.organisation_id)
        for m in members.objects.filter(group__version=source)
    )
    goals: dict[int, Goal] = {}
    old_goals = list(source.goals.all())
    parents = {g.pk: g.parent_id for g in old_goals}
    # Parents first: every goal is saved after the goal it hangs under.
    pending = list(old_goals)
    while pending:
        later = []
        for goal in pending:
            parent_id = parents[goal.pk]
            if parent_id is not None and parent_id not in goals:
                later.append(goal)
                continue
            old_pk = goal.pk
            goal.pk, goal.version = None, copy
            goal.parent = goals[parent_id] if parent_id is not None else None
            goal.responsible = groups.get(goal.responsible_id) if goal.responsible_id else None
            goal.save(force_insert=True)
            goals[old_pk] = goal
        if len(later) == len(pending):
            raise VersionError(f"The goal tree of {version} has a loop; fix the parents in the admin first.")
        pending = later
    links = Goal.contributes_to.through
    links.objects.bulk_create(
        links(from_goal_id=goals[link.from_goal_id].pk, to_goal_id=goals[link.to_goal_id].pk)
        for link in links.objects.filter(from_goal__version=source).order_by("pk")
    )
    for old_pk, focus_id in focus_areas.items():
        if focus_id:
            Group.objects.filter(pk=groups[old_pk].pk).update(focus_area=goals[focus_id])
    actions: dict[int, Action] = {}
    for action in source.actions.all():
        old_pk = action.pk
        action.pk, action.version, action.goal = None, copy, goals[action.goal_id]
        action.responsible_group = groups.get(action.responsible_group_id) if action.responsible_group_id else None
        action.save(force_insert=True)
        actions[old_pk] = action
    for metric in source.metrics.all():
        metric.pk, metric.version, metric.goal = None, copy, goals[metric.goal_id]
        metric.action = actions[metric.action_id] if metric.action_id else None
        metric.responsible = groups.get(metric.responsible_id) if metric.responsible_id else None
        metric.save(force_insert=True)
    for phase in source.phases.prefetch_related("events"):
        events = list(phase.events.all())
        phase.pk, phase.version = None, copy
        phase.save(force_insert=True)
        ProcessEvent.objects.bulk_create(
            ProcessEvent(
                phase=phase,
                position=e.position,
                name=e.name,
                kind=e.kind,
                date=e.date,
                participants=e.participants,
                description=e.description,
            )
            for e in events
        )
    return copy


@transaction.atomic
def approve_version(*, version: StrategyVersion, user: Any) -> StrategyVersion:
    """Mark a draft approved today. Each year has one version (a database constraint), so approving a draft
    makes it the one approved version of its year; an approved or archived version is not approved again."""
    version = StrategyVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != "draft":
        raise VersionError(
            f"The version for {version.year} is {version.get_status_display().lower()}, not a draft: "
            "only a draft can be approved. Copy it to a new draft to change it."
        )
    if StrategyVersion.objects.filter(strategy=version.strategy, year=version.year, status="approved").exists():
        raise VersionError(f"{version.strategy.region.name} already has an approved version for {version.year}.")
    version.status = "approved"
    version.approved_on = date.today()
    version.approved_by = (user.get_full_name() or user.get_username()) if user is not None else ""
    version.save(update_fields=["status", "approved_on", "approved_by", "updated_at"])
    return version
