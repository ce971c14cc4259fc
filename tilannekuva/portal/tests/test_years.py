"""The one year parser: any text is a year within the bound or a message naming it, and every page that reads
`?year=` answers a bad year with a 404 (the API with a 400), never with a server error."""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tilannekuva.core.years import FIRST_YEAR, LAST_YEAR, BadYear, parse_year
from tilannekuva.portal.tests.test_permission_matrix import arguments, people  # noqa: F401 - fixtures

BAD_YEARS = ["abc", "²⁰²⁴", "20245", "1066", "-2024", "2024.0", "9" * 5000]
# Every page that reads ?year= (the permission matrix lists them all; these are the ones that read a year).
PAGES_WITH_A_YEAR = [
    "strategy:region",
    "dashboard:dashboard",
    "dashboard:metric",
    "dashboard:comparison",
    "dashboard:municipality",
    "dashboard:download",
    "cooperation:actions",
    "cooperation:action",
    "cooperation:groups",
    "cooperation:group",
    "cooperation:counterparts",
    "cooperation:process",
    "followup:overview",
    "grants:index",
    "grants:report",
    "funding:hyte",
    "funding:simulator",
]


@given(st.text(max_size=30))
def test_any_text_is_a_year_within_the_bound_or_refused_naming_it(text):
    try:
        year = parse_year(text)
    except BadYear as exc:
        assert str(exc).startswith("year: ") and f"{FIRST_YEAR} to {LAST_YEAR}" in str(exc)
    else:
        assert FIRST_YEAR <= year <= LAST_YEAR


@pytest.mark.parametrize("text", ["1990", "2024", " 2024 ", "2100"])
def test_a_year_within_the_bound_is_read(text):
    assert parse_year(text) == int(text)


@pytest.mark.parametrize("text", ["1989", "2101", "", "²⁰²⁴", "２０２４", "02024", "9" * 5000])
def test_a_year_outside_the_bound_or_not_in_plain_digits_is_refused(text):
    with pytest.raises(BadYear):
        parse_year(text)


def test_every_page_that_reads_a_year_answers_a_bad_one_with_not_found(client, people, arguments):  # noqa: F811
    client.force_login(people["alice"])
    wrong = []
    for name in PAGES_WITH_A_YEAR:
        url = reverse(name, args=arguments.get(name, []))
        assert client.get(url, {"year": "2024"}).status_code == 200, name
        for bad in BAD_YEARS:
            response = client.get(url, {"year": bad})
            if response.status_code != 404:
                wrong.append((name, bad, response.status_code))
    assert wrong == []


def test_a_year_in_the_address_outside_the_bound_is_not_found(client, people, arguments):  # noqa: F811
    client.force_login(people["alice"])
    assert client.get(reverse("reports:report", args=["etela-savo", 9999])).status_code == 404
    assert client.get(reverse("grants:priorities", args=["etela-savo", 32768])).status_code == 404
    assert client.get(reverse("grants:priorities", args=["etela-savo", 2026])).status_code == 200


def test_the_api_answers_a_bad_year_with_a_message(client, world):
    response = client.get(reverse("reports:api_strategy", args=["etela-savo"]), {"year": "²"})
    assert response.status_code == 400
    assert "year: '²' is not a year from 1990 to 2100" in response.json()["error"]


def test_a_draft_year_is_read_by_the_same_parser_and_named_in_the_message(client, users):
    with pytest.raises(BadYear, match="^draft: 'x' is not a year"):
        parse_year("x", name="draft")
    client.force_login(users["alice"])
    assert client.get(reverse("strategy:region", args=["etela-savo"]), {"draft": "x"}).status_code == 404
