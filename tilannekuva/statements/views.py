"""Pages of the statement rounds: the region's rounds, sending a draft for statements, a round with its statements
and answers, and a statement's document. Each view checks its permission with tilannekuva.regions.permissions."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tilannekuva.core.years import year_in_address
from tilannekuva.regions.access import RegionPermission, refuse, region_for
from tilannekuva.regions.models import Region
from tilannekuva.regions.permissions import can_view_dashboard, can_view_internal, is_region_admin
from tilannekuva.strategy.models import StrategyVersion, VersionStatus

from . import selectors, services
from .forms import AnswerForm, RoundForm, StatementForm
from .models import Statement, StatementRound

GET = require_http_methods(["GET", "HEAD"])


def _region(request: HttpRequest, region_slug: str, may: RegionPermission) -> Region:
    return region_for(request, region_slug, may=may, with_strategy=True)


def _round(request: HttpRequest, region: Region, pk: int) -> StatementRound:
    """A round the user may see; one still internal is refused as the region's internal pages are."""
    found = selectors.visible_rounds(request.user, region).filter(pk=pk).first()
    if found is None:
        if StatementRound.objects.filter(region=region, pk=pk).exists():
            refuse(request)
        raise Http404("no such statement round")
    return found


@GET
def index(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = _region(request, region_slug, can_view_dashboard)
    may_send = is_region_admin(request.user, region)
    context = {
        "region": region,
        "rounds": selectors.round_list(request.user, region),
        "drafts": selectors.draft_versions(region) if may_send else [],
        "internal": can_view_internal(request.user, region),
    }
    return render(request, "statements/index.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def new_round(request: HttpRequest, region_slug: str, year: int) -> HttpResponse:
    region = _region(request, region_slug, is_region_admin)
    version = get_object_or_404(
        StrategyVersion, strategy__region=region, year=year_in_address(year), status=VersionStatus.DRAFT
    )
    form = RoundForm(request.POST or None, version=version)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.open_round(version=version, user=request.user, **form.cleaned_data)
        except services.StatementError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, _("The draft was sent for statements."))
            return redirect("statements:round", region.slug, created.pk)
    return render(request, "statements/new.html", {"region": region, "version": version, "form": form})


@GET
def round_detail(request: HttpRequest, region_slug: str, pk: int) -> HttpResponse:
    region = _region(request, region_slug, can_view_dashboard)
    statement_round = _round(request, region, pk)
    page = selectors.round_page(request.user, statement_round)
    return render(request, "statements/round.html", _round_context(request, region, page))


def _round_context(
    request: HttpRequest,
    region: Region,
    page: selectors.RoundPage,
    statement_form: StatementForm | None = None,
) -> dict:
    is_open = page.round.status == "open"
    if statement_form is None and is_open and page.mine:
        statement_form = StatementForm(requests=page.mine, goals=page.goals)
    return {
        "region": region,
        "page": page,
        "may_answer": is_region_admin(request.user, region),
        "statement_form": statement_form if is_open else None,
        "answer_form": AnswerForm(),
    }


@require_POST
def give(request: HttpRequest, region_slug: str, pk: int) -> HttpResponse:
    region = _region(request, region_slug, can_view_internal)
    statement_round = _round(request, region, pk)
    page = selectors.round_page(request.user, statement_round)
    if not page.mine:
        refuse(request)
    form = StatementForm(request.POST, request.FILES, requests=page.mine, goals=page.goals)
    if form.is_valid():
        try:
            services.give_statement(user=request.user, **form.cleaned_data)
        except services.StatementError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, _("Thank you: the statement was given."))
            return redirect("statements:round", region.slug, statement_round.pk)
    context = _round_context(request, region, page, statement_form=form)
    return render(request, "statements/round.html", context, status=400)


@require_POST
def answer(request: HttpRequest, region_slug: str, pk: int, statement_pk: int) -> HttpResponse:
    region = _region(request, region_slug, is_region_admin)
    statement = get_object_or_404(Statement, pk=statement_pk, request__round__pk=pk, request__round__region=region)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the answer."))
    else:
        services.answer_statement(statement=statement, user=request.user, text=form.cleaned_data["text"])
        messages.success(request, _("The answer was saved."))
    return redirect("statements:round", region.slug, pk)


@require_POST
def close(request: HttpRequest, region_slug: str, pk: int) -> HttpResponse:
    region = _region(request, region_slug, is_region_admin)
    statement_round = get_object_or_404(StatementRound, pk=pk, region=region)
    try:
        services.close_round(statement_round=statement_round, user=request.user)
    except services.StatementError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The round was closed."))
    return redirect("statements:round", region.slug, pk)


@GET
def document(request: HttpRequest, region_slug: str, pk: int, statement_pk: int) -> HttpResponse | FileResponse:
    """A statement's document: for those with a role in the region only."""
    region = _region(request, region_slug, can_view_internal)
    found = (
        Statement.objects.filter(pk=statement_pk, request__round__pk=pk, request__round__region=region)
        .exclude(document="")
        .first()
    )
    if found is None:
        raise Http404("no such document")
    return FileResponse(found.document.open("rb"), as_attachment=True, filename=found.document.name.rsplit("/", 1)[-1])
