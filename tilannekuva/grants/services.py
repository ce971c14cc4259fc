"""Grants: the priority proposal from the data bank, the HYTE group's decisions on the priorities, applications,
independent scoring, the weighted score, ranking, the allocation proposal within the budget, and decisions.
Each write checks who may do it and runs in one transaction."""

import hashlib
import secrets
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from tilannekuva.audit.services import record
from tilannekuva.databank.binding import indicators_for
from tilannekuva.databank.models import Direction, Indicator, Observation
from tilannekuva.databank.regional import Aggregation, RegionSeries, region_series_many
from tilannekuva.followup.services import FollowupError, check_evidence_file
from tilannekuva.regions.models import Area, Region
from tilannekuva.regions.permissions import (
    can_manage_grant_round,
    can_review_grants,
    can_set_grant_priorities,
)
from tilannekuva.regions.selectors import members_of
from tilannekuva.regions.validators import business_id_is_valid
from tilannekuva.strategy.models import Metric

from .models import (
    Application,
    ApplicationStatus,
    Attachment,
    Criterion,
    CriterionKind,
    CriterionScore,
    GrantRound,
    Principles,
    PrinciplesStatus,
    Priority,
    PriorityOrigin,
    PriorityStatus,
    Review,
    RoundReviewer,
    TargetGroup,
)

# The proposal's rules (docs/DECISIONS.md, "Grant priorities from data"): the trend compares the latest value with
# the earliest one of the TREND_YEARS before it; a difference counts only beyond TOLERANCE of the compared value.
TREND_YEARS = 5
TOLERANCE = 0.02
MAX_WEIGHT = 5
SCORE_MAX = 5
MAX_ATTACHMENTS = 5
HYTE_GROUP_SUFFIX = "hyte-tyoryhma"
DEFAULT_CRITERIA = [
    # Content of the region's principles, in Finnish like the strategy; the group edits them in the admin.
    (
        "Vastaa alueen painopisteisiin",
        "Korkein hakemuksen valitsemien painopisteiden painoista suhteessa vuoden korkeimpaan painoon.",
        30,
        CriterionKind.PRIORITY_FIT,
    ),
    ("Vaikuttavuus ja tavoittavuus", "Tavoittaako toiminta kohderyhmänsä ja näkyykö sen vaikutus.", 30, "scored"),
    ("Toteuttamiskelpoisuus ja talous", "Onko suunnitelma ja talousarvio realistinen.", 20, "scored"),
    (
        "Yhteistyö ja yhdenvertaisuus",
        "Yhteistyö kuntien, hyvinvointialueen ja muiden järjestöjen kanssa.",
        20,
        "scored",
    ),
]


class GrantError(Exception):
    """The request cannot be carried out; `field` names the form field at fault, when there is one."""

    def __init__(self, message: str, *, field: str | None = None):
        self.field = field
        super().__init__(message)


# --- the priority proposal -------------------------------------------------------------------------------------


@dataclass
class Evidence:
    """Why one indicator is in the proposal: the region's latest value against the country's and its own past."""

    indicator_id: int
    title: str
    source: str
    unit: str
    direction: str
    direction_metric: str  # the bound metric whose direction is used; empty: the indicator's own
    year: int
    value: float
    country_value: float | None
    earlier_year: int | None
    earlier_value: float | None
    worse_than_country: bool
    worsening: bool
    vintage: str

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class ThemeProposal:
    theme: str
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def weight(self) -> int:
        """The proposed weight: one point per indicator in the theme, at most MAX_WEIGHT."""
        return min(MAX_WEIGHT, len(self.evidence))


@dataclass
class Proposal:
    themes: list[ThemeProposal]
    assessed: int
    unknown_direction: list[str]
    not_comparable: list[str]
    vintages: list[str]

    @property
    def vintage_text(self) -> str:
        return "; ".join(self.vintages)


def worse(value: float, than: float, direction: str) -> bool:
    """`value` is worse than `than` by more than TOLERANCE of `than`, in the indicator's direction."""
    margin = abs(than) * TOLERANCE
    if direction == Direction.HIGHER_IS_BETTER:
        return value < than - margin
    if direction == Direction.LOWER_IS_BETTER:
        return value > than + margin
    return False


