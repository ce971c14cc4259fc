"""Surveys: creating a survey from a template, opening and closing it, inviting respondents, taking in an answer
exactly once per invitation, and moderating open answers. Each function checks who may do it and runs in one
transaction."""

import datetime
import hashlib
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from tilannekuva.audit.services import record
from tilannekuva.regions.models import Organisation, OrganisationKind, Region
from tilannekuva.regions.permissions import can_manage_surveys, can_moderate_survey_answers
from tilannekuva.strategy.models import Action, GoalLevel, StrategyVersion
from tilannekuva.strategy.selectors import root_goal_of, version_in_force

from . import survey_templates
from .models import (
    MIN_GROUP_SIZE,
    Answer,
    Choice,
    Distribution,
    Invitation,
    Moderation,
    Question,
    QuestionKind,
    Response,
    ResponseSource,
    Section,
    Survey,
    SurveyStatus,
    token_hash,
)

QUESTION_KEY_LENGTH = 80
TOKEN_BYTES = 24  # 32 URL-safe characters: guessing one is out of reach


class SurveyError(Exception):
    """The request cannot be carried out; `field` names the form field at fault, when there is one."""

    def __init__(self, message: str, *, field: str | None = None):
        self.field = field
        super().__init__(message)


class AlreadyAnswered(SurveyError):
    """The invitation has been used: its answers are in, and a second submission is refused."""


# -- building -------------------------------------------------------------------------------------------------


def _texts(data: Mapping[str, Any] | None, field: str) -> dict[str, str]:
    data = data or {}
    return {f"{field}_{lang}": str(data.get(lang, "")) for lang in ("fi", "sv", "en")}


def _add_question(survey: Survey, section: Section, position: int, spec: Mapping[str, Any]) -> Question:
    kind = QuestionKind(spec["kind"])
    scale = spec.get("scale") or [None, None]
    question = Question.objects.create(
        survey=survey,
        section=section,
        key=spec["key"],
        position=position,
        kind=kind,
        scale_min=scale[0],
        scale_max=scale[1],
        required=bool(spec.get("required", False)),
        **_texts(spec.get("text"), "text"),
        **_texts(spec.get("help"), "help"),
    )
    for index, choice in enumerate(spec.get("choices") or []):
        Choice.objects.create(question=question, position=index, value=choice["value"], **_texts(choice, "text"))
    # Labelled points of a scale (e.g. EUROHIS-QOL's "Very poor" … "Very good") are choices valued 1, 2, …
    for index, point in enumerate(spec.get("points") or []):
        Choice.objects.create(
            question=question, position=index, value=str(question.scale[index]), **_texts(point, "text")
        )
    return question


def _compass_sections(survey: Survey, version: StrategyVersion, spec: Mapping[str, Any]) -> None:
    """Seed 001's compass survey follows "tavoitteiden ja toimenpiteiden toteutumista": a section per main goal
    (its progress and a comment), then a section per interface or focus area with its situation question
    ("tilannekysely"), a comment and a progress question per action. Keys follow the strategy's keys."""
    goals = list(version.goals.filter(level=GoalLevel.MAIN_GOAL).order_by("position"))
    if not goals:
        goals = list(version.goals.filter(level=GoalLevel.GOAL).order_by("position"))
    if not goals:
        raise SurveyError(_("The strategy version of %(year)s has no goals to ask about.") % {"year": version.year})
    progress, comment = spec["goal_questions"]["progress"], spec["goal_questions"]["comment"]
    for index, goal in enumerate(goals):
        section = _section(survey, index, goal.title)
        _add_question(survey, section, 0, {**progress, "key": _question_key("goal", goal.key)})
        _add_question(survey, section, 1, {**comment, "key": _question_key("goal", goal.key, "comment")})
    situation, remark = spec["interface_questions"]["situation"], spec["interface_questions"]["comment"]
    action_progress = spec["action_questions"]["progress"]
    all_goals = {g.pk: g for g in version.goals.all()}
    actions: dict[int, list[Action]] = {}
    for action in version.actions.order_by("position"):
        actions.setdefault(root_goal_of(all_goals[action.goal_id], all_goals).pk, []).append(action)
    interfaces = version.goals.filter(level=GoalLevel.FOCUS_AREA).order_by("position")
    for index, interface in enumerate(interfaces, start=len(goals)):
        title = f"{interface.code}. {interface.title}" if interface.code else interface.title
        section = _section(survey, index, title)
        _add_question(survey, section, 0, {**situation, "key": _question_key("interface", interface.key)})
        _add_question(survey, section, 1, {**remark, "key": _question_key("interface", interface.key, "comment")})
        for position, action in enumerate(actions.get(interface.pk, []), start=2):
            texts = dict.fromkeys(("fi", "sv", "en"), action.title)
            _add_question(
                survey,
                section,
                position,
                {**action_progress, "key": _question_key("action", action.key), "text": texts},
            )


