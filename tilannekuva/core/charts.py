"""The one chart helper: Vega-Lite specifications drawn in the browser (and later rendered to SVG for PDFs)."""

from typing import Any

# Finnish number format for Vega's d3-format: decimal comma, non-breaking space for thousands.
FINNISH_FORMAT_LOCALE = {"decimal": ",", "thousands": "\u00a0", "grouping": [3], "currency": ["", "\u00a0€"]}
ENGLISH_FORMAT_LOCALE = {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["€", ""]}


def line_chart(
    rows: list[dict[str, Any]],
    *,
    title: str,
    y_title: str,
    series_title: str,
    language: str = "fi",
    width: int | str = "container",
) -> dict[str, Any]:
    """A line chart of `rows` ({"year": int, "series": str, "value": float}); series are told apart by colour
    AND point shape and dash, so that the chart never relies on colour alone."""
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "title": title,
        "width": width,
        "height": 280,
        "data": {"values": [r for r in rows if r.get("value") is not None]},
        "mark": {"type": "line", "point": {"size": 50, "filled": True}, "tooltip": True},
        "encoding": {
            "x": {"field": "year", "type": "ordinal", "title": None, "axis": {"labelAngle": 0}},
            "y": {"field": "value", "type": "quantitative", "title": y_title, "scale": {"zero": False}},
            "color": {"field": "series", "type": "nominal", "title": series_title},
            "shape": {"field": "series", "type": "nominal", "title": series_title},
            "strokeDash": {"field": "series", "type": "nominal", "title": series_title},
        },
        "config": {"legend": {"orient": "bottom", "columns": 3}, "font": "DejaVu Sans, sans-serif"},
        "usermeta": {"formatLocale": FINNISH_FORMAT_LOCALE if language in ("fi", "sv") else ENGLISH_FORMAT_LOCALE},
    }
