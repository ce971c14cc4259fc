"""The grants part of the demo: Etelä-Savo's priorities of the year proposed from the bundled data and
published, Mikkeli's open round and the county's decided round with synthetic applications (marked demo data
in the data and in the pages), two reviewers' scores and an allocation within the budget, and the demo reviewer
`demo-arvioija`. Idempotent: a second run changes nothing."""

import csv
import datetime
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from tilannekuva.databank.models import Indicator
from tilannekuva.databank.sources.sotkanet_snapshot import SOURCE_KEY as SNAPSHOT_SOURCE
from tilannekuva.regions.models import Area, Organisation, OrganisationKind, Region, RegionRole, RoleKind
from tilannekuva.regions.selectors import members_of
from tilannekuva.regions.validators import business_id_is_valid
from tilannekuva.strategy.models import Direction

from . import scoring, services
from .models import GrantRound, Principles, PriorityStatus, RoundReviewer

DEMO_REGION = "etela-savo"
DEMO_REVIEWER = "demo-arvioija"
SECOND_REVIEWER = "demo-koordinaattori"  # made by the follow-up's demo; created here too if missing
DIRECTIONS_FILE = "grants/direction-judgements-sotkanet-2013.csv"
REASONING = (
    "Painopisteet nousevat Etelä-Savon hyvinvointitiedosta: tietopankin indikaattorit, jotka ovat koko maata "
    "heikompia tai heikentyneet viiden vuoden aikana. Ehdotus on laskettu demossa mukana olevasta Sotkanetin "
    "vuoden 2013 tilannekuvasta (tiedot vuoteen 2012 asti), joten se kuvaa silloista tilannetta; päivitä tiedot "
    "komennolla tilannekuva import sotkanet ennen oikeaa käyttöä. DEMO: perustelut ovat esimerkki."
)
# Synthetic associations: the "DEMO" in every name shows in the pages; business ids are made up but valid.
APPLICANTS = [
    ("DEMO Savon Nuorisoverkosto ry", "9990001", "Nuorten olohuone", ["young"], ["491", "740"], "18000", "6000"),
    (
        "DEMO Mikkelin Seudun Omaishoitajat ry",
        "9990002",
        "Omaishoitajien vertaistuki",
        ["older", "families"],
        ["491"],
        "9000",
        "4000",
    ),
    ("DEMO Etelä-Savon Työttömät ry", "9990003", "Työllisyyskahvila", ["unemployed"], ["491", "178"], "15000", "5500"),
    ("DEMO Liikkuva Kylä ry", "9990004", "Kylien liikuntaryhmät", ["everyone", "older"], ["491"], "6000", "3500"),
    (
        "DEMO Mielenterveysseura Savotta ry",
        "9990005",
        "Matalan kynnyksen keskusteluapu",
        ["young", "working_age"],
        ["491", "740", "178"],
        "30000",
        "6000",
    ),
]
# (reviewer, application index) -> scores of the scored criteria in order
SCORES = [
    [4, 3, 4],
    [3, 4, 3],
    [5, 3, 4],
    [2, 3, 2],
    [4, 4, 5],
]


def business_id(digits: str) -> str:
    """The demo business id with the seven `digits` and the check digit that tilannekuva.regions.validators accepts."""
    for check in range(10):
        if business_id_is_valid(f"{digits}-{check}"):
            return f"{digits}-{check}"
    raise ValueError(f"{digits} has no valid check digit")


def _user(username: str, password: str) -> Any:
    user, _created = get_user_model().objects.get_or_create(
        username=username, defaults={"email": f"{username}@localhost"}
    )
    user.set_password(password)
    user.save()
    return user


def apply_direction_judgements() -> int:
    """The bundled 2013 snapshot has no directions; set the project's judgements (data/SOURCES.md) on its
    indicators whose direction is still unset, as an administrator would in the data bank's admin."""
    path = settings.DATA_DIR / DIRECTIONS_FILE
    changed = 0
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            changed += Indicator.objects.filter(
                source__key=SNAPSHOT_SOURCE, external_id=row["indicator"], direction=Direction.NEUTRAL
            ).update(direction=row["direction"])
    return changed


def _principles(region: Region, year: int, admin: Any) -> Principles:
    principles = Principles.objects.filter(region=region, year=year).first()
    if principles is not None and principles.is_published:
        return principles
    principles = services.apply_proposal(region=region, year=year, user=admin)
    for priority in principles.priorities.filter(status=PriorityStatus.PROPOSED):
        services.update_priority(
            priority=priority,
            user=admin,
            status=PriorityStatus.ACCEPTED,
            weight=priority.weight,
            title=priority.title,
            description=priority.description,
        )
    services.add_priority(
        principles=principles,
        user=admin,
        title="Järjestöjen yhteistyö ja vapaaehtoistoiminta",
        description="DEMO: työryhmän lisäämä painopiste, ei tiedosta laskettu.",
        weight=2,
    )
    return services.publish(principles=principles, user=admin, reasoning=REASONING)


def _round(principles: Principles, funder: Organisation, **fields: Any) -> tuple[GrantRound, bool]:
    found = GrantRound.objects.filter(principles=principles, funder=funder, is_demo=True).first()
    if found is not None:
        return found, False
    return GrantRound.objects.create(principles=principles, funder=funder, is_demo=True, **fields), True


DEMO_IBAN = "FI21 1234 5600 0007 85"  # the banks' published example account: no real association's


