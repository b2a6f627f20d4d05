"""Charts of the Clusters chapter (集群崛起): the '2+4' plan, the cluster, capacities, foils, a cell maker."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from .. import computed, formatting, geo, style
from ..data import source, tables
from ..figure import Chart
from ..style import MIN_TEXT, Layout, unbreak
from . import draw, maps
from .plotted import alt_text, period, rows, source_line, with_remainder
from ..labels import Labels, labels

CAPACITIES = ["copper-electrolysis-capacity", "copper-smelting-capacity", "nickel-sulphate-project",
              "manganese-sulphate-project", "conductive-paste-project", "graphene-powder-project"]
FOILS = ["copper-foil-trial-thickness", "copper-foil-thickness", "nickel-foil-thickness"]


def two_plus_four(lang: str = "en") -> Chart:
    """The planned clusters and the order of magnitude each is meant to reach."""
    t = labels("two_plus_four", lang)
    records = []
    for tier, count_id, scale_id in (("major", "system-major-count", "system-major-scale"),
                                     ("minor", "system-minor-count", "system-minor-scale")):
        count, scale = source(count_id), source(scale_id)
        names = count.quote.split(count.numeral + "个")[0].split("、")
        if len(names) != count.value:
            raise ValueError(f"{count_id}: the quote names {len(names)} clusters, the claim says {count.value:g}")
        low = tables().base_value(scale.value, scale.unit)
        for name in names:
            records.append({"label": t["clusters"][name], "tier": tier, "class_low_cny": low,
                            "class_high_cny": low * 10, "shown": formatting.shown(scale_id, lang),
                            "claim_id": f"{count_id} {scale_id}", "context_id": None, "quote": count.quote})
    frame = pd.DataFrame.from_records(records)

    def draw_chart(layout: Layout) -> Figure:
        fig, ax = layout.figure(layout.pick(2.6, 3.4))
        height = layout.pick(0.6, 0.45)
        for i, row in frame.iterrows():
            color = style.ACCENT if row.tier == "major" else style.PALETTE["blue"]
            ax.barh(i, row.class_high_cny - row.class_low_cny, left=row.class_low_cny, color=color, height=height)
        draw.horizontal(ax)
        draw.categories(ax, frame.label, layout, height)
        draw.log_axis(ax, lambda v: formatting.money(v, lang).replace("CNY ", "CNY\n"))
        ax.set_xlim(frame.class_low_cny.min() / 3, frame.class_high_cny.max() * 1.5)
        return fig

    number = lambda row_id: formatting.number(source(row_id).value, lang=lang)  # noqa: E731
    return Chart(
        name="fig-two-plus-four", lang=lang,
        title=t("title", major=number("system-major-count"), minor=number("system-minor-count"),
                major_scale=formatting.shown("system-major-scale", lang),
                minor_scale=formatting.shown("system-minor-scale", lang)),
        subtitle=t["subtitle"],
        source=source_line(frame, lang=lang),
        alt=alt_text(t["alt"], frame, lang=lang),
        data=frame, draw=draw_chart,
    )


# The cluster's cities (the article's 金白兰武), Jinchang first, by their short names in the boundary
# data; the provincial capital; the province they are in.
CLUSTER = ("金昌", "白银", "兰州", "武威")
CAPITAL = "兰州"
PROVINCE = "甘肃"


def cluster_map(lang: str = "en") -> Chart:
    """Where Jinchang is: Gansu and its neighbours, the four cities of the cluster, Jinchang's share of its output."""
    t = labels("cluster_map", lang)
    share = with_remainder("cluster-jinchang-share", t["jinchang"], t["rest"], lang)
    places = _place_rows(t, lang)
    frame = pd.concat([places, share], ignore_index=True)

    def draw_chart(layout: Layout) -> Figure:
        fig, (ax, bar) = layout.figure(layout.pick(5.2, 4.8), nrows=2, height_ratios=layout.pick((8, 1.5), (6, 1.6)))
        style.lay_out(fig)  # the map's frame, names and inset are placed for the axes' final shape
        aspect, width_pt = maps.size(ax)
        inset = layout.pick(0.25, 0.34)  # of the map's width
        region = geo.region(PROVINCE, aspect, width_pt, width_pt * inset)
        colours = dict(zip(CLUSTER, [style.ACCENT] + [style.PALETTE["sky"]] * (len(CLUSTER) - 1)))
        maps.province_map(ax, region, fills=colours, names=t["places"].get, callouts=list(CLUSTER),
                          star=(CAPITAL, t["capital"]), scale=t["scale"], inset=inset, font=MIN_TEXT)
        draw.share_bar(bar, 0, share.assign(label=[f"{l}\n{s}" for l, s in zip(share.label, share.shown)]),
                       [style.ACCENT, style.PALETTE["sky"]], layout, height=0.7)
        draw.percent_axis(bar)
        bar.set_yticks([])
        bar.grid(False)
        bar.set_title(t["bar"], fontsize=MIN_TEXT + 1)
        return fig

    return Chart(
        name="fig-cluster-map", lang=lang,
        title=t["title"],
        subtitle=t("subtitle", share=formatting.shown("cluster-jinchang-share", lang),
                   period=period("cluster-jinchang-share", lang)),
        source=source_line(frame, lang=lang),
        alt=alt_text(t["alt"], share, lang=lang),
        description=alt_text(t["description"], places, lang=lang),
        data=frame, draw=draw_chart, table=("label", "role", "shown"),
    )


