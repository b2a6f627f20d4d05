"""The built book: a strict build, claims rendered from data, figures, no bare numbers, caching."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from jinchang import data, formatting, paths
from jinchang.chartfiles import size_attributes
from jinchang.prose import bare_numbers
from jinchang.sphinxext.claims import ELLIPSIS

from .conftest import copy_project, run_build

pytestmark = pytest.mark.build


def toc_docnames() -> list[str]:
    toc = yaml.safe_load((paths.ROOT / "_toc.yml").read_text(encoding="utf-8"))
    return [toc["root"]] + [c["file"] for part in toc["parts"] for c in part["chapters"]]


def page(book: Path, docname: str) -> BeautifulSoup:
    return BeautifulSoup((book / f"{docname}.html").read_text(encoding="utf-8"), "html.parser")


def referenced_claims(soup: BeautifulSoup) -> set[str]:
    return {a["href"].split("#claim-")[1] for a in soup.select("a.data-ref.claim")}


def test_every_page_of_the_toc_is_published(book):
    for docname in toc_docnames():
        assert (book / f"{docname}.html").is_file(), docname


def test_no_bare_numbers_in_any_page_of_the_toc():
    for docname in toc_docnames():
        source = (paths.ROOT / f"{docname}.md").read_text(encoding="utf-8")
        assert bare_numbers(source) == [], docname


def test_the_scanner_catches_numbers_and_spares_years_roles_and_code():
    source = "# T\n\nGrew 44.5% in 2024, {claim}`zone-tax-2024`, `x = 3`, 第六 and the \"2+4\" plan.\n"
    assert [(n.line, n.text) for n in bare_numbers(source)] == [(3, "44.5%"), (3, "六")]


def test_clusters_chapter_shows_every_claim_of_the_lead_and_its_section(book):
    claims = data.claims()
    expected = set(claims[claims.section.isin(["lead", "clusters"])].id)
    assert expected <= referenced_claims(page(book, "chapters/01-clusters"))


def test_claim_role_shows_value_and_quotes_source_on_hover(book):
    soup = page(book, "chapters/01-clusters")
    links = soup.select("a.data-ref.claim[aria-describedby]")
    assert len(links) >= len(referenced_claims(soup))
    for link in links:
        claim = data.source(link["href"].split("#claim-")[1])
        tip = soup.find(id=link["aria-describedby"])
        in_source_line = link.find_parent("p", class_="figure-sources") is not None
        assert link.select_one(".data-value").get_text() == (claim.id if in_source_line else formatting.shown(claim.id))
        assert tip.select_one('[lang="zh"]').get_text() == claim.quote
        assert claim.translation in tip.get_text()
        assert link["href"].startswith("claims.html#claim-")


def test_claims_page_has_an_anchor_per_claim_and_lists_its_users(book):
    soup = page(book, "chapters/claims")
    for claim in data.claims().itertuples():
        row = soup.find(id=f"claim-{claim.id}")
        assert row is not None and row.name == "tr", claim.id
        assert claim.quote in row.get_text()
    used = soup.find(id="claim-zone-tax-2024").get_text()
    assert "Jinchang by the numbers" in used  # the landing page cites it


def test_chinese_quotes_are_marked_lang_zh(book):
    soup = page(book, "chapters/01-clusters")
    assert soup.html["lang"] == "en"
    quotes = soup.select("blockquote.article-quote")
    assert len(quotes) >= 5
    for quote in quotes:
        chinese = quote.find("p").find("span")
        assert chinese["lang"] == "zh"
        assert all(part in data.tables().article.text for part in chinese.get_text().split(ELLIPSIS))


def test_clusters_chapter_has_at_least_five_numbered_figures_with_downloads(book):
    soup = page(book, "chapters/01-clusters")
    figures = soup.select("figure.jinchang-figure")
    assert len(figures) >= 5
    for figure in figures:
        name = figure["id"]
        assert re.fullmatch(r"fig-[a-z0-9-]+", name)
        assert re.match(r"Figure 1\.\d+", figure.select_one("figcaption").get_text(" ", strip=True))
        image, narrow = figure.select_one("picture > img"), figure.select_one("picture > source")
        assert image["src"] == f"../figures/page/{name}.svg" and narrow["srcset"] == f"../figures/page/{name}-narrow.svg"
        assert narrow["media"] and 0 < int(narrow["width"]) < int(image["width"])
        for path in (f"{name}.svg", f"{name}.png", f"{name}.csv", f"{name}-narrow.svg", f"{name}-narrow.png"):
            assert (book / "figures" / path).stat().st_size > 0


def figures_of_the_book(book: Path):
    """Every figure of every page of the toc, with its page's docname."""
    for docname in toc_docnames():
        for figure in page(book, docname).select("figure.jinchang-figure"):
            yield docname, figure


