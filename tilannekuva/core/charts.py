"""The one chart helper: Vega-Lite specifications drawn in the browser, and rendered to SVG or PNG on the server."""

import json
import textwrap
from typing import Any

import vl_convert
from django.utils import translation
from django.utils.translation import gettext

# Finnish number format for Vega's d3-format: decimal comma, non-breaking space for thousands.
FINNISH_FORMAT_LOCALE = {"decimal": ",", "thousands": "\u00a0", "grouping": [3], "currency": ["", "\u00a0€"]}
ENGLISH_FORMAT_LOCALE = {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["€", ""]}
FINNISH_TIME_FORMAT_LOCALE = "fi-FI"
SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
FONT = "DejaVu Sans, sans-serif"
# "container" widths follow the page in the browser; on the server there is no page to follow.
RENDER_WIDTH = 720
RENDER_HEIGHT = 480
MAP_HEIGHT = 480
NO_DATA_FILL = "#e0e0e0"
NO_DATA_STROKE = "#707070"


def _map_labels(language: str) -> dict[str, str]:
    """The map's words in `language`, through Django's translations like every other interface string."""
    with translation.override(language):
        return {
            "municipality": gettext("Municipality"),
            "no_data": gettext("no data"),
            "description": gettext(
                "%(title)s. Municipality map coloured by value (%(legend)s). Grey with a dashed edge: no data."
            ),
        }


class ChartError(Exception):
    """A chart specification could not be rendered; the message carries Vega-Lite's reason."""


def format_locale(language: str) -> dict[str, Any]:
    """Vega's number format for the page language: Finland's decimal comma in Finnish and Swedish."""
    return FINNISH_FORMAT_LOCALE if language in ("fi", "sv") else ENGLISH_FORMAT_LOCALE


TITLE_WIDTH = 40  # characters per line of a line chart's title: fits a 390 px phone


def honest_domain(
    values: list[float], *, unit: str = "", scale: tuple[float, float] | None = None
) -> list[float] | None:
    """The value axis a reader can trust: the whole answer scale of a survey question (1–10 spans 1–10), 0–100
    for a share in per cent, else None (the axis then starts from zero). A scale the values do not fit in is
    not used."""
    shown = [v for v in values if v is not None]
    if scale is not None:
        domain = [float(scale[0]), float(scale[1])]
    elif unit.strip() in {"%", "prosenttia", "procent"}:
        domain = [0.0, 100.0]
    else:
        return None
    return domain if all(domain[0] <= v <= domain[1] for v in shown) else None


def line_chart(
    rows: list[dict[str, Any]],
    *,
    title: str,
    y_title: str,
    series_title: str,
    language: str = "fi",
    width: int | str = "container",
    decimals: int | None = None,
    yes_no: tuple[str, str] | None = None,
    year_title: str = "",
    y_domain: list[float] | None = None,
    zoomed: bool = False,
) -> dict[str, Any]:
    """A line chart of `rows` ({"year": int, "series": str, "value": float}); series are told apart by colour
    AND point shape and dash, so that the chart never relies on colour alone, in one legend. Values are shown with
    at most `decimals` decimals (the metric's precision); a yes/no metric's axis reads `yes_no` ("Kyllä", "Ei") at
    1 and 0. Year labels that would overlap are thinned out (a phone is 390 px wide), and the chart's own marks
    carry no English ARIA texts: the page labels the chart in its own language.

    The value axis never exaggerates: it spans `y_domain` (the question's whole scale, 0–100 for a share) or
    starts from zero. Only with `zoomed` does it span the values alone, and then the axis title says so."""
    value_format = f",.{decimals}f" if decimals is not None else ",.2~f"
    y_axis: dict[str, Any] = {"format": value_format}
    scale: dict[str, Any] = {"zero": True}
    if yes_no is not None:
        yes, no = (label.replace("'", "") for label in yes_no)
        y_axis = {"values": [0, 1], "labelExpr": f"datum.value >= 0.5 ? '{yes}' : '{no}'"}
        scale = {"domain": [0, 1]}
    elif y_domain is not None:
        scale = {"domain": y_domain, "zero": False}
    elif zoomed:
        scale = {"zero": False}
        y_title = gettext("%(title)s (zoomed: the axis does not start from zero)") % {"title": y_title}
    return {
        "$schema": SCHEMA,
        # A long title on one line would take the plot's width on a phone (the chart fits its container).
        "title": {"text": textwrap.wrap(title, TITLE_WIDTH, max_lines=3, placeholder=" …") or [""], "anchor": "start"},
        "width": width,
        "height": 280,
        "data": {"values": [r for r in rows if r.get("value") is not None]},
        "mark": {"type": "line", "point": {"size": 50, "filled": True}},
        "encoding": {
            "x": {
                "field": "year",
                "type": "ordinal",
                "title": None,
                "axis": {"labelAngle": 0, "labelOverlap": "greedy", "labelSeparation": 6},
            },
            "y": {
                "field": "value",
                "type": "quantitative",
                "title": y_title,
                "scale": scale,
                "axis": y_axis,
            },
            "color": {"field": "series", "type": "nominal", "title": series_title},
            # Vega-Lite cannot merge the points' shapes into the lines' legend: one legend (colour and dash).
            "shape": {"field": "series", "type": "nominal", "title": series_title, "legend": None},
            "strokeDash": {"field": "series", "type": "nominal", "title": series_title},
            "tooltip": [
                {"field": "series", "type": "nominal", "title": series_title},
                {"field": "year", "type": "ordinal", "title": year_title or " "},
                {"field": "value", "type": "quantitative", "title": y_title, "format": value_format},
            ],
        },
        "config": {
            "legend": {"orient": "bottom", "columns": 2, "labelLimit": 140, "aria": False},
            "axis": {"aria": False},
            "mark": {"aria": False},
            "font": FONT,
        },
        "usermeta": {"formatLocale": format_locale(language)},
    }