def _question_key(prefix: str, key: str, suffix: str = "") -> str:
    """prefix-KEY[-suffix]; a strategy key may be 80 characters, a question key no more than 80 in all, so a
    long one is cut and told apart by a hash of the whole."""
    found = "-".join(p for p in (prefix, key, suffix) if p)
    if len(found) <= QUESTION_KEY_LENGTH:
        return found
    digest = hashlib.sha256(found.encode()).hexdigest()[:8]
    return f"{found[: QUESTION_KEY_LENGTH - 9].rstrip('-')}-{digest}"


def _section(survey: Survey, position: int, title: str) -> Section:
    return Section.objects.create(
        survey=survey, position=position, title_fi=title[:300], title_sv=title[:300], title_en=title[:300]
    )


@transaction.atomic
def create_survey(*, region: Region, template: str, year: int, user: Any, key: str = "", title: str = "") -> Survey:
    """A draft survey of `year` from a shipped template (the compass survey from the goals of the strategy
    version in force that year) or blank. Its key is the template's unless given."""
    if not can_manage_surveys(user, region):
        raise PermissionDenied
    spec: dict[str, Any] = {} if template == survey_templates.BLANK else survey_templates.load(template)
    key = slugify(key) or spec.get("key") or slugify(title)
    if not key:
        raise SurveyError(_("Give the survey a title or a key."), field="title")
    if Survey.objects.filter(region=region, key=key, year=year).exists():
        raise SurveyError(
            _("%(region)s already has the survey %(key)s of %(year)s.") % {"region": region, "key": key, "year": year},
            field="year",
        )
    titles = _texts(spec.get("title"), "title")
    if title:
        titles["title_fi"] = title
    survey = Survey.objects.create(
        region=region,
        key=key,
        template="" if template == survey_templates.BLANK else template,
        year=year,
        **titles,
        **_texts(spec.get("intro"), "intro"),
        anonymous=bool(spec.get("anonymous", True)),
        asks_organisation_kind=bool(spec.get("asks_organisation_kind", False)),
        distribution=spec.get("distribution", Distribution.INVITATIONS),
        min_group_size=max(int(spec.get("min_group_size", MIN_GROUP_SIZE)), MIN_GROUP_SIZE),
        source=spec.get("source", ""),
        created_by=user,
    )
    if template == survey_templates.COMPASS:
        version = version_in_force(region, year)
        if version is None:
            raise SurveyError(_("The region has no strategy to take the goals from."), field="template")
        _compass_sections(survey, version, spec)
    for index, section_spec in enumerate(spec.get("sections") or []):
        section = Section.objects.create(survey=survey, position=index, **_texts(section_spec.get("title"), "title"))
        for position, question_spec in enumerate(section_spec.get("questions") or []):
            _add_question(survey, section, position, question_spec)
    if template == survey_templates.BLANK:
        Section.objects.create(survey=survey, position=0)
    record(actor=user, obj=survey, action="created", region=region, note=template)
    return survey


@transaction.atomic
def set_status(*, survey: Survey, status: str, user: Any) -> Survey:
    """Open a survey (it must have questions) or close it; a closed survey can be opened again."""
    if not can_manage_surveys(user, survey.region):
        raise PermissionDenied
    before = survey.status
    if status == SurveyStatus.OPEN and not survey.questions.exists():
        raise SurveyError(_("Add questions before opening the survey."))
    if status not in SurveyStatus.values:
        raise SurveyError(_("Unknown status."), field="status")
    if status != SurveyStatus.CLOSED and survey.results_published:
        raise SurveyError(_("The results are published: withdraw them before opening the survey again."))
    survey.status = status
    if status == SurveyStatus.OPEN and survey.opens_on is None:
        survey.opens_on = timezone.localdate()
    survey.save(update_fields=["status", "opens_on"])
    action = "opened" if status == SurveyStatus.OPEN else "changed"
    record(actor=user, obj=survey, action=action, region=survey.region, changes={"status": [before, status]})
    return survey


