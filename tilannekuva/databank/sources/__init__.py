"""One module per outside source behind one registry, and one command: `tilannekuva import SOURCE ...`.

Each source module provides `help`, `add_arguments(parser)` and `run(options, stdout) -> ImportRun`.
"""

import importlib
from types import ModuleType

REGISTRY = {
    "sotkanet": "tilannekuva.databank.sources.sotkanet",
    "sotkanet-snapshot": "tilannekuva.databank.sources.sotkanet_snapshot",
    "statfin": "tilannekuva.databank.sources.pxweb",
    "ptv": "tilannekuva.databank.sources.ptv",
    "file": "tilannekuva.databank.sources.files",
}


def available() -> dict[str, ModuleType]:
    """The source modules that exist in this installation, by command name."""
    modules = {}
    for name, path in REGISTRY.items():
        try:
            modules[name] = importlib.import_module(path)
        except ModuleNotFoundError as exc:
            if exc.name != path:
                raise
    return modules
