"""Projects: under a goal or action of the region's strategy, with milestones, funding, a risk register and
progress reports; public overview, internal risks and progress; the administration's changes in the audit trail;
every role tried (anonymous, viewer, coordinator, another region's administrator, administrator)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tilannekuva.audit.models import AuditEntry
from tilannekuva.projects import selectors, services
from tilannekuva.projects.demo import load_demo_data
from tilannekuva.projects.models import Funding, Milestone, Project, Risk
from tilannekuva.regions.models import Region, RegionRole, RoleKind


@pytest.fixture
def project(world):
    region = Region.objects.get(slug="etela-savo")
    made = Project.objects.create(
        region=region,
        name="Tietopankki",
        goal_key="yhteisen-tiedon-jakaminen-ja-tilannekuva",
        group_key="hyte-tyoryhma",
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
        budget=Decimal("200000"),
    )
    Funding.objects.create(project=made, funder="STM", amount=Decimal("150000"), confirmed=True)
    Funding.objects.create(project=made, funder="Kunnat", amount=Decimal("50000"))
    Milestone.objects.create(project=made, title="Näkymä valmis", due=datetime.date(2025, 9, 30))
    Risk.objects.create(project=made, title="Rahoitus viivästyy", likelihood=4, impact=4, measures="Varasuunnitelma")
    Risk.objects.create(project=made, title="Aikataulu", likelihood=2, impact=3)
    return made


def test_a_project_must_hang_under_a_goal_or_action_of_its_regions_strategy(world):
    region = Region.objects.get(slug="etela-savo")
    with pytest.raises(ValidationError) as error:
        Project(region=region, name="x").full_clean()
    assert "goal_key" in error.value.message_dict
    with pytest.raises(ValidationError):
        Project(region=region, name="x", action_key="a-palvelujen-loytaminen").full_clean()  # Pohjois-Savo's


def test_risk_score_is_likelihood_times_impact_and_its_level_is_told_in_words(project):
    risks = {r.title: r for r in project.risks.all()}
    assert (risks["Rahoitus viivästyy"].score, risks["Rahoitus viivästyy"].level) == (16, "high")
    assert (risks["Aikataulu"].score, risks["Aikataulu"].level) == (6, "low")
    row = selectors.project_row(project.region, project.pk, internal=True)
    assert row is not None and row.top_risk is not None and row.top_risk.title == "Rahoitus viivästyy"
    assert (row.funded, row.granted) == (Decimal("200000"), Decimal("150000"))


def test_the_responsible_groups_coordinator_reports_progress_and_the_status_follows(project, django_user_model):
    coordinator = django_user_model.objects.create_user("hyte-coordinator")
    RegionRole.objects.create(
        user=coordinator, region=project.region, role=RoleKind.COORDINATOR, group_key="hyte-tyoryhma"
    )
    services.add_progress_report(
        project=project,
        user=coordinator,
        text="Tietosisällön runko valmis.",
        status_after="in_progress",
        written_on=datetime.date(2025, 6, 1),
        spent=Decimal("40000"),
    )
    project.refresh_from_db()
    assert project.status == "in_progress"
    assert AuditEntry.objects.filter(actor_name="hyte-coordinator", action="created").exists()
    with pytest.raises(services.ProjectError) as error:
        services.add_progress_report(
            project=project,
            user=coordinator,
            text="x",
            status_after="in_progress",
            written_on=datetime.date(2025, 7, 1),
            spent=Decimal("250000"),
        )
    assert error.value.field == "spent"


def test_another_regions_administrator_a_viewer_and_an_editor_cannot_report_progress(project, users, django_user_model):
    from tilannekuva.regions.models import Organisation

    editor = django_user_model.objects.create_user("project-editor")
    mikkeli = Organisation.objects.get(kind="municipality", area__code="491")
    RegionRole.objects.create(user=editor, region=project.region, role=RoleKind.EDITOR, organisation=mikkeli)
    users = {**users, "editor": editor}
    for who in ["bob", "carol", "editor"]:
        with pytest.raises(PermissionDenied):
            services.add_progress_report(
                project=project, user=users[who], text="x", status_after="done", written_on=datetime.date(2025, 1, 1)
            )


def test_the_risk_register_is_only_for_those_with_a_role_in_the_region(client, project, users):
    url = reverse("projects:detail", args=["etela-savo", project.pk])
    public = client.get(url).content.decode()
    assert "Tietopankki" in public and "Rahoitus viivästyy" not in public
    client.force_login(users["bob"])
    assert "Rahoitus viivästyy" not in client.get(url).content.decode()
    client.force_login(users["carol"])
    page = client.get(url).content.decode()
    assert "Rahoitus viivästyy" in page and "Lisää edistymisraportti" not in page
    assert client.post(url, {"text": "x"}).status_code == 403
    client.force_login(users["alice"])
    response = client.post(url, {"written_on": "2025-05-01", "text": "Edistyy.", "status_after": "in_progress"})
    assert response.status_code == 302


def test_the_yearly_report_lists_the_projects_running_in_the_year_without_their_risks(project):
    assert [r.project.name for r in selectors.projects_of_year(project.region, 2025)] == ["Tietopankki"]
    assert selectors.projects_of_year(project.region, 2024) == []
    row = selectors.projects_of_year(project.region, 2025)[0]
    assert row.risks == [] and [m.title for m in row.milestones] == ["Näkymä valmis"]


def test_the_demo_projects_come_from_the_seeds_and_a_second_run_changes_nothing(world):
    list(load_demo_data(password="x"))
    list(load_demo_data(password="x"))
    assert Project.objects.count() == 2
    assert all(p.source.startswith("Seed") for p in Project.objects.all())
    assert all(r.title.startswith("DEMO") for r in Risk.objects.all())
