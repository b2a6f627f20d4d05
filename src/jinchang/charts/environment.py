"""Charts of the Environment chapter: approvals, 'standard land', factory floor, energy, infrastructure."""

from __future__ import annotations

import math

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from .. import computed, formatting, style
from ..figure import Chart
from ..style import MIN_TEXT, Layout
from . import draw
from .plotted import alt_text, derived, period, rows, source_line, with_remainder, year
from ..labels import labels

HECTARE = 10_000  # m² in a hectare
KM2 = 1_000_000  # m² in a square kilometre
INDEX = 100  # approval time before the cut, as an index
PARCEL_COLUMNS = 10  # the land grid's layout: a choice of drawing, not data
LAND_IDS = ["standard-land-area", "standard-land-parcels"]


def _average_parcel(lang: str) -> tuple[computed.Shown, computed.Shown, pd.DataFrame]:
    """The average 'standard land' parcel in hectares, the side of a square of that area,
    and both as plotted rows."""
    t = labels("parcel", lang)
    parcel = computed.per(*LAND_IDS, lang=lang)
    side = computed.square_side(parcel * HECTARE, lang)
    frame = pd.DataFrame([
        derived(t["average"], parcel, "ha", parcel.text, LAND_IDS, t["average_how"], lang),
        derived(t["side"], side, "m", side.text, LAND_IDS, t["side_how"], lang),
    ])
    return parcel, side, frame


def _metre_axes(ax: Axes, width: float, height: float, every: int, lang: str) -> None:
    """Equal scales in metres on both axes, ticked ``every`` metres, so that squares look square and areas compare."""
    ax.set_aspect("equal")
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.grid(False)
    for axis, extent in ((ax.xaxis, width), (ax.yaxis, height)):
        axis.set_ticks(range(0, int(extent) + 1, every))
        axis.set_major_formatter(lambda v, _: formatting.with_unit(formatting.number(v, lang=lang), "m", lang))


def approval_time(lang: str = "en") -> Chart:
    """Approval time as an index, before and after the cut: the article gives no days."""
    t = labels("approval_time", lang)
    after = computed.after_cut("approval-time-cut", lang)
    cut = rows(["approval-time-cut"], {"approval-time-cut": t["cut"]}, lang)
    index = formatting.number(INDEX, lang=lang)
    frame = pd.concat([pd.DataFrame([
        derived(t["before"], INDEX, "index", index, ["approval-time-cut"], t("before_how", index=index), lang),
        derived(t["after"], after, "index", after.text, ["approval-time-cut"], t("after_how", index=index), lang),
    ]), cut], ignore_index=True)

    def draw_chart(layout: Layout) -> Figure:
        fig, ax = layout.figure(layout.pick(1.7, 2.2))
        height = layout.pick(0.6, 0.5)
        ax.barh(0, INDEX, color=style.MUTED, height=height)
        ax.barh(1, after, color=style.ACCENT, height=height)
        ax.barh(1, INDEX - after, left=after, color="white", edgecolor=style.ACCENT, hatch="///", height=height)
        ax.text(INDEX / 2, 0, index, ha="center", va="center", color="white", fontweight="bold")
        ax.text(after / 2, 1, after.text, ha="center", va="center", color="white", fontweight="bold")
        size = 9.5  # wrapped at the size it is drawn at
        ax.text((INDEX + after) / 2, 1, layout.wrap(t("cut_by", cut=cut.shown.iloc[0]), layout.line * 0.6, size=size),
                ha="center", va="center", fontsize=size, bbox={"facecolor": "white", "edgecolor": "none", "pad": 2})
        draw.horizontal(ax)
        draw.categories(ax, [t["before"], t["after"]], layout, height)
        ax.set_xlim(0, INDEX)
        ax.set_xlabel(layout.wrap(t("axis", index=index), layout.line, size=ax.xaxis.label.get_fontsize()))
        return fig

    return Chart(
        name="fig-approval-time", lang=lang,
        title=t("title", cut=cut.shown.iloc[0]),
        subtitle=t["subtitle"],
        source=source_line(frame, t("note", index=index), lang),
        alt=alt_text(t["alt"], frame, lang=lang),
        data=frame, draw=draw_chart,
    )


