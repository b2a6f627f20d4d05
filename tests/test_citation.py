"""Citing the book and its figures: numbers, anchors, downloads, fingerprints, the four citation
formats, the Figures page, page metadata, CITATION.cff and references.bib."""

from __future__ import annotations

import hashlib
import importlib
import inspect
import json
import pkgutil
import re
import typing
from pathlib import Path
from xml.etree import ElementTree

import bibtexparser
import jsonschema
import pandas as pd
import pytest
import yaml
from bs4 import BeautifulSoup, Tag
from docutils import nodes
from PIL import Image

import jinchang.charts
from jinchang import __version__, citation, paths
from jinchang.bibliography import ARTICLE_KEY, key_for
from jinchang.data import record
from jinchang.figure import Chart
from jinchang.sphinxext import claims
from jinchang.sphinxext import meta as meta_tags

from .conftest import copy_project, run_build
from .test_book import page, toc_docnames

FIXTURES = Path(__file__).parent / "fixtures"
FIGURES_PAGE = "chapters/figures"
ELSEWHERE = "https://example.org/jinchang/"  # a published address, for the second build only


# --- helpers ---------------------------------------------------------------------------------

def published_figures(book: Path) -> dict[str, tuple[str, Tag]]:
    """Every figure of the book: name -> (docname, its <figure> element)."""
    return {figure["id"]: (docname, figure) for docname in toc_docnames()
            for figure in page(book, docname).select("figure.jinchang-figure")}


def figure_number(figure: Tag) -> str:
    return figure.select_one(".caption-number").get_text(strip=True)


def formats(details: Tag) -> dict[str, str]:
    """A citation block's texts, by format name, as the copy button copies them."""
    return {label.get_text(): label.find_next_sibling("div").select_one("div.highlight pre").get_text().rstrip("\n")
            for label in details.select("p.citation-format")}


def citation_under(figure: Tag) -> Tag:
    details = figure.find_next_sibling("details")
    assert details is not None and "citation" in details["class"], figure["id"]
    assert details.summary.get_text(strip=True) == "Cite this figure"
    return details


def ris_tags(text: str) -> list[tuple[str, str]]:
    lines = text.split("\n")
    assert all(re.fullmatch(r"[A-Z][A-Z0-9]  - .*", line) for line in lines), text
    return [(line[:2], line[6:]) for line in lines]


def unlatex(text: str) -> str:
    return re.sub(r"\\([&%$#_{}])", r"\1", text.strip("{}"))


def chart_functions() -> dict[str, typing.Callable[[], Chart]]:
    """Every public function of the chart modules that returns a Chart, by the chart's name."""
    found = {}
    for info in pkgutil.iter_modules(jinchang.charts.__path__):
        module = importlib.import_module(f"jinchang.charts.{info.name}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if (function.__module__ == module.__name__ and not name.startswith("_")
                    and typing.get_type_hints(function).get("return") is Chart):
                chart = function()
                found[chart.name] = chart
    return found


@pytest.fixture(scope="module")
def figures(book) -> dict[str, tuple[str, Tag]]:
    found = published_figures(book)
    assert len(found) >= 5
    return found


# --- citation module (no build needed) --------------------------------------------------------

def test_urls_are_absolute_only_when_the_address_is_known(monkeypatch):
    monkeypatch.delenv(citation.BASEURL_VARIABLE, raising=False)
    unknown = citation.book(title="T", author="A", copyright="2026")
    assert unknown.url("chapters/x.html#fig-a") == "[book URL]/chapters/x.html#fig-a"
    for configured in ("https://example.org/b", "https://example.org/b/"):
        known = citation.book(title="T", author="A", copyright="2026", baseurl=configured)
        assert known.url("chapters/x.html#fig-a") == "https://example.org/b/chapters/x.html#fig-a"
    monkeypatch.setenv(citation.BASEURL_VARIABLE, "https://example.org/env/")
    assert citation.book(title="T", author="A", copyright="2026").url("p.html") == "https://example.org/env/p.html"


