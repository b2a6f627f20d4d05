"""Chromium's PDF made a book: bookmarks, metadata, and the same bytes from the same commit.

- The bookmarks (outline) are the table of contents, part by part, each pointing where
  Chromium put the entry's destination.
- Title, author, subject, keywords and language go in the document information and in XMP;
  the catalog says the title is shown instead of the file name and the outline opens first.
- Dates are the commit's (see :func:`jinchang.pdf.source_date`), or absent when it is not
  known. Chromium names the structure elements that table cells refer to after its DOM node
  ids, which vary from run to run: they are renamed in the order of the file. Chromium gives a
  link that runs through a change of font (Chinese, then English) one active area or one per
  font, from run to run: the pieces are joined, and the objects numbered in the order of the
  document, not of Chromium's file. The document ID is computed from the content (qpdf's
  deterministic ID), so the same input gives the same file.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from pikepdf import Name, OutlineItem

from . import PrintError
from .document import Entry, Part
from .merge import join, kids


@dataclass(frozen=True)
class Metadata:
    title: str
    author: str
    language: str  # BCP 47
    subject: str
    keywords: tuple[str, ...]
    date: dt.datetime | None  # the commit's, in UTC


def _item(pdf: pikepdf.Pdf, title: str, target: str, children: list[Entry]) -> OutlineItem:
    dests = pdf.Root.Dests
    name = Name("/" + target)
    if name not in dests:
        raise PrintError(f"no destination in the PDF for the contents entry {title!r} (#{target})")
    item = OutlineItem(title, pikepdf.Array(dests[name]))
    item.children.extend(_item(pdf, _label(c), c.target, c.children) for c in children)
    return item


def _label(entry: Entry) -> str:
    return f"{entry.number} {entry.title}" if entry.number else entry.title


def outline(pdf: pikepdf.Pdf, parts: list[Part]) -> None:
    """The table of contents as bookmarks: a part is a bookmark holding its pages' titles."""
    with pdf.open_outline() as tree:
        tree.root.clear()
        for part in parts:
            items = [_item(pdf, _label(e), e.target, e.children) for e in part.entries]
            if part.caption:
                group = OutlineItem(part.caption, pikepdf.Array(pdf.Root.Dests[Name("/" + part.entries[0].target)]))
                group.children.extend(items)
                tree.root.append(group)
            else:
                tree.root.extend(items)


def describe(pdf: pikepdf.Pdf, meta: Metadata) -> None:
    """Document information and XMP, in step; the catalog's language and viewer preferences."""
    with pdf.open_metadata(set_pikepdf_as_editor=False) as xmp:
        xmp.load_from_docinfo(pdf.docinfo)  # Chromium's creator and producer
        xmp["dc:title"] = meta.title
        xmp["dc:creator"] = [meta.author]
        xmp["dc:language"] = [meta.language]
        xmp["dc:description"] = meta.subject
        xmp["dc:subject"] = list(meta.keywords)
        xmp["pdf:Keywords"] = "; ".join(meta.keywords)
        for key in ("xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate"):
            if meta.date is None:
                if key in xmp:
                    del xmp[key]
            else:
                xmp[key] = meta.date.isoformat()
    pdf.Root.Lang = pikepdf.String(meta.language)
    pdf.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
    pdf.Root.PageMode = Name.UseOutlines


def _attributes(element: pikepdf.Dictionary) -> list[pikepdf.Dictionary]:
    found = element.get("/A")
    return [] if found is None else list(found) if isinstance(found, pikepdf.Array) else [found]


# The structure types of PDF 1.7 (ISO 32000-1, 14.8.4), which Chromium's PDF 1.5 declares itself as.
STANDARD = {f"/{name}" for name in (
    "Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private P H H1 H2 H3 H4 H5 H6 "
    "L LI Lbl LBody Table TR TH TD THead TBody TFoot Span Quote Note Reference BibEntry Code Link Annot "
    "Ruby RB RT RP Warichu WT WP Figure Formula Form").split()}
# Types Chromium writes from PDF 2.0 (<strong>, <em>), mapped to the standard type a reader falls back to.
ROLES = {"/Strong": "/Span", "/Em": "/Span"}


def role_map(tree: pikepdf.Dictionary, elements: list[pikepdf.Dictionary]) -> None:
    """Map each structure type outside PDF 1.7's standard ones to a standard type, as the standard asks:
    a reader or checker of tags otherwise meets a type it does not know."""
    used = {str(e.S) for e in elements} - STANDARD
    if unknown := used - ROLES.keys():
        raise PrintError(f"Chromium tagged the PDF with structure types that have no standard role: {sorted(unknown)}")
    if used:
        tree.RoleMap = pikepdf.Dictionary({kind: Name(ROLES[kind]) for kind in sorted(used)})


def _alt(element: pikepdf.Dictionary) -> str:
    return str(element.get("/Alt", "")).strip()


def group_figures(elements: list[pikepdf.Dictionary]) -> None:
    """Chromium tags an HTML <figure> as a Figure holding its image's Figure, its caption and its notes:
    a Figure without alternative text, which checkers of accessible PDF reject. It is a group, a Div;
    the image's Figure inside has the alternative text. Any other Figure without it fails."""
    for element in elements:
        if element.S != "/Figure" or _alt(element):
            continue
        if not any(kid.S == "/Figure" and _alt(kid) for kid in kids(element)):
            raise PrintError("Chromium tagged a figure without alternative text (an image without alt?), holding "
                             f"{[str(kid.S) for kid in kids(element)] or 'no other tag'}")
        element.S = Name.Div


