"""Citing the book and its figures: numbers, anchors, downloads, fingerprints, the citation formats
(each read back by its standard tool: citeproc-py, pybtex, bibtexparser, rispy, cffconvert), the
Figures page, page metadata for Scholar and Zotero, CITATION.cff and references.bib."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs
from xml.etree import ElementTree

import bibtexparser
import jsonschema
import pandas as pd
import pybtex.database
import pybtex.plugin
import pytest
import rispy
import yaml
from bs4 import BeautifulSoup, Tag
from docutils import nodes
from PIL import Image

from jinchang import __version__, citation, paths
from jinchang.bibliography import ARTICLE_KEY, key_for
from jinchang.data import record
from jinchang.figure import Chart
from jinchang.sphinxext import claims
from jinchang.sphinxext import meta as meta_tags

from .conftest import copy_project, run_build
from .test_book import page, toc_docnames
from .test_charts import chart_functions

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


def pybtex_plain(text: str) -> str:
    """The entry as pybtex's "plain" style formats it (it raises on a missing required field)."""
    data = pybtex.database.parse_string(text, "bibtex")
    style = pybtex.plugin.find_plugin("pybtex.style.formatting", "plain")()
    (entry,) = style.format_entries(data.entries.values())
    return entry.text.render_as("text")


def read_back(item: dict) -> None:
    """BibTeX and RIS derived from the record hold every field of it, read by bibtexparser,
    pybtex and rispy; the engine's texts hold what a reader needs."""
    year = str(item["issued"]["date-parts"][0][0])
    (entry,) = bibtexparser.loads(citation.bibtex(item)).entries
    author = item["author"][0]["literal"]
    assert (entry["ID"], entry["author"], unlatex(entry["title"])) == (item["id"], "{" + author + "}", item["title"])
    assert (entry["year"], entry["version"], entry["language"]) == (year, item["version"], item["language"])
    assert unlatex(entry["note"]) == item["note"] and entry.get("url") == item.get("URL")
    if item["type"] == "figure":
        assert entry["ENTRYTYPE"] == "misc" and item["genre"] in entry["howpublished"]
        assert item["container-title"] in entry["howpublished"] and item["genre"] not in entry["note"]
    else:
        assert entry["ENTRYTYPE"] == "book" and unlatex(entry["publisher"]) == author
    plain = pybtex_plain(citation.bibtex(item))
    assert author in plain and year in plain
    (ris,) = rispy.loads(citation.ris(item))
    assert (ris["type_of_reference"], ris["authors"], ris["title"]) == (
        "FIGURE" if item["type"] == "figure" else "BOOK", [author], item["title"])
    assert (ris["year"], ris["edition"], ris["language"], ris["notes"]) == (year, item["version"], item["language"], [item["note"]])
    assert ris.get("urls") == ([item["URL"]] if "URL" in item else None)
    if item["type"] == "figure":
        assert (ris["secondary_title"], ris["type_of_work"]) == (item["container-title"], item["genre"])


def english_charts() -> dict[str, Chart]:
    """Every chart of the chart modules, in English, by the chart's name."""
    return {chart.name: chart for chart in (function() for function in chart_functions().values())}


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
    assert unknown.link("chapters/x.html") is None
    for configured in ("https://example.org/b", "https://example.org/b/"):
        known = citation.book(title="T", author="A", copyright="2026", baseurl=configured)
        assert known.url("chapters/x.html#fig-a") == "https://example.org/b/chapters/x.html#fig-a"
    monkeypatch.setenv(citation.BASEURL_VARIABLE, "https://example.org/env/")
    assert citation.book(title="T", author="A", copyright="2026").url("p.html") == "https://example.org/env/p.html"


BOOK = citation.Book(title="Jinchang by the numbers", author="Jinchang by the numbers project", year="2026",
                     version=__version__)
PUBLISHED = citation.Book(title=BOOK.title, author=BOOK.author, year="2026", version=__version__, base_url=ELSEWHERE)


