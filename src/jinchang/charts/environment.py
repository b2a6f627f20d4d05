"""Charts of the Environment chapter: approvals, 'standard land', factory floor, energy, infrastructure."""

from __future__ import annotations

import math

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Rectangle

from .. import computed, formatting, style
from ..figure import Chart
from . import draw
from .plotted import alt_text, derived, rows, source_line, with_remainder

HECTARE = 10_000  # m² in a hectare
KM2 = 1_000_000  # m² in a square kilometre
INDEX = 100  # approval time before the cut, as an index
PARCEL_COLUMNS = 10  # the land grid's layout: a choice of drawing, not data
LAND_IDS = ["standard-land-area", "standard-land-parcels"]


def _average_parcel() -> tuple[computed.Shown, computed.Shown, pd.DataFrame]:
    """The average 'standard land' parcel in hectares, the side of a square of that area,
    and both as plotted rows."""
    parcel = computed.per(*LAND_IDS)
    side = computed.square_side(parcel * HECTARE)
    frame = pd.DataFrame([
        derived("Average \"standard land\" parcel", parcel, "ha", parcel.text, LAND_IDS, "area divided by parcels"),
        derived("Side of a square of the average parcel", side, "m", side.text, LAND_IDS,
                "square root of the average parcel's area in m²"),
    ])
    return parcel, side, frame


def _metre_axes(ax: Axes, width: float, height: float) -> None:
    """Equal scales in metres on both axes, so that squares look square and areas compare."""
    ax.set_aspect("equal")
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.grid(False)
    ax.xaxis.set_major_formatter(lambda v, _: f"{formatting.number(v)} m")
    ax.yaxis.set_major_formatter(lambda v, _: f"{formatting.number(v)} m")


def approval_time() -> Chart:
    """Approval time as an index, before and after the cut: the article gives no days."""
    after = computed.after_cut("approval-time-cut")
    cut = rows(["approval-time-cut"], {"approval-time-cut": "The cut"})
    frame = pd.concat([pd.DataFrame([
        derived("Before", INDEX, "index", str(INDEX), ["approval-time-cut"],
                f"approval time before the cut, set to {INDEX}"),
        derived("After", after, "index", after.text, ["approval-time-cut"], f"{INDEX} minus the cut"),
    ]), cut], ignore_index=True)
    fig, ax = style.figure(figsize=(7.2, 2.8))
    ax.barh(0, INDEX, color=style.MUTED, height=0.6)
    ax.barh(1, after, color=style.ACCENT, height=0.6)
    ax.barh(1, INDEX - after, left=after, color="white", edgecolor=style.ACCENT, hatch="///", height=0.6)
    ax.text(INDEX / 2, 0, str(INDEX), ha="center", va="center", color="white", fontweight="bold")
    ax.text(after / 2, 1, after.text, ha="center", va="center", color="white", fontweight="bold")
    ax.text((INDEX + after) / 2, 1, f"cut by {cut.shown.iloc[0]}", ha="center", va="center", fontsize=9.5,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 2})
    ax.set_yticks([0, 1], ["Before", "After"])
    ax.set_xlim(0, INDEX)
    ax.set_xlabel(f"Approval time of a project, index (before the cut = {INDEX})")
    draw.horizontal(ax)
    return Chart(
        name="fig-approval-time",
        title=f"Project approval time cut by {cut.shown.iloc[0]}, the article says",
        subtitle="An index, not days: the article gives neither the time an approval took before or after, "
                 "nor when the cut was measured. It credits the \"credit commitment + standard land + "
                 "agency service\" approval model.",
        source=source_line(frame, f"\"After\" is {INDEX} minus the cut"),
        alt=alt_text("Two horizontal bars of an approval-time index", frame),
        data=frame, figure=fig,
    )


