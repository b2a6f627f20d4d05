"""The house chart style: Okabe–Ito colours, a bundled CJK font, reproducible SVG and PNG.

A chapter cell draws a chart like this::

    fig, ax = style.figure()
    ax.bar(years, values, color=style.ACCENT)
    style.finalise(fig, title="…", subtitle="…", source="…")
    svg = style.svg_bytes(fig, {"Title": "…"})

Figures come from pyplot, so notebooks display them; this module closes none of them.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.text import Text
from matplotlib.textpath import text_to_path

_HERE = Path(__file__).parent
STYLE = _HERE / "style" / "jinchang.mplstyle"
FONTS = tuple(sorted((_HERE / "fonts").glob("*.otf")))
# The subset's own name (see fonts/README.md): no installed font can shadow it.
FAMILY = "Jinchang Sans"

# Okabe & Ito's colour-blind-safe palette, plus a grey for context.
PALETTE: dict[str, str] = {
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "green": "#009E73",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
    # Not Okabe–Ito's: a grey light enough to recede, yet 3.4:1 on white
    # (WCAG's minimum for graphics is 3:1; the usual #999999 has 2.8:1).
    "grey": "#8C8C8C",
}
ACCENT = PALETTE["vermillion"]  # the article's claim
MUTED = PALETTE["grey"]  # context and comparisons

_INK = "#1A1A1A"  # title
_QUIET = "#595959"  # subtitle and source: muted, yet 7:1 on white for small text
_MARGIN = 8 / 72  # inches between the figure's edges and the title, source and axes
_PX_PER_PT = 96 / 72  # CSS: 1in = 96px = 72pt

# Where a line may break: around any CJK character (keeping opening punctuation
# with the character after it, closing punctuation with the one before), or at
# the spaces between other words.
_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
_OPEN, _CLOSE = "“‘（《「『【", "、。，．：；！？）》」』】”’"
_TOKEN = re.compile(rf"[{_OPEN}]*[{_CJK}][{_CLOSE}]*\s*|[^\s{_CJK}]+[{_CLOSE}]*\s*|\s+")


def use() -> None:
    """Register the bundled fonts (once per font manager) and apply the house style."""
    # addfont rather than the system font cache: the book must build on machines
    # without any CJK font, and without writing to the user's font folders.
    known = {entry.fname for entry in font_manager.fontManager.ttflist}
    for path in FONTS:
        if str(path) not in known:
            font_manager.fontManager.addfont(path)
    plt.style.use(STYLE)


def figure(nrows: int = 1, ncols: int = 1, **kwargs: Any) -> tuple[Figure, Axes | np.ndarray]:
    """``plt.subplots`` in the house style, with constrained layout.

    :func:`finalise` then sizes the room for the title, subtitle and source:
    it measures them, so long or wrapped texts never overlap the axes.
    """
    use()
    return plt.subplots(nrows, ncols, **kwargs)


def finalise(fig: Figure, *, title: str, subtitle: str, source: str) -> Figure:
    """Add the title, subtitle and source line, and fit the axes between them. Call once, last."""
    if not source.lower().startswith(("source:", "sources:")):
        source = f"Source: {source}"
    width, height = fig.get_size_inches()
    x, top, bottom = _MARGIN / width, 1 - _MARGIN / height, _MARGIN / height
    line = (width - 2 * _MARGIN) * 72  # points available to a line of text
    for text, size, weight, color, gap in ((title, 14, "bold", _INK, 4), (subtitle, 10.5, "normal", _QUIET, 12)):
        artist = _text(fig, x, top, text, size, weight, color, line, va="top")
        top -= _height(artist) + gap / 72 / height
    artist = _text(fig, x, bottom, source, 8, "normal", _QUIET, line, va="bottom")
    bottom += _height(artist) + 10 / 72 / height
    # The axes and their labels fill the rest, flush with the title's left margin.
    fig.set_layout_engine("constrained", rect=(x, bottom, 1 - 2 * x, top - bottom))
    return fig


def svg_bytes(fig: Figure, metadata: dict[str, str] | None = None) -> bytes:
    """*fig* as SVG, text as outlines, the same bytes for the same figure on every run.

    *metadata* goes into the SVG's Dublin Core RDF; matplotlib accepts the keys
    Title (also written as <title>), Description, Identifier, Source, Language,
    Relation, Coverage, Creator, Contributor, Publisher, Rights and Keywords.
    """
    _settle(fig)
    buffer = io.BytesIO()
    # Repeats the style file's settings: determinism must not depend on what
    # rcParams happen to be current at save time.
    with matplotlib.rc_context({"svg.fonttype": "path", "svg.hashsalt": "jinchang"}):
        # Date=None: matplotlib otherwise stamps the current time.
        fig.savefig(buffer, format="svg", metadata={"Date": None, **(metadata or {})})
    return buffer.getvalue()


def png_bytes(fig: Figure, metadata: dict[str, str] | None = None, dpi: int = 200) -> bytes:
    """*fig* as PNG of exactly figsize * dpi pixels; *metadata* becomes PNG text chunks."""
    _settle(fig)
    buffer = io.BytesIO()
    # Software=None: matplotlib would otherwise stamp its name and version.
    fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None, **(metadata or {})})
    return buffer.getvalue()


def _settle(fig: Figure) -> None:
    """Lay the figure out once and pin the axes there, rounded. Constrained layout's solver can
    differ in the last bits of a float from one process to the next, and the SVG's clip-path ids
    hash those bits: without this the same chart would not always give the same bytes."""
    if isinstance(fig.get_layout_engine(), ConstrainedLayoutEngine):
        fig.draw_without_rendering()
        for ax in fig.axes:
            ax.set_position(np.round(ax.get_position().bounds, 9))
        fig.set_layout_engine("none")


def size_attributes(svg: bytes) -> tuple[float, float]:
    """The SVG's width and height in CSS pixels, for ``<img width height>``."""
    root = ElementTree.fromstring(svg)
    sizes = []
    for key in ("width", "height"):
        value = root.get(key, "")
        if not value.endswith("pt"):  # matplotlib always writes pt
            raise ValueError(f"SVG {key} is {value!r}, not in pt")
        sizes.append(round(float(value[:-2]) * _PX_PER_PT, 2))
    return sizes[0], sizes[1]


def _text(fig: Figure, x: float, y: float, text: str, size: float, weight: str, color: str,
          width: float, va: str) -> Text:
    """Figure text at (*x*, *y*), wrapped to *width* points."""
    # Made here, not at import: the font family comes from the style applied by then.
    prop = FontProperties(size=size, weight=weight)
    # parse_math=False: prose, not maths; a "$" must not start mathtext.
    return fig.text(x, y, _wrap(text, prop, width), fontproperties=prop, color=color,
                    ha="left", va=va, linespacing=1.3, parse_math=False)


def _wrap(text: str, prop: FontProperties, width: float) -> str:
    """*text* with line breaks so that no line is wider than *width* points."""
    lines = []
    for paragraph in text.split("\n"):
        line = ""
        for token in _TOKEN.findall(paragraph):
            if line and _width(line + token.rstrip(), prop) > width:
                lines.append(line.rstrip())
                line = token.lstrip()
            else:
                line += token
        lines.append(line.rstrip())
    return "\n".join(lines)


def _width(text: str, prop: FontProperties) -> float:
    """The width of one line of *text* in points, as the font draws it."""
    return text_to_path.get_text_width_height_descent(text, prop, ismath=False)[0]


def _height(text: Text) -> float:
    """The height of *text* as a fraction of its figure's height."""
    return text.get_window_extent().height / text.get_figure(root=True).bbox.height
