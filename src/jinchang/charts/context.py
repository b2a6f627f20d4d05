"""Charts of the Context chapter: the article's numbers beside what other sources reported."""

from __future__ import annotations

import re

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .. import formatting, style
from ..data import record, source
from ..figure import Chart
from ..style import MIN_TEXT, Layout
from . import draw
from .plotted import alt_text, period, rows, source_line, year
from ..labels import labels

ENERGY = {"jinchang": ["ctx-045", "ctx-047", "ctx-049", "new-energy-share"],
          "gansu": ["ctx-050", "ctx-051", "ctx-052", "ctx-053", "ctx-054"]}
LOCALISATION = ["ctx-055", "ctx-056", "ctx-057", "ctx-017", "battery-material-localisation"]  # in order of date
LOCALISATION_FLOOR = 50  # % at the bottom of the localisation chart's y-axis
ROUNDS = ["ctx-070", "ctx-069", "ctx-068", "ctx-067", "etdz-national-count"]


def _when(row_id: str, lang: str) -> tuple[pd.Timestamp, pd.Timestamp, pd.Timestamp, str]:
    """Date a row describes, with the earliest and latest it could be, and that date in words, as the
    source gives it: a year, a month or a day, its end, approximate, or known by the day it was published.

    Context rows end on their ``period_end`` (a year, month or day: the last day of it), or on the day
    the page that printed them was published, if earlier. The article's present-tense numbers are dated
    by the inferred writing window.
    """
    words = labels("common", lang)
    if row_id[:4] != "ctx-":
        window = record()["date"]
        low, high = pd.Timestamp(window["earliest"]), pd.Timestamp(window["latest_likely"])
        # known only within a window: drawn mid-window, never given that date
        return low + (high - low) / 2, low, high, words("undated", earliest=formatting.day(low.date(), lang),
                                                         latest=formatting.day(high.date(), lang))
    row = source(row_id)
    precision = {4: "Y", 7: "M", 10: "D"}[len(row.period_end)]
    stamp = pd.Period(row.period_end, precision).end_time.normalize()
    published = re.match(r"\d{4}-\d{2}-\d{2}", row.source_date)
    if published and pd.Timestamp(published.group()) < stamp:  # no figure describes a day after the page printing it
        stamp = pd.Timestamp(published.group())
        return stamp, stamp, stamp, words("by_day", when=formatting.day(stamp.date(), lang))
    said = {"Y": lambda day, lang: formatting.period(str(day.year), lang), "M": formatting.month,
            "D": formatting.day}[precision](stamp.date(), lang)
    if precision != "D" and re.search(r"\bend\b", row.period):  # '2023 (end Oct)', '2018 (end)': a stock's date
        said = words("end_of", when=said)
    if row.period_end_approx:
        said = words("approximate", when=said)
    return stamp, stamp, stamp, said


def _dated(ids: list[str], row_labels: dict[str, str], series: str, lang: str) -> pd.DataFrame:
    frame = rows(ids, row_labels, lang)
    dates = [_when(i, lang) for i in ids]
    frame.insert(1, "series", series)
    frame.insert(2, "date", [d[0].date().isoformat() for d in dates])
    frame.insert(3, "date_earliest", [d[1].date().isoformat() for d in dates])
    frame.insert(4, "date_latest", [d[2].date().isoformat() for d in dates])
    frame["when"] = [d[3] for d in dates]
    return frame


def _plot_series(ax: Axes, frame: pd.DataFrame, color: str, joined: bool = True, label: str | None = None) -> None:
    """A dated series: a line through the points when they measure the same thing (``joined``);
    hollow markers for low reliability, a line between two ticks for a date known only as a window."""
    dates = pd.to_datetime(frame.date)
    if joined:
        ax.plot(dates, frame.value, color=color, linewidth=1.5, zorder=2, label=label)
    for date, low, high, value, grade in zip(dates, pd.to_datetime(frame.date_earliest),
                                             pd.to_datetime(frame.date_latest), frame.value, frame.reliability):
        if high > low:  # above the dot, and taller: a window of a few months is no wider than the dot on a phone
            ax.plot([low, high], [value, value], color=color, linewidth=1.5, marker="|", markersize=14,
                    markeredgewidth=1.5, zorder=4)
        ax.plot(date, value, "o", markersize=7, color=color,
                markerfacecolor="white" if grade == "low" else color, markeredgewidth=1.5, zorder=3)


