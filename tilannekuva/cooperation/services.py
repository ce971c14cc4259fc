"""Writes of the co-operation pages: action progress, meetings, counterpart pairs, agreements, versions and process
phases.

Every write is recorded in the audit trail with `audit.services.record`, naming the user who made it."""

from datetime import date
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils.translation import gettext as _

from tilannekuva.audit.services import acting_as, record
from tilannekuva.core.uploads import DocumentRefused, check_document
from tilannekuva.regions.models import Area, Region
from tilannekuva.regions.selectors import lies_within
from tilannekuva.strategy import versions as strategy_versions
from tilannekuva.strategy.models import Action, ProcessPhase, StrategyVersion
from tilannekuva.strategy.structures import client_paths_of, dialogue_levels_of, matrix_interfaces

from .models import Agreement, AgreementStatus, CounterpartPair, Meeting, ProgressNote

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


class RegisterError(Exception):
    """A counterpart pair or an agreement breaks a rule; `field` names the form field at fault."""

    def __init__(self, message: str, *, field: str | None = None):
        self.field = field
        super().__init__(message)


# Fields that stay None when empty; the others are text, "" when empty.
NULLABLE = {"area", "first_organisation", "second_organisation", "valid_from", "valid_to", "signed_on", "valid_until"}
PAIR_FIELDS = (
    "interface_key",
    "level_key",
    "client_path_key",
    "area",
    "first_organisation",
    "first_role",
    "second_organisation",
    "second_role",
    "valid_from",
    "valid_to",
    "source",
    "note",
)


def check_pair(*, region: Region, version: StrategyVersion, values: dict[str, Any]) -> None:
    """A pair names an interface of the matrix, a level that interface needs, and a client path only where the
    level is divided by client path; its area lies in the region; its years run forwards."""
    interfaces = {g.key: g for g in matrix_interfaces(version)}
    interface = interfaces.get(values["interface_key"])
    if interface is None:
        raise RegisterError(
            _("%(key)s is not an interface of the counterpart matrix.") % {"key": values["interface_key"]},
            field="interface_key",
        )
    levels = {level.key: level for level in dialogue_levels_of(version)}
    level = levels.get(values["level_key"])
    if level is None or level.key not in interface.dialogue_levels:
        raise RegisterError(_("The interface needs no counterpart pair at this level."), field="level_key")
    path = values.get("client_path_key") or ""
    if path:
        if path not in {p.key for p in client_paths_of(interface)}:
            raise RegisterError(_("The interface has no such client path."), field="client_path_key")
        if not level.per_client_path:
            raise RegisterError(
                _("At %(level)s the pairs are not divided by client path.") % {"level": level.name},
                field="client_path_key",
            )
    _check_area(region, values.get("area"), year=values.get("valid_from") or version.year)
    if values.get("valid_from") and values.get("valid_to") and values["valid_from"] > values["valid_to"]:
        raise RegisterError(_("The last year is before the first year."), field="valid_to")
    if not (values.get("first_role") or "").strip() or not (values.get("second_role") or "").strip():
        raise RegisterError(_("Give the role title on both sides."), field="second_role")


def _check_area(region: Region, area: Area | None, *, year: int) -> None:
    if area is not None and not lies_within(area, region.area, year=year):
        raise RegisterError(
            _("%(area)s is not within %(region)s in %(year)s.") % {"area": area, "region": region, "year": year},
            field="area",
        )


def _record_save(*, user: Any, obj: models.Model, region: Region, changes: dict[str, list[Any]] | None) -> None:
    if changes is None:
        record(actor=user, obj=obj, action="created", region=region)
    elif changes:
        record(actor=user, obj=obj, action="changed", changes=changes, region=region)


@transaction.atomic
def save_counterpart(
    *,
    region: Region,
    version: StrategyVersion,
    user: Any,
    values: dict[str, Any],
    pair: CounterpartPair | None = None,
) -> CounterpartPair:
    fields = {name: values.get(name) if name in NULLABLE else values.get(name) or "" for name in PAIR_FIELDS}
    check_pair(region=region, version=version, values=fields)
    if pair is None:
        pair = CounterpartPair.objects.create(region=region, **fields)
        _record_save(user=user, obj=pair, region=region, changes=None)
        return pair
    changes = {name: [str(before), str(after)] for name, (before, after) in _changes(pair, fields).items()}
    if changes:
        for name, value in fields.items():
            setattr(pair, name, value)
        pair.save()
    _record_save(user=user, obj=pair, region=region, changes=changes)
    return pair


