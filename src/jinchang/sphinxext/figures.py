"""Publishing charts: a numbered figure per Chart output, its files at stable URLs, its citation.

A chapter cell that displays a ``jinchang.figure.Chart`` emits the ``MIME`` payload;
myst-nb hands it to ``FigureRenderer`` (registered as a myst_nb.mime_renderers entry
point), which builds a docutils figure whose id is the chart's name. The image, PNG and
CSV are kept in the environment and written to ``figures/<name>.{svg,png,csv}`` when the
build finishes, so their URLs never depend on a hash.

Figure numbers exist only once every page is read, so what needs them is added when a
page is resolved for writing: a "Cite this figure" block under each figure, and the
``{figure-list}`` and ``{book-citation}`` directives of the Figures page (see
``jinchang.citation`` for the formats).
"""

from __future__ import annotations

import base64
import json
from html import escape
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util.docutils import SphinxDirective

from .. import citation
from ..figure import MIME
from .claims import reference

FOLDER = "figures"
FORMATS = (("svg", "SVG"), ("png", "PNG, print resolution"), ("csv", "data, CSV"))
FIGURES_DOC = "chapters/figures"
CITING = "citing"  # label of the Figures page's section on how to cite
THUMBNAIL_WIDTH = 240  # CSS pixels


class details(nodes.General, nodes.Element):
    """An HTML <details> disclosure (attribute ``open`` to show it unfolded)."""


class summary(nodes.TextElement):
    """The always-visible label of a ``details``."""


class figure_list(nodes.General, nodes.Element):
    """Placeholder for every figure of the book, filled once figure numbers are known."""


class book_citation(nodes.General, nodes.Element):
    """Placeholder for the book's own citation."""


def visit_details(self, node):
    self.body.append(self.starttag(node, "details", **({"open": "open"} if node.get("open") else {})))


def depart_details(self, node):
    self.body.append("</details>\n")


def visit_summary(self, node):
    self.body.append(self.starttag(node, "summary", ""))


def depart_summary(self, node):
    self.body.append("</summary>\n")


def figures(env) -> dict[str, dict]:
    if not hasattr(env, "jinchang_figures"):
        env.jinchang_figures = {}
    return env.jinchang_figures


def _to_root(docname: str) -> str:
    return "../" * docname.count("/")


def figure_node(env, payload: dict) -> nodes.figure:
    name, docname = payload["name"], env.docname
    known = figures(env).get(name)
    if known and known["docname"] != docname:
        raise ExtensionError(f"figure name {name!r} is used twice: in {known['docname']} and {docname}")
    figures(env)[name] = {**payload, "docname": docname}
    root = _to_root(docname)
    image = (f'<img src="{root}{FOLDER}/{escape(name)}.svg" alt="{escape(payload["alt"])}" '
             f'width="{payload["width"]}" height="{payload["height"]}" loading="lazy" decoding="async">')
    source = nodes.paragraph("", "Sources: ", classes=["figure-sources"])
    ids = payload["claims"] + payload["context"]
    for i, row_id in enumerate(ids):
        source += reference(env, row_id, row_id, tip=True)
        source += nodes.Text(", " if i < len(ids) - 1 else ".")
    node = nodes.figure(
        "",
        nodes.raw("", image, format="html"),
        nodes.caption(payload["title"], payload["title"]),
        nodes.legend(
            "",
            nodes.paragraph(payload["subtitle"], payload["subtitle"], classes=["figure-subtitle"]),
            source,
            downloads(root, name),
        ),
        ids=[name], names=[name], classes=["jinchang-figure"],
    )
    return node


def downloads(root: str, name: str) -> nodes.raw:
    links = " · ".join(f'<a href="{root}{FOLDER}/{escape(name)}.{ext}" download>{label}</a>' for ext, label in FORMATS)
    return nodes.raw("", f'<p class="figure-downloads">Download: {links}</p>', format="html")


class FigureRenderer:
    """myst-nb MIME renderer for Chart payloads (see the module docstring)."""

    mime_priority_overrides = [("*", MIME, 1)]

    @staticmethod
    def handle_mime(renderer, data, inline):
        if data.mime_type != MIME or inline:
            return None
        payload = data.content if isinstance(data.content, dict) else json.loads(data.string)
        node = figure_node(renderer.renderer.sphinx_env, payload)
        renderer.renderer.document.note_explicit_target(node, node)
        return [node]


def book(app: Sphinx) -> citation.Book:
    config = app.config
    return citation.book(title=config.html_title, author=config.author, copyright=config.copyright,
                         baseurl=config.html_baseurl)


def _numbers(env, payload: dict) -> tuple[int, ...] | None:
    return env.toc_fignumbers.get(payload["docname"], {}).get("figure", {}).get(payload["name"])


def number(env, payload: dict) -> str:
    """The figure's number as Sphinx assigned it ("1.3"), or "" if its page is not numbered."""
    return ".".join(map(str, _numbers(env, payload) or ()))


def figure_work(app: Sphinx, payload: dict) -> citation.Work:
    page = app.builder.get_target_uri(payload["docname"])
    return citation.figure(payload["name"], payload["title"], page, number(app.env, payload))


