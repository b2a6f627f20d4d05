"""The print document: the whole edition as one HTML file, made from its built site.

The pages are those of the site's navigation, in its order and with its parts; each keeps its
article as Sphinx wrote it, so chapter, section and figure numbers are the HTML's own. What
only works on a screen goes: code cells, closed disclosures (code, per-figure citations), the
narrow layout of charts, download and reuse links, heading permalinks, thumbnails, the labels
of table cells read as cards on phones. A chart's data table is printed open, after its figure.
What hover shows on screen goes on paper: each number from data and each glossary term (a
``data-ref`` with its tooltip) gets a note at the end of its page with the tooltip (the Chinese
quote and its translation; the term and its note) and the row's id, linked to its row in the
Claims, Sources or Glossary appendix. Ids are made unique across the book (a page's own ids
stay as they are unless another page uses them too, so figure and claim anchors keep their
names), and links between pages become links inside the document. Links to other files of the
site point to the published address when it is known, and are plain text otherwise.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from functools import partial
from html import escape
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
from lxml.html import HtmlElement

from .. import paths
from . import PrintError
from .fonts import FAMILY
from .hatching import vector_hatching
from ..labels import Labels

STYLESHEET = Path(__file__).with_name("book.css")
INDEX = "index.html"
# Only useful on a screen (see the module docstring); ``d-print-none`` is the theme's (Bootstrap's)
# class for what print leaves out. A figure's preview on another page (the landing page's map) would
# print the figure twice, under one number.
SCREEN_ONLY = ("script", "button", ".d-print-none", ".headerlink", ".cell_input", "details:not([open])",
               ".figure-downloads", ".figure-reuse", ".figure-thumbnail", ".card-label", ".figure-preview")
NOTED = ("claim", "term")  # classes of a data-ref whose row id has the class as prefix; else a source row
HEADINGS = ("h1", "h2", "h3")  # what the table of contents and the bookmarks list
WIDE = 6  # columns: a page with a table this wide is printed in landscape
NUMBER = re.compile(r"\s+")
# Links to another part of the book in the running text (and in a page's note on citing it), each
# note's link to its row, each check's links to its claims and sources, and the links to a row that
# get no note (a quote's, and its attribution's): in print, the page they lead to follows them.
CROSS_REFERENCES = ", ".join(f"{selector}[href^='#']" for selector in (
    "section > p > a.reference.internal", "li > p > a.reference.internal", "p.citation-note > a", "a.note-row",
    "section.fact-check-item dd > a", "section > p > a.unnoted", "p.attribution > a.unnoted"))
# What that page follows, after the link: the quotes that close a quoted title (not an apostrophe,
# "Claims’s"), and a word that says what the title names ("the Parks chapter (p. 17)", “事实核查”章（第36页）,
# “如何引用”一节（第71页）).
TITLE_END = re.compile(r"(?:[”」』》\"]|['’](?![A-Za-z]))*(?: (?:chapter|page|section)s?\b|[章页]|一?节)?")
OPENING, CLOSING = "(（", ")）"
# A bracket of one word right after the link, which the page joins: a source's grade, "ctx-007 (medium)".
ONE_WORD = re.compile(r" ?[(（][^\s()（）]+(?=[)）])")


@dataclass
class Entry:
    """A heading of the book as the table of contents lists it."""

    title: str
    target: str  # its id in the document
    number: str = ""  # "1.2" as the HTML numbers it, or ""
    children: list[Entry] = field(default_factory=list)


@dataclass
class Part:
    caption: str  # "" before the first part (the landing page)
    pages: list[str]  # paths of the site, "chapters/01-clusters.html"
    entries: list[Entry] = field(default_factory=list)


@dataclass
class Document:
    html: str
    parts: list[Part]
    texts: dict[str, str]  # the text of each page of the site, and of the front matter ("")
    images: list[Path]  # the files of the site it shows
    references: list[str]  # the ids given a page outside the contents (figures, checks' details, rows' citations)

    @property
    def text(self) -> str:
        return "".join(self.texts.values())

    @property
    def targets(self) -> list[str]:
        """The ids whose page the document gives: every entry of the contents, then the references."""

        def walk(entries: list[Entry]):
            for entry in entries:
                yield entry.target
                yield from walk(entry.children)

        return list(dict.fromkeys([target for part in self.parts for target in walk(part.entries)] + self.references))


def _text(node: HtmlElement) -> str:
    return NUMBER.sub(" ", node.text_content()).strip()


def _after_figure(data: HtmlElement) -> None:
    """A chart's data table, a disclosure inside its figure on screen, printed open after the figure:
    the figure stays on one page, the table may run over pages with its header repeated."""
    figure = data.getparent()
    for summary in data.findall("summary"):
        summary.drop_tree()
    data.tag, data.tail = "div", None
    figure.remove(data)
    data.tail, figure.tail = figure.tail, None
    figure.addnext(data)


def parts(site: Path) -> list[Part]:
    """The pages of the site's navigation (the landing page's sidebar), grouped by part."""
    nav = lxml.html.parse(site / INDEX).getroot().cssselect("nav.bd-docs-nav")
    if not nav:
        raise PrintError(f"{site / INDEX}: no navigation (nav.bd-docs-nav) to take the pages from")
    found = [Part("", [INDEX])]
    for node in nav[0].iter("p", "a"):
        if node.tag == "p" and "caption" in node.classes:
            found.append(Part(_text(node), []))
        elif node.tag == "a" and (href := urlsplit(node.get("href")).path) and href != INDEX:
            found[-1].pages.append(href)
    return [p for p in found if p.pages]


def slug(page: str) -> str:
    return page.removesuffix(".html").replace("/", "-")


def _cited(page_slug: str, row: str) -> str:
    """The id of the page's first link to ``row`` (its id in the document) of a table."""
    return f"cited-{page_slug}-{row}"


