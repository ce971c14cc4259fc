"""The funding part of the demo: the SYNTHETIC HYTE tables of 2024 (made-up values for every municipality,
labelled "synteettinen" wherever a figure derived from them shows), imported through the same importer a user
runs; and the real Statistics Finland figures the vitality index needs (data/statfin/vitality/), imported
through the data bank's `import file` like a user would."""

import io
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

from tilannekuva.databank.services import run_summary
from tilannekuva.databank.sources import files

from .models import FigureKind
from .parameters import directory
from .services import import_figures

DEMO_TABLES = [
    ("SYNTHETIC-thl-municipalities-2024.csv", FigureKind.THL),
    ("SYNTHETIC-vm-municipalities-2024.csv", FigureKind.VM),
]
PRODUCER = "Tilastokeskus"
# (file, indicator id as vitality.yaml reads it, title, unit, direction, vintage)
VITALITY_FILES = [
    (
        "vaesto-2023-2025.csv",
        "vaesto",
        "Väestö 31.12.",
        "henkeä",
        "higher_is_better",
        "Tilastokeskus, väestörakenne 31.12.2023–2025 (2023: luettelo 5 603 851 = virallinen koko maa; 2024 ja "
        "2025: WFS kunta_vaki2024/2025), vuoden 2025 kuntajaolla; data/statfin/vitality/",
    ),
    (
        "huoltosuhde-2024-2025.csv",
        "huoltosuhde",
        "Demografinen huoltosuhde (0–14 ja 65+ / 15–64 × 100)",
        "",
        "lower_is_better",
        "Laskettu Tilastokeskuksen ikäryhmistä 31.12.2024 ja 2025 (WFS kunta_vaki2024/2025); data/statfin/vitality/",
    ),
]


def vitality_directory() -> Path:
    return Path(settings.DATA_DIR) / "statfin" / "vitality"


def import_vitality_figures() -> Iterator[str]:
    for name, indicator, title, unit, direction, vintage in VITALITY_FILES:
        out = io.StringIO()
        options = files.FileOptions(
            path=vitality_directory() / name,
            format="long",
            source_name=PRODUCER,
            indicator_title=title,
            unit=unit or None,
            direction=direction,
            vintage=vintage,
        )
        run = files.SOURCE.run(options, out)
        yield f"{name} ({indicator}): {run_summary(run)}"


def load_demo_data(*, password: str) -> Iterator[str]:
    for name, kind in DEMO_TABLES:
        result = import_figures(path=directory() / name, kind=kind)
        yield f"{name}: {result}"
    yield from import_vitality_figures()
