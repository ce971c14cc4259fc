"""Writes of the co-operation pages: action progress, meetings, counterpart pairs, versions and process phases.

Every write is recorded in the audit trail with `audit.services.record`, naming the user who made it."""

from datetime import date
from typing import Any

from django.db import models, transaction

from tilannekuva.audit.services import acting_as, record
from tilannekuva.regions.models import Region
from tilannekuva.strategy import versions as strategy_versions
from tilannekuva.strategy.models import Action, ProcessPhase, StrategyVersion

from .models import CounterpartPair, Meeting, ProgressNote

VersionError = strategy_versions.VersionError


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _changes(obj: models.Model, values: dict[str, Any]) -> dict[str, list[Any]]:
    return {
        name: [_plain(getattr(obj, name)), _plain(value)]
        for name, value in values.items()
        if getattr(obj, name) != value
    }


@transaction.atomic
def update_action(*, action: Action, user: Any, status: str, due: date | None, note: str) -> ProgressNote | None:
    """Change an action's status and due date and add a progress note. A status change always leaves a note,
    so that the action's history shows when it moved, even when nobody wrote a word."""
    changes = _changes(action, {"status": status, "due": due})
    if changes:
        action.status, action.due = status, due
        with acting_as(user):  # the audit trail's signal records the change, in the user's name
            action.save(update_fields=["status", "due"])
    if not note.strip() and "status" not in changes:
        return None
    progress = ProgressNote.objects.create(action=action, author=user, text=note.strip(), status_after=status)
    record(actor=user, obj=progress, action="created", note=note.strip(), region=action.region)
    return progress


MEETING_FIELDS = ("date", "title", "agenda", "memo", "decisions")


@transaction.atomic
def save_meeting(
    *, region: Region, group_key: str, user: Any, values: dict[str, Any], meeting: Meeting | None = None
) -> Meeting:
    fields = {name: values[name] for name in MEETING_FIELDS}
    if meeting is None:
        meeting = Meeting.objects.create(region=region, group_key=group_key, created_by=user, **fields)
        record(actor=user, obj=meeting, action="created", region=region)
        return meeting
    changes = _changes(meeting, fields)
    if changes:
        for name, value in fields.items():
            setattr(meeting, name, value)
        meeting.save()
        record(actor=user, obj=meeting, action="changed", changes=changes, region=region)
    return meeting


PAIR_FIELDS = ("interface_key", "municipality", "county", "contact_role", "note")


@transaction.atomic
def save_counterpart(
    *, region: Region, user: Any, values: dict[str, Any], pair: CounterpartPair | None = None
) -> CounterpartPair:
    fields = {name: values[name] for name in PAIR_FIELDS}
    if pair is None:
        pair = CounterpartPair.objects.create(region=region, **fields)
        record(actor=user, obj=pair, action="created", region=region)
        return pair
    changes = {name: [str(before), str(after)] for name, (before, after) in _changes(pair, fields).items()}
    if changes:
        for name, value in fields.items():
            setattr(pair, name, value)
        pair.save()
        record(actor=user, obj=pair, action="changed", changes=changes, region=region)
    return pair


@transaction.atomic
def delete_counterpart(*, pair: CounterpartPair, user: Any) -> None:
    record(actor=user, obj=pair, action="deleted", note=str(pair), region=pair.region)
    pair.delete()


@transaction.atomic
def copy_version(*, version: StrategyVersion, year: int, user: Any) -> StrategyVersion:
    copy = strategy_versions.copy_version(version=version, year=year)
    record(actor=user, obj=copy, action="created", note=f"copied from {version.year}", region=version.region)
    return copy


@transaction.atomic
def approve_version(*, version: StrategyVersion, user: Any) -> StrategyVersion:
    before = version.status
    approved = strategy_versions.approve_version(version=version, user=user)
    changes = {"status": [before, approved.status], "approved_on": [None, _plain(approved.approved_on)]}
    record(actor=user, obj=approved, action="approved", changes=changes, region=approved.region)
    return approved


@transaction.atomic
def set_phase_status(*, phase: ProcessPhase, status: str, user: Any) -> ProcessPhase:
    changes = _changes(phase, {"status": status})
    if changes:
        phase.status = status
        phase.save(update_fields=["status"])
        record(actor=user, obj=phase, action="changed", changes=changes, region=phase.region)
    return phase