def test_every_format_escapes_data_and_keeps_the_conventions():
    book = citation.Book(title="Jinchang by the numbers", author="Jinchang by the numbers", year="2026",
                         version=__version__)
    title = 'Tax "grew" 44.5% & more_than {x} #1 $'
    texts = citation.citations(book, citation.figure("fig-x", title, "chapters/x.html", "2.3"))
    entry = bibtexparser.loads(texts["BibTeX"]).entries[0]
    assert unlatex(entry["title"]) == title and entry["ID"] == "jinchang-fig-x"
    assert entry["urldate"] == citation.ACCESS_DATE
    tags = dict(ris_tags(texts["RIS"]))
    assert tags["TI"] == title and tags["Y2"] == citation.ACCESS_DATE
    assert json.loads(texts["CSL-JSON"])[0]["title"] == title
    for text in texts.values():
        assert "[book URL]/chapters/x.html#fig-x" in text and citation.ACCESS_DATE in text
        assert record()["title"] in text and "not stated" in text


def test_citation_cff_is_valid_and_matches_the_book():
    cff = yaml.safe_load((paths.ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    # The official CFF 1.2.0 schema, as shipped in the cffconvert 2.0.0 wheel (cffconvert/schemas/1.2.0).
    schema = json.loads((FIXTURES / "citation-cff-1.2.0.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    assert [e.message for e in validator.iter_errors(cff)] == []
    book = citation.configured_book()
    assert cff["title"] == book.title and cff["version"] == __version__
    assert cff["authors"] == [{"name": book.author}]
    assert cff["license"] == [spdx for _, _, spdx, _ in citation.LICENCES if spdx]
    preferred = cff["preferred-citation"]
    assert (preferred["title"], preferred["version"], preferred["year"]) == (book.title, __version__, int(book.year))
    assert cff.get("url", "") == (yaml.safe_load((paths.ROOT / "_config.yml").read_text())["html"].get("baseurl") or "")
    assert cff["references"][0]["title"].startswith(record()["title"])



# --- figures in the chapters ----------------------------------------------------------------

@pytest.mark.build
def test_every_figure_is_numbered_anchored_and_cites_its_sources(book, figures):
    for name, (docname, figure) in figures.items():
        assert re.fullmatch(r"fig-[a-z0-9-]+", name)
        assert re.fullmatch(r"Figure \d+\.\d+", figure_number(figure)), name
        assert figure.select_one(f'a.headerlink[href="#{name}"]')
        plotted = pd.read_csv(book / "figures" / f"{name}.csv", dtype=str)
        used = {i for column in ("claim_id", "context_id") for cell in plotted[column].dropna() for i in cell.split()}
        linked = {a.select_one(".data-value").get_text() for a in figure.select("p.figure-sources a.data-ref")}
        assert linked == used, name
        alt = figure.select_one("img")["alt"]
        assert alt and all(shown in alt for shown in plotted.get("shown", pd.Series(dtype=str)).dropna()), name


@pytest.mark.build
def test_downloads_exist_at_stable_names_and_the_png_is_print_resolution(book, figures):
    for name, (docname, figure) in figures.items():
        links = [a["href"] for a in figure.select("p.figure-downloads a[download]")]
        assert links == [f"../figures/{name}.{ext}" for ext in ("svg", "png", "csv")]
        for ext in ("svg", "png", "csv"):
            assert (book / "figures" / f"{name}.{ext}").stat().st_size > 0, (name, ext)
        image = figure.select_one("img")
        with Image.open(book / "figures" / f"{name}.png") as png:
            assert png.width >= 2 * float(image["width"]) and png.height >= 2 * float(image["height"]), name


@pytest.mark.build
def test_each_csv_is_byte_for_byte_what_its_chart_function_plots(book, figures):
    charts = chart_functions()
    assert set(figures) <= set(charts), set(figures) - set(charts)
    for name in figures:
        assert (book / "figures" / f"{name}.csv").read_bytes() == charts[name].csv.encode(), name


@pytest.mark.build
def test_each_image_carries_the_version_and_the_hash_of_its_published_csv(book, figures):
    dublin_core = "{http://purl.org/dc/elements/1.1/}"
    for name in figures:
        digest = hashlib.sha256((book / "figures" / f"{name}.csv").read_bytes()).hexdigest()
        expected = f"jinchang-{__version__}-data-sha256:{digest}"
        svg = ElementTree.parse(book / "figures" / f"{name}.svg")
        assert svg.find(f".//{dublin_core}identifier").text == expected, name
        with Image.open(book / "figures" / f"{name}.png") as png:
            assert png.text["Identifier"] == expected, name


@pytest.mark.build
def test_cite_this_figure_gives_four_formats_that_parse(book, figures):
    for name, (docname, figure) in figures.items():
        number = figure_number(figure).removeprefix("Figure ")
        title = figure.select_one(".caption-text").get_text()
        url = f"[book URL]/{docname}.html#{name}"
        texts = formats(citation_under(figure))
        assert list(texts) == list(citation.FORMATS)

        (entry,) = bibtexparser.loads(texts["BibTeX"]).entries
        assert (entry["ENTRYTYPE"], entry["ID"]) == ("misc", f"jinchang-{name}")
        assert unlatex(entry["title"]) == title and entry["version"] == __version__
        assert (entry["url"], entry["urldate"]) == (url, citation.ACCESS_DATE)
        assert f"Figure {number}" in entry["howpublished"] and record()["title"] in entry["note"]

        (item,) = json.loads(texts["CSL-JSON"])
        assert {"id", "type", "title", "author", "issued", "URL", "version", "accessed", "note"} <= set(item)
        assert (item["id"], item["type"], item["title"]) == (f"jinchang-{name}", "figure", title)
        assert (item["URL"], item["version"], item["number"]) == (url, __version__, number)
        assert item["author"] == [{"literal": "Jinchang by the numbers"}] and item["issued"]["date-parts"][0][0] > 2000

        tags = ris_tags(texts["RIS"])
        assert tags[0] == ("TY", "FIGURE") and tags[-1] == ("ER", "")
        fields = dict(tags)
        assert (fields["TI"], fields["UR"], fields["ET"], fields["Y2"]) == (title, url, __version__, citation.ACCESS_DATE)

        apa = texts["APA"]
        for part in (f"[Figure {number}]", title, f"(Version {__version__})", f"Retrieved {citation.ACCESS_DATE}, from {url}",
                     "Original source: " + " & ".join(record()["authors"]), record()["title"], "not stated"):
            assert part in apa, (name, part)


# --- the Figures page -------------------------------------------------------------------------

@pytest.mark.build
def test_figures_page_lists_every_figure_with_thumbnail_links_downloads_and_citation(book, figures):
    soup = page(book, FIGURES_PAGE)
    entries = soup.select("ul.figure-list > li.figure-entry")
    assert [e["id"].removeprefix("entry-") for e in entries] == sorted(
        figures, key=lambda n: tuple(int(p) for p in figure_number(figures[n][1]).split()[1].split(".")))
    for entry in entries:
        name = entry["id"].removeprefix("entry-")
        docname, figure = figures[name]
        thumbnail = entry.select_one("img.figure-thumbnail")
        assert thumbnail["src"] == f"../figures/{name}.svg" and int(thumbnail["width"]) > 0 and int(thumbnail["height"]) > 0
        assert thumbnail["alt"] == figure.select_one("img")["alt"]
        heading = entry.select_one(".figure-entry-title")
        assert heading.strong.get_text() == figure_number(figure)
        chapter = Path(docname).name + ".html"
        assert heading.a["href"] == f"{chapter}#{name}" and heading.a.get_text() == figure.select_one(".caption-text").get_text()
        assert entry.select_one(f'a[href="{chapter}"]')
        assert [a["href"] for a in entry.select("p.figure-downloads a[download]")] == [
            f"../figures/{name}.{ext}" for ext in ("svg", "png", "csv")]
        assert formats(entry.select_one("details.citation")) == formats(citation_under(figure))


@pytest.mark.build
def test_figures_page_cites_the_book_explains_the_blanks_and_states_the_licences(book):
    soup = page(book, FIGURES_PAGE)
    citing = soup.find(id="citing").find_parent("section")
    assert citation.ACCESS_DATE in citing.get_text() and citation.BOOK_URL in citing.get_text()
    book_block = next(d for d in soup.select("details.citation") if d.summary.get_text(strip=True) == "Cite this book")
    texts = formats(book_block)
    (entry,) = bibtexparser.loads(texts["BibTeX"]).entries
    assert (entry["ENTRYTYPE"], entry["ID"], entry["version"]) == ("book", "jinchang-by-the-numbers", __version__)
    assert json.loads(texts["CSL-JSON"])[0]["type"] == "book" and dict(ris_tags(texts["RIS"]))["TY"] == "BOOK"
    text = soup.get_text(" ")
    for _, name, _, _ in citation.LICENCES:
        assert name in text
    for docname in toc_docnames():
        footer = page(book, docname).select_one(".extra_footer")
        assert footer and "CC BY 4.0" in footer.get_text() and "MIT" in footer.get_text(), docname


# --- page metadata and bibliography -----------------------------------------------------------

def meta(soup: BeautifulSoup, name: str) -> str | None:
    tag = soup.find("meta", attrs={"name": name})
    return tag["content"] if tag else None


def test_a_description_reads_the_text_without_the_hover_quotes():
    value = claims.data_ref("", "", nodes.inline("44.5%", "44.5%"),
                            claims.tooltip("", "", nodes.inline("增长44.5%", "增长44.5%"), nodes.Text(" — “grew”")))
    paragraph = nodes.paragraph("", "", nodes.Text("Tax grew "), value, nodes.Text(" in\n2024."))
    assert meta_tags.visible_text(paragraph) == "Tax grew 44.5% in 2024."


@pytest.mark.build
def test_every_page_has_a_description_and_highwire_and_dublin_core_tags(book):
    for docname in toc_docnames():
        soup = page(book, docname)
        description = meta(soup, "description")
        assert description and len(description) <= meta_tags.DESCRIPTION_LENGTH, docname
        assert soup.find("link", rel="schema.DC")
        for name in ("citation_title", "citation_author", "citation_publication_date", "citation_language",
                     "DC.title", "DC.creator", "DC.date", "DC.description", "DC.language", "DC.rights", "DC.source"):
            assert meta(soup, name), (docname, name)
        assert meta(soup, "citation_author") == "Jinchang by the numbers"
        assert meta(soup, "citation_public_url") is None  # no published address in this build
    clusters = page(book, "chapters/01-clusters")
    assert meta(clusters, "citation_title").startswith("Clusters")
    assert meta(clusters, "description").startswith(clusters.select_one("section > p").get_text()[:40])


@pytest.mark.build
def test_references_bib_has_the_article_and_every_context_source_cited(book):
    entries = bibtexparser.loads((paths.ROOT / "references.bib").read_text(encoding="utf-8")).entries_dict
    assert ARTICLE_KEY in entries
    cited = {a["href"].split("#")[1] for docname in toc_docnames()
             for a in page(book, docname).select("a.data-ref.source")}
    assert cited and {key_for(row_id) for row_id in cited} <= set(entries)


# --- a second build -----------------------------------------------------------------------------

@pytest.mark.build
def test_anchors_and_downloads_stay_the_same_in_a_second_build_published_elsewhere(
        book, figures, tmp_path_factory, monkeypatch):
    root = copy_project(tmp_path_factory.mktemp("again") / "book", book)
    monkeypatch.setenv(citation.BASEURL_VARIABLE, ELSEWHERE)
    built = run_build(root)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    again = root / "_build" / "html"

    second = published_figures(again)
    assert {n: (d, figure_number(f)) for n, (d, f) in second.items()} == {
        n: (d, figure_number(f)) for n, (d, f) in figures.items()}
    assert sorted(p.name for p in (again / "figures").iterdir()) == sorted(p.name for p in (book / "figures").iterdir())
    for name in figures:
        assert (again / "figures" / f"{name}.csv").read_bytes() == (book / "figures" / f"{name}.csv").read_bytes()
    assert ([e["id"] for e in page(again, FIGURES_PAGE).select("li.figure-entry")]
            == [e["id"] for e in page(book, FIGURES_PAGE).select("li.figure-entry")])

    # Published with an address, the citations and meta tags carry absolute URLs.
    name, (docname, figure) = next(iter(second.items()))
    url = f"{ELSEWHERE}{docname}.html#{name}"
    texts = formats(citation_under(figure))
    assert bibtexparser.loads(texts["BibTeX"]).entries[0]["url"] == url
    assert json.loads(texts["CSL-JSON"])[0]["URL"] == url and citation.BOOK_URL not in "".join(texts.values())
    soup = page(again, docname)
    assert meta(soup, "citation_public_url") == f"{ELSEWHERE}{docname}.html"
    assert soup.find("link", rel="canonical")["href"] == f"{ELSEWHERE}{docname}.html"
