"""Grants benchmark: the priority proposal over a national-size data bank for one region, and a big round's
ranking and allocation proposal (the assessment page's work), on PostgreSQL."""

import argparse
import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from bench import (
    add_record_arguments,
    machine,
    own_database,
    positive,
    reachable_server,
    record,
    run_in_fresh_interpreter,
    say,
    timed,
)

if TYPE_CHECKING:
    from tilannekuva.grants.models import GrantRound
    from tilannekuva.regions.models import Region

help = "grant priority proposal over a national-size data bank, and ranking + allocation of a big round"

DATABASE = "tilannekuva_bench_grants"
PROPOSAL_TARGET = 2.0  # seconds: the drafting page computes it on every visit
RANKING_TARGET = 1.0  # seconds: the assessment page ranks the round on every visit
HEADING = "## Grant priorities and assessment (grants)"
MARKER = "grants"
INTRO = """`python -m bench grants`: a fresh PostgreSQL database with the real areas and Etelä-Savo's strategy, then
SYNTHETIC data: `--indicators` indicators with a direction × 20 years × every municipality of Finland, the
maakunnat and the country (the size of a national Sotkanet import), and a round of `--applications`
SYNTHETIC applications with three reviewers' scores each. Timed: `grants.proposals.propose` for Etelä-Savo
(every indicator read, region figures, trend and country comparison) and `scoring.round_scores` +
`scoring.allocation_proposal` (what the assessment page does). Targets: proposal < 2 s, ranking < 1 s."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--indicators", type=positive, default=300, help="SYNTHETIC indicators (default 300)")
    parser.add_argument("--applications", type=positive, default=500, help="SYNTHETIC applications (default 500)")
    parser.add_argument("--repeat", type=positive, default=5, help="timed passes; the median is recorded (default 5)")
    add_record_arguments(parser, database=DATABASE)


def prepare(indicators: int, applications: int) -> tuple[int, "Region", "GrantRound"]:
    """Areas, Etelä-Savo's strategy, SYNTHETIC observations and a SYNTHETIC round with reviews."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from tilannekuva.databank.models import Direction, Indicator, Observation
    from tilannekuva.databank.services import source
    from tilannekuva.grants import scoring, services
    from tilannekuva.grants.models import Application, CriterionScore, GrantRound, Review, RoundReviewer
    from tilannekuva.regions.models import Area, AreaKind, Organisation, Region
    from tilannekuva.regions.services import load_areas
    from tilannekuva.strategy.yaml_import import import_file

    call_command("migrate", verbosity=0, interactive=False)
    load_areas()
    import_file(settings.STRATEGIES_DIR / "etela-savo.yaml")
    region = Region.objects.get(slug="etela-savo")
    areas = list(Area.objects.filter(kind__in=[AreaKind.MUNICIPALITY, AreaKind.MAAKUNTA, AreaKind.COUNTRY]))
    bench_source = source("synthetic-bench-grants")
    directions = [Direction.HIGHER_IS_BETTER, Direction.LOWER_IS_BETTER]
    made = Indicator.objects.bulk_create(
        Indicator(
            source=bench_source,
            external_id=str(n),
            title_fi=f"SYNTHETIC grants benchmark indicator {n}",
            direction=directions[n % 2],
            metadata={"group": f"SYNTHETIC THEME {n % 7}"},
        )
        for n in range(indicators)
    )
    rows = []
    for indicator in made:
        for area in areas:
            for year in range(2005, 2025):
                rows.append(
                    Observation(
                        indicator=indicator,
                        area=area,
                        year=year,
                        value=50 + ((indicator.pk * 7 + area.pk * 13 + year * 3) % 40) - (year - 2005) * 0.3,
                    )
                )
        if len(rows) > 200_000:
            Observation.objects.bulk_create(rows, batch_size=10_000)
            rows = []
    Observation.objects.bulk_create(rows, batch_size=10_000)

    admin = get_user_model().objects.create_superuser("bench-admin", password="bench-password-1")
    principles = services.principles_of(region, 2026)
    for n in range(6):
        title = f"SYNTHETIC {n}"
        services.add_priority(principles=principles, user=admin, title=title, description="", weight=1 + n % 5)
    services.publish(principles=principles, user=admin, reasoning="SYNTHETIC")
    today = datetime.date.today()
    grant_round = GrantRound.objects.create(
        principles=principles,
        funder=Organisation.objects.get(name="Etelä-Savon hyvinvointialue"),
        title="SYNTHETIC round",
        opens_on=today,
        closes_on=today,
        budget=Decimal("500000"),
        is_demo=True,
    )
    reviewers = [get_user_model().objects.create_user(f"bench-reviewer-{n}") for n in range(3)]
    RoundReviewer.objects.bulk_create(RoundReviewer(round=grant_round, user=r) for r in reviewers)
    priorities = scoring.accepted_priorities(principles)
    mikkeli = Area.objects.get(kind=AreaKind.MUNICIPALITY, code="491")
    criteria = scoring.scored_criteria(principles)
    for n in range(applications):
        application = Application.objects.create(
            round=grant_round,
            association=f"SYNTHETIC association {n}",
            business_id="1234567-1",
            email="bench@localhost",
            activity=f"SYNTHETIC activity {n}",
            description="SYNTHETIC",
            target_groups=["young"],
            total_budget=Decimal(20000),
            amount_applied=Decimal(1000 + (n * 37) % 9000),
            token_hash=f"{n:064d}",
            is_demo=True,
        )
        application.priorities.set(priorities[n % len(priorities) : n % len(priorities) + 2])
        application.municipalities.set([mikkeli])
        for k, reviewer in enumerate(reviewers):
            review = Review.objects.create(application=application, reviewer=reviewer)
            CriterionScore.objects.bulk_create(
                CriterionScore(review=review, criterion=c, score=(n + k + i) % 6) for i, c in enumerate(criteria)
            )
    return Observation.objects.count(), region, grant_round


