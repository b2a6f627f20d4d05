"""The tables of data as cards (jinchang.sphinxext.tables), rendered by docutils' HTML writer: no build needed."""

from __future__ import annotations

from bs4 import BeautifulSoup
from docutils import nodes
from docutils.core import publish_from_doctree
from docutils.frontend import get_default_settings
from docutils.utils import new_document
from docutils.writers.html5_polyglot import Writer

from jinchang.sphinxext import tables


def rendered(headers: list[str], *cells: tuple[nodes.Node, ...]) -> list[BeautifulSoup]:
    """The cells of a one-row table of ``headers``, each made of the nodes given for it, as HTML."""
    document = new_document("<table>", get_default_settings(Writer))
    row = nodes.row("", *(tables._cell(*children) for children in cells))
    document += tables._table(headers, [row])
    for placeholder in list(document.findall(tables.used_in)):  # as fill_used_in does for a row no page uses
        placeholder.replace_self(nodes.Text("—"))
    return BeautifulSoup(publish_from_doctree(document, writer=Writer()), "html.parser").select("tbody td")


def test_an_empty_cell_has_no_card_label_and_renders_empty():
    """A card shows no label over nothing: the cell stays empty, and the cards' CSS leaves an empty cell out."""
    row_id, grade, note, placeholder, later = rendered(
        ["Id", "Reliability", "Note", "Used in", "Note"],
        (nodes.literal("ctx-1", "ctx-1"),), (nodes.Text("high"),), (nodes.Text(""),),
        (tables.used_in(row_id="ctx-1"),),  # empty until every page is read, then filled: labelled
        (nodes.Text(""), nodes.Text(" The book's note.")))
    assert row_id.select_one(".card-label") is None  # the first cell heads the card
    assert grade.select_one(".card-label").get_text() == "Reliability"
    assert note.select_one(".card-label") is None and note.decode_contents() == ""
    assert placeholder.select_one(".card-label").get_text() == "Used in"
    assert later.select_one(".card-label").get_text() == "Note" and "The book's note." in later.get_text()
