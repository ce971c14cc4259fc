"""What expires the dashboard's cache: a finished import, and any change to a strategy, a region or an area."""

from typing import Any

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from tilannekuva.databank.models import ImportRun, Indicator, Observation
from tilannekuva.regions.models import Area, AreaMembership, Region
from tilannekuva.strategy.models import Goal, Group, Metric, StrategyVersion

from . import services

WATCHED = (ImportRun, Indicator, Observation, Region, Area, AreaMembership, StrategyVersion, Goal, Group, Metric)


def _changed(sender: Any, **kwargs: Any) -> None:
    if sender is ImportRun and kwargs.get("instance") is not None and kwargs["instance"].finished_at is None:
        return  # a run that has just started has changed nothing yet
    # After the commit, so that a rolled-back import expires nothing and a page rendered meanwhile is not kept;
    # once per transaction, however many rows a strategy import saves.
    connection = transaction.get_connection()
    if any(entry[1] is services.invalidate for entry in connection.run_on_commit):
        return
    transaction.on_commit(services.invalidate)


for model in WATCHED:
    post_save.connect(_changed, sender=model, dispatch_uid=f"dashboard-cache-save-{model.__name__}")
    post_delete.connect(_changed, sender=model, dispatch_uid=f"dashboard-cache-delete-{model.__name__}")
m2m_changed.connect(_changed, sender=Goal.contributes_to.through, dispatch_uid="dashboard-cache-goal-m2m")