def test_each_figure_shows_its_title_and_subtitle_once_as_text_above_the_chart(book):
    for _, figure in figures_of_the_book(book):
        caption = figure.find(recursive=False)
        assert caption.name == "figcaption" and caption.find_next_sibling().name == "picture", figure["id"]
        title, subtitle = caption.select_one(".caption-text").get_text(), caption.select_one(".figure-subtitle").get_text()
        assert figure.get_text().count(title) == 1 and figure.get_text().count(subtitle) == 1, figure["id"]
        for element in figure.select("picture > img, picture > source"):  # the chart alone, at its own size
            svg = (book / "figures" / (element.get("src") or element["srcset"]).removeprefix("../figures/")).read_bytes()
            assert size_attributes(svg) == (int(element["width"]), int(element["height"])), figure["id"]
            assert b'id="jinchang-title"' not in svg and b'id="jinchang-subtitle"' not in svg
        assert b'id="jinchang-title"' in (book / "figures" / f"{figure['id']}.svg").read_bytes()


def test_each_figure_has_a_data_table_with_the_rows_of_its_csv(book):
    for _, figure in figures_of_the_book(book):
        name = figure["id"]
        plotted = list(csv.DictReader(io.StringIO((book / "figures" / f"{name}.csv").read_text(encoding="utf-8"))))
        table = figure.select_one("details.figure-data table")
        assert table.caption.get_text().strip(), name
        assert all(th["scope"] == "col" for th in table.select("thead th")), name
        rows = table.select("tbody tr")
        assert len(rows) == len(plotted), name
        for row, line in zip(rows, plotted):
            assert row.find().name == "th" and row.find()["scope"] == "row", name
            linked = [a["href"].split("#")[1].removeprefix("claim-") for a in row.select("a.data-ref")]
            assert linked == f"{line['claim_id']} {line['context_id']}".split(), name
            if "shown" in line:
                assert line["shown"] in row.get_text(), name
        described = figure.select_one("img").get("aria-describedby")
        if described:
            assert figure.select_one(f"details.figure-data #{described}").get_text().strip(), name


def test_alt_text_is_made_of_the_plotted_numbers(book):
    soup = page(book, "chapters/01-clusters")
    for figure in soup.select("figure.jinchang-figure"):
        image = figure.select_one("img")
        # with its long description, where the chart has one (a map: where each place is)
        described = soup.find(id=image.get("aria-describedby")) if image.get("aria-describedby") else None
        text = image["alt"] + (described.get_text() if described else "")
        plotted = list(csv.DictReader(io.StringIO((book / "figures" / f"{figure['id']}.csv").read_text())))
        for row in plotted:
            assert row["shown"] in text, (figure["id"], row["shown"])


def test_svg_charts_draw_text_as_paths(book):
    for svg in (book / "figures").rglob("*.svg"):
        text = svg.read_text(encoding="utf-8")
        assert "<text" not in text and "<path" in text, svg.name


