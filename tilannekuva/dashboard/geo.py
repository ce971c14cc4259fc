"""Municipality boundaries for the dashboard maps: a TopoJSON decoder and GeoJSON for a year's division."""

import functools
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Q

from tilannekuva.regions.models import Area, AreaKind, AreaMembership, valid_in
from tilannekuva.regions.selectors import members_of

TOPOLOGY_FILE = Path("geo") / "finland-hva-2021.topo.json"
MUNICIPALITY_OBJECT = "munis"
# Four decimals are about 10 m on the ground: finer than the file's own quantisation (about 70 m).
PRECISION = 4
KM_PER_DEGREE = 111.2

Position = tuple[float, float]
Ring = list[Position]
Polygon = list[Ring]


class GeoDataError(Exception):
    """The topology file is missing or malformed; the message names the file, object or geometry."""


def decode_arcs(topology: dict[str, Any]) -> list[list[Position]]:
    """Absolute lon/lat positions of every arc, undoing the delta encoding and quantisation if present."""
    transform = topology.get("transform")
    arcs: list[list[Position]] = []
    if transform is None:
        for arc in topology["arcs"]:
            arcs.append([(round(p[0], PRECISION), round(p[1], PRECISION)) for p in arc])
        return arcs
    (scale_x, scale_y), (translate_x, translate_y) = transform["scale"], transform["translate"]
    for arc in topology["arcs"]:
        x = y = 0
        positions = []
        for point in arc:
            x += point[0]
            y += point[1]
            positions.append((round(x * scale_x + translate_x, PRECISION), round(y * scale_y + translate_y, PRECISION)))
        arcs.append(positions)
    return arcs


def _ring(indexes: list[int], arcs: list[list[Position]]) -> Ring:
    positions: Ring = []
    for index in indexes:
        # A negative index ~i is arc i walked backwards.
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        # Each arc starts where the previous one ended; keep that shared position once.
        positions.extend(arc if not positions else arc[1:])
    return positions


def _polygons(geometry: dict[str, Any], arcs: list[list[Position]]) -> list[Polygon]:
    kind = geometry.get("type")
    if kind == "Polygon":
        return [[_ring(ring, arcs) for ring in geometry["arcs"]]]
    if kind == "MultiPolygon":
        return [[_ring(ring, arcs) for ring in polygon] for polygon in geometry["arcs"]]
    raise GeoDataError(f"geometry type {kind!r} is not supported; only Polygon and MultiPolygon are")


def _geometry(polygons: list[Polygon]) -> dict[str, Any]:
    """GeoJSON geometry with fresh lists, so that callers may change it without touching the cache."""
    coordinates = [[[[x, y] for x, y in ring] for ring in polygon] for polygon in polygons]
    if len(coordinates) == 1:
        return {"type": "Polygon", "coordinates": coordinates[0]}
    return {"type": "MultiPolygon", "coordinates": coordinates}


def decode(topology: dict[str, Any], object_name: str) -> dict[str, Any]:
    """The GeoJSON FeatureCollection of one object (a GeometryCollection) of a TopoJSON topology."""
    try:
        collection = topology["objects"][object_name]
    except KeyError:
        raise GeoDataError(f"the topology has no object {object_name!r}")
    arcs = decode_arcs(topology)
    features = []
    for geometry in collection.get("geometries", []):
        feature: dict[str, Any] = {
            "type": "Feature",
            "properties": dict(geometry.get("properties") or {}),
            "geometry": _geometry(_polygons(geometry, arcs)),
        }
        if "id" in geometry:
            feature["id"] = geometry["id"]
        features.append(feature)
    return {"type": "FeatureCollection", "features": features}


@dataclass(frozen=True)
class MunicipalityShape:
    code: str
    name_fi: str
    name_sv: str
    polygons: list[Polygon]
    arcs: frozenset[int]


@dataclass(frozen=True)
class MunicipalityMap:
    """The 2021 municipalities of the bundled topology, with arc lengths for measuring shared borders."""

    shapes: dict[str, MunicipalityShape]
    arc_lengths: list[float]

    def border_length(self, arcs: frozenset[int]) -> float:
        return sum(self.arc_lengths[index] for index in arcs)


def _length_km(arc: list[Position]) -> float:
    total = 0.0
    for (x1, y1), (x2, y2) in zip(arc, arc[1:], strict=False):
        total += math.hypot((x2 - x1) * math.cos(math.radians((y1 + y2) / 2)), y2 - y1)
    return total * KM_PER_DEGREE


def municipality_map() -> MunicipalityMap:
    """The decoded municipality layer of the bundled topology file, read once per process."""
    return _read_map(settings.DATA_DIR / TOPOLOGY_FILE)


