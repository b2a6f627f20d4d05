"""Publishing charts: a numbered figure per Chart output, its files at stable URLs, its citation.

A chapter cell that displays a ``jinchang.figure.Chart`` emits the ``MIME`` payload;
myst-nb hands it to ``FigureRenderer`` (registered as a myst_nb.mime_renderers entry
point), which builds a numbered figure whose id is the chart's name: its title and subtitle
as HTML above the chart; the chart alone in its wide and narrow layouts, one ``<picture>``;
its sources and downloads; and its data as a table in a disclosure. The files are written
under ``figures/`` as the page is read (not kept in the environment, which every build loads
and saves: the images were 95% of its 15 MB), so their URLs never depend on a hash:
``<name>.svg``, ``.png`` and ``.csv`` (the wide chart with its title, subtitle and source, and
its data), ``<name>-narrow.svg`` and ``.png``, and the images the pages show, under
``figures/page/``.

Figure numbers exist only once every page is read, so what needs them is added when a
page is resolved for writing: a "Cite this figure" block under each figure, and the
``{figure-list}`` and ``{book-citation}`` directives of the Figures page (see
``jinchang.citation`` for the formats).
"""

from __future__ import annotations

import base64
import copy
import json
from html import escape
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util.docutils import SphinxDirective

from .. import chinese, citation
from ..chartfiles import MIME, PAGE
from ..labels import Labels, labels
from .claims import reference
from .edition import current

FOLDER = "figures"
FORMATS = ("svg", "png", "csv")
# Where the theme's column is narrower than the wide chart at 92% of its size (its smallest text
# would fall under 11 CSS px), the page shows the narrow layout: below 700 px, and from 1200 px,
# where the theme adds a second sidebar, to 1240 px. tests/test_browser.py checks the sizes.
NARROW_MEDIA = "(max-width: 699.98px), (min-width: 1200px) and (max-width: 1239.98px)"
FIGURES_DOC = "chapters/figures"
CITING = "citing"  # label of the Figures page's section on how to cite
THUMBNAIL_WIDTH = 240  # CSS pixels


class details(nodes.General, nodes.Element):
    """An HTML <details> disclosure (attribute ``open`` to show it unfolded)."""


class summary(nodes.TextElement):
    """The always-visible label of a ``details``."""


class chart_figure(nodes.figure):
    """A chart: its title and subtitle above it (``figcaption``), then the chart and its notes."""


class chart_subtitle(nodes.TextElement):
    """A chart's subtitle, the last element of its ``figcaption``."""


class html_element(nodes.General, nodes.Element):
    """Any HTML element: ``tag``, with ``attributes`` (for a table's cells, ``scope``)."""


class figure_list(nodes.General, nodes.Element):
    """Placeholder for every figure of the book, filled once figure numbers are known."""


class book_citation(nodes.General, nodes.Element):
    """Placeholder for the book's own citation."""


class figure_preview(nodes.General, nodes.Element):
    """Placeholder for a figure shown again on another page, filled once figure numbers are known."""


def visit_details(self, node):
    self.body.append(self.starttag(node, "details", **({"open": "open"} if node.get("open") else {})))


def depart_details(self, node):
    self.body.append("</details>\n")


def visit_summary(self, node):
    self.body.append(self.starttag(node, "summary", ""))


def depart_summary(self, node):
    self.body.append("</summary>\n")


def visit_chart_figure(self, node):
    self.body.append(self.starttag(node, "figure"))


def depart_chart_figure(self, node):
    self.body.append("</figure>\n")


def visit_chart_subtitle(self, node):
    self.body.append(self.starttag(node, "p", "", CLASS="figure-subtitle"))


def depart_chart_subtitle(self, node):
    # The caption before it opened the <figcaption> and left it open (docutils' html5 writer
    # closes it at the end of a figure, where it expects the caption).
    self.body.append("</p>\n</figcaption>\n")


def visit_html_element(self, node):
    self.body.append(self.starttag(node, node["tag"], "", **node.get("attributes", {})))


def depart_html_element(self, node):
    self.body.append(f"</{node['tag']}>\n")


def figures(env) -> dict[str, dict]:
    if not hasattr(env, "jinchang_figures"):
        env.jinchang_figures = {}
    return env.jinchang_figures