def land() -> Chart:
    """The 'standard land' sold, drawn to scale as equal squares of the average parcel."""
    parcel, side, average = _average_parcel()
    km2 = computed.converted("standard-land-area", KM2, "km²")
    frame = pd.concat([
        rows(["standard-land-parcels", "standard-land-area"],
             {"standard-land-parcels": "Parcels sold", "standard-land-area": "Area sold"}),
        pd.DataFrame([derived("Area sold, in square kilometres", km2, "km²", km2.text, ["standard-land-area"],
                              f"hectares divided by {KM2 // HECTARE}")]),
        average,
    ], ignore_index=True)
    parcels = int(frame.value.iloc[0])
    rows_of_squares = math.ceil(parcels / PARCEL_COLUMNS)
    fig, ax = style.figure(figsize=(7.2, 4.6))
    for i in range(parcels):
        x, y = i % PARCEL_COLUMNS * side, (rows_of_squares - 1 - i // PARCEL_COLUMNS) * side
        ax.add_patch(Rectangle((x, y), side, side, facecolor=style.ACCENT, edgecolor="white", linewidth=1.5))
    _metre_axes(ax, PARCEL_COLUMNS * side, rows_of_squares * side)
    ax.set_xticks(range(0, int(PARCEL_COLUMNS * side) + 1, 500))
    ax.set_yticks(range(0, int(rows_of_squares * side) + 1, 500))
    return Chart(
        name="fig-standard-land",
        title=f"{frame.shown.iloc[0]} of \"standard land\", {frame.shown.iloc[1]} in all: "
              f"{parcel.text} each on average",
        subtitle=f"The area sold, {km2.text}, drawn to scale as equal squares of the average parcel, "
                 f"{side.text} a side. "
                 "Not a map: the article does not give the size or place of each parcel.",
        source=source_line(frame, "the average and the squares are computed"),
        alt=alt_text("A grid of equal squares drawn to scale in metres", frame),
        data=frame, figure=fig,
    )


def factory_floor() -> Chart:
    """The standard factory floor area as a square, beside the average 'standard land' parcel, to scale."""
    parcel, parcel_side, average = _average_parcel()
    floor = rows(["standard-factory-area"], {"standard-factory-area": "Standard factory buildings, floor area"})
    floor_side = computed.square_side(computed.base("standard-factory-area"))
    times = formatting.number(computed.base("standard-factory-area") / (parcel * HECTARE), 0)
    frame = pd.concat([floor, pd.DataFrame([
        derived("Side of a square of that floor area", floor_side, "m", floor_side.text, ["standard-factory-area"],
                "square root of the floor area in m²"),
    ]), average], ignore_index=True)
    gap = floor_side / 4
    fig, ax = style.figure(figsize=(7.2, 4.2))
    ax.add_patch(Rectangle((0, 0), floor_side, floor_side, facecolor=style.ACCENT, edgecolor="none"))
    ax.add_patch(Rectangle((floor_side + gap, 0), parcel_side, parcel_side, facecolor=style.MUTED, edgecolor="none"))
    for x, side, lines in ((0, floor_side, ["Factory floor", floor.shown.iloc[0], f"{floor_side.text} a side"]),
                           (floor_side + gap, parcel_side, ["Average parcel of", "\"standard land\"",
                                                            parcel.text, f"{parcel_side.text} a side"])):
        ax.text(x + side / 2, side / 2, "\n".join(lines), ha="center", va="center", color="white",
                fontsize=9, fontweight="bold", linespacing=1.4)
    _metre_axes(ax, floor_side + gap + parcel_side, floor_side)
    ax.set_xticks(range(0, int(floor_side + gap + parcel_side) + 1, 100))
    ax.set_yticks(range(0, int(floor_side) + 1, 100))
    return Chart(
        name="fig-factory-floor",
        title=f"The standard factory buildings have {floor.shown.iloc[0]} of floor, "
              f"about {times} times the ground of an average \"standard land\" parcel",
        subtitle="Both areas drawn to scale as squares, in metres. Floor area is not ground area: "
                 "a building of several storeys has more floor than the ground it covers, and the article "
                 "does not say how many storeys the buildings have or where they stand.",
        source=source_line(frame, "the average parcel and the sides of the squares are computed"),
        alt=alt_text("Two squares drawn to scale in metres", frame),
        data=frame, figure=fig,
    )


def energy_share() -> Chart:
    """New energy's share of Jinchang's installed power capacity, as a part of the whole."""
    frame = with_remainder("new-energy-share", "New energy 新能源", "Other sources")
    fig, ax = style.figure(figsize=(7.2, 2.6))
    draw.whole_bar(ax, frame)
    return Chart(
        name="fig-new-energy-capacity",
        title=f"New energy makes up {frame.shown.iloc[0]} of Jinchang's installed power capacity",
        subtitle="Share of generating capacity, not of electricity produced, 2025 (year inferred). The article "
                 "does not say which sources count as new energy, nor give the capacity in megawatts.",
        source=source_line(frame, "the rest is the remainder"),
        alt=alt_text("One bar split into two shares of installed power capacity", frame),
        data=frame, figure=fig,
    )


def infrastructure_tax() -> Chart:
    """Infrastructure spending beside one year's tax revenue of the zone: a sense of scale, not a return."""
    labels = {"infrastructure-investment": "Infrastructure projects, total investment (\"recent years\")",
              "zone-tax-2024": "Tax revenue of the zone, 2024"}
    frame = rows(list(labels), labels)
    times = computed.ratio("infrastructure-investment", "zone-tax-2024")
    billions = frame.base_value / 1e9
    fig, ax = style.figure(figsize=(7.2, 3.0))
    ax.barh(frame.index, billions, color=[style.ACCENT, style.MUTED], height=0.6)
    for i, row in frame.iterrows():
        ax.annotate(row.shown, (billions[i], i), xytext=(5, 0), textcoords="offset points", va="center", fontsize=9)
    ax.set_yticks(frame.index, [label.replace(", ", ",\n", 1) for label in frame.label])
    ax.set_xlim(0, billions.max() * 1.3)
    ax.set_xlabel("Billion yuan (CNY)")
    draw.horizontal(ax)
    return Chart(
        name="fig-infrastructure-tax",
        title=f"The zone's infrastructure projects cost about {times} times its 2024 tax revenue",
        subtitle="Not like with like: a total investment over \"recent years\", by payers the article does not name, "
                 "beside one year's tax revenue. Tax is not a return on the investment; the chart only gives "
                 "a sense of scale.",
        source=source_line(frame),
        alt=alt_text("Two horizontal bars in yuan", frame),
        data=frame, figure=fig,
    )