def _apply(grant_round: GrantRound, which: list[int], areas: dict[str, Area], today: datetime.date) -> list[Any]:
    priorities = scoring.accepted_priorities(grant_round.principles)
    made = []
    for n, index in enumerate(which):
        name, digits, activity, groups, codes, budget, applied = APPLICANTS[index]
        chosen = [priorities[(index + k) % len(priorities)] for k in range(1 + index % 2)]
        made.append(
            services.submit_application(
                grant_round=grant_round,
                association=name,
                business_id=business_id(digits),
                email=f"demo-{digits}@localhost",
                contact_person="DEMO Yhteyshenkilö",
                signatory="DEMO Puheenjohtaja",
                iban=DEMO_IBAN,
                privacy_notice=True,
                activity=activity,
                description=f"DEMO: synteettinen esimerkkihakemus ({activity.lower()}).",
                target_groups=groups,
                priorities=chosen,
                municipalities=[areas[c] for c in codes if c in areas],
                total_budget=Decimal(budget),
                amount_applied=Decimal(applied),
                earlier_grants="DEMO: ei aiempia avustuksia." if n % 2 else "",
                is_demo=True,
                today=today,
            ).application
        )
    return made


def _score(applications: list[Any], reviewers: list[Any], scored: list[Any]) -> None:
    for application in applications:
        index = next(i for i, a in enumerate(APPLICANTS) if a[0] == application.association)
        for shift, reviewer in enumerate(reviewers):
            values = [max(0, min(5, s - shift)) for s in SCORES[index]]
            services.score_application(
                application=application,
                user=reviewer,
                scores={c.pk: values[i % len(values)] for i, c in enumerate(scored)},
                comment="DEMO: esimerkkiarvio.",
            )


def load_demo_data(*, password: str) -> Iterator[str]:
    region = Region.objects.filter(slug=DEMO_REGION).select_related("area").first()
    admin = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    if region is None or admin is None:
        yield "Grants demo skipped: no Etelä-Savo or no administrator (--no-admin)."
        return
    with transaction.atomic():  # all or nothing, so that a second run finds either everything or nothing
        lines = _load(region, admin, password)
    yield from lines


def _load(region: Region, admin: Any, password: str) -> list[str]:
    directions = apply_direction_judgements()
    reviewer = _user(DEMO_REVIEWER, password)
    RegionRole.objects.get_or_create(user=reviewer, region=region, role=RoleKind.VIEWER)
    second = _user(SECOND_REVIEWER, password)
    today = timezone.localdate()
    year = today.year
    principles = _principles(region, year, admin)
    areas = {a.code: a for a in members_of(region.area, year=year)}
    mikkeli = Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY, area__code="491").first()
    county = Organisation.objects.filter(name="Etelä-Savon hyvinvointialue").first()
    scored = scoring.scored_criteria(principles)
    lines = []
    if county is not None:
        closed, created = _round(
            principles,
            county,
            title=f"Hyvinvointialueen järjestöavustukset {year} (DEMO)",
            opens_on=today - datetime.timedelta(days=90),
            closes_on=today - datetime.timedelta(days=30),
            budget=Decimal("15000"),
            max_grant=Decimal("6000"),
            min_score=50,
            eligibility="DEMO: rekisteröidyt yhdistykset, joiden toiminta tukee alueen asukkaiden hyvinvointia.",
        )
        if created:
            for user in (reviewer, second):
                RoundReviewer.objects.get_or_create(round=closed, user=user, defaults={"named_by": admin})
            made = _apply(closed, [0, 2, 3, 4], areas, closed.opens_on)
            _score(made, [reviewer, second], scored)
            proposal = scoring.allocation_proposal(closed)
            services.record_decisions(grant_round=closed, user=admin, amounts=proposal)
        granted = sum(a.granted_amount or 0 for a in closed.applications.all())
        lines.append(f"{closed.title}: decided, {granted} € of {closed.budget} €")
    if mikkeli is not None:
        open_round, created = _round(
            principles,
            mikkeli,
            title=f"Mikkelin yhdistysavustukset {year} (DEMO)",
            opens_on=today - datetime.timedelta(days=14),
            closes_on=today + datetime.timedelta(days=45),
            budget=Decimal("12000"),
            max_grant=Decimal("6000"),
            min_score=50,
            eligibility="DEMO: mikkeliläiset rekisteröidyt yhdistykset; toiminnan on tapahduttava Mikkelissä.",
        )
        if created:
            RoundReviewer.objects.get_or_create(round=open_round, user=reviewer, defaults={"named_by": admin})
            RoundReviewer.objects.get_or_create(round=open_round, user=second, defaults={"named_by": admin})
            made = _apply(open_round, [0, 1, 3, 4], areas, today)
            # The second reviewer has scored all; demo-arvioija has scored two and has two left to try.
            _score(made, [second], scored)
            _score(made[:2], [reviewer], scored)
        proposal = scoring.allocation_proposal(open_round)
        lines.append(
            f"{open_round.title}: open, allocation proposal {sum(proposal.values())} € of {open_round.budget} €"
        )
    accepted = principles.priorities.filter(status=PriorityStatus.ACCEPTED).count()
    return [
        f"Grants: priorities of {year} published ({accepted} accepted; {directions} indicator directions set from "
        f"data/{DIRECTIONS_FILE}); " + "; ".join(lines) + ".",
        f"Demo reviewer: {DEMO_REVIEWER} (the demo administrator's password); the applications are synthetic "
        "DEMO data.",
    ]
