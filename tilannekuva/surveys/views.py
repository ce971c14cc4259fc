"""Survey pages. Internal (a role in the region): the region's surveys and each survey's results; open answers
are moderated there by administrators and coordinators. Administrators: creating, opening and closing surveys,
invitations, the open link, import and export. Public: the respondent's form behind an invitation token or an
open link, which works without JavaScript."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tilannekuva.core import csv_dialects, limits
from tilannekuva.core.i18n import current_language
from tilannekuva.regions.access import region_for
from tilannekuva.regions.models import Organisation, Region
from tilannekuva.regions.permissions import (
    can_manage_surveys,
    can_moderate_survey_answers,
    can_view_dashboard,
    can_view_internal,
)
from tilannekuva.regions.selectors import organisations_in
from tilannekuva.strategy.selectors import version_in_force

from . import exchange, selectors, services
from .forms import (
    CreateSurveyForm,
    ImportForm,
    InvitationForm,
    ModerationForm,
    PublishForm,
    ResponseForm,
    StatusForm,
    field_name,
)
from .models import Answer, Invitation, Survey, SurveyStatus

MAX_IMPORT_BYTES = 10 * 1024 * 1024


def _region(request: HttpRequest, region_slug: str) -> Region:
    return region_for(request, region_slug, may=can_view_internal)


def _survey(region: Region, pk: int) -> Survey:
    try:
        return selectors.survey_of(region, pk)
    except selectors.NotFound as exc:
        raise Http404(str(exc)) from exc


def _managed(request: HttpRequest, region_slug: str, pk: int) -> Survey:
    region = _region(request, region_slug)
    if not can_manage_surveys(request.user, region):
        raise PermissionDenied
    return _survey(region, pk)


def _partners(region: Region, year: int) -> list[Organisation]:
    version = version_in_force(region, year)
    if version is None:
        return []
    listed = [p.organisation for p in version.partners.select_related("organisation")]
    return organisations_in(listed, area=region.area, year=year)  # no Pertunmaa from 2025


@login_required
@require_GET
def survey_list(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = _region(request, region_slug)
    may_manage = can_manage_surveys(request.user, region)
    context = {
        "region": region,
        "surveys": selectors.surveys_of(region),
        "may_manage": may_manage,
        "create_form": CreateSurveyForm() if may_manage else None,
    }
    return render(request, "surveys/list.html", context)


@login_required
@require_POST
def create(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = _region(request, region_slug)
    if not can_manage_surveys(request.user, region):
        raise PermissionDenied
    form = CreateSurveyForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            survey = services.create_survey(
                region=region,
                template=data["template"],
                year=data["year"],
                user=request.user,
                key=data["key"],
                title=data["title"],
            )
        except services.SurveyError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, _("The survey was created as a draft. Check its questions, then open it."))
            return redirect("surveys:manage", region.slug, survey.pk)
    context = {"region": region, "surveys": selectors.surveys_of(region), "may_manage": True, "create_form": form}
    return render(request, "surveys/list.html", context, status=400)


def _manage_context(request: HttpRequest, survey: Survey, **forms: Any) -> dict[str, Any]:
    return {
        "region": survey.region,
        "survey": survey,
        "questions": selectors.questions_of(survey),
        "status_form": forms.get("status_form") or StatusForm(initial={"status": survey.status}),
        "invitation_form": forms.get("invitation_form")
        or InvitationForm(organisations=_partners(survey.region, survey.year)),
        "import_form": forms.get("import_form") or ImportForm(),
        "invitations": survey.invitations.count(),
        "invitations_used": survey.invitations.filter(used_at__isnull=False).count(),
        "responses": survey.responses.count(),
        "accepting": services.is_accepting(survey),
        "open_url": request.build_absolute_uri(reverse("surveys:open", args=[survey.open_key]))
        if survey.open_key
        else "",
        "admin_url": reverse("admin:surveys_survey_change", args=[survey.pk]),
        "open_answers": selectors.open_answer_counts(survey),
    }


@login_required
@require_GET
def manage(request: HttpRequest, region_slug: str, pk: int) -> HttpResponse:
    survey = _managed(request, region_slug, pk)
    return render(request, "surveys/manage.html", _manage_context(request, survey))


@login_required
@require_POST
def set_status(request: HttpRequest, region_slug: str, pk: int) -> HttpResponse:
    survey = _managed(request, region_slug, pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.set_status(survey=survey, status=form.cleaned_data["status"], user=request.user)
        except services.SurveyError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Status saved: %(status)s.") % {"status": survey.get_status_display()})
            return redirect("surveys:manage", survey.region.slug, survey.pk)
    return render(request, "surveys/manage.html", _manage_context(request, survey, status_form=form), status=400)


@login_required
@require_POST
def publish(request: HttpRequest, region_slug: str, pk: int) -> HttpResponse:
    """Publish a survey's results (the public results page and the open data API) or withdraw them."""
    survey = _managed(request, region_slug, pk)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to publish the results or withdraw them."))
    else:
        publish_them = form.cleaned_data["decision"] == "publish"
        try:
            services.publish_results(survey=survey, publish=publish_them, user=request.user)
        except services.SurveyError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("The results are public.") if publish_them else _("The results are no longer public."),
            )
    return redirect(f"{reverse('surveys:manage', args=[survey.region.slug, survey.pk])}#publish-title")


