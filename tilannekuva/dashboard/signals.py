"""The one way the dashboard's cache expires: a change to any model a dashboard page shows raises the cache
generation once, after its transaction commits, and not at all when it rolls back.

What is watched is declared beside what reads it: each metric provider names its models when it registers
(`dashboard.providers.register(..., watches=...)`), and the pages' own models (the strategy, regions and areas)
are named at the end of this module."""

import threading
import weakref
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save

from tilannekuva.regions.models import Area, AreaMembership, Region
from tilannekuva.strategy.models import Goal, Group, Metric, StrategyVersion

from . import services


@dataclass(frozen=True)
class Watch:
    """A model whose rows a dashboard page shows. `shows(instance)` says whether a saved row changes the pages
    (default: every save does); a deleted row always does."""

    model: type[Model]
    shows: Callable[[Any], bool] | None = None


_watches: dict[type[Model], list[Watch]] = defaultdict(list)


class _Expiry:
    """One raise of the generation, handed to `transaction.on_commit`. While the transaction is open Django holds
    the only strong reference; it lets go once the callback has run or the transaction has rolled back, so a
    weak reference to it tells whether this transaction has one pending (public API only)."""

    done = False

    def __call__(self) -> None:
        self.done = True
        services.invalidate()


_pending = threading.local()  # each thread has its own database connection, and so its own transaction


def expire_after_commit() -> None:
    """Raise the generation when the current transaction commits (at once outside a transaction): once however
    many watched rows the transaction writes, never for one that rolls back."""
    pending = getattr(_pending, "expiry", None)
    expiry = pending() if pending is not None else None
    if expiry is not None and not expiry.done:
        return
    expiry = _Expiry()
    _pending.expiry = weakref.ref(expiry)
    transaction.on_commit(expiry)


def _saved(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    if any(w.shows is None or w.shows(instance) for w in _watches[sender]):
        expire_after_commit()


def _deleted(sender: type[Model], **kwargs: Any) -> None:
    expire_after_commit()


def _linked(sender: type[Model], action: str, **kwargs: Any) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        expire_after_commit()


def watch(*watches: type[Model] | Watch) -> None:
    """Expire the dashboard whenever one of these models changes (a many-to-many table: a link added or removed)."""
    for item in watches:
        found = item if isinstance(item, Watch) else Watch(item)
        model = found.model
        if found not in _watches[model]:
            _watches[model].append(found)
        uid = f"dashboard-expiry-{model._meta.label_lower}"
        if model._meta.auto_created:
            m2m_changed.connect(_linked, sender=model, dispatch_uid=uid)
        else:
            post_save.connect(_saved, sender=model, dispatch_uid=uid)
            post_delete.connect(_deleted, sender=model, dispatch_uid=uid)


def watched() -> list[type[Model]]:
    """Every watched model, for the tests and the documentation."""
    return [model for model, found in _watches.items() if found]


# The pages themselves: the strategy's goals, groups and metrics, its regions and their areas in each year.
watch(Region, Area, AreaMembership, StrategyVersion, Goal, Group, Metric, Goal.contributes_to.through)
