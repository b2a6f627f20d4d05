"""Drawing steps shared by several charts, in the house style and either layout."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

from .. import style
from ..style import MIN_TEXT, Layout

LIGHT = "#D9D9D9"  # the part of a whole that is not the claim
LABEL = "#444444"  # labels and notes inside the axes
CATEGORY_AXIS = 0.55  # inches under the rows of a chart of categories: the x-axis, its labels, margins


def share_bar(ax: Axes, y: float, parts: pd.DataFrame, colors: list[str], layout: Layout,
              height: float = 0.55, span: float = 1.0) -> None:
    """One 100% bar from ``parts`` (columns: value in %, label); each part labelled inside,
    the label wrapped to the part's width (the axes being ``span`` of the chart's width)."""
    left = 0.0
    for (value, label), color in zip(parts[["value", "label"]].itertuples(index=False), colors):
        ax.barh(y, value, left=left, height=height, color=color, edgecolor="white", linewidth=1)
        dark = color not in (LIGHT, style.PALETTE["yellow"])
        weight = "bold" if dark else "normal"
        ax.text(left + value / 2, y, layout.wrap(label, layout.line * span * value / 100 - 8, weight=weight),
                ha="center", va="center", fontsize=MIN_TEXT, color="white" if dark else "#222222",
                fontweight=weight, multialignment="center")
        left += value


def whole_bar(ax: Axes, parts: pd.DataFrame, layout: Layout, span: float = 1.0) -> None:
    """A single 100% bar of a share and its remainder (``plotted.with_remainder``), labelled inside."""
    share_bar(ax, 0, parts.assign(label=[f"{label}\n{shown}" for label, shown in zip(parts.label, parts.shown)]),
              [style.ACCENT, LIGHT], layout, height=0.7, span=span)
    percent_axis(ax)
    ax.set_yticks([])
    ax.grid(False)


def whole_bar_chart(parts: pd.DataFrame, wide: float, narrow: float) -> Callable[[Layout], Figure]:
    """A chart of one ``whole_bar``, ``wide`` or ``narrow`` inches tall, as a ``Chart``'s draw function."""
    def draw_chart(layout: Layout) -> Figure:
        fig, ax = layout.figure(layout.pick(wide, narrow))
        whole_bar(ax, parts, layout)
        return fig
    return draw_chart


def percent_axis(ax: Axes, axis: str = "x") -> None:
    """0 to 100% with ticks every 25 points."""
    (ax.set_xlim if axis == "x" else ax.set_ylim)(0, 100)
    ticks = np.linspace(0, 100, 5)
    (ax.set_xticks if axis == "x" else ax.set_yticks)(ticks, [f"{t:.0f}%" for t in ticks])


def log_axis(ax: Axes, label: Callable[[float], str], axis: str = "x", every: int = 10) -> None:
    """A logarithmic axis with a tick at each power of ``every`` (10, or 100 for fewer ticks),
    labelled by ``label(value)``."""
    target = ax.xaxis if axis == "x" else ax.yaxis
    (ax.set_xscale if axis == "x" else ax.set_yscale)("log")
    target.set_major_locator(LogLocator(base=every))
    target.set_major_formatter(FuncFormatter(lambda v, _: label(v)))
    target.set_minor_formatter(NullFormatter())


def year_axis(ax: Axes, start: str, end: str, every: int = 1) -> None:
    """A date x-axis from ``start`` to ``end`` (ISO dates), labelled every ``every`` years."""
    ax.xaxis.set_major_locator(mdates.YearLocator(every))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.set_xlim(pd.Timestamp(start), pd.Timestamp(end))


def horizontal(ax: Axes) -> None:
    """For horizontal bars and dots: grid on x, no ticks on y, first row on top."""
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.tick_params(axis="y", length=0)
    ax.invert_yaxis()


def categories(ax: Axes, labels: Sequence[str], layout: Layout, height: float = 0.6) -> None:
    """Names of the rows 0, 1, … of horizontal bars or dots (``height`` tall, first row on top):
    beside the axis in the wide layout; above each row, across the whole width, in the narrow one,
    with as much room above the first row as between the others, the figure made taller if the
    names need more lines than it has room for."""
    positions = range(len(labels))
    if not layout.narrow:
        ax.set_yticks(positions, labels)
        return
    ax.set_yticks([])
    names = [layout.wrap(label, layout.line) for label in labels]
    for y, name in zip(positions, names):
        ax.annotate(name, (0, y - height / 2), xycoords=("axes fraction", "data"), xytext=(0, 3),
                    textcoords="offset points", ha="left", va="bottom", fontsize=MIN_TEXT, color=LABEL,
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5})  # over the gridlines
    bottom, _ = ax.get_ylim()
    ax.set_ylim(max(bottom, len(labels) - 0.5), -1 + height / 2)
    # Inches a row needs: its name's lines (1.3 line spacing, 6 pt of gap) in the room between bars.
    row = (max(n.count("\n") + 1 for n in names) * MIN_TEXT * 1.3 + 6) / 72 / (1 - height)
    fig = ax.get_figure()
    width, tall = fig.get_size_inches()
    needed = row * (len(labels) + 0.5 - height / 2) + CATEGORY_AXIS
    if needed > tall:
        fig.set_size_inches(width, needed)


def notes_below(ax: Axes, layout: Layout, *lines: str) -> None:
    """Notes under the axes, left-aligned and wrapped to the chart's width, as the x-axis label
    (so the layout makes room for them): where the narrow layout has no room for a note inside.
    Wrapped at the size the label is drawn at (the style's axes.labelsize), not the smallest text's."""
    size = ax.xaxis.label.get_fontsize()
    ax.set_xlabel("\n".join(layout.wrap(style.unbreak(line), layout.line, size=size) for line in lines), loc="left")
