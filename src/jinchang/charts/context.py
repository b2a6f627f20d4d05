"""Charts of the Context chapter: the article's numbers beside what other sources reported."""

from __future__ import annotations

import re

import pandas as pd

from .. import formatting, style
from ..data import record, source
from ..figure import Chart
from . import draw
from .plotted import alt_text, rows, source_line

def _when(row_id: str) -> tuple[pd.Timestamp, pd.Timestamp, pd.Timestamp]:
    """Date a row describes, with the earliest and latest it could be.

    Context rows end on their ``period_end`` (a year, month or day: the last day of it).
    The article's present-tense numbers are dated by the inferred writing window.
    """
    if row_id[:4] != "ctx-":
        window = record()["date"]
        low, high = pd.Timestamp(window["earliest"]), pd.Timestamp(window["latest_likely"])
        return low + (high - low) / 2, low, high
    row = source(row_id)
    stamp = pd.Period(row.period_end, {4: "Y", 7: "M", 10: "D"}[len(row.period_end)]).end_time.normalize()
    published = re.match(r"\d{4}-\d{2}-\d{2}", row.source_date)
    if published:  # a figure cannot describe a day after the page that printed it
        stamp = min(stamp, pd.Timestamp(published.group()))
    return stamp, stamp, stamp


def _dated(ids: list[str], labels: dict[str, str], series: str) -> pd.DataFrame:
    frame = rows(ids, labels)
    dates = [_when(i) for i in ids]
    frame.insert(1, "series", series)
    frame.insert(2, "date", [d[0].date().isoformat() for d in dates])
    frame.insert(3, "date_earliest", [d[1].date().isoformat() for d in dates])
    frame.insert(4, "date_latest", [d[2].date().isoformat() for d in dates])
    return frame


def _plot_series(ax, frame: pd.DataFrame, color: str, joined: bool = True) -> None:
    """A dated series: a line through the points when they measure the same thing (``joined``);
    hollow markers for low reliability, a horizontal bar for a date known only as a window."""
    dates = pd.to_datetime(frame.date)
    if joined:
        ax.plot(dates, frame.value, color=color, linewidth=1.5, zorder=2)
    for date, low, high, value, grade in zip(dates, pd.to_datetime(frame.date_earliest),
                                             pd.to_datetime(frame.date_latest), frame.value, frame.reliability):
        if high > low:
            ax.plot([low, high], [value, value], color=color, linewidth=4, alpha=0.45, solid_capstyle="butt")
        ax.plot(date, value, "o", markersize=7, color=color,
                markerfacecolor="white" if grade == "low" else color, markeredgewidth=1.5, zorder=3)


def growth_h1() -> Chart:
    """First-half industrial growth: Jinchang as the article reports it, Gansu as the province reported it."""
    labels = {"industrial-growth-h1": "Jinchang 金昌 (the article)", "ctx-071": "Gansu 甘肃"}
    frame = rows(list(labels), labels)
    fig, ax = style.figure(figsize=(7.2, 3.0))
    ax.barh(frame.index, frame.value, color=[style.ACCENT, style.MUTED], height=0.55)
    for i, row in frame.iterrows():
        ax.annotate(row.shown, (row.value, i), xytext=(5, 0), textcoords="offset points", va="center", fontsize=10)
    ax.set_yticks(frame.index, frame.label)
    ax.set_xlim(0, frame.value.max() * 1.2)
    ax.xaxis.set_major_formatter(lambda v, _: f"{v:.0f}%")
    draw.horizontal(ax)
    ratio = frame.value.iloc[0] / frame.value.iloc[1]
    return Chart(
        name="fig-growth-h1",
        title=f"In the first half of 2025 Jinchang's industry grew {formatting.number(ratio, 1)} times "
              "as fast as Gansu's",
        subtitle="Growth of industrial value added above designated size, year on year, first half of 2025 "
                 "(the article gives no year: inferred).",
        source=source_line(frame),
        alt=alt_text("Two horizontal bars of year-on-year growth", frame),
        data=frame, figure=fig,
    )


ENERGY = {
    "Jinchang 金昌": {"ctx-045": "", "ctx-047": "", "ctx-049": "", "new-energy-share": "the article"},
    "Gansu 甘肃": {"ctx-050": "", "ctx-051": "", "ctx-052": "", "ctx-053": "", "ctx-054": ""},
}


