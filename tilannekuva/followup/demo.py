"""The follow-up part of the demo: Etelä-Savo's reporting period open, with one demo editor per organisation
kind, a coordinator of its working groups and a viewer (demo users only; the demo refuses production)."""

import datetime
from collections.abc import Iterator

from django.contrib.auth import get_user_model
from django.utils import timezone

from tilannekuva.dashboard.selectors import default_year
from tilannekuva.regions.models import Organisation, OrganisationKind, Region, RegionRole, RoleKind
from tilannekuva.strategy.selectors import version_in_force

from .models import ReportingPeriod
from .services import open_period

DEMO_REGION = "etela-savo"
DEMO_EDITORS = [
    ("demo-kunta", OrganisationKind.MUNICIPALITY, "491"),  # Mikkeli
    ("demo-hyvinvointialue", OrganisationKind.WELLBEING_SERVICES_COUNTY, None),
    ("demo-liitto", OrganisationKind.REGIONAL_COUNCIL, None),
]
DEMO_COORDINATOR = "demo-koordinaattori"
DEMO_VIEWER = "demo-katselija"
DEADLINE_DAYS = 60


def _user(username: str, password: str) -> object:
    user, _created = get_user_model().objects.get_or_create(
        username=username, defaults={"email": f"{username}@localhost"}
    )
    user.set_password(password)
    user.save()
    return user


def load_demo_data(*, password: str) -> Iterator[str]:
    region = Region.objects.filter(slug=DEMO_REGION).first()
    if region is None:
        return
    version = version_in_force(region, default_year())
    if version is None:
        return
    partners = [p.organisation for p in version.partners.select_related("organisation__area")]
    names = []
    for username, kind, code in DEMO_EDITORS:
        organisation: Organisation | None = next(
            (o for o in partners if o.kind == kind and (code is None or (o.area and o.area.code == code))), None
        )
        if organisation is None:
            continue
        user = _user(username, password)
        RegionRole.objects.get_or_create(user=user, region=region, role=RoleKind.EDITOR, organisation=organisation)
        names.append(f"{username} ({organisation})")
    coordinator = _user(DEMO_COORDINATOR, password)
    for group in version.groups.filter(in_responsibility_table=True):
        RegionRole.objects.get_or_create(
            user=coordinator, region=region, role=RoleKind.COORDINATOR, group_key=group.key
        )
    RegionRole.objects.get_or_create(user=_user(DEMO_VIEWER, password), region=region, role=RoleKind.VIEWER)
    year = default_year()
    period = ReportingPeriod.objects.filter(region=region, year=year).first()
    if period is None:
        admin = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
        if admin is None:
            yield f"Follow-up of {region} {year} not opened: the demo has no administrator (--no-admin)."
            return
        deadline = timezone.localdate() + datetime.timedelta(days=DEADLINE_DAYS)
        period = open_period(region=region, year=year, deadline=deadline, user=admin)
        yield f"Follow-up of {region} {year} opened: {period.tasks.count()} tasks, deadline {deadline:%d.%m.%Y}."
    else:
        yield f"Follow-up of {region} {year} already open: {period.tasks.count()} tasks."
    yield "Demo editors: " + ", ".join(names) + f"; coordinator of the working groups: {DEMO_COORDINATOR}; "
    yield f"viewer: {DEMO_VIEWER}; the password of each is the demo administrator's."
