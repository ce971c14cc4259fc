"""The funding part of the demo: the SYNTHETIC HYTE tables of 2024 (made-up values for every municipality,
labelled synthetic on every page), imported through the same importer a user runs."""

from collections.abc import Iterator

from .models import FigureKind
from .parameters import directory
from .services import import_figures

DEMO_TABLES = [
    ("SYNTHETIC-thl-municipalities-2024.csv", FigureKind.THL),
    ("SYNTHETIC-vm-municipalities-2024.csv", FigureKind.VM),
]


def load_demo_data(*, password: str) -> Iterator[str]:
    for name, kind in DEMO_TABLES:
        result = import_figures(path=directory() / name, kind=kind)
        yield f"{name}: {result}"
