"""Reading a JSON-stat 2.0 answer (https://json-stat.org/full/), as PxWeb gives it, into a validated dataset; every
fault names its field."""

import itertools
import json
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from tilannekuva.core.http import SourceError
from tilannekuva.databank.services import ImportDataError

from .base import describe_value as _kind

# Beyond this many cells an answer is refused rather than walked: PxWeb itself caps one answer far below it.
MAX_CELLS = 10_000_000


# --- JSON-stat 2.0 ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dimension:
    """One dimension of a dataset: its categories in position order, with their labels and units."""

    id: str
    label: str
    codes: tuple[str, ...]
    labels: dict[str, str] = field(default_factory=dict)
    units: dict[str, Any] = field(default_factory=dict)

    def label_of(self, code: str) -> str:
        return self.labels.get(code, code)


@dataclass(frozen=True)
class Dataset:
    """A validated JSON-stat 2.0 dataset. Values are kept by cell position; missing positions have no value."""

    dimensions: tuple[Dimension, ...]
    values: dict[int, float | None]
    status: dict[int, str]
    label: str = ""
    source: str = ""
    updated: str = ""
    roles: dict[str, tuple[str, ...]] = field(default_factory=dict)  # JSON-stat's role: geo, time, metric

    @property
    def size(self) -> int:
        return math.prod(len(d.codes) for d in self.dimensions)

    def dimension(self, dimension_id: str) -> Dimension:
        for dimension in self.dimensions:
            if dimension.id == dimension_id:
                return dimension
        known = ", ".join(d.id for d in self.dimensions)
        raise ImportDataError(f"the answer has no dimension '{dimension_id}' (it has {known})")

    def cells(self) -> Iterator[tuple[dict[str, str], float | None]]:
        """Every cell in row-major order (the last dimension varies fastest), as (codes by dimension, value)."""
        ids = [d.id for d in self.dimensions]
        for position, codes in enumerate(itertools.product(*(d.codes for d in self.dimensions))):
            yield dict(zip(ids, codes, strict=True)), self.values.get(position)


def load_json(content: bytes, *, url: str) -> Any:
    """Parse an answer strictly: a key given twice in one object, or NaN/Infinity, is a fault, not a silent pick."""

    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in pairs:
            if key in result:
                raise ImportDataError(f"the answer from {url} has the key '{key}' twice in one object")
            result[key] = value
        return result

    def no_constant(name: str) -> Any:
        raise ImportDataError(f"the answer from {url} contains {name}, which is not a JSON number")

    try:
        return json.loads(content, object_pairs_hook=no_duplicates, parse_constant=no_constant)
    except (ValueError, UnicodeDecodeError) as exc:
        raise SourceError(f"Statistics Finland answered with something that is not JSON for {url}: {exc}") from exc


def jsonstat_cells(payload: Any) -> Iterator[tuple[dict[str, str], float | None]]:
    """The cells of a JSON-stat 2.0 dataset as (codes by dimension id, value). The whole payload is validated
    before the first cell comes out; any fault raises ImportDataError naming the field."""
    return read_dataset(payload).cells()


def read_dataset(payload: Any) -> Dataset:
    """Validate a JSON-stat 2.0 dataset (https://json-stat.org/full/) and return it; faults name their field."""
    if not isinstance(payload, dict):
        raise ImportDataError(f"the answer is {_kind(payload)}, not a JSON-stat dataset object")
    if payload.get("version") != "2.0":
        raise ImportDataError(
            f"version is {payload.get('version')!r}, not '2.0': ask PxWeb for the format json-stat2 (JSON-stat 2.0)"
        )
    if payload.get("class") != "dataset":
        raise ImportDataError(f"class is {payload.get('class')!r}, not 'dataset'")
    ids = _dimension_ids(payload.get("id"))
    sizes = _sizes(payload.get("size"), ids)
    described = payload.get("dimension")
    if not isinstance(described, dict):
        raise ImportDataError(f"dimension is {_kind(described)}, not an object describing {', '.join(ids)}")
    errors = [f"dimension describes '{extra}', which id does not name" for extra in described if extra not in ids]
    dimensions = []
    for dimension_id, size in zip(ids, sizes, strict=True):
        try:
            dimensions.append(_dimension(dimension_id, described.get(dimension_id), size))
        except ImportDataError as exc:
            errors.extend(exc.errors)
    if errors:
        raise ImportDataError(errors)
    total = math.prod(sizes)
    if total > MAX_CELLS:
        raise ImportDataError(f"size says {_product(sizes)} = {total} cells, more than the {MAX_CELLS} an import takes")
    values = _values(payload.get("value"), tuple(dimensions), sizes)
    status = _status(payload.get("status"), total)
    texts = {}
    for name in ("label", "source", "updated"):
        text = payload.get(name, "")
        if not isinstance(text, str):
            raise ImportDataError(f"{name} is {_kind(text)}, not text")
        texts[name] = text
    return Dataset(
        dimensions=tuple(dimensions), values=values, status=status, roles=_roles(payload.get("role"), ids), **texts
    )


