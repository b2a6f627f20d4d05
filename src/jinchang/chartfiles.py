"""What a chart's files are, for code that publishes them without drawing (the Sphinx extension):
light to import, without matplotlib, which the book's pages do not need."""

from __future__ import annotations

import io
from xml.etree import ElementTree

MIME = "application/vnd.jinchang.figure+json"  # the payload a displayed chart emits (see jinchang.figure)
PAGE = "page"  # folder, under the figures folder, of the images shown on the pages
PX_PER_INCH = 96  # CSS: 1in = 96px = 72pt
PX_PER_PT = PX_PER_INCH / 72


def size_attributes(svg: bytes) -> tuple[int, int]:
    """The SVG's width and height in whole CSS pixels, for ``<img width height>``."""
    _, root = next(ElementTree.iterparse(io.BytesIO(svg), events=("start",)))  # the root's tag only, not the drawing
    sizes = []
    for key in ("width", "height"):
        value = root.get(key, "")
        if not value.endswith("pt"):  # matplotlib always writes pt
            raise ValueError(f"SVG {key} is {value!r}, not in pt")
        sizes.append(round(float(value[:-2]) * PX_PER_PT))
    return sizes[0], sizes[1]
