"""One tagged PDF from the PDFs of a document's pieces, each printed by Chromium on its own.

A piece is the loaded document with the other pieces taken out, and what links point to in them
left in their place (see :mod:`.render`), so a link to another piece names a destination that piece
holds, and every piece's structure tree has one Document element. Joined: the pages, in order;
each piece's structure elements under the first piece's Document element, with its parent keys
shifted past the pieces' before it; the named destinations; one font per weight, where each piece
has its own subset of it (see ``share_fonts``).
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
from collections import Counter

import pikepdf
from fontTools.ttLib import TTFont
from pikepdf import Name

from . import PrintError

Elements = list[pikepdf.Dictionary]


def kids(node: pikepdf.Dictionary) -> Elements:
    """The structure elements among a node's kids (the others, marked-content ids and references to
    content or annotations, have no /S)."""
    return [k for k in _listed(node.get("/K")) if isinstance(k, pikepdf.Dictionary) and "/S" in k]


def _listed(kids) -> list:
    return list(kids) if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]


def elements(roots: Elements) -> Elements:
    """The structure elements ``roots`` and those under them, in the document's order (depth first):
    quicker than looking through every object of the file for them."""
    found, stack = [], roots[::-1]
    while stack:
        element = stack.pop()
        found.append(element)
        stack.extend(reversed(kids(element)))
    return found


def _advances(program: bytes) -> dict[int, float]:
    """The advance of each glyph of a TrueType file, in thousandths of an em (a PDF font's widths)."""
    font = TTFont(io.BytesIO(program), lazy=True)
    scale, metrics = 1000 / font["head"].unitsPerEm, font["hmtx"].metrics
    return {glyph: metrics[name][0] * scale for glyph, name in enumerate(font.getGlyphOrder())}


def _hex_text(digits: bytes) -> str:
    return bytes.fromhex(digits.decode()).decode("utf-16-be")


def _unicodes(cmap: bytes) -> dict[int, str]:
    """Glyph -> text of a ToUnicode CMap (its bfchar and bfrange entries)."""
    found = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        found |= {int(code, 16): _hex_text(text) for code, text in re.findall(rb"<(\w+)>\s*<(\w+)>", block)}
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
        for low, high, target in re.findall(rb"<(\w+)>\s*<(\w+)>\s*(<\w+>|\[[^\]]*\])", block):
            codes = range(int(low, 16), int(high, 16) + 1)
            if target.startswith(b"["):
                found |= dict(zip(codes, map(_hex_text, re.findall(rb"<(\w+)>", target))))
            else:
                text = _hex_text(target[1:-1])
                found |= {code: text[:-1] + chr(ord(text[-1]) + k) for k, code in enumerate(codes)}
    return found


def _to_unicode(unicodes: dict[int, str]) -> bytes:
    """A ToUnicode CMap of ``unicodes`` (glyph -> text), as Chromium writes one, in blocks of a hundred."""
    pairs = [f"<{glyph:04X}> <{text.encode('utf-16-be').hex().upper()}>" for glyph, text in sorted(unicodes.items())]
    blocks = "".join(f"{len(block)} beginbfchar\n" + "\n".join(block) + "\nendbfchar\n"
                     for block in (pairs[i:i + 100] for i in range(0, len(pairs), 100)))
    return ("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo\n<<  /Registry (Adobe)\n"
            "/Ordering (UCS)\n/Supplement 0\n>> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
            "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n" + blocks +
            "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n").encode()


def _number(width: float) -> int | float:
    return int(width) if width.is_integer() else width


def _runs(widths: dict[int, float]) -> pikepdf.Array:
    """A /W array: each run of consecutive glyphs, its first glyph, then their widths."""
    runs: list[list] = []
    for glyph, width in sorted(widths.items()):
        if runs and runs[-1][0] + len(runs[-1][1]) == glyph:
            runs[-1][1].append(_number(width))
        else:
            runs.append([glyph, [_number(width)]])
    return pikepdf.Array([item for first, run in runs for item in (first, pikepdf.Array(run))])


def share_fonts(pdf: pikepdf.Pdf, programs: dict[str, bytes]) -> None:
    """One font per weight for all the pieces: each piece's subset replaced by the TrueType file Chromium
    subset it from (``programs``: PostScript name -> file), whose glyph ids its subsets keep; the
    widths the file's, the text of each glyph the pieces' (which agree). Tagged after the file's
    bytes: the same file, the same tag."""
    fonts: dict[str, dict[tuple[int, int], pikepdf.Dictionary]] = {}
    for page in pdf.pages:
        for font in page.Resources.get("/Font", {}).values():
            fonts.setdefault(str(font.BaseFont).split("+", 1)[-1], {})[font.objgen] = font
    shared = {}
    for name, found in fonts.items():
        group = list(found.values())
        if name not in programs:  # not the book's (a test's fallback font): left as Chromium made it
            continue
        unicodes = {glyph: text for font in group for glyph, text in _unicodes(font.ToUnicode.read_bytes()).items()}
        keep, program = group[0], programs[name]
        widths = _advances(program)
        cid_font, descriptor = keep.DescendantFonts[0], keep.DescendantFonts[0].FontDescriptor
        tag = "".join(chr(ord("A") + byte % 26) for byte in hashlib.sha256(program).digest()[:6])
        keep.BaseFont = cid_font.BaseFont = descriptor.FontName = Name(f"/{tag}+{name}")
        descriptor.FontFile2 = pikepdf.Stream(pdf, program, Length1=len(program))
        counts = Counter(widths.values())
        common = min(counts, key=lambda width: (-counts[width], width))
        cid_font.DW = _number(common)
        cid_font.W = _runs({glyph: width for glyph, width in widths.items() if width != common})
        keep.ToUnicode = pikepdf.Stream(pdf, _to_unicode(unicodes))
        shared |= {font.objgen: keep for font in group}
    for page in pdf.pages:
        if "/Font" in page.Resources:
            page.Resources.Font = pikepdf.Dictionary(
                {key: shared.get(font.objgen, font) for key, font in page.Resources.Font.items()})


def _append(pdf: pikepdf.Pdf, piece: pikepdf.Pdf) -> Elements:
    """Append ``piece`` to ``pdf`` (both tagged); its structure elements in ``pdf``."""
    tree, theirs = pdf.Root.StructTreeRoot, piece.Root.StructTreeRoot
    first, shift = len(pdf.pages), int(tree.ParentTreeNextKey)
    with warnings.catch_warnings():  # of named destinations, which are copied below
        warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
        pdf.pages.extend(piece.pages)
    for page in pdf.pages[first:]:
        if "/StructParents" in page:
            page.StructParents = int(page.StructParents) + shift
        for annotation in page.get("/Annots", []):
            if "/StructParent" in annotation:
                annotation.StructParent = int(annotation.StructParent) + shift
    document = tree.K
    if len(kids(theirs.K)) != len(_listed(theirs.K.K)):
        raise PrintError("Chromium put content right under a piece's Document tag, which joining would lose")
    copied = kids(pdf.copy_foreign(theirs.K))  # the pages copied above are those the elements name
    for kid in copied:
        kid.P = document
    document.K = pikepdf.Array([*_listed(document.K), *copied])
    numbers = pdf.copy_foreign(theirs.ParentTree).Nums
    tree.ParentTree.Nums = pikepdf.Array([*tree.ParentTree.Nums, *(
        int(item) + shift if position % 2 == 0 else item for position, item in enumerate(numbers))])
    tree.ParentTreeNextKey = shift + int(theirs.ParentTreeNextKey)
    if "/IDTree" in theirs and "/IDTree" not in tree:
        tree.IDTree = pikepdf.Dictionary()  # made again from the elements' IDs (finish.stable_ids)
    if "/Dests" in piece.Root:
        for name, target in pdf.copy_foreign(piece.Root.Dests).items():
            pdf.Root.Dests[name] = target
    return elements(copied)


def join(pieces: list[bytes], programs: dict[str, bytes]) -> tuple[pikepdf.Pdf, list[Elements]]:
    """The PDF of the pieces, in order (each a PDF from Chromium, tagged if there are several), with one
    font per weight (see ``share_fonts``), and the structure elements of each piece, in the document's
    order. The caller closes the PDF."""
    pdf = pikepdf.open(io.BytesIO(pieces[0]))
    try:
        tree = pdf.Root.get("/StructTreeRoot")
        groups = [elements(kids(tree))] if tree is not None else []
        if len(pieces) > 1:
            if "/Dests" not in pdf.Root:
                pdf.Root.Dests = pikepdf.Dictionary()
            for raw in pieces[1:]:
                with pikepdf.open(io.BytesIO(raw)) as piece:
                    groups.append(_append(pdf, piece))
        share_fonts(pdf, programs)
    except BaseException:
        pdf.close()
        raise
    return pdf, groups