def _place_rows(t: Labels, lang: str) -> pd.DataFrame:
    """The places the map names, as plotted rows: the province, its neighbours, the cluster's cities,
    each with its computed position and the boundary dataset as its source."""
    where, dataset = geo.places(PROVINCE), source(geo.DATASET)
    provinces = where.provinces[where.provinces.role != "other"].sort_values("role", key=lambda r: r != "focus")
    cities = where.cities.set_index("short_name").loc[list(CLUSTER)].reset_index()
    cities = cities.assign(role=["capital" if n == CAPITAL else "cluster" for n in CLUSTER],
                           province_name=cities.city_name, province_adcode=cities.city_adcode)
    records = [{
        "label": unbreak(t["places"][row.short_name]), "role": t["roles"][row.role],
        "lat": round(row.lat, 2), "lon": round(row.lon, 2), "value": None, "unit": "", "base_value": None,
        "base_unit": "", "shown": t("position", lat=formatting.number(row.lat, 2, lang=lang),
                                    lon=formatting.number(row.lon, 2, lang=lang)),
        "period": "", "reliability": dataset.reliability, "claim_id": None, "context_id": geo.DATASET,
        "quote": f"{row.province_name} ({row.province_adcode})",
    } for row in pd.concat([provinces, cities]).itertuples()]
    return pd.DataFrame.from_records(records)


def cluster_share(lang: str = "en") -> Chart:
    """Jinchang's share of the Jin-Bai-Lan-Wu cluster's output."""
    t = labels("cluster_share", lang)
    frame = with_remainder("cluster-jinchang-share", t["jinchang"], t["rest"], lang)
    return Chart(
        name="fig-cluster-share", lang=lang,
        title=t("title", share=formatting.shown("cluster-jinchang-share", lang)),
        subtitle=t("subtitle", growth=formatting.shown("cluster-output-growth", lang),
                   period=period("cluster-jinchang-share", lang)),
        source=source_line(frame, t["remainder_note"], lang),
        alt=alt_text(t["alt"], frame, lang=lang),
        data=frame, draw=draw.whole_bar_chart(frame, 1.2, 1.7),
    )


def capacities(lang: str = "en") -> Chart:
    """Tonnages named in the article, which span three orders of magnitude: a log scale."""
    t = labels("capacities", lang)
    frame = rows(CAPACITIES, t["rows"], lang).sort_values("base_value", ascending=False, ignore_index=True)

    def draw_chart(layout: Layout) -> Figure:
        fig, ax = layout.figure(layout.pick(2.8, 3.7))
        ax.hlines(frame.index, frame.base_value.min() / 3, frame.base_value, color=draw.LIGHT, linewidth=1)
        ax.plot(frame.base_value, frame.index, "o", color=style.ACCENT, markersize=8)
        for i, row in frame.iterrows():
            ax.annotate(row.shown, (row.base_value, i), xytext=(8, 0), textcoords="offset points", va="center",
                        fontsize=MIN_TEXT)
        draw.horizontal(ax)  # rows are sorted large to small, so the largest is on top
        draw.categories(ax, frame.label, layout)
        draw.log_axis(ax, lambda v: formatting.amount(v, "t", lang), every=layout.pick(10, 100))
        ax.set_xlim(frame.base_value.min() / 3, frame.base_value.max() * 8)
        return fig

    return Chart(
        name="fig-capacities", lang=lang,
        title=t("title", smallest=frame.shown.iloc[-1], largest=frame.shown.iloc[0]),
        subtitle=t("subtitle", spread=computed.ratio(frame.claim_id.iloc[0], frame.claim_id.iloc[-1], lang=lang)),
        source=source_line(frame, t["note"], lang),
        alt=alt_text(t["alt"], frame, lang=lang),
        data=frame, draw=draw_chart,
    )


