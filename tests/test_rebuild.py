"""Rebuild only what an edit touches: each chapter's execution records what it read (tables, the
cells of rows, package modules), and a data or code edit re-executes exactly the chapters that read it.
A prose edit in one edition leaves the other edition's build alone."""

from __future__ import annotations

import csv
import functools
import io
import json
import os
import re
import shutil
from pathlib import Path

import pytest
from jupyter_cache import get_cache

from jinchang import dependencies, paths
from jinchang.editions import EDITIONS

from .conftest import copy_project, run_build


def records(book: Path, code: str = "en") -> dict[str, dict[str, str]]:
    """What each chapter of an edition read, by docname, from the build's execution cache."""
    cache = get_cache(book.parent / ".stage" / code / ".jupyter_cache")
    found = {}
    for record in cache.list_cache_records():
        docname = Path(record.uri).relative_to(next(e.source for e in EDITIONS if e.code == code)).with_suffix("")
        found[docname.as_posix()] = record.data["inputs"]
    return found


def edit_cell(data_dir: Path, table: str, row_id: str, column: str, new: str | None = None) -> None:
    """Change one cell of a table in place: to ``new``, or with a word more."""
    path = data_dir / f"{table}.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    row = next(r for r in rows[1:] if r[rows[0].index(key_of(table))] == row_id)
    at = rows[0].index(column)
    row[at] = new if new is not None else f"{row[at]} edited".strip()
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def cells_of(data_dir: Path) -> list[tuple[str, str, str]]:
    """(table, row id, column) of every cell of the tables with a key (each in a file of its name)."""
    return [(table, *row.rsplit(dependencies.CELL, 1)) for table, row in
            (name.split("/", 1) for name in dependencies.current(data_dir) if "/" in name and dependencies.CELL in name
             and not name.startswith("module:")) if (data_dir / f"{table}.csv").is_file()]


@functools.cache
def key_of(table: str) -> str:
    package = json.loads((paths.DATA / "datapackage.json").read_text(encoding="utf-8"))
    return next(r["schema"]["primaryKey"][0] for r in package["resources"] if r["name"] == table)


def readers(read: dict[str, dict[str, str]], table: str, row_id: str, column: str) -> set[str]:
    """The chapters (or pages) that read a cell: itself, or its whole table. A cell of the key
    column is the row's id: the readers of any cell of the row, or of the table's ids."""
    key = key_of(table)
    cells = {f"{table}/{row_id}{dependencies.CELL}{c}" for c in ([column] if column != key else [])}
    row = f"{table}/{row_id}{dependencies.CELL}"
    return {d for d, names in read.items() if table in names or cells & set(names)
            or (column == key and (f"{table}{dependencies.IDS}" in names or any(n.startswith(row) for n in names)))}


@pytest.fixture
def data_copy(tmp_path) -> Path:
    return Path(shutil.copytree(paths.DATA, tmp_path / "data"))


def test_every_chapter_records_what_it_read(book):
    read = records(book)
    assert {"chapters/01-clusters", "chapters/04-context", "index"} <= read.keys()
    for docname, inputs in read.items():
        assert any(name.startswith("module:") for name in inputs), docname
        assert "package-files" in inputs, docname
    assert any(name.startswith("claims/") for name in read["chapters/04-context"])
    assert "claims#ids" in read["index"]  # how many claims there are, not what they say


def test_a_changed_cell_read_by_a_chapter_always_reexecutes_it(book, data_copy):
    """Every cell a chapter read by name, and every column of a row of each table a chapter read
    whole, edited one at a time: each chapter that read it (the cell, or its whole table) is due
    again, and no other."""
    read = records(book)
    named = {name for inputs in read.values() for name in inputs}
    first_rows: dict[str, str] = {}
    for table, row_id, column in cells_of(data_copy):
        first_rows.setdefault(table, row_id)
        if f"{table}/{row_id}{dependencies.CELL}{column}" not in named \
                and not (table in named and first_rows[table] == row_id):
            continue
        expected = readers(read, table, row_id, column)
        original = (data_copy / f"{table}.csv").read_bytes()
        edit_cell(data_copy, table, row_id, column)
        now = dependencies.current(data_copy)
        due = {d for d, inputs in read.items() if dependencies.changed(inputs, now)}
        assert due == expected, (table, row_id, column)
        (data_copy / f"{table}.csv").write_bytes(original)


def test_cells_no_chapter_reads_reexecute_none(book, data_copy):
    """Every cell no chapter read, among them the notes of claims that chapters do read, edited at once."""
    read = records(book)
    unused = [cell for cell in cells_of(data_copy) if not readers(read, *cell)]
    assert ("claims", "nickel-foil-thickness", "notes") in unused
    assert any(readers(read, "claims", "nickel-foil-thickness", column) for column in ("value", "quote"))
    for cell in sorted(unused, key=lambda c: c[2] == key_of(c[0])):  # ids last: edits find rows by id
        edit_cell(data_copy, *cell)
    now = dependencies.current(data_copy)
    assert {d: dependencies.changed(inputs, now) for d, inputs in read.items()} == {d: [] for d in read}


