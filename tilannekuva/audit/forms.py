"""The filters of a region's audit trail page and its CSV export, read from GET parameters."""

from typing import Any

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .models import AuditAction
from .selectors import TrailFilter


class TrailFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), required=False)
    kind = forms.ChoiceField(label=_("Kind of object"), required=False)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args: Any, kinds: list[ContentType], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.kinds = {f"{ct.app_label}.{ct.model}": ct for ct in kinds}
        action, kind = self.fields["action"], self.fields["kind"]
        assert isinstance(action, forms.ChoiceField) and isinstance(kind, forms.ChoiceField)
        action.choices = [("", _("All actions")), *AuditAction.choices]
        kind.choices = [("", _("All kinds")), *((key, capfirst(ct.name)) for key, ct in self.kinds.items())]

    def full_clean(self) -> None:
        super().full_clean()
        # Ties each message to its field, so that a screen reader reads it with the field.
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["aria-describedby"] = f"{self[name].auto_id}_error"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def filters(self) -> TrailFilter:
        """The valid filters; an invalid field filters nothing (the form shows its error)."""
        data = (
            self.cleaned_data
            if self.is_valid()
            else {name: value for name, value in getattr(self, "cleaned_data", {}).items() if name not in self.errors}
        )
        return TrailFilter(
            action=data.get("action") or "",
            kind=self.kinds.get(data.get("kind") or ""),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