@login_required
@require_POST
def invite(request: HttpRequest, region_slug: str, pk: int) -> HttpResponse:
    """Invitations for the chosen partners. The links are given this once (a page or a CSV file): only the
    tokens' hashes are stored."""
    survey = _managed(request, region_slug, pk)
    form = InvitationForm(request.POST, organisations=_partners(survey.region, survey.year))
    if not form.is_valid():
        return render(
            request, "surveys/manage.html", _manage_context(request, survey, invitation_form=form), status=400
        )
    issued = services.create_invitations(
        survey=survey,
        organisations=form.cleaned_data["organisations"],
        per_organisation=form.cleaned_data["per_organisation"],
        user=request.user,
    )
    links = [
        (item.invitation.organisation, request.build_absolute_uri(reverse("surveys:respond", args=[item.token])))
        for item in issued
    ]
    if form.cleaned_data["output"] == "csv":
        rows = [[_("organisation"), _("kind"), _("link")]]
        rows += [[str(o or ""), o.get_kind_display() if o else "", url] for o, url in links]
        content = exchange.as_csv(rows, csv_dialects.dialect_for(None, current_language()))
        response = HttpResponse(content, content_type="text/csv; charset=utf-8")
        name = f"{slugify(survey.key)}-{survey.year}-invitations.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "no-store"
        return response
    response = render(request, "surveys/invitations.html", {"region": survey.region, "survey": survey, "links": links})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def open_link(request: HttpRequest, region_slug: str, pk: int) -> HttpResponse:
    survey = _managed(request, region_slug, pk)
    services.enable_open_link(survey=survey, user=request.user)
    messages.success(request, _("The open link is ready: anyone who has it may answer."))
    return redirect("surveys:manage", survey.region.slug, survey.pk)


@login_required
@require_POST
def import_answers(request: HttpRequest, region_slug: str, pk: int) -> HttpResponse:
    survey = _managed(request, region_slug, pk)
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            form.add_error("file", _("The file is larger than 10 MB."))
        else:
            try:
                summary = exchange.import_answers(
                    survey=survey, name=upload.name or "", content=upload.read(), user=request.user
                )
            except services.SurveyError as exc:
                form.add_error("file", _("Nothing was imported. %(error)s") % {"error": exc})
            else:
                messages.success(request, _("Answers imported: %(summary)s.") % {"summary": summary})
                return redirect("surveys:manage", survey.region.slug, survey.pk)
    return render(request, "surveys/manage.html", _manage_context(request, survey, import_form=form), status=400)