def land(lang: str = "en") -> Chart:
    """The 'standard land' sold, drawn to scale as equal squares of the average parcel."""
    t = labels("land", lang)
    parcel, side, average = _average_parcel(lang)
    km2 = computed.converted("standard-land-area", KM2, "km²", lang=lang)
    frame = pd.concat([
        rows(["standard-land-parcels", "standard-land-area"], t["rows"], lang),
        pd.DataFrame([derived(t["km2"], km2, "km²", km2.text, ["standard-land-area"],
                              t("km2_how", per=formatting.number(KM2 // HECTARE, lang=lang)), lang)]),
        average,
    ], ignore_index=True)
    parcels = int(frame.value.iloc[0])
    lines = math.ceil(parcels / PARCEL_COLUMNS)

    def draw_chart(layout: Layout) -> Figure:
        fig, ax = layout.figure(layout.pick(3.3, 2.2))
        for i in range(parcels):
            x, y = i % PARCEL_COLUMNS * side, (lines - 1 - i // PARCEL_COLUMNS) * side
            ax.add_patch(Rectangle((x, y), side, side, facecolor=style.ACCENT, edgecolor="white", linewidth=1.5))
        _metre_axes(ax, PARCEL_COLUMNS * side, lines * side, layout.pick(500, 1000), lang)
        return fig

    return Chart(
        name="fig-standard-land", lang=lang,
        title=t("title", parcels=frame.shown.iloc[0], area=frame.shown.iloc[1], parcel=parcel.text),
        subtitle=t("subtitle", km2=km2.text, side=side.text),
        source=source_line(frame, t["note"], lang),
        alt=alt_text(t["alt"], frame, lang=lang),
        description=t("description", count=formatting.number(parcels, lang=lang),
                      columns=formatting.number(PARCEL_COLUMNS, lang=lang), side=side.text, km2=km2.text),
        data=frame, draw=draw_chart,
    )


def factory_floor(lang: str = "en") -> Chart:
    """The standard factory floor area as a square, beside the average 'standard land' parcel, to scale."""
    t = labels("factory_floor", lang)
    parcel, parcel_side, average = _average_parcel(lang)
    floor = rows(["standard-factory-area"], t["rows"], lang)
    floor_side = computed.square_side(computed.base("standard-factory-area"), lang)
    times = formatting.number(computed.base("standard-factory-area") / (parcel * HECTARE), 0, lang)
    frame = pd.concat([floor, pd.DataFrame([
        derived(t["side"], floor_side, "m", floor_side.text, ["standard-factory-area"], t["side_how"], lang),
    ]), average], ignore_index=True)
    gap = floor_side / 4

    def draw_chart(layout: Layout) -> Figure:
        fig, ax = layout.figure(layout.pick(2.9, 2.4))
        ax.add_patch(Rectangle((0, 0), floor_side, floor_side, facecolor=style.ACCENT, edgecolor="none"))
        ax.add_patch(Rectangle((floor_side + gap, 0), parcel_side, parcel_side, facecolor=style.MUTED,
                               edgecolor="none"))
        # Each text inside its square; the parcel's above it in the narrow layout, where that square is too small.
        for x, side, text, inside in (
                (0, floor_side, t("floor_box", area=floor.shown.iloc[0], side=floor_side.text), True),
                (floor_side + gap, parcel_side, t("parcel_box", area=parcel.text, side=parcel_side.text),
                 not layout.narrow)):
            ax.text(x + side / 2, side / 2 if inside else side + floor_side * 0.03, text, ha="center",
                    va="center" if inside else "bottom", color="white" if inside else "#222222", fontsize=MIN_TEXT,
                    fontweight="bold", linespacing=1.4, multialignment="center")
        _metre_axes(ax, floor_side + gap + parcel_side, floor_side, layout.pick(100, 200), lang)
        return fig

    return Chart(
        name="fig-factory-floor", lang=lang,
        title=t("title", floor=floor.shown.iloc[0], times=times),
        subtitle=t["subtitle"],
        source=source_line(frame, t["note"], lang),
        alt=alt_text(t["alt"], frame, lang=lang),
        data=frame, draw=draw_chart,
    )


def energy_share(lang: str = "en") -> Chart:
    """New energy's share of Jinchang's installed power capacity, as a part of the whole."""
    t = labels("energy_share", lang)
    frame = with_remainder("new-energy-share", t["new_energy"], t["other"], lang)
    return Chart(
        name="fig-new-energy-capacity", lang=lang,
        title=t("title", share=frame.shown.iloc[0]),
        subtitle=t("subtitle", period=period("new-energy-share", lang)),
        source=source_line(frame, t["note"], lang),
        alt=alt_text(t["alt"], frame, lang=lang),
        data=frame, draw=draw.whole_bar_chart(frame, 1.2, 1.5),
    )


def infrastructure_tax(lang: str = "en") -> Chart:
    """Infrastructure spending beside one year's tax revenue of the zone: a sense of scale, not a return."""
    t = labels("infrastructure_tax", lang)
    tax_year = year("zone-tax-2024")
    frame = rows(["infrastructure-investment", "zone-tax-2024"],
                 {i: label.format(year=tax_year) for i, label in t["rows"].items()}, lang)
    size, name = formatting.scale(frame.base_value.max(), lang)
    scaled = frame.base_value / size

    def draw_chart(layout: Layout) -> Figure:
        fig, ax = layout.figure(layout.pick(1.7, 2.3))
        height = layout.pick(0.6, 0.45)
        ax.barh(frame.index, scaled, color=[style.ACCENT, style.MUTED], height=height)
        for i, row in frame.iterrows():
            ax.annotate(row.shown, (scaled[i], i), xytext=(5, 0), textcoords="offset points", va="center",
                        fontsize=MIN_TEXT)
        draw.horizontal(ax)
        draw.categories(ax, [layout.wrap(label, layout.pick(170, layout.line)) for label in frame.label],
                        layout, height)
        ax.set_xlim(0, scaled.max() * 1.3)
        ax.set_xlabel(t("axis", scale=name))
        return fig

    return Chart(
        name="fig-infrastructure-tax", lang=lang,
        title=t("title", times=computed.ratio("infrastructure-investment", "zone-tax-2024", lang=lang),
                year=tax_year),
        subtitle=t["subtitle"],
        source=source_line(frame, lang=lang),
        alt=alt_text(t["alt"], frame, lang=lang),
        data=frame, draw=draw_chart,
    )