def _shown_links(article: HtmlElement) -> list[HtmlElement]:
    """The links of a page that print where they are (not in a tooltip, whose words go to a note)."""
    return [link for link in article.iter("a") if link.get("href") and link.get("id") is None
            and not any("data-tip" in node.classes for node in link.iterancestors())]


class Book:
    """The print document being made from ``site`` in ``work``; ``url`` is the edition's published address or ""."""

    def __init__(self, site: Path, work: Path, labels: Labels, url: str = ""):
        self.site, self.work, self.labels, self.url = site, work, labels, url.rstrip("/")
        self.parts = parts(site)
        self.pages = [page for part in self.parts for page in part.pages]
        self.articles = {page: self._article(page) for page in self.pages}
        self.ids = self._unique_ids()
        self.rows = {self.ids[page][row.get("id")] for page, article in self.articles.items()
                     for row in article.iter("tr") if row.get("id")}  # of the claims, sources, glossary tables
        self.cited = self._cite_rows()
        self.titles: dict[str, Entry] = {}  # page -> its title, filled by pages_html
        self.texts: dict[str, str] = {}  # page -> its text, filled by pages_html
        self.images: list[Path] = []  # the files shown, filled by pages_html
        self.references: list[str] = []  # ids given a page outside the contents, filled by pages_html
        self.wide = {page for page, article in self.articles.items()
                     if any(len(row.findall("th")) >= WIDE for row in article.iter("tr"))}

    def _article(self, page: str) -> HtmlElement:
        found = lxml.html.parse(self.site / page).getroot().cssselect("article.bd-article")
        if not found:
            raise PrintError(f"{self.site / page}: no article (article.bd-article)")
        article = found[0]
        for data in article.cssselect("figure > details.figure-data"):
            _after_figure(data)
        for narrow in article.cssselect("picture > source"):  # print shows the wide layout, the <img>
            narrow.drop_tag()  # not drop_tree: libxml2, which knows no <source>, puts the <img> in it
        for selector in SCREEN_ONLY:
            for node in article.cssselect(selector):
                node.drop_tree()
        return article

    def _unique_ids(self) -> dict[str, dict[str, str]]:
        """page -> {id in the page: id in the document}; an id that two pages use gets the page's slug."""
        used: dict[str, int] = {}
        for article in self.articles.values():
            for node_id in {n.get("id") for n in article.iter() if n.get("id")}:
                used[node_id] = used.get(node_id, 0) + 1
        return {page: {n.get("id"): n.get("id") if used[n.get("id")] == 1 else f"{slug(page)}--{n.get('id')}"
                       for n in article.iter() if n.get("id")}
                for page, article in self.articles.items()}

    def _cite_rows(self) -> set[str]:
        """Give each page's first link to each row of a table an id (see ``_cited``), where a "Used in"
        of the row goes (see ``_page_references``); the ids given."""
        cited: set[str] = set()
        for page, article in self.articles.items():
            for link in _shown_links(article):
                if (target := self._target(page, link.get("href"))) in self.rows and \
                        (mark := _cited(slug(page), target)) not in cited:
                    link.set("id", mark)
                    self.ids[page][mark] = mark  # kept as it is when the page's ids are made unique
                    cited.add(mark)
        return cited

    def _target(self, page: str, href: str) -> str | None:
        """The id in the document that ``href`` (on ``page``) points to; None if it leaves the book."""
        parts = urlsplit(href)
        if parts.scheme or parts.netloc:
            return None
        path = posixpath.normpath(posixpath.join(posixpath.dirname(page), parts.path)) if parts.path else page
        if path not in self.ids:
            return None
        if not parts.fragment:
            return f"page-{slug(path)}"
        if parts.fragment not in self.ids[path]:
            raise PrintError(f"{page}: the link {href!r} points to no element of {path}")
        return self.ids[path][parts.fragment]

    def _relink(self, page: str, article: HtmlElement) -> None:
        for node in article.iter():
            if node.get("id"):
                node.set("id", self.ids[page][node.get("id")])
        for link in article.iter("a"):
            href = link.get("href")
            if href is None:
                continue
            target = self._target(page, href)
            if target is not None:
                link.set("href", f"#{target}")
            elif urlsplit(href).scheme in ("http", "https", "mailto"):
                continue
            elif self.url:  # another file of the site: its published address
                link.set("href", f"{self.url}/{posixpath.normpath(posixpath.join(posixpath.dirname(page), href))}")
                link.attrib.pop("download", None)
            else:
                link.drop_tag()
        for image in article.iter("img"):
            path = (self.site / posixpath.dirname(page) / image.get("src")).resolve()
            self.images.append(path)
            image.set("src", self._printable(path).as_uri())
            image.attrib.pop("loading", None)

    def _printable(self, image: Path) -> Path:
        """The image, or a copy of it in ``work`` with its hatching drawn as vectors."""
        if image.suffix != ".svg" or (vector := vector_hatching(image.read_bytes(), paths.relative(image))) is None:
            return image
        copy = self.work / "images" / image.name
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_bytes(vector)
        return copy

    def _notes(self, page: str, article: HtmlElement) -> HtmlElement | None:
        """Each number from data gets a note mark; the page's notes, one per row, or None."""
        numbers: dict[str, int] = {}
        items = []
        for link in article.cssselect("a.data-ref"):
            tips = link.cssselect(".data-tip")
            if not tips:  # a quote or a row's id, with nothing to say of it: its row's page may follow it
                link.classes.add("unnoted")
                continue
            tip = tips[0]
            tip.drop_tree()
            link.attrib.pop("aria-describedby", None)
            row = link.get("href").rsplit("#", 1)[-1]
            if row not in numbers:
                numbers[row] = len(numbers) + 1
                kind = next((k for k in NOTED if k in link.classes), "source")
                label, shown = self.labels[kind], row.removeprefix(f"{kind}-")
                note = lxml.html.fragment_fromstring(
                    f'<li id="note-{slug(page)}-{numbers[row]}"><a class="note-row" href="{escape(link.get("href"))}">'
                    f'{escape(label)} <code>{escape(shown)}</code></a>{escape(self.labels["after_row"])}</li>')
                for child in tip:
                    note.append(child)
                items.append(note)
            mark = lxml.html.fragment_fromstring(
                f'<sup class="note-mark"><a href="#note-{slug(page)}-{numbers[row]}">{numbers[row]}</a></sup>')
            mark.tail, link.tail = link.tail, None
            link.addnext(mark)
        if not items:
            return None
        notes = lxml.html.fragment_fromstring(
            f'<section class="notes" id="notes-{slug(page)}"><h2>{escape(self.labels["notes"])}</h2><ol></ol></section>')
        notes.find("ol").extend(items)
        return notes

    def _page_references(self, article: HtmlElement) -> None:
        """Empty page-number boxes, filled once laid out as the contents' are: after each title of the
        list of figures, with a leader; under each link of the fact-check table to a check's details;
        after each page a table's "Used in" names, the page where it first links to the row (its start,
        if it uses the row only in a chart), where the link now goes; after each cross-reference (see
        ``_aside``)."""
        for link in article.cssselect("td a.used-in[href^='#page-']"):
            mark = _cited(link.get("href").removeprefix("#page-"), next(link.iterancestors("tr")).get("id"))
            if mark in self.cited:
                link.set("href", f"#{mark}")
        # (links, the box to add, whether in the link: a "Used in" link prints as a line of its own)
        for selector, box, inside in (
                ("p.figure-entry-title > a[href^='#']", lambda page: f'<span class="toc-leader"></span>{page}', False),
                ("table.fact-check td > a[href^='#check-']", partial(self._page_ref, "page"), False),
                ("td a.used-in[href^='#']", partial(self._page_ref, "page"), True)):
            for link in article.cssselect(selector):
                added = lxml.html.fragments_fromstring(box(self._box(link)))
                (link.extend if inside else link.getparent().extend)(added)
        for link in article.cssselect(CROSS_REFERENCES):
            self._aside(link, self._box(link))

    def _box(self, link: HtmlElement) -> str:
        """An empty box for the page ``link`` leads to, filled once laid out; its target noted."""
        target = link.get("href")[1:]
        self.references.append(target)
        return f'<span class="toc-page" data-target="{escape(target)}"></span>'

    def _page_ref(self, key: str, page: str) -> str:
        """The label ``key`` around the box ``page``: "p. 42", "第42页"; " (p. 42)", "（第42页）"."""
        text = "".join(part if part is page else escape(part) for part in self.labels.parts(key, page=page))
        return f'<span class="page-{"ref" if key == "page" else "aside"}">{text.strip()}</span>'

    def _aside(self, link: HtmlElement, page: str) -> None:
        """The page a cross-reference leads to, after it (and after the end of its title: closing quotes, a
        word such as "chapter"), as a printed book gives it: "the fact-check (p. 44)"; before a closing
        bracket, "(the fact-check, p. 44)"; inside brackets, "(the fact-check [p. 44] sets…)"; inside a
        bracket of one word that follows, "ctx-007 (medium, p. 70)"."""
        parent, tail = link.getparent(), link.tail or ""
        before = (parent.text or "") + "".join(lxml.html.tostring(node, method="text", encoding="unicode")
                                               for node in reversed(list(link.itersiblings(preceding=True))))
        # What the page follows: the end of a title, or a bracket of one word still open.
        head = TITLE_END.match(tail)[0] or (word[0] if (word := ONE_WORD.match(tail)) else "")
        after = tail[len(head):]
        if after.startswith(tuple(CLOSING)):
            key = "aside_bracketed"
        elif sum(map(before.count, OPENING)) > sum(map(before.count, CLOSING)):
            key = "aside_nested"
        else:
            key = "aside"
        label = self.labels(key, page="")
        box = lxml.html.fragment_fromstring(self._page_ref(key, page))
        link.tail = head + label[:len(label) - len(label.lstrip())]  # a space before it, where a line may break
        box.tail = after
        link.addnext(box)

    def _entries(self, article: HtmlElement) -> list[Entry]:
        """The page's headings as a tree, numbered as in the HTML."""
        tree: list[Entry] = []
        stack: list[tuple[int, Entry]] = []
        for heading in article.iter(*HEADINGS):
            level = int(heading.tag[1])
            numbers = heading.cssselect(".section-number")
            number = _text(numbers[0]).rstrip(".") if numbers else ""
            title = _text(heading)[len(_text(numbers[0])):].strip() if numbers else _text(heading)
            section = heading.getparent()
            if section.tag == "section" and section.get("id") and heading.get("id") is None:
                # A heading pushed to the next page leaves its section's first edge on the page
                # before: the anchor moves to the heading so links and page numbers land on it.
                heading.set("id", section.attrib.pop("id"))
            target = heading.get("id")
            if target is None:
                raise PrintError(f"a heading without an id, which the contents could not link to: {title!r}")
            entry = Entry(title, target, number)
            while stack and stack[-1][0] >= level:
                stack.pop()
            (stack[-1][1].children if stack else tree).append(entry)
            stack.append((level, entry))
        return tree

    def pages_html(self) -> str:
        out = []
        for index, page in enumerate(self.pages):
            article = self.articles[page]
            self._relink(page, article)
            notes = self._notes(page, article)
            if notes is not None:
                article.append(notes)
            self._page_references(article)  # the notes' too
            entries = self._entries(article)
            if len(entries) != 1:
                raise PrintError(f"{page}: {len(entries)} titles (h1); a page of the book has one")
            self.titles[page] = entries[0]
            next(p for p in self.parts if page in p.pages).entries.extend(entries)
            self.texts[page] = article.text_content()
            inner = "".join(lxml.html.tostring(child, encoding="unicode") for child in article)
            out.append(f'<div class="page-doc" id="page-{slug(page)}" style="page: p{index}">{inner}</div>')
        return "\n".join(out)