def bar_chart(
    rows: list[dict[str, Any]],
    *,
    title: str,
    x_title: str,
    language: str = "fi",
    domain: tuple[float, float] | None = None,
) -> dict[str, Any]:
    """Horizontal bars of `rows` ({"label": str, "value": float}) in the order given, each bar labelled with its
    value so that nothing depends on colour; the page shows the same figures as a table."""
    x: dict[str, Any] = {"field": "value", "type": "quantitative", "title": x_title}
    if domain is not None:
        x["scale"] = {"domain": list(domain)}
    return {
        "$schema": SCHEMA,
        "title": title,
        "width": "container",
        "height": {"step": 22},
        "data": {"values": [r for r in rows if r.get("value") is not None]},
        "encoding": {
            "y": {"field": "label", "type": "nominal", "title": None, "sort": None},
            "x": x,
            "tooltip": [
                {"field": "label", "type": "nominal"},
                {"field": "value", "type": "quantitative", "format": ",.1f"},
            ],
        },
        "layer": [
            {"mark": {"type": "bar", "color": "#1f5f8b"}},
            {
                "mark": {"type": "text", "align": "left", "dx": 3},
                "encoding": {"text": {"field": "value", "format": ",.1f"}},
            },
        ],
        "config": {"font": FONT},
        "usermeta": {"formatLocale": format_locale(language)},
    }


