"""The two editions: the same book in English and in Chinese, page for page, section for section."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup, Comment, Tag

from jinchang import data
from jinchang.editions import CHINESE, EDITIONS, ENGLISH, Edition

pytestmark = pytest.mark.build

# A run of this many Latin-script words in a Chinese page is English prose, not a name or a unit.
ENGLISH_PROSE_WORDS = 4
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
ADDRESS = re.compile(r"\S+[./]\S+")


def toc(edition: Edition) -> list[str]:
    """The docnames of an edition's table of contents, in order, with the parts' numbering."""
    spec = yaml.safe_load(edition.toc.read_text(encoding="utf-8"))
    return [spec["root"]] + [f"{part.get('numbered', False)}:{c['file']}" for part in spec["parts"]
                             for c in part["chapters"]]


def docnames() -> list[str]:
    return [entry.split(":")[-1] for entry in toc(ENGLISH)]


def page(book: Path, edition: Edition, docname: str) -> BeautifulSoup:
    return BeautifulSoup((book / edition.path(f"{docname}.html")).read_text(encoding="utf-8"), "html.parser")


def main(soup: BeautifulSoup) -> Tag:
    return soup.select_one("article.bd-article") or soup.select_one("main")


def outline(soup: BeautifulSoup) -> list[dict]:
    """Per section of the page, in order: its anchor, then the rows, figures and checks it shows."""
    sections = []
    for section in main(soup).find_all("section"):
        own = [el for el in section.find_all(True) if el.find_parent("section") is section]
        sections.append({
            "anchor": section.get("id"),
            "rows": [a["href"].split("#")[-1] for a in own if a.name == "a" and "data-ref" in a.get("class", [])
                     and "term" not in a.get("class", [])],
            # glossary terms in any order: Chinese word order is not English word order
            "terms": sorted({a["href"].split("#")[-1] for a in own if a.name == "a" and "term" in a.get("class", [])}),
            "figures": [el["id"] for el in own if el.get("id", "").startswith("fig-")],
            "checks": [el["id"] for el in own if "fact-check-item" in el.get("class", [])],
            "glue": len([el for el in own if "pasted-text" in el.get("class", [])]),
        })
    return sections


def test_both_editions_have_the_same_table_of_contents() -> None:
    assert toc(CHINESE) == toc(ENGLISH)


@pytest.mark.parametrize("docname", docnames())
def test_each_section_shows_the_same_rows_figures_and_checks_in_both_editions(book: Path, docname: str) -> None:
    english, chinese = (outline(page(book, ed, docname)) for ed in (ENGLISH, CHINESE))
    assert [s["anchor"] for s in chinese] == [s["anchor"] for s in english], "the same sections, same anchors"
    for en_section, zh_section in zip(english, chinese):
        assert zh_section == en_section, f"section #{en_section['anchor']} differs between the editions"


@pytest.mark.parametrize("edition", EDITIONS, ids=lambda e: e.code)
def test_every_page_declares_its_language_and_links_its_counterparts(book: Path, edition: Edition) -> None:
    for docname in docnames():
        soup = page(book, edition, docname)
        assert soup.html["lang"] == edition.tag, docname
        # hreflang links need full addresses (see test_citation for a book published with one): none here
        assert not soup.find_all("link", rel="alternate", hreflang=True), docname
        switch = soup.select_one("a.edition-switch")
        assert switch is not None and switch.get("hreflang") in {e.tag for e in EDITIONS if e != edition}, docname
        target = (book / edition.path(f"{docname}.html")).parent / switch["href"].split("#")[0]
        other = next(e for e in EDITIONS if e.tag == switch["hreflang"])
        assert target.resolve() == (book / other.path(f"{docname}.html")).resolve(), (docname, other.code)


def _english_runs(soup: BeautifulSoup) -> list[str]:
    """Runs of Latin-script words in the text of a Chinese page, outside code, with where they are."""
    body = soup.body
    for hidden in body.select("script, style, pre, code, .highlight, kbd, samp, svg, math, .cell_input"):
        hidden.decompose()
    runs = []
    for text in body.find_all(string=True):
        if isinstance(text, Comment):  # the theme's notes to itself, not read by anyone
            continue
        words = LATIN_WORD.findall(ADDRESS.sub("", text))  # addresses and file names are not prose
        if len(words) >= ENGLISH_PROSE_WORDS and not _allowed(text):
            runs.append(text.strip()[:80])
    return runs


def _allowed(text: str) -> bool:
    """Names and glosses that stay in English: the glossary's English renderings, source titles in
    English, the verbatim words of sources written in English, licences and standards."""
    known = {*data.tables().glossary["english"], *data.tables().context["source_title"],
             *data.tables().references["quote"],
             "Creative Commons Attribution", "SIL Open Font License"}
    return any(name and name.rstrip(".") in text for name in known)  # a sentence's stop is not a Latin word


@pytest.mark.parametrize("docname", docnames())
def test_no_chinese_page_carries_english_prose(book: Path, docname: str) -> None:
    soup = page(book, CHINESE, docname)
    assert _english_runs(soup) == []
    # In the text of the page (not the theme's keys and menus), Latin-script words are marked as English.
    unmarked = [t.strip() for t in main(soup).find_all(string=LATIN_WORD)
                if not t.find_parent(attrs={"lang": "en"}) and not t.find_parent(["script", "style", "pre", "code"])]
    assert unmarked == [], "Latin-script words in Chinese text are marked lang=\"en\""


# Attributes a reader meets as words: a screen reader reads them, hovering over a control shows them.
LABELS = ("title", "aria-label", "placeholder", "alt")
HAN = re.compile(r"[\u3400-\u9fff]")


def _english_labels(soup: BeautifulSoup) -> list[str]:
    """The labels of a page's elements that are English words and nothing in Chinese."""
    for element in soup.select(".onlyprint, .Z3988"):  # shown on paper only; a citation's data for machines
        element.decompose()
    return [f'<{el.name} {name}="{el[name]}">' for el in soup.find_all(True) for name in LABELS
            if LATIN_WORD.search(el.get(name, "")) and not HAN.search(el[name])]


