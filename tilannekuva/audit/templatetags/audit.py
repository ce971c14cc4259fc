"""`{% load audit %}{% audit_history obj %}`: an object's change history on its page, for those who may see it."""

from typing import Any

from django import template
from django.db.models import Model

from .. import selectors

register = template.Library()


@register.inclusion_tag("audit/_history.html", takes_context=True)
def audit_history(context: template.Context, obj: Model, limit: int = 50) -> dict[str, Any]:
    """Renders nothing for visitors who may not read the object's region's trail (its administrators)."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if obj is None or not selectors.can_view_history(user, obj):
        return {"visible": False}
    return {
        "visible": True,
        "entries": selectors.history_for(obj, limit=limit),
        "table_id": f"audit-history-{obj._meta.label_lower.replace('.', '-')}-{obj.pk}",
    }
