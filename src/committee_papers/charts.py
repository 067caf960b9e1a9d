"""Charts from data as SVG, with no script, and always paired with their data as a table.

pygal draws them (a maintained SVG charting library that needs no browser). Its charts
carry a random id; we give each a stable one so builds stay byte-identical.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from markupsafe import Markup, escape

from .model import Chart, ChartKind

_COMMENT = re.compile(r"<!--.*?-->", re.S)
# pygal writes its tooltip configuration as a script even with js=[]: a chart needs none.
_SCRIPT = re.compile(r"<script\b.*?</script>", re.S)


@functools.cache
def _pygal() -> tuple[Any, dict[ChartKind, Any]]:
    """pygal's style for our charts and its chart of each kind, imported when a chart is
    first drawn: most builds draw none (a re-build draws a few pages), and the import
    took some 20 ms of every build's start."""
    import pygal
    from pygal.style import Style

    # Colours that keep 3:1 contrast against white and against each other's neighbours.
    style = Style(
        background="white",
        plot_background="white",
        foreground="#1b1b1b",
        foreground_strong="#1b1b1b",
        foreground_subtle="#505a5f",
        colors=("#1d70b8", "#d4351c", "#00703c", "#6f4e96", "#b35900", "#28a197"),
        font_family="Liberation Sans, Arial, sans-serif",
        # Charts shrink to the width of a phone: large type stays readable when they do.
        label_font_size=16,
        major_label_font_size=16,
        legend_font_size=16,
        title_font_size=20,
        value_font_size=14,
        tooltip_font_size=14,
    )
    kinds = {
        ChartKind.bar: pygal.Bar,
        ChartKind.horizontal_bar: pygal.HorizontalBar,
        ChartKind.line: pygal.Line,
    }
    return style, kinds


def _height(chart: Chart) -> int:
    """Horizontal bars need room for one readable label per category."""
    if chart.kind is ChartKind.horizontal_bar:
        return max(420, 140 + 34 * len(chart.categories) * max(1, len(chart.series) // 2 + 1))
    return 460


#: Longest text pygal is given, in characters. Its title wrapping (`split_title`) loops
#: forever once labels leave the title no width, so labels are cut short here; the full
#: text is always in the data table beside the chart.
_LIMITS = {"category": 30, "series": 40, "axis": 60, "title": 120}


def _short(text: str | None, kind: str) -> str | None:
    limit = _LIMITS[kind]
    if text is None or len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "\u2026"


def chart_svg(chart: Chart, chart_id: str) -> Markup:
    """The chart as an inline SVG image whose accessible name is its text alternative."""
    style, kinds = _pygal()
    graph = kinds[chart.kind](
        style=style,
        js=[],
        disable_xml_declaration=True,
        explicit_size=False,
        width=800,
        height=_height(chart),
        truncate_label=-1,
        title=_short(chart.title, "title"),
        x_title=_short(chart.x_label, "axis"),
        y_title=_short(chart.y_label, "axis"),
        show_legend=len(chart.series) > 1,
        legend_at_bottom=True,
        print_values=False,
    )
    graph.uuid = chart_id
    graph.x_labels = [_short(category, "category") for category in chart.categories]
    for series in chart.series:
        graph.add(_short(series.name, "series"), series.values)
    # pygal stamps the date in a comment: drop comments so the same data gives the same bytes.
    svg = _SCRIPT.sub("", _COMMENT.sub("", graph.render(is_unicode=True)))
    label = escape(f"{chart.title}. {chart.description}")
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{label}" focusable="false" ', 1)
    return Markup(svg)
