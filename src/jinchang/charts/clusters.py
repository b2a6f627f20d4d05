"""Charts of the Clusters chapter (集群崛起): the '2+4' plan, the cluster, capacities, foils, a cell maker."""

from __future__ import annotations

import pandas as pd

from .. import computed, formatting, style
from ..data import tables
from ..figure import Chart
from . import draw
from .plotted import alt_text, rows, source_line, with_remainder

CLUSTER_NAMES = {
    "有色金属新材料": "Nonferrous new materials",
    "新能源和新能源电池": "New energy and new-energy batteries",
    "数字经济": "Digital economy",
    "化工循环": "Circular chemicals",
    "资源综合利用": "Comprehensive use of resources",
    "高品质菜草畜": "Vegetables, forage and livestock",
}


def two_plus_four() -> Chart:
    """The planned clusters and the order of magnitude each is meant to reach."""
    claims = tables().claims
    records = []
    for tier, count_id, scale_id in (("major", "system-major-count", "system-major-scale"),
                                     ("minor", "system-minor-count", "system-minor-scale")):
        count, scale = claims.loc[count_id], claims.loc[scale_id]
        names = count.quote.split(count.numeral + "个")[0].split("、")
        if len(names) != count.value:
            raise ValueError(f"{count_id}: the quote names {len(names)} clusters, the claim says {count.value:g}")
        low = tables().base_value(scale.value, scale.unit)
        for name in names:
            records.append({"label": f"{CLUSTER_NAMES[name]} {name}", "tier": tier, "class_low_cny": low,
                            "class_high_cny": low * 10, "shown": formatting.shown(scale_id),
                            "claim_id": f"{count_id} {scale_id}", "context_id": None, "quote": count.quote})
    frame = pd.DataFrame.from_records(records)
    fig, ax = style.figure()
    for i, row in frame.iterrows():
        color = style.ACCENT if row.tier == "major" else style.PALETTE["blue"]
        ax.barh(i, row.class_high_cny - row.class_low_cny, left=row.class_low_cny, color=color, height=0.6)
    ax.set_yticks(range(len(frame)), frame.label)
    draw.log_axis(ax, lambda v: formatting.money(v).replace("CNY ", "CNY\n"))
    ax.set_xlim(frame.class_low_cny.min() / 3, frame.class_high_cny.max() * 1.5)
    draw.horizontal(ax)
    major, minor = claims.loc["system-major-count"], claims.loc["system-minor-count"]
    return Chart(
        name="fig-two-plus-four",
        title=f"The \"2+4\" plan: {major.value:g} clusters of the {formatting.shown('system-major-scale')}, "
              f"{minor.value:g} of the {formatting.shown('system-minor-scale')}",
        subtitle="Target scale of each planned cluster, shown as the order of magnitude the article gives (级), "
                 "on a logarithmic scale. The measure (output or value added) and the deadline are not stated.",
        source=source_line(frame),
        alt=alt_text("Horizontal range bars on a logarithmic scale of yuan, one per planned cluster", frame),
        data=frame, figure=fig,
    )


def cluster_share() -> Chart:
    """Jinchang's share of the Jin-Bai-Lan-Wu cluster's output."""
    frame = with_remainder("cluster-jinchang-share", "Jinchang 金昌", "Baiyin, Lanzhou, Wuwei\n白银 兰州 武威")
    fig, ax = style.figure(figsize=(7.2, 2.6))
    draw.whole_bar(ax, frame)
    return Chart(
        name="fig-cluster-share",
        title=f"Jinchang produced {formatting.shown('cluster-jinchang-share')} of the cluster's output",
        subtitle="Output of the leading industries of the Jin-Bai-Lan-Wu nonferrous metals cluster, first half "
                 f"of 2025 (year inferred). That output grew {formatting.shown('cluster-output-growth')} "
                 "year on year.",
        source=source_line(frame, "the part of Baiyin, Lanzhou and Wuwei is the remainder"),
        alt=alt_text("One bar split into two shares of the cluster's output", frame),
        data=frame, figure=fig,
    )


