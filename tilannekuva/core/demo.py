"""The demo world: Finland's areas, the bundled strategies (Etelä-Savo first), the bundled real data of the data
bank (data/SOURCES.md) and a demo administrator."""

import io
from collections.abc import Iterator
from importlib import import_module
from types import ModuleType

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model

from tilannekuva.databank.models import ImportRun
from tilannekuva.databank.services import run_summary
from tilannekuva.databank.sources import files, sotkanet, sotkanet_snapshot
from tilannekuva.regions.models import Region, RegionRole, RoleKind
from tilannekuva.regions.services import load_areas
from tilannekuva.strategy.yaml_import import import_file

DEMO_STRATEGIES = ["etela-savo.yaml", "pohjois-savo.yaml", "keski-uusimaa.yaml"]
POPULATION_VINTAGE = (
    "tiedot 2000–2022 vuoden 2023 kuntajaolla, Sotkanetista tallennettu (rOpenGov/geofi); "
    "päivitä komennolla tilannekuva import sotkanet"
)
METADATA_VINTAGE = "vain metatiedot, tallennettu Sotkanetista 9/2025; arvoja ei ole tuotu"
DEMO_ADMIN = "demo-admin"
DEMO_ADMIN_PASSWORD = "tilannekuva-demo"  # noqa: S105 - printed to the user; the demo refuses production


def load_demo(*, password: str | None = None) -> Iterator[str]:
    """Areas, strategies and bundled data, then each app's own demo part (an app's `demo.load_demo_data`)."""
    yield str(load_areas())
    for name in DEMO_STRATEGIES:
        yield str(import_file(settings.STRATEGIES_DIR / name))
    yield from load_bundled_data()
    for module in app_demo_modules():
        yield from module.load_demo_data(password=password or DEMO_ADMIN_PASSWORD)


def app_demo_modules() -> list[ModuleType]:
    """The `demo` modules of the apps below core, in the order of INSTALLED_APPS; core never imports them by
    name, so that it stays above them."""
    found = []
    for app in apps.get_app_configs():
        if not app.name.startswith("tilannekuva.") or app.name == "tilannekuva.core":
            continue
        try:
            found.append(import_module(f"{app.name}.demo"))
        except ModuleNotFoundError as exc:
            if exc.name != f"{app.name}.demo":
                raise
    return found


def load_bundled_data() -> Iterator[str]:
    """The bundled real data through the same importers a user runs; idempotent like them."""
    data = settings.DATA_DIR
    imports = [
        lambda out: sotkanet_snapshot.run({}, out),
        lambda out: files.run(
            {
                "path": data / "population" / "sotkadata_population.csv",
                "format": "long",
                "source_key": sotkanet.SOURCE_KEY,
                "indicator": "127",
                "indicator_title": "Väestö 31.12.",
                "unit": "lukumäärä",
                "vintage": POPULATION_VINTAGE,
                "map": [("area", "municipality_code"), ("value", "primary.value")],
            },
            out,
        ),
        lambda out: sotkanet.import_recorded_metadata(
            directory=data / "sotkanet" / "metadata-2025", vintage=METADATA_VINTAGE, stdout=out
        ),
    ]
    for run_one in imports:
        out = io.StringIO()
        run: ImportRun = run_one(out)
        yield out.getvalue().strip()
        yield run_summary(run)


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