@functools.lru_cache(maxsize=4)
def _read_map(path: Path) -> MunicipalityMap:
    try:
        topology = json.loads(path.read_text(encoding="utf-8"))
        geometries = topology["objects"][MUNICIPALITY_OBJECT]["geometries"]
        arcs = decode_arcs(topology)
        shapes = {}
        for geometry in geometries:
            properties = geometry["properties"]
            code = str(properties["id"]).zfill(3)
            rings = geometry["arcs"] if geometry["type"] == "Polygon" else [r for p in geometry["arcs"] for r in p]
            shapes[code] = MunicipalityShape(
                code=code,
                name_fi=properties.get("name_fi", ""),
                name_sv=properties.get("name_sv", ""),
                polygons=_polygons(geometry, arcs),
                arcs=frozenset(index if index >= 0 else ~index for ring in rings for index in ring),
            )
    except (OSError, ValueError, KeyError, TypeError, GeoDataError) as exc:
        raise GeoDataError(f"{path}: {exc}") from exc
    return MunicipalityMap(shapes=shapes, arc_lengths=[_length_km(arc) for arc in arcs])


def _heir(area: Area, candidates: list[Area], territory: dict[str, frozenset[int]], geo: MunicipalityMap) -> str | None:
    merger_year = (area.valid_to or 0) + 1
    new = [candidate for candidate in candidates if candidate.valid_from == merger_year]
    if len(new) == 1:
        return new[0].code
    own = territory.get(area.code, frozenset())
    borders = {c.code: geo.border_length(own & territory.get(c.code, frozenset())) for c in candidates}
    best = max(sorted(borders), key=borders.__getitem__, default=None)
    return best if best is not None and borders[best] > 0 else None


def _heirs(year: int) -> dict[str, str | None]:
    """Every municipality that has ended before `year`, with the code that holds its territory in `year`
    (None where no heir can be told)."""
    geo = municipality_map()
    territory = {code: shape.arcs for code, shape in geo.shapes.items()}
    direct: dict[str, str | None] = {}
    ended = Area.objects.filter(kind=AreaKind.MUNICIPALITY, valid_to__lt=year).order_by("valid_to", "code")
    for area in ended:
        last = area.valid_to or 0
        direct[area.code] = None
        for kind in (AreaKind.SEUTUKUNTA, AreaKind.MAAKUNTA):
            parents = AreaMembership.objects.filter(valid_in(last), member=area, parent__kind=kind).values("parent")
            candidates = list(
                Area.objects.filter(
                    Q(parent_memberships__parent__in=parents) & valid_in(last + 1, "parent_memberships__"),
                    kind=AreaKind.MUNICIPALITY,
                )
                .filter(valid_in(last + 1))
                .distinct()
            )
            heir = _heir(area, candidates, territory, geo)
            if heir is not None:
                direct[area.code] = heir
                # Borders they shared become inner lines of the merged municipality.
                territory[heir] = territory.get(heir, frozenset()) ^ territory.get(area.code, frozenset())
                break
    resolved: dict[str, str | None] = {}
    for code, heir in direct.items():
        seen = {code}
        while heir is not None and heir in direct and heir not in seen:
            seen.add(heir)
            heir = direct[heir]
        resolved[code] = heir
    return resolved


def successors(*, year: int) -> dict[str, str]:
    """For each municipality that no longer exists in `year`, the code of the municipality that holds its
    territory in `year`, e.g. {"588": "507"} from 2025 on.

    The areas record only when a municipality ends (valid_to), not what it merged into, so the heir is derived:
    among the municipalities of its seutukunta (or, failing that, its maakunta) in its last year that exist in
    the year after, a municipality new that year (a merger that made a new code) if there is exactly one,
    otherwise the one sharing the longest border with it on the map. Mergers are followed in order, so that a
    later merger of the heir carries the territory on."""
    return {code: heir for code, heir in _heirs(year).items() if heir is not None}


def municipality_features(codes: Iterable[str], *, year: int) -> dict[str, Any]:
    """GeoJSON FeatureCollection of the municipalities `codes` as they are in `year`, ordered by code.

    The boundaries are those of 2021; a municipality that has merged since then is drawn as extra polygons of
    its heir's MultiPolygon. Codes that are no municipality in `year` are left out."""
    geo = municipality_map()
    wanted = {str(code).zfill(3) for code in codes}
    heirs = _heirs(year)
    polygons: dict[str, list[Polygon]] = {}
    # Own polygons first, then those of merged municipalities in code order.
    for code in sorted(geo.shapes, key=lambda c: (c in heirs, c)):
        owner = heirs.get(code, code)
        if owner is not None and owner in wanted:
            polygons.setdefault(owner, []).extend(geo.shapes[code].polygons)
    names = {
        code: (name_fi, name_sv)
        for code, name_fi, name_sv in Area.objects.filter(kind=AreaKind.MUNICIPALITY, code__in=polygons).values_list(
            "code", "name_fi", "name_sv"
        )
    }
    features = []
    for code in sorted(polygons):
        shape = geo.shapes.get(code)
        name_fi, name_sv = names.get(code) or ((shape.name_fi, shape.name_sv) if shape else (code, ""))
        properties = {"code": code, "name_fi": name_fi, "name_sv": name_sv}
        features.append({"type": "Feature", "properties": properties, "geometry": _geometry(polygons[code])})
    return {"type": "FeatureCollection", "features": features}


def region_features(area: Area, *, year: int) -> dict[str, Any]:
    """GeoJSON FeatureCollection of the municipalities that make up `area` (e.g. a region's maakunta) in `year`."""
    return municipality_features(members_of(area, year=year).values_list("code", flat=True), year=year)
