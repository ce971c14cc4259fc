"""The audit trail's CSV in the two dialects: the Finnish spreadsheet dialect in the Finnish interface or with
`?dialect=fi` (read here as a Finnish spreadsheet reads it), the machine dialect with `?dialect=machine`."""

import pytest
from django.urls import reverse

from tilannekuva.audit.services import acting_as
from tilannekuva.core.tests.finnish_spreadsheet import finnish_spreadsheet, machine_csv


@pytest.fixture
def trail(users, target_metric):
    """Alice gives a goal a title a spreadsheet would run as a formula, were it written as it is."""
    goal = target_metric.goal
    with acting_as(users["alice"]):
        goal.title = '=HYPERLINK("http://evil.example";"klikkaa")'
        goal.save()
    return goal


def body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("how", ["interface", "parameter"])
def test_the_trail_opens_in_a_finnish_spreadsheet_with_nothing_to_run(client, users, trail, settings, how):
    client.force_login(users["alice"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fi" if how == "interface" else "en"
    query = {"kind": "strategy.goal"} | ({} if how == "interface" else {"dialect": "fi"})
    content = body(client.get(reverse("audit:export", args=["etela-savo"]), query))
    assert content.endswith(b"\r\n")
    header, *rows = finnish_spreadsheet(content)  # fails on any cell a spreadsheet would run
    after = [dict(zip(header, row, strict=True))["after"] for row in rows]
    assert after == ['\'=HYPERLINK("http://evil.example";"klikkaa")']
    assert dict(zip(header, rows[0], strict=True))["object_id"] == float(trail.pk)


def test_the_trail_in_the_machine_dialect(client, users, trail, settings):
    client.force_login(users["alice"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fi"
    query = {"kind": "strategy.goal", "dialect": "machine"}
    header, *rows = machine_csv(body(client.get(reverse("audit:export", args=["etela-savo"]), query)))
    cells = dict(zip(header, rows[0], strict=True))
    assert cells["object_id"] == str(trail.pk) and cells["after"].startswith("'=HYPERLINK")
