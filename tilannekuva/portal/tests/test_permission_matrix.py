"""Every page of the site × every role: public pages answer everyone, internal pages need a role in the region,
administration pages its administrators; no page fails for anyone. The POST actions are tested beside each app.

The test fails when a URL is added without being listed here, so that no view escapes the matrix."""

import datetime

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from tilannekuva.databank.models import Indicator
from tilannekuva.databank.services import source
from tilannekuva.followup.services import open_period, submit_report
from tilannekuva.regions.models import Organisation, Region, RegionRole, RoleKind
from tilannekuva.strategy.models import Action

ROLES = ["anonymous", "dave", "bob", "carol", "editor", "coordinator", "alice"]
IN_REGION = {"carol", "editor", "coordinator", "alice"}
PUBLIC, INTERNAL, ADMIN, SIGNED_IN = "public", "internal", "admin", "signed-in"
# National pages (the data bank's imports): the administrators of any region.
ANY_REGION_ADMIN = "any-region-admin"

# (URL name, kind of page); the arguments come from `arguments` below. POST-only and download views are tested
# in their apps: they are listed under POST_ONLY so that the completeness check knows them.
PAGES = [
    ("portal:home", PUBLIC),
    ("core:healthz", PUBLIC),
    ("strategy:region", PUBLIC),
    ("databank:catalogue", PUBLIC),
    ("databank:indicator", PUBLIC),
    ("databank:import_jobs", ANY_REGION_ADMIN),
    ("dashboard:dashboard", PUBLIC),
    ("dashboard:metric", PUBLIC),
    ("dashboard:comparison", PUBLIC),
    ("dashboard:municipality", PUBLIC),
    ("dashboard:download", PUBLIC),
    ("cooperation:actions", PUBLIC),
    ("cooperation:action", PUBLIC),
    ("cooperation:groups", PUBLIC),
    ("cooperation:group", PUBLIC),
    ("cooperation:counterparts", PUBLIC),
    ("cooperation:agreements", PUBLIC),
    ("cooperation:process", PUBLIC),
    ("cooperation:versions", INTERNAL),
    ("followup:overview", INTERNAL),
    ("followup:mine", INTERNAL),
    ("followup:task", INTERNAL),
    ("followup:evidence", INTERNAL),
    ("surveys:list", INTERNAL),
    ("surveys:manage", ADMIN),
    ("surveys:preview", ADMIN),
    ("surveys:results", INTERNAL),
    ("surveys:export_results", INTERNAL),
    ("surveys:export_answers", ADMIN),
    ("surveys:respond", PUBLIC),
    ("surveys:open", PUBLIC),
    ("surveys:thanks", PUBLIC),
    ("surveys:public_results", PUBLIC),
    ("grants:index", PUBLIC),
    ("grants:round", PUBLIC),
    ("grants:apply", PUBLIC),
    ("grants:status", PUBLIC),
    ("grants:report", PUBLIC),
    ("grants:priorities", INTERNAL),
    ("grants:overlap", INTERNAL),
    ("grants:manage", ADMIN),
    ("grants:application", ADMIN),
    ("grants:export", ADMIN),
    ("grants:attachment", ADMIN),
    ("funding:method", PUBLIC),
    ("funding:hyte", PUBLIC),
    ("funding:vitality", PUBLIC),
    ("funding:simulator", INTERNAL),
    ("reports:index", PUBLIC),
    ("reports:builds", PUBLIC),
    ("reports:report", PUBLIC),
    ("reports:welfare", PUBLIC),
    ("reports:gaps", PUBLIC),
    ("reports:snapshot", PUBLIC),
    ("reports:snapshot_report", PUBLIC),
    ("reports:api_index", PUBLIC),
    ("reports:api_openapi", PUBLIC),
    ("reports:api_regions", PUBLIC),
    ("reports:api_region", PUBLIC),
    ("reports:api_strategy", PUBLIC),
    ("reports:api_indicators", PUBLIC),
    ("reports:api_indicator", PUBLIC),
    ("reports:api_surveys", PUBLIC),
    ("reports:api_survey_results", PUBLIC),
    ("calendars:calendar", PUBLIC),
    ("calendars:feed", PUBLIC),
    ("statements:index", PUBLIC),
    ("statements:round", INTERNAL),
    ("statements:new", ADMIN),
    ("statements:document", INTERNAL),
    ("projects:list", PUBLIC),
    ("projects:detail", PUBLIC),
    ("discussion:index", INTERNAL),
    ("discussion:thread", INTERNAL),
    ("audit:region", ADMIN),
    ("audit:export", ADMIN),
    ("accounts:login", PUBLIC),
    ("accounts:two_factor", SIGNED_IN),
]
POST_ONLY = {
    "set_language",
    "databank:bind",
    "followup:landing",  # not a page: a redirect to the user's tasks (followup/tests/test_landing.py)
    "followup:open",
    "followup:report",
    "followup:review",
    "grants:propose",
    "grants:priority_add",
    "grants:priority_edit",
    "grants:publish",
    "grants:reviewers",
    "grants:score",
    "grants:decide",
    "grants:close",
    "grants:conflict",
    "surveys:create",
    "surveys:status",
    "surveys:invite",
    "surveys:open_link",
    "surveys:import",
    "surveys:moderate",
    "surveys:publish",
    # The reports' PDFs (slow to render for every role) and the observations (a 400 without an indicator) are
    # tested in tilannekuva/reports/tests.
    "reports:snapshot_create",
    "reports:build_create",
    "reports:build_download",
    "reports:report_pdf",
    "reports:welfare_pdf",
    "reports:snapshot_pdf",
    "reports:api_observations",
    "cooperation:version_copy",
    "cooperation:version_approve",
    "cooperation:meeting",
    "cooperation:counterpart",
    # An agreement's edit page and its document are tested in tilannekuva/cooperation/tests.
    "cooperation:agreement",
    "cooperation:agreement_document",
    # The workflows' writes and the private calendar feed (a token, not a role) are tested in their apps.
    "calendars:entry_delete",
    "calendars:feed_token",
    "calendars:private_feed",
    "statements:give",
    "statements:answer",
    "statements:close",
    "discussion:moderate",
    "accounts:logout",
    "accounts:login_code",
    "accounts:oidc_start",
    "accounts:oidc_callback",
}


