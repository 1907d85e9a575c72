"""Trend charts drawn on the server with pygal, made safe for the site's strict CSP.

pygal styles its SVG with a `<style>` element and can add scripts; the CSP would block both.
The chart is rendered without JavaScript, then rebuilt through ElementTree keeping only
drawing elements and attributes, with colours and fonts set as SVG presentation attributes
(which the CSP does not govern). The page shows it as an <img>, next to a data table.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET  # noqa: N817, S405 - parses pygal's own output, not input
from dataclasses import dataclass
from datetime import date

import pygal  # type: ignore[import-untyped]
from django.utils.formats import date_format

SVG_NS = "http://www.w3.org/2000/svg"
COLOURS = ("#1f5fa8", "#a8431f", "#2e7d32", "#6a3d9a")  # >= 3:1 against white
DASHES = ("", "6 3", "2 3", "8 3 2 3")
FONT = "system-ui, -apple-system, 'Segoe UI', sans-serif"
_KEEP = frozenset(
    {"svg", "g", "path", "rect", "circle", "text", "tspan", "title", "desc", "line", "polyline"}
)
_KEEP_ATTRS = frozenset(
    {
        "x",
        "y",
        "width",
        "height",
        "d",
        "cx",
        "cy",
        "r",
        "rx",
        "ry",
        "transform",
        "class",
        "viewBox",
        "id",
        "x1",
        "x2",
        "y1",
        "y2",
        "points",
    }
)

ET.register_namespace("", SVG_NS)


@dataclass(frozen=True)
class ChartSeries:
    label: str
    points: list[tuple[date, float]]


def _tag(element: ET.Element) -> str:
    return element.tag.rsplit("}", 1)[-1]


def _classes(element: ET.Element) -> set[str]:
    return set((element.get("class") or "").split())


def _colour_index(classes: set[str]) -> int | None:
    for name in classes:
        if name.startswith("color-") and name[6:].isdigit():
            return int(name[6:]) % len(COLOURS)
    return None


def _clean(element: ET.Element) -> None:
    """Drop everything but drawing elements and geometry; no styles, scripts or links."""
    for child in list(element):
        classes = _classes(child)
        if _tag(child) not in _KEEP or "tooltip-overlay" in classes or "text-overlay" in classes:
            element.remove(child)
            continue
        _clean(child)
    for name in list(element.attrib):
        if name not in _KEEP_ATTRS:
            del element.attrib[name]


def _paint(
    element: ET.Element, colour: int | None = None, in_axis: bool = False, *, text: int = 12
) -> None:
    classes = _classes(element)
    colour = _colour_index(classes) if _colour_index(classes) is not None else colour
    in_axis = in_axis or "axis" in classes
    tag = _tag(element)
    if tag == "text":
        element.set("font-family", FONT)
        element.set("fill", "#222222")
        element.set("font-size", str(text + 4) if "title" in classes else str(text))
        if "title" in classes or ("axis" in classes) or in_axis and "x" in classes:
            element.set("text-anchor", "middle")
    elif tag == "rect" and "background" in classes:
        element.set("fill", "#ffffff")
    elif tag == "path" and in_axis:
        element.set("fill", "none")
        element.set("stroke", "#c8c8c8" if "guide" in classes else "#555555")
    elif tag == "path" and colour is not None:
        element.set("fill", "none")
        element.set("stroke", COLOURS[colour])
        element.set("stroke-width", "2.5")
        if DASHES[colour]:
            element.set("stroke-dasharray", DASHES[colour])
    elif tag in {"circle", "rect"} and colour is not None:
        element.set("fill", COLOURS[colour])
    for child in element:
        _paint(child, colour, in_axis, text=text)


def _anchor_axis_text(root: ET.Element) -> None:
    for axis in root.iter():
        classes = _classes(axis)
        if "axis" not in classes:
            continue
        anchor = "end" if "y" in classes else "middle"
        for text in axis.iter(f"{{{SVG_NS}}}text"):
            text.set("text-anchor", anchor)


# (width, height, text size): the small one is drawn for phones, so that its labels stay
# legible at 390 px instead of being the large chart shrunk to half its size.
SIZES = {"large": (640, 320, 12), "small": (400, 320, 15)}


def render_chart(
    *,
    title: str,
    description: str,
    series: list[ChartSeries],
    low: float,
    high: float,
    size: str = "large",
) -> str:
    """An SVG line chart of scores over time, with its own <title> and <desc>."""
    width, height, text = SIZES.get(size, SIZES["large"])
    days = sorted({day for s in series for day, _ in s.points})
    chart = pygal.Line(
        js=[],
        disable_xml_declaration=True,
        width=width,
        height=height,
        x_labels_major_count=4 if size == "small" else None,
        show_minor_x_labels=size != "small",
        range=(low, high),
        include_x_axis=False,
        legend_at_bottom=True,
        show_legend=len(series) > 1,
        x_label_rotation=0,
        truncate_label=-1,
        dots_size=4,
        no_data_text="",
        margin_right=28,
    )
    chart.title = title
    chart.x_labels = [date_format(day, "j M") for day in days]
    for entry in series:
        by_day = dict(entry.points)
        chart.add(entry.label, [by_day.get(day) for day in days])
    root = ET.fromstring(chart.render(is_unicode=True))  # noqa: S314 - our own, trusted output
    _clean(root)
    _paint(root, text=text)
    _anchor_axis_text(root)
    root.set("role", "img")
    root.set("aria-labelledby", "chart-title chart-desc")
    for old in root.findall(f"{{{SVG_NS}}}title"):
        root.remove(old)
    title_el = ET.Element(f"{{{SVG_NS}}}title", {"id": "chart-title"})
    title_el.text = title
    desc_el = ET.Element(f"{{{SVG_NS}}}desc", {"id": "chart-desc"})
    desc_el.text = description
    root.insert(0, desc_el)
    root.insert(0, title_el)
    root.set("width", str(width))
    root.set("height", str(height))
    return ET.tostring(root, encoding="unicode")
