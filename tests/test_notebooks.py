"""The downloaded notebooks, in plain Jupyter: Markdown without MyST, and a run with no clone.

The run does what a reader does: a fresh virtualenv, ``pip install`` of the wheel the book
publishes (this session's build) and nothing else, then every chapter notebook executed in an
empty folder far from any clone. Dependencies are held to the versions of requirements.lock,
so that the run checks the book and not a new release of a dependency. The virtualenv is made
once per session.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import jupytext
import nbformat
import pytest

from jinchang import paths, wheel
from jinchang.figure import MIME
from jinchang.sphinxext import kits

from .test_book import page

CHAPTERS = ("01-clusters", "02-parks", "03-environment", "04-context", "05-fact-check")
# What plain Jupyter would show raw: roles (not a role's name shown as code), directives, colon
# fences, targets, substitutions.
MYST = re.compile(r"(?<!`)\{[a-z][\w:-]*\}`[^`]+`|^\s*(```|~~~|:::)\s*\{|^\([\w-]+\)=\s*$|\{\{", re.M)


def published(book: Path, chapter: str) -> nbformat.NotebookNode:
    return nbformat.read(book / "_sources" / "chapters" / f"{chapter}.ipynb", as_version=4)


def markdown(notebook: nbformat.NotebookNode) -> str:
    return "\n\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")


@pytest.mark.build
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_notebook_markdown_shows_numbers_linked_to_their_rows_not_myst(book, chapter):
    notebook = published(book, chapter)
    text = markdown(notebook)
    assert not MYST.search(text), MYST.search(text).group()
    first = notebook.cells[0]
    # this build has no published address
    assert first.cell_type == "markdown" and f"pip install [book URL]/{kits.DOWNLOADS}/{wheel.FILE_NAME}" in first.source
    # Every number of the page's prose is in the Markdown, as a link to its row with its quote as title.
    soup = page(book, f"chapters/{chapter}")
    for cell in soup.select("div.cell"):
        cell.decompose()
    unescaped = re.sub(r"\\(.)", r"\1", text)
    refs = soup.select("article a.data-ref.claim")
    assert refs
    for ref in refs:
        claim = ref["href"].split("#")[1]
        value = ref.select_one(".data-value").get_text()
        titled = ' "' if ref.select_one(".data-tip") else r"\)"  # the quote on hover, as the link's title
        assert re.search(rf"\[{re.escape(value)}\]\(<[^>]*claims\.html#{claim}>{titled}", unescaped), (chapter, claim)
    # The bibliography, entry by entry, each once.
    entries = re.findall(r"^\[(\d+)\] (.*)$", unescaped, re.M)
    assert [int(n) for n, _ in entries] == list(range(1, len(soup.select("div.citation")) + 1))
    assert all(entry.count(entry[:30]) == 1 for _, entry in entries)
    # The code is the chapter's own, cell for cell.
    source = jupytext.read(paths.CHAPTERS / f"{chapter}.md")
    assert ([c.source for c in notebook.cells if c.cell_type == "code"]
            == [c.source for c in source.cells if c.cell_type == "code"])


@pytest.fixture(scope="session")
def reader_venv(book, tmp_path_factory) -> Path:
    """A fresh virtualenv with the published wheel installed, and nothing else asked for."""
    venv = tmp_path_factory.mktemp("reader") / "venv"
    subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    pins = re.findall(r"^([A-Za-z0-9_.-]+==\S+)", (paths.ROOT / "requirements.lock").read_text(encoding="utf-8"), re.M)
    constraints = venv / "constraints.txt"
    constraints.write_text("\n".join(pins) + "\n", encoding="utf-8")
    installed = subprocess.run([venv / "bin" / "python", "-m", "pip", "install", "--quiet", "-c", constraints,
                                book / kits.DOWNLOADS / wheel.FILE_NAME], capture_output=True, text=True)
    assert installed.returncode == 0, installed.stderr[-3000:]
    return venv


@pytest.mark.build
def test_downloaded_notebooks_run_anywhere_with_only_the_wheel_installed(book, reader_venv, tmp_path):
    folder = tmp_path / "anywhere"
    folder.mkdir()
    for chapter in CHAPTERS:
        (folder / f"{chapter}.ipynb").write_bytes((book / "_sources" / "chapters" / f"{chapter}.ipynb").read_bytes())
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("JINCHANG_", "PYTHON", "VIRTUAL_ENV"))}
    env["PATH"] = f"{reader_venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    found = subprocess.run([reader_venv / "bin" / "python", "-c", "import jinchang.paths as p; print(p.DATA)"],
                           cwd=folder, env=env, capture_output=True, text=True)
    assert found.returncode == 0 and str(reader_venv) in found.stdout, found.stderr  # the wheel's own data
    ran = subprocess.run([reader_venv / "bin" / "jupyter-execute", "--inplace", *(f"{c}.ipynb" for c in CHAPTERS)],
                         cwd=folder, env=env, capture_output=True, text=True)
    assert ran.returncode == 0, ran.stderr[-3000:]
    for chapter in CHAPTERS:
        executed = nbformat.read(folder / f"{chapter}.ipynb", as_version=4)
        errors = [o for c in executed.cells for o in c.get("outputs", []) if o.output_type == "error"]
        assert not errors, (chapter, errors[:1])
        charts = [o.data[MIME] for c in executed.cells for o in c.get("outputs", []) if MIME in o.get("data", {})]
        for chart in charts:  # the same data as the book's published figure
            assert chart["csv"].encode() == (book / "figures" / f"{chart['name']}.csv").read_bytes(), chart["name"]
    assert any(MIME in o.get("data", {}) for c in nbformat.read(folder / "01-clusters.ipynb", 4).cells
               for o in c.get("outputs", []))