def stable_ids(tree: pikepdf.Dictionary, pieces: list[list[pikepdf.Dictionary]]) -> None:
    """Rename the structure elements' IDs (and the table headers that name them) in the document's
    order, piece by piece (see :mod:`.merge`): two pieces printed apart may use the same ID."""
    if "/IDTree" not in tree:
        return
    named_all: list[pikepdf.Dictionary] = []
    for elements in pieces:
        named = [e for e in elements if "/ID" in e]
        renamed = {str(e.ID): f"e{len(named_all) + number:06d}" for number, e in enumerate(named)}
        for element in named:
            element.ID = pikepdf.String(renamed[str(element.ID)])
        for element in elements:
            for attributes in _attributes(element):
                if "/Headers" in attributes:
                    attributes.Headers = pikepdf.Array([pikepdf.String(renamed[str(h)]) for h in attributes.Headers])
        named_all.extend(named)
    tree.IDTree = pikepdf.Dictionary(Names=pikepdf.Array(
        [item for e in named_all for item in (pikepdf.String(str(e.ID)), e)]))


def _touching(left: pikepdf.Dictionary, right: pikepdf.Dictionary) -> bool:
    """Whether ``right`` goes on from ``left`` on the same line (the same top and bottom)."""
    (x0, y0, x1, y1), (u0, v0, u1, v1) = ([float(n) for n in a.Rect] for a in (left, right))
    return abs(y0 - v0) < 0.01 and abs(y1 - v1) < 0.01 and abs(x1 - u0) < 0.01


def _parent(parents: dict, annotation: pikepdf.Dictionary) -> tuple | None:
    key = annotation.get("/StructParent")
    return None if key is None else parents[int(key)].objgen


def join_links(pdf: pikepdf.Pdf) -> None:
    """Join the pieces of a link's active area that follow each other on a line into one annotation,
    and number the structure tree's parent keys again without the pieces' (in the same order)."""
    tree = pdf.Root.get("/StructTreeRoot")
    parents = {} if tree is None else dict(pikepdf.NumberTree(tree.ParentTree).items())
    dropped = set()
    for page in pdf.pages:
        kept = []
        for annotation in page.get("/Annots", []):
            last = kept[-1] if kept else None
            if (last is not None and annotation.get("/Subtype") == last.get("/Subtype") == Name.Link
                    and repr(annotation.get("/Dest")) == repr(last.get("/Dest"))
                    and repr(annotation.get("/A")) == repr(last.get("/A"))
                    and _parent(parents, annotation) == _parent(parents, last)
                    and _touching(last, annotation)):
                last.Rect = pikepdf.Array([*last.Rect[:2], annotation.Rect[2], last.Rect[3]])
                if "/StructParent" in annotation:
                    key = int(annotation.StructParent)
                    element = parents[key]
                    element.K = pikepdf.Array([k for k in element.K if not (
                        isinstance(k, pikepdf.Dictionary) and k.get("/Obj") is not None and k.Obj.objgen == annotation.objgen)])
                    dropped.add(key)
            else:
                kept.append(annotation)
        if len(kept) != len(page.get("/Annots", [])):
            page.Annots = pikepdf.Array(kept)
    if not dropped:
        return
    renumbered = {old: new for new, old in enumerate(k for k in sorted(parents) if k not in dropped)}
    for page in pdf.pages:
        if "/StructParents" in page:
            page.StructParents = renumbered[int(page.StructParents)]
        for annotation in page.get("/Annots", []):
            if "/StructParent" in annotation:
                annotation.StructParent = renumbered[int(annotation.StructParent)]
    tree.ParentTree.Nums = pikepdf.Array([item for old, new in renumbered.items() for item in (new, parents[old])])
    tree.ParentTreeNextKey = len(renumbered)


def _without_id(pdf: pikepdf.Pdf) -> pikepdf.Pdf:
    if "/ID" in pdf.trailer:  # Chromium's is random, and qpdf keeps the first half of an ID it is given
        del pdf.trailer["/ID"]
    return pdf


def finish(pieces: list[bytes], parts: list[Part], meta: Metadata, out: Path, fonts: list[Path]) -> None:
    """Write the PDFs of a document's ``pieces`` (from Chromium, see :mod:`.merge`) to ``out`` as one,
    with bookmarks and metadata, reproducibly; ``fonts``: the TrueType files the document uses, each
    named after its PostScript name."""
    ordered = io.BytesIO()
    pdf, elements = join(pieces, {font.stem: font.read_bytes() for font in fonts})
    with pdf:
        if (tree := pdf.Root.get("/StructTreeRoot")) is not None:
            every = [element for piece in elements for element in piece]
            role_map(tree, every)
            group_figures(every)
            stable_ids(tree, elements)
        join_links(pdf)
        outline(pdf, parts)
        describe(pdf, meta)
        # Objects numbered in the order of the document: qpdf fills the object streams in the order
        # of the numbers it reads, and Chromium's numbers vary with the pieces it made of links.
        _without_id(pdf).save(ordered, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    with pikepdf.open(ordered) as pdf:
        _without_id(pdf).save(out, deterministic_id=True, compress_streams=True,
                              object_stream_mode=pikepdf.ObjectStreamMode.generate)