def assess_series(series: RegionSeries, *, direction: str, direction_metric: str, vintage: str) -> Evidence | None:
    """The evidence of one indicator, or None when it is neither worse than the country nor worsening (or
    cannot be compared: no region value, or neither a country value nor an earlier value)."""
    years = [y for y in series.years if (f := series.region.get(y)) is not None and f.value is not None]
    if not years:
        return None
    year = years[-1]
    value = series.region[year].value
    assert value is not None
    earlier_years = [y for y in years if year - TREND_YEARS <= y < year]
    earlier_year = earlier_years[0] if earlier_years else None
    earlier_value = series.region[earlier_year].value if earlier_year is not None else None
    country_value = series.country_value(year)
    worse_than_country = country_value is not None and worse(value, country_value, direction)
    worsening = earlier_value is not None and worse(value, earlier_value, direction)
    if not (worse_than_country or worsening):
        return None
    indicator = series.indicator
    return Evidence(
        indicator_id=indicator.pk,
        title=indicator.title_fi,
        source=f"{indicator.source.name} {indicator.external_id}",
        unit=indicator.unit,
        direction=direction,
        direction_metric=direction_metric,
        year=year,
        value=value,
        country_value=country_value,
        earlier_year=earlier_year,
        earlier_value=earlier_value,
        worse_than_country=worse_than_country,
        worsening=worsening,
        vintage=vintage,
    )


def comparable(series: RegionSeries) -> bool:
    """Has a region value and something to compare it with: the country's value or an earlier value."""
    years = [y for y in series.years if (f := series.region.get(y)) is not None and f.value is not None]
    if not years:
        return False
    return series.country_value(years[-1]) is not None or any(years[-1] - TREND_YEARS <= y < years[-1] for y in years)


def theme_of(indicator: Indicator) -> str:
    """The indicator's group at its source (the 2013 snapshot's "TILASTOLLINEN HYVINVOINTI"), else its source."""
    group = indicator.metadata.get("group") if isinstance(indicator.metadata, dict) else None
    if isinstance(group, str) and group.strip():
        return group.strip().capitalize()
    return indicator.source.name


def metric_directions(region: Region) -> dict[int, tuple[str, str]]:
    """Indicator id -> (direction, the metric's title) for the indicators the region's metrics are bound to; the
    newest version's metric wins."""
    metrics = list(
        Metric.objects.filter(version__strategy__region=region)
        .exclude(direction=Direction.NEUTRAL)
        .order_by("-version__year")
    )
    by_pk = {m.pk: m for m in metrics}
    found: dict[int, tuple[str, str]] = {}
    for metric_pk, indicator in indicators_for(metrics).items():
        metric = by_pk[metric_pk]
        found.setdefault(indicator.pk, (metric.direction, metric.title[:200]))
    return found


def propose(*, region: Region) -> Proposal:
    """The region's indicators that are worse than the country's or worsening, grouped by theme.

    Every indicator with data for the region or its municipalities is looked at. Its direction comes from the
    indicator's metadata, else from a metric of the region's strategy bound to it; an indicator whose direction
    is unknown is left out (and listed), because "worse" cannot be told without it."""
    area_ids = {region.area_id, *(m.pk for m in members_of(region.area, year=timezone.localdate().year))}
    indicator_ids = set(
        Observation.objects.filter(area_id__in=area_ids, classification="")
        .values_list("indicator_id", flat=True)
        .distinct()
    )
    indicators = list(Indicator.objects.filter(pk__in=indicator_ids).select_related("source").order_by("title_fi"))
    bound = metric_directions(region)
    directed: list[tuple[Indicator, str, str]] = []
    unknown = []
    for indicator in indicators:
        if indicator.direction != Direction.NEUTRAL:
            directed.append((indicator, indicator.direction, ""))
        elif indicator.pk in bound:
            directed.append((indicator, *bound[indicator.pk]))
        else:
            unknown.append(indicator.title_fi)
    all_series = region_series_many([(i, Aggregation.REGION_VALUE) for i, _d, _f in directed], area=region.area)
    themes: dict[str, ThemeProposal] = {}
    not_comparable = []
    vintages: set[str] = set()
    assessed = 0
    for (indicator, direction, direction_metric), series in zip(directed, all_series, strict=True):
        if not comparable(series):
            not_comparable.append(indicator.title_fi)
            continue
        assessed += 1
        vintage = indicator.vintage or _("%(source)s, data up to %(year)s") % {
            "source": indicator.source.name,
            "year": max(series.years),
        }
        vintages.add(vintage)
        evidence = assess_series(series, direction=direction, direction_metric=direction_metric, vintage=vintage)
        if evidence is not None:
            theme = theme_of(indicator)
            themes.setdefault(theme, ThemeProposal(theme)).evidence.append(evidence)
    ordered = sorted(themes.values(), key=lambda t: (-len(t.evidence), t.theme))
    return Proposal(ordered, assessed, unknown, not_comparable, sorted(vintages))


