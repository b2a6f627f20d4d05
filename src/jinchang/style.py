"""The house chart style: Okabe–Ito colours, a bundled CJK font, two layouts, reproducible SVG and PNG.

A chart is drawn once per layout, from the same code: wide (7.2 in, for a desktop column) and
narrow (3.5 in, for a phone), with the same text sizes. A chart function draws like this::

    fig, ax = layout.figure(height=layout.pick(3.0, 3.6))  # the chart alone
    ax.bar(years, values, color=style.ACCENT)
    finished = style.finalise(fig, title="…", subtitle="…", source="…")
    svg = style.svg_bytes(fig, {"Title": "…"})  # with title, subtitle and source, for downloads
    page = style.chart_alone(svg, finished)  # the chart alone, for the page

Figures come from pyplot, so notebooks display them; this module closes none of them.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

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

from .chartfiles import PX_PER_INCH
from .typeface import FAMILY
from .typeface import FILES as FONTS

_HERE = Path(__file__).parent
STYLE = _HERE / "style" / "jinchang.mplstyle"

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
PNG_DPI = 200  # the PNG download: print resolution
# The smallest text a chart may draw, in points: 12 CSS px at natural size, so still 11 px when a
# page shows the chart at 92% of it (a wide chart in a desktop column, a narrow one on a phone).
MIN_TEXT = 9

# Where a line may break: around any CJK character (keeping opening punctuation
# with the character after it, closing punctuation with the one before), or at
# the spaces between other words.
_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
_OPEN, _CLOSE = "“‘（《「『【", "、。，．：；！？）》」』】”’"
_TOKEN = re.compile(rf"[{_OPEN}]*[{_CJK}][{_CLOSE}]*\s*|[^\s{_CJK}]+[{_CLOSE}]*\s*|\s+")
# A label in two languages, "Copper smelting 铜冶炼": too long for a line, it breaks between them.
_BILINGUAL = re.compile(rf"(?<=[^\s{_CJK}]) (?=[{_OPEN}]*[{_CJK}][^A-Za-z]*$)")


@dataclass(frozen=True)
class Layout:
    """One of a chart's two layouts. The drawing code is the same for both; it asks the layout
    for its width, for the values that differ (``pick``) and for wrapped labels (``wrap``)."""

    name: str  # "wide" or "narrow"
    width: float  # inches
    suffix: str  # added to the chart's file names: "" or "-narrow"

    @property
    def narrow(self) -> bool:
        return self.name == "narrow"

    def pick(self, wide, narrow):
        """``wide`` in the wide layout, ``narrow`` in the narrow one."""
        return narrow if self.narrow else wide

    def figure(self, height: float, nrows: int = 1, ncols: int = 1, **kwargs: Any) -> tuple[Figure, Any]:
        """``plt.subplots`` in the house style: the layout's width, ``height`` inches for the chart
        alone (``finalise`` adds the room for title, subtitle and source)."""
        return figure(nrows, ncols, figsize=(self.width, height), **kwargs)

    def mosaic(self, height: float, mosaic: Any, **kwargs: Any) -> tuple[Figure, dict[Any, Axes]]:
        """``plt.subplot_mosaic`` in the house style, like ``figure``: panels arranged per layout."""
        use()
        return plt.subplot_mosaic(mosaic, figsize=(self.width, height), **kwargs)

    def wrap(self, text: str, width: float, size: float = MIN_TEXT, weight: str = "normal") -> str:
        """``text`` with line breaks so that no line is wider than ``width`` points at ``size``
        (in the house font: call it once ``figure`` has applied the style)."""
        return _wrap(text, FontProperties(size=size, weight=weight), width)

    @property
    def line(self) -> float:
        """Points available to a line of text across the whole chart."""
        return (self.width - 2 * _MARGIN) * 72


WIDE = Layout("wide", 7.2, "")
NARROW = Layout("narrow", 3.5, "-narrow")
LAYOUTS = (WIDE, NARROW)


@dataclass(frozen=True)
class Finished:
    """What ``finalise`` added: the texts around the chart, and the chart's own region in points
    from the top left (x, y, width, height), an SVG viewBox."""

    texts: tuple[Text, ...]
    region: tuple[float, float, float, float]


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


def finalise(fig: Figure, *, title: str, subtitle: str, source: str) -> Finished:
    """Add the title and subtitle above the chart and the source line below it, growing the figure
    to make room for them, and fit the axes between them. Call once, last.

    The chart keeps the size it was drawn at (its region, returned), so the same drawing can be
    saved with these texts, for downloads, or alone, for a page that shows them as HTML.
    """
    width, height = fig.get_size_inches()
    texts = [_text(fig, text, size, weight, color, (width - 2 * _MARGIN) * 72, va, role)
             for text, size, weight, color, va, role in ((title, 14, "bold", _INK, "top", "title"),
                                                        (subtitle, 10.5, "normal", _QUIET, "top", "subtitle"),
                                                        (source, 8, "normal", _QUIET, "bottom", "source"))]
    # Inches above and below the chart, rounded to whole CSS pixels so that the chart's region is.
    gaps = (_MARGIN, 4 / 72, 4 / 72, 2 / 72 + _MARGIN)
    heights = [_inches(text) for text in texts]
    above = _whole_px(gaps[0] + heights[0] + gaps[1] + heights[1] + gaps[2])
    below = _whole_px(heights[2] + gaps[3])
    height = _whole_px(height)
    total = above + height + below
    fig.set_size_inches(width, total)
    texts[0].set_y(1 - _MARGIN / total)
    texts[1].set_y(1 - (_MARGIN + heights[0] + gaps[1]) / total)
    texts[2].set_y(_MARGIN / total)
    # The axes and their labels fill the chart's region, less a margin, flush with the title's left edge.
    x, bottom, top = _MARGIN / width, (below + _MARGIN) / total, 1 - (above + _MARGIN) / total
    fig.set_layout_engine("constrained", rect=(x, bottom, 1 - 2 * x, top - bottom))
    return Finished(tuple(texts), (0, above * 72, _whole_px(width, floor=True) * 72, height * 72))


def lay_out(fig: Figure) -> None:
    """Lay *fig* out now as ``finalise`` will, within the same margins, for a chart that places things
    by the final shape of its axes (a map's frame, names and inset)."""
    width, height = fig.get_size_inches()
    x, y = _MARGIN / width, _MARGIN / height
    fig.set_layout_engine("constrained", rect=(x, y, 1 - 2 * x, 1 - 2 * y))
    fig.draw_without_rendering()


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
    with matplotlib.rc_context({"svg.fonttype": "path", "svg.hashsalt": "jinchang", **_SETTLED}):
        # Date=None: matplotlib otherwise stamps the current time.
        fig.savefig(buffer, format="svg", metadata={"Date": None, **(metadata or {})})
    return buffer.getvalue()


def chart_alone(svg: bytes, finished: Finished) -> bytes:
    """The SVG of a finalised figure cut to the chart alone: its region, without the title,
    subtitle and source line, which the figure draws last, each in its own group.

    Cut from the saved SVG rather than saved again: the same drawing, at a fraction of the cost."""
    cut, removed = _FINALISED_GROUP.subn(b"", svg)
    if removed != len(finished.texts):
        raise ValueError(f"found {removed} of the {len(finished.texts)} texts added by finalise in the SVG")
    x, y, width, height = (f"{v:.4f}".rstrip("0").rstrip(".") for v in finished.region)
    return _SVG_SIZE.sub(f'width="{width}pt" height="{height}pt" viewBox="{x} {y} {width} {height}"'.encode(),
                         cut, count=1)


def png_bytes(fig: Figure, metadata: dict[str, str] | None = None, dpi: int = PNG_DPI) -> bytes:
    """*fig* as PNG of exactly figsize * dpi pixels; *metadata* becomes PNG text chunks."""
    _settle(fig)
    buffer = io.BytesIO()
    # Software=None: matplotlib would otherwise stamp its name and version.
    with matplotlib.rc_context(_SETTLED):
        # compress_level 3: smaller and faster than Pillow's default (6) for these charts
        fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None, **(metadata or {})},
                    pil_kwargs={"compress_level": 3})
    return buffer.getvalue()


