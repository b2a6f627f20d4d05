"""A finished chart: its image, the exact data it plots, and where that data came from.

A chart function builds a matplotlib figure from a DataFrame and returns ``Chart(...)``.
Displayed in a notebook, a Chart shows as SVG; in the book, the ``jinchang`` Sphinx
extension reads the ``MIME`` payload and publishes the figure with its downloads.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from . import __version__, style

MIME = "application/vnd.jinchang.figure+json"
SOURCE_COLUMNS = ("claim_id", "context_id", "quote")


def csv_text(frame: pd.DataFrame) -> str:
    """The CSV published beside a chart: stable column order, no index, '\\n' line ends."""
    return frame.to_csv(index=False, lineterminator="\n")


@dataclass
class Chart:
    name: str  # stable anchor and file name, e.g. "fig-tax-path"
    title: str
    subtitle: str
    source: str  # the source line drawn on the chart
    alt: str  # alt text, generated from the plotted numbers
    data: pd.DataFrame  # exactly what is plotted, with claim_id / context_id / quote columns
    figure: Figure
    svg: bytes = field(init=False, repr=False)
    png: bytes = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if not self.name.startswith("fig-"):
            raise ValueError(f"chart names start with 'fig-': {self.name!r}")
        missing = [c for c in SOURCE_COLUMNS if c not in self.data.columns]
        if missing:
            raise ValueError(f"{self.name}: plotted data lacks the source columns {missing}")
        grades = set(self.data.get("reliability", ()))
        if "unreliable" in grades:
            raise ValueError(f"{self.name}: a row graded unreliable may not be charted as fact")
        if "low" in grades and "low reliability" not in self.source:
            raise ValueError(f"{self.name}: plots a low-reliability row; its source line must say 'low reliability'")
        style.finalise(self.figure, title=self.title, subtitle=self.subtitle, source=self.source)
        metadata = {"Title": self.title, "Description": self.alt, "Identifier": self.fingerprint,
                    "Source": f"Jinchang by the numbers {__version__}"}
        self.svg = style.svg_bytes(self.figure, metadata)
        self.png = style.png_bytes(self.figure, metadata)
        plt.close(self.figure)  # rendered once; keeps notebooks from showing it a second time

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

    def payload(self) -> dict:
        width, height = style.size_attributes(self.svg)
        return {
            "name": self.name, "title": self.title, "subtitle": self.subtitle, "source": self.source,
            "alt": self.alt, "width": width, "height": height, "version": __version__,
            "fingerprint": self.fingerprint, **self.sources,
            "svg": self.svg.decode(), "png": base64.b64encode(self.png).decode(), "csv": self.csv,
        }

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"image/svg+xml": self.svg.decode(), MIME: self.payload(), "text/plain": f"<{self.name}: {self.title}>"}
