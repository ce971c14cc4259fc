"""Writes of the discussion: a partner's comment or reply, and the administrators' moderation (hide or show, and
choose for a year's report). Each checks who may do it (tilannekuva.regions.permissions) and is in the audit trail."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tilannekuva.audit.services import record
from tilannekuva.regions.models import Organisation, Region
from tilannekuva.regions.permissions import can_view_internal, is_region_admin, organisations_edited

from .models import Comment, CommentStatus

MAX_LENGTH = 4000


class DiscussionError(Exception):
    def __init__(self, message: str, *, field: str | None = None):
        self.field = field
        super().__init__(message)


@transaction.atomic
def post_comment(
    *, region: Region, subject: str, key: str, user: Any, text: str, parent: Comment | None = None
) -> Comment:
    """A comment by a partner signed in with a role in the region; a reply stays on its parent's subject."""
    if not can_view_internal(user, region):
        raise PermissionDenied
    text = text.strip()
    if not text:
        raise DiscussionError(_("Write the comment."), field="text")
    if len(text) > MAX_LENGTH:
        raise DiscussionError(_("A comment is at most %(n)s characters.") % {"n": MAX_LENGTH}, field="text")
    if parent is not None and (parent.region_id, parent.subject, parent.key) != (region.pk, subject, key):
        raise DiscussionError(_("The reply is not to a comment of this discussion."), field="parent")
    if parent is not None and parent.status == CommentStatus.HIDDEN:
        raise DiscussionError(_("A hidden comment cannot be answered."), field="parent")
    edited = organisations_edited(user, region)
    organisation = Organisation.objects.get(pk=edited[0]) if len(edited) == 1 else None
    comment = Comment.objects.create(
        region=region, subject=subject, key=key, parent=parent, author=user, organisation=organisation, text=text
    )
    record(actor=user, obj=comment, action="created", region=region, note=text[:500])
    return comment


@transaction.atomic
def moderate(*, comment: Comment, user: Any, hide: bool, note: str = "") -> Comment:
    if not is_region_admin(user, comment.region):
        raise PermissionDenied
    status = CommentStatus.HIDDEN if hide else CommentStatus.VISIBLE
    if hide and not note.strip():
        raise DiscussionError(_("Say why the comment is hidden."), field="note")
    before = comment.status
    comment.status, comment.moderated_by, comment.moderated_at = status, user, timezone.now()
    comment.moderation_note = note.strip()
    if hide:
        comment.report_year = None
    comment.save()
    record(
        actor=user,
        obj=comment,
        action="changed",
        region=comment.region,
        changes={"status": [before, status.value]},
        note=note.strip(),
    )
    return comment


@transaction.atomic
def choose_for_report(*, comment: Comment, user: Any, year: int | None) -> Comment:
    """Show the comment in the report of `year` (None: in no report). A hidden comment is never shown."""
    if not is_region_admin(user, comment.region):
        raise PermissionDenied
    if year is not None and comment.status == CommentStatus.HIDDEN:
        raise DiscussionError(_("A hidden comment is not shown in a report."))
    before = comment.report_year
    comment.report_year = year
    comment.save(update_fields=["report_year"])
    record(actor=user, obj=comment, action="changed", region=comment.region, changes={"report_year": [before, year]})
    return comment
