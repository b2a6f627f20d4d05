"""Charts of the Parks chapter (园区提质): the development zone's firms, investment, tax, rank and history."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Circle, Rectangle

from .. import computed, formatting, style
from ..data import source, text
from ..figure import Chart
from ..style import MIN_TEXT, Layout
from . import draw
from .plotted import alt_text, derived, period, rows, source_line, year
from ..labels import labels

ENTERPRISES = ["zone-cell-makers", "zone-battery-material-makers", "zone-nonferrous-firms"]
INVESTMENT = ["zone-projects", "zone-signed-amount", "zone-funds-growth"]
TIMELINE = ["zone-founding-year", "ctx-064", "zone-tax-2020", "rubai-arrival-year", "zone-national-rank",
            "zone-tax-2024"]
RANK_ROWS = 10  # the rank grid's height in squares in the wide layout: wide enough for a web column
RANK_COLUMNS = 15  # its width in the narrow layout
INDEX_BASE = 100  # the usual base of an index: any one year's funds in place


def tax_path(lang: str = "en") -> Chart:
    """The zone's tax in 2020 and 2024, and the paths that the stated rate and the endpoints imply."""
    t = labels("tax_path", lang)
    start_id, end_id, rate_id = "zone-tax-2020", "zone-tax-2024", "zone-tax-growth"
    readings = computed.growth_readings(start_id, end_id, rate_id, lang)
    first, years = year(start_id), int(readings["years"])
    start, rate = computed.base(start_id), source(rate_id).value
    levels = rows([start_id, end_id], {start_id: t["reported"], end_id: t["reported"]}, lang,
                  year=[first, year(end_id)])
    paths = {}
    for key, pace, shown, ids in (("stated", rate, formatting.shown(rate_id, lang), [start_id, rate_id]),
                                  ("compound", float(readings["compound"]), readings["compound"], [start_id, end_id])):
        label, how = t(f"{key}_path", rate=shown), t(f"{key}_how", first=first)
        paths[key] = pd.DataFrame([
            {**derived(label, v, "CNY", computed.money(v, lang=lang).text, ids, how, lang), "year": first + step}
            for step, v in enumerate(start * (1 + pace / 100) ** step for step in range(years + 1))])
    frame = pd.concat([levels, *paths.values()], ignore_index=True)
    last = first + years
    styles = {"stated": (style.PALETTE["blue"], "--"), "compound": (style.MUTED, ":")}

    def draw_chart(layout: Layout) -> Figure:
        fig, ax = layout.figure(layout.pick(3.0, 3.3))
        for key, path in paths.items():
            color, line = styles[key]
            end = path.iloc[-1]
            text = t("end", label=end.label, shown=end.shown, year=end.year)
            ax.plot(path.year, path.base_value, line, color=color, linewidth=2,
                    label=layout.wrap(style.unbreak(text), layout.line * 0.62))
            if not layout.narrow:  # the narrow layout has no room beside the lines: a legend instead
                ax.annotate(text, (end.year, end.base_value), xytext=(8, 0), textcoords="offset points",
                            va="center", fontsize=MIN_TEXT, color=color)
        shown = dict(zip(("start", "end"), levels.shown))
        ax.plot(levels.year, levels.base_value, "o", color=style.ACCENT, markersize=9, zorder=3,
                label=layout.wrap(t("reported_legend", first=first, last=last, **shown), layout.line * 0.62))
        if layout.narrow:
            ax.legend(loc="upper left", handlelength=2.4, labelcolor="linecolor")
        else:  # below the dots, clear of the lines
            for row, offset in zip(levels.itertuples(), ((10, -8), (-6, -16))):
                ax.annotate(t("reported_at", year=row.year, shown=row.shown), (row.year, row.base_value),
                            xytext=offset, textcoords="offset points", va="top", fontsize=MIN_TEXT,
                            color=style.ACCENT, fontweight="bold")
        ax.set_xticks(range(first, first + years + 1))
        ax.set_xlim(first - 0.4, first + years + layout.pick(2.6, 0.4))
        ax.set_ylim(0, frame.base_value.max() * layout.pick(1.15, 1.6))  # room for the legend
        size, name = formatting.scale(frame.base_value.max(), lang)
        ax.yaxis.set_major_formatter(lambda v, _: formatting.number(v / size, lang=lang))
        ax.set_ylabel(t("axis", scale=name))
        ax.spines["bottom"].set_bounds(first - 0.4, first + years + 0.2)
        return fig

    stated = formatting.shown(rate_id, lang)
    return Chart(
        name="fig-tax-path", lang=lang,
        title=t("title", rate=stated, first=first, last=last, claimed=readings["claimed_end"],
                end=formatting.shown(end_id, lang)),
        subtitle=t("subtitle", compound=readings["compound"], years=readings["years"]),
        source=source_line(frame, lang=lang),
        alt=alt_text(t("alt", first=first, last=last), when="when", lang=lang,
                     frame=frame.assign(when=[formatting.period(str(year), lang) for year in frame.year])),
        description=t("description", first=first, last=last, start=formatting.shown(start_id, lang),
                      end=formatting.shown(end_id, lang), rate=stated, claimed=readings["claimed_end"],
                      compound=readings["compound"]),
        data=frame, draw=draw_chart, table=("label", "year", "shown"),
    )


