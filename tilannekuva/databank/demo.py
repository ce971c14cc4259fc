"""The data bank's part of the demo: the bundled real data (data/SOURCES.md) through the same importers a user
runs, so that each is an import run like a user's and a second run reports "nothing changed"."""

import io
from collections.abc import Iterator

from django.conf import settings

from .models import ImportRun
from .services import run_summary
from .sources import files, sotkanet, sotkanet_snapshot

POPULATION_VINTAGE = (
    "tiedot 2000–2022 vuoden 2023 kuntajaolla, Sotkanetista tallennettu (rOpenGov/geofi); "
    "päivitä komennolla tilannekuva import sotkanet"
)
METADATA_VINTAGE = "vain metatiedot, tallennettu Sotkanetista 9/2025; arvoja ei ole tuotu"


def load_demo_data() -> Iterator[str]:
    """The 2013 Sotkanet snapshot, the population series and the recorded 2025 metadata; idempotent."""
    data = settings.DATA_DIR
    imports = [
        lambda out: sotkanet_snapshot.SOURCE.run(sotkanet_snapshot.SnapshotOptions(), out),
        lambda out: files.SOURCE.run(
            files.FileOptions(
                path=data / "population" / "sotkadata_population.csv",
                format="long",
                source_key=sotkanet.SOURCE_KEY,
                indicator="127",
                indicator_title="Väestö 31.12.",
                unit="lukumäärä",
                vintage=POPULATION_VINTAGE,
                map={"area": "municipality_code", "value": "primary.value"},
            ),
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