CAPACITY_LABELS = {
    "copper-electrolysis-capacity": "Copper electrolysis 铜电解",
    "copper-smelting-capacity": "Copper smelting 铜冶炼",
    "nickel-sulphate-project": "Nickel sulphate 硫酸镍",
    "manganese-sulphate-project": "Manganese sulphate 硫酸锰",
    "conductive-paste-project": "Conductive paste 导电浆料",
    "graphene-powder-project": "Graphene powder 石墨烯粉体*",
}


def capacities() -> Chart:
    """Tonnages named in the article, which span three orders of magnitude: a log scale."""
    frame = rows(list(CAPACITY_LABELS), CAPACITY_LABELS).sort_values("base_value", ascending=False, ignore_index=True)
    fig, ax = style.figure()
    ax.hlines(frame.index, frame.base_value.min() / 3, frame.base_value, color=draw.LIGHT, linewidth=1)
    ax.plot(frame.base_value, frame.index, "o", color=style.ACCENT, markersize=8)
    for i, row in frame.iterrows():
        ax.annotate(row.shown, (row.base_value, i), xytext=(8, 0), textcoords="offset points", va="center", fontsize=9)
    ax.set_yticks(frame.index, frame.label)
    draw.log_axis(ax, lambda v: f"{formatting.number(v)} t")
    ax.set_xlim(frame.base_value.min() / 3, frame.base_value.max() * 8)
    draw.horizontal(ax)  # rows are sorted large to small, so the largest is on top
    spread = computed.ratio(frame.claim_id.iloc[0], frame.claim_id.iloc[-1])
    return Chart(
        name="fig-capacities",
        title=f"From {frame.shown.iloc[-1]} to {frame.shown.iloc[0]}: the capacities the article names",
        subtitle=f"Tonnes, logarithmic scale: each gridline is ten times the one before; the largest is "
                 f"{spread} times the smallest. Read as annual capacities; "
                 "the article gives no time unit.",
        source=source_line(frame, "*printed 墨烯粉体, read as 石墨烯粉体 (graphene powder)"),
        alt=alt_text("Dot chart on a logarithmic scale of tonnes", frame),
        data=frame, figure=fig,
    )


FOIL_LABELS = {
    "copper-foil-trial-thickness": "Copper foil, trial batches 铜箔",
    "copper-foil-thickness": "Copper foil in production 锂电铜箔",
    "nickel-foil-thickness": "\"Hand-tearable\" nickel foil 手撕镍",
}


def foils() -> Chart:
    """Foil thicknesses on one scale in micrometres, beside the width of a human hair."""
    frame = rows(list(FOIL_LABELS), FOIL_LABELS)
    hair = rows(["ref-001", "ref-002"], {"ref-001": "Human hair, typical range", "ref-002": "Human hair, typical range"})
    fig, ax = style.figure(figsize=(7.2, 3.4))
    ax.axvspan(hair.base_value.iloc[0], hair.base_value.iloc[1], color=draw.LIGHT, zorder=0)
    ax.text(hair.base_value.mean(), 0.5,
            f"A human hair is typically\n{hair.shown.iloc[0]}–{hair.shown.iloc[1]} across*",
            ha="center", va="center", fontsize=8.5, color="#444444")
    ax.barh(frame.index, frame.base_value, color=style.ACCENT, height=0.55)
    for i, row in frame.iterrows():
        ax.annotate(f"{row.shown}" + ("" if row.unit == "μm" else f" = {formatting.number(row.base_value)} μm"),
                    (row.base_value, i), xytext=(5, 0), textcoords="offset points", va="center", fontsize=9)
    ax.set_yticks(frame.index, frame.label)
    ax.set_xlim(0, hair.base_value.iloc[1] * 1.05)
    ax.set_ylim(len(frame) + 0.2, -0.6)
    ax.set_xlabel("Thickness, micrometres (μm)")
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.tick_params(axis="y", length=0)
    thickness = computed.ratio("nickel-foil-thickness", "copper-foil-trial-thickness")
    both = pd.concat([frame, hair], ignore_index=True)
    return Chart(
        name="fig-foils",
        title=f"The nickel foil is {thickness} times as thick as the thinnest copper foil",
        subtitle="Thickness on one scale, in micrometres (a thousandth of a millimetre), "
                 "beside the width of a human hair.",
        source=source_line(both, "*hair: a general-reference web page"),
        alt=alt_text("Horizontal bars of thickness in micrometres, with a shaded band for a human hair", both),
        data=both, figure=fig,
    )