def growth_h1(lang: str = "en") -> Chart:
    """First-half industrial growth: Jinchang as the article reports it, Gansu as the province reported it."""
    t = labels("growth_h1", lang)
    frame = rows(["industrial-growth-h1", "ctx-071"], t["rows"], lang)

    def draw_chart(layout: Layout) -> Figure:
        fig, ax = layout.figure(layout.pick(1.5, 2.0))
        height = layout.pick(0.55, 0.45)
        ax.barh(frame.index, frame.value, color=[style.ACCENT, style.MUTED], height=height)
        for i, row in frame.iterrows():
            ax.annotate(row.shown, (row.value, i), xytext=(5, 0), textcoords="offset points", va="center",
                        fontsize=10)
        draw.horizontal(ax)
        draw.categories(ax, frame.label, layout, height)
        ax.set_xlim(0, frame.value.max() * 1.2)
        ax.xaxis.set_major_formatter(lambda v, _: f"{v:.0f}%")
        return fig

    ratio = frame.value.iloc[0] / frame.value.iloc[1]
    return Chart(
        name="fig-growth-h1", lang=lang,
        title=t("title", ratio=formatting.number(ratio, 1, lang),
                period=period("industrial-growth-h1", lang, t["title_inferred"])),
        subtitle=t("subtitle", period=period("industrial-growth-h1", lang, t["subtitle_inferred"])),
        source=source_line(frame, lang=lang),
        alt=alt_text(t["alt"], frame, lang=lang),
        data=frame, draw=draw_chart,
    )


def new_energy_share(lang: str = "en") -> Chart:
    """New energy's share of installed power capacity over time, Jinchang and Gansu."""
    t = labels("new_energy_share", lang)
    frame = pd.concat([_dated(ids, t["rows"], t["series"][key], lang) for key, ids in ENERGY.items()],
                      ignore_index=True)
    colors = [style.ACCENT, style.PALETTE["blue"]]

    claimed = frame.claim_id.fillna("") != ""  # the article's figure: the claim the fact-check tests
    frame.loc[claimed, "series"] = t["series"]["article"]  # not one of the city's reports, in the table and alt text
    reported = frame[~claimed]
    article = frame[claimed].iloc[0]
    latest = reported[reported.series == t["series"]["jinchang"]].sort_values("date").iloc[-1]  # the city's last report

    def draw_chart(layout: Layout) -> Figure:
        fig, ax = layout.figure(layout.pick(2.8, 3.0))
        for (series, part), color in zip(reported.groupby("series", sort=False), colors):
            last = part.iloc[-1]
            _plot_series(ax, part, color, label=t("legend", series=series, shown=last.shown))
            if not layout.narrow:  # no room beside the lines there: a legend instead
                above = last.value == reported.groupby("series").value.last().max()  # keep the end labels apart
                ax.annotate(t("end", series=series, shown=last.shown), (pd.Timestamp(last.date), last.value),
                            xytext=(0, 12) if above else (8, -10), textcoords="offset points",
                            ha="center" if above else "left", va="bottom" if above else "top", fontsize=MIN_TEXT,
                            color=color)
        # Not joined to the reports: it is what the fact-check tests against them, not one of them.
        _plot_series(ax, frame[claimed], style.ACCENT, joined=False)
        ax.plot([], [], "o", color=style.ACCENT, label=t("article", shown=article.shown))  # its legend entry
        if layout.narrow:
            ax.legend(loc="lower right", labelcolor="linecolor")
        else:
            ax.annotate(t("article", shown=article.shown), (pd.Timestamp(article.date), article.value),
                        xytext=(8, 10), textcoords="offset points", va="bottom", fontsize=MIN_TEXT, color=style.ACCENT)
        draw.percent_axis(ax, "y")
        draw.year_axis(ax, "2014-01-01", layout.pick("2027-12-31", "2026-06-30"), every=layout.pick(2, 4))
        return fig

    return Chart(
        name="fig-new-energy-share", lang=lang,
        title=t("title", latest=latest.shown, year=pd.Timestamp(latest.date).year, shown=article.shown),
        subtitle=t["subtitle"],
        source=source_line(frame, t["note"], lang),
        alt=alt_text(t["alt"], frame, "series", when="when", lang=lang),
        description=labels("common", lang)["alt_separator"].join(
            [t("rise", series=series, first=part.shown.iloc[0], first_date=part.when.iloc[0],
               last=part.shown.iloc[-1], last_date=part.when.iloc[-1])
             for series, part in reported.groupby("series", sort=False)]
            + [t("article_when", shown=article.shown, when=article.when)]),
        data=frame, draw=draw_chart, table=("series", "when", "shown", "label"),
    )


