"""A round's early close (the funder ends the application period with a reason, audited, before deciding), a
reviewer's declaration of a conflict of interest in one application, and the decisions export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tilannekuva.core import csv_dialects
from tilannekuva.core.i18n import current_language

from . import conflicts, decisions, exports
from .views import _application, _managed_round


@login_required
@require_POST
def close_round(request: HttpRequest, region_slug: str, pk: int) -> HttpResponse:
    grant_round = _managed_round(request, region_slug, pk, reviewers_too=False)
    try:
        decisions.close_early(grant_round=grant_round, user=request.user, reason=request.POST.get("reason", "")[:500])
    except decisions.RoundStillOpen as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The round is closed: no more applications. The decisions may now be recorded."))
    return redirect("grants:manage", grant_round.region.slug, grant_round.pk)


@login_required
@require_POST
def declare_conflict(request: HttpRequest, region_slug: str, pk: int) -> HttpResponse:
    found, page = _application(request, region_slug, pk)
    if not page.may_review:
        raise PermissionDenied
    try:
        conflicts.declare_conflict(application=found, user=request.user, reason=request.POST.get("reason", ""))
    except conflicts.ConflictError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Your conflict of interest is recorded: you do not score this application."))
    return redirect("grants:application", found.round.region.slug, found.pk)


@login_required
@require_GET
def export(request: HttpRequest, region_slug: str, pk: int, fmt: str) -> HttpResponse:
    grant_round = _managed_round(request, region_slug, pk, reviewers_too=False)
    name = f"avustuspaatokset-{grant_round.region.slug}-{grant_round.year}-{grant_round.pk}"
    if fmt == "csv":
        dialect = csv_dialects.dialect_for(request.GET.get("dialect"), current_language())
        response = HttpResponse(exports.as_csv(grant_round, dialect), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(
            exports.as_xlsx(grant_round),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404("csv or xlsx")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