def _file(request: HttpRequest, rows: list[list[Any]], *, survey: Survey, what: str, fmt: str) -> HttpResponse:
    """The rows as XLSX, or as CSV in the dialect of `?dialect=` or else of the interface's language."""
    if fmt not in ("csv", "xlsx"):
        raise Http404("csv or xlsx")
    name = f"{slugify(survey.key)}-{survey.year}-{what}.{fmt}"
    if fmt == "xlsx":
        content = exchange.as_xlsx(rows, title=f"{survey.key} {survey.year}")
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    else:
        dialect = csv_dialects.dialect_for(request.GET.get("dialect"), current_language())
        response = HttpResponse(exchange.as_csv(rows, dialect), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def export_answers(request: HttpRequest, region_slug: str, pk: int, fmt: str) -> HttpResponse:
    survey = _managed(request, region_slug, pk)
    return _file(request, exchange.answer_rows(survey), survey=survey, what="answers", fmt=fmt)


@login_required
@require_GET
def export_results(request: HttpRequest, region_slug: str, pk: int, fmt: str) -> HttpResponse:
    survey = _survey(_region(request, region_slug), pk)
    return _file(request, exchange.result_rows(survey), survey=survey, what="results", fmt=fmt)


@login_required
@require_GET
def results(request: HttpRequest, region_slug: str, pk: int) -> HttpResponse:
    region = _region(request, region_slug)
    survey = _survey(region, pk)
    moderator = can_moderate_survey_answers(request.user, region)
    context = {
        "region": region,
        "survey": survey,
        "found": selectors.survey_results(survey, moderator=moderator),
        "moderator": moderator,
        "may_manage": can_manage_surveys(request.user, region),
        "counts": selectors.open_answer_counts(survey),
    }
    return render(request, "surveys/results.html", context)


@require_GET
def public_results(request: HttpRequest, region_slug: str, pk: int) -> HttpResponse:
    """A survey's published results for anyone who may see the region's dashboard: small groups hidden, only the
    approved open answers. A survey whose results are not published is not found."""
    region = region_for(request, region_slug, may=can_view_dashboard)
    try:
        survey = selectors.published_survey(region, pk)
    except selectors.NotFound as exc:
        raise Http404(str(exc)) from exc
    context = {
        "region": region,
        "survey": survey,
        "found": selectors.survey_results(survey, public=True),
        "public": True,
        "moderator": False,
        "api_url": reverse("reports:api_survey_results", args=[survey.pk]),
    }
    return render(request, "surveys/public_results.html", context)


@login_required
@require_POST
def moderate(request: HttpRequest, region_slug: str, pk: int, answer_pk: int) -> HttpResponse:
    region = _region(request, region_slug)
    survey = _survey(region, pk)
    if not can_moderate_survey_answers(request.user, region):
        raise PermissionDenied
    answer = (
        Answer.objects.select_related("response__survey__region", "question")
        .filter(pk=answer_pk, response__survey=survey)
        .first()
    )
    if answer is None:
        raise Http404("no such answer")
    form = ModerationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to publish the answer."))
    else:
        try:
            services.moderate(answer=answer, publish=form.cleaned_data["decision"] == "publish", user=request.user)
        except services.SurveyError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Saved: %(state)s.") % {"state": answer.get_moderation_display()})
    return redirect(f"{reverse('surveys:results', args=[region.slug, survey.pk])}#answer-{answer.pk}")


# -- respondents ----------------------------------------------------------------------------------------------


def _respond(
    request: HttpRequest, survey: Survey, *, invitation: Invitation | None, action: str, preview: bool = False
) -> HttpResponse:
    questions = selectors.questions_of(survey)
    ask_kind = invitation is None and survey.asks_organisation_kind
    context: dict[str, Any] = {"survey": survey, "invitation": invitation, "action": action, "preview": preview}
    if not preview and not services.is_accepting(survey):
        return render(
            request, "surveys/closed.html", context, status=410 if survey.status == SurveyStatus.CLOSED else 404
        )
    if invitation is not None and invitation.used_at is not None and request.method == "GET":
        return render(request, "surveys/used.html", context)
    form = ResponseForm(request.POST or None, questions=questions, ask_kind=ask_kind)
    status = 200
    if request.method == "POST" and not preview:
        if form.is_valid():
            try:
                services.submit_response(
                    survey=survey,
                    values=form.values(),
                    invitation=invitation,
                    organisation_kind=form.cleaned_data.get("organisation_kind") or "",
                    questions=questions,
                )
            except services.AlreadyAnswered as exc:
                form.add_error(None, str(exc))
                status = 409
            except services.SurveyError as exc:
                question = next((q for q in questions if q.key == exc.field), None)
                form.add_error(field_name(question) if question else None, str(exc))
                status = 400
            else:
                return redirect("surveys:thanks", survey.pk)
        else:
            status = 400
    context["form"] = form
    return render(request, "surveys/respond.html", context, status=status)


@require_http_methods(["GET", "POST"])
def respond(request: HttpRequest, token: str) -> HttpResponse:
    """The form behind a single-use invitation. The token is the only key: no sign-in."""
    invitation = services.invitation_for(token)
    if invitation is None:
        raise Http404("no such invitation")
    return _respond(request, invitation.survey, invitation=invitation, action=reverse("surveys:respond", args=[token]))


def _open_answer_limits(request: HttpRequest, kwargs: dict[str, Any]) -> list[limits.Rule]:
    """Answers through one open link per hour: from one address, and in all (settings.SURVEY_OPEN_ANSWERS_*)."""
    key, address = str(kwargs.get("key", "")), limits.client_address(request)
    return [
        limits.Rule("survey-open-address", f"{key}:{address}", settings.SURVEY_OPEN_ANSWERS_PER_ADDRESS, limits.HOUR),
        limits.Rule("survey-open-link", key, settings.SURVEY_OPEN_ANSWERS_PER_LINK, limits.HOUR),
    ]


@require_http_methods(["GET", "POST"])
@limits.limit_posts(_open_answer_limits)
def open_respond(request: HttpRequest, key: str) -> HttpResponse:
    survey = Survey.objects.select_related("region").filter(open_key=key).first() if key else None
    if survey is None:
        raise Http404("no such survey")
    return _respond(request, survey, invitation=None, action=reverse("surveys:open", args=[key]))


@login_required
@require_GET
def preview(request: HttpRequest, region_slug: str, pk: int) -> HttpResponse:
    survey = _managed(request, region_slug, pk)
    return _respond(request, survey, invitation=None, action="", preview=True)


@require_GET
def thanks(request: HttpRequest, pk: int) -> HttpResponse:
    survey = Survey.objects.exclude(status=SurveyStatus.DRAFT).filter(pk=pk).first()
    if survey is None:
        raise Http404("no such survey")
    return render(request, "surveys/thanks.html", {"survey": survey})