def localisation(lang: str = "en") -> Chart:
    """Local supply of battery materials over time, with the earlier 80% target marked."""
    t = labels("localisation", lang)
    frame = _dated(LOCALISATION, t["rows"], t["series"], lang)
    frame.insert(5, "is_target", [bool(source(i).get("target", False)) for i in LOCALISATION])
    when = pd.to_datetime(frame.date)
    # a point with a lower neighbour less than two months away takes its label above, not below
    above = [((abs(when - d) < pd.Timedelta(days=60)) & (frame.value < v) & ~frame.is_target).any()
             for d, v in zip(when, frame.value)]

    def draw_chart(layout: Layout) -> Figure:
        fig, ax = layout.figure(layout.pick(2.8, 3.2))
        _plot_series(ax, frame[~frame.is_target], style.ACCENT, joined=False)  # the reports define it differently
        for i, row in frame.iterrows():
            date = pd.Timestamp(row.date)
            if row.is_target:
                ax.plot(date, row.value, marker="D", markersize=9, color="white",
                        markeredgecolor=style.PALETTE["blue"], markeredgewidth=2, zorder=4)
                text, offset = t("target", shown=row.shown, month=formatting.month(date, lang)), (0, 14)
            else:  # above or below the dot; beside it in the narrow layout, where dots are closer
                text, offset = row.shown, layout.pick((0, 10) if above[i] else (0, -16), (7, 2 if above[i] else -2))
            ax.annotate(text, (date, row.value), xytext=offset, textcoords="offset points",
                        ha="left" if offset[0] else "center", va="bottom" if offset[1] > 0 else "top",
                        fontsize=MIN_TEXT, color=style.PALETTE["blue"] if row.is_target else "#222222")
        ax.set_ylim(LOCALISATION_FLOOR, 100)
        ax.yaxis.set_major_formatter(lambda v, _: f"{v:.0f}%")
        draw.year_axis(ax, "2022-01-01", "2026-06-30")
        return fig

    article = frame.set_index("claim_id").loc["battery-material-localisation"]
    target_year = year(frame.context_id[frame.is_target].iloc[0])
    return Chart(
        name="fig-localisation", lang=lang,
        title=t("title", shown=article.shown, year=target_year),
        subtitle=t("subtitle", floor=f"{formatting.number(LOCALISATION_FLOOR, lang=lang)}%", year=target_year),
        source=source_line(frame, lang=lang),
        alt=alt_text(t["alt"], frame.assign(
            label=[d + (t["target_mark"] if target else "") for d, target in zip(frame.when, frame.is_target)]),
            lang=lang),
        data=frame, draw=draw_chart, table=("when", "shown", "label"),
    )


def zone_rounds(lang: str = "en") -> Chart:
    """How many national development zones each assessment round covered, by the year of performance rated."""
    t = labels("zone_rounds", lang)
    rated = {i: source(i).period_end for i in ROUNDS if i[:4] == "ctx-"}
    names = {i: t("rated", year=year) for i, year in rated.items()}
    names["etdz-national-count"] = t("article", year=source("etdz-national-count").period)
    frame = rows(ROUNDS, names, lang)
    frame.insert(1, "rated", [rated.get(i, "") for i in ROUNDS])
    # the round the title says the article's count matches, named by the year of its assessment
    matches = [i for i in rated if source(i).value == source("etdz-national-count").value]
    if len(matches) != 1:
        raise ValueError(f"fig-zone-rounds: its title says one assessment round matches the article's count; "
                         f"{len(matches)} do ({', '.join(matches)})")
    matched = matches[0]

    def draw_chart(layout: Layout) -> Figure:
        fig, ax = layout.figure(layout.pick(2.4, 3.4))
        height = layout.pick(0.6, 0.45)
        colors = [style.ACCENT if c else style.MUTED for c in frame.claim_id.notna()]
        ax.barh(frame.index, frame.value, color=colors, height=height,
                hatch=["///" if g == "low" else "" for g in frame.reliability], edgecolor="white")
        for i, row in frame.iterrows():
            ax.annotate(row.shown, (row.value, i), xytext=(5, 0), textcoords="offset points", va="center",
                        fontsize=MIN_TEXT)
        draw.horizontal(ax)
        draw.categories(ax, frame.label, layout, height)
        ax.set_xlim(0, frame.value.max() * 1.15)
        return fig

    return Chart(
        name="fig-zone-rounds", lang=lang,
        title=t("title", count=formatting.shown("etdz-national-count", lang), year=year(matched)),
        subtitle=t("subtitle", reported=formatting.month(pd.Timestamp(source(matched).source_date), lang),
                   rated=rated[matched]),
        source=source_line(frame, t["note"], lang),
        alt=alt_text(t["alt"], frame, lang=lang),
        data=frame, draw=draw_chart,
    )