# A group of a text added by ``finalise`` (matplotlib's writer indents an element's end tag like its
# start tag), and the size of a whole SVG.
_FINALISED_GROUP = re.compile(rb'^( *)<g id="jinchang-(?:title|subtitle|source)">\n.*?^\1</g>\n', re.M | re.S)
_SVG_SIZE = re.compile(rb'width="[0-9.]+pt" height="[0-9.]+pt" viewBox="[0-9. ]+"')

# No layout engine: without these, matplotlib gives a figure whose engine was set to None the
# style's constrained layout again (savefig does, after it saves), and every save lays it out anew.
_SETTLED = {"figure.constrained_layout.use": False, "figure.autolayout": False}


def _settle(fig: Figure) -> None:
    """Lay the figure out once and pin the axes there, rounded. Constrained layout's solver can
    differ in the last bits of a float from one process to the next, and the SVG's clip-path ids
    hash those bits: without this the same chart would not always give the same bytes.

    The layout engine runs alone, without a draw of the figure that would follow it, at the
    PNG's resolution, where matplotlib keeps the renderer and the sizes of the texts it measured
    for the PNG; and no layout engine is left on the figure, so that no save lays it out again."""
    if isinstance(engine := fig.get_layout_engine(), ConstrainedLayoutEngine):
        fig.set_dpi(PNG_DPI)
        engine.execute(fig)
        for ax in fig.axes:
            ax.set_position(np.round(ax.get_position().bounds, 9))
        with matplotlib.rc_context(_SETTLED):
            fig.set_layout_engine(None)


