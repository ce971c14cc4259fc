"""Grants, the writes: the HYTE group's decisions on the priorities (from the data's proposal, `proposals.py`),
rounds and their reviewers, applications, independent scoring (the weighted score and the allocation proposal
are in `scoring.py`), and the funder's decisions. Each write checks who may do it and runs in one transaction."""

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from tilannekuva.audit.services import record
from tilannekuva.followup.services import FollowupError, check_evidence_file
from tilannekuva.regions.models import Area, Region
from tilannekuva.regions.permissions import (
    can_set_grant_priorities,
)
from tilannekuva.regions.validators import business_id_is_valid

from .checks import application_errors, normal_iban
from .decisions import RoundStillOpen, check_closed
from .models import (
    Application,
    ApplicationStatus,
    Attachment,
    Conflict,
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
)
from .proposals import MAX_WEIGHT, description_of, propose
from .scoring import CENT, SCORE_MAX, scored_criteria
from .selectors import is_open, may_manage, may_review, token_hash

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
    """The request cannot be carried out; `field` names the form field at fault, when there is one, and `errors`
    lists every (field, message) found when there are several."""

    def __init__(self, message: str, *, field: str | None = None, errors: list[tuple[str, str]] | None = None):
        self.field = field
        self.errors = errors or [(field or "", message)]
        super().__init__(message)


# --- the priorities --------------------------------------------------------------------------------------------


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
            description=description_of(theme),  # content, in Finnish like the strategy (see description_of)
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


# --- rounds and reviewers --------------------------------------------------------------------------------------


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
    """A Finnish business id (Y-tunnus) 1234567-8 whose check digit is right (the PTV source's check)."""
    return business_id_is_valid(text.strip())


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
    contact_person: str = "",
    phone: str = "",
    signatory: str = "",
    iban: str = "",
    privacy_notice: bool = False,
    earlier_grants: str = "",
    attachments: Sequence[UploadedFile] = (),
    status_url: Any = None,
    is_demo: bool = False,
    today: Any = None,
) -> SubmittedApplication:
    """Receive an application; nothing is written unless every field passes (`checks.application_errors`: every
    fault at once, `GrantError.errors`). `status_url(token)` gives the private link for the confirmation e-mail
    (none is sent without it)."""
    grant_round = GrantRound.objects.select_related("principles__region", "funder").get(pk=grant_round.pk)
    if not is_open(grant_round, today):
        raise GrantError(_("The round is not open for applications."))
    errors = application_errors(
        grant_round,
        {
            "business_id": business_id,
            "contact_person": contact_person,
            "signatory": signatory,
            "iban": iban,
            "privacy_notice": privacy_notice,
            "target_groups": target_groups,
            "priorities": priorities,
            "municipalities": municipalities,
            "total_budget": total_budget,
            "amount_applied": amount_applied,
        },
    )
    if errors:
        raise GrantError(errors[0][1], field=errors[0][0], errors=errors)
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
        contact_person=contact_person.strip(),
        phone=phone.strip(),
        signatory=signatory.strip(),
        iban=normal_iban(iban),
        privacy_notice_seen_at=timezone.now(),
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
    if Conflict.objects.filter(application=application, reviewer=user).exists():
        raise GrantError(_("You declared a conflict of interest in this application and do not score it."))
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


@transaction.atomic
def record_decisions(
    *, grant_round: GrantRound, user: Any, amounts: dict[int, Decimal], notes: dict[int, str] | None = None
) -> GrantRound:
    """The funder's decision on every application: the amount granted (0 for none), only once the application
    period has ended (`decisions.check_closed`). The total stays within the budget and no grant exceeds what was
    applied for."""
    grant_round = GrantRound.objects.select_for_update().select_related("principles__region").get(pk=grant_round.pk)
    if not may_manage(user, grant_round):
        raise PermissionDenied
    try:
        check_closed(grant_round)
    except RoundStillOpen as exc:
        raise GrantError(str(exc)) from None
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
        before_status = application.status
        before_amount = str(application.granted_amount) if application.granted_amount is not None else None
        application.granted_amount, application.status = amount, status
        application.decision_note = (notes or {}).get(pk, application.decision_note)
        application.decided_at, application.decided_by = now, user
        application.save(update_fields=["granted_amount", "status", "decision_note", "decided_at", "decided_by"])
        record(  # the decision in words: the status's label and the amount as the reader's language shows it
            actor=user,
            obj=application,
            action="approved" if amount > 0 else "changed",
            region=grant_round.region,
            changes={"status": [before_status, status], "granted_amount": [before_amount, str(amount)]},
        )
    grant_round.decided_at = now
    grant_round.save(update_fields=["decided_at"])
    return grant_round
