"""One tagged PDF from the PDFs of a document's pieces, each printed by Chromium on its own.

A piece is the loaded document with the other pieces hidden (see :mod:`.render`), so a link to
another piece names a destination that piece holds, and every piece's structure tree has one
Document element. Joined: the pages, in order; each piece's structure elements under the first
piece's Document element, with its parent keys shifted past the pieces' before it; the named
destinations. Each piece's font subsets are tagged after their own bytes: every printing tags its
first subset AAAAAA+, and a reader may take two subsets of one name for one font.
"""

from __future__ import annotations

import hashlib
import io
import warnings

import pikepdf
from pikepdf import Name

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


def _tag_fonts(pdf: pikepdf.Pdf) -> None:
    """Tag each font subset after its own file: the same subset, the same tag."""
    fonts = {font.objgen: font for page in pdf.pages for font in page.Resources.get("/Font", {}).values()}
    for font in fonts.values():
        descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
        descriptor = descendant.FontDescriptor
        program = next(descriptor[key] for key in ("/FontFile2", "/FontFile3", "/FontFile") if key in descriptor)
        digest = hashlib.sha256(program.read_raw_bytes()).digest()
        tag = "".join(chr(ord("A") + byte % 26) for byte in digest[:6])
        name = Name(f"/{tag}+{str(font.BaseFont).split('+', 1)[-1].lstrip('/')}")
        font.BaseFont = descendant.BaseFont = descriptor.FontName = name


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


def join(pieces: list[bytes]) -> tuple[pikepdf.Pdf, list[Elements]]:
    """The PDF of the pieces, in order (each a PDF from Chromium, tagged if there are several), and the
    structure elements of each piece, in the document's order. The caller closes the PDF."""
    pdf = pikepdf.open(io.BytesIO(pieces[0]))
    tree = pdf.Root.get("/StructTreeRoot")
    groups = [elements(kids(tree))] if tree is not None else []
    if len(pieces) > 1:
        if "/Dests" not in pdf.Root:
            pdf.Root.Dests = pikepdf.Dictionary()
        for raw in pieces[1:]:
            with pikepdf.open(io.BytesIO(raw)) as piece:
                groups.append(_append(pdf, piece))
    _tag_fonts(pdf)
    return pdf, groups
