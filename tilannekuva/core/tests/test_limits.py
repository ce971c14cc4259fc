"""Shared limits (tilannekuva.core.limits): counters in the database or a shared cache, added to atomically, given
back when a form is not accepted; and a NUL byte in an address is 400, never a 500. Across real processes:
`python -m bench limits` (gunicorn with five workers)."""

import pytest
from django.test import RequestFactory

from tilannekuva.core import limits
from tilannekuva.core.models import RateCounter


@pytest.fixture(params=["database", "cache"])
def store(request, settings, db):
    settings.RATE_LIMIT_CACHE = "" if request.param == "database" else "default"
    return request.param


def test_a_counter_goes_over_its_limit_and_says_how_long_to_wait(store):
    totals = [limits.hit("test", "192.0.2.1", limit=3, seconds=60) for _ in range(4)]
    assert [c.total for c in totals] == [1, 2, 3, 4]
    assert [c.over for c in totals] == [False, False, False, True]
    assert totals[0].retry_after == 0 and 1 <= totals[3].retry_after <= 61
    # Another address, another scope: counted apart.
    assert limits.hit("test", "192.0.2.2", limit=3, seconds=60).total == 1
    assert limits.hit("other", "192.0.2.1", limit=3, seconds=60).total == 1


def test_an_amount_is_added_and_given_back(store):
    assert limits.hit("upload", "a", limit=10, seconds=60, amount=7).total == 7
    limits.give_back("upload", "a", seconds=60, amount=7)
    assert limits.hit("upload", "a", limit=10, seconds=60, amount=4).total == 4


def test_no_limit_stores_nothing(store):
    assert not limits.hit("test", "a", limit=0, seconds=60).over
    assert not RateCounter.objects.exists()


def test_a_new_period_starts_again_and_ended_counters_are_dropped(settings, db):
    settings.RATE_LIMIT_CACHE = ""
    RateCounter.objects.create(name="test:a", period=1, amount=99, expires_at=60.0)
    RateCounter.objects.create(name="test:old", period=1, amount=5, expires_at=60.0)
    assert limits.hit("test", "a", limit=3, seconds=60).total == 1
    assert list(RateCounter.objects.values_list("name", flat=True)) == ["test:a"]


def test_a_refused_request_keeps_only_what_does_not_refund(store):
    rules = [
        limits.Rule("answers", "a", limit=1, seconds=60),
        limits.Rule("bytes", "a", limit=100, seconds=60, amount=60, refunds=False),
    ]
    assert limits.take(rules) == 0
    assert limits.take(rules) > 0  # the second answer is over; its bytes stay counted
    assert limits.hit("answers", "a", limit=1, seconds=60).total == 2  # 1 kept + this hit
    assert limits.hit("bytes", "a", limit=100, seconds=60, amount=0).total == 120


def test_a_post_that_is_not_accepted_gives_its_slot_back(store):
    from django.http import HttpResponse

    status = {"code": 400}

    @limits.limit_posts(lambda request, kwargs: [limits.Rule("form", "a", limit=2, seconds=60)])
    def view(request):
        return HttpResponse(status=status["code"])

    factory = RequestFactory()
    assert [view(factory.post("/")).status_code for _ in range(5)] == [400] * 5
    status["code"] = 302
    answers = [view(factory.post("/")).status_code for _ in range(3)]
    assert answers == [302, 302, 429]
    assert view(factory.get("/")).status_code == 302  # GETs are not counted


@pytest.mark.parametrize("address", ["/surveys/open/%00/", "/data/?q=%00", "/data/?q=a%00b", "/regions/%00/dashboard/"])
def test_a_nul_byte_in_an_address_is_400(client, db, address):
    response = client.get(address)
    assert response.status_code == 400
    assert "NUL" in response.text or "NUL" in response.content.decode()
