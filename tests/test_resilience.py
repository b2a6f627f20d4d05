"""Text from data is shown, never run; a failed build names what failed and keeps the published site.

One copy of the project (with the session's execution cache) gets the text of
``fixtures/unsafe-text.json`` (a script, an image with onerror, quotes, an ampersand) appended to
fields shown on pages, and is built and published; the copy lives under a non-ASCII path and is
built under a locale whose encoding is ASCII, as on a minimal server. The safe-rendering tests
read that site as HTML and in Chromium. The resilience tests then break a chapter, or a data file,
in the same copy: the build must fail, say where, and leave the published site byte for byte as
it was; and two builds started together must not interleave.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import time
import zlib
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from myst_nb.core.read import read_myst_markdown_notebook

from jinchang.serve import served

from .conftest import CHROMIUM_ARGS, copy_project, require_chromium, run_build

pytestmark = pytest.mark.build

UNSAFE = json.loads((Path(__file__).parent / "fixtures" / "unsafe-text.json").read_text(encoding="utf-8"))
TEXT = UNSAFE["text"]
MARK = "__pwned"  # what the text's scripts would set
CLAIM, CONTEXT = next(iter(UNSAFE["rows"]["claims.csv"])), next(iter(UNSAFE["rows"]["context.csv"]))
CHAPTER = "chapters/04-context.md"  # shows both rows in prose, in tooltips and in a figure's source line
FIGURE = "fig-growth-h1"
# Where the text must be seen, and what the page is for.
PAGES = {"chapters/claims.html": "the claims table", "chapters/sources.html": "the sources table",
         "chapters/04-context.html": "tooltips, a figure's source line, the bibliography",
         "chapters/05-fact-check.html": "JSON-LD", "chapters/figures.html": "figure citations"}


def _edit_csv(path: Path, edits: dict[str, list[str]]) -> None:
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    for row in rows:
        for column in edits.get(row["id"], []):
            row[column] += " " + TEXT
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def add_unsafe_text(root: Path) -> None:
    """Append the fixture's text to its fields, and regenerate references.bib from the data."""
    for name, edits in UNSAFE["rows"].items():
        _edit_csv(root / "data" / name, edits)
    record = root / "data" / "source" / "record.json"
    fields = json.loads(record.read_text(encoding="utf-8"))
    for key in UNSAFE["record"]:
        fields[key] += " " + TEXT
    record.write_text(json.dumps(fields, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "jinchang", "bib"], env={**os.environ, "JINCHANG_ROOT": str(root)},
                   cwd=root, check=True, capture_output=True)


