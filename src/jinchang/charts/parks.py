"""Charts of the Parks chapter (园区提质): the development zone's firms, investment, tax, rank and history."""

from __future__ import annotations

import math

import pandas as pd
from matplotlib.patches import Circle, Rectangle

from .. import computed, formatting, style
from ..data import source
from ..figure import Chart
from . import draw
from .plotted import alt_text, derived, rows, source_line

ZONE = "the Jinchang Economic and Technological Development Zone"


def _year(row_id: str) -> int:
    """The year a claim or context row refers to: its value for year rows, else its period."""
    row = source(row_id)
    return int(row.value) if row.unit == "year" else int(row.period)


def tax_path() -> Chart:
    """The zone's tax in 2020 and 2024, and the paths that the stated rate and the endpoints imply."""
    start_id, end_id, rate_id = "zone-tax-2020", "zone-tax-2024", "zone-tax-growth"
    readings = computed.growth_readings(start_id, end_id, rate_id)
    first, years = _year(start_id), int(readings["years"])
    start, rate = computed.base(start_id), source(rate_id).value
    levels = rows([start_id, end_id], {start_id: "Reported level", end_id: "Reported level"},
                  year=[first, _year(end_id)])
    fig, ax = style.figure(figsize=(7.2, 4.4))
    paths = []
    for label, pace, ids, how, color, line in (
            (f"{formatting.shown(rate_id)} a year, as stated", rate, [start_id, rate_id],
             "the 2020 level grown at the stated rate", style.PALETTE["blue"], "--"),
            (f"{readings['compound']} a year, from the reported levels", float(readings["compound"]),
             [start_id, end_id], "the 2020 level grown at the compound rate of the reported levels", style.MUTED, ":")):
        values = [start * (1 + pace / 100) ** step for step in range(years + 1)]
        path = pd.DataFrame([{**derived(label, v, "CNY", computed.money(v).text, ids, how), "year": first + step}
                             for step, v in enumerate(values)])
        ax.plot(path.year, path.base_value, line, color=color, linewidth=2)
        end = path.iloc[-1]
        ax.annotate(f"{label}:\n{end.shown} in {end.year}", (end.year, end.base_value), xytext=(8, 0),
                    textcoords="offset points", va="center", fontsize=9, color=color)
        paths.append(path)
    frame = pd.concat([levels, *paths], ignore_index=True)
    ax.plot(levels.year, levels.base_value, "o", color=style.ACCENT, markersize=9, zorder=3)
    for row, offset in zip(levels.itertuples(), ((10, -8), (-6, -16))):  # below the lines, clear of them
        ax.annotate(f"Reported {row.year}:\n{row.shown}", (row.year, row.base_value), xytext=offset,
                    textcoords="offset points", ha="left", va="top", fontsize=9, color=style.ACCENT,
                    fontweight="bold")
    ax.set_xticks(range(first, first + years + 1))
    ax.set_xlim(first - 0.4, first + years + 2.6)
    ax.set_ylim(0, frame.base_value.max() * 1.15)
    ax.yaxis.set_major_formatter(lambda v, _: formatting.number(v / 1e6))
    ax.set_ylabel("Tax revenue, CNY million")
    ax.spines["bottom"].set_bounds(first - 0.4, first + years + 0.2)
    return Chart(
        name="fig-tax-path",
        title=f"At {formatting.shown(rate_id)} a year, the {first} level would have reached "
              f"{readings['claimed_end']} by {first + years}; the article reports {formatting.shown(end_id)}",
        subtitle=f"Tax revenue of the development zone. Dots: the only levels the article gives. Lines: computed "
                 f"paths, not reported figures; the years between are unknown. The reported levels imply "
                 f"{readings['compound']} a year, compounded over {readings['years']}.",
        source=source_line(frame),
        alt=alt_text("Line chart of the zone's tax revenue from 2020 to 2024: two reported dots and two computed "
                     "paths", frame.assign(point=[f"{l} {y}" for l, y in zip(frame.label, frame.year)]), "point"),
        data=frame, figure=fig,
    )


