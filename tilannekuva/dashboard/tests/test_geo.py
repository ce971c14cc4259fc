"""Tests for the map data: the TopoJSON decoder, a year's municipalities and the heirs of merged ones."""

import pytest

from tilannekuva.dashboard.geo import (
    GeoDataError,
    decode,
    municipality_features,
    municipality_map,
    region_features,
    successors,
)
from tilannekuva.regions.models import Area, AreaKind, AreaMembership, Region

# Two unit squares side by side, sharing the arc 0 (x = 1 in quantised units of 0.5° × 0.25°).
TINY_TOPOLOGY = {
    "type": "Topology",
    "transform": {"scale": [0.5, 0.25], "translate": [20.123456, 60.0]},
    "arcs": [
        [[2, 0], [0, 2]],
        [[2, 2], [-2, 0], [0, -2], [2, 0]],
        [[2, 0], [2, 0], [0, 2], [-2, 0]],
    ],
    "objects": {
        "squares": {
            "type": "GeometryCollection",
            "geometries": [
                {"type": "Polygon", "arcs": [[0, 1]], "properties": {"id": "west"}},
                {"type": "Polygon", "arcs": [[2, ~0]], "properties": {"id": "east"}, "id": 7},
                {"type": "MultiPolygon", "arcs": [[[0, 1]], [[2, ~0]]], "properties": {"id": "both"}},
            ],
        }
    },
}
WEST = [[21.1235, 60.0], [21.1235, 60.5], [20.1235, 60.5], [20.1235, 60.0], [21.1235, 60.0]]
EAST = [[21.1235, 60.0], [22.1235, 60.0], [22.1235, 60.5], [21.1235, 60.5], [21.1235, 60.0]]


def polygon_count(feature):
    geometry = feature["geometry"]
    return 1 if geometry["type"] == "Polygon" else len(geometry["coordinates"])


def positions(feature):
    geometry = feature["geometry"]
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    return [position for polygon in polygons for ring in polygon for position in ring]


@pytest.fixture
def etela_savo(world):
    return Region.objects.get(slug="etela-savo").area


def test_decoding_undoes_quantisation_and_delta_encoding_and_walks_negative_arcs_backwards():
    features = decode(TINY_TOPOLOGY, "squares")["features"]

    assert features[0] == {
        "type": "Feature",
        "properties": {"id": "west"},
        "geometry": {"type": "Polygon", "coordinates": [WEST]},
    }
    assert features[1]["geometry"] == {"type": "Polygon", "coordinates": [EAST]}
    assert features[1]["id"] == 7
    assert features[2]["geometry"] == {"type": "MultiPolygon", "coordinates": [[WEST], [EAST]]}


def test_decoding_an_unsupported_geometry_names_it():
    topology = {"arcs": [], "objects": {"points": {"type": "GeometryCollection", "geometries": [{"type": "Point"}]}}}

    with pytest.raises(GeoDataError, match="'Point' is not supported"):
        decode(topology, "points")
    with pytest.raises(GeoDataError, match="no object 'lines'"):
        decode(topology, "lines")


def test_the_bundled_topology_holds_the_309_municipalities_of_2021():
    assert len(municipality_map().shapes) == 309
    assert municipality_map() is municipality_map()


def test_etela_savo_has_twelve_municipalities_in_2024_and_eleven_after_pertunmaa_merged(etela_savo):
    assert len(region_features(etela_savo, year=2024)["features"]) == 12
    assert len(region_features(etela_savo, year=2025)["features"]) == 11


def test_pertunmaa_is_drawn_as_part_of_mantyharju_from_2025(etela_savo):
    before = {f["properties"]["code"]: f for f in region_features(etela_savo, year=2024)["features"]}
    after = {f["properties"]["code"]: f for f in region_features(etela_savo, year=2025)["features"]}

    assert "588" in before and "588" not in after
    assert after["507"]["geometry"]["type"] == "MultiPolygon"
    assert polygon_count(after["507"]) == polygon_count(before["507"]) + polygon_count(before["588"])
    assert after["507"]["properties"] == {"code": "507", "name_fi": "Mäntyharju", "name_sv": "Mäntyharju"}


def test_heirs_are_derived_from_where_a_municipality_ends(world):
    assert successors(year=2024) == {}
    assert successors(year=2025) == {"588": "507"}
    assert successors(year=2030) == {"588": "507"}


def test_a_merger_into_a_new_municipality_carries_earlier_mergers_with_it(world):
    mikkeli_seutukunta = Area.objects.get(kind=AreaKind.SEUTUKUNTA, code="101")
    Area.objects.filter(kind=AreaKind.MUNICIPALITY, code__in=["097", "507"]).update(valid_to=2026)
    new = Area.objects.create(
        kind=AreaKind.MUNICIPALITY, code="998", slug="uusi-kunta", name_fi="Uusi kunta", valid_from=2027
    )
    AreaMembership.objects.create(member=new, parent=mikkeli_seutukunta, valid_from=2027)
    shapes = municipality_map().shapes

    assert successors(year=2027) == {"097": "998", "507": "998", "588": "998"}
    (feature,) = municipality_features(["998", "507"], year=2027)["features"]
    assert feature["properties"] == {"code": "998", "name_fi": "Uusi kunta", "name_sv": ""}
    assert polygon_count(feature) == sum(len(shapes[code].polygons) for code in ("097", "507", "588"))


def test_every_municipality_lies_within_finland(world):
    codes = Area.objects.filter(kind=AreaKind.MUNICIPALITY).values_list("code", flat=True)
    features = municipality_features(codes, year=2024)["features"]

    assert len(features) == 309
    for feature in features:
        for lon, lat in positions(feature):
            assert 19 <= lon <= 32 and 59 <= lat <= 71, feature["properties"]["code"]


def test_features_are_ordered_by_code_and_unknown_codes_are_absent(world):
    collection = municipality_features(["491", "999", "005", "kunta"], year=2024)

    assert collection["type"] == "FeatureCollection"
    assert [f["properties"]["code"] for f in collection["features"]] == ["005", "491"]
    assert collection["features"][1]["properties"] == {"code": "491", "name_fi": "Mikkeli", "name_sv": "S:t Michel"}


def test_a_merged_municipality_is_absent_on_its_own_after_the_merger(world):
    assert len(municipality_features(["588"], year=2024)["features"]) == 1
    assert municipality_features(["588"], year=2025)["features"] == []


def test_coordinates_are_rounded_to_four_decimals(world):
    (feature,) = municipality_features(["491"], year=2024)["features"]

    assert all(round(value, 4) == value for position in positions(feature) for value in position)


def test_changing_a_returned_feature_leaves_the_next_answer_intact(world):
    (feature,) = municipality_features(["491"], year=2024)["features"]
    positions(feature)[0][0] = 0.0

    (again,) = municipality_features(["491"], year=2024)["features"]
    assert positions(again)[0][0] != 0.0
