"""The print edition: the PDF of each edition, published beside it, checked against the edition's site.

What the PDF must hold is read from the published HTML (navigation, headings, figures, tooltips)
and from the data, and looked for in the text that pypdf extracts from the PDF. Text is compared
without whitespace: lines wrap differently on paper. What each edition's print says in its own
words (notes, figure labels, dates) is spelled out here, in ``EDITIONS``.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import multiprocessing
import os
import re
import shutil
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urljoin

import pikepdf
import pytest
import yaml
from bs4 import BeautifulSoup
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from jinchang import __version__, data, editions, formatting, paths, pdf, typeface
from jinchang.chinese import HAN
from jinchang.labels import labels
from jinchang.pdf.document import STYLESHEET
from jinchang.pdf.hatching import vector_hatching

from .conftest import copy_project, run_build

pytestmark = pytest.mark.build

# What extraction gives for a glyph the font lacks (NUL) or could not map (private use, U+FFFD).
NOT_TEXT = re.compile("[\x00\ue000-\uf8ff\U000f0000-\U0010ffff\ufffd]")
SCREEN_ONLY = "details:not([open]), .cell_input, .figure-downloads, .headerlink, .figure-thumbnail"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


@dataclass(frozen=True)
class Edition:
    folder: str  # where it is published, under the site's root
    config: str  # its _config.yml, over the English one
    language: str
    notes: str  # the heading of a chapter's notes
    figure: str  # how a figure's number starts
    claim: str  # how a note names a claim, a context row and a glossary term
    source: str
    term: str
    colon: str  # between a note's row and what it says
    version: str
    translated: bool  # its notes give the English translation

    def date(self, day: dt.date) -> str:
        return f"{day.day} {MONTHS[day.month - 1]} {day.year}" if self.language == "en" else \
            f"{day.year}年{day.month}月{day.day}日"


EDITIONS = [
    Edition("", "_config.yml", "en", "Notes", "Figure ", "claim", "source", "glossary", ": ", f"Version {__version__}", True),
    Edition("zh", "_config.yml", "zh-Hans", "注释", "图", "说法", "来源", "术语", "：", f"版本 {__version__}", False),
]


@dataclass
class Printed:
    """An edition's site and its PDF."""

    edition: Edition
    site: Path
    reader: PdfReader
    pages: list[str]  # the text of each page, without whitespace

    @property
    def path(self) -> Path:
        return self.site / pdf.FILENAME

    @property
    def whole(self) -> str:
        return "".join(self.pages)

    def config(self) -> dict:
        english = yaml.safe_load((paths.ROOT / "_config.yml").read_text(encoding="utf-8"))
        own = yaml.safe_load((paths.ROOT / self.edition.folder / self.edition.config).read_text(encoding="utf-8"))
        return {**english, **own}


@pytest.fixture(scope="module", params=EDITIONS, ids=lambda e: e.language)
def printed(request, book) -> Printed:
    site = book / request.param.folder
    assert (site / pdf.FILENAME).is_file(), f"no {pdf.FILENAME} at the root of {site}"
    reader = PdfReader(site / pdf.FILENAME)
    return Printed(request.param, site, reader, extracted(site / pdf.FILENAME, len(reader.pages)))


def squeeze(text: str) -> str:
    return "".join(text.split())


