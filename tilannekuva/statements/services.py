"""Writes of the statement rounds: send a draft version to chosen partners, give a statement, answer it, close the
round. Each function checks who may do it (tilannekuva.regions.permissions), runs in one transaction, changes
nothing when a field is at fault (the error names the field) and leaves an entry in the audit trail."""

import datetime
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tilannekuva.audit.services import record
from tilannekuva.followup.services import FollowupError, check_evidence_file
from tilannekuva.regions.models import Organisation, Region
from tilannekuva.regions.permissions import can_report, is_region_admin
from tilannekuva.strategy.models import Goal, StrategyVersion, VersionStatus

from .models import RoundStatus, Statement, StatementAnswer, StatementRequest, StatementRound


class StatementError(Exception):
    """The request cannot be carried out; `field` names the form field at fault, when there is one."""

    def __init__(self, message: str, *, field: str | None = None):
        self.field = field
        super().__init__(message)


@transaction.atomic
def open_round(
    *,
    version: StrategyVersion,
    user: Any,
    title: str,
    deadline: datetime.date,
    organisations: Sequence[Organisation],
    instructions: str = "",
    demo: bool = False,
    today: datetime.date | None = None,
) -> StatementRound:
    """Send the draft `version` to `organisations` (partners of the version) for statements by `deadline`."""
    region: Region = version.strategy.region
    if not is_region_admin(user, region):
        raise PermissionDenied
    if version.status != VersionStatus.DRAFT:
        raise StatementError(
            _("Only a draft goes out for statements; the version of %(year)s is %(status)s.")
            % {"year": version.year, "status": version.get_status_display().lower()},
            field="version",
        )
    if not title.strip():
        raise StatementError(_("Give the round a title."), field="title")
    if deadline < (today or timezone.localdate()):
        raise StatementError(_("The deadline is already past."), field="deadline")
    partners = set(version.partners.values_list("organisation_id", flat=True))
    if not organisations:
        raise StatementError(_("Choose at least one partner."), field="organisations")
    strangers = [str(o) for o in organisations if o.pk not in partners]
    if strangers:
        raise StatementError(
            _("Not a partner of this version: %(names)s.") % {"names": ", ".join(strangers)}, field="organisations"
        )
    statement_round = StatementRound.objects.create(
        region=region,
        version=version,
        title=title.strip(),
        instructions=instructions.strip(),
        deadline=deadline,
        demo=demo,
        created_by=user,
    )
    StatementRequest.objects.bulk_create(
        StatementRequest(round=statement_round, organisation=o) for o in sorted(organisations, key=lambda o: o.pk)
    )
    record(
        actor=user,
        obj=statement_round,
        action="opened",
        region=region,
        changes={"organisations": [None, sorted(str(o) for o in organisations)], "deadline": [None, deadline]},
        note=_("Version %(year)s sent for statements") % {"year": version.year},
    )
    return statement_round


@transaction.atomic
def give_statement(
    *,
    request: StatementRequest,
    user: Any,
    text: str,
    goal: Goal | None = None,
    document: UploadedFile | None = None,
    today: datetime.date | None = None,
) -> Statement:
    """The requested partner's statement, on a goal of the version or in general, with an optional document
    (checked by name, size and content as the follow-up's evidence files are)."""
    request = StatementRequest.objects.select_related("round__region", "round__version").get(pk=request.pk)
    statement_round = request.round
    region = statement_round.region
    if not can_report(user, region=region, organisation_id=request.organisation_id):
        raise PermissionDenied
    if statement_round.status != RoundStatus.OPEN:
        raise StatementError(_("The round is closed: statements are no longer taken."))
    if (today or timezone.localdate()) > statement_round.deadline:
        raise StatementError(
            _("The deadline %(date)s has passed.") % {"date": statement_round.deadline.strftime("%d.%m.%Y")}
        )
    if not text.strip():
        raise StatementError(_("Write the statement."), field="text")
    if goal is not None and goal.version_id != statement_round.version_id:
        raise StatementError(_("The goal is not in the version sent for statements."), field="goal")
    if document is not None:
        try:
            check_evidence_file(document)
        except FollowupError as exc:
            raise StatementError(str(exc), field="document") from exc
    statement = Statement.objects.create(request=request, goal=goal, text=text.strip(), submitted_by=user)
    if document is not None:
        statement.document.save(document.name or "lausunto", document, save=True)
    record(
        actor=user,
        obj=statement,
        action="submitted",
        region=region,
        changes={"goal": [None, str(goal) if goal else None], "document": [None, statement.document.name or None]},
        note=text.strip()[:500],
    )
    return statement


@transaction.atomic
def answer_statement(*, statement: Statement, user: Any, text: str) -> StatementAnswer:
    """The administrators' answer (vastine) to a statement; a second answer replaces the first, in the trail."""
    statement = Statement.objects.select_related("request__round__region").get(pk=statement.pk)
    region = statement.request.round.region
    if not is_region_admin(user, region):
        raise PermissionDenied
    if not text.strip():
        raise StatementError(_("Write the answer."), field="text")
    answer = StatementAnswer.objects.filter(statement=statement).first()
    before = answer.text if answer else None
    if answer is None:
        answer = StatementAnswer.objects.create(statement=statement, text=text.strip(), answered_by=user)
    else:
        answer.text, answer.answered_by = text.strip(), user
        answer.save()
    record(
        actor=user,
        obj=answer,
        action="created" if before is None else "changed",
        region=region,
        changes={"text": [before, answer.text]},
    )
    return answer


@transaction.atomic
def close_round(*, statement_round: StatementRound, user: Any) -> StatementRound:
    """No more statements: the round is kept with its version as it stands."""
    statement_round = StatementRound.objects.select_for_update().get(pk=statement_round.pk)
    if not is_region_admin(user, statement_round.region):
        raise PermissionDenied
    if statement_round.status == RoundStatus.CLOSED:
        raise StatementError(_("The round is already closed."))
    statement_round.status, statement_round.closed_at = RoundStatus.CLOSED, timezone.now()
    statement_round.save(update_fields=["status", "closed_at"])
    record(
        actor=user,
        obj=statement_round,
        action="changed",
        region=statement_round.region,
        changes={"status": [RoundStatus.OPEN.value, RoundStatus.CLOSED.value]},
    )
    return statement_round