@pytest.mark.parametrize("docname", [*docnames(), "search", "genindex"])
def test_the_chinese_pages_label_their_controls_in_chinese(book: Path, docname: str) -> None:
    """The theme's and Sphinx's labels that their catalogs leave in English are translated
    (jinchang.sphinxext.translations, and _templates for those the theme writes in English)."""
    assert _english_labels(page(book, CHINESE, docname)) == []


def _words(soup: BeautifulSoup) -> str:
    return " ".join(main(soup).get_text().split())


@pytest.mark.parametrize("docname,table,columns", [
    ("chapters/claims", "claims", ["subject", "indicator", "notes"]),
    ("chapters/sources", "context", ["geography", "publisher", "note", "book_note", "unused_reason", "source_title"]),
    ("chapters/sources", "references", ["indicator_en", "source_title", "publisher", "note"]),
    ("chapters/sources", "datasets", ["title", "publisher", "note"]),
    ("chapters/glossary", "glossary", ["note"]),
    ("chapters/corrections", "corrections", ["page", "was", "now", "why"]),
    ("chapters/methods", "units", ["description"]),
])
def test_the_chinese_tables_show_the_chinese_of_the_data(book: Path, docname: str, table: str,
                                                         columns: list[str]) -> None:
    """Each English text of the data that the English page shows, the Chinese page shows in Chinese."""
    english, chinese = (_words(page(book, edition, docname)) for edition in (ENGLISH, CHINESE))
    rows = getattr(data.tables(), table)
    for column in columns:
        translated = column[:-3] + "_zh" if column.endswith("_en") else column + "_zh"
        for en_text, zh_text in zip(rows[column], rows[translated]):
            en_text, zh_text = " ".join(en_text.split()), " ".join(zh_text.split())
            if not en_text:
                continue
            assert en_text in english, (column, en_text)
            assert zh_text in chinese, (column, zh_text)
            assert en_text in zh_text or en_text not in chinese, (column, en_text)


@pytest.mark.parametrize("edition", EDITIONS, ids=lambda e: e.code)
def test_the_context_chapter_numbers_its_sources_in_the_order_it_first_cites_them(book: Path, edition: Edition) -> None:
    """The citations of chapter 4, read in order, number their sources 1, 2, 3 as each is first cited,
    and the list under the chapter gives them in that order, each link leading to its own number."""
    article = main(page(book, edition, "chapters/04-context"))
    links = article.select(".bibtex-citation > a")
    first = list(dict.fromkeys(a.get_text() for a in links))
    assert len(first) > 2 and first == [str(n) for n in range(1, len(first) + 1)], first
    listed = {entry["id"]: entry.select_one(".label").get_text().strip("[]")
              for entry in article.select(".citation-list > .citation")}
    assert list(listed.values()) == first
    assert all(listed[a["href"].lstrip("#")] == a.get_text() for a in links)
