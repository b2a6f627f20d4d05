"""Drawing a ``jinchang.geo.Region`` in the house style: areas, names, callouts, an inset and a scale bar."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import shapely
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.text import Text
from mpl_toolkits.axes_grid1.anchored_artists import AnchoredSizeBar
from shapely import affinity
from shapely.geometry.base import BaseGeometry
from shapely.plotting import patch_from_polygon

from .. import geo

PAPER = "#FFFFFF"  # provinces around the focus
FOCUS = "#E6E6E6"  # the focus province
EDGE = "#A6A6A6"  # province boundaries
OUTLINE = "#6E6E6E"  # the focus province's boundary
INK = "#444444"  # names, callout lines, the scale bar


def province_map(ax: Axes, region: geo.Region, *, fills: dict[str, str], names: Callable[[str], str],
                 callouts: list[str], star: tuple[str, str], scale: str, inset: float, font: float) -> None:
    """The focus province of *region* and what is around it, on *ax*:

    - its cities, those in *fills* (short name -> colour) filled, the rest grey;
    - the cities in *callouts* named beside the map, with a line to each;
    - a star on the city *star[0]*, explained by *star[1]* in a key in the lower left corner;
    - the focus and its neighbours named where their names fit clear of the rest (a name that fits
      nowhere is left out: the chart's data lists every place);
    - the whole country in an inset *inset* of the axes wide in the top right corner;
    - a scale bar labelled *scale* (with a placeholder {km}).

    *names(short_name)* gives the text for a place.
    """
    _blank(ax, region.frame)
    focus = region.provinces.role == "focus"
    for row in region.provinces[~focus].itertuples():
        _area(ax, row.geometry, facecolor=PAPER, edgecolor=EDGE)
    for row in region.cities.itertuples():
        _area(ax, row.geometry, facecolor=fills.get(row.short_name, FOCUS), edgecolor="white", linewidth=0.5)
    _area(ax, region.focus, facecolor="none", edgecolor=OUTLINE, linewidth=1.0)

    cities = region.cities.set_index("short_name")
    marker = {"marker": "*", "color": "#222222", "markersize": font * 1.2, "markeredgecolor": "white",
              "markeredgewidth": 0.6, "linestyle": "none"}
    ax.plot(cities.loc[star[0], "x"], cities.loc[star[0], "y"], zorder=4, **marker)
    key = ax.legend([Line2D([], [], **marker)], [star[1]], loc="lower left", fontsize=font, handletextpad=0.3,
                    borderaxespad=0.3)
    placed = _callouts(ax, cities.loc[callouts].assign(label=[names(n) for n in callouts]), font)

    # Names stay clear of the inset, the key, the scale bar, the callouts, the filled cities and each other.
    furniture = (_inset(ax, inset, region), key, scale_bar(ax, region.frame[2] - region.frame[0], scale, font), *placed)
    taken = [_box(ax, artist) for artist in furniture]
    taken += [row.geometry for row in region.cities.itertuples() if row.short_name in fills]
    tolerance = (region.frame[2] - region.frame[0]) / 1000
    for row in region.provinces[region.provinces.role != "other"].itertuples():
        main = row.role == "focus"
        name = names(row.short_name)
        text = ax.text(0, 0, name.upper() if main else name, ha="center", va="center", linespacing=1.1,
                       fontsize=font + main, fontweight="bold" if main else "normal",
                       color="#222222" if main else INK, zorder=5, in_layout=False)
        spot = _free_spot(row.geometry, _box(ax, text), taken, region.frame, tolerance)
        if spot is None:
            text.remove()
            continue
        text.set_position(spot)
        taken.append(_box(ax, text))


def _free_spot(geometry: BaseGeometry, label: BaseGeometry, taken: list[BaseGeometry],
               frame: tuple[float, float, float, float], tolerance: float) -> tuple[float, float] | None:
    """Where to centre a *label* box (its size is what counts) for *geometry*: inside *frame* and clear
    of what is *taken*, wholly inside the geometry if it fits there; at the pole of inaccessibility
    of those centres, the point farthest from their edges. None if no centre is clear."""
    x0, y0, x1, y1 = label.bounds
    half_w, half_h = (x1 - x0) / 2 + tolerance * 5, (y1 - y0) / 2 + tolerance * 5
    inside = shapely.box(frame[0] + half_w, frame[1] + half_h, frame[2] - half_w, frame[3] - half_h)
    free = shapely.difference(shapely.intersection(geometry, inside), _grown(shapely.union_all(taken), half_w, half_h))
    within = _grown(geometry, -half_w, -half_h)
    if free.is_empty:
        return None
    fitting = shapely.intersection(free, within)
    point = geo.interior_point(free if fitting.is_empty else fitting, tolerance)
    return point.x, point.y


def _grown(geometry: BaseGeometry, dx: float, dy: float) -> BaseGeometry:
    """*geometry* grown (or, negative, shrunk) by a box *dx* by *dy*: stretched until the box is a
    square, buffered with square corners, stretched back."""
    stretch = abs(dx / dy)
    square = affinity.scale(geometry, 1, stretch, origin=(0, 0)).buffer(dx, join_style="mitre")
    return affinity.scale(square, 1, 1 / stretch, origin=(0, 0))


def size(ax: Axes) -> tuple[float, float]:
    """The axes' width over its height, and its width in points."""
    box = ax.get_position().transformed(ax.figure.transFigure)
    return box.width / box.height, box.width * 72 / ax.figure.dpi


def scale_bar(ax: Axes, frame_width: float, label: str, fontsize: float) -> AnchoredSizeBar:
    """A bar of a round number of kilometres (1, 2 or 5 times a power of ten), at most a fifth of the map."""
    most = frame_width / 5 / 1000
    steps = np.array([1, 2, 5]) * 10.0 ** np.floor(np.log10(most))
    km = steps[steps <= most].max()
    return ax.add_artist(AnchoredSizeBar(ax.transData, km * 1000, label.format(km=f"{km:g}"), "lower right", pad=0.4,
                                         borderpad=0.2, sep=3, frameon=False, size_vertical=frame_width / 400,
                                         color=INK, fontproperties={"size": fontsize}))


def _inset(ax: Axes, width: float, region: geo.Region) -> Axes:
    """The whole country in the top right corner of *ax*, the focus province filled."""
    x0, y0, x1, y1 = region.country_frame
    height = width * (y1 - y0) / (x1 - x0) * size(ax)[0]
    small = ax.inset_axes([1 - width, 1 - height, width, height])
    small.set_in_layout(False)
    _blank(small, region.country_frame)
    small.set_axis_on()
    small.set_xticks([])
    small.set_yticks([])
    for spine in small.spines.values():
        spine.set(visible=True, color=EDGE, linewidth=0.6)
    _area(small, region.country, facecolor="#D9D9D9", edgecolor="none")
    _area(small, region.focus, facecolor=OUTLINE, edgecolor="none")
    return small


def _callouts(ax: Axes, points: pd.DataFrame, font: float) -> list[Text]:
    """A label beside each point (columns x, y, label), with a line to it. The points split into a west
    and an east group at the widest gap between them; each group's labels stand outside it, in a
    column inside the view, pushed apart vertically so that they do not touch."""
    per_pt = _per_pt(ax)
    xs = np.sort(points.x.to_numpy())
    split = xs[np.argmax(np.diff(xs))] if len(xs) > 1 else xs[0]
    texts = []
    for east, group in points.groupby(points.x > split):
        group = group.sort_values("y")
        wanted = group.y.to_numpy(dtype=float)
        ys = wanted.copy()
        for i in range(1, len(ys)):  # bottom to top: lift each label clear of the one below
            ys[i] = max(ys[i], ys[i - 1] + 1.5 * font * per_pt)
        ys -= (ys - wanted).mean() / 2  # half of the lift goes down instead
        column = [ax.annotate(label, point, point, ha="left" if east else "right", va="center", fontsize=font,
                              color="#222222", zorder=5, in_layout=False,
                              arrowprops={"arrowstyle": "-", "color": INK, "linewidth": 0.6, "shrinkA": 2,
                                          "shrinkB": 0})
                  for label, point in zip(group.label, group[["x", "y"]].to_numpy())]
        widest = max(np.ptp(_box(ax, text).exterior.xy[0]) for text in column)
        x0, x1 = ax.get_xlim()
        x = (min(group.x.max() + 2.5 * font * per_pt, x1 - widest) if east
             else max(group.x.min() - 2.5 * font * per_pt, x0 + widest))
        for text, y in zip(column, ys):
            text.set_position((x, y))
        texts += column
    return texts


def _area(ax: Axes, geometry: BaseGeometry, **kwargs) -> None:
    """A filled polygon or multipolygon (holes kept). Added as an artist, not a patch: boundaries run on
    beyond the frame (the axes clip them), and the frame alone sets the view."""
    ax.add_artist(patch_from_polygon(geometry, **{"linewidth": 0.6, "joinstyle": "round", **kwargs}))


def _blank(ax: Axes, frame: tuple[float, float, float, float]) -> None:
    """An axes that shows *frame* (metres) at one scale in x and y, with no axis furniture."""
    ax.set_xlim(frame[0], frame[2])
    ax.set_ylim(frame[1], frame[3])
    ax.set_aspect("equal")
    ax.set_axis_off()


def _box(ax: Axes, artist: Artist) -> shapely.Polygon:
    """The box *artist* is drawn in, in data coordinates."""
    corners = ax.transData.inverted().transform(artist.get_window_extent(ax.figure.canvas.get_renderer()))
    return shapely.box(*corners.min(axis=0), *corners.max(axis=0))


def _per_pt(ax: Axes) -> float:
    """Metres of the map per typographic point, as laid out now."""
    ax.figure.draw_without_rendering()
    x0, x1 = ax.get_xlim()
    return (x1 - x0) / (ax.get_window_extent().width * 72 / ax.figure.dpi)
