"""The data bank's part of the demo: the bundled real data (data/SOURCES.md) through the same importers a user
runs, so that each is an import run like a user's and a second run reports "nothing changed"."""

import io
from collections.abc import Iterator

from django.conf import settings

from .models import ImportRun
from .services import run_summary
from .sources import files, pxweb, sotkanet, sotkanet_snapshot

POPULATION_VINTAGE = (
    "tiedot 2000–2022 vuoden 2023 kuntajaolla, Sotkanetista tallennettu (rOpenGov/geofi); "
    "päivitä komennolla tilannekuva import sotkanet"
)
METADATA_VINTAGE = "vain metatiedot, tallennettu Sotkanetista 9/2025; arvoja ei ole tuotu"
DIABETES_VINTAGE = (
    "Sotkanet 683 (tuottaja Kela), tiedot 2015–2023 Etelä-Savon alueille Sotkanetin nykyisellä aluejaolla; "
    "tallennettu 2026, ks. data/SOURCES.md; päivitä komennolla tilannekuva import sotkanet"
)


def recent_imports() -> list:
    """Real recent figures (data/SOURCES.md): Sotkanet 683 of 2015–2023 for Etelä-Savo's areas (data/sotkanet/recent/),
    and two key figures of 2025 for every municipality, maakunta and the country from the recorded PxWeb answer of
    table 11ra (data/statfin/recent/), read by the StatFin importer as it reads PxWeb's answers. The population of
    2023–2025 and the dependency ratio, which the vitality index reads, are the funding app's demo part
    (data/statfin/vitality/): the 11ra answer's population is not imported a second time."""
    recent = settings.DATA_DIR / "statfin" / "recent"
    diabetes = files.FileOptions(
        path=settings.DATA_DIR / "sotkanet" / "recent" / "DERIVED-683-areas-2015-2023.csv",
        format="long",
        source_key=sotkanet.SOURCE_KEY,
        indicator="683",
        indicator_title=(
            "Erityiskorvattaviin lääkkeisiin diabeteksen vuoksi oikeutettuja 40 vuotta täyttäneitä, "
            "% vastaavanikäisestä väestöstä"
        ),
        unit="%",
        direction="lower_is_better",
        vintage=DIABETES_VINTAGE,
    )

    def key_figure(value: str, key: str, title: str) -> pxweb.PxWebOptions:
        return pxweb.PxWebOptions(
            table="vaerak/11ra",
            value_dimension=("", value),
            indicator_id=key,
            indicator_title=title,
            from_file=str(recent / "11ra-2025-recorded.json"),
        )

    return [
        lambda out: files.SOURCE.run(diabetes, out),
        lambda out: pxweb.SOURCE.run(
            key_figure("vaesto_yli64_p", "yli64-osuus", "65 vuotta täyttäneiden osuus, %"), out
        ),
        lambda out: pxweb.SOURCE.run(
            key_figure("vaesto_keski_ika", "keski-ika", "Keski-ikä, molemmat sukupuolet"), out
        ),
    ]


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
        *recent_imports(),
    ]
    for run_one in imports:
        out = io.StringIO()
        run: ImportRun = run_one(out)
        yield out.getvalue().strip()
        yield run_summary(run)