def national_rank(lang: str = "en") -> Chart:
    """The zone's place among all national-level development zones, one square per zone."""
    t = labels("national_rank", lang)
    rank_id, count_id = "zone-national-rank", "etdz-national-count"
    rank, count = int(source(rank_id).value), int(source(count_id).value)
    top = computed.top_share(rank_id, count_id, lang)
    number = lambda n: formatting.number(n, lang=lang)  # noqa: E731
    frame = pd.concat([rows([count_id, rank_id], t["rows"], lang), pd.DataFrame([
        derived(t["above"], rank - 1, "zones", number(rank - 1), [rank_id], t["above_how"], lang),
        derived(t["below"], count - rank, "zones", number(count - rank), [rank_id, count_id], t["below_how"], lang),
        derived(t["top"], float(top), "%", t("top_shown", top=top), [rank_id, count_id], t["top_how"], lang)])],
        ignore_index=True)

    def draw_chart(layout: Layout) -> Figure:
        per_row = layout.pick(math.ceil(count / RANK_ROWS), RANK_COLUMNS)
        lines = math.ceil(count / per_row)
        fig, ax = layout.figure(layout.pick(3.6, 4.3))
        for position in range(1, count + 1):
            color = style.MUTED if position < rank else style.ACCENT if position == rank else draw.LIGHT
            ax.add_patch(Rectangle(((position - 1) % per_row, (position - 1) // per_row), 0.86, 0.86,
                                   color=color, linewidth=0))
        spot = ((rank - 1) % per_row + 0.43, (rank - 1) // per_row + 0.43)
        ax.annotate(t("jinchang", rank=formatting.shown(rank_id, lang)), spot,
                    xytext=(min(spot[0] + 1.2, per_row * 0.45), -1.6), ha="left", va="center", fontsize=10,
                    fontweight="bold", color=style.ACCENT,
                    arrowprops={"arrowstyle": "-", "color": style.ACCENT, "linewidth": 1})
        ax.text(0, -1.6, t["best"], va="center", fontsize=MIN_TEXT, color=draw.LABEL)
        ax.text(per_row - 0.14, lines + 0.9, t("last", last=formatting.ordinal(count, lang)),
                ha="right", va="center", fontsize=MIN_TEXT, color=draw.LABEL)
        ax.set_xlim(-0.2, per_row)
        ax.set_ylim(lines + 1.6, -2.4)
        ax.set_aspect("equal")
        ax.axis("off")
        return fig

    above, below = frame.shown.iloc[2], frame.shown.iloc[3]
    shown = {"rank": formatting.shown(rank_id, lang), "count": formatting.shown(count_id, lang)}
    return Chart(
        name="fig-national-rank", lang=lang,
        title=t("title", top=top, **shown),
        subtitle=t("subtitle", year=year(rank_id), above=above, below=below),
        source=source_line(frame, t["note"], lang),
        alt=alt_text(t["alt"], frame, lang=lang),
        description=t("description", squares=number(count), above=above, below=below, top=top,
                      position=number(rank), rank=shown["rank"]),
        data=frame, draw=draw_chart,
    )


def enterprises(lang: str = "en") -> Chart:
    """How many firms the article counts in each of the zone's industries."""
    t = labels("enterprises", lang)
    frame = rows(ENTERPRISES, t["rows"], lang)

    def draw_chart(layout: Layout) -> Figure:
        fig, ax = layout.figure(layout.pick(2.0, 3.0))
        height = layout.pick(0.6, 0.45)
        ax.barh(frame.index, frame.value, color=style.ACCENT, height=height)
        for row in frame.itertuples():
            ax.annotate(row.shown, (row.value, row.Index), xytext=(5, 0), textcoords="offset points",
                        va="center", fontsize=9.5)
        draw.horizontal(ax)
        draw.categories(ax, frame.label, layout, height)
        ax.set_xlim(0, frame.value.max() * 1.2)
        ax.set_xlabel(t["axis"])
        return fig

    largest = frame.loc[frame.value.idxmax()]
    return Chart(
        name="fig-enterprises", lang=lang,
        title=t("title", group=largest.label.splitlines()[0], count=largest.shown),
        subtitle=t("subtitle", zone=labels("common", lang)["zone"],
                   period=period(ENTERPRISES[0], lang, t["inferred"])),
        source=source_line(frame, lang=lang),
        alt=alt_text(t["alt"], frame, lang=lang),
        data=frame, draw=draw_chart,
    )


def investment(lang: str = "en") -> Chart:
    """Projects, signed amount and growth of funds in place since 2020: three measures, three panels."""
    t = labels("investment", lang)
    claims = rows(INVESTMENT, t["rows"], lang)
    per_project = computed.per("zone-signed-amount", "zone-projects", lang=lang)
    growth = source("zone-funds-growth").value
    grown = INDEX_BASE * (1 + growth / 100)
    number = lambda n: formatting.number(n, lang=lang)  # noqa: E731
    index = pd.DataFrame([
        derived(t["index_base"], INDEX_BASE, "index", number(INDEX_BASE), ["zone-funds-growth"],
                t["index_base_how"], lang),
        derived(t["index_next"], grown, "index", number(grown), ["zone-funds-growth"], t["index_next_how"], lang),
        derived(t["per_project_label"], float(per_project), "CNY", per_project.text,
                ["zone-signed-amount", "zone-projects"], t["per_project_how"], lang)])
    frame = pd.concat([claims, index], ignore_index=True)
    projects, signed = int(claims.value.iloc[0]), claims.base_value.iloc[1]
    since = period("zone-projects", lang)

    def draw_chart(layout: Layout) -> Figure:
        fig, panels = layout.mosaic(layout.pick(2.9, 4.6), layout.pick([["count", "money", "growth"]],
                                                                      [["count", "count"], ["money", "growth"]]),
                                    **layout.pick({"width_ratios": [1.25, 1, 1]}, {"height_ratios": [1, 1.5]}))
        count_ax, money_ax, growth_ax = panels["count"], panels["money"], panels["growth"]
        per_row = math.ceil(math.sqrt(projects * 2))  # a grid about twice as wide as tall
        for i in range(projects):
            count_ax.add_patch(Circle((i % per_row, i // per_row), 0.38, color=style.ACCENT))
        count_ax.set_xlim(-0.6, per_row - 0.4)
        count_ax.set_ylim(math.ceil(projects / per_row) + 2.2, -0.6)
        count_ax.set_aspect("equal")
        count_ax.axis("off")
        count_ax.text(-0.5, math.ceil(projects / per_row) + 0.6, claims.shown.iloc[0], va="top", fontsize=10,
                      fontweight="bold", color=style.ACCENT)
        count_ax.set_title(t["count_panel"], fontsize=10)
        money_ax.bar(0, signed, color=style.ACCENT, width=0.6)
        # "Over": the bar is a floor, and the arrow says the true amount lies above it.
        money_ax.annotate("", (0, signed * 1.3), (0, signed * 1.02),
                          arrowprops={"arrowstyle": "-|>", "color": style.ACCENT, "linewidth": 1.5})
        money_ax.text(0, signed / 2, layout.wrap(claims.shown.iloc[1], layout.pick(48, 36), weight="bold"), ha="center",
                      va="center", color="white", fontsize=MIN_TEXT, fontweight="bold", multialignment="center")
        money_ax.set_xlim(-0.6, 0.6)
        money_ax.set_ylim(0, signed * 1.35)
        money_ax.set_xticks([])
        money_ax.set_xlabel(t("per_project", per=per_project.text), fontsize=MIN_TEXT)
        size, name = formatting.scale(signed, lang)
        money_ax.yaxis.set_major_formatter(lambda v, _: formatting.number(v / size, lang=lang))
        money_ax.set_ylabel(t("money_axis", scale=name))
        money_ax.set_title(t["money_panel"], fontsize=10)
        growth_ax.bar([0, 1], index.value.iloc[:2], color=[draw.LIGHT, style.ACCENT], width=0.6)
        for x, row in enumerate(index.iloc[:2].itertuples()):
            growth_ax.text(x, row.value, row.shown, ha="center", va="bottom", fontsize=MIN_TEXT)
        growth_ax.set_xticks([0, 1], [t["a_year"], t["next_year"]])
        growth_ax.set_ylim(0, grown * 1.2)
        growth_ax.set_ylabel(t("index_axis", base=index.shown.iloc[0]))
        growth_ax.set_title(t("growth_panel", growth=formatting.shown("zone-funds-growth", lang)), fontsize=10)
        return fig

    return Chart(
        name="fig-investment", lang=lang,
        title=t("title", projects=claims.shown.iloc[0], signed=claims.shown.iloc[1], per=per_project.text,
                since=since),
        subtitle=t("subtitle", zone=labels("common", lang)["zone"], since=since, base=year("zone-funds-growth")),
        source=source_line(frame, lang=lang),
        alt=alt_text(t["alt"], frame, lang=lang),
        data=frame, draw=draw_chart,
    )


def timeline(lang: str = "en") -> Chart:
    """The zone's dates in the article, on one time axis, with the year it became national-level."""
    t = labels("timeline", lang)
    frame = rows(TIMELINE, t["rows"], lang, year=[year(i) for i in TIMELINE])
    # The rank's label also names the size of the field, so that claim is a source of the row too.
    frame.loc[frame.claim_id == "zone-national-rank", "claim_id"] = "zone-national-rank etdz-national-count"
    count, since = formatting.shown("etdz-national-count", lang), period("zone-projects", lang)
    frame["event"] = [t["events"][i].format(shown=s, count=count, since=since)
                      for i, s in zip(TIMELINE, frame.shown)]
    colors = [style.MUTED if pd.notna(c) else style.ACCENT for c in frame.context_id]

    def draw_chart(layout: Layout) -> Figure:
        fig, ax = layout.figure(layout.pick(2.9, 3.6))
        if layout.narrow:
            _vertical_timeline(ax, frame, colors, layout)
        else:
            _horizontal_timeline(ax, frame, colors)
        ax.axis("off")
        return fig

    first, ranked = frame.year.min(), year("zone-national-rank")
    upgrade = source("ctx-064")
    return Chart(
        name="fig-zone-timeline", lang=lang,
        title=t("title", first=first, ranked=ranked),
        subtitle=t("subtitle", zone=labels("common", lang)["zone"]),
        source=source_line(frame, t("note", publisher=re.split(r" \(|（", text(upgrade, "publisher", lang))[0],
                                         date=formatting.period(upgrade.source_date, lang)),
                           lang),
        alt=alt_text(t["alt"], frame, "year", "event", lang),
        description=_timeline_description(frame, t, lang),
        data=frame, draw=draw_chart, table=("year", "event", "label", "shown"),
    )


def _horizontal_timeline(ax, frame: pd.DataFrame, colors: list[str]) -> None:
    """Years along x. Early events to the right of their stem, below the axis; the crowded recent
    ones to the left, each later one higher, so no stem crosses a label."""
    ax.axhline(0, color="#555555", linewidth=0.8)
    recent = frame.year >= year("zone-tax-2020")
    heights = {i: 0.8 + 0.75 * rank for rank, i in enumerate(frame.index[recent])}
    for row, color in zip(frame.itertuples(), colors):
        height = heights.get(row.Index, -0.9)
        ax.vlines(row.year, 0, height, color=color, linewidth=1)
        ax.plot(row.year, 0, "o", color=color, markersize=7, zorder=3)
        ax.text(row.year + (-0.3 if height > 0 else 0.4), height, f"{row.year}  {row.event}",
                ha="right" if height > 0 else "left", multialignment="left", va="center", fontsize=MIN_TEXT,
                color="#222222", linespacing=1.2)
    ax.set_xlim(frame.year.min() - 2, frame.year.max() + 2)
    ax.set_ylim(-1.8, max(heights.values()) + 0.6)


def _vertical_timeline(ax, frame: pd.DataFrame, colors: list[str], layout: Layout) -> None:
    """Years down a vertical axis, each event's label in a column beside it, the labels evenly
    spaced and joined to their year by a line: recent years are too close for labels beside them."""
    first, last = frame.year.min(), frame.year.max()
    ax.vlines(0, first - 1, last + 1, color="#555555", linewidth=0.8)
    slots = np.linspace(first, last, len(frame))
    for row, color, slot in zip(frame.itertuples(), colors, slots):
        ax.plot(0, row.year, "o", color=color, markersize=7, zorder=3)
        ax.plot([0, 0.6, 1.2], [row.year, row.year, slot], color=color, linewidth=0.8)
        ax.text(1.4, slot, layout.wrap(f"{row.year}  {style.unbreak(row.event)}", layout.line * 0.8),
                ha="left", va="center", fontsize=MIN_TEXT, color="#222222", linespacing=1.2)
    ax.set_xlim(-0.4, 12)
    ax.set_ylim(last + 2, first - 2)


def _timeline_description(frame: pd.DataFrame, t, lang: str) -> str:
    """The events in time order, each with the years since the one before."""
    years = formatting.words(lang).years
    ordered = frame.sort_values("year", kind="stable")
    events = [t("first_event", year=ordered.year.iloc[0], event=style.unbreak(ordered.event.iloc[0]))]
    for before, row in zip(ordered.itertuples(), ordered.iloc[1:].itertuples()):
        events.append(t("next_event", gap=years(formatting.number(row.year - before.year, lang=lang)),
                        year=row.year, event=style.unbreak(row.event)))
    return t("description", events=labels("common", lang)["alt_separator"].join(events))
