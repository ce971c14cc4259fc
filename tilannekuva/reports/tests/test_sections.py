"""The report's survey and HYTE sections read the surveys and funding apps: a survey's bound questions once it
has enough respondents (never below the threshold), and THL's HYTE points and VM's euros of the partners."""

import pytest

from tilannekuva.funding.services import import_figures
from tilannekuva.funding.tests.tables import table_codes, write_official_tables
from tilannekuva.regions.models import Region
from tilannekuva.reports import rendering, selectors
from tilannekuva.surveys.models import SurveyStatus
from tilannekuva.surveys.services import create_survey, publish_results, set_status, submit_response

pytestmark = pytest.mark.django_db


def _answers(nps: int) -> dict:
    return {"nps": nps, "q1": 7, "q2": 7, "q3": 7, "q4": 7, "q5": 7, "q6": ""}


def _survey(users, answers: int):
    region = Region.objects.get(slug="etela-savo")
    survey = create_survey(region=region, template="partner-survey", year=2024, user=users["alice"])
    survey = set_status(survey=survey, status=SurveyStatus.OPEN, user=users["alice"])
    for index in range(answers):
        submit_response(survey=survey, values=_answers(10 if index % 2 else 6), organisation_kind="municipality")
    set_status(survey=survey, status=SurveyStatus.CLOSED, user=users["alice"])
    publish_results(survey=survey, publish=True, user=users["alice"])  # the report shows only published results
    return region


def test_survey_section_shows_the_bound_questions_once_there_are_enough_respondents(users):
    region = _survey(users, answers=6)
    report = selectors.follow_up_report(region=region, year=2024, draw_charts=False)
    (result,) = report.survey_results
    assert result.shown and result.respondents == 6
    questions = [question for question, _value, _n in result.rows]
    assert len(questions) == 7 - 1  # the NPS and q1–q5 are bound to seed 000's metrics; q6 is an open question
    nps = next(value for question, value, _n in result.rows if "Suosittelisitko" in question)
    assert nps == "0"  # three promoters (10), three detractors (6)


def test_survey_section_never_shows_results_below_the_threshold(users):
    region = _survey(users, answers=4)
    report = selectors.follow_up_report(region=region, year=2024, draw_charts=False)
    (result,) = report.survey_results
    assert not result.shown and result.rows == []
    html = rendering.render_body(report, internal=False)
    assert "Alle 5 vastaajaa" in html or "Fewer than 5 respondents" in html


def test_hyte_section_lists_the_partners_official_points_and_euros(world, tmp_path):
    thl, vm = write_official_tables(tmp_path, table_codes())
    import_figures(path=thl, kind="thl")
    import_figures(path=vm, kind="vm")
    region = Region.objects.get(slug="etela-savo")
    report = selectors.follow_up_report(region=region, year=2025, draw_charts=False)
    assert report.funding.hyte_year == 2024
    assert report.funding.hyte_rows and all(row.kind == "official" for row in report.funding.hyte_rows)
    edition = selectors.follow_up_report(region=region, year=2025, municipality_code="491", draw_charts=False)
    assert [row.area.code for row in edition.funding.hyte_rows] == ["491"]