def _to_root(docname: str) -> str:
    return "../" * docname.count("/")


def figure_node(env, payload: dict) -> chart_figure:
    name, docname = payload["name"], env.docname
    known = figures(env).get(name)
    if known and known["docname"] != docname:
        raise ExtensionError(f"figure name {name!r} is used twice: in {known['docname']} and {docname}")
    write_files(env.app, payload)
    figures(env)[name] = {**{key: value for key, value in payload.items() if key != "images"}, "docname": docname}
    lang = current(env.app).code  # the words around the chart are the edition's
    root, words = _to_root(docname), labels("common", lang)
    described = f"{name}-description" if payload["description"] else None
    # A page's first chart loads at once: on a phone it may be in the first screen (the Chinese Clusters
    # chapter's map is), where a lazy image paints late. The others load as they near the screen.
    first = not env.temp_data.get("jinchang_chart_shown")  # temp_data: this page's, while it is read
    env.temp_data["jinchang_chart_shown"] = True
    sources = nodes.paragraph("", words["figure_sources"], classes=["figure-sources"])
    ids = payload["claims"] + payload["context"]
    for i, row_id in enumerate(ids):
        sources += reference(env, row_id, row_id, tip=True)
        sources += nodes.Text(words["list_separator"] if i < len(ids) - 1 else "")
    return chart_figure(
        "",
        nodes.caption(payload["title"], payload["title"]),
        chart_subtitle(payload["subtitle"], payload["subtitle"]),
        nodes.raw("", picture(root, payload, described, "eager" if first else "lazy"), format="html"),
        sources,
        downloads(root, name, lang),
        data_table(env, payload, described, lang),
        ids=[name], names=[name], classes=["jinchang-figure"],
    )


def picture(root: str, payload: dict, described: str | None, loading: str = "lazy") -> str:
    """The chart alone, in the layout that fits the screen, at its size in whole CSS pixels; loaded
    when it nears the screen, or at once (``loading="eager"``) where it may be in the first screen."""
    wide, narrow = payload["page"]["wide"], payload["page"]["narrow"]
    url = lambda image: f"{root}{FOLDER}/{escape(image['src'])}"  # noqa: E731
    description = f' aria-describedby="{described}"' if described else ""
    return (f'<picture><source media="{NARROW_MEDIA}" srcset="{url(narrow)}" '
            f'width="{narrow["width"]}" height="{narrow["height"]}">'
            f'<img src="{url(wide)}" alt="{escape(payload["alt"])}" width="{wide["width"]}" '
            f'height="{wide["height"]}" loading="{loading}" decoding="async"{description}></picture>')


def data_table(env, payload: dict, described: str | None, lang: str) -> details:
    """The chart's data in a disclosure: its long description, if any, and a table of the rows of
    its CSV, each with links to its sources."""
    table, words = payload["table"], labels("common", lang)
    cell = lambda tag, *children, **attributes: html_element("", *children, tag=tag, attributes=attributes)  # noqa: E731
    head = cell("tr", *(cell("th", nodes.Text(h), scope="col") for h in table["headings"]))
    body = []
    for row in table["rows"]:
        first, *rest = row["cells"]
        links = []
        for i, row_id in enumerate(row["ids"]):
            links += [nodes.Text(" ")] if i else []
            links.append(reference(env, row_id, row_id, tip=False))
        body.append(cell("tr", cell("th", nodes.Text(first), scope="row"), *(cell("td", nodes.Text(c)) for c in rest),
                         cell("td", *links)))
    node = details("", summary(words["data_summary"], words["data_summary"]), classes=["figure-data"])
    if described:
        node += nodes.paragraph(payload["description"], payload["description"], ids=[described],
                                classes=["figure-description"])
    node += nodes.container("", cell("table", cell("caption", nodes.Text(table["caption"])), cell("thead", head),
                                     cell("tbody", *body), classes=["figure-table"]), classes=["table-scroll"])
    return node