def jinhongxiang() -> Chart:
    """A cell maker in the zone: what it exports, how many models it has and plans."""
    claims = tables().claims
    shares = with_remainder("jinhongxiang-export-share", "Exported", "Not exported")
    models = rows(["jinhongxiang-products", "jinhongxiang-new-products"],
                  {"jinhongxiang-products": "Mature models now", "jinhongxiang-new-products": "Planned by year-end"})
    fig, (left, right) = style.figure(1, 2, figsize=(7.2, 3.0), width_ratios=[1.6, 1])
    draw.whole_bar(left, shares)
    left.set_title("Share of products exported")
    now, planned = models.value
    right.barh(0, now, color=style.ACCENT, height=0.7)
    right.barh(0, planned, left=now, color="white", edgecolor=style.ACCENT, hatch="///", height=0.7)
    right.text(now / 2, 0, f"{now:g} now", ha="center", va="center", color="white", fontweight="bold", fontsize=9)
    right.text(now + planned / 2, 0, f"+{planned:g}\nplanned", ha="center", va="center", fontsize=8.5,
               bbox={"facecolor": "white", "edgecolor": "none", "pad": 1})
    right.set_xlim(0, now + planned)
    right.set_xticks(range(0, int(now + planned) + 1, 2))
    right.set_yticks([])
    right.grid(False)
    right.set_title("Product models")
    frame = pd.concat([shares, models], ignore_index=True)
    return Chart(
        name="fig-jinhongxiang",
        title=f"Jinhongxiang exports {formatting.shown('jinhongxiang-export-share')} of its products "
              f"and plans {claims.loc['jinhongxiang-new-products'].value:g} more models",
        subtitle=f"Gansu Jinhongxiang New Energy, a lithium-ion cell maker in the development zone, as described "
                 f"by its general manager; its line turns out {formatting.shown('jinhongxiang-cells-per-day')}.",
        source=source_line(pd.concat([frame, rows(["jinhongxiang-cells-per-day"])])),
        alt=alt_text("A bar split into exported and other products, and a bar of product models", frame),
        data=frame, figure=fig,
    )


def shares() -> Chart:
    """Two shares the article reports: new energy in installed power, local battery materials."""
    labels = {"new-energy-share": "New energy in installed power capacity 新能源装机",
              "battery-material-localisation": "Battery materials supplied locally 电池材料本地化率"}
    frame = rows(list(labels), labels)
    fig, ax = style.figure(figsize=(7.2, 3.0))
    for i, row in frame.iterrows():
        part = pd.DataFrame({"value": [row.value, 100 - row.value], "label": [row.shown, ""]})
        draw.share_bar(ax, i, part, [style.ACCENT, draw.LIGHT], height=0.55)
    ax.set_yticks(frame.index, frame.label)
    draw.percent_axis(ax)
    draw.horizontal(ax)
    return Chart(
        name="fig-shares",
        title=f"New energy is {formatting.shown('new-energy-share')} of Jinchang's power capacity; "
              f"local suppliers provide {formatting.shown('battery-material-localisation')} of battery materials",
        subtitle="Shares as stated in the article, in 2025 (year inferred). "
                 "The context chapter sets both against earlier figures.",
        source=source_line(frame),
        alt=alt_text("Two horizontal bars, each out of 100 percent", frame),
        data=frame, figure=fig,
    )
