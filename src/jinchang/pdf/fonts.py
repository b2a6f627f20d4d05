"""The book's own font for print, as TrueType, so that Chromium embeds it as a real font subset.

Chromium's PDF writer (Skia) embeds fonts with CFF outlines, such as the bundled Jinchang Sans
(``jinchang/fonts/*.otf``), as Type 3 fonts: glyph drawings without a font program, which
viewers render without hinting and preflight tools flag. TrueType outlines it embeds as
CID fonts with a subset font program (``FontFile2``). So the print uses a TrueType copy of the
bundled font holding the characters of the book: only their glyphs (and the few that layout
features reach and no character maps) are converted, then the copy is subset as TrueType, which
is quicker than subsetting the CFF font first. The copy is deterministic: same font and text,
same bytes, whether it is converted for the text or subset from a copy converted for more
characters (a build converts them once, for the whole project's).
"""

from __future__ import annotations

import logging
import struct
from pathlib import Path

from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.subset import Options, Subsetter
from fontTools.ttLib import TTFont, newTable

from .. import typeface
from ..typeface import FAMILY

WEIGHTS = {400: "Regular", 700: "Bold"}  # CSS weight: the bundled font's style
logging.getLogger("fontTools.subset").setLevel(logging.WARNING)  # it reports each table it prunes
STAMP = "fonts.txt"  # beside the copies: the bundled font's digest, then the characters they hold
MAX_ERROR = 1.0  # font units: how far the quadratic curves may stray from the cubic ones (of 1000 per em)
HEADER = struct.Struct(">hhhhh")  # a glyph's number of contours and box, at the start of its data


def _subset(font: TTFont, text: str) -> None:
    """Keep what ``text`` needs, with the layout features that reach other glyphs."""
    options = Options()
    options.layout_features = ["*"]  # kerning, ligatures and the proportional quotes (see fonts/README.md)
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.recalc_timestamp = False
    subsetter = Subsetter(options)
    subsetter.populate(unicodes={ord(c) for c in text})
    subsetter.subset(font)


def _to_truetype(font: TTFont, text: str) -> None:
    """Replace the CFF outlines by quadratic TrueType ones (``glyf``), as fontTools' otf2ttf does,
    for the glyphs of ``text`` and those no character maps (ligatures, variants); others are left empty."""
    glyphs, order, cmap = font.getGlyphSet(), font.getGlyphOrder(), font.getBestCmap()
    wanted = {cmap[ord(c)] for c in text if ord(c) in cmap} | (set(order) - set(cmap.values()))
    glyf = newTable("glyf")
    glyf.glyphOrder, glyf.glyphs = order, {}
    for name in order:
        pen = TTGlyphPen(glyphs)
        if name in wanted:
            glyphs[name].draw(Cu2QuPen(pen, MAX_ERROR, reverse_direction=True))  # TrueType winds the other way
        glyf[name] = pen.glyph()
    font["glyf"], font["loca"] = glyf, newTable("loca")
    for tag in ("CFF ", "VORG"):
        if tag in font:
            del font[tag]
    font["maxp"].tableVersion = 0x00010000
    for field in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                  "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(font["maxp"], field, 1 if field == "maxZones" else 0)
    font["maxp"].maxComponentDepth = 0
    font["head"].glyphDataFormat = 0
    font["post"].formatType = 3.0  # no glyph names: CID-keyed fonts have none worth keeping
    font.sfntVersion = "\x00\x01\x00\x00"