def test_every_format_escapes_data_and_keeps_the_conventions():
    title = 'Tax "grew" 44.5% & more_than {x} #1 $'
    texts = citation.citations(BOOK, citation.figure("fig-x", title, "chapters/x.html", "2.3"))
    assert list(texts) == list(citation.FORMATS)
    entry = bibtexparser.loads(texts["BibTeX"]).entries[0]
    assert unlatex(entry["title"]) == title and entry["ID"] == "jinchang-fig-x"
    assert dict(ris_tags(texts["RIS"]))["TI"] == title
    assert json.loads(texts["CSL-JSON"])[0]["title"] == title
    for name, text in texts.items():
        assert record()["title"] in text and "not stated" in text, name
    # Text to read shows the blanks; what software reads leaves them out.
    for name in citation.STYLES:
        assert "[book URL]/chapters/x.html#fig-x" in texts[name], name
    assert citation.access_date() in texts["GB/T 7714"]
    for name in ("BibTeX", "RIS", "CSL-JSON"):
        assert "[" + "book URL]" not in texts[name] and citation.access_date() not in texts[name], name


@pytest.mark.parametrize("b", [BOOK, PUBLISHED], ids=["no address", "published"])
def test_the_record_reads_back_from_every_derived_format(b):
    for work in (citation.whole(b), citation.figure("fig-x", "Tax & 44.5%", "chapters/x.html", "2.3")):
        item = citation.record(b, work)
        read_back(item)
        assert ("URL" in item) == bool(b.base_url) and "accessed" not in item
        assert json.loads(citation.csl_json(item)) == [item]


def test_apa_and_gb_t_7714_are_rendered_by_citeproc_from_the_record():
    work = citation.figure("fig-x", "Tax revenue", "chapters/x.html", "2.3")
    texts = citation.citations(PUBLISHED, work)
    url = f"{ELSEWHERE}chapters/x.html#fig-x"
    apa, original = texts["APA"].split("\n")
    assert apa == (f"Jinchang by the numbers project. (2026). Tax revenue [Figure 2.3]. "
                   f"In Jinchang by the numbers (Version {__version__}). {url}")
    assert original.startswith("Original source: 萧琳, & 李跃萍. (n.d.). " + record()["title"])
    gbt = texts["GB/T 7714"].split("\n")[0]
    # The organisation's name as written, not in the capitals GB/T 7714 sets Western surnames in.
    assert gbt.startswith("Jinchang by the numbers project. Tax revenue[Z/OL]//Jinchang by the numbers.")
    assert f"{citation.access_date()}. {url}." in gbt
    book = citation.citations(PUBLISHED, citation.whole(PUBLISHED))
    assert book["APA"].split("\n")[0] == (f"Jinchang by the numbers project. (2026). Jinchang by the numbers "
                                          f"(Version {__version__}). {ELSEWHERE}")
    assert "[M/OL]" in book["GB/T 7714"]


def test_coins_carry_the_record_for_zotero():
    item = citation.record(PUBLISHED, citation.figure("fig-x", "Tax revenue", "chapters/x.html", "2.3"))
    fields = parse_qs(citation.coins(item))
    assert fields["rft_val_fmt"] == ["info:ofi/fmt:kev:mtx:book"] and fields["rft.genre"] == ["bookitem"]
    assert (fields["rft.atitle"], fields["rft.btitle"], fields["rft.aucorp"]) == (
        ["Tax revenue"], ["Jinchang by the numbers"], ["Jinchang by the numbers project"])
    assert (fields["rft.date"], fields["rft.edition"], fields["rft_id"]) == (["2026"], [__version__], [item["URL"]])
    assert "rft_id" not in parse_qs(citation.coins(citation.record(BOOK, citation.whole(BOOK))))