def test_each_chapter_offers_its_executed_notebook(book):
    soup = page(book, "chapters/01-clusters")
    assert soup.select_one('a[href="../_sources/chapters/01-clusters.ipynb"]')
    notebook = json.loads((book / "_sources" / "chapters" / "01-clusters.ipynb").read_text(encoding="utf-8"))
    outputs = [o for c in notebook["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])]
    assert any("image/svg+xml" in o.get("data", {}) for o in outputs)


@pytest.fixture(scope="module")
def project(book, tmp_path_factory) -> Path:
    """A copy of the project with the execution cache of the session's build."""
    root = copy_project(tmp_path_factory.mktemp("project") / "book", book)
    first = run_build(root)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    return root


def test_unchanged_rebuild_executes_nothing(project):
    again = run_build(project)
    assert again.returncode == 0
    assert "executing chapters" not in again.stdout


def test_editing_a_data_file_reexecutes_the_chapters_that_read_the_cell(project):
    datasets = project / "data" / "datasets.csv"  # the map's dataset: its publisher is in the map's source line
    datasets.write_text(datasets.read_text(encoding="utf-8").replace("(Tianditu)", "(Tianditu map service)", 1),
                        encoding="utf-8")
    rebuilt = run_build(project)
    assert rebuilt.returncode == 0, rebuilt.stderr[-2000:]
    assert "executing chapters" in rebuilt.stdout and "chapters/01-clusters" in rebuilt.stdout
    assert "Tianditu map service" in (project / "_build" / "html" / "chapters" / "01-clusters.html").read_text(encoding="utf-8")


def test_editing_a_note_no_chapter_reads_reexecutes_none_and_the_claims_page_shows_it(project):
    claims = project / "data" / "claims.csv"
    claims.write_text(claims.read_text(encoding="utf-8").replace(
        "Said by the company's general manager.", "Said by the company's general manager in the article."),
        encoding="utf-8")
    rebuilt = run_build(project)
    assert rebuilt.returncode == 0, rebuilt.stderr[-2000:]
    assert "executing chapters" not in rebuilt.stdout
    page = (project / "_build" / "html" / "chapters" / "claims.html").read_text(encoding="utf-8")
    assert "Said by the company's general manager in the article." in page


def test_editing_the_package_reexecutes_the_chapters(project):
    module = project / "src" / "jinchang" / "charts" / "draw.py"
    module.write_text(module.read_text(encoding="utf-8") + "\n# touched\n", encoding="utf-8")
    rebuilt = run_build(project)
    assert rebuilt.returncode == 0
    assert "executing chapters" in rebuilt.stdout


def test_a_bare_number_fails_the_strict_build_and_keeps_the_site(project):
    published = (project / "_build" / "html" / "index.html").read_bytes()
    chapter = project / "chapters" / "01-clusters.md"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace(
        "## The \"2+4\" plan", "## The \"2+4\" plan\n\nGrowth was 44.5 per cent.", 1), encoding="utf-8")
    for attempt in ("first", "again, unchanged"):  # a warning of a page read by a failed build is not forgotten
        failed = run_build(project)
        assert failed.returncode != 0, attempt
        assert "bare number '44.5'" in failed.stderr + failed.stdout, attempt
        assert "01-clusters" in failed.stderr + failed.stdout, attempt
        assert (project / "_build" / "html" / "index.html").read_bytes() == published, attempt


def test_a_chapter_runs_top_to_bottom_as_a_plain_notebook(tmp_path):
    import subprocess
    import sys

    target = tmp_path / "clusters.ipynb"
    done = subprocess.run([Path(sys.executable).parent / "jupytext", "--to", "ipynb", "--execute",
                           "--output", str(target), str(paths.CHAPTERS / "01-clusters.md")],
                          cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    cells = json.loads(target.read_text(encoding="utf-8"))["cells"]
    outputs = [o for c in cells if c["cell_type"] == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o["output_type"] == "error" or o.get("name") == "stderr"]
    assert sum("image/svg+xml" in o.get("data", {}) for o in outputs) >= 5


def test_every_claim_appears_in_at_least_one_chapter(book):
    toc = toc_docnames()
    story = [d for d in toc if re.match(r"chapters/\d\d-", d)]
    used = set().union(*(referenced_claims(page(book, d)) for d in story))
    assert set(data.claims().id) - used == set()


def test_landing_page_key_figures_cover_the_three_story_chapters(book):
    shown = referenced_claims(page(book, "index"))
    for chapter in ("01-clusters", "02-parks", "03-environment"):
        assert shown & referenced_claims(page(book, f"chapters/{chapter}")), chapter


def test_each_story_chapter_ends_with_data_and_methods_and_a_next_link(book):
    story = [d for d in toc_docnames() if re.match(r"chapters/\d\d-", d)]
    for docname, following in zip(story, story[1:]):
        soup = page(book, docname)
        sections = soup.select("section > h2")
        assert "Data and methods" in sections[-1].get_text(), docname
        last = [p for p in soup.select("article p") if p.get_text().startswith("Next:")]
        assert last and last[-1].a["href"].split("#")[0] == Path(following).name + ".html", docname


def test_the_units_table_gives_each_factor_in_its_base_unit_as_an_id(book):
    """"1 persons" read as broken English: the base unit is an id of data/units.csv, shown as the units are."""
    from jinchang.data import tables

    units = tables().units
    rows = page(book, "chapters/methods").select("table.data-table tbody tr")

    def code(cell) -> str:
        return " ".join(cell.select_one("code").get_text().split())

    factors = {code(row.select("td")[0]): row.select("td")[3] for row in rows if row.select_one("td code")}
    assert set(factors) >= set(units.index)
    for unit in units.itertuples():
        assert code(factors[unit.Index]) == unit.base_unit, unit.Index