def named_urls(resolver: URLResolver | None = None, namespace: str = "") -> set[str]:
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= named_urls(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_named_url_is_in_the_matrix():
    assert named_urls() - {name for name, _kind in PAGES} - POST_ONLY == set()


@pytest.fixture
def people(users, world, django_user_model):
    region = Region.objects.get(slug="etela-savo")
    editor = django_user_model.objects.create_user("editor", password="editor-password-1")
    mikkeli = Organisation.objects.get(kind="municipality", area__code="491")
    RegionRole.objects.create(user=editor, region=region, role=RoleKind.EDITOR, organisation=mikkeli)
    coordinator = django_user_model.objects.create_user("coordinator", password="coordinator-password-1")
    RegionRole.objects.create(user=coordinator, region=region, role=RoleKind.COORDINATOR, group_key="hyte-tyoryhma")
    return {**users, "editor": editor, "coordinator": coordinator}


@pytest.fixture
def arguments(people, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    region = Region.objects.get(slug="etela-savo")
    period = open_period(region=region, year=2025, deadline=datetime.date(2026, 3, 31), user=people["alice"])
    task = period.tasks.get(metric__key="laaja-hyvinvointikertomus-ja-suunnitelma", organisation__area__code="491")
    report = submit_report(
        task=task, user=people["editor"], yes=True, evidence_file=SimpleUploadedFile("p.pdf", b"%PDF-1.7 x")
    )
    action = Action.objects.filter(version__strategy__region__slug="pohjois-savo").order_by("pk").first()
    assert action is not None
    Indicator.objects.create(source=source("file"), external_id="synthetic-matrix", title_fi="SYNTEETTINEN")
    return {
        "strategy:region": ["etela-savo"],
        "databank:indicator": ["file", "synthetic-matrix"],
        "dashboard:dashboard": ["etela-savo"],
        "dashboard:metric": ["etela-savo", "vammojen-ja-myrkytysten-sairaalahoito"],
        "dashboard:comparison": ["etela-savo", "vammojen-ja-myrkytysten-sairaalahoito"],
        "dashboard:municipality": ["etela-savo", "491"],
        "dashboard:download": ["etela-savo", "vammojen-ja-myrkytysten-sairaalahoito", "csv"],
        "cooperation:actions": ["pohjois-savo"],
        "cooperation:action": ["pohjois-savo", action.key],
        "cooperation:groups": ["etela-savo"],
        "cooperation:group": ["etela-savo", "hyte-tyoryhma"],
        "cooperation:counterparts": ["etela-savo"],
        "cooperation:agreements": ["etela-savo"],
        "cooperation:process": ["keski-uusimaa"],
        "cooperation:versions": ["etela-savo"],
        "followup:overview": ["etela-savo"],
        "followup:mine": ["etela-savo"],
        "followup:task": ["etela-savo", task.pk],
        "followup:evidence": ["etela-savo", report.pk],
        **survey_arguments(region, people["alice"]),
        **grants_arguments(region, people["alice"]),
        "funding:hyte": ["etela-savo"],
        "funding:vitality": ["etela-savo"],
        "funding:simulator": ["etela-savo"],
        **reports_arguments(region),
        **workflow_arguments(region, people["alice"], people["editor"]),
        "audit:region": ["etela-savo"],
        "audit:export": ["etela-savo"],
    }


def workflow_arguments(region: Region, admin, editor) -> dict[str, list]:
    """A statement round on a draft with a statement and its document, and a project (issue 20, items 6–10)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tilannekuva.projects.models import Project
    from tilannekuva.statements import services as statements
    from tilannekuva.strategy.models import StrategyVersion
    from tilannekuva.strategy.versions import copy_version

    draft = copy_version(version=StrategyVersion.objects.get(strategy__region=region, year=2024), year=2026)
    mikkeli = Organisation.objects.get(kind="municipality", area__code="491")
    statement_round = statements.open_round(
        version=draft,
        user=admin,
        title="Lausuntokierros",
        deadline=datetime.date.today() + datetime.timedelta(days=30),
        organisations=[mikkeli],
    )
    statement = statements.give_statement(
        request=statement_round.requests.get(),
        user=editor,
        text="Lausunto",
        document=SimpleUploadedFile("lausunto.pdf", b"%PDF-1.7 x"),
    )
    project = Project.objects.create(region=region, name="Hanke", goal_key="yhteisen-tiedon-jakaminen-ja-tilannekuva")
    return {
        "calendars:calendar": ["etela-savo"],
        "calendars:feed": ["etela-savo"],
        "statements:index": ["etela-savo"],
        "statements:round": ["etela-savo", statement_round.pk],
        "statements:new": ["etela-savo", 2026],
        "statements:document": ["etela-savo", statement_round.pk, statement.pk],
        "projects:list": ["etela-savo"],
        "projects:detail": ["etela-savo", project.pk],
        "discussion:index": ["etela-savo"],
        "discussion:thread": ["etela-savo", "metric", "vammojen-ja-myrkytysten-sairaalahoito"],
    }


def reports_arguments(region: Region) -> dict[str, list]:
    """A snapshot kept as rendered (made directly: freezing renders a PDF, tested in the reports app)."""
    from tilannekuva.reports.models import Snapshot

    snapshot = Snapshot.objects.create(
        region=region,
        title="Hallitus",
        meeting_date=datetime.date(2025, 3, 12),
        year=2024,
        dashboard_html="<p>SYNTHETIC</p>",
        report_html="<p>SYNTHETIC</p>",
        report_pdf=b"%PDF-1.7",
    )
    return {
        "reports:index": ["etela-savo"],
        "reports:builds": ["etela-savo"],
        "reports:report": ["etela-savo", 2024],
        "reports:welfare": ["etela-savo", 2024, "491"],
        "reports:gaps": ["etela-savo", 2024],
        "reports:snapshot": ["etela-savo", snapshot.pk],
        "reports:snapshot_report": ["etela-savo", snapshot.pk],
        "reports:api_region": ["etela-savo"],
        "reports:api_strategy": ["etela-savo"],
        "reports:api_indicator": ["file:synthetic-matrix"],
        "reports:api_surveys": ["etela-savo"],
    }


def grants_arguments(region: Region, admin) -> dict[str, list]:
    """Published priorities, the county's open round (its editors and reviewers manage it: none of the matrix's
    people but alice) and an application with an attachment."""
    import datetime
    from decimal import Decimal

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from tilannekuva.grants import services as grants
    from tilannekuva.grants.models import GrantRound
    from tilannekuva.regions.models import Area

    principles = grants.principles_of(region, 2026)
    priority = grants.add_priority(principles=principles, user=admin, title="Osallisuus", description="", weight=2)
    grants.publish(principles=principles, user=admin, reasoning="Perustelu")
    today = timezone.localdate()
    grant_round = GrantRound.objects.create(
        principles=principles,
        funder=Organisation.objects.get(name="Etelä-Savon hyvinvointialue"),
        title="Järjestöavustukset",
        opens_on=today - datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=30),
        budget=Decimal("1000"),
    )
    submitted = grants.submit_application(
        grant_round=grant_round,
        association="Yhdistys ry",
        business_id="1234567-1",
        email="yhdistys@example.invalid",
        contact_person="Yhteyshenkilö",
        signatory="Puheenjohtaja",
        iban="FI21 1234 5600 0007 85",
        privacy_notice=True,
        activity="Kerho",
        description="Kerho",
        target_groups=["young"],
        priorities=[priority],
        municipalities=[Area.objects.get(kind="municipality", code="491")],
        total_budget=Decimal("500"),
        amount_applied=Decimal("400"),
        attachments=[SimpleUploadedFile("liite.pdf", b"%PDF-1.7 x")],
    )
    application = submitted.application
    base = ["etela-savo", grant_round.pk]
    return {
        "grants:index": ["etela-savo"],
        "grants:round": base,
        "grants:apply": base,
        "grants:status": [submitted.token],
        "grants:report": ["etela-savo"],
        "grants:priorities": ["etela-savo", 2026],
        "grants:overlap": ["etela-savo"],
        "grants:manage": base,
        "grants:application": ["etela-savo", application.pk],
        "grants:export": [*base, "csv"],
        "grants:attachment": ["etela-savo", application.attachments.get().pk],
    }


def survey_arguments(region: Region, admin) -> dict[str, list]:
    """An open partner survey with an invitation and an open link, and last year's, closed and published."""
    from tilannekuva.surveys import services as surveys

    survey = surveys.create_survey(region=region, template="partner-survey", year=2025, user=admin)
    surveys.set_status(survey=survey, status="open", user=admin)
    surveys.enable_open_link(survey=survey, user=admin)
    [issued] = surveys.create_invitations(survey=survey, organisations=[None], user=admin)
    published = surveys.create_survey(region=region, template="partner-survey", year=2024, user=admin)
    surveys.set_status(survey=published, status="open", user=admin)
    surveys.set_status(survey=published, status="closed", user=admin)
    surveys.publish_results(survey=published, publish=True, user=admin)
    base = ["etela-savo", survey.pk]
    return {
        "surveys:list": ["etela-savo"],
        "surveys:manage": base,
        "surveys:preview": base,
        "surveys:results": base,
        "surveys:export_results": [*base, "csv"],
        "surveys:export_answers": [*base, "xlsx"],
        "surveys:respond": [issued.token],
        "surveys:open": [survey.open_key],
        "surveys:thanks": [survey.pk],
        "surveys:public_results": ["etela-savo", published.pk],
        "reports:api_survey_results": [published.pk],
    }


def expected(kind: str, who: str) -> set[int]:
    if kind == PUBLIC:
        return {200}
    if who == "anonymous":
        return {302}  # to the login page
    if kind == SIGNED_IN:
        return {200}
    if kind == INTERNAL:
        return {200} if who in IN_REGION else {403}
    if kind == ANY_REGION_ADMIN:
        return {200} if who in {"alice", "bob"} else {403}
    return {200} if who == "alice" else {403}


@pytest.mark.parametrize("who", ROLES)
def test_every_page_answers_every_role_as_its_kind_says(client, people, arguments, who):
    if who != "anonymous":
        client.force_login(people[who])
    wrong = []
    for name, kind in PAGES:
        response = client.get(reverse(name, args=arguments.get(name, [])))
        if response.status_code not in expected(kind, who):
            wrong.append((name, response.status_code))
        elif response.status_code == 302:
            assert "login" in response["Location"], name
    assert wrong == []


def region_patterns(resolver: URLResolver | None = None, prefix: str = "") -> list[tuple[str, str]]:
    """(name, an address with placeholder values) of every URL pattern that takes a region slug."""
    import re

    found = []
    values = {"int": "1", "slug": "x", "str": "x", "path": "x"}
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found += region_patterns(pattern, route)
        elif "<slug:region_slug>" in route:
            address = re.sub(
                r"<(?:(\w+):)?(\w+)>",
                lambda m: "etela-savo" if m[2] == "region_slug" else values[m[1] or "str"],
                route,
            )
            found.append((str(pattern.name), "/" + address.lstrip("^").rstrip("$")))
    return found


@pytest.mark.parametrize("who", ["anonymous", "dave", "bob"])
def test_every_page_of_an_internal_region_answers_404_to_outsiders(client, people, arguments, who):
    """Issue 17: a region marked internal shows nothing to anyone without a role in it, as the API answers: every
    page of the matrix with a region slug (with real arguments) and every other address under a region slug
    (GET and POST) answers 404; its people still see them."""
    Region.objects.update(dashboard_public=False)
    if who != "anonymous":
        client.force_login(people[who])
    wrong: list[tuple[str, ...]] = []
    for name, _kind in PAGES:
        url = reverse(name, args=arguments.get(name, []))
        match = resolve(url)
        if "region_slug" not in match.kwargs:
            continue
        if who == "bob" and match.kwargs["region_slug"] == "pohjois-savo":
            continue  # bob's own region
        status = client.get(url).status_code
        if status != 404:
            wrong.append((name, str(status)))
    for name, url in region_patterns():
        if name in {"private_feed"} or (who == "bob" and "pohjois-savo" in url):
            continue
        for method in (client.get, client.post):
            status = method(url).status_code
            if status != 404:
                wrong.append((name, method.__name__, str(status)))
    assert wrong == []
    client.force_login(people["carol"])  # a viewer of Etelä-Savo
    assert client.get(reverse("cooperation:groups", args=["etela-savo"])).status_code == 200


def test_lists_leave_out_an_internal_region(client, people, arguments):
    """The home page and the data bank's indicator page (its regions and the metrics bound to it) show an internal
    region only to its people."""
    from tilannekuva.databank.binding import bind
    from tilannekuva.databank.regional import Aggregation
    from tilannekuva.strategy.models import Metric

    metric = Metric.objects.filter(version__strategy__region__slug="etela-savo").order_by("pk").first()
    assert metric is not None
    indicator = Indicator.objects.get(external_id="synthetic-matrix")
    bind(metric=metric, indicator=indicator, aggregation=Aggregation.REGION_VALUE)
    Region.objects.filter(slug="etela-savo").update(dashboard_public=False)
    home = client.get(reverse("portal:home")).text
    page = client.get(reverse("databank:indicator", args=["file", "synthetic-matrix"])).text
    assert "/regions/etela-savo/" not in home and "Etelä-Savo" not in page
    client.force_login(people["carol"])
    page = client.get(reverse("databank:indicator", args=["file", "synthetic-matrix"]) + "?region=etela-savo").text
    assert "Etelä-Savo" in page and metric.title in page