def hyte_group_key(region: Region) -> str:
    """The key of the region's HYTE working group in its latest strategy version ("hyte-tyoryhma" in Etelä-Savo)."""
    from tilannekuva.strategy.models import Group

    keys = (
        Group.objects.filter(version__strategy__region=region).values_list("key", flat=True).order_by("-version__year")
    )
    return next((k for k in keys if k == HYTE_GROUP_SUFFIX or k.endswith("-" + HYTE_GROUP_SUFFIX)), "")


def principles_of(region: Region, year: int) -> Principles:
    """The year's principles, created as a draft with the default criteria on first use."""
    principles, created = Principles.objects.get_or_create(
        region=region, year=year, defaults={"group_key": hyte_group_key(region)}
    )
    if created:
        Criterion.objects.bulk_create(
            Criterion(principles=principles, title=t, description=d, weight=w, kind=k, position=i)
            for i, (t, d, w, k) in enumerate(DEFAULT_CRITERIA)
        )
    return principles


def _check_group(user: Any, principles: Principles) -> None:
    if not can_set_grant_priorities(user, region=principles.region, group_key=principles.group_key):
        raise PermissionDenied


def _describe(theme: ThemeProposal) -> str:
    """The proposed priority's description: content, written in Finnish like the strategy and the indicators'
    titles (the group edits it), whatever the language of the page that proposed it."""
    lines = []
    with translation.override("fi"):
        for e in theme.evidence:
            reasons = []
            if e.worse_than_country:
                reasons.append(_("worse than the country"))
            if e.worsening:
                reasons.append(_("worsening since %(year)s") % {"year": e.earlier_year})
            lines.append(f"{e.title} ({', '.join(reasons)})")
    return "\n".join(lines)


@transaction.atomic
def apply_proposal(*, region: Region, year: int, user: Any) -> Principles:
    """Compute the proposal and put it on the year's draft: the data's proposals are replaced by the new ones,
    while the priorities the group has accepted, rejected or added stay as they are."""
    principles = principles_of(region, year)
    _check_group(user, principles)
    if principles.is_published:
        raise GrantError(_("The priorities of %(year)s are published and can no longer be changed.") % {"year": year})
    proposal = propose(region=region)
    kept = principles.priorities.exclude(origin=PriorityOrigin.DATA, status=PriorityStatus.PROPOSED)
    kept_themes = {p.theme for p in kept if p.origin == PriorityOrigin.DATA}
    principles.priorities.filter(origin=PriorityOrigin.DATA, status=PriorityStatus.PROPOSED).delete()
    start = (max((p.position for p in kept), default=-1)) + 1
    new = [
        Priority(
            principles=principles,
            theme=theme.theme,
            title=theme.theme,
            description=_describe(theme),  # content, in Finnish like the strategy (see _describe)
            weight=theme.weight,
            origin=PriorityOrigin.DATA,
            status=PriorityStatus.PROPOSED,
            evidence=[e.as_json() for e in theme.evidence],
            position=start + i,
        )
        for i, theme in enumerate(t for t in proposal.themes if t.theme not in kept_themes)
    ]
    Priority.objects.bulk_create(new)
    principles.data_vintage = proposal.vintage_text
    principles.proposed_at = timezone.now()
    principles.save(update_fields=["data_vintage", "proposed_at"])
    record(
        actor=user,
        obj=principles,
        action="changed",
        region=region,
        note=_("Priorities proposed from the data: %(count)s themes from %(assessed)s indicators assessed.")
        % {"count": len(new), "assessed": proposal.assessed},
    )
    return principles