def test_chapters_stay_settled_until_a_page_the_books_address_or_what_they_read_changes(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "ROOT", tmp_path)
    (page := tmp_path / "index.md").write_text("# A page\n", encoding="utf-8")
    now = dependencies.current()
    name = next(n for n in now if n.startswith("claims/"))
    cache_dir = tmp_path / "cache"
    assert not dependencies.settled(cache_dir, now)  # nothing recorded
    cache_dir.mkdir()
    dependencies.settle(cache_dir, dependencies.digests([page]), {"index": {name: now[name]}})
    assert dependencies.settled(cache_dir, now)
    assert not dependencies.settled(cache_dir, {**now, name: "another digest"})
    with monkeypatch.context() as setting:
        setting.setenv("JINCHANG_BASEURL", os.environ.get("JINCHANG_BASEURL", "") + "https://example.org/")
        assert not dependencies.settled(cache_dir, now)
    assert dependencies.settled(cache_dir, now)
    page.write_text("# A page, edited\n", encoding="utf-8")
    assert not dependencies.settled(cache_dir, now)


def test_a_module_edit_is_due_only_in_the_chapters_importing_it(book, tmp_path):
    read = records(book)
    package = Path(shutil.copytree(dependencies.PACKAGE, tmp_path / "jinchang"))
    (package / "charts" / "draw.py").write_text((package / "charts" / "draw.py").read_text() + "\n# edited\n")
    now = dependencies.current(paths.DATA, package)
    due = {d for d, inputs in read.items() if dependencies.changed(inputs, now)}
    assert due == {d for d, inputs in read.items() if "module:charts/draw.py" in inputs}
    assert due and "index" not in due


def test_modules_that_import_each_other_are_both_in_what_a_chapter_imports(tmp_path):
    """A module may import another inside a function, to break a cycle at import time: the other
    module still runs, and an edit to it must re-execute the chapter."""
    package = tmp_path / "jinchang"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "first.py").write_text("from .second import b\n\ndef a():\n    from .third import c\n")
    (package / "second.py").write_text("from . import first\n\nb = 1\n")
    (package / "third.py").write_text("from .first import a\n")
    assert dependencies.modules("from jinchang import first", package) == {
        "module:__init__.py", "module:first.py", "module:second.py", "module:third.py"}


# --- whole builds of a copy ------------------------------------------------------------------------

def executed(output: str) -> dict[str, set[str]]:
    """The chapters each edition executed, from the build's progress lines."""
    return {edition: set(names.split(", ")) for edition, names
            in re.findall(r"^(\S+): executing chapters \d+/\d+ \((.*)\)", output, re.M)}


@pytest.fixture(scope="module")
def project(book, tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("rebuild") / "book", book)
    first = run_build(root)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    assert executed(first.stdout) == {}
    return root


@pytest.mark.build
def test_a_claim_edit_reexecutes_exactly_the_chapters_that_read_it(book, project):
    row_id = "rubai-arrival-year"  # its quote, shortened, still holds its numeral
    expected = {e.name: readers(records(book, e.code), "claims", row_id, "quote") for e in EDITIONS}
    assert all(expected.values()) and expected["English"] != set(records(book)), "read by some chapters only"
    edit_cell(project / "data", "claims", row_id, "quote", "2021年，甘肃如佰金属科技有限公司从湖南来到金昌")
    rebuilt = run_build(project)
    assert rebuilt.returncode == 0, rebuilt.stdout[-3000:]
    assert executed(rebuilt.stdout) == expected
    log = (project / "_build" / "build.log").read_text(encoding="utf-8")
    assert "[jinchang] executing" in log  # the full log is in the file
    # Sphinx re-reads the chapters executed again and the pages that show the cell: the Claims
    # page and the chapters citing it; not the others.
    pages = json.loads((project / "_build" / ".stage" / "en" / "doctrees" / "jinchang-page-reads.json").read_text())
    showing = readers(pages, "claims", row_id, "quote")
    expected = expected["English"]
    reread = set(re.findall(r"^reading sources\.\.\. \[ *\d+%\] (\S+)", log.split("Running Sphinx")[1], re.M))
    assert "chapters/claims" in showing and "chapters/methods" not in reread
    assert reread == expected | showing
    for output in (rebuilt.stdout + rebuilt.stderr, log):
        assert "TCP" not in output  # kernels on local sockets: no warning about unencrypted TCP
    assert SERVER in log


SERVER = "[jinchang] one kernel server for English, 中文"