def run(options: argparse.Namespace) -> int:
    from django.conf import settings

    if settings.configured:
        return run_in_fresh_interpreter("grants", options, add_arguments)
    server = reachable_server("Grants")
    if server is None:
        return 1
    with own_database(DATABASE, keep=options.keep_database):
        from tilannekuva.grants import proposals, scoring

        observations, region, grant_round = prepare(options.indicators, options.applications)
        proposal = timed(lambda: proposals.propose(region=region), repeat=options.repeat)
        ranking = timed(
            lambda: scoring.allocation_proposal(grant_round, scoring.round_scores(grant_round)), repeat=options.repeat
        )
    themes = len(proposal.result.themes)
    granted = sum(ranking.result.values())
    p_median, p_worst = proposal.median, proposal.worst
    r_median, r_worst = ranking.median, ranking.worst
    ok = p_worst < PROPOSAL_TARGET and r_worst < RANKING_TARGET
    say(
        f"Grants: proposal over {options.indicators} indicators ({observations:,} observations): median "
        f"{p_median * 1000:.0f} ms, worst {p_worst * 1000:.0f} ms ({themes} themes); ranking + allocation of "
        f"{options.applications} applications: median {r_median * 1000:.0f} ms, worst {r_worst * 1000:.0f} ms "
        f"({granted} € of 500000 €)"
    )
    if options.record:
        facts = machine(postgres_version=server)
        block = "\n".join(
            [
                f"- proposal: {options.indicators} SYNTHETIC indicators, {observations:,} observations in the store: "
                f"median **{p_median * 1000:.0f} ms**, worst {p_worst * 1000:.0f} ms of {options.repeat} "
                f"(target < {PROPOSAL_TARGET:.0f} s: {'within' if p_worst < PROPOSAL_TARGET else 'OVER'})",
                f"- ranking + allocation: {options.applications} SYNTHETIC applications × 3 reviews: median "
                f"**{r_median * 1000:.0f} ms**, worst {r_worst * 1000:.0f} ms of {options.repeat} "
                f"(target < {RANKING_TARGET:.0f} s: {'within' if r_worst < RANKING_TARGET else 'OVER'})",
                "- machine: " + ", ".join(f"{k} {v}" for k, v in facts.items()),
            ]
        )
        say(f"Figures written to {record(heading=HEADING, marker=MARKER, block=block, intro=INTRO)}.")
    return 0 if ok else 1