@transaction.atomic
def update_priority(
    *, priority: Priority, user: Any, status: str, weight: int, title: str, description: str
) -> Priority:
    principles = priority.principles
    _check_group(user, principles)
    if principles.is_published:
        raise GrantError(
            _("The priorities of %(year)s are published and can no longer be changed.") % {"year": principles.year}
        )
    if status not in PriorityStatus.values:
        raise GrantError(_("Choose whether the priority is accepted or rejected."), field="status")
    if not 1 <= weight <= MAX_WEIGHT:
        raise GrantError(_("The weight is a whole number from 1 to %(max)s.") % {"max": MAX_WEIGHT}, field="weight")
    if not title.strip():
        raise GrantError(_("Give the priority a title."), field="title")
    before = {"status": priority.status, "weight": priority.weight, "title": priority.title}
    priority.status, priority.weight, priority.title, priority.description = status, weight, title.strip(), description
    priority.save(update_fields=["status", "weight", "title", "description"])
    after = {"status": priority.status, "weight": priority.weight, "title": priority.title}
    changes = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
    record(actor=user, obj=priority, action="changed", region=principles.region, changes=changes)
    return priority


@transaction.atomic
def add_priority(
    *, principles: Principles, user: Any, title: str, description: str, weight: int, theme: str = ""
) -> Priority:
    _check_group(user, principles)
    if principles.is_published:
        raise GrantError(
            _("The priorities of %(year)s are published and can no longer be changed.") % {"year": principles.year}
        )
    if not title.strip():
        raise GrantError(_("Give the priority a title."), field="title")
    if not 1 <= weight <= MAX_WEIGHT:
        raise GrantError(_("The weight is a whole number from 1 to %(max)s.") % {"max": MAX_WEIGHT}, field="weight")
    position = (max((p.position for p in principles.priorities.all()), default=-1)) + 1
    priority = Priority.objects.create(
        principles=principles,
        title=title.strip(),
        description=description,
        weight=weight,
        theme=theme,
        origin=PriorityOrigin.GROUP,
        status=PriorityStatus.ACCEPTED,
        position=position,
    )
    record(actor=user, obj=priority, action="created", region=principles.region, note=title)
    return priority


@transaction.atomic
def publish(*, principles: Principles, user: Any, reasoning: str) -> Principles:
    """Publish the accepted priorities with the group's reasoning; proposals not decided on cannot remain."""
    _check_group(user, principles)
    if principles.is_published:
        raise GrantError(_("The priorities of %(year)s are already published.") % {"year": principles.year})
    if principles.priorities.filter(status=PriorityStatus.PROPOSED).exists():
        raise GrantError(_("Accept or reject every proposed priority before publishing."))
    if not principles.priorities.filter(status=PriorityStatus.ACCEPTED).exists():
        raise GrantError(_("Accept at least one priority before publishing."))
    if not reasoning.strip():
        raise GrantError(_("Write the reasoning that is published with the priorities."), field="reasoning")
    principles.status = PrinciplesStatus.PUBLISHED
    principles.reasoning = reasoning.strip()
    principles.published_at, principles.published_by = timezone.now(), user
    principles.save(update_fields=["status", "reasoning", "published_at", "published_by"])
    record(actor=user, obj=principles, action="approved", region=principles.region, note=_("Published"))
    return principles


def accepted_priorities(principles: Principles) -> list[Priority]:
    return list(principles.priorities.filter(status=PriorityStatus.ACCEPTED).order_by("position", "pk"))


# --- rounds and reviewers --------------------------------------------------------------------------------------


def is_open(grant_round: GrantRound, today: Any = None) -> bool:
    today = today or timezone.localdate()
    return grant_round.principles.is_published and grant_round.opens_on <= today <= grant_round.closes_on


def reviewer_ids(grant_round: GrantRound) -> set[int]:
    return set(grant_round.reviewers.values_list("user_id", flat=True))


def may_manage(user: Any, grant_round: GrantRound) -> bool:
    return can_manage_grant_round(user, region=grant_round.region, funder_id=grant_round.funder_id)


def may_review(user: Any, grant_round: GrantRound) -> bool:
    return can_review_grants(user, region=grant_round.region, reviewer_ids=reviewer_ids(grant_round))


