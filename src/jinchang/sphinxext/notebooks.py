"""Notebooks for any Jupyter: each chapter's executed notebook, its Markdown as the book shows it.

A chapter's Markdown cells hold MyST (``{claim}`id```, directives, targets) that only the
book's build understands. The notebook offered for download carries instead the Markdown of
the page as built: each number as the book shows it, linked to its row on the Claims or
Sources page with its quote as the link's title, quotes as block quotes, references as links.
Each Markdown cell is rendered from the part of the resolved page that came from it, found by
source line. A first cell says how to get the package and its data (the book's wheel), so the
notebook runs in any folder, in the edition's language (labels: ``notebooks``).
"""

from __future__ import annotations

import bisect
import posixpath
import re

import nbformat
from docutils import nodes
from sphinx.application import Sphinx

from .. import citation, wheel
from ..labels import labels
from . import claims, figures, kits

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>$|])")
SKIPPED = (nodes.target, nodes.comment, nodes.substitution_definition, nodes.system_message, claims.tooltip)


def _escape(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


class Markdown:
    """docutils nodes of a resolved page -> CommonMark, with the page's links made absolute."""

    def __init__(self, app: Sphinx, docname: str, b: citation.Book):
        self.app, self.docname, self.book = app, docname, b
        self.page = app.builder.get_target_uri(docname)

    def url(self, uri: str) -> str:
        """A link of the page as an absolute address (or ``[book URL]/...`` when it is not known)."""
        if re.match(r"^[a-z][a-z0-9+.-]*:", uri):
            return uri
        if uri.startswith("#"):
            return self.book.url(self.page + uri)
        return self.book.url(posixpath.normpath(posixpath.join(posixpath.dirname(self.page), uri)))

    def link(self, text: str, uri: str, title: str = "") -> str:
        title = ' "' + title.replace("\\", "\\\\").replace('"', '\\"') + '"' if title else ""
        return f"[{text}](<{self.url(uri)}>{title})"

    def inline(self, node: nodes.Node) -> str:
        if isinstance(node, nodes.Text):
            return _escape(" ".join(str(node).split("\n")))
        if isinstance(node, SKIPPED):
            return ""
        inner = "".join(self.inline(child) for child in node.children)
        if isinstance(node, claims.data_ref):
            uri = self.app.builder.get_relative_uri(self.docname, node["target_doc"]) + f"#{claims.anchor(node['row_id'])}"
            tip = next(iter(node.findall(claims.tooltip)), None)
            return self.link(inner, uri, " ".join(tip.astext().split()) if tip else "")
        if isinstance(node, nodes.reference):
            return self.link(inner, node.get("refuri") or f"#{node.get('refid', '')}")
        if isinstance(node, nodes.emphasis):
            return f"*{inner}*"
        if isinstance(node, nodes.strong):
            return f"**{inner}**"
        if isinstance(node, nodes.literal):
            return f"`{node.astext()}`"
        if isinstance(node, nodes.raw):
            return node.astext() if node.get("format") == "html" else ""
        return inner

    def block(self, node: nodes.Node) -> str:
        if isinstance(node, SKIPPED):
            return ""
        if isinstance(node, (nodes.paragraph, nodes.title, nodes.caption)):
            return self.inline(node).strip()
        if isinstance(node, nodes.attribution):
            return "— " + self.inline(node).strip()
        if isinstance(node, nodes.block_quote):
            return "\n".join(f"> {line}".rstrip() for line in self.blocks(node).split("\n"))
        if isinstance(node, (nodes.bullet_list, nodes.enumerated_list)):
            marker = "1." if isinstance(node, nodes.enumerated_list) else "-"
            return "\n".join(f"{marker} " + self.blocks(item).replace("\n", "\n" + " " * (len(marker) + 1))
                             for item in node.children)
        if isinstance(node, nodes.literal_block):
            return f"```{node.get('language', '')}\n{node.astext()}\n```"
        if isinstance(node, nodes.raw):
            return node.astext() if node.get("format") == "html" else ""
        if isinstance(node, nodes.citation):  # a bibliography entry: its label and its first paragraph
            # (resolving a page again makes sphinxcontrib-bibtex append both a second time)
            return f"\\[{node.next_node(nodes.label).astext()}\\] " + self.block(node.next_node(nodes.paragraph))
        if isinstance(node, nodes.Element) and node.children and not isinstance(node, nodes.TextElement):
            return self.blocks(node)
        return self.inline(node).strip()

    def blocks(self, node: nodes.Node) -> str:
        return "\n\n".join(text for child in node.children if (text := self.block(child)))


def _sections(node: nodes.Element, depth: int = 1):
    """(source line, block node or heading, depth) of a page in reading order, code cells left out."""
    for child in node.children:
        if isinstance(child, nodes.title):
            continue  # yielded as the section's heading
        if isinstance(child, nodes.section):
            yield child[0].line, child[0], depth
            yield from _sections(child, depth + 1)
        elif not (isinstance(child, nodes.Element) and child.get("nb_element") == "cell_code"):
            yield child.line, child, 0


def first_cell(app: Sphinx, docname: str) -> nbformat.NotebookNode:
    b = figures.book(app)
    words = labels("notebooks", b.lang)
    title = app.env.titles[docname].astext()
    install = b.url(f"{kits.DOWNLOADS}/{wheel.FILE_NAME}")
    return nbformat.v4.new_markdown_cell("\n\n".join([
        words("intro", book=b.title, version=b.version, title=_escape(title),
              url=b.url(app.builder.get_target_uri(docname))),
        words["install"], f"```\n%pip install {install}\n```", words["clone"],
    ]))


def for_jupyter(app: Sphinx, docname: str, doctree: nodes.document, notebook: nbformat.NotebookNode,
                starts: list[int]) -> nbformat.NotebookNode:
    """``notebook`` (executed; ``starts`` the source line of each cell, from 0) with plain Markdown
    cells rendered from the page's resolved ``doctree``, and the first cell that says how to run it."""
    markdown = Markdown(app, docname, figures.book(app))
    texts: dict[int, list[str]] = {}
    line = 1
    for node_line, node, depth in _sections(doctree):
        line = node_line or line
        cell = bisect.bisect_right(starts, line - 1) - 1
        while cell > 0 and notebook.cells[cell].cell_type != "markdown":
            cell -= 1
        text = "#" * depth + " " + markdown.inline(node).strip() if depth else markdown.block(node)
        if text:
            texts.setdefault(cell, []).append(text)
    cells = [first_cell(app, docname)]
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "markdown":
            if index not in texts:
                continue  # only MyST targets, nothing a reader sees
            cell.source = "\n\n".join(texts[index])
        cells.append(cell)
    notebook.cells = cells
    return notebook
