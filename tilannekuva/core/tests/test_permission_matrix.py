"""Every page of the site × every role: public pages answer everyone, internal pages need a role in the region,
administration pages its administrators; no page fails for anyone. The POST actions are tested beside each app.

The test fails when a URL is added without being listed here, so that no view escapes the matrix."""

import datetime

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tilannekuva.databank.models import Indicator
from tilannekuva.databank.services import source
from tilannekuva.followup.services import open_period, submit_report
from tilannekuva.regions.models import Organisation, Region, RegionRole, RoleKind
from tilannekuva.strategy.models import Action

ROLES = ["anonymous", "dave", "bob", "carol", "editor", "coordinator", "alice"]
IN_REGION = {"carol", "editor", "coordinator", "alice"}
PUBLIC, INTERNAL, ADMIN, SIGNED_IN = "public", "internal", "admin", "signed-in"

# (URL name, kind of page); the arguments come from `arguments` below. POST-only and download views are tested
# in their apps: they are listed under POST_ONLY so that the completeness check knows them.
PAGES = [
    ("core:home", PUBLIC),
    ("strategy:region", PUBLIC),
    ("databank:catalogue", PUBLIC),
    ("databank:indicator", PUBLIC),
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
    ("cooperation:process", PUBLIC),
    ("cooperation:versions", INTERNAL),
    ("followup:overview", INTERNAL),
    ("followup:mine", INTERNAL),
    ("followup:task", INTERNAL),
    ("followup:evidence", INTERNAL),
    ("audit:region", ADMIN),
    ("audit:export", ADMIN),
    ("accounts:login", PUBLIC),
    ("accounts:two_factor", SIGNED_IN),
]
POST_ONLY = {
    "set_language",
    "databank:bind",
    "followup:open",
    "followup:report",
    "followup:review",
    "cooperation:version_copy",
    "cooperation:version_approve",
    "cooperation:meeting",
    "cooperation:counterpart",
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
    task = period.tasks.get(metric__key="laaja-hyvinvointikertomus-ja-suunnitelma")
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
        "cooperation:process": ["keski-uusimaa"],
        "cooperation:versions": ["etela-savo"],
        "followup:overview": ["etela-savo"],
        "followup:mine": ["etela-savo"],
        "followup:task": ["etela-savo", task.pk],
        "followup:evidence": ["etela-savo", report.pk],
        "audit:region": ["etela-savo"],
        "audit:export": ["etela-savo"],
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