@transaction.atomic
def name_reviewer(*, grant_round: GrantRound, user: Any, reviewer: Any) -> RoundReviewer:
    if not may_manage(user, grant_round):
        raise PermissionDenied
    if not reviewer.is_active:
        raise GrantError(_("%(name)s cannot sign in and cannot review.") % {"name": reviewer}, field="reviewer")
    named, created = RoundReviewer.objects.get_or_create(round=grant_round, user=reviewer, defaults={"named_by": user})
    if created:
        record(
            actor=user,
            obj=grant_round,
            action="changed",
            region=grant_round.region,
            changes={"reviewers": [None, str(reviewer)]},
        )
    return named


@transaction.atomic
def remove_reviewer(*, grant_round: GrantRound, user: Any, reviewer: Any) -> None:
    if not may_manage(user, grant_round):
        raise PermissionDenied
    if Review.objects.filter(application__round=grant_round, reviewer=reviewer).exists():
        raise GrantError(_("%(name)s has already scored applications and stays a reviewer.") % {"name": reviewer})
    RoundReviewer.objects.filter(round=grant_round, user=reviewer).delete()
    record(
        actor=user,
        obj=grant_round,
        action="changed",
        region=grant_round.region,
        changes={"reviewers": [str(reviewer), None]},
    )


# --- applications ----------------------------------------------------------------------------------------------


def valid_business_id(text: str) -> bool:
    """A Finnish business id (Y-tunnus) 1234567-8 whose check digit is right (tilannekuva.regions.validators)."""
    return business_id_is_valid(text.strip())


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def application_for_token(token: str) -> Application | None:
    return (
        Application.objects.select_related("round__principles__region", "round__funder")
        .filter(token_hash=token_hash(token))
        .first()
    )


@dataclass
class SubmittedApplication:
    application: Application
    token: str


@transaction.atomic
def submit_application(
    *,
    grant_round: GrantRound,
    association: str,
    business_id: str,
    email: str,
    activity: str,
    description: str,
    target_groups: Sequence[str],
    priorities: Sequence[Priority],
    municipalities: Sequence[Area],
    total_budget: Decimal,
    amount_applied: Decimal,
    earlier_grants: str = "",
    attachments: Sequence[UploadedFile] = (),
    status_url: Any = None,
    is_demo: bool = False,
    today: Any = None,
) -> SubmittedApplication:
    """Receive an application; nothing is written unless every field passes. `status_url(token)` gives the
    private link for the confirmation e-mail (none is sent without it)."""
    grant_round = GrantRound.objects.select_related("principles__region", "funder").get(pk=grant_round.pk)
    if not is_open(grant_round, today):
        raise GrantError(_("The round is not open for applications."))
    if not valid_business_id(business_id):
        raise GrantError(
            _("“%(value)s” is not a valid business id: write it as 1234567-8 with the right check digit.")
            % {"value": business_id},
            field="business_id",
        )
    unknown = [g for g in target_groups if g not in TargetGroup.values]
    if unknown or not target_groups:
        raise GrantError(_("Choose at least one target group."), field="target_groups")
    allowed = {p.pk for p in accepted_priorities(grant_round.principles)}
    if not priorities or any(p.pk not in allowed for p in priorities):
        raise GrantError(_("Choose the priorities of this round that the activity addresses."), field="priorities")
    members = {a.pk for a in members_of(grant_round.region.area, year=grant_round.year)}
    if not municipalities or any(m.pk not in members for m in municipalities):
        raise GrantError(
            _("Choose the municipalities of the region where the activity takes place."), field="municipalities"
        )
    if total_budget <= 0:
        raise GrantError(_("The budget of the activity must be more than zero."), field="total_budget")
    if amount_applied <= 0:
        raise GrantError(_("The amount applied must be more than zero."), field="amount_applied")
    if amount_applied > total_budget:
        raise GrantError(_("The amount applied cannot be more than the activity's budget."), field="amount_applied")
    if grant_round.max_grant is not None and amount_applied > grant_round.max_grant:
        raise GrantError(
            _("The largest grant of this round is %(max)s €.") % {"max": _euros(grant_round.max_grant)},
            field="amount_applied",
        )
    if len(attachments) > MAX_ATTACHMENTS:
        raise GrantError(_("At most %(count)s attachments.") % {"count": MAX_ATTACHMENTS}, field="attachments")
    for upload in attachments:
        try:
            check_evidence_file(upload)
        except FollowupError as exc:
            raise GrantError(f"{upload.name}: {exc}", field="attachments") from exc
    token = secrets.token_urlsafe(32)
    application = Application.objects.create(
        round=grant_round,
        association=association.strip(),
        business_id=business_id.strip(),
        email=email,
        activity=activity.strip(),
        description=description,
        target_groups=list(target_groups),
        total_budget=total_budget,
        amount_applied=amount_applied,
        earlier_grants=earlier_grants,
        token_hash=token_hash(token),
        is_demo=is_demo,
    )
    application.priorities.set(priorities)
    application.municipalities.set(municipalities)
    for upload in attachments:
        attachment = Attachment(application=application, name=(upload.name or "liite")[:200])
        attachment.file.save(upload.name or "liite", upload, save=True)
    # The applicant has no account: the trail records an anonymous visitor (the demo's applications: the system).
    applicant = None if is_demo else AnonymousUser()
    record(
        actor=applicant, obj=application, action="submitted", region=grant_round.region, note=application.association
    )
    if status_url is not None and not is_demo:
        link = status_url(token)
        transaction.on_commit(lambda: _confirm(application, link))
    return SubmittedApplication(application, token)