@pytest.mark.build
def test_an_edit_no_chapter_reads_starts_no_kernel_server(book, project):
    """Both editions are built again (the Claims pages show the cell), and no kernel is started for them."""
    assert not readers(records(book), "claims", "nickel-foil-thickness", "notes")
    edit_cell(project / "data", "claims", "nickel-foil-thickness", "notes")
    rebuilt = run_build(project)
    assert rebuilt.returncode == 0, rebuilt.stdout[-3000:]
    assert executed(rebuilt.stdout) == {} and "中文: unchanged" not in rebuilt.stdout
    assert SERVER not in (project / "_build" / "build.log").read_text(encoding="utf-8")


@pytest.mark.build
def test_a_prose_edit_in_one_edition_leaves_the_other_alone(project):
    chapter = project / "chapters" / "02-parks.md"
    figures_page = project / "_build" / ".stage" / "en" / "html" / "chapters" / "figures.html"
    written = figures_page.stat().st_mtime_ns
    kits = kit_pages(project)
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    rebuilt = run_build(project)
    assert rebuilt.returncode == 0, rebuilt.stdout[-3000:]
    lines = rebuilt.stdout.splitlines()
    assert "中文: unchanged" in lines
    # one line per phase, and a last one saying what was published, where and in how long
    assert len(lines) <= 8 and not rebuilt.stderr and "Running Sphinx" not in rebuilt.stdout
    assert re.fullmatch(r"published English, 中文 to _build/html/index.html in \d+\.\d s; "
                        r"full log in _build/build.log", lines[-1])
    log = (project / "_build" / "build.log").read_text(encoding="utf-8")
    assert "Running Sphinx" in log
    assert "Prefix dict" not in log  # jieba's words of the page's texts were kept: its dictionary is not loaded
    assert executed(rebuilt.stdout) == {}
    assert figures_page.stat().st_mtime_ns == written  # the figures it lists did not change
    assert kit_pages(project) == kits  # nor did any figure's kit
    assert "One more sentence." in (project / "_build" / "html" / "chapters" / "02-parks.html").read_text(encoding="utf-8")


@pytest.mark.build
def test_a_renamed_english_section_gives_the_chinese_section_its_new_anchor(project):
    """The Chinese pages are unchanged, but the anchors they take from the English build are not."""
    chapter = project / "chapters" / "03-environment.md"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("## Dry air and the Gobi", "## Dry air, the Gobi", 1),
                       encoding="utf-8")
    rebuilt = run_build(project)
    assert rebuilt.returncode == 0, rebuilt.stdout[-3000:]
    assert "中文: unchanged" not in rebuilt.stdout.splitlines()
    page = (project / "_build" / "html" / "zh" / "chapters" / "03-environment.html").read_text(encoding="utf-8")
    assert 'id="dry-air-the-gobi"' in page and 'id="dry-air-and-the-gobi"' not in page


def kit_pages(project: Path) -> dict[str, int]:
    """Each English reuse kit page, with when it was last written."""
    return {page.parent.name: page.stat().st_mtime_ns
            for page in (project / "_build" / ".stage" / "en" / "html" / "figures").glob("*/index.html")}


@pytest.mark.build
def test_a_new_chapter_title_is_in_every_kit_page_which_a_prose_edit_leaves_alone(project):
    """Kit pages are written again when what they show changed: here the navigation, on every page."""
    chapter = project / "chapters" / "02-parks.md"
    text = chapter.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("# "))
    chapter.write_text(text.replace(title, f"{title} revisited", 1), encoding="utf-8")
    before = kit_pages(project)
    rebuilt = run_build(project)
    assert rebuilt.returncode == 0, rebuilt.stdout[-3000:]
    after = kit_pages(project)
    assert len(after) > 10 and all(after[name] != before[name] for name in after)
    for name in after:
        page = (project / "_build" / "html" / "figures" / name / "index.html").read_text(encoding="utf-8")
        assert ") revisited</a>" in page, name  # in the navigation
    listed = (project / "_build" / "html" / "chapters" / "figures.html").read_text(encoding="utf-8")
    assert ") revisited" in listed  # the Figures page names the page of each figure: written again


@pytest.mark.build
def test_a_template_edit_is_published_even_when_the_file_is_older_than_the_pages(project):
    """Sphinx rewrites pages only for a template newer than them; a template restored or moved with its
    old time is not, yet its edit reaches every page of both editions."""
    template = project / "_templates" / "copyright.html"
    template.write_text(template.read_text(encoding="utf-8").replace('<p class="copyright">',
                                                                     '<p class="copyright" data-edited="">'),
                        encoding="utf-8")
    os.utime(template, (0, 0))  # 1970: older than every page
    rebuilt = run_build(project)
    assert rebuilt.returncode == 0, rebuilt.stdout[-3000:]
    for page in ("index.html", "chapters/02-parks.html", "zh/index.html", "zh/chapters/sources.html"):
        published = (project / "_build" / "html" / page).read_text(encoding="utf-8")
        assert '<p class="copyright" data-edited="">' in published, page
