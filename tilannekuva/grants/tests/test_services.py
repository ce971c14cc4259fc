"""The grant model's rules: the priority proposal from the data bank, the HYTE group's decisions, applications,
independent scoring, the weighted score, ranking and the allocation that never exceeds the budget."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given, settings
from hypothesis import strategies as st

from tilannekuva.audit.models import AuditEntry
from tilannekuva.databank.models import Indicator, Observation
from tilannekuva.databank.services import source
from tilannekuva.grants import proposals, scoring, selectors, services
from tilannekuva.grants.models import (
    Application,
    ApplicationStatus,
    CriterionKind,
    PriorityOrigin,
    PriorityStatus,
    Review,
)
from tilannekuva.regions.models import Area, AreaKind
from tilannekuva.strategy.bindings import DataBankBinding
from tilannekuva.strategy.models import Direction, Metric

from .conftest import YEAR, application_fields, close

# --- the priority proposal -------------------------------------------------------------------------------------


def indicator(external_id: str, *, direction: str, group: str = "TILASTOLLINEN HYVINVOINTI", **fields) -> Indicator:
    return Indicator.objects.create(
        source=source("sotkanet-snapshot"),
        external_id=external_id,
        title_fi=f"Indikaattori {external_id}",
        direction=direction,
        vintage="tiedot vuoteen 2012 asti, tuotu vuoden 2013 Sotkanet-tilannekuvasta (8.9.2013)",
        metadata={"group": group},
        **fields,
    )


def observe(ind: Indicator, area: Area, values: dict[int, float]) -> None:
    Observation.objects.bulk_create(Observation(indicator=ind, area=area, year=y, value=v) for y, v in values.items())


@pytest.fixture
def areas(region):
    return region.area, Area.objects.get(kind=AreaKind.COUNTRY)


def test_proposal_takes_indicators_worse_than_the_country_or_worsening_grouped_by_theme(region, areas):
    own, country = areas
    worse_than_country = indicator("1", direction=Direction.LOWER_IS_BETTER)
    observe(worse_than_country, own, {2012: 12.0})
    observe(worse_than_country, country, {2012: 10.0})
    worsening = indicator("2", direction=Direction.HIGHER_IS_BETTER, group="TYÖELÄMÄ")
    observe(worsening, own, {2007: 70.0, 2012: 60.0})
    better = indicator("3", direction=Direction.LOWER_IS_BETTER)
    observe(better, own, {2007: 9.0, 2012: 8.0})
    observe(better, country, {2012: 10.0})

    proposal = proposals.propose(region=region)

    themes = {t.theme: [e.indicator_id for e in t.evidence] for t in proposal.themes}
    assert themes == {"Tilastollinen hyvinvointi": [worse_than_country.pk], "Työelämä": [worsening.pk]}
    evidence = proposal.themes[0].evidence[0]
    assert (evidence.value, evidence.country_value, evidence.worse_than_country, evidence.worsening) == (
        12.0,
        10.0,
        True,
        False,
    )
    assert proposal.assessed == 3
    assert "2013 Sotkanet" in proposal.vintage_text


def test_an_indicator_of_unknown_direction_is_left_out_and_listed(region, areas):
    own, country = areas
    unknown = indicator("9", direction=Direction.NEUTRAL)
    observe(unknown, own, {2007: 1.0, 2012: 5.0})
    observe(unknown, country, {2012: 1.0})

    proposal = proposals.propose(region=region)

    assert proposal.themes == []
    assert proposal.unknown_direction == [unknown.title_fi]


def test_a_difference_within_the_tolerance_does_not_count(region, areas):
    own, country = areas
    close = indicator("4", direction=Direction.LOWER_IS_BETTER)
    observe(close, own, {2008: 10.0, 2012: 10.1})
    observe(close, country, {2012: 10.0})
    assert proposals.propose(region=region).themes == []


def test_an_indicator_without_anything_to_compare_with_is_listed_as_not_comparable(region, areas):
    own, _country = areas
    alone = indicator("5", direction=Direction.LOWER_IS_BETTER)
    observe(alone, own, {2012: 10.0})
    proposal = proposals.propose(region=region)
    assert proposal.not_comparable == [alone.title_fi] and proposal.assessed == 0


def test_the_bound_metrics_direction_is_used_when_the_indicator_has_none(region, areas):
    own, _country = areas
    metric = Metric.objects.filter(version__strategy__region=region, direction=Direction.HIGHER_IS_BETTER).first()
    assert metric is not None
    metric.set_binding(DataBankBinding(source="sotkanet-snapshot", series="6"))
    metric.save()
    bound = indicator("6", direction=Direction.NEUTRAL)
    observe(bound, own, {2007: 20.0, 2012: 10.0})
    proposal = proposals.propose(region=region)
    assert proposal.unknown_direction == []
    (evidence,) = proposal.themes[0].evidence
    assert evidence.worsening and evidence.direction_metric == metric.title


def test_applying_the_proposal_keeps_the_groups_decisions(region, areas, people):
    own, country = areas
    first = indicator("1", direction=Direction.LOWER_IS_BETTER)
    observe(first, own, {2012: 12.0})
    observe(first, country, {2012: 10.0})
    kaisa = people["kaisa"]
    principles = services.apply_proposal(region=region, year=YEAR, user=kaisa)
    proposed = principles.priorities.get()
    assert (proposed.origin, proposed.status, proposed.weight) == (PriorityOrigin.DATA, PriorityStatus.PROPOSED, 1)
    assert proposed.evidence[0]["indicator_id"] == first.pk
    services.update_priority(
        priority=proposed, user=kaisa, status=PriorityStatus.ACCEPTED, weight=4, title="Mielenterveys", description=""
    )
    services.apply_proposal(region=region, year=YEAR, user=kaisa)
    kept = principles.priorities.get()
    assert (kept.pk, kept.title, kept.weight, kept.status) == (proposed.pk, "Mielenterveys", 4, PriorityStatus.ACCEPTED)
    assert principles.criteria.filter(kind=CriterionKind.PRIORITY_FIT).count() == 1


def test_only_the_hyte_group_and_administrators_set_the_priorities(region, people):
    for who in ("erkki", "carol", "bob"):
        with pytest.raises(PermissionDenied):
            services.apply_proposal(region=region, year=YEAR, user=people[who])
    assert services.apply_proposal(region=region, year=YEAR, user=people["alice"]).group_key == "hyte-tyoryhma"


def test_publishing_needs_a_decision_on_every_proposal_and_a_reasoning(region, people):
    principles = services.principles_of(region, YEAR)
    kaisa = people["kaisa"]
    with pytest.raises(services.GrantError, match="at least one"):
        services.publish(principles=principles, user=kaisa, reasoning="x")
    services.add_priority(principles=principles, user=kaisa, title="Osallisuus", description="", weight=2)
    with pytest.raises(services.GrantError, match="reasoning"):
        services.publish(principles=principles, user=kaisa, reasoning=" ")
    services.publish(principles=principles, user=kaisa, reasoning="Perustelu")
    with pytest.raises(services.GrantError, match="published"):
        services.add_priority(principles=principles, user=kaisa, title="Myöhässä", description="", weight=1)


# --- applications ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "valid"),
    [("1234567-1", True), ("0201256-6", True), ("1234567-2", False), ("123456-1", False), ("1234567 1", False)],
)
def test_business_ids_are_checked_by_their_check_digit(text, valid):
    assert services.valid_business_id(text) is valid


def test_an_application_is_confirmed_by_email_with_a_private_link_stored_as_a_hash(
    grant_round, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submitted = services.submit_application(
            **application_fields(grant_round), status_url=lambda token: f"https://example.invalid/{token}"
        )
    application = submitted.application
    assert submitted.token not in application.token_hash and len(application.token_hash) == 64
    assert selectors.application_for_token(submitted.token) == application
    assert selectors.application_for_token(submitted.token + "x") is None
    assert len(mail.outbox) == 1 and submitted.token in mail.outbox[0].body
    assert mail.outbox[0].to == ["hakija@example.invalid"]


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"business_id": "1234567-2"}, "business_id"),
        ({"target_groups": []}, "target_groups"),
        ({"priorities": []}, "priorities"),
        ({"municipalities": []}, "municipalities"),
        ({"amount_applied": Decimal("9000")}, "amount_applied"),  # more than the activity's budget
        ({"amount_applied": Decimal("6500"), "total_budget": Decimal("9000")}, "amount_applied"),  # over max_grant
        ({"attachments": [SimpleUploadedFile("plan.pdf", b"not a pdf")]}, "attachments"),
        ({"attachments": [SimpleUploadedFile("virus.exe", b"MZ")]}, "attachments"),
    ],
)
def test_a_faulty_application_names_its_field_and_writes_nothing(grant_round, override, field):
    with pytest.raises(services.GrantError) as raised:
        services.submit_application(**application_fields(grant_round, **override))
    assert raised.value.field == field
    assert not Application.objects.exists()


def test_applications_are_received_only_while_the_round_is_open(grant_round):
    late = grant_round.closes_on + datetime.timedelta(days=1)
    with pytest.raises(services.GrantError, match="not open"):
        services.submit_application(**application_fields(grant_round, today=late))


def test_a_priority_of_another_year_cannot_be_chosen(grant_round, region, people):
    other = services.principles_of(region, YEAR + 1)
    stray = services.add_priority(principles=other, user=people["kaisa"], title="Muu", description="", weight=1)
    with pytest.raises(services.GrantError) as raised:
        services.submit_application(**application_fields(grant_round, priorities=[stray]))
    assert raised.value.field == "priorities"


def test_attachments_are_kept_with_the_application(grant_round, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pdf = SimpleUploadedFile("toimintasuunnitelma.pdf", b"%PDF-1.7 plan")
    application = services.submit_application(**application_fields(grant_round, attachments=[pdf])).application
    assert [a.name for a in application.attachments.all()] == ["toimintasuunnitelma.pdf"]


# --- scoring ---------------------------------------------------------------------------------------------------


def scores_for(grant_round, *values):
    criteria = scoring.scored_criteria(grant_round.principles)
    return {c.pk: v for c, v in zip(criteria, values, strict=True)}


def test_only_the_rounds_reviewers_score_and_each_only_once(application, grant_round, people):
    for who in ("alice", "hanna", "carol"):
        with pytest.raises(PermissionDenied):
            services.score_application(
                application=application, user=people[who], scores=scores_for(grant_round, 3, 3, 3)
            )
    services.score_application(application=application, user=people["rami"], scores=scores_for(grant_round, 3, 3, 3))
    with pytest.raises(services.GrantError, match="already"):
        services.score_application(
            application=application, user=people["rami"], scores=scores_for(grant_round, 5, 5, 5)
        )


def test_every_scored_criterion_needs_a_score_from_0_to_5(application, grant_round, people):
    with pytest.raises(services.GrantError) as raised:
        services.score_application(
            application=application, user=people["rami"], scores=scores_for(grant_round, 3, 6, 3)
        )
    assert raised.value.field and raised.value.field.startswith("criterion_")
    assert not Review.objects.exists()


def test_the_weighted_score_is_the_weighted_mean_of_the_reviews_and_the_priority_fit(application, grant_round, people):
    # Default criteria: priority fit 30, then 30, 20, 20. The application addresses the top priority (weight 3 of 3).
    services.score_application(application=application, user=people["rami"], scores=scores_for(grant_round, 4, 2, 5))
    services.score_application(application=application, user=people["riina"], scores=scores_for(grant_round, 2, 4, 3))
    (score,) = scoring.round_scores(grant_round)
    # Quality (the reviewed criteria): (30·3/5 + 20·3/5 + 20·4/5) / 70 = 46 / 70; the priority fit (30·5/5)
    # counts in proportion to it: 30 · 46/70 + 46 = 65.7 (docs/DECISIONS.md, "Trust guards")
    assert score.total == 65.7
    assert score.reviews == 2
    assert "Mean of 2 reviews: 4, 2." in score.explanation[1]
    assert "highest weight 3 of 3" in score.explanation[0]


def test_a_ticked_priority_cannot_outweigh_the_quality(application, grant_round, people):
    """Issue 17: a junk application scored 1/1/0 got 40/100 for ticking the top priority. The fit now counts in
    proportion to the quality, so the total never exceeds the quality score."""
    services.score_application(application=application, user=people["rami"], scores=scores_for(grant_round, 1, 1, 0))
    (score,) = scoring.round_scores(grant_round)
    assert score.total is not None and score.total == pytest.approx(14.3)
    assert score.total <= round(100 * score.quality, 1)
    assert "in proportion to the quality score (14 %)" in score.explanation[0]


def test_priority_fit_weighs_the_highest_priority_addressed(grant_round):
    priorities = scoring.accepted_priorities(grant_round.principles)  # weights 3 and 1
    low = [p for p in priorities if p.weight == 1]
    assert scoring.priority_fit(low, priorities)[0] == pytest.approx(5 / 3)
    assert scoring.priority_fit(priorities, priorities)[0] == 5
    assert scoring.priority_fit([], priorities)[0] == 0


def test_an_application_without_reviews_has_no_score_and_ranks_last(grant_round, people):
    first = services.submit_application(**application_fields(grant_round)).application
    second = services.submit_application(**application_fields(grant_round, association="Toinen ry")).application
    services.score_application(application=second, user=people["rami"], scores=scores_for(grant_round, 1, 1, 1))
    ranked = scoring.round_scores(grant_round)
    assert [s.application for s in ranked] == [second, first]
    assert ranked[1].total is None


# --- allocation ------------------------------------------------------------------------------------------------


def test_allocation_is_greedy_by_rank_with_whole_grants_only():
    """Issue 17: "the first that doesn't fit gets the rest" offered 999,50 € to one who asked 6 000 €. Now one
    that does not fit whole gets nothing and the next that fits is funded; the rest stays for the funder."""
    claims = [
        scoring.Claim(1, 90, Decimal("4000")),
        scoring.Claim(2, 80, Decimal("5000")),
        scoring.Claim(3, 70, Decimal("3000")),
        scoring.Claim(4, 60, Decimal("999.50")),
        scoring.Claim(5, 30, Decimal("100")),
    ]
    granted = scoring.allocate(claims, budget=Decimal("10000"), min_score=50)
    assert granted == {1: Decimal("4000"), 2: Decimal("5000"), 3: Decimal("0"), 4: Decimal("999.50"), 5: Decimal("0")}


def test_allocation_respects_the_largest_grant():
    claims = [scoring.Claim(1, 90, Decimal("8000")), scoring.Claim(2, 80, Decimal("2000"))]
    granted = scoring.allocate(claims, budget=Decimal("10000"), min_score=0, max_grant=Decimal("5000"))
    assert granted == {1: Decimal("5000"), 2: Decimal("2000")}


amounts = st.decimals(min_value=0, max_value=100000, places=2, allow_nan=False, allow_infinity=False)


@settings(max_examples=300, deadline=None)
@given(
    budget=st.decimals(min_value=0, max_value=200000, places=3, allow_nan=False, allow_infinity=False),
    claims=st.lists(st.tuples(st.one_of(st.none(), st.floats(0, 100)), amounts), max_size=30),
    min_score=st.floats(0, 100),
    max_grant=st.one_of(st.none(), amounts),
)
def test_allocation_never_exceeds_the_budget_nor_what_was_applied(budget, claims, min_score, max_grant):
    listed = [scoring.Claim(i, score, amount) for i, (score, amount) in enumerate(claims)]
    granted = scoring.allocate(listed, budget=budget, min_score=min_score, max_grant=max_grant)
    assert sum(granted.values(), Decimal(0)) <= budget
    for claim in listed:
        assert Decimal(0) <= granted[claim.key] <= claim.amount
        capped = claim.amount if max_grant is None else min(claim.amount, max_grant)
        assert granted[claim.key] in (Decimal(0), capped.quantize(Decimal("0.01")))  # whole or nothing
        if max_grant is not None:
            assert granted[claim.key] <= max_grant
        if claim.score is None or claim.score < min_score:
            assert granted[claim.key] == 0


# --- decisions -------------------------------------------------------------------------------------------------


def test_the_funder_records_decisions_within_the_budget(grant_round, people):
    first = services.submit_application(**application_fields(grant_round, amount_applied=Decimal("6000"))).application
    second = services.submit_application(**application_fields(grant_round, association="Toinen ry")).application
    grant_round.budget = Decimal("9000")
    grant_round.save()
    with pytest.raises(services.GrantError, match="decisions are recorded after it closes"):
        services.record_decisions(
            grant_round=grant_round,
            user=people["hanna"],
            amounts={first.pk: Decimal("6000"), second.pk: Decimal("1000")},
        )
    assert not Application.objects.filter(decided_at__isnull=False).exists()
    close(grant_round)
    with pytest.raises(services.GrantError, match="more than the budget"):
        services.record_decisions(
            grant_round=grant_round,
            user=people["hanna"],
            amounts={first.pk: Decimal("6000"), second.pk: Decimal("4000")},
        )
    with pytest.raises(PermissionDenied):
        services.record_decisions(
            grant_round=grant_round, user=people["erkki"], amounts={first.pk: Decimal("1"), second.pk: Decimal("1")}
        )
    services.record_decisions(
        grant_round=grant_round, user=people["hanna"], amounts={first.pk: Decimal("6000"), second.pk: Decimal("1000")}
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (ApplicationStatus.GRANTED, ApplicationStatus.PARTLY_GRANTED)
    assert AuditEntry.objects.filter(action="approved", object_id=str(first.pk)).exists()


def test_a_grant_never_exceeds_what_was_applied_for(application, grant_round, people):
    close(grant_round)
    with pytest.raises(services.GrantError) as raised:
        services.record_decisions(
            grant_round=grant_round, user=people["alice"], amounts={application.pk: Decimal("4000.01")}
        )
    assert raised.value.field == f"amount_{application.pk}"


def test_split_shares_sum_to_the_whole():
    shares = scoring.split(Decimal("100.00"), ["a", "b", "c"])
    assert sum(shares.values()) == Decimal("100.00") and shares["a"] == Decimal("33.34")


def test_the_audit_trail_reads_a_decision_in_words_and_finnish_numbers(grant_round, people, application):
    """Issue 17: the trail showed `Decision: ["received", null] → ["rejected", "0.00"]` as "Hyväksytty"."""
    from django.utils import translation

    close(grant_round)
    services.record_decisions(grant_round=grant_round, user=people["hanna"], amounts={application.pk: Decimal("0")})
    entry = AuditEntry.objects.filter(object_id=str(application.pk), content_type__model="application").latest("at")
    assert entry.action != "approved"
    with translation.override("fi"):
        shown = {c.label: (c.before_text, c.after_text) for c in entry.field_changes()}
        assert shown == {"tila": ("Vastaanotettu, arvioitavana", "Ei myönnetty"), "myönnetty (€)": ("", "0,00")}
        assert entry.get_action_display() == "Muutettu"