def _one_decimal(value: float | Decimal) -> Decimal:
    """Rounded half up to one decimal: number_format alone cuts off the further digits (3.67 → "3,6")."""
    return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _euros(amount: Decimal) -> str:
    """An amount in the language's number format, without cents when there are none: 12 500 or 12 500,50."""
    places = 0 if amount == amount.to_integral_value() else 2
    return number_format(amount, decimal_pos=places, use_l10n=True, force_grouping=True)


def _confirm(application: Application, link: str) -> None:
    subject = _("Your grant application has been received: %(round)s") % {"round": application.round.title}
    body = _(
        "Thank you. %(association)s's application “%(activity)s” (number %(number)s) has been received by "
        "%(funder)s.\n\nYou can see the application and its status at this private address; keep it to "
        "yourself:\n%(link)s\n"
    ) % {
        "association": application.association,
        "activity": application.activity,
        "number": application.pk,
        "funder": application.round.funder,
        "link": link,
    }
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [application.email])


# --- scoring ---------------------------------------------------------------------------------------------------


@transaction.atomic
def score_application(*, application: Application, user: Any, scores: dict[int, int], comment: str = "") -> Review:
    """A reviewer's scores (criterion id -> 0..5) for every scored criterion, given once."""
    grant_round = application.round
    if not may_review(user, grant_round):
        raise PermissionDenied
    if grant_round.decided_at is not None:
        raise GrantError(_("The round has been decided; scores can no longer be given."))
    if Review.objects.filter(application=application, reviewer=user).exists():
        raise GrantError(_("You have already scored this application."))
    criteria = scored_criteria(grant_round.principles)
    for criterion in criteria:
        value = scores.get(criterion.pk)
        if value is None or not 0 <= value <= SCORE_MAX:
            raise GrantError(
                _("Give “%(criterion)s” a score from 0 to %(max)s.") % {"criterion": criterion.title, "max": SCORE_MAX},
                field=f"criterion_{criterion.pk}",
            )
    review = Review.objects.create(application=application, reviewer=user, comment=comment)
    CriterionScore.objects.bulk_create(CriterionScore(review=review, criterion=c, score=scores[c.pk]) for c in criteria)
    record(
        actor=user,
        obj=application,
        action="changed",
        region=grant_round.region,
        note=_("Scored by %(reviewer)s") % {"reviewer": user},
    )
    return review


def scored_criteria(principles: Principles) -> list[Criterion]:
    return [c for c in principles.criteria.all() if c.kind == CriterionKind.SCORED]


@dataclass
class CriterionResult:
    criterion: Criterion
    score: float | None  # 0..5
    note: str

    @property
    def points(self) -> float | None:
        return None if self.score is None else self.score / SCORE_MAX


