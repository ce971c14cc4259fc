"""Conflicts of interest (esteellisyys, hallintolaki 28 §): a reviewer who is connected to an application declares
it before scoring and is excluded from it: no score, no sight of the others' scores of it; the application's
weighted score comes from the other reviewers."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from tilannekuva.audit.services import record

from .models import Application, Conflict, Review
from .selectors import may_review


class ConflictError(Exception):
    """The declaration cannot be made; the message says why."""


def has_conflict(application: Application, user: Any) -> bool:
    return Conflict.objects.filter(application=application, reviewer_id=getattr(user, "pk", None)).exists()


@transaction.atomic
def declare_conflict(*, application: Application, user: Any, reason: str) -> Conflict:
    """The reviewer's declaration, with its reason, before they have scored the application (audited)."""
    if not may_review(user, application.round):
        raise PermissionDenied
    if not reason.strip():
        raise ConflictError(_("Say how you are connected to the application (e.g. a board member)."))
    if Review.objects.filter(application=application, reviewer=user).exists():
        raise ConflictError(
            _("You have already scored this application: ask the round's manager to handle the conflict.")
        )
    conflict, _created = Conflict.objects.get_or_create(
        application=application, reviewer=user, defaults={"reason": reason.strip()[:2000]}
    )
    record(
        actor=user,
        obj=application,
        action="other",
        region=application.region,
        note=_("Conflict of interest declared: %(reason)s") % {"reason": conflict.reason},
    )
    return conflict
