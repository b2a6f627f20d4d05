"""Execute chapters before Sphinx reads them: in parallel, and again when data or code change.

myst-nb's cache mode matches a notebook on its code cells only, so an edit to ``data/``
or to the package would leave stale outputs. Here each chapter gets a key: its code
cells plus a digest of ``data/`` and ``src/jinchang``. Chapters whose key changed are
executed side by side with nbclient, and their outputs are stored in the jupyter-cache
that myst-nb then reads; they are also re-read by Sphinx. A failing cell, or a cell that
writes to stderr, stops the build with the chapter, the cell and its line.
"""

from __future__ import annotations

import hashlib
import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import nbformat
from jupyter_cache import get_cache
from jupyter_cache.base import CacheBundleIn
from myst_nb.core.read import create_nb_reader
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

from .. import paths
from ..citation import BASEURL_VARIABLE
from . import notebooks

logger = logging.getLogger(__name__)
KEY = "jinchang_key"


def dependency_digest() -> str:
    """sha256 over everything the chapters' outputs can depend on besides their own code:
    the data, the package and the book's published address."""
    digest = hashlib.sha256(os.environ.get(BASEURL_VARIABLE, "").encode())  # outputs carry the book's URL
    for folder in (paths.DATA, paths.ROOT / "src" / "jinchang"):
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(path.relative_to(paths.ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


@dataclass
class Chapter:
    docname: str
    path: Path
    notebook: nbformat.NotebookNode
    key: str

    def cell_line(self, index: int) -> int:
        """Line of the code cell in the Markdown source (myst-nb keeps a source map)."""
        return self.notebook.metadata.get("source_map", [0] * (index + 1))[index] + 1


class ChapterFailed(ExtensionError):
    pass


def _chapters(app: Sphinx, digest: str) -> list[Chapter]:
    found = []
    env = app.env
    for docname in sorted(app.config.external_site_map):
        path = Path(app.srcdir, docname + ".md")
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        reader = create_nb_reader(str(path), env.myst_config, env.mystnb_config, text)
        if reader is None:
            continue
        notebook = reader.read(text)
        code = [c.source for c in notebook.cells if c.cell_type == "code"]
        key = hashlib.sha256("\0".join([digest, *code]).encode()).hexdigest()
        found.append(Chapter(docname, path, notebook, key))
    return found


def _execute(chapter: Chapter, timeout: int) -> tuple[nbformat.NotebookNode, float]:
    notebook = nbformat.from_dict(chapter.notebook)
    started = time.perf_counter()
    client = NotebookClient(notebook, timeout=timeout, allow_errors=False, record_timing=False,
                            resources={"metadata": {"path": str(chapter.path.parent)}})
    try:
        client.execute()
    except CellExecutionError as error:
        index = next((i for i, c in enumerate(notebook.cells)
                      if c.cell_type == "code" and any(o.output_type == "error" for o in c.get("outputs", []))), None)
        where = f"cell {index} (line {chapter.cell_line(index)})" if index is not None else "a cell"
        raise ChapterFailed(f"{paths.relative(chapter.path)}: {where} failed: {error.ename}: {error.evalue}") from None
    for index, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []):
            if output.output_type == "stream" and output.name == "stderr":
                raise ChapterFailed(f"{paths.relative(chapter.path)}: cell {index} (line {chapter.cell_line(index)}) "
                                    f"wrote to stderr: {output.text.strip()[:500]}")
    return notebook, time.perf_counter() - started


def execute_stale_chapters(app: Sphinx) -> None:
    digest = dependency_digest()
    previous = getattr(app.env, "jinchang_digest", digest)
    # data or package changed: every page re-reads its numbers, not only the notebooks
    app.env.jinchang_reexecuted = {"*"} if previous != digest else set()
    app.env.jinchang_digest = digest
    cache = get_cache(app.env.mystnb_config.execution_cache_path)
    chapters = _chapters(app, digest)
    app.env.jinchang_notebooks = [c.docname for c in chapters]
    stale = []
    for chapter in chapters:
        try:
            record = cache.match_cache_notebook(chapter.notebook)
        except KeyError:
            record = None
        if record is None or record.data.get(KEY) != chapter.key:
            stale.append(chapter)
    if not stale:
        return
    timeout = app.env.mystnb_config.execution_timeout
    logger.info(f"[jinchang] executing {len(stale)} chapter(s) in parallel: {', '.join(c.docname for c in stale)}")
    with ThreadPoolExecutor(max_workers=min(len(stale), os.cpu_count() or 1)) as pool:
        results = list(pool.map(lambda c: (c, *_execute(c, timeout)), stale))
    for chapter, notebook, seconds in results:
        bundle = CacheBundleIn(notebook, str(chapter.path), data={KEY: chapter.key, "execution_seconds": seconds})
        cache.cache_notebook_bundle(bundle, check_validity=False, overwrite=True)
        app.env.jinchang_reexecuted.add(chapter.docname)
        logger.info(f"[jinchang] {chapter.docname}: executed in {seconds:.1f} s")


def write_notebooks(app: Sphinx, exception: Exception | None) -> None:
    """Publish each chapter's executed notebook as ``_sources/<docname>.ipynb`` for download,
    readable and runnable in any Jupyter (see ``notebooks``)."""
    if exception is not None or app.builder.format != "html":
        return
    cache = get_cache(app.env.mystnb_config.execution_cache_path)
    for chapter in _chapters(app, app.env.jinchang_digest):
        _, notebook = cache.merge_match_into_notebook(chapter.notebook)
        starts = notebook.metadata.pop("source_map", None) or chapter.notebook.metadata["source_map"]
        notebook.metadata.pop("jupytext", None)  # how the MyST source is paired, not part of the notebook
        notebook = notebooks.for_jupyter(app, chapter.docname, notebook, starts)
        for index, cell in enumerate(notebook.cells):
            cell.id = f"cell-{index}"  # the reader draws random ids; the same commit must give the same file
        target = Path(app.outdir) / "_sources" / f"{chapter.docname}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, target)


def outdated(app, env, added, changed, removed) -> list[str]:
    """Pages to re-read: re-executed chapters, or every page when data or code changed."""
    reexecuted = getattr(env, "jinchang_reexecuted", set())
    if "*" in reexecuted:
        return sorted(env.found_docs)
    return sorted(reexecuted & env.found_docs)


def offer_notebook(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Make the theme's download button offer the executed .ipynb beside the .md source."""
    if pagename in getattr(app.env, "jinchang_notebooks", ()):
        context["ipynb_source"] = f"{pagename}.ipynb"


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", execute_stale_chapters, priority=900)
    app.connect("env-get-outdated", outdated)
    app.connect("html-page-context", offer_notebook, priority=400)  # before the theme builds its buttons
    app.connect("build-finished", write_notebooks)