@dataclass
class WeightedScore:
    """An application's weighted score (0–100) and how it came about, criterion by criterion."""

    application: Application
    results: list[CriterionResult]
    reviews: int

    @property
    def total(self) -> float | None:
        weight = sum(r.criterion.weight for r in self.results)
        if not self.results or weight == 0 or any(r.score is None for r in self.results):
            return None
        return round(100 * sum(r.criterion.weight * (r.score or 0) / SCORE_MAX for r in self.results) / weight, 1)

    @property
    def explanation(self) -> list[str]:
        weight = sum(r.criterion.weight for r in self.results) or 1
        lines = []
        for r in self.results:
            share = round(100 * r.criterion.weight / weight)
            shown = "–" if r.score is None else number_format(_one_decimal(r.score), decimal_pos=1, use_l10n=True)
            lines.append(f"{r.criterion.title} ({share} %): {shown} / {SCORE_MAX}. {r.note}")
        return lines


def priority_fit(application_priorities: Iterable[Priority], all_priorities: Sequence[Priority]) -> tuple[float, str]:
    """0..5: the highest weight among the priorities addressed, against the highest weight of the year."""
    chosen = list(application_priorities)
    top = max((p.weight for p in all_priorities), default=0)
    if not chosen or top == 0:
        return 0.0, _("No priority addressed.")
    best = max(p.weight for p in chosen)
    names = ", ".join(f"{p.title} ({p.weight})" for p in sorted(chosen, key=lambda p: -p.weight))
    return SCORE_MAX * best / top, _(
        "Priorities addressed (weight): %(names)s; highest weight %(best)s of %(top)s."
    ) % {
        "names": names,
        "best": best,
        "top": top,
    }


def weighted_score(
    application: Application,
    *,
    criteria: Sequence[Criterion],
    all_priorities: Sequence[Priority],
    reviews: Sequence[Review],
) -> WeightedScore:
    """Each scored criterion's mean over the reviews given; the priority fit computed; weighted by the criteria's
    weights into 0–100. Without any review the score is not yet known."""
    results = []
    for criterion in criteria:
        if criterion.kind == CriterionKind.PRIORITY_FIT:
            score, note = priority_fit(application.priorities.all(), all_priorities)
            results.append(CriterionResult(criterion, score, note))
            continue
        values = [s.score for r in reviews for s in r.scores.all() if s.criterion_id == criterion.pk]
        if not values:
            results.append(CriterionResult(criterion, None, _("No reviews yet.")))
        else:
            mean = sum(values) / len(values)
            results.append(
                CriterionResult(
                    criterion,
                    mean,
                    _("Mean of %(count)s reviews: %(scores)s.")
                    % {
                        "count": len(values),
                        "scores": ", ".join(str(v) for v in values),
                    },
                )
            )
    return WeightedScore(application, results, len(reviews))


def round_scores(grant_round: GrantRound) -> list[WeightedScore]:
    """Every application of the round with its weighted score, in rank order (see `rank`)."""
    principles = grant_round.principles
    criteria = list(principles.criteria.all())
    priorities = accepted_priorities(principles)
    applications = grant_round.applications.prefetch_related("priorities", "reviews__scores", "municipalities")
    scores = [
        weighted_score(a, criteria=criteria, all_priorities=priorities, reviews=list(a.reviews.all()))
        for a in applications
    ]
    return rank(scores)


def rank(scores: list[WeightedScore]) -> list[WeightedScore]:
    """Highest weighted score first; a tie goes to the smaller amount applied, then the earlier application.
    Applications not yet scored come last."""
    return sorted(
        scores,
        key=lambda s: (
            s.total is None,
            -(s.total or 0),
            s.application.amount_applied,
            s.application.submitted_at,
            s.application.pk,
        ),
    )


# --- allocation ------------------------------------------------------------------------------------------------

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Claim:
    """What the allocation needs of an application: its place in the ranking, score and amount applied."""

    key: int
    score: float | None
    amount: Decimal