def choropleth(
    features: dict[str, Any],
    values: dict[str, float | None],
    *,
    title: str,
    legend_title: str,
    language: str = "fi",
    higher_is_better: bool | None = None,
) -> dict[str, Any]:
    """A map of the municipalities in `features` (a GeoJSON FeatureCollection whose properties carry `code`,
    `name_fi`, `name_sv`) coloured by `values` (code -> value). Municipalities without a value are grey with a
    dashed edge and say so in the tooltip. The page shows the same figures as a table beside the map."""
    labels = _map_labels(language)
    name_field = "name_sv" if language == "sv" else "name_fi"
    shapes = []
    for feature in features.get("features", []):
        properties = feature.get("properties") or {}
        code = properties.get("code")
        shapes.append(
            {
                "type": "Feature",
                "geometry": feature["geometry"],
                "properties": {
                    "code": code,
                    "name": properties.get(name_field) or properties.get("name_fi") or code,
                    "value": values.get(code) if code is not None else None,
                },
            }
        )
    # Darker always means worse where the direction is known: the sequential scheme runs light to dark with the
    # value, so it is reversed when higher is better. Without a direction, darker simply means more, drawn in a
    # neutral blue rather than the warning orange of judged indicators.
    if higher_is_better is None:
        scale: dict[str, Any] = {"scheme": {"name": "blues", "extent": [0.15, 1]}}
    else:
        scale = {"scheme": {"name": "orangered", "extent": [0.1, 1]}, "reverse": higher_is_better}
    municipality = {"field": "properties.name", "type": "nominal", "title": labels["municipality"]}
    return {
        "$schema": SCHEMA,
        "title": title,
        "description": labels["description"] % {"title": title, "legend": legend_title},
        "width": "container",
        "height": MAP_HEIGHT,
        "data": {
            "values": {"type": "FeatureCollection", "features": shapes},
            "format": {"type": "json", "property": "features"},
        },
        "projection": {"type": "mercator"},
        "layer": [
            {
                "transform": [{"filter": "isValid(datum.properties.value)"}],
                # No ARIA roles on the shapes: the whole map is one labelled image with the table beside it.
                "mark": {"type": "geoshape", "stroke": "#ffffff", "strokeWidth": 0.6, "aria": False},
                "encoding": {
                    "color": {
                        "field": "properties.value",
                        "type": "quantitative",
                        "title": legend_title,
                        "scale": scale,
                        "legend": {"orient": "bottom", "direction": "horizontal", "gradientLength": 240},
                    },
                    "tooltip": [
                        municipality,
                        {"field": "properties.value", "type": "quantitative", "title": legend_title, "format": ",.2~f"},
                    ],
                },
            },
            {
                "transform": [
                    {"filter": "!isValid(datum.properties.value)"},
                    {"calculate": json.dumps(labels["no_data"]), "as": "no_data"},
                ],
                "mark": {
                    "type": "geoshape",
                    "fill": NO_DATA_FILL,
                    "stroke": NO_DATA_STROKE,
                    "strokeWidth": 0.8,
                    "strokeDash": [3, 2],
                    "aria": False,
                },
                "encoding": {
                    "tooltip": [municipality, {"field": "no_data", "type": "nominal", "title": legend_title}],
                },
            },
        ],
        "config": {"font": FONT, "view": {"stroke": None}},
        "usermeta": {"formatLocale": format_locale(language)},
    }


def _fixed_size(spec: dict[str, Any]) -> dict[str, Any]:
    """A copy of `spec` whose "container" sizes, at any level of nesting, are fixed pixel sizes."""
    fixed = dict(spec)
    for key, size in (("width", RENDER_WIDTH), ("height", RENDER_HEIGHT)):
        if fixed.get(key) == "container":
            fixed[key] = size
    for key in ("layer", "hconcat", "vconcat", "concat"):
        if isinstance(fixed.get(key), list):
            fixed[key] = [_fixed_size(part) if isinstance(part, dict) else part for part in fixed[key]]
    if isinstance(fixed.get("spec"), dict):
        fixed["spec"] = _fixed_size(fixed["spec"])
    return fixed


def _render_options(spec: dict[str, Any]) -> dict[str, Any]:
    usermeta = spec.get("usermeta") or {}
    number_locale = usermeta.get("formatLocale") or FINNISH_FORMAT_LOCALE
    time_locale = usermeta.get("timeFormatLocale")
    if time_locale is None and number_locale == FINNISH_FORMAT_LOCALE:
        time_locale = FINNISH_TIME_FORMAT_LOCALE
    return {
        "format_locale": number_locale,
        "time_format_locale": time_locale,
        # No outside requests: charts carry their data inline.
        "allowed_base_urls": [],
    }


def render_svg(spec: dict[str, Any]) -> str:
    """The chart as an SVG document, drawn on the server with the spec's number format locale."""
    try:
        return vl_convert.vegalite_to_svg(_fixed_size(spec), **_render_options(spec))
    except ValueError as exc:
        raise ChartError(f"The chart could not be drawn: {exc}") from exc


def render_png(spec: dict[str, Any], *, scale: float = 2) -> bytes:
    """The chart as a PNG image, `scale` times its size in pixels (2 for sharp print and high-density screens)."""
    try:
        return vl_convert.vegalite_to_png(_fixed_size(spec), scale=scale, **_render_options(spec))
    except ValueError as exc:
        raise ChartError(f"The chart could not be drawn: {exc}") from exc