def test_citation_cff_is_valid_and_matches_the_book():
    cff = yaml.safe_load((paths.ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    # The official CFF 1.2.0 schema, as shipped in the cffconvert 2.0.0 wheel (cffconvert/schemas/1.2.0).
    schema = json.loads((FIXTURES / "citation-cff-1.2.0.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    assert [e.message for e in validator.iter_errors(cff)] == []
    book = citation.configured_book()
    assert cff["title"] == book.title and cff["version"] == __version__
    assert cff["authors"] == [{"name": book.author}] and book.author != book.title
    assert cff["license"] == citation.DATA_LICENCE[2]
    assert cff["date-released"][:4] == book.year
    preferred = cff["preferred-citation"]
    assert (preferred["title"], preferred["version"], preferred["year"]) == (book.title, __version__, int(book.year))
    assert cff.get("url", "") == (yaml.safe_load((paths.ROOT / "_config.yml").read_text())["html"].get("baseurl") or "")
    assert cff["references"][0]["title"].startswith(record()["title"])


REQUIREMENTS_CFFCONVERT = Path(__file__).parent / "requirements-cffconvert.txt"


@pytest.fixture(scope="session")
def cffconvert() -> Path:
    """cffconvert in a virtualenv of its own (it needs jsonschema<4), made once and kept in the
    build folder for as long as its pinned requirements do not change."""
    digest = hashlib.sha256(REQUIREMENTS_CFFCONVERT.read_bytes()).hexdigest()[:16]
    venv = paths.BUILD / "test-venvs" / f"cffconvert-{digest}"
    program = venv / "bin" / "cffconvert"
    if not program.is_file():
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        subprocess.run([venv / "bin" / "python", "-m", "pip", "install", "--quiet", "--require-hashes",
                        "-r", REQUIREMENTS_CFFCONVERT], check=True)
    return program


def test_cffconvert_agrees_with_the_book_in_author_title_year_and_version(cffconvert):
    def convert(form: str) -> str:
        result = subprocess.run([cffconvert, "-i", paths.ROOT / "CITATION.cff", "-f", form],
                                capture_output=True, text=True, env={**os.environ, "PYTHONWARNINGS": "ignore"})
        assert result.returncode == 0, result.stderr
        return result.stdout

    book = citation.configured_book()
    ours = citation.record(book, citation.whole(book))
    (entry,) = bibtexparser.loads(convert("bibtex")).entries
    # cffconvert's BibTeX has no version field: author, title and year must agree.
    assert (entry["author"], entry["title"], entry["year"]) == (book.author, book.title, book.year)
    apa = convert("apalike").strip()
    assert apa.startswith(f"{book.author} ({book.year}). {book.title} (version {__version__}).")
    assert citation.rendered(ours, "APA").startswith(
        f"{book.author}. ({book.year}). {book.title} (Version {__version__}).")
    zenodo = json.loads(convert("zenodo"))
    assert zenodo["license"] == {"id": citation.DATA_LICENCE[2]} and zenodo["version"] == __version__
    codemeta = json.loads(convert("codemeta"))
    assert codemeta["license"] == f"https://spdx.org/licenses/{citation.DATA_LICENCE[2]}"


def test_references_bib_entries_all_have_a_year_and_pybtex_formats_them():
    text = (paths.ROOT / "references.bib").read_text(encoding="utf-8")
    entries = bibtexparser.loads(text).entries
    assert entries and all(entry.get("year") for entry in entries)
    data = pybtex.database.parse_string(text, "bibtex")
    style = pybtex.plugin.find_plugin("pybtex.style.formatting", "plain")()
    assert len(list(style.format_entries(data.entries.values()))) == len(entries)


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
        image = figure.select_one("img")
        # the alt text with the long description, where the chart has one (a map: where each place is)
        described = figure.find(id=image.get("aria-describedby")) if image.get("aria-describedby") else None
        text = image["alt"] + (described.get_text() if described else "")
        assert image["alt"] and all(shown in text for shown in plotted.get("shown", pd.Series(dtype=str)).dropna()), name


@pytest.mark.build
def test_downloads_exist_at_stable_names_and_the_png_is_print_resolution(book, figures):
    for name, (docname, figure) in figures.items():
        links = [a["href"] for a in figure.select("p.figure-downloads a[download]")]
        assert links == [f"../figures/{name}.{ext}" for ext in ("svg", "png", "csv")]
        for path in (f"{name}.svg", f"{name}.png", f"{name}.csv", f"{name}-narrow.svg", f"{name}-narrow.png"):
            assert (book / "figures" / path).stat().st_size > 0, (name, path)
        for image, png in ((figure.select_one("img"), f"{name}.png"), (figure.select_one("source"), f"{name}-narrow.png")):
            with Image.open(book / "figures" / png) as png:  # with title and source, so taller than the page's
                assert png.width >= 2 * int(image["width"]) and png.height >= 2 * int(image["height"]), name


@pytest.mark.build
def test_each_csv_is_byte_for_byte_what_its_chart_function_plots(book, figures):
    charts = english_charts()
    assert set(figures) <= set(charts), set(figures) - set(charts)
    for name in figures:
        assert (book / "figures" / f"{name}.csv").read_bytes() == charts[name].csv.encode(), name


@pytest.mark.build
def test_each_image_carries_the_version_and_the_hash_of_its_published_csv(book, figures):
    dublin_core = "{http://purl.org/dc/elements/1.1/}"
    for name in figures:
        digest = hashlib.sha256((book / "figures" / f"{name}.csv").read_bytes()).hexdigest()
        expected = f"jinchang-{__version__}-data-sha256:{digest}"
        for path in (f"{name}.svg", f"{name}-narrow.svg", f"page/{name}.svg", f"page/{name}-narrow.svg"):
            svg = ElementTree.parse(book / "figures" / path)
            assert svg.find(f".//{dublin_core}identifier").text == expected, path
        for path in (f"{name}.png", f"{name}-narrow.png"):
            with Image.open(book / "figures" / path) as png:
                assert png.text["Identifier"] == expected, path


@pytest.mark.build
def test_cite_this_figure_gives_every_format_from_one_record(book, figures):
    for name, (docname, figure) in figures.items():
        number = figure_number(figure).removeprefix("Figure ")
        title = figure.select_one(".caption-text").get_text()
        block = citation_under(figure)
        texts = formats(block)
        assert list(texts) == list(citation.FORMATS)
        (item,) = json.loads(texts["CSL-JSON"])
        assert (item["id"], item["type"], item["title"], item["genre"]) == (f"jinchang-{name}", "figure", title,
                                                                             f"Figure {number}")
        assert item["version"] == __version__ and "URL" not in item  # no published address in this build
        assert item["author"] == [{"literal": "Jinchang by the numbers project"}] and item["issued"]["date-parts"][0][0] > 2000
        read_back(item)
        assert texts["BibTeX"] == citation.bibtex(item) and texts["RIS"] == citation.ris(item)
        url = f"[book URL]/{docname}.html#{name}"
        for style in citation.STYLES:
            assert texts[style].startswith(citation.rendered({**item, "URL": url, "accessed": {"literal": "date of access"}}, style))
        assert f"[Figure {number}]" in texts["APA"] and url in texts["APA"]
        coins = parse_qs(block.select_one("span.Z3988")["title"])
        assert coins["rft.atitle"] == [title] and coins["rft.aucorp"] == ["Jinchang by the numbers project"]


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
    # Zotero finds every figure of the page, and the book, as COinS.
    assert len(soup.select("span.Z3988")) == len(entries) + 1


@pytest.mark.build
def test_figures_page_cites_the_book_explains_the_blanks_and_states_the_licences(book):
    soup = page(book, FIGURES_PAGE)
    citing = soup.find(id="citing").find_parent("section")
    assert citation.access_date() in citing.get_text() and citation.book_url() in citing.get_text()
    book_block = next(d for d in soup.select("details.citation") if d.summary.get_text(strip=True) == "Cite this book")
    texts = formats(book_block)
    (item,) = json.loads(texts["CSL-JSON"])
    assert item == citation.record(citation.configured_book(), citation.whole(citation.configured_book()))
    read_back(item)
    assert texts["APA"].startswith(f"Jinchang by the numbers project. (2026). Jinchang by the numbers (Version {__version__}).")
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
def test_highwire_tags_only_on_works_and_dublin_core_on_every_page(book):
    works = {"index", "chapters/01-clusters", "chapters/02-parks", "chapters/03-environment",
             "chapters/04-context", "chapters/05-fact-check"}
    assert works < set(toc_docnames())
    for docname in toc_docnames():
        soup = page(book, docname)
        description = meta(soup, "description")
        assert description and len(description) <= meta_tags.DESCRIPTION_LENGTH, docname
        assert soup.find("link", rel="schema.DC")
        for name in ("DC.title", "DC.creator", "DC.date", "DC.description", "DC.language", "DC.rights", "DC.source"):
            assert meta(soup, name), (docname, name)
        highwire = {tag["name"] for tag in soup.find_all("meta", attrs={"name": re.compile("^citation_")})}
        if docname in works:  # the book and its chapters; the appendices are parts of the book, not works
            assert {"citation_title", "citation_author", "citation_publication_date", "citation_language"} <= highwire
            assert meta(soup, "citation_author") == "Jinchang by the numbers project" != meta(soup, "citation_title")
            assert (meta(soup, "citation_inbook_title") is None) == (docname == "index")
        else:
            assert not highwire, docname
        assert meta(soup, "citation_public_url") is None and soup.find("link", rel="canonical") is None
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

@pytest.fixture(scope="module")
def again(book, tmp_path_factory) -> Path:
    """The book built a second time, in another folder, with a published address."""
    root = copy_project(tmp_path_factory.mktemp("again") / "book", book)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(citation.BASEURL_VARIABLE, ELSEWHERE)
        built = run_build(root)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    return root / "_build" / "html"


@pytest.mark.build
def test_anchors_and_downloads_stay_the_same_in_a_second_build_published_elsewhere(book, figures, again):

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
    assert json.loads(texts["CSL-JSON"])[0]["URL"] == url and citation.book_url() not in "".join(texts.values())
    soup = page(again, docname)
    assert meta(soup, "citation_public_url") == f"{ELSEWHERE}{docname}.html"
    alternates = {link["hreflang"]: link["href"] for link in soup.find_all("link", rel="alternate", hreflang=True)}
    assert alternates == {"en": f"{ELSEWHERE}{docname}.html", "zh-Hans": f"{ELSEWHERE}zh/{docname}.html"}
    # With an address, every page names its canonical URL.
    for html in sorted(again.rglob("*.html")):
        relative = html.relative_to(again).as_posix()
        if {"_static", "_sources"} & set(relative.split("/")):  # the theme's files, not pages
            continue
        canonical = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser").find("link", rel="canonical")
        assert canonical is not None, relative
        if not relative.endswith("/embed.html"):
            assert canonical["href"] == ELSEWHERE + relative, relative


def schema_org_terms(node) -> set[str]:
    """Every property name and type of a JSON-LD object, nested objects included."""
    if isinstance(node, list):
        return set().union(*(schema_org_terms(n) for n in node))
    if not isinstance(node, dict):
        return set()
    terms = {k for k in node if not k.startswith("@")}
    if "@type" in node:
        terms.add(node["@type"])
    return terms.union(*(schema_org_terms(v) for v in node.values()))


@pytest.mark.build
def test_claimreview_published_with_an_address_passes_a_structured_data_check(again):
    """Google's required and recommended fields (a JSON Schema written from its documentation), every term
    in the schema.org vocabulary (rdflib's), absolute URLs that point at the review's own anchor."""
    from rdflib.namespace import SDO

    schema = json.loads((FIXTURES / "claimreview-google.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    soup = page(again, "chapters/05-fact-check")
    scripts = soup.select('script[type="application/ld+json"]')
    assert scripts
    for script in scripts:
        review = json.loads(script.string)
        assert [e.message for e in validator.iter_errors(review)] == [], review["claimReviewed"]
        assert {t for t in schema_org_terms(review) if SDO[t] not in SDO} == set()
        section = script.find_parent("section")
        assert review["url"] == f"{ELSEWHERE}chapters/05-fact-check.html#{section['id']}"
        assert soup.find(id=section["id"]) is section
        assert review["author"]["url"] == ELSEWHERE
        assert review["itemReviewed"]["appearance"]["archivedAt"] == f"{ELSEWHERE}data/source/article.zh.txt"
        assert (again / "data" / "source" / "article.zh.txt").is_file()
        rating = review["reviewRating"]["alternateName"]
        assert rating.lower() not in review["claimReviewed"].lower()  # the rating goes in reviewRating only
        # recommended, but not stated by the article: never invented
        assert not record()["date"]["stated_in_text"] and "datePublished" not in review["itemReviewed"]
        assert not record()["outlet"]["stated_in_text"] and "url" not in review["itemReviewed"]["appearance"]
