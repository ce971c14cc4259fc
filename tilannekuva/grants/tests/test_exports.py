"""The decisions export is inert: an applicant's text that starts like a formula is text in CSV and XLSX."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tilannekuva.grants import services

from .conftest import application_fields

HOSTILE = ["=cmd|' /C calc'!A0", "+358 40 1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("text", HOSTILE)
def test_the_decisions_export_escapes_an_applicants_formula(client, people, grant_round, text):
    services.submit_application(**application_fields(grant_round, association=text, activity=text))
    client.force_login(people["alice"])
    url = reverse("grants:export", args=["etela-savo", grant_round.pk, "csv"])
    csv_text = client.get(url).content.decode("utf-8-sig").replace('"', "")
    assert csv_text.count(";'" + text.strip() + ";") == 2  # the association and the activity (stripped)
    url = reverse("grants:export", args=["etela-savo", grant_round.pk, "xlsx"])
    sheet = load_workbook(io.BytesIO(client.get(url).content)).active
    row = [cell.value for cell in sheet[2]]
    texts = [v for v in row if isinstance(v, str)]
    assert sum(v.startswith("'") for v in texts) == 2
    assert not any(v[:1] in "=+@\t\r" for v in texts)
