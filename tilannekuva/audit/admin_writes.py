"""Every admin write in the audit trail: the admin's own log entry (an addition, change or deletion through
an admin form, one entry per object) is copied into the trail for every model the audit signals do not already
record field by field, with the admin's change message as the note and the object's region."""

from typing import Any

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.db.models.signals import post_save

from . import services
from .models import AuditAction, AuditEntry

ACTIONS = {ADDITION: AuditAction.CREATED, CHANGE: AuditAction.CHANGED, DELETION: AuditAction.DELETED}


def _admin_logged(sender: type[LogEntry], instance: LogEntry, created: bool, **kwargs: Any) -> None:
    from .signals import TRACKED  # recorded field by field as they are saved

    if not created or instance.content_type_id is None:
        return
    model = instance.content_type.model_class()
    if model is None or model in TRACKED or model is AuditEntry:
        return
    obj = model._default_manager.filter(pk=instance.object_id).first()
    if obj is None:  # already gone: nothing to attach the entry to
        return
    services.write_entry(
        actor=instance.user,
        obj=obj,
        action=ACTIONS.get(instance.action_flag, AuditAction.OTHER),
        changes=None,
        note=(instance.get_change_message() or "")[:500],
        region_id=services.region_id_for(obj),
    )


def connect() -> None:
    post_save.connect(_admin_logged, sender=LogEntry, dispatch_uid="audit-admin-log-entry")
