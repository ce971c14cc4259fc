"""Grant pages. Public: the published priorities and rounds, the application form, the applicant's private page
and the yearly report. Internal: the priorities' drafting (HYTE group), a round's management and reviews, the
decisions' export, attachments and the overlap of funders."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tilannekuva.core import limits
from tilannekuva.core.i18n import current_language
from tilannekuva.core.years import requested_year, year_in_address
from tilannekuva.regions.access import region_for
from tilannekuva.regions.models import Region, RegionRole
from tilannekuva.regions.permissions import can_set_grant_priorities, can_view_internal, can_view_public_pages
from tilannekuva.regions.selectors import members_of

from . import proposals, scoring, selectors, services
from .checks import application_errors
from .forms import (
    AddPriorityForm,
    ApplicationForm,
    DecisionForm,
    PriorityForm,
    PublishForm,
    ReviewerForm,
    ScoreForm,
)
from .limits import application_limits
from .models import Application, Attachment, GrantRound, Principles, Priority

REPORT_TITLES = {
    "priority": gettext_lazy("By priority"),
    "municipality": gettext_lazy("By municipality"),
    "target_group": gettext_lazy("By target group"),
    "funder": gettext_lazy("By funder"),
}


def _region(request: HttpRequest, region_slug: str) -> Region:
    """The published priorities and rounds, the form and the yearly report are public; each view checks the rest."""
    return region_for(request, region_slug, may=can_view_public_pages)


def _internal_region(request: HttpRequest, region_slug: str) -> Region:
    return region_for(request, region_slug, may=can_view_internal)


def _round(region: Region, pk: int, *, published_only: bool = True) -> GrantRound:
    try:
        return selectors.round_for(region, pk, published_only=published_only)
    except selectors.NotFound as exc:
        raise Http404(str(exc)) from exc


def _max_mb() -> int:
    return int(settings.FOLLOWUP_MAX_UPLOAD_MB)


# --- public ----------------------------------------------------------------------------------------------------


@require_GET
def index(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = _region(request, region_slug)
    principles = selectors.published_principles(region, requested_year(request))
    context = {
        "region": region,
        "principles": principles,
        "priorities": scoring.accepted_priorities(principles) if principles else [],
        "rounds": [(r, selectors.is_open(r)) for r in selectors.rounds_of(region)],
        "may_draft": can_view_internal(request.user, region),
        "this_year": timezone.localdate().year,
    }
    return render(request, "grants/index.html", context)


@require_GET
def round_detail(request: HttpRequest, region_slug: str, pk: int) -> HttpResponse:
    region = _region(request, region_slug)
    grant_round = _round(region, pk)
    context = {
        "region": region,
        "round": grant_round,
        "open": selectors.is_open(grant_round),
        "priorities": scoring.accepted_priorities(grant_round.principles),
        "criteria": list(grant_round.principles.criteria.all()),
        "may_manage": selectors.may_manage(request.user, grant_round)
        or selectors.may_review(request.user, grant_round),
    }
    return render(request, "grants/round.html", context)


def _application_form(grant_round: GrantRound, data: Any = None, files: Any = None) -> ApplicationForm:
    return ApplicationForm(
        data,
        files,
        priorities=scoring.accepted_priorities(grant_round.principles),
        municipalities=list(members_of(grant_round.region.area, year=grant_round.year)),
        max_mb=_max_mb(),
    )


@require_http_methods(["GET", "POST"])
@limits.limit_posts(application_limits)
def apply(request: HttpRequest, region_slug: str, pk: int) -> HttpResponse:
    """The public application form: no account; a confirmation with a private link goes to the e-mail given."""
    region = _region(request, region_slug)
    grant_round = _round(region, pk)
    is_open = selectors.is_open(grant_round)
    form = _application_form(grant_round)
    status = 200
    if request.method == "POST":
        if not is_open:
            raise PermissionDenied
        form = _application_form(grant_round, request.POST, request.FILES)
        valid = form.is_valid()
        for name, message in application_errors(grant_round, dict(form.cleaned_data)):  # every fault at once
            if name not in form.errors:
                form.add_error(name if name in form.fields else None, message)
        if valid and not form.errors:
            data = form.cleaned_data
            try:
                submitted = services.submit_application(
                    grant_round=grant_round,
                    association=data["association"],
                    business_id=data["business_id"],
                    email=data["email"],
                    activity=data["activity"],
                    description=data["description"],
                    target_groups=data["target_groups"],
                    priorities=list(data["priorities"]),
                    municipalities=list(data["municipalities"]),
                    total_budget=data["total_budget"],
                    amount_applied=data["amount_applied"],
                    contact_person=data["contact_person"],
                    phone=data["phone"],
                    signatory=data["signatory"],
                    iban=data["iban"],
                    privacy_notice=data["privacy_notice"],
                    earlier_grants=data["earlier_grants"],
                    attachments=data["attachments"],
                    status_url=lambda token: request.build_absolute_uri(reverse("grants:status", args=[token])),
                )
            except services.GrantError as exc:
                for name, message in exc.errors:
                    form.add_error(name if name in form.fields else None, message)
            else:
                messages.success(
                    request,
                    _(
                        "Your application has been received. A confirmation with this page's private address was "
                        "sent to %(email)s."
                    )
                    % {"email": submitted.application.email},
                )
                return redirect("grants:status", submitted.token)
        status = 400
    context = {"region": region, "round": grant_round, "open": is_open, "form": form}
    return render(request, "grants/apply.html", context, status=status)


@require_GET
def application_status(request: HttpRequest, token: str) -> HttpResponse:
    """The applicant's private page: the address holds the only key (its hash is stored)."""
    application = selectors.application_for_token(token)
    if application is None:
        raise Http404("no such application")
    context = {"application": application, "round": application.round, "region": application.round.region}
    response = render(request, "grants/status.html", context)
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def report(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = _region(request, region_slug)
    titles = {key: str(title) for key, title in REPORT_TITLES.items()} | {"euros": _("Granted (€)")}
    context = {
        "region": region,
        "report": selectors.year_report(
            region=region, year=requested_year(request), titles=titles, language=current_language()
        ),
    }
    return render(request, "grants/report.html", context)


# --- the priorities (HYTE group) --------------------------------------------------------------------------------


def _principles(region: Region, year: int) -> Principles:
    found = Principles.objects.filter(region=region, year=year).first()
    if found is None:
        return Principles(region=region, year=year, group_key=services.hyte_group_key(region))
    return found


@login_required
@require_GET
def priorities(request: HttpRequest, region_slug: str, year: int) -> HttpResponse:
    region = _internal_region(request, region_slug)
    year = year_in_address(year)
    principles = _principles(region, year)
    may_edit = can_set_grant_priorities(request.user, region=region, group_key=principles.group_key)
    items = list(principles.priorities.all()) if principles.pk else []
    context = {
        "region": region,
        "year": year,
        "principles": principles,
        "items": [
            (
                p,
                PriorityForm(
                    initial={"status": p.status, "weight": p.weight, "title": p.title, "description": p.description},
                    prefix=f"p{p.pk}",
                ),
            )
            for p in items
        ],
        "criteria": list(principles.criteria.all()) if principles.pk else [],
        "may_edit": may_edit and not principles.is_published,
        "add_form": AddPriorityForm(),
        "publish_form": PublishForm(initial={"reasoning": principles.reasoning}),
        "proposal": proposals.propose(region=region) if may_edit and not principles.is_published else None,
    }
    return render(request, "grants/priorities.html", context)


def _back_to_priorities(region: Region, year: int) -> HttpResponse:
    return redirect("grants:priorities", region.slug, year)


@login_required
@require_POST
def propose(request: HttpRequest, region_slug: str, year: int) -> HttpResponse:
    region = _internal_region(request, region_slug)
    year = year_in_address(year)
    try:
        services.apply_proposal(region=region, year=year, user=request.user)
    except services.GrantError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The proposal from the data is on the list. Accept, edit or reject each priority."))
    return _back_to_priorities(region, year)


@login_required
@require_POST
def priority_edit(request: HttpRequest, region_slug: str, pk: int) -> HttpResponse:
    region = _internal_region(request, region_slug)
    priority = Priority.objects.select_related("principles__region").filter(pk=pk, principles__region=region).first()
    if priority is None:
        raise Http404("no such priority")
    form = PriorityForm(request.POST, prefix=f"p{priority.pk}")
    if form.is_valid():
        try:
            services.update_priority(priority=priority, user=request.user, **form.cleaned_data)
        except services.GrantError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Saved: %(title)s.") % {"title": priority.title})
    else:
        messages.error(request, _("Not saved: %(errors)s") % {"errors": form.errors.as_text()})
    return _back_to_priorities(region, priority.principles.year)


@login_required
@require_POST
def priority_add(request: HttpRequest, region_slug: str, year: int) -> HttpResponse:
    region = _internal_region(request, region_slug)
    year = year_in_address(year)
    principles = _principles(region, year)
    if not can_set_grant_priorities(request.user, region=region, group_key=principles.group_key):
        raise PermissionDenied
    form = AddPriorityForm(request.POST)
    if form.is_valid():
        try:
            services.add_priority(
                principles=services.principles_of(region, year), user=request.user, **form.cleaned_data
            )
        except services.GrantError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Priority added."))
    else:
        messages.error(request, _("Not added: %(errors)s") % {"errors": form.errors.as_text()})
    return _back_to_priorities(region, year)


@login_required
@require_POST
def publish(request: HttpRequest, region_slug: str, year: int) -> HttpResponse:
    region = _internal_region(request, region_slug)
    year = year_in_address(year)
    principles = Principles.objects.filter(region=region, year=year).first()
    if principles is None:
        raise Http404("no priorities for the year")
    form = PublishForm(request.POST)
    reasoning = form.cleaned_data["reasoning"] if form.is_valid() else ""
    try:
        services.publish(principles=principles, user=request.user, reasoning=reasoning)
    except services.GrantError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The priorities of %(year)s are published.") % {"year": year})
        return redirect(f"{reverse('grants:index', args=[region.slug])}?year={year}")
    return _back_to_priorities(region, year)


# --- a round: management, reviews, decisions -------------------------------------------------------------------


def _managed_round(request: HttpRequest, region_slug: str, pk: int, *, reviewers_too: bool = True) -> GrantRound:
    region = _region(request, region_slug)
    grant_round = _round(region, pk, published_only=False)
    allowed = selectors.may_manage(request.user, grant_round) or (
        reviewers_too and selectors.may_review(request.user, grant_round)
    )
    if not allowed:
        raise PermissionDenied
    return grant_round


def _candidates(region: Region) -> Any:
    ids = RegionRole.objects.filter(region=region).values_list("user_id", flat=True)
    return get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("username")


@login_required
@require_GET
def manage(request: HttpRequest, region_slug: str, pk: int) -> HttpResponse:
    grant_round = _managed_round(request, region_slug, pk)
    may_manage = selectors.may_manage(request.user, grant_round)
    may_review = selectors.may_review(request.user, grant_round)
    rows = selectors.ranking(grant_round, user=request.user)
    visible = selectors.ranking_visible(rows, may_manage=may_manage, may_review=may_review)
    if not visible:  # in the order received, so that the order tells nothing of the others' scores
        rows = sorted(rows, key=lambda row: (row.score.application.submitted_at, row.score.application.pk))
    proposal = {row.score.application.pk: row.proposed for row in rows}
    applications = [row.score.application for row in rows]
    context = {
        "region": grant_round.region,
        "round": grant_round,
        "rows": rows,
        "visible": visible,
        "may_manage": may_manage,
        "may_review": may_review,
        "reviewers": grant_round.reviewers.select_related("user"),
        "reviewer_form": ReviewerForm(candidates=_candidates(grant_round.region)) if may_manage else None,
        "decision_form": DecisionForm(applications=applications, proposal=proposal) if may_manage and visible else None,
        "proposed_total": sum(proposal.values()),
        "period_running": timezone.localdate() <= grant_round.closes_on,
        "review_counts": selectors.review_counts(rows),
        "decided_total": sum(a.granted_amount or 0 for a in applications),
    }
    return render(request, "grants/manage.html", context)


@login_required
@require_POST
def reviewers(request: HttpRequest, region_slug: str, pk: int) -> HttpResponse:
    grant_round = _managed_round(request, region_slug, pk, reviewers_too=False)
    form = ReviewerForm(request.POST, candidates=_candidates(grant_round.region))
    if form.is_valid():
        reviewer = form.cleaned_data["reviewer"]
        try:
            if form.cleaned_data["remove"]:
                services.remove_reviewer(grant_round=grant_round, user=request.user, reviewer=reviewer)
            else:
                services.name_reviewer(grant_round=grant_round, user=request.user, reviewer=reviewer)
        except services.GrantError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Reviewers saved."))
    else:
        messages.error(request, _("Not saved: %(errors)s") % {"errors": form.errors.as_text()})
    return redirect("grants:manage", grant_round.region.slug, grant_round.pk)


@login_required
@require_POST
def decide(request: HttpRequest, region_slug: str, pk: int) -> HttpResponse:
    grant_round = _managed_round(request, region_slug, pk, reviewers_too=False)
    applications = list(grant_round.applications.all())
    form = DecisionForm(request.POST, applications=applications, proposal={})
    if form.is_valid():
        try:
            services.record_decisions(grant_round=grant_round, user=request.user, amounts=form.amounts())
        except services.GrantError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The decisions are recorded. Export them for the case-management system."))
    else:
        messages.error(request, _("Not saved: %(errors)s") % {"errors": form.errors.as_text()})
    return redirect("grants:manage", grant_round.region.slug, grant_round.pk)


def _application(request: HttpRequest, region_slug: str, pk: int) -> tuple[Application, selectors.ReviewPage]:
    region = _region(request, region_slug)
    try:
        application = selectors.application_for(region, pk)
    except selectors.NotFound as exc:
        raise Http404(str(exc)) from exc
    page = selectors.review_page(application=application, user=request.user)
    if not (page.may_review or page.may_manage):
        raise PermissionDenied
    return application, page


def _render_review(request: HttpRequest, page: selectors.ReviewPage, form: ScoreForm | None = None) -> HttpResponse:
    application = page.application
    criteria = scoring.scored_criteria(application.round.principles)
    scoring_open = page.own is None and page.conflict is None and application.round.decided_at is None
    if form is None and page.may_review and scoring_open:
        form = ScoreForm(criteria=criteria)
    context = {
        "region": application.round.region,
        "round": application.round,
        "application": application,
        "page": page,
        "form": form,
    }
    return render(request, "grants/application.html", context, status=400 if form is not None and form.errors else 200)


@login_required
@require_GET
def application(request: HttpRequest, region_slug: str, pk: int) -> HttpResponse:
    _found, page = _application(request, region_slug, pk)
    return _render_review(request, page)


@login_required
@require_POST
def score(request: HttpRequest, region_slug: str, pk: int) -> HttpResponse:
    found, page = _application(request, region_slug, pk)
    if not page.may_review:
        raise PermissionDenied
    form = ScoreForm(request.POST, criteria=scoring.scored_criteria(found.round.principles))
    if form.is_valid():
        try:
            services.score_application(
                application=found, user=request.user, scores=form.scores(), comment=form.cleaned_data["comment"]
            )
        except services.GrantError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, _("Your scores are saved. The other reviewers' scores are now shown."))
            return redirect("grants:application", found.round.region.slug, found.pk)
    return _render_review(request, page, form)


@login_required
@require_GET
def attachment(request: HttpRequest, region_slug: str, pk: int) -> FileResponse:
    region = _region(request, region_slug)
    found = (
        Attachment.objects.select_related("application__round")
        .filter(pk=pk, application__round__principles__region=region)
        .first()
    )
    if found is None:
        raise Http404("no such attachment")
    grant_round = found.application.round
    if not (selectors.may_manage(request.user, grant_round) or selectors.may_review(request.user, grant_round)):
        raise PermissionDenied
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=found.name)


@login_required
@require_GET
def overlap(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = _internal_region(request, region_slug)
    return render(request, "grants/overlap.html", {"region": region, "overlaps": selectors.overlaps(region)})
