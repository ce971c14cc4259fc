"""What expires the dashboard's cache from the survey side: a response in or out, a survey's status or questions
changed, an open answer published or hidden."""

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from tilannekuva.dashboard import services as dashboard_services

from .models import Answer, Question, Response, Survey

WATCHED = (Survey, Question, Response, Answer)


def _changed(sender: Any, **kwargs: Any) -> None:
    # After the commit and once per transaction, however many responses an import writes.
    connection = transaction.get_connection()
    if any(entry[1] is dashboard_services.invalidate for entry in connection.run_on_commit):
        return
    transaction.on_commit(dashboard_services.invalidate)


for model in WATCHED:
    post_save.connect(_changed, sender=model, dispatch_uid=f"surveys-cache-save-{model.__name__}")
    post_delete.connect(_changed, sender=model, dispatch_uid=f"surveys-cache-delete-{model.__name__}")
