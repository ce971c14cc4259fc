"""Statement rounds: a draft goes out to chosen partners, their editors give statements (with a checked document),
the administrators answer them, and once the version is approved the round is shown with it. Every role is tried:
anonymous, viewer (carol), the partner's editor, another region's administrator (bob), the administrator (alice)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tilannekuva.audit.models import AuditEntry
from tilannekuva.regions.models import Organisation, Region, RegionRole, RoleKind
from tilannekuva.statements import services
from tilannekuva.statements.models import RoundStatus, Statement
from tilannekuva.strategy.models import StrategyVersion
from tilannekuva.strategy.versions import approve_version, copy_version

TODAY = timezone.localdate()


@pytest.fixture
def draft(world):
    approved = StrategyVersion.objects.get(strategy__region__slug="etela-savo", year=2024)
    return copy_version(version=approved, year=2026)


@pytest.fixture
def people(users, django_user_model):
    region = Region.objects.get(slug="etela-savo")
    editor = django_user_model.objects.create_user("mikkeli-editor", password="x-password-123")
    mikkeli = Organisation.objects.get(kind="municipality", area__code="491")
    RegionRole.objects.create(user=editor, region=region, role=RoleKind.EDITOR, organisation=mikkeli)
    juva_editor = django_user_model.objects.create_user("juva-editor", password="x-password-123")
    juva = Organisation.objects.get(kind="municipality", area__code="178")
    RegionRole.objects.create(user=juva_editor, region=region, role=RoleKind.EDITOR, organisation=juva)
    return {**users, "editor": editor, "juva_editor": juva_editor, "mikkeli": mikkeli, "juva": juva}


@pytest.fixture
def statement_round(draft, people):
    county = Organisation.objects.get(name="Etelä-Savon hyvinvointialue")
    return services.open_round(
        version=draft,
        user=people["alice"],
        title="Kumppanuusstrategian luonnos 2026 lausunnolle",
        deadline=TODAY + datetime.timedelta(days=30),
        organisations=[people["mikkeli"], county],
        today=TODAY,
    )


def test_administrator_sends_a_draft_to_chosen_partners_and_the_trail_records_it(statement_round):
    assert statement_round.status == RoundStatus.OPEN
    assert sorted(r.organisation.name for r in statement_round.requests.all()) == [
        "Etelä-Savon hyvinvointialue",
        "Mikkeli",
    ]
    entry = AuditEntry.objects.get(object_id=str(statement_round.pk), action="opened")
    assert entry.actor_name == "alice"


def test_an_approved_version_does_not_go_out_for_statements(people):
    approved = StrategyVersion.objects.get(strategy__region__slug="etela-savo", year=2024)
    with pytest.raises(services.StatementError) as error:
        services.open_round(
            version=approved, user=people["alice"], title="x", deadline=TODAY, organisations=[], today=TODAY
        )
    assert error.value.field == "version"


def test_an_organisation_that_is_not_a_partner_is_refused(draft, people):
    stranger = Organisation.objects.get(kind="municipality", area__code="297")  # Kuopio, Pohjois-Savo
    with pytest.raises(services.StatementError) as error:
        services.open_round(
            version=draft, user=people["alice"], title="x", deadline=TODAY, organisations=[stranger], today=TODAY
        )
    assert error.value.field == "organisations"


def test_another_regions_administrator_cannot_send_a_draft(draft, people):
    with pytest.raises(PermissionDenied):
        services.open_round(
            version=draft,
            user=people["bob"],
            title="x",
            deadline=TODAY,
            organisations=[people["mikkeli"]],
            today=TODAY,
        )


def test_editor_gives_a_statement_on_a_goal_with_a_document_and_the_administrator_answers(
    statement_round, people, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    request = statement_round.requests.get(organisation=people["mikkeli"])
    goal = statement_round.version.goals.order_by("position").first()
    statement = services.give_statement(
        request=request,
        user=people["editor"],
        goal=goal,
        text="Tavoitteeseen lisättävä mittari.",
        document=SimpleUploadedFile("lausunto.pdf", b"%PDF-1.7 lausunto"),
        today=TODAY,
    )
    assert statement.document.name.endswith("lausunto.pdf")
    answer = services.answer_statement(statement=statement, user=people["alice"], text="Mittari lisätty.")
    assert answer.statement == statement
    actions = set(AuditEntry.objects.filter(region__slug="etela-savo").values_list("action", flat=True))
    assert {"opened", "submitted", "created"} <= actions


def test_a_document_whose_content_does_not_match_its_name_is_refused_and_nothing_is_saved(statement_round, people):
    request = statement_round.requests.get(organisation=people["mikkeli"])
    with pytest.raises(services.StatementError) as error:
        services.give_statement(
            request=request,
            user=people["editor"],
            text="Lausunto",
            document=SimpleUploadedFile("lausunto.pdf", b"not a pdf"),
            today=TODAY,
        )
    assert error.value.field == "document"
    assert not Statement.objects.exists()


def test_an_editor_of_another_organisation_cannot_give_the_partners_statement(statement_round, people):
    request = statement_round.requests.get(organisation=people["mikkeli"])
    with pytest.raises(PermissionDenied):
        services.give_statement(request=request, user=people["juva_editor"], text="x", today=TODAY)
    with pytest.raises(PermissionDenied):
        services.give_statement(request=request, user=people["carol"], text="x", today=TODAY)


def test_no_statement_after_the_deadline_or_once_the_round_is_closed(statement_round, people):
    request = statement_round.requests.get(organisation=people["mikkeli"])
    late = statement_round.deadline + datetime.timedelta(days=1)
    with pytest.raises(services.StatementError):
        services.give_statement(request=request, user=people["editor"], text="x", today=late)
    services.close_round(statement_round=statement_round, user=people["alice"])
    with pytest.raises(services.StatementError):
        services.give_statement(request=request, user=people["editor"], text="x", today=TODAY)


def test_the_round_is_internal_until_the_version_is_approved_then_public_with_it(client, statement_round, people):
    request = statement_round.requests.get(organisation=people["mikkeli"])
    statement = services.give_statement(request=request, user=people["editor"], text="Hyvä luonnos.", today=TODAY)
    services.answer_statement(statement=statement, user=people["alice"], text="Kiitos.")
    url = reverse("statements:round", args=["etela-savo", statement_round.pk])
    assert client.get(url).status_code == 302  # anonymous: to the login page
    services.close_round(statement_round=statement_round, user=people["alice"])
    approve_version(version=statement_round.version, user=people["alice"])
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Hyvä luonnos." in text and "Kiitos." in text


def test_pages_answer_each_role(client, statement_round, people, draft):
    region_slug = "etela-savo"
    url = reverse("statements:round", args=[region_slug, statement_round.pk])
    new = reverse("statements:new", args=[region_slug, draft.year])
    assert client.get(new).status_code == 302
    for who, round_status, new_status in [
        ("carol", 200, 403),
        ("editor", 200, 403),
        ("bob", 403, 403),
        ("alice", 200, 200),
    ]:
        client.force_login(people[who])
        assert (who, client.get(url).status_code) == (who, round_status)
        assert (who, client.get(new).status_code) == (who, new_status)
    client.force_login(people["carol"])
    assert "Anna lausunto" not in client.get(url).content.decode()
    client.force_login(people["editor"])
    assert "Anna lausunto" in client.get(url).content.decode()


def test_posts_are_refused_to_everyone_but_their_role(client, statement_round, people):
    region_slug = "etela-savo"
    give = reverse("statements:give", args=[region_slug, statement_round.pk])
    close = reverse("statements:close", args=[region_slug, statement_round.pk])
    request = statement_round.requests.get(organisation=people["mikkeli"])
    for who in ["carol", "bob", "juva_editor"]:
        client.force_login(people[who])
        assert client.post(give, {"request": request.pk, "text": "x"}).status_code == 403
        assert client.post(close).status_code == 403
    client.force_login(people["editor"])
    assert client.post(give, {"request": request.pk, "text": "Lausuntomme."}).status_code == 302
    statement = Statement.objects.get()
    answer = reverse("statements:answer", args=[region_slug, statement_round.pk, statement.pk])
    assert client.post(answer, {"text": "x"}).status_code == 403
    client.force_login(people["alice"])
    assert client.post(answer, {"text": "Vastine."}).status_code == 302
    assert client.post(close).status_code == 302
    statement_round.refresh_from_db()
    assert statement_round.status == RoundStatus.CLOSED
