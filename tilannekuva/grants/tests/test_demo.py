"""The grants part of the demo: priorities proposed from the bundled 2013 snapshot, demo rounds with synthetic
applications, scores and an allocation within the budget; a second run changes nothing."""

from io import StringIO

from django.contrib.auth import get_user_model

from tilannekuva.databank.sources import sotkanet_snapshot
from tilannekuva.grants import demo, scoring
from tilannekuva.grants.models import Application, GrantRound, PriorityOrigin, PriorityStatus, Review


def test_the_demo_proposes_from_the_bundled_data_and_allocates_within_the_budget(world):
    sotkanet_snapshot.SOURCE.run({}, StringIO())
    get_user_model().objects.create_superuser("demo-admin", password="demo-password-1")

    lines = list(demo.load_demo_data(password="demo-password-1"))

    assert any("published" in line for line in lines)
    round_ = GrantRound.objects.filter(is_demo=True).first()
    assert round_ is not None
    principles = round_.principles
    from_data = principles.priorities.filter(origin=PriorityOrigin.DATA, status=PriorityStatus.ACCEPTED)
    assert from_data.exists() and all(p.evidence for p in from_data)
    assert "2013" in principles.data_vintage
    assert Application.objects.exists() and not Application.objects.filter(is_demo=False).exists()
    assert Review.objects.exists()
    for grant_round in GrantRound.objects.all():
        assert sum(scoring.allocation_proposal(grant_round).values()) <= grant_round.budget
        granted = sum(a.granted_amount or 0 for a in grant_round.applications.all())
        assert granted <= grant_round.budget
    assert GrantRound.objects.filter(decided_at__isnull=False).exists()
    assert get_user_model().objects.filter(username=demo.DEMO_REVIEWER).exists()

    counts = (Application.objects.count(), Review.objects.count(), principles.priorities.count())
    list(demo.load_demo_data(password="demo-password-1"))
    assert (Application.objects.count(), Review.objects.count(), principles.priorities.count()) == counts