def downloads(root: str, name: str, lang: str) -> nodes.raw:
    words = labels("common", lang)
    links = " · ".join(f'<a href="{root}{FOLDER}/{escape(name)}.{ext}" download>{chinese.html(words["formats"][ext], lang)}</a>'
                       for ext in FORMATS)
    return nodes.raw("", f'<p class="figure-downloads">{escape(words["downloads"])}{links}</p>', format="html")


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
    """The book of the edition being built, in its language."""
    config = app.config
    return citation.book(title=config.html_title, author=config.author, copyright=config.copyright,
                         baseurl=config.html_baseurl, lang=current(app).code)


def sentence(words: Labels, key: str, **parts: str | nodes.Node) -> list[nodes.Node]:
    """The text ``key`` of ``words`` as nodes, its placeholders filled with text or nodes (links)."""
    return [part if isinstance(part, nodes.Node) else nodes.Text(part) for part in words.parts(key, **parts) if part != ""]


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
    lang, words = the_book.lang, labels("figures", the_book.lang)
    texts = citation.citations(the_book, work)
    node = details("", summary(label, label), classes=["citation"], open=unfolded)
    kev = citation.coins(citation.record(the_book, work))
    node += nodes.raw("", f'<span class="Z3988" title="{escape(kev)}"></span>', format="html")
    for name, language in citation.formats(lang).items():
        node += nodes.paragraph(name, name, classes=["citation-format"])
        node += nodes.literal_block(texts[name], texts[name], language=language)
    access = citation.access_date(lang)
    blanks = access if the_book.base_url else words("blanks", access=access, url=citation.book_url(lang))
    how = app.builder.get_relative_uri(docname, FIGURES_DOC) + f"#{CITING}"
    link = nodes.reference(words["how"], words["how"], refuri=how)
    node += nodes.paragraph("", "", *sentence(words, "replace", blanks=blanks, how=link), classes=["citation-note"])
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
    lang = current(app).code
    work, words = figure_work(app, payload), labels("figures", lang)
    label = citation.figure_label(work, lang)
    return nodes.list_item(
        "",
        nodes.raw("", thumbnail, format="html"),
        nodes.container(
            "",
            nodes.paragraph("", "", nodes.strong(label, label), nodes.Text(" "),
                            nodes.reference(payload["title"], payload["title"], refuri=f"{page}#{name}"),
                            classes=["figure-entry-title"]),
            nodes.paragraph("", "", *sentence(words, "in_chapter", chapter=nodes.reference(chapter, chapter, refuri=page))),
            downloads(root, name, lang),
            cite_block(app, work, docname, words["cite_figure"]),
            classes=["figure-entry-text"]),
        classes=["figure-entry"], ids=[f"entry-{name}"],
    )


class FigureList(SphinxDirective):
    """``{figure-list}``: every figure of the book, in order."""

    def run(self):
        return [figure_list()]


class FigurePreview(SphinxDirective):
    """``{figure-preview} fig-name``: a figure of another page shown again, as a link to it.

    The figure keeps its one number, anchor, downloads and citation where it is; the preview
    shows its image and its number and title, both linking there."""

    required_arguments = 1

    def run(self):
        previews(self.env).setdefault(self.env.docname, set()).add(self.arguments[0])
        return [figure_preview(name=self.arguments[0])]


def previews(env) -> dict[str, set[str]]:
    """Figure names shown as previews, by the page that shows them."""
    if not hasattr(env, "jinchang_previews"):
        env.jinchang_previews = {}
    return env.jinchang_previews


def preview(app: Sphinx, payload: dict, docname: str) -> nodes.container:
    """The figure's picture and its number and title, linking to the figure on its page."""
    name = payload["name"]
    href = escape(f"{app.builder.get_relative_uri(docname, payload['docname'])}#{name}")
    lang = current(app).code
    label = chinese.html(labels("citation", lang)("figure", number=number(app.env, payload)).strip(), lang)
    # A preview shows a highlight near the top of its page: on a phone it is the largest thing the first
    # screen paints, which a lazy image paints only once the page is laid out (the Chinese landing page's
    # at 4.1 s instead of 2.3 s, in Lighthouse's mobile run).
    html = (f'<a href="{href}">{picture(_to_root(docname), payload, None, loading="eager")}</a>'
            f'<p class="figure-preview-caption"><a href="{href}">{label}</a>{labels("figures", lang)["colon"]}'
            f'{chinese.html(payload["title"], lang)}</p>')
    return nodes.container("", nodes.raw("", html, format="html"), classes=["figure-preview"])


