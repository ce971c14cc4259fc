"""Tests for the chart helper: the choropleth specification and rendering charts to SVG and PNG on the server."""

import re

import pytest

from tilannekuva.core.charts import (
    ENGLISH_FORMAT_LOCALE,
    FINNISH_FORMAT_LOCALE,
    ChartError,
    choropleth,
    line_chart,
    render_png,
    render_svg,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def square(code, name_fi, name_sv, lon, lat):
    ring = [[lon, lat], [lon, lat + 0.5], [lon + 1, lat + 0.5], [lon + 1, lat], [lon, lat]]
    return {
        "type": "Feature",
        "properties": {"code": code, "name_fi": name_fi, "name_sv": name_sv},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


FEATURES = {
    "type": "FeatureCollection",
    "features": [
        square("491", "Mikkeli", "S:t Michel", 27.0, 61.5),
        square("507", "Mäntyharju", "Mäntyharju", 26.0, 61.0),
        square("740", "Savonlinna", "Nyslott", 28.0, 61.5),
    ],
}


def axis_labels(svg):
    return re.findall(r">([^<>]+)</text>", svg)


def rows(values):
    return [{"year": 2020 + i, "series": "Mikkeli", "value": value} for i, value in enumerate(values)]


def map_layers(spec):
    with_value, without_value = spec["layer"]
    return with_value, without_value


def test_line_chart_renders_to_svg_with_its_title():
    svg = render_svg(line_chart(rows([1.0, 2.0]), title="Työllisyysaste", y_title="%", series_title="Alue"))

    assert svg.startswith("<svg")
    assert "Työllisyysaste" in svg


def test_choropleth_renders_to_svg_with_its_title():
    spec = choropleth(FEATURES, {"491": 7.5, "507": None}, title="Työttömyysaste 2024", legend_title="%")

    svg = render_svg(spec)

    assert svg.startswith("<svg")
    assert "Työttömyysaste 2024" in svg


def test_png_starts_with_the_png_signature():
    spec = choropleth(FEATURES, {"491": 7.5, "740": 9.0}, title="Kartta", legend_title="%")

    assert render_png(spec).startswith(PNG_SIGNATURE)
    assert render_png(
        line_chart(rows([1.0, 2.0]), title="Viiva", y_title="%", series_title="Alue"), scale=1
    ).startswith(PNG_SIGNATURE)


def test_axis_labels_use_the_finnish_decimal_comma():
    svg = render_svg(line_chart(rows([1.5, 3.0, 4.5]), title="Arvot", y_title="Arvo", series_title="Alue"))

    assert "1,5" in axis_labels(svg)
    assert "1.5" not in axis_labels(svg)


def test_an_english_chart_keeps_its_decimal_point():
    spec = line_chart(rows([1.5, 3.0, 4.5]), title="Values", y_title="Value", series_title="Area", language="en")

    assert "1.5" in axis_labels(render_svg(spec))


def test_rendering_fixes_container_width_without_changing_the_spec():
    spec = line_chart(rows([1.0, 2.0]), title="Leveys", y_title="%", series_title="Alue")

    svg = render_svg(spec)

    width = re.search(r'<svg[^>]* width="([\d.]+)"', svg)
    assert spec["width"] == "container"
    assert width is not None and float(width.group(1)) > 700


def test_a_broken_spec_raises_chart_error_with_the_reason():
    with pytest.raises(ChartError, match="could not be drawn"):
        render_svg({"layer": "not a list"})
    with pytest.raises(ChartError):
        render_png({"mark": "no-such-mark"})


def test_remote_data_is_refused_rather_than_fetched():
    spec = {"data": {"url": "https://example.com/data.json"}, "mark": "point"}

    with pytest.raises(ChartError, match="not allowed"):
        render_svg(spec)


def test_choropleth_colours_each_municipality_by_its_value_and_names_it_in_the_page_language():
    spec = choropleth(FEATURES, {"491": 7.5, "740": 0.0}, title="Kartta", legend_title="%", language="sv")

    shapes = spec["data"]["values"]["features"]
    assert spec["data"]["format"]["property"] == "features"
    assert [(s["properties"]["name"], s["properties"]["value"]) for s in shapes] == [
        ("S:t Michel", 7.5),
        ("Mäntyharju", None),
        ("Nyslott", 0.0),
    ]
    assert spec["projection"]["type"] == "mercator"
    assert {layer["mark"]["type"] for layer in spec["layer"]} == {"geoshape"}
    assert spec["usermeta"]["formatLocale"] == FINNISH_FORMAT_LOCALE
    assert "Kommunkarta" in spec["description"]


def test_municipalities_without_a_value_are_grey_dashed_and_say_ei_tietoa():
    spec = choropleth(FEATURES, {"491": 7.5}, title="Kartta", legend_title="Työttömät, %")

    _, without_value = map_layers(spec)
    assert without_value["transform"][0] == {"filter": "!isValid(datum.properties.value)"}
    assert without_value["transform"][1] == {"calculate": '"ei tietoa"', "as": "no_data"}
    assert without_value["mark"]["strokeDash"]
    assert "color" not in without_value["encoding"]
    assert [t["title"] for t in without_value["encoding"]["tooltip"]] == ["Kunta", "Työttömät, %"]


def test_darker_means_worse_when_the_direction_is_known():
    def scale(higher_is_better):
        spec = choropleth(FEATURES, {}, title="Kartta", legend_title="%", higher_is_better=higher_is_better)
        return map_layers(spec)[0]["encoding"]["color"]["scale"]

    assert scale(False).get("reverse") is False
    assert scale(True)["reverse"] is True
    assert "reverse" not in scale(None)
    assert scale(None)["scheme"]["name"] != scale(False)["scheme"]["name"]


def test_choropleth_tooltip_shows_name_and_value_in_the_locale():
    spec = choropleth(FEATURES, {"491": 7.5}, title="Map", legend_title="Rate", language="en")

    with_value, _ = map_layers(spec)
    assert [t["field"] for t in with_value["encoding"]["tooltip"]] == ["properties.name", "properties.value"]
    assert spec["usermeta"]["formatLocale"] == ENGLISH_FORMAT_LOCALE
    assert spec["description"].startswith("Map. Municipality map")
