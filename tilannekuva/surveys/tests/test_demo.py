"""The demo's partner surveys: SYNTHETIC answers made by code, marked as demo data, and a second run changes
nothing."""

from tilannekuva.dashboard.providers import data_for
from tilannekuva.dashboard.selectors import default_year
from tilannekuva.dashboard.status import Status, assess
from tilannekuva.strategy.models import Metric
from tilannekuva.surveys.demo import load_demo_data
from tilannekuva.surveys.models import Answer, Invitation, Response, Survey, SurveyStatus


def test_the_demo_opens_the_partner_survey_with_synthetic_answers_once(region, django_user_model):
    django_user_model.objects.create_superuser("demo-admin", password="demo-password-1")
    list(load_demo_data(password="x"))
    counts = (Survey.objects.count(), Response.objects.count(), Answer.objects.count(), Invitation.objects.count())
    list(load_demo_data(password="x"))
    assert (
        Survey.objects.count(),
        Response.objects.count(),
        Answer.objects.count(),
        Invitation.objects.count(),
    ) == counts
    current = Survey.objects.get(year=default_year())
    assert current.demo and current.status == SurveyStatus.OPEN and current.open_key
    closed = Survey.objects.get(year=default_year() - 1)
    assert closed.status == SurveyStatus.CLOSED and closed.demo and closed.results_published
    assert not current.results_published
    assert closed.responses.filter(answers__moderation="published").count() == 2  # the third open answer waits
    assert set(Response.objects.values_list("source", flat=True)) == {"demo"}
    assert Invitation.objects.filter(survey=current).count() == 13  # every partner of 2025: no Pertunmaa
    assert all(t.startswith("SYNTEETTINEN") for t in Answer.objects.exclude(text="").values_list("text", flat=True))
    metric = Metric.objects.get(key="kumppanuuden-suositteluindeksi-nps", version__strategy__region=region)
    data = data_for([metric], region=region)[metric.pk]
    assert "Demo data (synthetic)" in data.vintage and "NPS (1–10)" in data.vintage
    # The open survey of the current year shows no figure: only the closed, published year reaches the card.
    assert set(data.values) == {default_year() - 1}
    assert assess(metric, [v for _y, v in data.up_to(default_year())]).status != Status.NO_DATA
