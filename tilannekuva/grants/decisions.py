"""A round decides after it closes: the application period must have ended before the funder records decisions,
or the round is closed early by an explicit, audited step with its reason (nobody can apply after that)."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tilannekuva.audit.services import record

from .models import GrantRound
from .selectors import may_manage


class RoundStillOpen(Exception):
    """Decisions asked for while applications may still come in."""


def check_closed(grant_round: GrantRound, today: datetime.date | None = None) -> None:
    """Raise `RoundStillOpen` (with the message to show) while the round's application period runs."""
    today = today or timezone.localdate()
    if today <= grant_round.closes_on:
        raise RoundStillOpen(
            _(
                "The round takes applications until %(date)s: decisions are recorded after it closes, so that every "
                "applicant is considered. Close the round early, with a reason, if it must be decided now."
            )
            % {"date": date_format(grant_round.closes_on, "j.n.Y")}
        )


@transaction.atomic
def close_early(*, grant_round: GrantRound, user: Any, reason: str, today: datetime.date | None = None) -> GrantRound:
    """End the application period today (it ended yesterday), audited with the reason; the public round page
    then says it is closed. A round that has not opened yet, or has closed, is left as it is."""
    if not may_manage(user, grant_round):
        raise PermissionDenied
    today = today or timezone.localdate()
    if not reason.strip():
        raise RoundStillOpen(_("Write why the round is closed early: the reason is kept in the audit trail."))
    if today > grant_round.closes_on:
        raise RoundStillOpen(_("The round has already closed."))
    if today <= grant_round.opens_on:
        raise RoundStillOpen(_("The round has not taken applications yet: change its dates in the administration."))
    before = grant_round.closes_on
    grant_round.closes_on = today - datetime.timedelta(days=1)
    grant_round.save(update_fields=["closes_on"])
    record(
        actor=user,
        obj=grant_round,
        action="changed",
        region=grant_round.region,
        note=_("Closed early: %(reason)s") % {"reason": reason.strip()},
        changes={"closes_on": [before.isoformat(), grant_round.closes_on.isoformat()]},
    )
    return grant_round
