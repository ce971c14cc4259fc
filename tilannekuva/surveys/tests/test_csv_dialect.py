"""The survey downloads in the two CSV dialects: the Finnish spreadsheet dialect in the Finnish interface or with
`?dialect=fi` (read here as a Finnish spreadsheet reads it), the machine dialect with `?dialect=machine`."""

from typing import Any

import pytest
from django.urls import reverse

from tilannekuva.core.tests.finnish_spreadsheet import finnish_spreadsheet, machine_csv
from tilannekuva.surveys import exchange
from tilannekuva.surveys.services import submit_response

from .conftest import partner_answers


def results_url(survey, query=""):
    return reverse("surveys:export_results", args=["etela-savo", survey.pk, "csv"]) + query


def answers_url(survey, query=""):
    return reverse("surveys:export_answers", args=["etela-savo", survey.pk, "csv"]) + query


def by_key(rows):
    return {row[0]: row for row in rows[1:] if row}


@pytest.mark.parametrize("how", ["interface", "parameter"])
def test_the_results_open_in_a_finnish_spreadsheet_with_numbers_as_numbers(client, people, answered, settings, how):
    client.force_login(people["carol"])
    if how == "interface":
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fi"
        response = client.get(results_url(answered))
    else:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        response = client.get(results_url(answered, "?dialect=fi"))
    assert response.content.endswith(b"\r\n")
    rows = by_key(finnish_spreadsheet(response.content))
    assert rows["nps"][5] == 40.0  # the score, a number
    assert isinstance(rows["q1"][11], float) and rows["q1"][11] == 5.5  # the mean with a decimal comma
    assert b"5,5" in response.content and b"5.5" not in response.content


def test_the_results_in_the_machine_dialect_have_a_decimal_point(client, people, answered, settings):
    client.force_login(people["carol"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fi"
    response = client.get(results_url(answered, "?dialect=machine"))
    rows = by_key(machine_csv(response.content))
    assert rows["nps"][5] == "40" and rows["q1"][11] == "5.5"


def test_a_question_key_of_digits_keeps_its_leading_zeros_in_the_finnish_dialect():
    rows: list[list[Any]] = [["question", "text", "n", "value"], ["049", "Kysymys", 12, 6.58], ["q1", "=1+1", 3, -2.5]]
    shown = finnish_spreadsheet(exchange.as_csv(rows, "fi"))
    assert shown[1] == ["049", "Kysymys", 12.0, 6.58]
    assert shown[2] == ["q1", "'=1+1", 3.0, -2.5]  # text a spreadsheet would run stays inert
    assert machine_csv(exchange.as_csv(rows, "machine"))[1] == ["049", "Kysymys", "12", "6.58"]


def test_the_answers_in_the_finnish_dialect_keep_open_answers_inert_and_scales_as_numbers(
    client, people, answered, settings
):
    for text in ('=HYPERLINK("http://evil.example")', "+358 40 123", "@SUM(A1)", "-ei mitään"):
        submit_response(survey=answered, values=partner_answers(9, text=text), organisation_kind="municipality")
    client.force_login(people["alice"])  # the answers are the administrators' download
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fi"
    response = client.get(answers_url(answered))
    rows = finnish_spreadsheet(response.content)  # fails on any cell a spreadsheet would run
    header = rows[0]
    nps, q1, q6 = header.index("nps"), header.index("q1"), header.index("q6")
    assert all(isinstance(row[nps], float) and isinstance(row[q1], float) for row in rows[1:])
    assert {row[q6] for row in rows[-4:]} == {
        "'=HYPERLINK(\"http://evil.example\")", "'+358 40 123", "'@SUM(A1)", "'-ei mitään"
    }  # fmt: skip
    machine = machine_csv(client.get(answers_url(answered, "?dialect=machine")).content)
    assert machine[0] == [str(name) for name in header] and machine[1][nps] == "10"


def test_an_unknown_dialect_is_the_interface_default(client, people, answered, settings):
    client.force_login(people["carol"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(results_url(answered, "?dialect=excel"))
    assert by_key(machine_csv(response.content))["q1"][11] == "5.5"


def test_the_command_writes_either_dialect(answered, capsysbinary):
    from django.core.management import call_command

    call_command("survey", "export", "etela-savo", "partner-survey", "2025", "--dialect", "fi")
    assert by_key(finnish_spreadsheet(capsysbinary.readouterr().out))["q1"][11] == 5.5
    call_command("survey", "export", "etela-savo", "partner-survey", "2025")
    assert by_key(machine_csv(capsysbinary.readouterr().out))["q1"][11] == "5.5"


@pytest.mark.parametrize(("language", "reader"), [("fi", finnish_spreadsheet), ("en", machine_csv)])
def test_the_invitation_links_follow_the_interface_language(client, people, survey, settings, language, reader):
    from tilannekuva.regions.models import Organisation

    client.force_login(people["alice"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    mikkeli = Organisation.objects.get(kind="municipality", area__code="491")
    response = client.post(
        reverse("surveys:invite", args=["etela-savo", survey.pk]),
        {"organisations": [mikkeli.pk], "per_organisation": 2, "output": "csv"},
    )
    assert response.content.endswith(b"\r\n")
    rows = reader(response.content)
    assert len(rows) == 3 and all(str(row[2]).startswith("http://testserver/") for row in rows[1:])