def cite_block(app: Sphinx, work: citation.Work, docname: str, label: str, *, unfolded: bool = False) -> details:
    """``<details>`` with every format, each a code block (sphinx-copybutton gives it a copy button),
    and the record as COinS for Zotero."""
    the_book = book(app)
    texts = citation.citations(the_book, work)
    node = details("", summary(label, label), classes=["citation"], open=unfolded)
    kev = citation.coins(citation.record(the_book, work))
    node += nodes.raw("", f'<span class="Z3988" title="{escape(kev)}"></span>', format="html")
    for name, language in citation.FORMATS.items():
        node += nodes.paragraph(name, name, classes=["citation-format"])
        node += nodes.literal_block(texts[name], texts[name], language=language)
    blanks = citation.ACCESS_DATE if the_book.base_url else f"{citation.ACCESS_DATE} and {citation.BOOK_URL}"
    how = app.builder.get_relative_uri(docname, FIGURES_DOC) + f"#{CITING}"
    node += nodes.paragraph("", f"Replace {blanks} as explained in ",
                            nodes.reference("how to cite", "how to cite", refuri=how), nodes.Text("."),
                            classes=["citation-note"])
    return node


def _order(env, payload: dict) -> tuple:
    numbers = _numbers(env, payload)
    return (numbers is None, numbers or (), payload["docname"], payload["name"])


def list_entry(app: Sphinx, payload: dict, docname: str) -> nodes.list_item:
    """One figure on the Figures page: thumbnail, number and title, chapter, downloads, citation."""
    name, root = payload["name"], _to_root(docname)
    height = round(THUMBNAIL_WIDTH * payload["height"] / payload["width"])
    thumbnail = (f'<img class="figure-thumbnail" src="{root}{FOLDER}/{escape(name)}.svg" '
                 f'alt="{escape(payload["alt"])}" width="{THUMBNAIL_WIDTH}" height="{height}" '
                 'loading="lazy" decoding="async">')
    page = app.builder.get_relative_uri(docname, payload["docname"])
    chapter = app.env.titles[payload["docname"]].astext()
    label = f"Figure {number(app.env, payload)}".strip()
    work = figure_work(app, payload)
    return nodes.list_item(
        "",
        nodes.raw("", thumbnail, format="html"),
        nodes.container(
            "",
            nodes.paragraph("", "", nodes.strong(label, label), nodes.Text(" "),
                            nodes.reference(payload["title"], payload["title"], refuri=f"{page}#{name}"),
                            classes=["figure-entry-title"]),
            nodes.paragraph("", "In ", nodes.reference(chapter, chapter, refuri=page), nodes.Text(".")),
            downloads(root, name),
            cite_block(app, work, docname, "Cite this figure"),
            classes=["figure-entry-text"]),
        classes=["figure-entry"], ids=[f"entry-{name}"],
    )


class FigureList(SphinxDirective):
    """``{figure-list}``: every figure of the book, in order."""

    def run(self):
        return [figure_list()]


class BookCitation(SphinxDirective):
    """``{book-citation}``: the book's citation in the four formats."""

    def run(self):
        return [book_citation()]


def resolve(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Add what needs figure numbers: citations under figures, the figure list, the book's citation."""
    known = figures(app.env)
    for node in list(doctree.findall(nodes.figure)):
        name = node["ids"][0] if "jinchang-figure" in node["classes"] else None
        if name in known:
            block = cite_block(app, figure_work(app, known[name]), docname, "Cite this figure")
            node.parent.insert(node.parent.index(node) + 1, block)
    for node in list(doctree.findall(figure_list)):
        entries = sorted(known.values(), key=lambda p: _order(app.env, p))
        node.replace_self(nodes.bullet_list("", *(list_entry(app, p, docname) for p in entries),
                                            classes=["figure-list"]))
    for node in list(doctree.findall(book_citation)):
        node.replace_self(cite_block(app, citation.whole(book(app)), docname, "Cite this book", unfolded=True))


def rewrite_figures_page(app: Sphinx, env) -> list[str]:
    """The Figures page lists every figure of every page: write it again on every build."""
    return [FIGURES_DOC] if FIGURES_DOC in env.found_docs else []


def write_files(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    folder = Path(app.outdir) / FOLDER
    folder.mkdir(exist_ok=True)
    for name, payload in sorted(figures(app.env).items()):
        # Bytes, not text: the CSV's hash is in the images' metadata, so no newline translation.
        (folder / f"{name}.svg").write_bytes(payload["svg"].encode())
        (folder / f"{name}.png").write_bytes(base64.b64decode(payload["png"]))
        (folder / f"{name}.csv").write_bytes(payload["csv"].encode())


def purge(app, env, docname):
    for name in [n for n, p in figures(env).items() if p["docname"] == docname]:
        del figures(env)[name]


def merge(app, env, docnames, other):
    figures(env).update({n: p for n, p in figures(other).items() if p["docname"] in docnames})


def setup(app: Sphinx) -> None:
    app.add_node(details, html=(visit_details, depart_details))
    app.add_node(summary, html=(visit_summary, depart_summary))
    app.add_node(figure_list)
    app.add_node(book_citation)
    app.add_directive("figure-list", FigureList)
    app.add_directive("book-citation", BookCitation)
    app.add_css_file("citation.css")
    app.connect("doctree-resolved", resolve)
    app.connect("env-get-updated", rewrite_figures_page)
    app.connect("build-finished", write_files)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