RANK_ROWS = 10  # the grid's height in squares: wide enough for a web column


def national_rank() -> Chart:
    """The zone's place among all national-level development zones, one square per zone."""
    rank_id, count_id = "zone-national-rank", "etdz-national-count"
    rank, count = int(source(rank_id).value), int(source(count_id).value)
    top = computed.top_share(rank_id, count_id)
    frame = pd.concat([rows([count_id, rank_id], {count_id: "National-level zones ranked",
                                                  rank_id: "Jinchang's place"}),
                       pd.DataFrame([
                           derived("Zones ranked above", rank - 1, "zones", formatting.number(rank - 1),
                                   [rank_id], "the rank minus one"),
                           derived("Zones ranked below", count - rank, "zones", formatting.number(count - rank),
                                   [rank_id, count_id], "the number of zones minus the rank"),
                           derived("Share of zones at or above Jinchang", float(top), "%", f"top {top}",
                                   [rank_id, count_id], "the rank divided by the number of zones")])],
                      ignore_index=True)
    per_row = math.ceil(count / RANK_ROWS)
    fig, ax = style.figure(figsize=(7.2, 3.9))
    for position in range(1, count + 1):
        color = style.MUTED if position < rank else style.ACCENT if position == rank else draw.LIGHT
        ax.add_patch(Rectangle(((position - 1) % per_row, (position - 1) // per_row), 0.86, 0.86,
                               color=color, linewidth=0))
    spot = ((rank - 1) % per_row + 0.43, (rank - 1) // per_row + 0.43)
    ax.annotate(f"Jinchang: {formatting.shown(rank_id)}", spot, xytext=(spot[0] + 1.2, -1.6),
                ha="left", va="center", fontsize=10, fontweight="bold", color=style.ACCENT,
                arrowprops={"arrowstyle": "-", "color": style.ACCENT, "linewidth": 1})
    ax.text(0, -1.6, "Best ranked", va="center", fontsize=9, color="#444444")
    ax.text(per_row - 0.14, math.ceil(count / per_row) + 0.9, f"{formatting.ordinal(count)}: last",
            ha="right", va="center", fontsize=9, color="#444444")
    ax.set_xlim(-0.2, per_row)
    ax.set_ylim(math.ceil(count / per_row) + 1.6, -2.4)
    ax.set_aspect("equal")
    ax.axis("off")
    above, below = frame.iloc[2], frame.iloc[3]
    return Chart(
        name="fig-national-rank",
        title=f"Ranked {formatting.shown(rank_id)} of {formatting.shown(count_id)}: in the top {top}",
        subtitle=f"National-level economic and technological development zones in the {_year(rank_id)} ranking, "
                 f"one square each, in rank order from the top left, reading across. Grey: the {above.shown} "
                 f"ranked above; light: the {below.shown} ranked below.",
        source=source_line(frame, "The article does not name the ranking's measures"),
        alt=alt_text("A grid of squares, one per national development zone in rank order", frame),
        data=frame, figure=fig,
    )


ENTERPRISE_LABELS = {
    "zone-cell-makers": "Lithium-battery cell makers\n锂电池电芯生产企业",
    "zone-battery-material-makers": "New-energy battery-material makers\n新能源电池材料生产企业",
    "zone-nonferrous-firms": "Nonferrous new-materials firms\n有色金属新材料企业",
}


def enterprises() -> Chart:
    """How many firms the article counts in each of the zone's industries."""
    frame = rows(list(ENTERPRISE_LABELS), ENTERPRISE_LABELS)
    fig, ax = style.figure(figsize=(7.2, 3.2))
    ax.barh(frame.index, frame.value, color=style.ACCENT, height=0.6)
    for row in frame.itertuples():
        ax.annotate(row.shown, (row.value, row.Index), xytext=(5, 0), textcoords="offset points", va="center",
                    fontsize=9.5)
    ax.set_yticks(frame.index, frame.label)
    ax.set_xlim(0, frame.value.max() * 1.2)
    ax.set_xlabel("Enterprises")
    draw.horizontal(ax)
    largest = frame.loc[frame.value.idxmax()]
    return Chart(
        name="fig-enterprises",
        title=f"{largest.label.splitlines()[0]} are the largest group the article counts: {largest.shown}",
        subtitle=f"Enterprises in {ZONE}, by industry, as the article counts them (2025, year inferred). "
                 "It does not say whether a firm can be counted in more than one group.",
        source=source_line(frame),
        alt=alt_text("Horizontal bars of enterprises by industry",
                     frame.assign(label=frame.label.str.replace("\n", " "))),
        data=frame, figure=fig,
    )


INDEX_BASE = 100  # the usual base of an index: any one year's funds in place


def investment() -> Chart:
    """Projects, signed amount and growth of funds in place since 2020: three measures, three panels."""
    labels = {"zone-projects": "New projects brought in", "zone-signed-amount": "Contract value signed",
              "zone-funds-growth": "Growth of funds in place, average a year"}
    claims = rows(list(labels), labels)
    per_project = computed.per("zone-signed-amount", "zone-projects")
    growth = source("zone-funds-growth").value
    grown = INDEX_BASE * (1 + growth / 100)
    index = pd.DataFrame([
        derived("Funds in place, a given year (index)", INDEX_BASE, "index", formatting.number(INDEX_BASE),
                ["zone-funds-growth"], "an index of the funds in place, set to its base for any one year"),
        derived("Funds in place, the next year (index)", grown, "index", formatting.number(grown),
                ["zone-funds-growth"], "the index grown at the stated average rate"),
        derived("Contract value per project", float(per_project), "CNY", per_project.text,
                ["zone-signed-amount", "zone-projects"], "the signed amount divided by the projects")])
    frame = pd.concat([claims, index], ignore_index=True)
    fig, (count_ax, money_ax, growth_ax) = style.figure(1, 3, figsize=(7.2, 3.8), width_ratios=[1.25, 1, 1])
    projects = int(claims.value.iloc[0])
    per_row = math.ceil(math.sqrt(projects * 2))  # a grid about twice as wide as tall
    for i in range(projects):
        count_ax.add_patch(Circle((i % per_row, i // per_row), 0.38, color=style.ACCENT))
    count_ax.set_xlim(-0.6, per_row - 0.4)
    count_ax.set_ylim(math.ceil(projects / per_row) + 2.2, -0.6)
    count_ax.set_aspect("equal")
    count_ax.axis("off")
    count_ax.text(-0.5, math.ceil(projects / per_row) + 0.6, claims.shown.iloc[0], va="top", fontsize=10,
                  fontweight="bold", color=style.ACCENT)
    count_ax.set_title("New projects\none dot each", fontsize=10)
    signed = claims.base_value.iloc[1]
    money_ax.bar(0, signed, color=style.ACCENT, width=0.6)
    # "Over": the bar is a floor, and the arrow says the true amount lies above it.
    money_ax.annotate("", (0, signed * 1.3), (0, signed * 1.02),
                      arrowprops={"arrowstyle": "-|>", "color": style.ACCENT, "linewidth": 1.5})
    money_ax.text(0, signed / 2, claims.shown.iloc[1].replace("over ", "over\n"), ha="center", va="center",
                  color="white", fontsize=9, fontweight="bold")
    money_ax.set_xlim(-0.6, 0.6)
    money_ax.set_ylim(0, signed * 1.35)
    money_ax.set_xticks([])
    money_ax.set_xlabel(per_project.text.replace("over ", "on average over\n") + "\nper project", fontsize=9)
    money_ax.yaxis.set_major_formatter(lambda v, _: formatting.number(v / 1e9))
    money_ax.set_ylabel("CNY billion")
    money_ax.set_title("Contract value\nsigned (lower bound)", fontsize=10)
    growth_ax.bar([0, 1], index.value.iloc[:2], color=[draw.LIGHT, style.ACCENT], width=0.6)
    for x, row in enumerate(index.iloc[:2].itertuples()):
        growth_ax.text(x, row.value, row.shown, ha="center", va="bottom", fontsize=9)
    growth_ax.set_xticks([0, 1], ["a year", "the next"])
    growth_ax.set_ylim(0, grown * 1.2)
    growth_ax.set_ylabel(f"Index, a year = {index.shown.iloc[0]}")
    growth_ax.set_title(f"Funds in place:\n+{formatting.shown('zone-funds-growth')} a year", fontsize=10)
    return Chart(
        name="fig-investment",
        title=f"{claims.shown.iloc[0].capitalize()} since 2020, signed for {claims.shown.iloc[1]}: "
              f"on average {per_project} each",
        subtitle=f"Investment in {ZONE} since 2020, as the article states it. The signed amount is a lower bound "
                 "(\"over\") and a commitment, not money spent. For the growth of funds in place the article "
                 "gives no base year and no levels, so the index only shows what the rate means from one year "
                 "to the next.",
        source=source_line(frame),
        alt=alt_text("Three panels: dots for projects, a bar for the signed amount, two index bars for the "
                     "growth of funds", frame),
        data=frame, figure=fig,
    )


TIMELINE = {
    "zone-founding-year": "Zone founded",
    "ctx-064": "Upgraded to\nnational level*",
    "zone-tax-2020": "Tax revenue {shown};\nstart of the \"since 2020\" counts",
    "rubai-arrival-year": "Rubai Metal arrives\nfrom Hunan",
    "zone-national-rank": "Ranked {shown}\nof {count}",
    "zone-tax-2024": "Tax revenue {shown}",
}


def timeline() -> Chart:
    """The zone's dates in the article, on one time axis, with the year it became national-level."""
    frame = rows(list(TIMELINE), year=[_year(i) for i in TIMELINE])
    # The rank's label also names the size of the field, so that claim is a source of the row too.
    frame.loc[frame.claim_id == "zone-national-rank", "claim_id"] = "zone-national-rank etdz-national-count"
    frame["event"] = [TIMELINE[i].format(shown=s, count=formatting.shown("etdz-national-count"))
                      for i, s in zip(TIMELINE, frame.shown)]
    fig, ax = style.figure(figsize=(7.2, 3.6))
    ax.axhline(0, color="#555555", linewidth=0.8)
    # Early events to the right of their stem, below the axis; the crowded recent ones to the left,
    # each later one higher, so no stem crosses a label.
    recent = frame.year >= _year("zone-tax-2020")
    heights = {i: 0.8 + 0.75 * rank for rank, i in enumerate(frame.index[recent])}
    for row in frame.itertuples():
        color = style.MUTED if pd.notna(row.context_id) else style.ACCENT
        height = heights.get(row.Index, -0.9)
        ax.vlines(row.year, 0, height, color=color, linewidth=1)
        ax.plot(row.year, 0, "o", color=color, markersize=7, zorder=3)
        ax.text(row.year + (-0.3 if height > 0 else 0.4), height, f"{row.year}  {row.event}",
                ha="right" if height > 0 else "left", multialignment="left", va="center", fontsize=9,
                color="#222222", linespacing=1.2)
    ax.set_xlim(frame.year.min() - 2, frame.year.max() + 2)
    ax.set_ylim(-1.8, max(heights.values()) + 0.6)
    ax.axis("off")
    first, ranked = frame.year.min(), _year("zone-national-rank")
    upgrade = source("ctx-064")
    return Chart(
        name="fig-zone-timeline",
        title=f"From founding in {first} to a national ranking in {ranked}",
        subtitle=f"The dates the article gives for {ZONE}, on a time axis, and the year it became "
                 "national-level, which comes from outside the article (grey).",
        source=source_line(frame, f"ctx-064: {upgrade.publisher.split(' (')[0]}, {upgrade.source_date}"),
        alt=alt_text("Timeline of the development zone", frame.assign(event=frame.event.str.replace("\n", " ")),
                     "year", "event"),
        data=frame, figure=fig,
    )
