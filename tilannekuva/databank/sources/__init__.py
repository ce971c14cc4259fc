"""One module per outside source behind one registry, and one command: `tilannekuva import SOURCE ...`.

Each source module defines one `base.ImportSource` (the contract is in base.py); the registry below names them
by the command's name. A new source is a new module and one line here.
"""

from typing import Any

from . import files, ptv, pxweb, sotkanet, sotkanet_snapshot
from .base import ImportSource

REGISTRY: dict[str, ImportSource[Any]] = {
    source.name: source
    for source in (sotkanet.SOURCE, sotkanet_snapshot.SOURCE, pxweb.SOURCE, ptv.SOURCE, files.SOURCE)
}


def available() -> dict[str, ImportSource[Any]]:
    """The import sources, by the name the `import` command gives them."""
    return REGISTRY