def new_energy_share() -> Chart:
    """New energy's share of installed power capacity over time, Jinchang and Gansu."""
    frame = pd.concat([_dated(list(ids), {}, series) for series, ids in ENERGY.items()], ignore_index=True)
    fig, ax = style.figure()
    for (series, part), color in zip(frame.groupby("series", sort=False), [style.ACCENT, style.PALETTE["blue"]]):
        _plot_series(ax, part, color)
        last = part.iloc[-1]
        above = last.value == frame.groupby("series").value.last().max()  # keep the two end labels apart
        ax.annotate(f"{series}\n{last.shown}", (pd.Timestamp(last.date), last.value), xytext=(8, 10 if above else -10),
                    textcoords="offset points", va="bottom" if above else "top", fontsize=9, color=color)
    draw.percent_axis(ax, "y")
    ax.set_ylim(0, 100)
    draw.year_axis(ax, "2014-01-01", "2027-12-31", every=2)
    article = frame.set_index("claim_id").loc["new-energy-share"]
    return Chart(
        name="fig-new-energy-share",
        title=f"New energy's share of capacity kept rising: {article.shown} in the article",
        subtitle="New energy (mostly solar and wind) as a share of installed power capacity. The article's "
                 "figure is dated by when it was written (a window, shown as a bar); 'over' figures are lower bounds.",
        source=source_line(frame, "hollow markers: low reliability"),
        alt=alt_text("Line chart of the new-energy share over time, Jinchang and Gansu", frame.assign(
            label=[f"{s} {d}" for s, d in zip(frame.series, frame.date)])),
        data=frame, figure=fig,
    )


LOCALISATION = ["ctx-055", "ctx-056", "ctx-017", "ctx-057", "battery-material-localisation"]


def localisation() -> Chart:
    """Local supply of battery materials over time, with the earlier 80% target marked."""
    frame = _dated(LOCALISATION, {}, "Jinchang")
    frame.insert(5, "is_target", [bool(source(i).get("target", False)) for i in LOCALISATION])
    fig, ax = style.figure()
    achieved = frame[~frame.is_target]
    _plot_series(ax, achieved, style.ACCENT, joined=False)  # the reports define the rate differently
    when = pd.to_datetime(frame.date)
    # a point with a lower neighbour less than two months away takes its label above, not below
    above = [((abs(when - d) < pd.Timedelta(days=60)) & (frame.value < v) & ~frame.is_target).any()
             for d, v in zip(when, frame.value)]
    for _, row in frame.iterrows():
        date = pd.Timestamp(row.date)
        if row.is_target:
            ax.plot(date, row.value, marker="D", markersize=9, color="white", markeredgecolor=style.PALETTE["blue"],
                    markeredgewidth=2, zorder=4)
            text, offset = f"target: {row.shown}\n(set {date:%B %Y})", (0, 14)
        else:
            text, offset = row.shown, (0, 10) if above[_] else (0, -16)
        ax.annotate(text, (date, row.value), xytext=offset, textcoords="offset points", ha="center",
                    va="bottom" if offset[1] > 0 else "top", fontsize=8.5,
                    color=style.PALETTE["blue"] if row.is_target else "#222222")
    ax.set_ylim(50, 100)
    ax.yaxis.set_major_formatter(lambda v, _: f"{v:.0f}%")
    draw.year_axis(ax, "2022-01-01", "2026-06-30")
    article = frame.set_index("claim_id").loc["battery-material-localisation"]
    return Chart(
        name="fig-localisation",
        title=f"Battery-material localisation: the {article.shown} of the article was a target in 2023",
        subtitle="Share of battery materials supplied locally, as reported (most figures are lower bounds, "
                 "'over'; the reports define the rate differently, so the dots are not joined); the diamond is the "
                 "target announced in mid-2023. The y-axis starts at 50%.",
        source=source_line(frame),
        alt=alt_text("Dot chart of the local supply rate over time, with a target marked", frame.assign(
            label=[f"{d}{' (target)' if t else ''}" for d, t in zip(frame.date, frame.is_target)])),
        data=frame, figure=fig,
    )


ROUNDS = {"ctx-070": "2018", "ctx-069": "2020", "ctx-068": "2021", "ctx-067": "2023", "etdz-national-count": "2023"}


def zone_rounds() -> Chart:
    """How many national development zones each assessment round covered."""
    labels = {i: f"{year} round{' (the article)' if i[:4] != 'ctx-' else ''}" for i, year in ROUNDS.items()}
    frame = rows(list(ROUNDS), labels)
    frame.insert(1, "round", list(ROUNDS.values()))
    fig, ax = style.figure(figsize=(7.2, 3.6))
    colors = [style.ACCENT if c else style.MUTED for c in frame.claim_id.notna()]
    ax.barh(frame.index, frame.value, color=colors, height=0.6,
            hatch=["///" if g == "low" else "" for g in frame.reliability], edgecolor="white")
    for i, row in frame.iterrows():
        ax.annotate(row.shown, (row.value, i), xytext=(5, 0), textcoords="offset points", va="center", fontsize=9)
    ax.set_yticks(frame.index, frame.label)
    ax.set_xlim(0, frame.value.max() * 1.15)
    draw.horizontal(ax)
    return Chart(
        name="fig-zone-rounds",
        title=f"The article's count of {formatting.shown('etdz-national-count')} matches the 2023 assessment round",
        subtitle="National-level economic and technological development zones assessed in each round of the "
                 "Ministry of Commerce's assessment; a round published in one year rates the previous year.",
        source=source_line(frame, "hatched bar: low reliability"),
        alt=alt_text("Horizontal bars of zones assessed per round", frame),
        data=frame, figure=fig,
    )
