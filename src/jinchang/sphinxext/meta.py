"""Page metadata for search engines, reference managers and reusers, and the licences.

Every page gets a meta description (its ``description`` front-matter field, or else its
first paragraph), Highwire ``citation_*`` tags and Dublin Core ``DC.*`` tags; every
page's footer states the licences, and ``{licences}`` lists them in a page. Only what is
known is stated: no publication date beyond the copyright year, and a public URL only when
the book's address is configured (``html: baseurl`` or $JINCHANG_BASEURL, see
``jinchang.citation``); ``citation_pdf_url``, the book's PDF, is relative until then.
"""

from __future__ import annotations

from html import escape

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util.docutils import SphinxDirective

from .. import citation, pdf
from ..labels import labels
from . import figures
from .claims import tooltip
from .edition import current
from .figures import book, sentence

DESCRIPTION_LENGTH = 200  # characters; search engines show about this many
DUBLIN_CORE = "http://purl.org/dc/elements/1.1/"


def licences_text(lang: str = "en") -> str:
    words = labels("citation", lang)
    return (" ".join(words("licence", what=what, name=name) for what, name, _, _ in citation.licences(lang))
            + " " + citation.article_use(lang))


def _footer(lang: str = "en") -> str:
    words = labels("citation", lang)
    links = " ".join(words("licence", what=escape(what), name=f'<a href="{escape(url)}">{escape(name)}</a>')
                     for what, name, _, url in citation.licences(lang))
    return f"<p>{links} {escape(citation.article_use(lang))}</p>"


def configure(app: Sphinx, config: Config) -> None:
    """The published address may come from the environment; the footer states the licences."""
    config.html_baseurl = citation.base_url(config.html_baseurl)
    config.html_theme_options.setdefault("extra_footer", _footer(config.jinchang_edition))


class Licences(SphinxDirective):
    """``{licences}``: the licences of the code, the text and data, and the font, as a list."""

    def run(self):
        lang = current(self.env.app).code
        words, use = labels("citation", lang), citation.article_use(lang)
        items = [nodes.list_item("", nodes.paragraph("", "", *sentence(words, "licence", what=what,
                                                                       name=nodes.reference(name, name, refuri=url))))
                 for what, name, _, url in citation.licences(lang)]
        return [nodes.bullet_list("", *items), nodes.paragraph(use, use)]


def visible_text(paragraph: nodes.paragraph) -> str:
    """The paragraph's text as read on the page: without the hover texts of data references."""
    parts = []
    for text in paragraph.findall(nodes.Text):
        parent = text.parent
        while parent is not paragraph and not isinstance(parent, (tooltip, nodes.raw)):
            parent = parent.parent
        if parent is paragraph:
            parts.append(text.astext())
    return " ".join("".join(parts).split())


def _shorten(text: str) -> str:
    if len(text) <= DESCRIPTION_LENGTH:
        return text
    cut = text[:DESCRIPTION_LENGTH - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(",;:") + "…"


def description(app: Sphinx, pagename: str, doctree: nodes.document) -> str:
    """The page's ``description`` field, or its first paragraph of prose, or its title."""
    given = app.env.metadata.get(pagename, {}).get("description")
    if given:
        return " ".join(str(given).split())
    for paragraph in doctree.findall(nodes.paragraph):
        if isinstance(paragraph.parent, (nodes.section, nodes.document)) and (text := visible_text(paragraph)):
            return _shorten(text)
    return app.env.titles[pagename].astext()


def is_work(app: Sphinx, pagename: str) -> bool:
    """The landing page (the book) and the numbered chapters are works to cite; the appendices
    are parts of the book, not works of their own."""
    return pagename == app.config.root_doc or bool(app.env.toc_secnumbers.get(pagename, {}).get(""))


def tags(app: Sphinx, pagename: str, doctree: nodes.document) -> list[tuple[str, str]]:
    """(name, content) of the page's meta tags: Highwire ``citation_*`` tags (read by Google
    Scholar and Zotero) on works only, Dublin Core on every page."""
    the_book = book(app)
    title, words = app.env.titles[pagename].astext(), labels("citation", the_book.lang)
    summary = description(app, pagename, doctree)
    url = the_book.link(app.builder.get_target_uri(pagename))
    dated = the_book.year != "n.d."
    highwire = [
        ("citation_title", title),
        ("citation_author", the_book.author),  # the group author: the book names no persons
        *([("citation_publication_date", the_book.year)] if dated else []),
        *([("citation_inbook_title", the_book.title)] if pagename != app.config.root_doc else []),
        ("citation_language", current(app).tag),
        *([("citation_public_url", url)] if url else []),
        ("citation_pdf_url", the_book.link(pdf.FILENAME) or figures._to_root(pagename) + pdf.FILENAME),
    ]
    return [
        ("description", summary),
        *(highwire if is_work(app, pagename) else []),
        ("DC.title", title),
        ("DC.creator", the_book.author),
        *([("DC.date", the_book.year)] if dated else []),
        ("DC.description", summary),
        ("DC.type", "Text"),
        ("DC.format", "text/html"),
        ("DC.language", current(app).tag),
        ("DC.relation", words("relation", title=the_book.title, version=the_book.version)),
        ("DC.source", citation.original_source(the_book.lang)),
        ("DC.rights", licences_text(the_book.lang)),
        *([("DC.identifier", url)] if url else []),
    ]


def add_tags(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: nodes.document | None) -> None:
    if doctree is None or pagename not in app.env.all_docs:
        # generated pages (search, index) have no text of their own: describe what they do
        summary = context.get("jinchang_description") or labels("citation", book(app).lang)(
            "generated", page=context.get("title", pagename).capitalize(), book=book(app).title)
        context["metatags"] = context.get("metatags", "") + f'\n<meta name="description" content="{escape(summary)}" />\n'
        return
    lines = [f'<link rel="schema.DC" href="{DUBLIN_CORE}" />']
    lines += [f'<meta name="{escape(name)}" content="{escape(content)}" />' for name, content in tags(app, pagename, doctree)]
    context["metatags"] = context.get("metatags", "") + "\n" + "\n".join(lines) + "\n"


def setup(app: Sphinx) -> None:
    app.add_directive("licences", Licences)
    app.connect("config-inited", configure)
    app.connect("html-page-context", add_tags)
