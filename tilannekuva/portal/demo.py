"""The demo world: Finland's areas, the bundled strategies (Etelä-Savo first), then each app's own demo part in
the order the apps build on each other (the data bank's bundled real data first), and a demo administrator.

The roof imports the apps' demo modules by name: it stands above them all, so nothing is hidden."""

from collections.abc import Iterator

from django.conf import settings
from django.contrib.auth import get_user_model

from tilannekuva.calendars import demo as calendars_demo
from tilannekuva.cooperation import demo as cooperation_demo
from tilannekuva.databank import demo as databank_demo
from tilannekuva.followup import demo as followup_demo
from tilannekuva.funding import demo as funding_demo
from tilannekuva.grants import demo as grants_demo
from tilannekuva.projects import demo as projects_demo
from tilannekuva.regions.models import Region, RegionRole, RoleKind
from tilannekuva.regions.services import load_areas
from tilannekuva.reports import demo as reports_demo
from tilannekuva.statements import demo as statements_demo
from tilannekuva.strategy.yaml_import import import_file
from tilannekuva.surveys import demo as surveys_demo

DEMO_STRATEGIES = ["etela-savo.yaml", "pohjois-savo.yaml", "keski-uusimaa.yaml"]
DEMO_ADMIN = "demo-admin"
DEMO_ADMIN_PASSWORD = "tilannekuva-demo"  # noqa: S105 - printed to the user; the demo refuses production


def load_demo(*, password: str | None = None) -> Iterator[str]:
    """Areas, strategies and bundled data, then the apps' demo parts; the demo users get `password`."""
    password = password or DEMO_ADMIN_PASSWORD
    yield str(load_areas())
    for name in DEMO_STRATEGIES:
        yield str(import_file(settings.STRATEGIES_DIR / name))
    yield from databank_demo.load_demo_data()
    yield from followup_demo.load_demo_data(password=password)
    yield from cooperation_demo.load_demo_data(password=password)
    yield from surveys_demo.load_demo_data(password=password)
    yield from funding_demo.load_demo_data(password=password)
    yield from grants_demo.load_demo_data(password=password)
    yield from statements_demo.load_demo_data(password=password)
    yield from projects_demo.load_demo_data(password=password)
    # The calendar shows what the apps above have made (periods, surveys, rounds, milestones).
    yield from calendars_demo.load_demo_data(password=password)
    yield from reports_demo.load_demo_data(password=password)


def ensure_demo_admin(*, password: str | None = None) -> tuple[str, str]:
    """A superuser for the demo, also region administrator of every region so the region views show."""
    password = password or DEMO_ADMIN_PASSWORD
    user_model = get_user_model()
    user, _ = user_model.objects.get_or_create(username=DEMO_ADMIN, defaults={"email": "demo-admin@localhost"})
    user.is_staff = True
    user.is_superuser = True
    user.set_password(password)
    user.save()
    for region in Region.objects.all():
        RegionRole.objects.get_or_create(user=user, region=region, role=RoleKind.ADMIN, organisation=None)
    return DEMO_ADMIN, password