def allocate(
    claims: Sequence[Claim], *, budget: Decimal, min_score: float, max_grant: Decimal | None = None
) -> dict[int, Decimal]:
    """Greedy by rank: going down the ranking, each application scoring at least `min_score` gets what it applied
    for (at most `max_grant`) while money remains; the first that does not fit whole gets the rest (a partial
    grant) and the ones after it nothing. The sum never exceeds the budget."""
    remaining = max(Decimal(0), budget.quantize(CENT, rounding=ROUND_HALF_UP))
    if remaining > budget:
        remaining -= CENT
    granted: dict[int, Decimal] = {}
    for claim in claims:
        wanted = max(Decimal(0), claim.amount)
        if max_grant is not None:
            wanted = min(wanted, max(Decimal(0), max_grant))
        wanted = wanted.quantize(CENT, rounding=ROUND_HALF_UP)
        if claim.score is None or claim.score < min_score or remaining <= 0:
            granted[claim.key] = Decimal(0)
            continue
        grant = min(wanted, remaining)
        granted[claim.key] = grant
        remaining -= grant
    return granted


def allocation_proposal(grant_round: GrantRound, scores: Sequence[WeightedScore] | None = None) -> dict[int, Decimal]:
    scores = round_scores(grant_round) if scores is None else scores
    claims = [Claim(s.application.pk, s.total, s.application.amount_applied) for s in scores]
    return allocate(claims, budget=grant_round.budget, min_score=grant_round.min_score, max_grant=grant_round.max_grant)


@transaction.atomic
def record_decisions(
    *, grant_round: GrantRound, user: Any, amounts: dict[int, Decimal], notes: dict[int, str] | None = None
) -> GrantRound:
    """The funder's decision on every application: the amount granted (0 for none). The total stays within the
    budget and no grant exceeds what was applied for."""
    grant_round = GrantRound.objects.select_for_update().select_related("principles__region").get(pk=grant_round.pk)
    if not may_manage(user, grant_round):
        raise PermissionDenied
    applications = {a.pk: a for a in grant_round.applications.all()}
    if set(amounts) != set(applications):
        raise GrantError(_("Give an amount for every application (0 for no grant)."))
    total = Decimal(0)
    for pk, amount in amounts.items():
        application = applications[pk]
        if amount < 0:
            raise GrantError(
                _("Application %(number)s: the amount cannot be negative.") % {"number": pk}, field=f"amount_{pk}"
            )
        if amount > application.amount_applied:
            raise GrantError(
                _("Application %(number)s: the grant cannot be more than the %(applied)s € applied for.")
                % {"number": pk, "applied": _euros(application.amount_applied)},
                field=f"amount_{pk}",
            )
        total += amount
    if total > grant_round.budget:
        raise GrantError(
            _("The grants total %(total)s €, more than the budget of %(budget)s €.")
            % {"total": _euros(total), "budget": _euros(grant_round.budget)}
        )
    now = timezone.now()
    for pk, application in applications.items():
        amount = amounts[pk].quantize(CENT)
        if amount == 0:
            status = ApplicationStatus.REJECTED
        elif amount < application.amount_applied:
            status = ApplicationStatus.PARTLY_GRANTED
        else:
            status = ApplicationStatus.GRANTED
        before = [
            application.status,
            str(application.granted_amount) if application.granted_amount is not None else None,
        ]
        application.granted_amount, application.status = amount, status
        application.decision_note = (notes or {}).get(pk, application.decision_note)
        application.decided_at, application.decided_by = now, user
        application.save(update_fields=["granted_amount", "status", "decision_note", "decided_at", "decided_by"])
        record(
            actor=user,
            obj=application,
            action="approved",
            region=grant_round.region,
            changes={"decision": [before, [status, str(amount)]]},
        )
    grant_round.decided_at = now
    grant_round.save(update_fields=["decided_at"])
    return grant_round


def split(amount: Decimal, keys: Sequence[Any]) -> dict[Any, Decimal]:
    """`amount` in equal shares over `keys` (the report's rule for an application with several priorities,
    municipalities or target groups); the cents left over go to the first keys, so the shares sum to `amount`."""
    if not keys:
        return {}
    share = (amount / len(keys)).quantize(CENT, rounding="ROUND_DOWN")
    shares = dict.fromkeys(keys, share)
    left = amount - share * len(keys)
    for k in keys:
        if left <= 0:
            break
        shares[k] += CENT
        left -= CENT
    return shares


def by_key(pairs: Iterable[tuple[str, Decimal]]) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for key, amount in pairs:
        totals[key] += amount
    return dict(totals)
