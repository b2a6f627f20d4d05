"""A finished chart: its images in two layouts, the exact data it plots, and where that data came from.

A chart function computes the plotted DataFrame once, writes its texts in one language, and
returns ``Chart(...)`` with a ``draw`` function that draws that data in a given layout. The
chart draws itself once per layout (wide and narrow) and saves each drawing twice: with its
title, subtitle and source line, for downloads and reuse, and alone, for the page, which shows
those texts as HTML. Displayed in a notebook, a Chart shows as SVG; in the book, the ``jinchang``
Sphinx extension reads the ``MIME`` payload and publishes the figure, its data table and its files.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from . import __version__, style
from .chartfiles import MIME, PAGE, size_attributes
from .labels import labels

SOURCE_COLUMNS = ("claim_id", "context_id", "quote")


def csv_text(frame: pd.DataFrame) -> str:
    """The CSV published beside a chart: stable column order, no index, '\\n' line ends, and numbers to
    the 15 significant digits a float holds exactly, so that arithmetic's last bits do not show
    (1.11 × 100 million is written 111000000, not 111000000.00000001)."""
    return frame.to_csv(index=False, lineterminator="\n", float_format="%.15g")


@dataclass
class Chart:
    name: str  # stable anchor and file name, e.g. "fig-tax-path"
    title: str
    subtitle: str
    source: str  # the source line drawn on the downloads
    alt: str  # alt text, generated from the plotted numbers
    data: pd.DataFrame  # exactly what is plotted, with claim_id / context_id / quote columns
    draw: Callable[[style.Layout], Figure]  # draws ``data`` in a layout, without title, subtitle or source
    lang: str = "en"
    # Where the alt text cannot carry the shape of the data (a timeline, a grid, a path), a
    # longer description, generated from the data like the alt text.
    description: str = ""
    # Columns of ``data`` in the page's data table, the first naming each row; those the data
    # lacks, or leaves empty in every row, are left out.
    table: Sequence[str] = ("label", "shown", "period")
    images: dict[str, bytes] = field(init=False, repr=False)  # path under figures/ -> SVG or PNG
    sizes: dict[str, tuple[int, int]] = field(init=False)  # layout -> CSS size of the image on the page

    def __post_init__(self) -> None:
        if not self.name.startswith("fig-"):
            raise ValueError(f"chart names start with 'fig-': {self.name!r}")
        missing = [c for c in SOURCE_COLUMNS if c not in self.data.columns]
        if missing:
            raise ValueError(f"{self.name}: plotted data lacks the source columns {missing}")
        grades = set(self.data.get("reliability", ()))
        if "unreliable" in grades:
            raise ValueError(f"{self.name}: a row graded unreliable may not be charted as fact")
        low = labels("common", self.lang)["low"]
        if "low" in grades and low not in self.source:
            raise ValueError(f"{self.name}: plots a low-reliability row; its source line must say {low!r}")
        if self.table[0] not in self.data.columns:
            raise ValueError(f"{self.name}: the data table's rows are named by {self.table[0]!r}, not a column")
        self.images, self.sizes = {}, {}
        metadata = {"Title": self.title, "Description": self.alt, "Identifier": self.fingerprint,
                    "Source": labels("citation", self.lang)("metadata", version=__version__), "Language": self.lang}
        for layout in style.LAYOUTS:
            self._render(layout, metadata)

    def _render(self, layout: style.Layout, metadata: dict[str, str]) -> None:
        """Draw once in ``layout``; save the PNG and SVG downloads and the page's SVG from that drawing."""
        fig = self.draw(layout)
        smallest = style.min_text_size(fig)
        if smallest < style.MIN_TEXT:
            plt.close(fig)
            raise ValueError(f"{self.name}: the {layout.name} layout draws text of {smallest:g} pt; "
                             f"charts draw no text smaller than {style.MIN_TEXT} pt")
        finished = style.finalise(fig, title=self.title, subtitle=self.subtitle, source=self.source)
        name = f"{self.name}{layout.suffix}"
        self.images[f"{name}.png"] = style.png_bytes(fig, metadata)
        svg = self.images[f"{name}.svg"] = style.svg_bytes(fig, metadata)
        page = self.images[f"{PAGE}/{name}.svg"] = style.chart_alone(svg, finished)
        self.sizes[layout.name] = size_attributes(page)
        plt.close(fig)  # rendered; keeps notebooks from showing it a second time

    @property
    def svg(self) -> bytes:
        """The wide download: the chart with its title, subtitle and source."""
        return self.images[f"{self.name}.svg"]

    @property
    def csv(self) -> str:
        return csv_text(self.data)

    @property
    def fingerprint(self) -> str:
        """Book version and a hash of the plotted data, written into the image files."""
        return f"jinchang-{__version__}-data-sha256:{hashlib.sha256(self.csv.encode()).hexdigest()}"

    @property
    def sources(self) -> dict[str, list[str]]:
        """Claim and context ids used, in order of first appearance."""
        return {
            kind: list(dict.fromkeys(i for i in self.data[column].dropna() for i in str(i).split() if i))
            for kind, column in (("claims", "claim_id"), ("context", "context_id"))
        }

    def data_table(self) -> dict:
        """The page's data table: a caption, column headings and one row per row of the CSV, each
        with the ids of its sources."""
        words = labels("common", self.lang)
        columns = [c for c in self.table
                   if c in self.data.columns and self.data[c].fillna("").astype(str).str.strip().any()]
        cells = self.data[columns].fillna("").astype(str).map(style.unbreak)
        if "period" in columns and "period_inferred" in self.data:  # the CSV's flag, said in the period's words
            inferred = self.data["period_inferred"].fillna(False).astype(bool)
            cells.loc[inferred, "period"] = [words["inferred"].format(period=p) for p in cells.loc[inferred, "period"]]
        sources = self.data[["claim_id", "context_id"]].fillna("").astype(str)
        return {
            "caption": words["table_caption"],
            "headings": [words["columns"][c] for c in columns] + [words["columns"]["sources"]],
            "rows": [{"cells": list(row), "ids": " ".join(ids).split()}
                     for row, ids in zip(cells.itertuples(index=False), sources.itertuples(index=False))],
        }

    def payload(self) -> dict:
        width, height = size_attributes(self.svg)
        return {
            "name": self.name, "lang": self.lang, "title": self.title, "subtitle": self.subtitle,
            "source": self.source, "alt": self.alt, "description": self.description,
            "width": width, "height": height,  # of the wide download, figures/<name>.svg
            "version": __version__, "fingerprint": self.fingerprint, **self.sources,
            "page": {layout.name: {"src": f"{PAGE}/{self.name}{layout.suffix}.svg",
                                     "width": self.sizes[layout.name][0], "height": self.sizes[layout.name][1]}
                       for layout in style.LAYOUTS},
            "table": self.data_table(),
            "csv": self.csv,  # figures/<name>.csv
            # SVG as text, PNG in base64: the payload travels as JSON in the notebook.
            "images": {path: base64.b64encode(data).decode() if path.endswith(".png") else data.decode()
                       for path, data in self.images.items()},
        }

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"image/svg+xml": self.svg.decode(), MIME: self.payload(), "text/plain": f"<{self.name}: {self.title}>"}