def structure_elements(document: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """The PDF's tags: every structure element among its objects."""
    return [obj for obj in document.objects if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/StructElem"]


def figure_alts(elements: list[pikepdf.Dictionary]) -> list[str]:
    """The alt texts of the Figure tags among ``elements``, their white space squeezed to single spaces."""
    return [" ".join(str(e.Alt).split()) for e in elements if e.S == "/Figure" and "/Alt" in e]


def _page_texts(path: Path, numbers: range) -> list[str]:
    reader = PdfReader(path)
    return [squeeze(reader.pages[number].extract_text()) for number in numbers]


def extracted(path: Path, count: int) -> list[str]:
    """The text of each page, without whitespace; pypdf reads every operator of the vector charts,
    some seconds a page: one process per core, each with a share of the pages."""
    workers = os.cpu_count() or 1
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        shares = list(pool.map(_page_texts, [path] * workers, [range(i, count, workers) for i in range(workers)]))
    return [shares[number % workers][number // workers] for number in range(count)]


@cache
def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def article(site: Path, page: str) -> BeautifulSoup:
    """The page's article as print shows it: without what only works on a screen."""
    node = BeautifulSoup(str(soup(site / page).select_one("article.bd-article")), "html.parser")
    for hidden in node.select(SCREEN_ONLY):
        hidden.decompose()
    return node


def navigation(site: Path) -> list[tuple[str, list[str]]]:
    """(part caption or "", [pages]) as the landing page's sidebar lists them."""
    parts = [("", ["index.html"])]
    for node in soup(site / "index.html").select("nav.bd-docs-nav p.caption, nav.bd-docs-nav ul.bd-sidenav a"):
        if node.name == "p":
            parts.append((node.get_text(strip=True), []))
        elif node["href"] not in ("#", "index.html"):
            parts[-1][1].append(node["href"])
    return parts


def book_pages(site: Path) -> list[str]:
    return [page for _, pages in navigation(site) for page in pages]


def has_notes(site: Path, page: str) -> bool:
    return bool(soup(site / page).select("a.data-ref .data-tip"))


def expected_outline(printed: Printed) -> list[tuple[str, list]]:
    """(title, children) of every part, page and section, from the HTML."""

    def headings(page: str) -> tuple[str, list]:
        tree: list = []
        stack: list = []
        for heading in soup(printed.site / page).select("article.bd-article :is(h1, h2, h3)"):
            level = int(heading.name[1])
            number = heading.select_one(".section-number")
            title = heading.get_text().replace("#", "").strip()
            if number:
                title = f"{number.get_text().strip().rstrip('.')} {title[len(number.get_text()):].strip()}"
            while stack and stack[-1][0] >= level:
                stack.pop()
            entry = (" ".join(title.split()), [])
            (stack[-1][1][1] if stack else tree).append(entry)
            stack.append((level, entry))
        (title, children), = tree
        return title, children + ([(printed.edition.notes, [])] if has_notes(printed.site, page) else [])

    out = []
    for caption, pages in navigation(printed.site):
        entries = [headings(page) for page in pages]
        out += [(caption, entries)] if caption else entries
    return out


def outline(reader: PdfReader) -> list[tuple[str, int, list]]:
    """(title, page number, children) of the PDF's bookmarks."""

    def walk(items) -> list:
        out: list = []
        for item in items:
            if isinstance(item, list):
                out[-1][2].extend(walk(item))
            else:
                out.append((item.title, reader.get_destination_page_number(item) + 1, []))
        return out

    return walk(reader.outline)


def titles(tree) -> list:
    return [(title, titles(children)) for title, *_, children in tree]


def flat(tree) -> list:
    return [item for entry in tree for item in [entry, *flat(entry[-1])]]


def test_the_outline_is_the_table_of_contents_of_the_site(printed):
    assert titles(outline(printed.reader)) == titles(expected_outline(printed))


def test_the_printed_contents_give_each_entry_the_page_it_starts_on(printed):
    captions = {caption for caption, _ in navigation(printed.site) if caption}
    entries = flat(outline(printed.reader))
    first_page = min(page for _, page, _ in entries)
    contents = "".join(printed.pages[1:first_page - 1])  # after the title page, before the book's first page
    position = 0
    for title, page, _ in entries:
        position = contents.find(squeeze(title), position)
        assert position >= 0, f"{title!r} is not in the printed contents (or not in order)"
        position += len(squeeze(title))
        if title in captions:  # a part's caption has no page of its own
            continue
        assert contents[position:].startswith(str(page)), f"{title!r}: the contents do not give page {page}"
        assert squeeze(title.split(" ", 1)[-1]) in printed.pages[page - 1], f"{title!r} is not on page {page}"


def test_the_title_page_gives_the_title_version_and_commit_date(printed):
    assert squeeze(printed.config()["title"]) in printed.pages[0]
    assert squeeze(printed.edition.version) in printed.pages[0]
    date = pdf.source_date()
    if date is not None:
        assert squeeze(printed.edition.date(date.date())) in printed.pages[0]


def test_every_claim_value_and_quote_is_in_the_pdf(printed):
    for claim in data.claims().itertuples():
        if printed.edition.translated:  # the values as the English edition shows them
            assert squeeze(formatting.shown(claim.id)) in printed.whole, claim.id
        assert squeeze(claim.quote) in printed.whole, claim.id


def test_every_number_from_data_has_a_note_with_its_quote_translation_and_id(printed):
    """What hover shows on screen is a note on paper: "claim <id> (p. <its row's page>): <quote> —
    “<translation>”", and for a glossary term "glossary <id> (p. <page>): <term> — <its note>"; in
    Chinese, with a full-width colon ("说法 <id>（第<page>页）：…")."""
    pages, words = destinations(printed), labels("pdf", printed.edition.language[:2])
    tips = {}
    for page in book_pages(printed.site):
        for link in soup(printed.site / page).select("a.data-ref"):
            if tip := link.select_one(".data-tip"):
                tips[link["href"].rsplit("#", 1)[1]] = tip.get_text()
    assert tips
    for anchor, tip in sorted(tips.items()):
        page = words("aside", page=pages[anchor])
        if anchor.startswith("term-"):
            note = f"{printed.edition.term} {anchor.removeprefix('term-')}{page}{printed.edition.colon}{tip}"
            assert squeeze(note) in printed.whole, anchor
            continue
        if anchor.startswith("dat-"):  # a dataset: its title and publisher, no quote
            assert squeeze(f"{printed.edition.source} {anchor}{page}{printed.edition.colon}{tip}") in printed.whole, anchor
            continue
        row = data.source(anchor.removeprefix("claim-"))
        label = printed.edition.claim if anchor.startswith("claim-") else printed.edition.source
        note = squeeze(f"{label} {row.id}{page}{printed.edition.colon}{tip}")
        assert note in printed.whole, note
        assert squeeze(formatting.quote(row.id)) in note
        if printed.edition.translated and anchor.startswith("claim-"):
            assert squeeze(row.translation) in note


def destinations(printed) -> dict[str, int]:
    """The page (1 for the first) of each id a link can point to."""
    return {name.lstrip("/"): printed.reader.get_destination_page_number(dest) + 1
            for name, dest in printed.reader.named_destinations.items()}


def test_every_figure_is_on_one_page_with_its_number_and_title(printed):
    starts = destinations(printed)
    figures = [figure for page in book_pages(printed.site) for figure in soup(printed.site / page).select("figure.jinchang-figure")]
    assert len(figures) >= 20
    for figure in figures:
        number = figure.select_one(".caption-number").get_text()
        title = figure.select_one(".caption-text").get_text()
        assert number.startswith(printed.edition.figure)
        page = starts[figure["id"]]  # where the figure starts
        assert squeeze(number + title) in printed.pages[page - 1], f"{figure['id']} is split, or not {number}"
    with pikepdf.open(printed.path) as document:  # each once: not again as the landing page's preview of the map
        alts = Counter(figure_alts(structure_elements(document)))
    assert len(alts) >= len(figures) and set(alts.values()) == {1}, [alt for alt, n in alts.items() if n > 1]


def test_the_list_of_figures_gives_the_page_each_figure_is_on(printed):
    pages = destinations(printed)
    entries = soup(printed.site / "chapters/figures.html").select("p.figure-entry-title")
    listing = printed_text(printed, "chapters/figures.html")
    assert len(entries) >= 20
    for entry in entries:
        figure = entry.a["href"].partition("#")[2]
        given = re.escape(squeeze(entry.get_text()) + str(pages[figure])) + r"(?!\d)"
        assert re.search(given, listing), f"{figure}: the list does not give page {pages[figure]}"


def test_the_fact_check_table_gives_the_page_of_each_checks_details(printed):
    pages, words = destinations(printed), labels("pdf", printed.edition.language[:2])
    chapter = soup(printed.site / "chapters/05-fact-check.html")
    links = chapter.select("table.fact-check td > a[href^='#check-']")
    assert len(links) >= 10
    for link in links:
        check = link["href"][1:]
        given = re.escape(squeeze(link.get_text() + words("page", page=pages[check]))) + r"(?!\d)"
        assert re.search(given, printed.whole), f"{check}: the table does not give page {pages[check]}"
        assert squeeze(chapter.select_one(f"#{check}-title").get_text()) in printed.pages[pages[check] - 1], \
            f"{check}: its details are not on page {pages[check]}"


def test_a_tables_used_in_gives_the_page_where_each_page_first_shows_the_row(printed):
    """In print, each page that the Claims and Sources tables' "Used in" names comes with the page of the
    PDF where it first links to the row (a number, a check's source); or, when it uses the row only in a
    chart, the page it starts on. "Fact-check p. 40", the chapter's first page, sent readers to the
    rating scale, not to the check."""
    prefix, _, suffix = labels("pdf", printed.edition.language[:2])("page", page="\0").partition("\0")
    for table in ("chapters/claims.html", "chapters/sources.html"):
        links = soup(printed.site / table).select("td a.used-in")
        titles = sorted({squeeze(link.get_text()) for link in links}, key=len, reverse=True)
        listing = printed_text(printed, table)
        given = re.findall(f"({'|'.join(map(re.escape, titles))}){re.escape(squeeze(prefix))}(\\d+){re.escape(squeeze(suffix))}",
                           listing)
        assert [title for title, _ in given] == [squeeze(link.get_text()) for link in links], table
        for link, (_, number) in zip(links, given):
            row, page, number = link.find_parent("tr")["id"], urljoin(table, link["href"]), int(number)
            shown = [squeeze("".join(a.find_all(string=lambda text: not text.find_parent(class_="data-tip"))))
                     for a in article(printed.site, page).select(f"a[href$='#{row}']") if not a.find_parent(class_="data-tip")]
            where = printed_pages(printed, page)
            if shown:
                assert number in where and shown[0] in printed.pages[number - 1], (row, page, number, shown[0])
            else:
                assert number == where[0], (row, page, number)
        assert len(given) >= 50


def test_a_cross_reference_in_the_text_gives_the_page_it_leads_to(printed):
    """In print, a link of the running text to another part of the book is followed, on its page's pages,
    by the page of the PDF where that part is, as a book gives it: "the fact-check (p. 43)"; before a
    closing bracket "(the fact-check, p. 43)"; inside brackets "(the fact-check [p. 43] sets…)"; after
    the end of a quoted title ("the Parks chapter (p. 17)", “事实核查”章（第36页）, “如何引用”一节（第71页））. So
    does a link to a row that has no note: a quote's, and its attribution's ("· claim nickel-foil-thickness
    (p. 56)")."""
    pages, words = destinations(printed), labels("pdf", printed.edition.language[:2])
    forms = [re.escape(prefix) + r"(\d+)" + re.escape(suffix)  # the page in each form of the label
             for key in ("aside", "aside_bracketed", "aside_nested")
             for prefix, suffix in [squeeze(words(key, page="§")).split("§")]]
    book, checked = book_pages(printed.site), 0
    for page in book:
        expected = Counter()
        for link in article(printed.site, page).select(
                "section > p > a.reference.internal, li > p > a.reference.internal, p.citation-note > a[href^='#'], "
                "p.attribution > a.data-ref, section > p > a.data-ref:not(:has(.data-tip))"):  # a row's, without a note
            path, _, fragment = urljoin(page, link["href"]).partition("#")
            if path not in book:  # a file to download, not a part of the book
                continue
            target = next(name for name in (fragment, f"{path.removesuffix('.html').replace('/', '-')}--{fragment}")
                          if name in pages) if fragment else None
            expected[squeeze(link.get_text()), pages[target] if target else printed_pages(printed, path)[0]] += 1
        text = printed_text(printed, page)
        for (title, number), count in expected.items():
            given = [int(found) for form in forms  # the title's end (quotes, "chapter") between them
                     for found in re.findall(re.escape(title) + ".{0,9}?" + form, text)]
            assert given.count(number) >= count, f"{page}: {title!r} is followed by pages {given}, not {number}"
            checked += count
    assert checked >= 10
    # Never between a title and the word that names it: “如何引用”一节（第71页）, not “如何引用”（第71页）一节.
    wedged = re.findall("(?:" + "|".join(forms) + ")(?:chapter|page|section|章|页|一?节)", printed.whole)
    assert not wedged, wedged


def test_each_check_gives_the_page_of_its_claims_and_sources(printed):
    """A check's claims and independent sources are rows of the Claims and Sources tables, which run
    over many pages (the claims in the article's order, not their ids'): on paper, each is followed by
    its row's page, inside the bracket of its grade when it has one: "industrial-growth-h1 (p. 56)",
    "ctx-007 (medium, p. 65)", "ctx-007（中，第55页）"."""
    pages, words = destinations(printed), labels("pdf", printed.edition.language[:2])
    page = "chapters/05-fact-check.html"
    text = printed_text(printed, page)
    expected = Counter()
    for link in article(printed.site, page).select("section.fact-check-item dd > a"):
        row, tail = link["href"].partition("#")[2], link.next_sibling if isinstance(link.next_sibling, str) else ""
        if grade := re.match(r"\s?([(（][^\s()（）]+)([)）])", tail):
            expected[squeeze(link.get_text() + grade[1] + words("aside_bracketed", page=pages[row]) + grade[2])] += 1
        else:
            expected[squeeze(link.get_text() + words("aside", page=pages[row]))] += 1
    assert sum(expected.values()) >= 30
    for note, count in expected.items():
        assert text.count(note) >= count, f"{note!r} is printed {text.count(note)} times, not {count}"


def test_charts_print_in_their_wide_layout_with_their_data_table_after_them(printed, tmp_path):
    from jinchang.pdf.document import Book

    book = Book(printed.site, tmp_path, labels("pdf", printed.edition.language[:2]))
    book.pages_html()
    shown = {path.relative_to(printed.site.resolve()).as_posix() for path in book.images}
    tables = 0
    for page in book_pages(printed.site):
        for figure in soup(printed.site / page).select("figure.jinchang-figure"):
            picture = figure.select_one("picture")
            assert urljoin(page, picture.img["src"]) in shown, figure["id"]
            assert not {urljoin(page, s["srcset"]) for s in picture.select("source")} & shown, figure["id"]
            for row in figure.select("table.figure-table tbody tr"):
                tables += 1
                assert squeeze(row.get_text()) in printed.whole, (figure["id"], row.get_text())
    assert tables >= 20


def test_figures_are_vectors_the_pdf_holds_no_raster_image(printed):
    with pikepdf.open(printed.path) as document:
        images = [obj for obj in document.objects
                  if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image"]
        patterns = [page.index for page in document.pages if "/Pattern" in page.Resources]
    assert not images, f"{len(images)} raster images"
    assert not patterns, f"pattern fills (drawn as images by Chromium) on pages {patterns}"


def test_code_cells_are_left_out(printed):
    cells = [squeeze(cell.get_text()) for page in book_pages(printed.site)
             for cell in soup(printed.site / page).select(".cell_input")]
    assert cells
    for code in cells:
        assert code not in printed.whole, code


def text_sizes(page) -> Counter:
    """How many characters of ``page`` are set at each size, in points as printed (the font's size
    times the text and transformation matrices' vertical scale)."""
    sizes: Counter = Counter()

    def visit(text, cm, tm, font, size):
        if text.strip():
            sizes[round(size * math.hypot(tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3]), 2)] += len(text)

    page.extract_text(visitor_text=visit)
    return sizes


def test_the_text_prints_at_the_stylesheets_size_not_shrunk_to_fit(printed):
    """Chromium shrinks the whole document when one element is wider than the page: one web address
    in a chapter's references once set every page of the book at 95 %."""
    size = float(re.search(r"html \{[^}]*font-size: ([\d.]+)pt", STYLESHEET.read_text()).group(1))
    first = min(page for _, page, _ in flat(outline(printed.reader)))  # the landing page's first, all prose
    body, _ = text_sizes(printed.reader.pages[first - 1]).most_common(1)[0]
    assert body == pytest.approx(size, abs=0.05), f"the body text prints at {body} pt, not at the stylesheet's {size} pt"


def test_only_the_books_font_is_embedded_as_truetype_subsets(printed):
    with pikepdf.open(printed.path) as document:
        fonts = {font.objgen: font for page in document.pages for font in page.Resources.get("/Font", {}).values()}
        assert fonts
        for font in fonts.values():
            assert font.Subtype == "/Type0" and "/ToUnicode" in font, font.get("/BaseFont")
            descendant = font.DescendantFonts[0]
            assert descendant.Subtype == "/CIDFontType2"
            assert re.fullmatch(r"/[A-Z]{6}\+JinchangSans-(Regular|Bold)", str(descendant.BaseFont))
            assert "/FontFile2" in descendant.FontDescriptor
        # The book is printed in pieces, each with its own subsets: one font per weight for them all
        names = sorted(str(font.BaseFont).split("+")[1] for font in fonts.values())
        assert len(names) == len(set(names)), f"a weight embedded more than once: {names}"


def code_marks(document: pikepdf.Pdf) -> set[tuple[tuple[int, int], int]]:
    """(page, marked-content id) of every piece of content under a Code tag."""
    marks = set()

    def walk(element: pikepdf.Dictionary, page, code: bool) -> None:
        page, code = element.get("/Pg", page), code or element.get("/S") == "/Code"
        kids = element.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, int) and code:
                marks.add((page.objgen, kid))
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR" and code:
                marks.add((kid.get("/Pg", page).objgen, int(kid.MCID)))
            elif isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                walk(kid, page, code)

    walk(document.Root.StructTreeRoot, None, False)
    return marks


def advances(font: pikepdf.Dictionary) -> dict[int, float]:
    """Glyph id -> advance in thousandths of the size, from a CID font's widths (/W); others have /DW."""
    table, w = {}, list(font.DescendantFonts[0].get("/W", []))
    while w:
        if isinstance(w[1], pikepdf.Array):
            table |= {int(w[0]) + k: float(width) for k, width in enumerate(w[1])}
            w = w[2:]
        else:
            table |= dict.fromkeys(range(int(w[0]), int(w[1]) + 1), float(w[2]))
            w = w[3:]
    return table


def code_runs(document: pikepdf.Pdf) -> list[list[tuple[float, float, int]]]:
    """The glyphs of code drawn one after another on a line, as (x, advance, marked-content id), run by
    run: a run ends at the end of a line and at any glyph that is not code. (Chromium draws text with
    the text matrix 1 0 0 -1 x y, one Td per glyph from the start of the line: x is in text space,
    and y only tells lines apart.)"""
    marks, runs, line = code_marks(document), [], None
    for page in document.pages:
        if not any(objgen == page.objgen for objgen, _ in marks):
            continue
        fonts = {name: (advances(font), float(font.DescendantFonts[0].get("/DW", 1000)))
                 for name, font in page.Resources.Font.items()}
        ids = []
        for operands, operator in pikepdf.parse_content_stream(page, "BDC BMC EMC Tf Tm Td Tj"):
            match str(operator):
                case "BDC" | "BMC":
                    properties = operands[-1]
                    ids.append(properties.get("/MCID") if isinstance(properties, pikepdf.Dictionary) else None)
                case "EMC":
                    ids.pop()
                case "Tf":
                    (widths, default), size = fonts[str(operands[0])], float(operands[1])
                case "Tm":
                    x = start = float(operands[4])
                    y = float(operands[5])
                case "Td":  # from the start of the line, not from the last glyph
                    x = start = start + float(operands[0])
                    y += float(operands[1])
                case "Tj":
                    glyphs = bytes(operands[0])
                    mark = int(ids[-1]) if ids and ids[-1] is not None else None
                    code = (page.objgen, mark) in marks
                    if not code or line != (page.objgen, y):
                        runs.append([])
                    line = (page.objgen, y) if code else None
                    for k in range(0, len(glyphs), 2):
                        advance = widths.get(int.from_bytes(glyphs[k:k + 2], "big"), default) * size / 1000
                        if code:
                            runs[-1].append((x, advance, mark))
                        x += advance
    return [run for run in runs if len(run) > 1]


def test_code_is_set_unkerned_each_glyph_at_the_advance_of_the_last(printed):
    """Chromium kerned some pairs across the spans of highlighted code (a quote and the comma after it)
    in one printing and not in another, so that two builds of the same commit differed: code is
    set unkerned."""
    with pikepdf.open(printed.path) as document:
        runs = code_runs(document)
    pairs = [(a, b) for run in runs for a, b in zip(run, run[1:])]
    across = [(a, b) for a, b in pairs if a[2] != b[2]]  # the last glyph of a span and the first of the next
    assert len(pairs) > 5000 and len(across) > 50  # the citations of the Figures page, the Reuse pages' commands...
    kerned = [round(b[0] - a[0] - a[1], 2) for a, b in pairs if abs(b[0] - a[0] - a[1]) > 0.05]
    assert not kerned, f"{len(kerned)} of {len(pairs)} pairs of glyphs in code are kerned: {kerned[:10]}"


def first_difference(a: bytes, b: bytes) -> int | None:
    """Where two files first differ, None when they are the same: what a test asserts on, rather than
    the bytes themselves, whose diff pytest takes many minutes to draw for two PDFs that differ."""
    return None if a == b else len(os.path.commonprefix([a, b]))


def test_print_fonts_are_subset_from_the_books_conversion_when_it_holds_every_character(tmp_path):
    from jinchang.pdf.fonts import files, truetype

    truetype("金昌镍都 ab", tmp_path / "book")
    cmap = lambda path: set(map(chr, TTFont(path).getBestCmap()))  # noqa: E731
    assert cmap(files(tmp_path / "book")[400]) >= set("金昌镍都 ab")
    direct = truetype("金昌 a", tmp_path / "direct")
    subset = truetype("金昌 a", tmp_path / "en", tmp_path / "book")
    for weight, path in subset.items():
        assert first_difference(path.read_bytes(), direct[weight].read_bytes()) is None, weight
    assert cmap(subset[400]) == cmap(direct[400])

    def from_book(text: str, folder: str) -> set[str]:
        """The characters of the copies made for ``text``, from the book's conversion if it could."""
        return cmap(truetype(text, tmp_path / folder, tmp_path / "book")[400])

    # a character the book's copies lack: converted for the text, as without them
    assert from_book("金昌 z", "zh") >= set("金昌 z")
    # no conversion for the book, or one cut short (no stamp): the same
    (tmp_path / "book" / "fonts.txt").unlink()
    assert from_book("金昌 a", "ja") == cmap(direct[400])


def test_chinese_text_extracts_as_in_the_html_with_every_glyph_in_the_font(printed):
    whole = printed.whole
    assert not NOT_TEXT.search(whole), [whole[m.start() - 10:m.end() + 10] for m in NOT_TEXT.finditer(whole)][:10]
    html_han = set()
    for page in book_pages(printed.site):
        node = article(printed.site, page)
        for run in node.select('[lang="zh"]'):
            assert squeeze(run.get_text()) in whole, (page, run.get_text())
        html_han |= set(re.findall(f"[{HAN}]", node.get_text()))
    assert html_han <= set(whole), sorted(html_han - set(whole))[:20]
    regular = typeface.bundled("Regular")
    covered = set(map(chr, TTFont(regular).getBestCmap()))
    assert set(whole) <= covered, f"characters the book's font does not have: {sorted(set(whole) - covered)}"


def page_title(site: Path, page: str) -> str:
    """The page's title as the outline names it ("1 Clusters…" for the site's "1. Clusters…")."""
    return re.sub(r"^(\d+)\. ", r"\1 ", " ".join(soup(site / page).select_one("article h1").get_text().replace("#", "").split()))


def printed_pages(printed, page: str, section: bool = False) -> range:
    """The PDF's page numbers that print the site's ``page`` (its first section alone with ``section``),
    from the outline: to where its next page (or section) starts."""
    titles = {page_title(printed.site, other) for other in book_pages(printed.site)}
    entries = flat(outline(printed.reader))
    first = next(number for name, number, _ in entries if name == page_title(printed.site, page))
    ends = [number for name, number, _ in entries if number > first and (section or name in titles)]
    return range(first, min(ends, default=len(printed.pages) + 1))


def printed_text(printed, page: str) -> str:
    """The text of the PDF's pages that print the site's ``page``, without whitespace."""
    return "".join(printed.pages[number - 1] for number in printed_pages(printed, page))


def test_the_claims_and_sources_tables_repeat_their_header_on_every_page(printed):
    for page in ("chapters/claims.html", "chapters/sources.html"):
        header = squeeze(soup(printed.site / page).select_one("table.data-table thead").get_text())
        numbers = printed_pages(printed, page, section=True)  # its first table's
        assert len(numbers) >= 2, f"{page}: its table fits one page: nothing to repeat"
        for number in numbers:
            assert header in printed.pages[number - 1], f"{page}: no header row on page {number}"


def text_runs(printed, page: str) -> list[tuple[tuple[int, float], str]]:
    """Each run of text (a line, or a piece of one) that the PDF draws for the site's ``page``, with
    its line: the page's number and the height on it."""
    runs = []
    for number in printed_pages(printed, page):
        printed.reader.pages[number - 1].extract_text(visitor_text=lambda text, cm, tm, *_: text.strip() and runs.append(
            ((number, round(cm[5] + tm[5] * cm[3], 1)), text.strip())))
    return runs


def test_source_ids_and_table_headers_print_whole_not_broken_across_lines(printed):
    """In the Chinese edition's narrow columns, Chromium broke ids at their hyphen ("ctx-" / "008") and
    headers character by character (可 / 靠 / 性): each line of text is a run of its own."""
    sources = soup(printed.site / "chapters/sources.html")
    ids = {row["id"] for row in sources.select("table.data-table tbody tr[id]")}
    headers = {" ".join(th.get_text().split()) for th in sources.select("table.data-table thead th")}
    runs = {text for _, text in text_runs(printed, "chapters/sources.html")}
    assert len(ids) > 80 and ids <= runs, sorted(ids - runs)[:10]
    assert headers <= runs, headers - runs


def test_a_corrections_was_now_and_why_print_beside_their_texts(printed):
    """Printed above their texts, a line each, they ran the corrections log to 28 pages (of 111)."""
    labels = [dt.get_text().strip() for dt in soup(printed.site / "chapters/corrections.html").select(".correction dt")]
    lines: dict[tuple, list[str]] = defaultdict(list)  # (page, height on it) -> the runs of text drawn there
    for line, text in text_runs(printed, "chapters/corrections.html"):
        lines[line].append(text)
    labelled = [runs for runs in lines.values() if set(runs) & set(labels)]
    assert len(labels) > 100 and len(labelled) == len(labels)
    assert all(set(runs) - set(labels) for runs in labelled), [runs for runs in labelled if not set(runs) - set(labels)][:3]


# Words for what only a screen has (buttons, menus, pointer gestures, folded blocks), and words that
# say which medium a paragraph speaks of.
SCREEN_WORDS = {"en": (r"\b(button|menu|hover\w*|tap\w*|click\w*|folded)\b", r"\b(web|print|screen)\b"),
                "zh-Hans": ("按钮|菜单|悬停|点击|轻点|折叠", "网页|印刷|屏幕|打印")}


def test_a_printed_paragraph_that_names_a_screens_control_says_it_speaks_of_the_web(printed):
    """"The download button on each chapter offers the notebook" meant nothing on paper. The corrections
    log is left out: it quotes the book's earlier words as they were."""
    controls, media = SCREEN_WORDS[printed.edition.language]
    naming = [" ".join(node.get_text().split()) for page in book_pages(printed.site)
              if page != "chapters/corrections.html" for node in article(printed.site, page).select("p")
              if re.search(controls, node.get_text(), re.IGNORECASE)]
    assert len(naming) >= 3  # the landing page's, the glossary's, the Figures page's
    assert not [text for text in naming if not re.search(media, text, re.IGNORECASE)]


def test_links_inside_the_book_work_and_none_points_to_a_local_file(printed):
    """Every link inside the book goes to a named destination, and every named destination (Chromium
    names only the elements that links point to) is a link's: a page printed apart from the others
    keeps its links to them."""
    with pikepdf.open(printed.path) as document:
        names = set(document.Root.Dests.keys())
        internal, pointed = 0, set()
        for page in document.pages:
            for annotation in page.get("/Annots", []):
                if "/Dest" in annotation:
                    internal += 1
                    assert annotation.Dest in names or isinstance(annotation.Dest, pikepdf.Array), annotation.Dest
                    pointed.add(str(annotation.Dest))
                elif "/A" in annotation:
                    assert re.match(r"(https?|mailto):", str(annotation.A.URI)), str(annotation.A.URI)
        assert internal > 200
        assert not (unlinked := sorted(names - pointed)), f"{len(unlinked)} destinations no link goes to: {unlinked[:5]}"


def test_a_link_is_one_active_area_per_line_each_in_the_structure_tree(printed):
    """Chromium gives a link's Chinese and English pieces an active area each, or one, from run to
    run: joined, a link has one per line, and each is an object of its structure element."""
    with pikepdf.open(printed.path) as document:
        tree = document.Root.StructTreeRoot
        parents = dict(pikepdf.NumberTree(tree.ParentTree).items())
        assert sorted(parents) == list(range(int(tree.ParentTreeNextKey)))
        for number, page in enumerate(document.pages, start=1):
            areas = []
            for annotation in page.get("/Annots", []):
                element = parents[int(annotation.StructParent)]
                assert annotation.objgen in {
                    kid.Obj.objgen for kid in element.K if isinstance(kid, pikepdf.Dictionary) and "/Obj" in kid}
                areas.append((element.objgen, tuple(round(float(n), 2) for n in annotation.Rect)))
            for (element, area), (following, after) in zip(areas, areas[1:]):
                pieces = element == following and (area[1], area[3], area[2]) == (after[1], after[3], after[0])
                assert not pieces, f"page {number}: a link in pieces at {area} and {after}"


def chromium_print(document: Path, targets: list[str]) -> tuple[list[bytes], dict[str, int], int, int]:
    """``Chromium.print`` of ``document`` in a Chromium of its own, in a thread away from the event loop
    of the browser tests' Playwright."""
    import asyncio

    from jinchang.pdf.render import Chromium

    async def printing() -> tuple[list[bytes], dict[str, int], int, int]:
        chromium = await Chromium.start()
        try:
            return await chromium.print(document, targets)
        finally:
            await chromium.close()

    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, printing()).result()


def test_finishing_does_not_depend_on_how_chromium_numbered_its_objects(tmp_path):
    """The same document with its objects numbered otherwise (qpdf's order, not Chromium's) gives
    the same bytes, and a link that changes font has one active area (Chromium makes one per font,
    or one, from run to run)."""
    from jinchang.pdf.finish import Metadata, finish
    from jinchang.pdf.fonts import truetype

    font = truetype("经开区 development zone", tmp_path)[400]
    document = tmp_path / "link.html"
    document.write_text(f'<!doctype html><html lang="en"><meta charset="utf-8"><style>@font-face {{ font-family: J; '
                        f'src: url("{font.name}"); }} body {{ font-family: J; }}</style>'
                        '<p><a href="#zone"><span lang="zh">经开区</span> development zone</a></p><p id="zone">.</p>',
                        encoding="utf-8")
    (raw,), _, _, _ = chromium_print(document, [])
    renumbered = tmp_path / "renumbered.pdf"
    with pikepdf.open(io.BytesIO(raw)) as chromiums:
        chromiums.save(renumbered, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    meta = Metadata("Title", "Author", "en", "Subject", ("keyword",), None)
    finished = []
    for name, made in (("a.pdf", raw), ("b.pdf", renumbered.read_bytes())):
        finish([made], [], meta, tmp_path / name, [font])
        finished.append((tmp_path / name).read_bytes())
    assert first_difference(*finished) is None
    with pikepdf.open(tmp_path / "a.pdf") as document:
        (link,) = document.pages[0].Annots
        assert str(link.Dest) == "/zone"


def test_the_printed_glyphs_do_not_depend_on_the_machines_font_hinting(tmp_path, monkeypatch):
    """The printer sets glyphs unhinted whatever the machine's font settings say (Chromium's browser
    takes its hinting from them, and moved lines, and pages, with them): a paragraph in the book's font,
    printed on a machine whose fontconfig hints fully and on one whose does not, is drawn the same."""
    from jinchang.pdf.fonts import truetype

    text = "Jinchang, the nickel capital of Gansu: 金昌经开区, a development zone of 1,234.5 hectares. " * 12
    font = truetype(text, tmp_path)[400]
    document = tmp_path / "hinting.html"
    document.write_text(f'<!doctype html><html lang="en"><meta charset="utf-8"><style>@font-face {{ font-family: J; '
                        f'src: url("{font.name}"); }} @page {{ size: 300px 2000px; margin: 0; }} '
                        f'body {{ margin: 0; font: 13px/1.4 J; }}</style><p>{text}</p>', encoding="utf-8")
    drawn = []
    for hinted in ("true", "false"):
        settings = tmp_path / f"fonts-{hinted}.conf"
        settings.write_text(f'<?xml version="1.0"?><fontconfig><dir>/usr/share/fonts</dir><cachedir>{tmp_path}/cache'
                            '</cachedir><match target="font"><edit name="hinting" mode="assign"><bool>'
                            f'{hinted}</bool></edit><edit name="hintstyle" mode="assign"><const>'
                            f'{"hintfull" if hinted == "true" else "hintnone"}</const></edit></match></fontconfig>',
                            encoding="utf-8")
        monkeypatch.setenv("FONTCONFIG_FILE", str(settings))
        (raw,), _, _, _ = chromium_print(document, [])
        with pikepdf.open(io.BytesIO(raw)) as printed_:
            drawn.append([page.Contents.read_bytes() for page in printed_.pages])
    assert drawn[0] == drawn[1]


def test_a_piece_printed_apart_keeps_its_links_to_the_others_and_their_links_to_it(tmp_path):
    """Each piece is printed with the others taken out of the document: what its links point to in
    them, and their links into it, stand in for them, so that every link is written, to a named
    destination, and the piece holding each target names it."""
    document = tmp_path / "pieces.html"
    document.write_text('<!doctype html><html lang="en"><meta charset="utf-8">'
                        '<style>.page-doc { break-before: page; }</style>'
                        '<p><a href="#a">A</a> <a href="#b">B</a></p>'
                        '<div class="page-doc" id="a"><p><a href="#b-end">The end of B</a>, <a href="#b-end">again</a>.</p></div>'
                        '<div class="page-doc" id="b"><p><a href="#a">Back to A</a>.</p><p id="b-end">The end.</p></div>',
                        encoding="utf-8")
    pieces, pages, printed, printings = chromium_print(document, ["a", "b", "b-end"])
    assert printed == 3 and printings == 1 and pages == {"a": 2, "b": 3, "b-end": 3}
    links, names = [], []
    for raw in pieces:
        with pikepdf.open(io.BytesIO(raw)) as piece:
            links.append(sorted(str(link.Dest) for page in piece.pages for link in page.get("/Annots", [])))
            names.append(sorted(str(name) for name in piece.Root.get("/Dests", pikepdf.Dictionary()).keys()))
    assert links == [["/a", "/b"], ["/b-end", "/b-end"], ["/a"]]
    assert names == [[], ["/a"], ["/b", "/b-end"]]


def test_a_page_number_that_moves_its_target_is_printed_again_until_the_pages_agree(tmp_path):
    """A page number with no box reserved for it can move what follows it: here a number's digits
    each take a line 150 px high (a line alone may start or end a page), on pages 300 px high. The
    draft's two digits (DRAFT_PAGE) push the target onto page 9; "9" lets it back onto page 8, and
    "8" leaves it there: the second printing agrees."""
    blank = '<div style="break-after: page">.</div>' * 7
    document = tmp_path / "moving.html"
    document.write_text('<!doctype html><html lang="en"><meta charset="utf-8">'
                        '<style>@page { size: 400px 300px; margin: 0; } body { margin: 0; font: 16px/20px sans-serif; }'
                        ' p { margin: 0; }</style><p><a href="#target">The target</a></p>' + blank
                        + '<div style="height: 50px"></div>'
                        '<div style="width: 1px; word-break: break-all; line-height: 150px; orphans: 1; widows: 1">'
                        '<span class="toc-page" data-target="target"></span></div>'
                        '<div style="height: 60px"></div><p id="target">Target</p>', encoding="utf-8")
    from jinchang.pdf.render import DRAFT_PAGE

    assert len(DRAFT_PAGE) == 2
    (raw,), pages, printed, printings = chromium_print(document, ["target"])
    assert pages == {"target": 8} and printed == 1 and printings == 2
    with pikepdf.open(io.BytesIO(raw)) as pdf_:
        assert len(pdf_.pages) == 8


def test_pieces_printed_apart_that_use_the_same_ids_keep_their_own_table_headers():
    """Chromium names a table's header cells after its node ids, which two printings reuse: each piece's
    cells keep naming their own headers when the pieces are joined."""
    from jinchang.pdf.finish import stable_ids

    def table() -> list[pikepdf.Dictionary]:
        header = pikepdf.Dictionary(S=pikepdf.Name.TH, ID=pikepdf.String("node7"))
        cell = pikepdf.Dictionary(S=pikepdf.Name.TD, A=pikepdf.Dictionary(O=pikepdf.Name.Table,
                                                                          Headers=pikepdf.Array([pikepdf.String("node7")])))
        return [header, cell]

    pieces = [table(), table()]
    tree = pikepdf.Dictionary(IDTree=pikepdf.Dictionary())
    stable_ids(tree, pieces)
    (first_header, first_cell), (second_header, second_cell) = pieces
    assert first_header.ID != second_header.ID
    assert list(first_cell.A.Headers) == [first_header.ID] and list(second_cell.A.Headers) == [second_header.ID]
    assert list(tree.IDTree.Names) == [first_header.ID, first_header, second_header.ID, second_header]


# ISO 32000-1 (PDF 1.7), 14.8.4: the standard structure types, which every tag is or is mapped to.
PDF_17_TYPES = set("""Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private P H H1 H2 H3 H4
    H5 H6 L LI Lbl LBody Table TR TH TD THead TBody TFoot Span Quote Note Reference BibEntry Code Link Annot Ruby RB
    RT RP Warichu WT WP Figure Formula Form""".split())


def test_every_tag_is_a_standard_structure_type_or_mapped_to_one(printed):
    """Chromium tags <strong> and <em> with PDF 2.0's Strong and Em in a PDF 1.5: without a role map,
    checkers of tagged PDF (poppler's pdfinfo -struct: "StructElem object is wrong type") reject them."""
    with pikepdf.open(printed.path) as document:
        tree = document.Root.StructTreeRoot
        roles = {str(k)[1:]: str(v)[1:] for k, v in tree.get("/RoleMap", pikepdf.Dictionary()).items()}
        kinds = {str(element.S)[1:] for element in structure_elements(document)}
    assert {"Strong", "P"} <= kinds  # the book's bold text is tagged
    assert all(roles.get(kind, kind) in PDF_17_TYPES for kind in kinds), {k: roles.get(k) for k in kinds - PDF_17_TYPES}
    assert set(roles) <= kinds - PDF_17_TYPES  # no standard type is mapped away


def test_every_figure_tag_has_alternative_text(printed):
    """Chromium tags an HTML <figure> as a Figure around its image's; that one had none."""
    with pikepdf.open(printed.path) as document:
        figures = [e for e in structure_elements(document) if e.S == "/Figure"]
    without = [e for e in figures if not str(e.get("/Alt", "")).strip()]
    assert len(figures) >= 20 and not without, f"{len(without)} of {len(figures)} Figure tags have no alternative text"


def test_metadata_language_and_tags(printed):
    config = printed.config()
    keywords = yaml.safe_load((paths.ROOT / "CITATION.cff").read_text(encoding="utf-8"))["keywords"]
    description = soup(printed.site / "index.html").select_one('meta[name="description"]')["content"]
    language = soup(printed.site / "index.html").html["lang"]
    with pikepdf.open(printed.path) as document:
        info = document.docinfo
        assert (str(info.Title), str(info.Author), str(info.Subject)) == (config["title"], config["author"], description)
        assert str(info.Keywords) == "; ".join(keywords)
        xmp = document.open_metadata()
        assert (xmp["dc:title"], xmp["dc:creator"], xmp["dc:language"]) == (config["title"], [config["author"]], {language})
        assert xmp["dc:subject"] == set(keywords)
        assert str(document.Root.Lang) == language and document.Root.MarkInfo.Marked
        assert document.Root.ViewerPreferences.DisplayDocTitle and document.Root.PageMode == "/UseOutlines"
        elements = structure_elements(document)
        kinds, alts = {str(element.S) for element in elements}, set(figure_alts(elements))
    assert {"/H1", "/H2", "/P", "/Table", "/TH", "/TD", "/L", "/LI", "/Link", "/Figure", "/Caption"} <= kinds
    html_alts = {" ".join(img["alt"].split()) for page in book_pages(printed.site)
                 for img in soup(printed.site / page).select("figure.jinchang-figure img")}
    assert html_alts <= alts


def test_every_page_links_the_pdf_from_its_download_menu_and_citation_tags(printed):
    others = tuple(f"{e.folder}/" for e in EDITIONS if e.folder and e != printed.edition)
    menus = 0
    for page in sorted(p.relative_to(printed.site).as_posix() for p in printed.site.rglob("*.html")):
        if page.startswith(others):
            continue
        html = soup(printed.site / page)
        if html.select_one(".dropdown-download-buttons"):
            menus += 1
            link = html.select_one(".dropdown-download-buttons a.btn-download-book-pdf-button")
            assert link is not None, page
            assert urljoin(page, link["href"]) == pdf.FILENAME, page
            printing = html.select_one(".dropdown-download-buttons .btn-download-pdf-button")  # the page, printed
            assert printing.get_text(strip=True) == labels("pdf", printed.edition.language[:2])["print_page"] != ".pdf", page
        tag = html.select_one('meta[name="citation_pdf_url"]')
        if html.select_one('meta[name="citation_title"]'):
            assert tag is not None and urljoin(page, tag["content"]) == pdf.FILENAME, page
    assert menus >= 11
    assert soup(printed.site / "index.html").select_one(f'article a[href="{pdf.FILENAME}"]') is not None


def test_the_same_site_and_commit_give_the_same_pdf_wherever_it_is_printed(book, tmp_path, monkeypatch):
    """Two printings of the same built site in different folders, the second with fonts converted for
    more characters (as a build converts them for the whole project's): the same bytes, dated by
    SOURCE_DATE_EPOCH."""
    from jinchang.labels import FOLDER
    from jinchang.pdf import fonts

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01T00:00:00Z
    more = "".join(path.read_text(encoding="utf-8") for path in [*book.rglob("*.html"), *FOLDER.glob("*.yml")])
    fonts.truetype(more + "镍都鑫", tmp_path / "fonts")
    printed = []
    for folder, converted in ((tmp_path / "a", None), (tmp_path / "b" / "deeper", tmp_path / "fonts")):
        site = folder / "html"
        shutil.copytree(book, site, ignore=shutil.ignore_patterns(pdf.FILENAME))
        printed.append(pdf.write(editions.ENGLISH, site, converted).read_bytes())
        monkeypatch.setattr(fonts, "_to_truetype", None)  # the second's fonts are subset from those, not converted
    assert first_difference(printed[0], printed[1]) is None
    reader = PdfReader(tmp_path / "a" / "html" / pdf.FILENAME)
    assert "1January2026" in squeeze(reader.pages[0].extract_text())
    assert reader.metadata["/CreationDate"].startswith("D:20260101000000")


def test_an_edited_page_reprints_its_piece_alone_and_the_same_pdf_as_a_printing_afresh(book, tmp_path, monkeypatch,
                                                                                    capsys):
    """A claim's note edited: the Claims page's piece alone is printed again, the others are kept from the
    last printing, and the PDF has the same bytes as one printed from nothing (no pieces, no pages)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    kept, afresh = tmp_path / "kept" / "html", tmp_path / "afresh" / "html"
    shutil.copytree(book, kept, ignore=shutil.ignore_patterns(pdf.FILENAME))
    pdf.write(editions.ENGLISH, kept)
    note = data.claims().set_index("id").loc["nickel-foil-thickness", "notes"].rsplit(". ", 1)[-1]  # plain text
    claims = kept / "chapters" / "claims.html"
    html = claims.read_text(encoding="utf-8")
    assert note in html
    claims.write_text(html.replace(note, f"{note} Edited.", 1), encoding="utf-8")
    pieces = len(book_pages(kept)) + 1  # and the front matter
    capsys.readouterr()
    for edit in ("note", "link"):
        if edit == "link":  # in the same page, a first link to a paragraph of another: both pages are printed
            printed_ids = set(re.findall(r' id="([^"]+)"', (kept.parent / "print" / "book.html").read_text(encoding="utf-8")))
            linked = set(re.findall(r' href="#([^"]+)"', (kept.parent / "print" / "book.html").read_text(encoding="utf-8")))
            target = next(node["id"] for node in soup(kept / "chapters" / "01-clusters.html").select("article p[id], article div[id]")
                          if node["id"] in printed_ids - linked)
            claims.write_text(claims.read_text(encoding="utf-8").replace(
                f"{note} Edited.", f'{note} Edited, <a href="01-clusters.html#{target}">see</a>.', 1), encoding="utf-8")
        shutil.rmtree(afresh.parent, ignore_errors=True)
        shutil.copytree(kept, afresh, ignore=shutil.ignore_patterns(pdf.FILENAME))
        edited = pdf.write(editions.ENGLISH, kept).read_bytes()
        assert f"(printed {1 if edit == 'note' else 2} of its {pieces} pieces)" in capsys.readouterr().out, edit
        assert first_difference(edited, pdf.write(editions.ENGLISH, afresh).read_bytes()) is None, edit
        capsys.readouterr()
    reader = PdfReader(io.BytesIO(edited))
    title = soup(claims).select_one("article.bd-article h1").get_text(strip=True).rstrip("#")
    first = next(page for entry, page, _ in flat(outline(reader)) if entry == title)
    assert any(squeeze(f"{note} Edited") in squeeze(page.extract_text()) for page in reader.pages[first - 1:])


def test_each_edition_prints_in_its_language_with_what_its_landing_page_says(book, tmp_path):
    """The edition, not the code, decides the words of the print; the site decides its title and address."""
    site = tmp_path / "html"
    shutil.copytree(book, site, ignore=shutil.ignore_patterns(pdf.FILENAME))
    index = site / "index.html"
    html = index.read_text(encoding="utf-8")
    ours = soup(book / "index.html").select_one('meta[name="citation_title"]')["content"]
    html = html.replace(f'<meta name="citation_title" content="{ours}" />', '<meta name="citation_title" content="数说金昌" />')
    html = html.replace(f'content="{pdf.FILENAME}"', f'content="https://example.org/book/zh/{pdf.FILENAME}"')
    index.write_text(html, encoding="utf-8")
    chinese = editions.Edition("zh", "zh_CN", "zh-Hans", "zh", "中文")
    reader = PdfReader(pdf.write(chinese, site))
    title_page, contents = (squeeze(reader.pages[n].extract_text()) for n in (0, 1))
    assert title_page.startswith("数说金昌") and f"版本{__version__}" in title_page
    assert "https://example.org/book/zh/" in title_page and contents.startswith("目录")
    assert "注释" in [title for title, *_ in flat(outline(reader))]
    with pikepdf.open(site / pdf.FILENAME) as document:
        assert str(document.Root.Lang) == "zh-Hans" and str(document.docinfo.Title) == "数说金昌"


def test_source_date_comes_from_the_environment_and_rejects_nonsense(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    assert pdf.source_date().year == 1970
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(pdf.PrintError, match="SOURCE_DATE_EPOCH"):
        pdf.source_date()


def test_a_character_the_font_lacks_fails_the_pdf_naming_it_and_its_page(book, tmp_path):
    site = tmp_path / "html"
    shutil.copytree(book, site, ignore=shutil.ignore_patterns(pdf.FILENAME))
    page = site / "chapters" / "methods.html"
    html = page.read_text(encoding="utf-8")
    at = html.index("<p>", html.index("<article"))
    page.write_text(f"{html[:at]}<p>\U00020000{html[at + 3:]}", encoding="utf-8")
    with pytest.raises(pdf.PrintError, match="no glyph for \U00020000.*chapters/methods.html"):
        pdf.write(editions.ENGLISH, site)


@pytest.mark.parametrize("edition", editions.EDITIONS, ids=lambda e: e.language)
def test_a_pdf_that_fails_fails_the_build_and_keeps_the_published_site(book, tmp_path, edition):
    """In either edition: each has its own print document, and either failing fails the build."""
    root = copy_project(tmp_path / "book", book)
    assert run_build(root).returncode == 0
    published = root / "_build" / "html" / edition.folder / pdf.FILENAME
    before = published.read_bytes()
    methods = root / edition.folder / "chapters" / "methods.md"
    sentence = {"en": "A character no font of the book has: \U0001F642.", "zh": "本书的字体都没有这个字符：\U0001F642。"}
    methods.write_text(methods.read_text(encoding="utf-8") + f"\n{sentence[edition.code]}\n", encoding="utf-8")
    failed = run_build(root)
    assert failed.returncode != 0
    assert "no glyph for \U0001F642" in failed.stderr and "chapters/methods.html" in failed.stderr
    assert first_difference(published.read_bytes(), before) is None


def test_a_build_without_the_pdf_publishes_no_pdf_not_even_an_older_one(book, tmp_path):
    """The live preview's build (``--no-pdf``) leaves the PDFs out; the next full build prints them."""
    root = copy_project(tmp_path / "book", book)
    site = root / "_build" / "html"
    every_pdf = {(Path(e.folder) / pdf.FILENAME).as_posix() for e in editions.EDITIONS}

    def pdfs() -> set[str]:
        return {path.relative_to(site).as_posix() for path in site.rglob("*.pdf")}

    for options, published, says, rebuilt in ((["--no-pdf"], set(), " without the PDF ", True),
                                              ([], every_pdf, " to ", False),
                                              (["--no-pdf"], set(), " without the PDF ", False)):
        built = run_build(root, *options)
        assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
        assert f"published English, 中文{says}" in built.stdout
        assert pdfs() == published
        # switching between the two builds leaves the editions as they were built
        assert ("English: unchanged" in built.stdout and "中文: unchanged" in built.stdout) != rebuilt


def test_without_chromiums_headless_shell_the_pdf_says_how_to_install_it(monkeypatch):
    from jinchang.pdf import render

    monkeypatch.setattr(render, "SHELL", "/nonexistent/chromium-headless-shell")
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(pdf.PrintError, match="none was found") as raised:
        render.shell()
    assert "apt-get install chromium-headless-shell" in raised.value.hint


HATCHED = b"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 100">
<defs><pattern id="h1" patternUnits="userSpaceOnUse" x="0" y="0" width="72" height="72">
<rect x="0" y="0" width="73" height="73" fill="#fff"/><path d="M 0 72 L 72 0" style="stroke: #d55e00"/></pattern></defs>
<path d="M 10 10 L 250 10 L 250 90 L 10 90 z" style="fill: url(#h1); stroke: #d55e00"/></svg>"""


def test_hatching_is_drawn_as_clipped_vector_tiles():
    out = vector_hatching(HATCHED, "test.svg").decode()
    assert "<pattern" not in out and "url(#h1)" not in out
    assert out.count("<use") == 4 * 2  # columns 0-3 (to x = 288) by rows 0-1 (to y = 144) cover the shape
    assert 'clip-path="url(#h1-shape-' in out and "fill: none" in out
    assert vector_hatching(b"<svg xmlns='http://www.w3.org/2000/svg'/>", "plain.svg") is None


def test_hatching_that_is_not_understood_is_an_error():
    with pytest.raises(pdf.PrintError, match="not a plain user-space tile"):
        vector_hatching(HATCHED.replace(b'x="0" y="0" width="72"', b'patternTransform="rotate(45)" width="72"'), "t.svg")
    with pytest.raises(pdf.PrintError, match="not a path"):
        vector_hatching(HATCHED.replace(b'<path d="M 10 10 L 250 10 L 250 90 L 10 90 z"', b'<rect width="9" height="9"'),
                        "t.svg")
