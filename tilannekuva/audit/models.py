"""The audit trail: one `AuditEntry` for every change to the strategy, reported values, approvals and roles."""

import contextlib
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tilannekuva.regions.models import Region

SYSTEM = "system"  # actor_name of imports, commands and anything else done without a user
ANONYMOUS = "anonymous"  # actor_name of a visitor who is not logged in (e.g. a public survey answer)


class AuditAction(models.TextChoices):
    CREATED = "created", _("Created")
    CHANGED = "changed", _("Changed")
    DELETED = "deleted", _("Deleted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned for correction")
    SUBMITTED = "submitted", _("Submitted")
    OPENED = "opened", _("Opened")
    OTHER = "other", _("Other")


def is_reference(value: Any) -> bool:
    """A foreign key as `snapshot` stores it: {"pk": 12, "repr": "HYTE-työryhmä"}."""
    return isinstance(value, dict) and set(value) == {"pk", "repr"}


def plain_text(value: Any) -> str:
    """A stored value as text for the CSV export: stable, not translated."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))  # 60, not 60.0: the float fields hold targets that are mostly whole numbers
    if is_reference(value):
        return f"{value['repr']} (#{value['pk']})"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


# Changes recorded under a name that is no field of the model: their labels in the reader's language.
PSEUDO_FIELDS = {
    "value": _("value"),
    "reviewers": _("reviewers"),
    "decision": _("decision"),
}
DECIMAL = re.compile(r"-?\d+\.\d+")
NUMERIC_FIELDS = (models.DecimalField, models.FloatField, models.IntegerField)


def display_text(value: Any, field: models.Field | None = None) -> str:
    """A stored value as a reader sees it, in the page's language: choice labels, yes/no, the related object's
    name, numbers in the language's format (a decimal kept as text, "72.5", shows as "72,5" in Finnish)."""
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if is_reference(value):
        return str(value["repr"])
    if isinstance(value, float):
        return number_format(int(value) if value.is_integer() else value, use_l10n=True)
    if isinstance(value, str) and DECIMAL.fullmatch(value) and (field is None or isinstance(field, NUMERIC_FIELDS)):
        return number_format(Decimal(value), decimal_pos=len(value.split(".")[1]), use_l10n=True)
    if field is not None and field.choices and not isinstance(value, dict | list):
        labels = {str(key): label for key, label in field.flatchoices}
        if str(value) in labels and value not in (None, ""):
            return str(labels[str(value)])
    return plain_text(value)


@dataclass(frozen=True)
class FieldChange:
    """One changed field of an entry: the stored values, and the field's label and the values as shown."""

    name: str
    label: str
    before: Any
    after: Any
    before_text: str
    after_text: str
    lang: str = ""  # "fi" for text from the (Finnish) strategy files, so that screen readers read it right


class AuditEntry(models.Model):
    """Who did what to which object, and when; `changes` is {field: [before, after]} in JSON-safe values."""

    at = models.DateTimeField(_("when"), db_index=True)
    # SET_NULL and a copied name: the trail must outlive the user account that made the change.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_entries",
    )
    actor_name = models.CharField(_("who"), max_length=300)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_entries",
    )
    content_type = models.ForeignKey(ContentType, verbose_name=_("kind of object"), on_delete=models.PROTECT)
    # Text, so that any kind of primary key fits; the object itself may be long gone.
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=300)
    action = models.CharField(_("action"), max_length=16, choices=AuditAction.choices)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "-at"], name="audit_object_history"),
            models.Index(fields=["region", "-at"], name="audit_region_history"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.who}: {self.get_action_display()} {self.object_repr}"

    @property
    def who(self) -> str:
        """The actor's name; imports and commands show as "system" in the reader's language."""
        if self.actor_id is None and self.actor_name == SYSTEM:
            return gettext("system")
        if self.actor_id is None and self.actor_name == ANONYMOUS:
            return gettext("anonymous visitor")
        return self.actor_name

    @property
    def kind_label(self) -> str:
        model = self.content_type.model_class()
        return str(model._meta.verbose_name) if model else self.content_type.model

    @property
    def content_lang(self) -> str:
        """The language of the object's name: strategy content comes from Finnish files."""
        return "fi" if self.content_type.app_label == "strategy" else ""

    def field_changes(self) -> list[FieldChange]:
        """The changed fields in the model's field order, labelled with their verbose names where they still exist."""
        model = self.content_type.model_class()
        changes = self.changes if isinstance(self.changes, dict) else {}
        # In the model's field order: PostgreSQL's jsonb keeps no key order.
        order = {f.name: i for i, f in enumerate(model._meta.get_fields())} if model is not None else {}
        result = []
        for name in sorted(changes, key=lambda name: order.get(name, len(order))):
            pair = changes[name]
            before, after = pair if isinstance(pair, list | tuple) and len(pair) == 2 else (None, pair)
            field = None
            # A field renamed or removed since keeps its old name in the entry.
            with contextlib.suppress(FieldDoesNotExist):
                field = model._meta.get_field(name) if model is not None else None
            concrete = field if isinstance(field, models.Field) else None
            is_text = isinstance(concrete, models.CharField | models.TextField) and not concrete.choices
            result.append(
                FieldChange(
                    name=name,
                    label=str(getattr(field, "verbose_name", None) or PSEUDO_FIELDS.get(name, name)),
                    before=before,
                    after=after,
                    before_text=display_text(before, concrete),
                    after_text=display_text(after, concrete),
                    lang="fi" if is_text and self.content_type.app_label == "strategy" else "",
                )
            )
        return result