# A locale whose encoding is ASCII: no UTF-8 coercion, no UTF-8 mode (the command must switch it on).
ASCII_LOCALE = {"LC_ALL": "C", "LANG": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0"}


@pytest.fixture(scope="module")
def project(book, tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("resilience") / "金昌" / "book", book)
    add_unsafe_text(root)
    with pytest.MonkeyPatch.context() as patch:
        for name, value in ASCII_LOCALE.items():
            patch.setenv(name, value)
        built = run_build(root)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    return root


def site(root: Path) -> Path:
    return root / "_build" / "html"


def fingerprint(folder: Path) -> str:
    """sha256 over every file's path and bytes."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def pages_with_text(root: Path) -> dict[str, BeautifulSoup]:
    """Every published page whose HTML holds the text, in whatever escaped form."""
    found = {}
    for path in sorted(site(root).rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        if MARK in html:
            found[path.relative_to(site(root)).as_posix()] = BeautifulSoup(html, "html.parser")
    return found


# --- safe rendering ---------------------------------------------------------------------------


def test_the_text_reaches_every_kind_of_place(project):
    missing = set(PAGES) - set(pages_with_text(project))
    assert not missing, {page: PAGES[page] for page in missing}


def test_no_page_turns_the_text_into_markup(project):
    for name, soup in pages_with_text(project).items():
        for script in soup.find_all("script"):
            if MARK in script.get_text():
                assert script.get("type") == "application/ld+json", (name, str(script)[:300])
                assert "<" not in script.get_text(), (name, "JSON-LD must escape '<'")
        for element in soup.find_all(True):
            for attribute, value in element.attrs.items():
                assert not (attribute.startswith("on") and MARK in str(value)), (name, str(element)[:300])
        assert not soup.find_all("img", src="x"), name


def test_the_text_is_shown_as_written(project):
    pages = pages_with_text(project)
    claims, sources = pages["chapters/claims.html"], pages["chapters/sources.html"]
    assert claims.find(id=f"claim-{CLAIM}").get_text().count(TEXT) == len(UNSAFE["rows"]["claims.csv"][CLAIM])
    assert sources.find(id=CONTEXT).get_text().count(TEXT) == len(UNSAFE["rows"]["context.csv"][CONTEXT])

    chapter = pages["chapters/04-context.html"]
    for row_id, anchor in ((CLAIM, f"claim-{CLAIM}"), (CONTEXT, CONTEXT)):
        links = chapter.select(f'a.data-ref[href$="#{anchor}"][aria-describedby]')
        assert links, row_id
        for link in links:
            assert TEXT in chapter.find(id=link["aria-describedby"]).get_text(), row_id
    sources_line = chapter.find(id=FIGURE).select_one("p.figure-sources")
    assert TEXT in sources_line.get_text()
    # The bibliography: publisher and the whole title (pybtex reads the .bib as LaTeX, where "%" starts a
    # comment; its style puts titles in sentence case).
    entry = next(c for c in chapter.select("div.citation") if f"Rows {CONTEXT}" in c.get_text())
    assert entry.get_text().lower().count(TEXT.lower()) == 2

    reviews = [json.loads(s.get_text()) for s in pages["chapters/05-fact-check.html"].find_all(
        "script", type="application/ld+json")]
    assert any(TEXT in review["reviewBody"] for review in reviews)

    citations = [block.get_text() for block in pages["chapters/figures.html"].select("details.citation pre")]
    assert any(TEXT in text for text in citations)


def in_chromium(check) -> None:
    """``check(browser)`` in a Chromium of its own, on a thread of its own: Playwright's sync API will
    not start in a thread where another instance runs (the session-wide browser of conftest.py).
    Skipped without Chromium, except in CI."""
    path = require_chromium()

    def run() -> None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
            try:
                check(browser)
            finally:
                browser.close()

    with ThreadPoolExecutor(max_workers=1) as thread:
        thread.submit(run).result()


@pytest.mark.browser
def test_no_script_from_the_text_runs_in_the_browser(project):
    with served(site(project)) as base:
        in_chromium(lambda browser: visit_pages_with_text(browser, base, list(pages_with_text(project))))


def visit_pages_with_text(browser, base: str, names: list[str]) -> None:
    """Open each page, hover each tooltip that holds the text, search for it: no script of it may run."""
    context = browser.new_context()
    page = context.new_page()
    hovered = 0
    try:
        for name in names:
            page.goto(base + name, wait_until="load")
            assert page.evaluate(f"window.{MARK}") is None, name
            links = page.locator("a.data-ref[aria-describedby]")
            for i in range(links.count()):
                link = links.nth(i)
                tip = page.locator(f"#{link.get_attribute('aria-describedby')}")
                if TEXT not in (tip.text_content() or ""):
                    continue
                link.scroll_into_view_if_needed()
                link.hover()
                tip.wait_for(state="visible")
                assert TEXT in tip.inner_text(), name
                hovered += 1
            assert page.evaluate(f"window.{MARK}") is None, f"{name}, after hovering"
        assert hovered, "no tooltip with the text was hovered"
        # Search results quote the pages' text too.
        page.goto(base + f"search.html?q={MARK}", wait_until="load")
        page.wait_for_function("document.querySelector('#search-results h2')?.innerText === 'Search Results'")
        assert page.locator("#search-results ul.search li").count() > 0
        assert page.evaluate(f"window.{MARK}") is None, "search results"
    finally:
        context.close()


# --- a failed build keeps the published site ---------------------------------------------------


@contextmanager
def edited(path: Path, change):
    """``path`` rewritten by ``change(text)`` for the duration of the block, which gets the new text."""
    original = path.read_text(encoding="utf-8")
    text = change(original)
    path.write_text(text, encoding="utf-8")
    try:
        yield text
    finally:
        path.write_text(original, encoding="utf-8")


@pytest.mark.parametrize("chapter,heading,other,sentence", [
    (CHAPTER, "## Data and methods", "zh/chapters/03-environment.md", "又一句话。"),
    (f"zh/{CHAPTER}", "## 数据与方法", "chapters/03-environment.md", "One more sentence."),
])
def test_a_failing_cell_fails_the_build_names_chapter_and_cell_and_keeps_the_site(project, chapter, heading, other,
                                                                                  sentence):
    """In either edition, with the other one due too (a sentence added to it): the Chinese edition is
    then built in a process of its own, beside the English one, which stops it or which it fails."""
    published = fingerprint(site(project))
    broken = "```{code-cell} ipython3\n1 / 0\n```\n\n"
    with edited(project / chapter, lambda t: t.replace(heading, broken + heading, 1)) as text, \
            edited(project / other, lambda t: t + f"\n{sentence}\n"):
        failed = run_build(project)
    cell = next(i for i, c in enumerate(read_myst_markdown_notebook(text).cells) if c.source == "1 / 0")
    line = text.splitlines().index("1 / 0") + 1
    assert failed.returncode != 0
    assert f"{chapter}: cell {cell} (line {line}) failed: ZeroDivisionError" in failed.stdout + failed.stderr
    assert fingerprint(site(project)) == published


CHARTED = "ctx-045"  # a row drawn on a dated chart of the Context chapter


@pytest.mark.parametrize("table,row,column,bad", [
    ("claims.csv", 3, "value", "twenty"),
    ("claims.csv", 3, "value", "NaN"),
    ("claims.csv", 3, "value", "１２"),
    ("context.csv", CHARTED, "period_end", "2025-13-01"),  # once reported against a chapter cell
    ("context.csv", CHARTED, "value", "inf"),
])
def test_bad_data_stops_the_build_before_any_chapter_runs_and_keeps_the_site(project, table, row, column, bad):
    published = fingerprint(site(project))
    path = project / "data" / table
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    index = row if isinstance(row, int) else next(i for i, r in enumerate(rows) if r[0] == row)
    number, row_id = rows[0].index(column), rows[index][0]
    rows[index][number] = bad
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)

    with edited(path, lambda _: out.getvalue()) as text:
        failed = run_build(project)
    line = next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith(f"{row_id},"))
    assert failed.returncode != 0
    assert f"error: data/{table}, line {line}, column {number + 1} ({column}): " in failed.stderr
    assert repr(bad) in failed.stderr and "Traceback" not in failed.stderr and "cell" not in failed.stderr
    assert "executing chapters" not in failed.stdout
    # nor in the log: the kernel server, started while the data were validated, stopped without a word
    assert "Traceback" not in (project / "_build" / "build.log").read_text(encoding="utf-8")
    assert fingerprint(site(project)) == published


# --- two builds at once --------------------------------------------------------------------------


def asset_versions(folder: Path) -> dict[str, set[str]]:
    """Each asset's ``?v=`` digests, over every page of a site (one per asset when pages agree)."""
    found: dict[str, set[str]] = {}
    for page in folder.rglob("*.html"):
        for asset, digest in re.findall(r'(?:href|src)="([^"?#:]+)\?v=([0-9a-f]+)"', page.read_text(encoding="utf-8")):
            found.setdefault((page.parent / asset).resolve().relative_to(folder.resolve()).as_posix(), set()).add(digest)
    return found


def test_two_builds_started_together_run_one_after_the_other(project, book):
    chapter = project / "chapters" / "03-environment.md"
    with edited(chapter, lambda t: t.replace("## Data and methods", "One more sentence.\n\n## Data and methods", 1)):
        env = {**os.environ, "JINCHANG_ROOT": str(project), "JINCHANG_BUILD_DIR": str(project / "_build"),
               "PYTHONPATH": str(project / "src")}
        command = [sys.executable, "-m", "jinchang", "build"]
        first = subprocess.Popen(command, env=env, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(1)
        second = subprocess.Popen(command, env=env, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        (out1, err1), (out2, err2) = first.communicate(), second.communicate()
        assert first.returncode == 0, err1[-3000:]
        assert second.returncode == 0, err2[-3000:]
        assert "waiting for the build already running" in err2
        assert "One more sentence." in (site(project) / "chapters" / "03-environment.html").read_text(encoding="utf-8")
    assert asset_versions(site(project)) == asset_versions(book)  # the digests of a build done alone