def contents(parts_: list[Part], labels: Labels) -> str:
    """The table of contents, with an empty page-number box per entry (filled once laid out)."""

    def items(entries: list[Entry], level: int) -> str:
        return "".join(
            f'<li class="toc-l{level}"><a href="#{escape(e.target)}">'
            + (f'<span class="toc-number">{escape(e.number)}</span> ' if e.number else "")
            + f'<span class="toc-title">{escape(e.title)}</span><span class="toc-leader"></span>'
            f'<span class="toc-page" data-target="{escape(e.target)}"></span></a>'
            + (f"<ol>{items(e.children, level + 1)}</ol>" if e.children else "") + "</li>"
            for e in entries)

    body = "".join((f'<li class="toc-part"><span class="toc-part-caption">{escape(p.caption)}</span>'
                    f"<ol>{items(p.entries, 1)}</ol></li>") if p.caption else items(p.entries, 1)
                   for p in parts_)
    return (f'<nav class="toc" aria-labelledby="toc-title"><h2 id="toc-title">{escape(labels["contents"])}</h2>'
            f"<ol>{body}</ol></nav>")


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def running_heads(book: Book, title: str) -> str:
    """A named page for each page of the site: the book's title and the page's numbered title on top."""
    rules = []
    for index, page in enumerate(book.pages):
        entry = book.titles[page]
        head = f"{entry.number}. {entry.title}" if entry.number else entry.title
        size = "size: A4 landscape; " if page in book.wide else ""
        rules.append(f"@page p{index} {{ {size}@top-left {{ content: {_css_string(title)}; }} "
                     f"@top-right {{ content: {_css_string(head if head != title else '')}; }} }}")
    return "\n".join(rules)