def _roles(raw: Any, ids: list[str]) -> dict[str, tuple[str, ...]]:
    """JSON-stat's `role` (which dimensions are geo, time and metric); a role naming no dimension is a fault."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ImportDataError(f"role is {_kind(raw)}, not an object of role → dimension ids")
    roles = {}
    for name, named in raw.items():
        if not isinstance(named, list) or not all(isinstance(i, str) and i in ids for i in named):
            raise ImportDataError(f"role {name} is {_kind(named)}, not a list of the dataset's dimension ids")
        roles[name] = tuple(named)
    return roles


def _product(sizes: Sequence[int]) -> str:
    return " × ".join(str(s) for s in sizes) if sizes else "1"


def _dimension_ids(ids: Any) -> list[str]:
    if not isinstance(ids, list) or not ids:
        raise ImportDataError(f"id is {_kind(ids)}, not a list of dimension ids")
    seen: set[str] = set()
    for i, dimension_id in enumerate(ids):
        if not isinstance(dimension_id, str) or not dimension_id:
            raise ImportDataError(f"id[{i}] is {_kind(dimension_id)}, not a dimension id")
        if dimension_id in seen:
            raise ImportDataError(f"id lists dimension '{dimension_id}' twice")
        seen.add(dimension_id)
    return ids


def _sizes(sizes: Any, ids: list[str]) -> list[int]:
    if not isinstance(sizes, list):
        raise ImportDataError(f"size is {_kind(sizes)}, not a list of dimension sizes")
    if len(sizes) != len(ids):
        raise ImportDataError(f"id names {len(ids)} dimensions ({', '.join(ids)}), size has {len(sizes)} entries")
    for dimension_id, size in zip(ids, sizes, strict=True):
        if isinstance(size, bool) or not isinstance(size, int) or size < 0:
            raise ImportDataError(f"size of dimension '{dimension_id}' is {_kind(size)}, not a whole number ≥ 0")
    return sizes


def _dimension(dimension_id: str, entry: Any, size: int) -> Dimension:
    where = f"dimension '{dimension_id}'"
    if entry is None:
        raise ImportDataError(f"{where} is named in id but not described in dimension")
    if not isinstance(entry, dict) or not isinstance(entry.get("category"), dict):
        raise ImportDataError(f"{where} has no category object")
    category = entry["category"]
    labels = category.get("label", {})
    if not isinstance(labels, dict):
        raise ImportDataError(f"{where} category label is {_kind(labels)}, not an object of code → label")
    for code, label in labels.items():
        if not isinstance(label, str):
            raise ImportDataError(f"{where} category label of '{code}' is {_kind(label)}, not text")
    index = category.get("index")
    if index is None:
        # JSON-stat lets a dimension with a single category leave out the index.
        if len(labels) != 1:
            raise ImportDataError(
                f"{where} category has no index (allowed only for a single category; it has {len(labels)} labels)"
            )
        codes = list(labels)
    elif isinstance(index, list):
        codes = _codes_from_list(where, index)
    elif isinstance(index, dict):
        codes = _codes_from_positions(where, index)
    else:
        raise ImportDataError(f"{where} category index is {_kind(index)}, not a list or an object of code → position")
    if len(codes) != size:
        raise ImportDataError(f"{where} has {len(codes)} categories, size says {size}")
    unknown = [code for code in labels if code not in set(codes)]
    if unknown:
        raise ImportDataError(f"{where} category label names '{unknown[0]}', which its index does not list")
    label = entry.get("label", dimension_id)
    if not isinstance(label, str):
        raise ImportDataError(f"{where} label is {_kind(label)}, not text")
    units = category.get("unit", {})
    if not isinstance(units, dict):
        raise ImportDataError(f"{where} category unit is {_kind(units)}, not an object of code → unit")
    return Dimension(id=dimension_id, label=label, codes=tuple(codes), labels=labels, units=units)


def _codes_from_list(where: str, index: list[Any]) -> list[str]:
    seen: set[str] = set()
    for i, code in enumerate(index):
        if not isinstance(code, str):
            raise ImportDataError(f"{where} category index[{i}] is {_kind(code)}, not a category code")
        if code in seen:
            raise ImportDataError(f"{where} category index lists '{code}' twice")
        seen.add(code)
    return index


def _codes_from_positions(where: str, index: dict[str, Any]) -> list[str]:
    by_position: dict[int, str] = {}
    for code, position in index.items():
        if isinstance(position, bool) or not isinstance(position, int):
            raise ImportDataError(f"{where} category index gives '{code}' the position {_kind(position)}")
        if not 0 <= position < len(index):
            raise ImportDataError(
                f"{where} category index gives '{code}' position {position}, outside 0–{len(index) - 1}"
            )
        if position in by_position:
            raise ImportDataError(
                f"{where} category index gives position {position} to both '{by_position[position]}' and '{code}'"
            )
        by_position[position] = code
    return [by_position[p] for p in range(len(index))]


def _describe_cell(position: int, dimensions: tuple[Dimension, ...], sizes: Sequence[int]) -> str:
    codes = []
    for dimension, size in zip(reversed(dimensions), reversed(sizes), strict=True):
        position, offset = divmod(position, size)
        codes.append(f"{dimension.id}={dimension.codes[offset]}")
    return ", ".join(reversed(codes))


def _number(raw: Any, *, where: str) -> float | None:
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise ImportDataError(f"{where} is {_kind(raw)}, not a number")
    return float(raw)


def _values(raw: Any, dimensions: tuple[Dimension, ...], sizes: list[int]) -> dict[int, float | None]:
    total = math.prod(sizes)
    values: dict[int, float | None] = {}
    errors: list[str] = []
    if isinstance(raw, list):
        if len(raw) != total:
            raise ImportDataError(f"value has {len(raw)} entries, size says {_product(sizes)} = {total}")
        positions: Iterator[tuple[int, Any]] = enumerate(raw)
    elif isinstance(raw, dict):
        numbered = []
        for key, entry in raw.items():
            if not (isinstance(key, str) and key.isdigit() and key.isascii()):
                raise ImportDataError(f"value has the key '{key}', not a cell position")
            if int(key) >= total:
                raise ImportDataError(
                    f"value has position {key}, outside 0–{total - 1} (size says {_product(sizes)} = {total})"
                )
            numbered.append((int(key), entry))
        positions = iter(numbered)
    else:
        raise ImportDataError(f"value is {_kind(raw)}, not a list or an object of position → value")
    for position, entry in positions:
        try:
            values[position] = _number(
                entry, where=f"value[{position}] ({_describe_cell(position, dimensions, sizes)})"
            )
        except ImportDataError as exc:
            errors.extend(exc.errors)
    if errors:
        raise ImportDataError(errors)
    return values


def _status(raw: Any, total: int) -> dict[int, str]:
    if raw is None:
        return {}
    if isinstance(raw, str):
        return dict.fromkeys(range(total), raw)
    if isinstance(raw, list):
        if len(raw) not in (1, total):
            raise ImportDataError(f"status has {len(raw)} entries, value has {total}")
        if len(raw) == 1 and total != 1:
            raw = raw * total
        entries: list[tuple[Any, Any]] = list(enumerate(raw))
    elif isinstance(raw, dict):
        entries = []
        for key, entry in raw.items():
            if not (key.isdigit() and key.isascii() and int(key) < total):
                raise ImportDataError(f"status has the key '{key}', not a cell position 0–{total - 1}")
            entries.append((int(key), entry))
    else:
        raise ImportDataError(f"status is {_kind(raw)}, not text, a list or an object of position → status")
    status = {}
    for position, entry in entries:
        if entry is None:
            continue
        if not isinstance(entry, str):
            raise ImportDataError(f"status[{position}] is {_kind(entry)}, not text")
        status[position] = entry
    return status
