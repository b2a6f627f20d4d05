"""Chromium's PDF made a book: bookmarks, metadata, and the same bytes from the same commit.

- The bookmarks (outline) are the table of contents, part by part, each pointing where
  Chromium put the entry's destination.
- Title, author, subject, keywords and language go in the document information and in XMP;
  the catalog says the title is shown instead of the file name and the outline opens first.
- Dates are the commit's (see :func:`jinchang.pdf.source_date`), or absent when it is not
  known. Chromium names the structure elements that table cells refer to after its DOM node
  ids, which vary from run to run: they are renamed in the order of the file. The document ID
  is computed from the content (qpdf's deterministic ID), so the same input gives the same file.
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


def stable_ids(pdf: pikepdf.Pdf) -> None:
    """Rename the structure elements' IDs (and the table headers that name them) in file order."""
    tree = pdf.Root.get("/StructTreeRoot")
    if tree is None or "/IDTree" not in tree:
        return
    elements = [o for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/StructElem"]
    named = [e for e in elements if "/ID" in e]
    renamed = {str(e.ID): f"e{number:06d}" for number, e in enumerate(named)}
    for element in named:
        element.ID = pikepdf.String(renamed[str(element.ID)])
    for element in elements:
        for attributes in _attributes(element):
            if "/Headers" in attributes:
                attributes.Headers = pikepdf.Array([pikepdf.String(renamed[str(h)]) for h in attributes.Headers])
    tree.IDTree = pikepdf.Dictionary(Names=pikepdf.Array(
        [item for e in named for item in (pikepdf.String(str(e.ID)), e)]))


def finish(raw: bytes, parts: list[Part], meta: Metadata, out: Path) -> None:
    """Write ``raw`` (from Chromium) to ``out`` with bookmarks and metadata, reproducibly."""
    with pikepdf.open(io.BytesIO(raw)) as pdf:
        stable_ids(pdf)
        outline(pdf, parts)
        describe(pdf, meta)
        if "/ID" in pdf.trailer:  # Chromium's is random, and qpdf keeps the first half of an ID it is given
            del pdf.trailer["/ID"]
        pdf.save(out, deterministic_id=True, compress_streams=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.generate)