def font_faces(fonts: dict[int, Path]) -> str:
    return "\n".join(f'@font-face {{ font-family: "{FAMILY}"; font-weight: {weight}; '
                     f'src: url("{path.resolve().as_uri()}") format("truetype"); }}'
                     for weight, path in sorted(fonts.items()))


def title_page(*, title: str, author: str, version: str, date: str | None, url: str, labels: Labels) -> str:
    lines = [f'<h1 class="book-title">{escape(title)}</h1>']
    if author != title:  # a group author named like the book is said once
        lines.append(f'<p class="book-author">{escape(author)}</p>')
    lines.append(f'<p class="book-version">{escape(labels("version", version=version))}</p>')
    if date:
        lines.append(f'<p class="book-date">{escape(labels("built", date=date))}</p>')
    if url:
        lines.append(f'<p class="book-url"><a href="{escape(url)}/">{escape(url)}/</a></p>')
    return f'<section class="title-page">{"".join(lines)}</section>'


def assemble(site: Path, work: Path, *, language: str, title: str, author: str, version: str, date: str | None,
             url: str, labels: Labels, fonts: dict[int, Path]) -> Document:
    """The print document of the edition built in ``site``, with its fonts at ``fonts`` (weight: file) and
    the images it changes for print in ``work``."""
    book = Book(site, work, labels, url)
    pages = book.pages_html()
    css = "\n".join([font_faces(fonts), STYLESHEET.read_text(encoding="utf-8"), running_heads(book, title)])
    front = (title_page(title=title, author=author, version=version, date=date, url=book.url, labels=labels)
             + contents(book.parts, labels))
    html = (f'<!DOCTYPE html>\n<html lang="{escape(language)}"><head><meta charset="utf-8">'
            f"<title>{escape(title)}</title><style>\n{css}\n</style></head>\n<body>{front}{pages}</body></html>\n")
    return Document(html, book.parts, {"": lxml.html.fromstring(front).text_content(), **book.texts}, book.images,
                    book.references)