class BookCitation(SphinxDirective):
    """``{book-citation}``: the book's citation in the four formats."""

    def run(self):
        return [book_citation()]


def resolve(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Add what needs figure numbers: citations under figures, the figure list, the book's citation."""
    known, words = figures(app.env), labels("figures", current(app).code)
    for node in list(doctree.findall(nodes.figure)):
        name = node["ids"][0] if "jinchang-figure" in node["classes"] else None
        if name in known:
            block = cite_block(app, figure_work(app, known[name]), docname, words["cite_figure"])
            node.parent.insert(node.parent.index(node) + 1, block)
    for node in list(doctree.findall(figure_list)):
        entries = sorted(known.values(), key=lambda p: _order(app.env, p))
        node.replace_self(nodes.bullet_list("", *(list_entry(app, p, docname) for p in entries),
                                            classes=["figure-list"]))
    for node in list(doctree.findall(figure_preview)):
        if node["name"] not in known:
            raise ExtensionError(f"{docname}: figure-preview names {node['name']!r}, which no page shows")
        node.replace_self(preview(app, known[node["name"]], docname))
    for node in list(doctree.findall(book_citation)):
        node.replace_self(cite_block(app, citation.whole(book(app)), docname, words["cite_book"], unfolded=True))


def _listed(env) -> tuple:
    """All that the Figures page shows of other pages: their figures, titles and numbers. A page read
    again gets new figure records; its numbers are copied, as Sphinx may change them in place."""
    pages = sorted({p["docname"] for p in figures(env).values()})
    return dict(figures(env)), copy.deepcopy([(d, env.titles[d].astext() if d in env.titles else "",
                                               env.toc_secnumbers.get(d), env.toc_fignumbers.get(d)) for d in pages])


def note_figures(app: Sphinx, env, docnames: list[str]) -> None:
    app.jinchang_listed = _listed(env)


def rewrite_figures_page(app: Sphinx, env) -> list[str]:
    """The Figures page lists every figure of every page, and previews show figures of other pages:
    write those pages again when what they show changed."""
    if getattr(app, "jinchang_listed", None) == _listed(env):
        return []
    return sorted(d for d in {FIGURES_DOC, *previews(env)} if d in env.found_docs)


def write_files(app: Sphinx, payload: dict) -> None:
    """A figure's data and images, under ``figures/``."""
    if app.builder.format != "html":
        return
    folder, name = Path(app.outdir) / FOLDER, payload["name"]
    (folder / PAGE).mkdir(parents=True, exist_ok=True)
    # Bytes, not text: the CSV's hash is in the images' metadata, so no newline translation.
    (folder / f"{name}.csv").write_bytes(payload["csv"].encode())
    for path, content in sorted(payload["images"].items()):
        (folder / path).write_bytes(base64.b64decode(content) if path.endswith(".png") else content.encode())


def purge(app, env, docname):
    for name in [n for n, p in figures(env).items() if p["docname"] == docname]:
        del figures(env)[name]
    previews(env).pop(docname, None)


def merge(app, env, docnames, other):
    figures(env).update({n: p for n, p in figures(other).items() if p["docname"] in docnames})
    previews(env).update({d: names for d, names in previews(other).items() if d in docnames})


def setup(app: Sphinx) -> None:
    app.add_enumerable_node(chart_figure, "figure", html=(visit_chart_figure, depart_chart_figure))
    app.add_node(chart_subtitle, html=(visit_chart_subtitle, depart_chart_subtitle))
    app.add_node(html_element, html=(visit_html_element, depart_html_element))
    app.add_node(details, html=(visit_details, depart_details))
    app.add_node(summary, html=(visit_summary, depart_summary))
    app.add_node(figure_list)
    app.add_node(book_citation)
    app.add_node(figure_preview)
    app.add_directive("figure-list", FigureList)
    app.add_directive("book-citation", BookCitation)
    app.add_directive("figure-preview", FigurePreview)
    app.add_css_file("citation.css")
    app.connect("doctree-resolved", resolve)
    app.connect("env-before-read-docs", note_figures)
    app.connect("env-get-updated", rewrite_figures_page)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
