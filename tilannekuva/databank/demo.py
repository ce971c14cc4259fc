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
RECENT_POPULATION_VINTAGE = (
    "Tilastokeskus, väestörakenne 31.12.2024 ja 31.12.2025 (WFS-tasot kunta_vaki2024 ja kunta_vaki2025; "
    "2025 myös PxWeb-taulukko 11ra, päivitetty 29.5.2026); tallennettu 2026, ks. data/SOURCES.md"
)
DIABETES_VINTAGE = (
    "Sotkanet 683 (tuottaja Kela), tiedot 2015–2023 Etelä-Savon alueille Sotkanetin nykyisellä aluejaolla; "
    "tallennettu 2026, ks. data/SOURCES.md; päivitä komennolla tilannekuva import sotkanet"
)
DEPENDENCY_VINTAGE = (
    "laskettu Tilastokeskuksen ikäryhmistä 31.12.2024 ja 31.12.2025: (0–14-v. + 65 v. täyttäneet) / 15–64-v. × 100; "
    "ks. data/SOURCES.md"
)


def recent_imports() -> list:
    """Real recent figures (data/SOURCES.md): Sotkanet 683 of 2015–2023 for Etelä-Savo's areas (data/sotkanet/recent/),
    and from data/statfin/recent/ the population of every municipality
    from Statistics Finland's WFS layers, continued by the recorded PxWeb answer of table 11ra (its overlap with
    the WFS figures of 2025 is checked value by value), and the demographic dependency ratio computed from the
    same layers' age groups. The vitality index reads them as `statfin:vaesto` and `statfin:huoltosuhde`."""
    recent = settings.DATA_DIR / "statfin" / "recent"

    def population(year: int) -> files.FileOptions:
        return files.FileOptions(
            path=recent / f"vaki{year}-kunnat-wfs-attributes.csv",
            format="long",
            source_key=pxweb.SOURCE_KEY,
            indicator="vaesto",
            indicator_title="Väestö 31.12.",
            unit="lukumäärä",
            vintage=RECENT_POPULATION_VINTAGE,
            map={"area": "kunta", "year": "til_vuosi", "value": "vaesto"},
        )

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
    return [
        lambda out: files.SOURCE.run(diabetes, out),
        lambda out: files.SOURCE.run(population(2024), out),
        lambda out: files.SOURCE.run(population(2025), out),
        lambda out: pxweb.SOURCE.run(
            pxweb.PxWebOptions(
                table="vaerak/11ra",
                value_dimension=("", "vaerak-vaesto"),
                indicator_id="vaesto",
                indicator_title="Väestö 31.12.",
                from_file=str(recent / "11ra-2025-recorded.json"),
            ),
            out,
        ),
        lambda out: files.SOURCE.run(
            files.FileOptions(
                path=recent / "DERIVED-huoltosuhde-2024-2025.csv",
                format="long",
                source_key=pxweb.SOURCE_KEY,
                indicator="huoltosuhde",
                indicator_title="Demografinen huoltosuhde",
                unit="alle 15- ja yli 64-vuotiaita sataa 15–64-vuotiasta kohden",
                direction="lower_is_better",
                vintage=DEPENDENCY_VINTAGE,
            ),
            out,
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
