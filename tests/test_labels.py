"""The tables of labels: the same keys and placeholders in both languages, Chinese in Chinese, a
clear error for a missing key or value, and Chinese text without English left over wherever code
writes it for readers of the Chinese edition."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from string import Formatter

import pytest

from bs4 import BeautifulSoup

from jinchang import bibliography, citation, factcheck, kit, labels, paths
from jinchang.sphinxext import kits

LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
# Names, kept as they are in Chinese text: file formats, the ids of context rows, a citation style,
# tools and the files of a data package. Code and data identifiers are marked as `code`.
ALLOWED_LATIN = {"PDF", "SVG", "PNG", "CSV", "ctx", "APA", "HTML", "Frictionless", "datapackage", "json", "README",
                 "Python", "Jupyter", "zip", "wheel"}


def entries(table: object, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], object]]:
    """Every text of a labels table, with its path of keys."""
    if isinstance(table, dict):
        for key, value in table.items():
            yield from entries(value, (*path, str(key)))
    else:
        yield path, table


def latin_words(value: str) -> set[str]:
    """Words in Latin letters in ``value``, its {placeholders} (with their formats, {day:%Y}) and `code` left out."""
    return set(LATIN_WORD.findall(re.sub(r"\{\w*(?::[^{}]*)?\}|`[^`]*`", "", value))) - ALLOWED_LATIN


# What a Chinese text leaves out on purpose: a Chinese reader needs no English translation of a quote.
CHINESE_LEAVES_OUT = {("claims", "claim_tip"): {"translation"}, ("factcheck", "review_body"): {"translation"},
                      ("factcheck", "indicator"): {"english"}}


# Keys only the English edition needs: the Chinese Claims table has no column of English translations.
ONLY_ENGLISH = {("tables", "claims", "translation")}


def test_both_tables_of_labels_have_the_same_keys_and_placeholders():
    english, chinese = dict(entries(labels.table("en"))), dict(entries(labels.table("zh")))
    assert english.keys() - ONLY_ENGLISH == chinese.keys(), (english.keys() - ONLY_ENGLISH) ^ chinese.keys()
    for key, value in english.items():
        if key in ONLY_ENGLISH:
            continue
        expected = labels.placeholders(str(value)) - CHINESE_LEAVES_OUT.get(key, set())
        assert labels.placeholders(str(chinese[key])) == expected, key


def test_the_chinese_labels_are_written_in_chinese():
    for key, value in entries(labels.table("zh")):
        assert not latin_words(str(value)), (key, value)


def test_a_missing_placeholder_fails_by_name():
    with pytest.raises(KeyError, match=r"labels/zh.yml, cluster_share.title: no value for \['share'\]"):
        labels.labels("cluster_share", "zh")("title")


def test_a_missing_key_or_section_fails_by_name():
    with pytest.raises(KeyError, match=r"labels/zh.yml has no cluster_share.nothing"):
        labels.labels("cluster_share", "zh")["nothing"]
    with pytest.raises(KeyError, match=r"labels/en.yml has no section 'nothing'"):
        labels.labels("nothing", "en")


# --- the Chinese edition's text written by code: no English words of the tables left over --------

def english_fragments(*sections: str) -> set[str]:
    """The English tables' words between placeholders (of ``sections``, else all), of two Latin words
    or more, that the Chinese table does not use too (file names, commands): any of them in Chinese
    text is English left over."""
    chinese = " ".join(str(value) for _, value in entries(labels.table("zh")))
    english = labels.table("en")
    found = set()
    for _, value in entries({s: english[s] for s in sections} if sections else english):
        for text, *_ in Formatter().parse(str(value)):
            text = text.strip(" .,:;()")
            if len(LATIN_WORD.findall(text)) >= 2 and text not in chinese:
                found.add(text)
    return found


def left_over(text: str, *sections: str) -> list[str]:
    return sorted(fragment for fragment in english_fragments(*sections) if fragment in text)


def test_english_fragments_find_english_text():
    assert left_over(citation.citations(citation.configured_book(), citation.whole(citation.configured_book()))["APA"])
    assert "Cite this figure" in english_fragments() and "Reuse this figure" in english_fragments()


def fact_check_frame(html: str) -> str:
    """The fact-check table's own words (headers, verdicts, labels, reviewer and URLs), not the checks' texts."""
    soup = BeautifulSoup(html, "html.parser")
    reviews = [json.loads(script.string) for script in soup.select("script")]
    return " ".join([*(node.get_text() for node in soup.select("th, .verdict, a[href^='#check-'], dt")),
                     *(f"{r['author']['name']} {r['reviewRating']['alternateName']} {r.get('url', '')}" for r in reviews)])


def test_citations_data_packages_and_references_of_the_chinese_edition_are_in_chinese():
    book = citation.configured_book("zh")
    work = citation.figure("fig-x", "标题", "chapters/02-parks.html", "2.1")
    payload = {"name": "fig-x", "title": "标题", "subtitle": "副标题", "alt": "替代文字", "width": 600, "height": 400,
               "csv": "label,value,claim_id,context_id,quote\n甲,1,zone-tax-2024,ctx-001,引文\n",
               "claims": ["zone-tax-2024"], "context": ["ctx-001"]}
    package = kit.figure_package(book, work, payload, None)
    about = kit.data_package(book)[f"{kit.DATA_FOLDER}/README.md"].decode()
    written = {
        "figure citations": "\n".join(citation.citations(book, work).values()),
        "book citations": "\n".join(citation.citations(book, citation.whole(book)).values()),
        "figure package": "\n".join(package[f"fig-x/{file}"].decode() for file in ("README.md", "datapackage.json")),
        # the README of the data folder follows, as the data has it
        "data package": about.split("\n## " + labels.labels("kit", "zh")["about"])[0],
        "embed": kits.embed_snippet(book, work, payload) + kits.embed_page(book, payload, "标题"),
        "references": bibliography.bibtex("zh"),
        "fact-check": fact_check_frame(factcheck.Table(lang="zh")._repr_html_()),
    }
    for name, text in written.items():
        assert not left_over(text), (name, left_over(text))
    assert list(citation.citations(book, work))[0] == "GB/T 7714"
    assert '<html lang="zh-Hans">' in written["embed"] and "图2.1" in written["figure citations"]


# Pages of the Chinese edition with text that Sphinx code writes, and where: figures and their
# citations, the figure list and the book's citation, a reuse kit, the appendix tables, code toggles,
# the footer. (The pages' own Markdown is the translators'.)
ZH_PAGES = ("zh/chapters/02-parks", "zh/chapters/figures", "zh/figures/fig-tax-path/index", "zh/chapters/claims",
            "zh/chapters/sources", "zh/chapters/corrections", "zh/chapters/methods")
WRITTEN_BY_CODE = (".figure-sources, .figure-downloads, .figure-data > summary, .figure-reuse, details.citation, "
                   ".figure-entry, .figure-kit, .data-table thead, details.hide > summary, .extra_footer")


@pytest.mark.build
@pytest.mark.parametrize("docname", ZH_PAGES)
def test_the_chinese_edition_writes_its_words_in_chinese(book, docname):
    soup = BeautifulSoup((book / f"{docname}.html").read_text(encoding="utf-8"), "html.parser")
    for code in soup.select("pre, .figure-entry-title, .figure-kit h1, .figure-kit img"):  # code, and chart titles
        code.decompose()
    written = soup.select(WRITTEN_BY_CODE)
    text = " ".join(" ".join(node.get_text(" ") for node in written).split())
    assert written and not left_over(text), left_over(text)
    assert any(v in text for _, v in entries(labels.table("zh")) if isinstance(v, str) and len(v) > 3), text[:200]


@pytest.mark.build
def test_the_chinese_notebooks_first_cell_is_in_chinese(book):
    notebook = json.loads((book / "zh/_sources/chapters/02-parks.ipynb").read_text(encoding="utf-8"))
    first = "".join(notebook["cells"][0]["source"])
    assert first.startswith("本笔记本是") and not left_over(first, "notebooks"), first


@pytest.mark.parametrize("name", ["toggle-primary-sidebar.html", "toggle-secondary-sidebar.html", "sbt-sidebar-nav.html"])
def test_a_template_that_translates_the_themes_words_is_the_themes_own_otherwise(name):
    """The overrides in _templates only wrap the theme's English words in _(): after an upgrade of the
    theme, one that no longer matches its template fails here, not silently on the pages."""
    import sphinx_book_theme

    theirs = Path(sphinx_book_theme.__file__).parent / "theme" / "sphinx_book_theme" / "components" / name
    ours = (paths.ROOT / "_templates" / name).read_text(encoding="utf-8").split("\n", 1)[1]  # less our comment
    assert re.sub(r"\{\{ _\('([^']*)'\) \}\}", r"\1", ours) == theirs.read_text(encoding="utf-8")