def foils(lang: str = "en") -> Chart:
    """Foil thicknesses on one scale in micrometres, beside the width of a human hair."""
    t = labels("foils", lang)
    frame = rows(FOILS, t["rows"], lang)
    hair = rows(["ref-001", "ref-002"], {"ref-001": t["hair"], "ref-002": t["hair"]}, lang)
    both = pd.concat([frame, hair], ignore_index=True)

    def draw_chart(layout: Layout) -> Figure:
        fig, ax = layout.figure(layout.pick(2.2, 3.0))
        low, high = hair.base_value
        ax.axvspan(low, high, color=draw.LIGHT, zorder=0)
        ax.barh(frame.index, frame.base_value, color=style.ACCENT, height=0.55)
        for i, row in frame.iterrows():
            text = row.shown if row.unit == "μm" else t(
                "in_micrometres", shown=row.shown, micrometres=formatting.with_unit(
                    formatting.number(row.base_value, lang=lang), "μm", lang))
            ax.annotate(text, (row.base_value, i), xytext=(5, 0), textcoords="offset points", va="center",
                        fontsize=MIN_TEXT)
        draw.horizontal(ax)
        draw.categories(ax, frame.label, layout, height=0.55)
        note = t("hair_note", low=hair.shown.iloc[0], high=hair.shown.iloc[1])
        if layout.narrow:
            draw.notes_below(ax, layout, t["axis"], t("band", note=note))
        else:
            ax.text((low + high) / 2, 0.5, note, ha="center", va="center", fontsize=MIN_TEXT, color=draw.LABEL,
                    multialignment="center")
            ax.set_xlabel(t["axis"])
        ax.set_xlim(0, high * 1.05)
        ax.set_ylim(len(frame) - 0.4, layout.pick(-0.6, -0.85))
        return fig

    return Chart(
        name="fig-foils", lang=lang,
        title=t("title", thickness=computed.ratio("nickel-foil-thickness", "copper-foil-trial-thickness", lang=lang)),
        subtitle=t["subtitle"],
        source=source_line(both, t["note"], lang),
        alt=alt_text(t["alt"], both, lang=lang),
        data=both, draw=draw_chart,
    )


def jinhongxiang(lang: str = "en") -> Chart:
    """A cell maker in the zone: what it exports, how many models it has and plans."""
    t = labels("jinhongxiang", lang)
    shares = with_remainder("jinhongxiang-export-share", t["exported"], t["not_exported"], lang)
    models = rows(["jinhongxiang-products", "jinhongxiang-new-products"], t["rows"], lang)
    frame = pd.concat([shares, models], ignore_index=True)
    now, planned = models.value

    def draw_chart(layout: Layout) -> Figure:
        fig, (left, right) = layout.figure(layout.pick(1.9, 3.3), *layout.pick((1, 2), (2, 1)),
                                           **layout.pick({"width_ratios": [1.6, 1]}, {"height_ratios": [1.2, 1]}))
        draw.whole_bar(left, shares, layout, span=layout.pick(0.6, 1.0))
        left.set_title(t["exported_panel"], fontsize=10)
        right.barh(0, now, color=style.ACCENT, height=0.7)
        right.barh(0, planned, left=now, color="white", edgecolor=style.ACCENT, hatch="///", height=0.7)
        right.text(now / 2, 0, t("now", n=formatting.number(now, lang=lang)), ha="center", va="center",
                   color="white", fontweight="bold", fontsize=MIN_TEXT)
        right.text(now + planned / 2, 0, t("planned", n=formatting.number(planned, lang=lang)), ha="center",
                   va="center", fontsize=MIN_TEXT, multialignment="center",
                   bbox={"facecolor": "white", "edgecolor": "none", "pad": 1})
        right.set_xlim(0, now + planned)
        right.set_xticks(range(0, int(now + planned) + 1, 2))
        right.set_yticks([])
        right.grid(False)
        right.set_title(t["models_panel"], fontsize=10)
        return fig

    return Chart(
        name="fig-jinhongxiang", lang=lang,
        title=t("title", share=formatting.shown("jinhongxiang-export-share", lang),
                planned=formatting.number(planned, lang=lang)),
        subtitle=t("subtitle", cells=formatting.shown("jinhongxiang-cells-per-day", lang)),
        source=source_line(pd.concat([frame, rows(["jinhongxiang-cells-per-day"], {"jinhongxiang-cells-per-day": ""})]),
                           lang=lang),
        alt=alt_text(t["alt"], frame, lang=lang),
        data=frame, draw=draw_chart,
    )


def shares(lang: str = "en") -> Chart:
    """Two shares the article reports: new energy in installed power, local battery materials."""
    t = labels("shares", lang)
    frame = rows(["new-energy-share", "battery-material-localisation"], t["rows"], lang)

    def draw_chart(layout: Layout) -> Figure:
        fig, ax = layout.figure(layout.pick(1.5, 2.2))
        for i, row in frame.iterrows():
            part = pd.DataFrame({"value": [row.value, 100 - row.value], "label": [row.shown, ""]})
            draw.share_bar(ax, i, part, [style.ACCENT, draw.LIGHT], layout, height=0.55)
        draw.percent_axis(ax)
        draw.horizontal(ax)
        draw.categories(ax, frame.label, layout, height=0.55)
        return fig

    return Chart(
        name="fig-shares", lang=lang,
        title=t("title", energy=formatting.shown("new-energy-share", lang),
                local=formatting.shown("battery-material-localisation", lang)),
        subtitle=t("subtitle", period=period("new-energy-share", lang)),
        source=source_line(frame, lang=lang),
        alt=alt_text(t["alt"], frame, lang=lang),
        data=frame, draw=draw_chart,
    )