def min_text_size(fig: Figure, leave_out: tuple[Text, ...] = ()) -> float:
    """The size in points of the smallest text *fig* draws (tick labels included), but *leave_out*."""
    sizes = [text.get_fontsize() for text in fig.findobj(Text)
             if text.get_visible() and text.get_text().strip() and text not in leave_out]
    return min(sizes, default=MIN_TEXT)


def _whole_px(inches: float, floor: bool = False) -> float:
    """*inches* rounded to whole CSS pixels (down with *floor*)."""
    px = inches * PX_PER_INCH
    return (int(px) if floor else round(px)) / PX_PER_INCH


def _text(fig: Figure, text: str, size: float, weight: str, color: str, width: float, va: str, role: str) -> Text:
    """Figure text at the left margin, wrapped to *width* points; ``finalise`` sets its height.
    Drawn after everything else, in a group of its own (``chart_alone`` cuts it out)."""
    # Made here, not at import: the font family comes from the style applied by then.
    prop = FontProperties(size=size, weight=weight)
    # parse_math=False: prose, not maths; a "$" must not start mathtext.
    return fig.text(_MARGIN / fig.get_figwidth(), 0, _wrap(text, prop, width), fontproperties=prop, color=color,
                    ha="left", va=va, linespacing=1.3, parse_math=False, zorder=100, gid=f"jinchang-{role}")


def unbreak(text: str) -> str:
    """*text* on one line: a line break becomes nothing between a CJK character and anything but a
    Latin letter ("为\n50" -> "为50"), and a space elsewhere ("makers\n锂电" -> "makers 锂电")."""
    return re.sub(rf"(?<=[{_CJK}])\n(?![A-Za-z])|(?<![A-Za-z])\n(?=[{_CJK}])", "", text).replace("\n", " ")


def _wrap(text: str, prop: FontProperties, width: float) -> str:
    """*text* with line breaks so that no line is wider than *width* points."""
    lines = []
    for paragraph in text.split("\n"):
        if _width(paragraph, prop) > width and _BILINGUAL.search(paragraph):
            lines.append(_wrap(_BILINGUAL.sub("\n", paragraph, count=1), prop, width))
            continue
        line, line_width = "", 0.0
        for token in _TOKEN.findall(paragraph):
            # The sum of the tokens' widths: kerning across a break is a hair, and each token is
            # measured once per process, not once per candidate line.
            if line and line_width + _width(token.rstrip(), prop) > width:
                lines.append(line.rstrip())
                line, line_width = token.lstrip(), _width(token.lstrip(), prop)
            else:
                line, line_width = line + token, line_width + _width(token, prop)
        lines.append(line.rstrip())
    return "\n".join(lines)


@lru_cache(maxsize=None)
def _width(text: str, prop: FontProperties) -> float:
    """The width of one line of *text* in points, as the font draws it."""
    return text_to_path.get_text_width_height_descent(text, prop, ismath=False)[0]


def _inches(text: Text) -> float:
    """The height of *text* in inches."""
    figure = text.get_figure(root=True)
    return text.get_window_extent().height / figure.dpi
