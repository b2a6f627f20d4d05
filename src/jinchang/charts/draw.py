"""Drawing steps shared by several charts, in the house style."""

from __future__ import annotations

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

from .. import style

LIGHT = "#D9D9D9"  # the part of a whole that is not the claim


def share_bar(ax: Axes, y: float, parts: pd.DataFrame, colors: list[str], height: float = 0.55) -> None:
    """One 100% bar from ``parts`` (columns: value in %, label); each part labelled inside."""
    left = 0.0
    for (value, label), color in zip(parts[["value", "label"]].itertuples(index=False), colors):
        ax.barh(y, value, left=left, height=height, color=color, edgecolor="white", linewidth=1)
        dark = color not in (LIGHT, style.PALETTE["yellow"])
        ax.text(left + value / 2, y, label, ha="center", va="center", fontsize=9,
                color="white" if dark else "#222222", fontweight="bold" if dark else "normal")
        left += value


def whole_bar(ax: Axes, parts: pd.DataFrame) -> None:
    """A single 100% bar of a share and its remainder (``plotted.with_remainder``), labelled inside."""
    share_bar(ax, 0, parts.assign(label=[f"{l}\n{s}" for l, s in zip(parts.label, parts.shown)]),
              [style.ACCENT, LIGHT], height=0.7)
    percent_axis(ax)
    ax.set_yticks([])
    ax.grid(False)


def percent_axis(ax: Axes, axis: str = "x") -> None:
    """0 to 100% with ticks every 25 points."""
    (ax.set_xlim if axis == "x" else ax.set_ylim)(0, 100)
    ticks = np.linspace(0, 100, 5)
    (ax.set_xticks if axis == "x" else ax.set_yticks)(ticks, [f"{t:.0f}%" for t in ticks])


def log_axis(ax: Axes, label: callable, axis: str = "x") -> None:
    """A logarithmic axis with a tick at each power of ten, labelled by ``label(value)``."""
    target = ax.xaxis if axis == "x" else ax.yaxis
    (ax.set_xscale if axis == "x" else ax.set_yscale)("log")
    target.set_major_locator(LogLocator(base=10))
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