@dataclass
class IssuedInvitation:
    invitation: Invitation
    token: str


@transaction.atomic
def create_invitations(
    *, survey: Survey, organisations: Iterable[Organisation | None], per_organisation: int = 1, user: Any
) -> list[IssuedInvitation]:
    """Single-use invitations, `per_organisation` for each organisation; the tokens are returned this once and
    only their hashes are stored."""
    if not can_manage_surveys(user, survey.region):
        raise PermissionDenied
    if not 1 <= per_organisation <= 500:
        raise SurveyError(_("Between 1 and 500 invitations per organisation."), field="per_organisation")
    issued = []
    for organisation in organisations:
        for _n in range(per_organisation):
            token = secrets.token_urlsafe(TOKEN_BYTES)
            invitation = Invitation.objects.create(
                survey=survey, organisation=organisation, token_hash=token_hash(token)
            )
            issued.append(IssuedInvitation(invitation, token))
    if not issued:
        raise SurveyError(_("Choose at least one organisation."), field="organisations")
    record(
        actor=user,
        obj=survey,
        action="other",
        region=survey.region,
        note=_("%(count)s invitations") % {"count": len(issued)},
    )
    return issued


@transaction.atomic
def enable_open_link(*, survey: Survey, user: Any) -> Survey:
    """An open anonymous link anyone may answer through (each visit may answer once more: use invitations where
    every respondent must answer only once)."""
    if not can_manage_surveys(user, survey.region):
        raise PermissionDenied
    if not survey.open_key:
        survey.open_key = secrets.token_urlsafe(TOKEN_BYTES)
        survey.save(update_fields=["open_key"])
        record(actor=user, obj=survey, action="other", region=survey.region, note=_("Open link made"))
    return survey


@transaction.atomic
def publish_results(*, survey: Survey, publish: bool, user: Any) -> Survey:
    """Make a survey's results public (the public results page and the open data API: small groups hidden, only
    approved open answers) or withdraw them. Publishing is a decision on final results: only a closed survey's
    (an open one's would change with every answer, and differences between two views could single one out)."""
    if not can_manage_surveys(user, survey.region):
        raise PermissionDenied
    if publish and survey.status != SurveyStatus.CLOSED:
        raise SurveyError(_("Close the survey before publishing its results: only final results are published."))
    if publish == survey.results_published:
        return survey
    before = survey.results_published_at.isoformat() if survey.results_published_at else None
    now = timezone.now()
    survey.results_published_at = now if publish else None
    survey.save(update_fields=["results_published_at"])
    record(
        actor=user,
        obj=survey,
        action="changed",
        region=survey.region,
        note=_("Results published") if publish else _("Results withdrawn from the public"),
        changes={"results_published_at": [before, now.isoformat() if publish else None]},
    )
    return survey


# -- answering ------------------------------------------------------------------------------------------------