@transaction.atomic
def delete_counterpart(*, pair: CounterpartPair, user: Any) -> None:
    record(actor=user, obj=pair, action="deleted", note=str(pair), region=pair.region)
    pair.delete()


AGREEMENT_FIELDS = (
    "kind",
    "title",
    "area",
    "interface_key",
    "group_key",
    "status",
    "signed_on",
    "valid_from",
    "valid_until",
    "url",
    "source",
    "note",
)


def check_agreement(*, region: Region, values: dict[str, Any], parties: list[Any], year: int) -> None:
    """An agreement has at least two parties; a signed one its date of signing, not in the future; an ended one
    the date it ended; its validity runs forwards; its area lies in the region; its document is a document."""
    if len(parties) < 2:
        raise RegisterError(_("An agreement has at least two parties."), field="parties")
    status, signed_on = values["status"], values.get("signed_on")
    if status != AgreementStatus.PREPARING and signed_on is None:
        raise RegisterError(_("Give the date on which the agreement was signed."), field="signed_on")
    if signed_on is not None and signed_on > date.today():
        raise RegisterError(_("The date of signing is in the future."), field="signed_on")
    if status == AgreementStatus.ENDED and values.get("valid_until") is None:
        raise RegisterError(_("Give the date on which the agreement ended."), field="valid_until")
    start = values.get("valid_from") or signed_on
    if start is not None and values.get("valid_until") is not None and values["valid_until"] < start:
        raise RegisterError(_("The agreement would end before it starts."), field="valid_until")
    _check_area(region, values.get("area"), year=signed_on.year if signed_on else year)


@transaction.atomic
def save_agreement(
    *,
    region: Region,
    user: Any,
    values: dict[str, Any],
    year: int,
    agreement: Agreement | None = None,
) -> Agreement:
    """Add or change an agreement of the register. A document given replaces the earlier one; `document` False
    (the form's "clear" box) removes it."""
    fields = {name: values.get(name) if name in NULLABLE else values.get(name) or "" for name in AGREEMENT_FIELDS}
    parties = list(values.get("parties") or [])
    check_agreement(region=region, values=fields, parties=parties, year=year)
    document = values.get("document")
    if isinstance(document, UploadedFile):
        try:
            check_document(document)
        except DocumentRefused as exc:
            raise RegisterError(str(exc), field="document") from exc
    if agreement is None:
        agreement = Agreement.objects.create(region=region, **fields)
        changes = None
    else:
        changes = {name: [str(before), str(after)] for name, (before, after) in _changes(agreement, fields).items()}
        for name, value in fields.items():
            setattr(agreement, name, value)
    if isinstance(document, UploadedFile) or (document is False and agreement.document):
        before = agreement.document.name if agreement.document else ""
        if agreement.document:  # the earlier file goes: the register keeps one document per agreement
            agreement.document.delete(save=False)
        if isinstance(document, UploadedFile):
            agreement.document.save(document.name or "document", document, save=False)
        if changes is not None:
            changes["document"] = [before, agreement.document.name if agreement.document else ""]
    agreement.save()
    before = {o.pk for o in agreement.parties.all()}
    if before != {o.pk for o in parties}:
        agreement.parties.set(parties)
        if changes is not None:
            changes["parties"] = [", ".join(sorted(str(pk) for pk in before)), ", ".join(str(o) for o in parties)]
    _record_save(user=user, obj=agreement, region=region, changes=changes)
    return agreement


@transaction.atomic
def delete_agreement(*, agreement: Agreement, user: Any) -> None:
    record(actor=user, obj=agreement, action="deleted", note=str(agreement), region=agreement.region)
    if agreement.document:
        agreement.document.delete(save=False)
    agreement.delete()


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
