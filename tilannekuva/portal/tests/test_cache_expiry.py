"""One way the dashboard's cache expires: saving or deleting a row of any watched model raises the generation once,
after the commit; a rolled-back change raises nothing. Each provider declares what it watches (providers.register).

The test transaction never commits, so the callbacks are run by `django_capture_on_commit_callbacks`, as Django
runs them on commit."""

import datetime
from collections.abc import Callable

import pytest
from django.db import models, transaction
from django.utils import timezone

from tilannekuva.dashboard import signals
from tilannekuva.dashboard.models import CacheGeneration
from tilannekuva.databank.models import ImportRun, Indicator, Observation
from tilannekuva.databank.services import source
from tilannekuva.followup.models import Report, ReportingPeriod, Task
from tilannekuva.funding.models import FigureImport
from tilannekuva.regions.models import Area, AreaMembership, Region
from tilannekuva.strategy.models import Goal, Group, Metric, StrategyVersion
from tilannekuva.surveys.models import Answer, Question, Response, Section, Survey

YEAR = 2090  # a year nothing else uses


def generation() -> int:
    return CacheGeneration.objects.filter(key="dashboard").values_list("value", flat=True).first() or 0


def etela_savo() -> Region:
    return Region.objects.get(slug="etela-savo")


def version() -> StrategyVersion:
    return StrategyVersion.objects.get(strategy__region__slug="etela-savo", year=2024)


def new_area() -> Area:
    return Area.objects.create(kind="municipality", code="999", slug="testikunta", name_fi="Testikunta")


def new_goal() -> Goal:
    return Goal.objects.create(version=version(), key="testitavoite", level="goal", title="Testitavoite")


def new_metric() -> Metric:
    return Metric.objects.create(
        version=version(), goal=new_goal(), key="testimittari", description="Testi", kind="number", frequency="yearly"
    )


def new_indicator() -> Indicator:
    return Indicator.objects.create(source=source("file"), external_id="synthetic-expiry", title_fi="SYNTEETTINEN")


def new_report() -> Report:
    period = ReportingPeriod.objects.create(region=etela_savo(), year=YEAR, deadline=datetime.date(YEAR, 3, 1))
    task = Task.objects.create(period=period, metric=new_metric())
    return Report.objects.create(task=task, value_number=1.0)


def new_question() -> Question:
    survey = Survey.objects.create(region=etela_savo(), key="testikysely", year=YEAR, title_fi="Testikysely")
    section = Section.objects.create(survey=survey)
    return Question.objects.create(survey=survey, section=section, key="nps", kind="nps", text_fi="Suosittelisitko?")


def new_answer() -> Answer:
    question = new_question()
    response = Response.objects.create(survey=question.survey, submitted_at=timezone.now())
    return Answer.objects.create(response=response, question=question, number=9)


MAKE: dict[type[models.Model], Callable[[], models.Model]] = {
    Region: lambda: Region.objects.create(slug="testialue", name="Testialue", area=new_area()),
    Area: new_area,
    AreaMembership: lambda: AreaMembership.objects.create(member=new_area(), parent=etela_savo().area),
    StrategyVersion: lambda: StrategyVersion.objects.create(
        strategy=version().strategy,
        year=YEAR,
        name="Testi",
        period_start=YEAR,
        period_end=YEAR,
        mission="m",
        vision="v",
    ),
    Goal: new_goal,
    Group: lambda: Group.objects.create(version=version(), key="testiryhma", kind="working_group", name="Testiryhmä"),
    Metric: new_metric,
    ImportRun: lambda: ImportRun.objects.create(source=source("file"), finished_at=timezone.now()),
    Indicator: new_indicator,
    Observation: lambda: Observation.objects.create(indicator=new_indicator(), area=new_area(), year=YEAR, value=1),
    Report: new_report,
    Survey: lambda: new_question().survey,
    Question: new_question,
    Response: lambda: new_answer().response,
    Answer: new_answer,
    FigureImport: lambda: FigureImport.objects.create(
        kind="thl", level="municipality", year=YEAR, file_name="SYNTHETIC.csv", checksum="0", rows_added=1
    ),
}
LINKS = Goal.contributes_to.through


def test_every_watched_model_is_tested_here():
    assert set(signals.watched()) == {*MAKE, LINKS}


@pytest.mark.parametrize("model", list(MAKE), ids=lambda model: model.__name__)
def test_saving_and_deleting_a_watched_row_expires_the_dashboard_once(world, django_capture_on_commit_callbacks, model):
    with django_capture_on_commit_callbacks(execute=True):
        row = MAKE[model]()
    before = generation()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        row.save()
        row.save()
    assert (len(callbacks), generation()) == (1, before + 1)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        row.delete()
    assert (len(callbacks), generation()) == (1, before + 2)


def test_linking_and_unlinking_goals_expires_the_dashboard(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        goal = new_goal()
    main_goal = Goal.objects.filter(version=version(), level="main_goal")[0]
    before = generation()
    with django_capture_on_commit_callbacks(execute=True):
        goal.contributes_to.add(main_goal)
    with django_capture_on_commit_callbacks(execute=True):
        goal.contributes_to.remove(main_goal)
    assert generation() == before + 2


def test_a_transaction_of_many_changes_expires_the_dashboard_once(world, django_capture_on_commit_callbacks):
    before = generation()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for number in range(20):
            Indicator.objects.create(source=source("file"), external_id=f"synthetic-{number}", title_fi="SYNTEETTINEN")
        Goal.objects.filter(version=version()).first().save()  # type: ignore[union-attr]
    assert (len(callbacks), generation()) == (1, before + 1)


def test_a_rolled_back_change_expires_nothing_and_the_next_change_still_does(world, django_capture_on_commit_callbacks):
    before = generation()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        new_indicator()
        raise RuntimeError("rolled back")
    assert (callbacks, generation()) == ([], before)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        new_indicator()
    assert (len(callbacks), generation()) == (1, before + 1)


def test_a_started_import_run_or_an_import_that_changed_nothing_does_not_expire_it(
    world, django_capture_on_commit_callbacks
):
    before = generation()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run = ImportRun.objects.create(source=source("file"))
        FigureImport.objects.create(
            kind="thl", level="municipality", year=YEAR, file_name="SYNTHETIC.csv", checksum="0", rows_unchanged=5
        )
    assert (callbacks, generation()) == ([], before)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run.finished_at = timezone.now()
        run.save()
    assert (len(callbacks), generation()) == (1, before + 1)