def is_accepting(survey: Survey, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    if survey.status != SurveyStatus.OPEN:
        return False
    if survey.opens_on and today < survey.opens_on:
        return False
    return not (survey.closes_on and today > survey.closes_on)


def invitation_for(token: str) -> Invitation | None:
    if not token or len(token) > 100:
        return None
    return (
        Invitation.objects.select_related("survey__region", "organisation").filter(token_hash=token_hash(token)).first()
    )


AnswerValue = int | str | list[str] | None


def clean_answers(questions: Iterable[Question], values: Mapping[str, AnswerValue]) -> dict[Question, AnswerValue]:
    """Each question's answer checked against its kind and scale; a fault names its question key. The
    questions come with their choices prefetched."""
    cleaned: dict[Question, AnswerValue] = {}
    for question in questions:
        value = values.get(question.key)
        empty = value is None or value == "" or value == []
        if empty:
            if question.required:
                raise SurveyError(_("Answer this question."), field=question.key)
            continue
        if question.is_scale:
            try:
                number = int(str(value).strip())
            except ValueError:
                raise SurveyError(_("“%(value)s” is not a number.") % {"value": value}, field=question.key) from None
            if number not in question.scale:
                raise SurveyError(
                    _("Choose a value from %(low)s to %(high)s.")
                    % {"low": question.scale_min, "high": question.scale_max},
                    field=question.key,
                )
            cleaned[question] = number
        elif question.is_choice:
            chosen = value if isinstance(value, list) else [str(value)]
            known = {c.value for c in question.choices.all()}
            unknown = [v for v in chosen if v not in known]
            if unknown or (question.kind == QuestionKind.SINGLE and len(chosen) != 1):
                raise SurveyError(_("Choose from the options given."), field=question.key)
            cleaned[question] = list(dict.fromkeys(chosen))
        else:
            text = str(value).strip()
            if len(text) > 10_000:
                raise SurveyError(_("At most 10 000 characters."), field=question.key)
            cleaned[question] = text
    return cleaned


def _answers(response: Response, cleaned: Mapping[Question, AnswerValue]) -> list[Answer]:
    rows = []
    for question, value in cleaned.items():
        if question.is_scale:
            rows.append(Answer(response=response, question=question, number=int(value)))  # type: ignore[arg-type]
        elif question.is_choice:
            by_value = {c.value: c for c in question.choices.all()}
            rows += [Answer(response=response, question=question, choice=by_value[v]) for v in value or []]  # type: ignore[union-attr]
        else:
            rows.append(Answer(response=response, question=question, text=str(value)))
    return rows


def submit_response(
    *,
    survey: Survey,
    values: Mapping[str, AnswerValue],
    invitation: Invitation | None = None,
    organisation_kind: str = "",
    questions: Iterable[Question] | None = None,
) -> Response:
    """Take in one respondent's answers. Through an invitation exactly once: in one transaction the invitation
    is marked used only if it was unused (one conditional UPDATE, so that two simultaneous submissions cannot
    both pass), and only then are the answers written. An anonymous survey keeps neither the invitation nor the
    organisation, only the organisation's kind. `questions` (with their choices) saves reading them again."""
    if invitation is not None and invitation.survey_id != survey.pk:
        raise SurveyError(_("The invitation is for another survey."))
    if not is_accepting(survey):
        raise SurveyError(_("The survey is not open for answers."))
    cleaned = clean_answers(survey.questions.prefetch_related("choices") if questions is None else questions, values)
    if organisation_kind and organisation_kind not in OrganisationKind.values:
        raise SurveyError(_("Choose a kind of organisation from the list."), field="organisation_kind")
    organisation = invitation.organisation if invitation is not None else None
    if organisation is not None:
        organisation_kind = organisation.kind
    with transaction.atomic():
        if invitation is not None:
            claimed = Invitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(used_at=timezone.now())
            if claimed != 1:
                raise AlreadyAnswered(
                    _("This invitation has already been used to answer. Your answers were not saved a second time.")
                )
        response = Response.objects.create(
            survey=survey,
            organisation=None if survey.anonymous else organisation,
            organisation_kind=organisation_kind,
            invitation=None if survey.anonymous else invitation,
            submitted_at=timezone.now(),
            source=ResponseSource.WEB,
        )
        Answer.objects.bulk_create(_answers(response, cleaned))
    return response


def write_response(
    *,
    survey: Survey,
    cleaned: Mapping[Question, AnswerValue],
    organisation_kind: str = "",
    submitted_at: datetime.datetime | None = None,
    source: str = ResponseSource.IMPORT,
    import_key: str = "",
) -> Response:
    """A response written as it is (imports, the demo); the caller has checked the answers and holds the
    transaction."""
    response = Response.objects.create(
        survey=survey,
        organisation_kind=organisation_kind,
        submitted_at=submitted_at or timezone.now(),
        source=source,
        import_key=import_key,
    )
    Answer.objects.bulk_create(_answers(response, cleaned))
    return response


# -- moderation -----------------------------------------------------------------------------------------------


@transaction.atomic
def moderate(*, answer: Answer, publish: bool, user: Any) -> Answer:
    """Publish an open answer (it shows on the results page to everyone who sees the results) or hide it."""
    survey = answer.response.survey
    if not can_moderate_survey_answers(user, survey.region):
        raise PermissionDenied
    if answer.question.kind != QuestionKind.TEXT:
        raise SurveyError(_("Only open answers are moderated."))
    before = answer.moderation
    answer.moderation = Moderation.PUBLISHED if publish else Moderation.HIDDEN
    answer.save(update_fields=["moderation"])
    record(
        actor=user,
        obj=survey,
        action="changed",
        note=_("Open answer moderated"),
        region=survey.region,
        changes={f"answer {answer.pk}": [before, answer.moderation]},
    )
    return answer