def _measure(font: TTFont) -> None:
    """Set what fontTools recalculates when it saves a font (the box and flag bit 1 of ``head``, the
    maxima of ``maxp``, the extents of ``hhea``) as it does, but from each glyph's header and last
    end point instead of its decompiled outline: decompiling and compiling every glyph again took
    0.37 s of the 0.52 s the Chinese edition's subset took. The font is then saved with
    ``recalcBBoxes`` off. Its glyphs, converted from CFF, have no components."""
    glyf, hmtx, head, maxp, hhea = (font[tag] for tag in ("glyf", "hmtx", "head", "maxp", "hhea"))
    boxes, points, contours = {}, 0, 0
    for name in font.getGlyphOrder():
        data = glyf.glyphs[name].compile(glyf, recalcBBoxes=False)  # its bytes as stored, unless expanded
        count, *box = HEADER.unpack_from(data) if data else (0,)
        if count == 0:
            continue
        if count < 0:
            raise ValueError(f"glyph {name} is composite, which a conversion from CFF does not make")
        boxes[name] = box
        points = max(points, int.from_bytes(data[8 + 2 * count:10 + 2 * count], "big") + 1)  # endPtsOfContours[-1]
        contours = max(contours, count)
    x_min, y_min, x_max, y_max = zip(*boxes.values())
    head.xMin, head.yMin, head.xMax, head.yMax = min(x_min), min(y_min), max(x_max), max(y_max)
    lsb_is_x_min = all(hmtx[name][1] == box[0] for name, box in boxes.items())
    head.flags = head.flags | 0x2 if lsb_is_x_min else head.flags & ~0x2
    maxp.maxPoints, maxp.maxContours = points, contours
    maxp.maxCompositePoints = maxp.maxCompositeContours = maxp.maxComponentElements = maxp.maxComponentDepth = 0
    hhea.advanceWidthMax = max(advance for advance, _ in hmtx.metrics.values())
    hhea.minLeftSideBearing = min(hmtx[name][1] for name in boxes)
    hhea.minRightSideBearing = min(hmtx[name][0] - hmtx[name][1] - (box[2] - box[0]) for name, box in boxes.items())
    hhea.xMaxExtent = max(hmtx[name][1] + box[2] - box[0] for name, box in boxes.items())
    font.recalcBBoxes = False


def missing(text: str) -> set[str]:
    """The characters of ``text`` (other than spaces and controls) that the bundled font does not have:
    on paper, unlike on screen, no other font stands in."""
    return {c for c in set(text) if c not in typeface.characters() and not c.isspace() and c.isprintable()}


def files(folder: Path) -> dict[int, Path]:
    """Where ``truetype`` puts each weight in ``folder``."""
    return {weight: folder / f"{typeface.bundled(style).stem}.ttf" for weight, style in WEIGHTS.items()}


def _made_for(folder: Path) -> str | None:
    """The characters the copies in ``folder`` hold, if they were made from the bundled font as it is."""
    stamp = folder / STAMP
    if not stamp.is_file() or not all(path.is_file() for path in files(folder).values()):
        return None
    digest, _, characters = stamp.read_bytes().decode().partition("\n")  # bytes: "\r" stays "\r"
    return characters if digest == typeface.digest() else None


def truetype(text: str, folder: Path, converted: Path | None = None) -> dict[int, Path]:
    """TrueType copies of the bundled font's weights, holding the characters of ``text``, in ``folder``
    (kept from the last call when the font and the characters are the same). When ``converted`` holds
    copies this made for more characters (a build's, for the whole project's), they are subset from
    those, which is quicker and gives the same bytes."""
    folder.mkdir(parents=True, exist_ok=True)
    made, characters = files(folder), "".join(sorted(set(text)))
    if _made_for(folder) == characters:
        return made
    held = _made_for(converted) if converted is not None else None
    stamp = folder / STAMP
    stamp.unlink(missing_ok=True)  # a conversion cut short leaves no stamp
    for weight, style in WEIGHTS.items():
        if held is not None and set(characters) <= set(held):
            font = TTFont(files(converted)[weight], recalcTimestamp=False)
            _subset(font, characters)
            _measure(font)  # its glyphs are those converted, as they were saved
        else:
            font = TTFont(typeface.bundled(style), recalcTimestamp=False)
            _to_truetype(font, characters)
            _subset(font, characters)
        font.save(made[weight])
    stamp.write_bytes(f"{typeface.digest()}\n{characters}".encode())
    return made
