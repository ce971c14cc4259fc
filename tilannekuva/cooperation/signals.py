"""What expires the dashboard's cache from the co-operation side: a counterpart pair or an agreement added,
changed or removed (the dashboard answers metrics from them)."""

from typing import Any

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from tilannekuva.dashboard import services as dashboard_services

from .models import Agreement, CounterpartPair

WATCHED = (CounterpartPair, Agreement)


def _changed(sender: Any, **kwargs: Any) -> None:
    # After the commit and once per transaction.
    connection = transaction.get_connection()
    if any(entry[1] is dashboard_services.invalidate for entry in connection.run_on_commit):
        return
    transaction.on_commit(dashboard_services.invalidate)


for model in WATCHED:
    post_save.connect(_changed, sender=model, dispatch_uid=f"cooperation-cache-save-{model.__name__}")
    post_delete.connect(_changed, sender=model, dispatch_uid=f"cooperation-cache-delete-{model.__name__}")
m2m_changed.connect(_changed, sender=Agreement.parties.through, dispatch_uid="cooperation-cache-agreement-parties")
