"""Execute chapters before Sphinx reads them: in parallel, and again when what they read changes.

myst-nb's cache mode matches a notebook on its code cells only, so an edit to ``data/``
or to the package would leave stale outputs. Here each chapter's execution records what it
read: the tables and rows of the data, and the package's modules it imported, each with a digest
(see ``jinchang.dependencies``). A chapter is executed again when its code cells change or one of
those digests does, and only then: an edit to one row re-executes the chapters that read it.
Chapters are executed side by side with nbclient, and their outputs stored in the jupyter-cache
that myst-nb then reads; they are also re-read by Sphinx. A failing cell, or a cell that writes
to stderr, stops the build with the chapter, the cell and its line.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import nbformat
from jupyter_cache import get_cache
from jupyter_client.manager import AsyncKernelManager
from jupyter_cache.base import CacheBundleIn
from myst_nb.core.read import create_nb_reader
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from traitlets import Unicode
from traitlets.config import Config
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

from .. import dependencies, forkserver, paths, progress, reads
from ..paths import BASEURL_VARIABLE
from . import notebooks

logger = logging.getLogger(__name__)
KEY = "jinchang_key"


class ForkedKernelManager(AsyncKernelManager):
    """A kernel manager whose Python kernels are forks of a preloaded server (see ``jinchang.forkserver``)."""

    server = Unicode("", config=True, help="the socket of the fork server; empty: kernels started afresh")

    @property
    def kernel_spec(self):
        spec = super().kernel_spec
        if spec is None or not self.server or spec.language != "python":
            return spec
        forked = copy.copy(spec)
        forked.argv = [sys.executable, "-m", forkserver.__name__, *spec.argv[spec.argv.index("-f"):]]
        forked.env = {**spec.env, forkserver.VARIABLE: self.server}
        return forked


def _kernel_config(sockets: str, server: str) -> Config:
    """Kernels talk to the build over local sockets (IPC), not TCP on 127.0.0.1: nothing to encrypt,
    and no warning from each kernel that its channel is not. Each kernel gets its own folder of
    sockets: kernels started at once would otherwise pick the same socket names."""
    return Config({"KernelManager": {"transport": "ipc", "ip": f"{sockets}/kernel"},
                   "ForkedKernelManager": {"server": server}})


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


def _chapters(app: Sphinx) -> list[Chapter]:
    """The book's notebooks, parsed once per build (their cells' options are YAML: a tenth of a
    second for them all), at its start: an edit meanwhile is left to the next build."""
    if not hasattr(app, "jinchang_chapters"):
        app.jinchang_chapters = _parsed(app)
    return app.jinchang_chapters


def _parsed(app: Sphinx) -> list[Chapter]:
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
        # outputs carry the book's URL
        key = hashlib.sha256("\0".join([os.environ.get(BASEURL_VARIABLE, ""), *code]).encode()).hexdigest()
        found.append(Chapter(docname, path, notebook, key))
    return found


def _execute(chapter: Chapter, timeout: int, server: str) -> tuple[nbformat.NotebookNode, float, str]:
    """The executed notebook, the seconds it took and the ``dependencies.REPORT`` of what it read."""
    notebook = nbformat.from_dict(chapter.notebook)
    notebook.cells.append(nbformat.v4.new_code_cell(dependencies.REPORT))
    started = time.perf_counter()
    try:
        with tempfile.TemporaryDirectory(prefix="jinchang-kernel-") as sockets:
            NotebookClient(notebook, timeout=timeout, allow_errors=False, record_timing=False,
                           kernel_manager_class=ForkedKernelManager, config=_kernel_config(sockets, server),
                           resources={"metadata": {"path": str(chapter.path.parent)}}).execute()
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
    report = notebook.cells.pop()
    return notebook, time.perf_counter() - started, report.outputs[0].text


def stale(chapter: Chapter, data: dict | None, now: dict[str, str]) -> bool:
    """Whether ``chapter``, cached with ``data`` (None: not cached), must be executed again."""
    return data is None or data.get(KEY) != chapter.key or "inputs" not in data \
        or bool(dependencies.changed(data["inputs"], now))


def execute_stale_chapters(app: Sphinx) -> None:
    try:
        _execute_stale_chapters(app)
    finally:
        forkserver.done()


def _execute_stale_chapters(app: Sphinx) -> None:
    now = dependencies.current()
    previous = getattr(app.env, "jinchang_inputs", now)
    app.env.jinchang_changed = {n for n in previous.keys() | now.keys() if previous.get(n) != now.get(n)}
    app.env.jinchang_reexecuted = set()
    app.env.jinchang_inputs = now
    cache_dir = Path(app.env.mystnb_config.execution_cache_path)
    (cache_dir / dependencies.SETTLED).unlink(missing_ok=True)
    cache = get_cache(cache_dir)
    files = dependencies.digests([Path(app.config.external_toc_path),
                                  *(Path(app.srcdir, f"{name}.md") for name in app.config.external_site_map)])
    chapters = _chapters(app)
    app.env.jinchang_notebooks = [c.docname for c in chapters]
    due, inputs = [], {}
    for chapter in chapters:
        try:
            record = cache.match_cache_notebook(chapter.notebook)
        except KeyError:
            record = None
        if stale(chapter, record.data if record else None, now):
            due.append(chapter)
        else:
            inputs[chapter.docname] = record.data["inputs"]
    if due:
        inputs |= _execute_due(app, cache, due, now)
    dependencies.settle(cache_dir, files, inputs)


def _execute_due(app: Sphinx, cache, due: list[Chapter], now: dict[str, str]) -> dict[str, dict[str, str]]:
    """Execute the chapters ``due`` side by side into ``cache``: what each read, by docname."""
    timeout = app.env.mystnb_config.execution_timeout
    names = ", ".join(c.docname for c in due)
    logger.info(f"[jinchang] executing {len(due)} chapter(s) in parallel: {names}")
    with progress.current.phase("executing chapters", len(due)) as phase, forkserver.running() as server, \
            ThreadPoolExecutor(max_workers=min(len(due), os.cpu_count() or 1)) as pool:
        def run(chapter: Chapter) -> tuple[Chapter, nbformat.NotebookNode, float, str]:
            result = _execute(chapter, timeout, server)
            phase.advance(chapter.docname)
            return chapter, *result

        results = list(pool.map(run, due))
        phase.note = f"({names})"
    inputs = {}
    for chapter, notebook, seconds, report in results:
        code = "\n".join(c.source for c in chapter.notebook.cells if c.cell_type == "code")
        inputs[chapter.docname] = dependencies.recorded(report, code, now)
        data = {KEY: chapter.key, "inputs": inputs[chapter.docname], "execution_seconds": seconds}
        bundle = CacheBundleIn(notebook, str(chapter.path), data=data)
        cache.cache_notebook_bundle(bundle, check_validity=False, overwrite=True)
        app.env.jinchang_reexecuted.add(chapter.docname)
        logger.info(f"[jinchang] {chapter.docname}: executed in {seconds:.1f} s")
    return inputs


def write_notebooks(app: Sphinx, exception: Exception | None) -> None:
    """Publish each chapter's executed notebook as ``_sources/<docname>.ipynb`` for download,
    readable and runnable in any Jupyter (see ``notebooks``)."""
    if exception is not None or app.builder.format != "html":
        return
    cache = get_cache(app.env.mystnb_config.execution_cache_path)
    written = getattr(app, "jinchang_written", {})
    for chapter in _chapters(app):
        target = Path(app.outdir) / "_sources" / f"{chapter.docname}.ipynb"
        if chapter.docname not in written and target.is_file():
            continue  # made of its page as written, and its page was not written again
        _, notebook = cache.merge_match_into_notebook(chapter.notebook)
        starts = notebook.metadata.pop("source_map", None) or chapter.notebook.metadata["source_map"]
        notebook.metadata.pop("jupytext", None)  # how the MyST source is paired, not part of the notebook
        doctree = written.get(chapter.docname) or app.env.get_and_resolve_doctree(chapter.docname, app.builder)
        notebook = notebooks.for_jupyter(app, chapter.docname, doctree, notebook, starts)
        for index, cell in enumerate(notebook.cells):
            cell.id = f"cell-{index}"  # the reader draws random ids; the same commit must give the same file
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, target)


# What each page read of the data while Sphinx read it and while it resolved it for writing
# (after the environment is saved, hence a file of its own beside the doctrees).
PAGE_READS = "jinchang-page-reads.json"


def _page_reads(app: Sphinx) -> dict[str, list[str]]:
    if not hasattr(app, "jinchang_page_reads"):
        path = Path(app.doctreedir) / PAGE_READS
        app.jinchang_page_reads = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    return app.jinchang_page_reads


def _start_recording(*_) -> None:
    reads.READ.clear()


def _record(app: Sphinx, docname: str) -> None:
    pages = _page_reads(app)
    pages[docname] = sorted(set(pages.get(docname, [])) | reads.READ)


def _read(app: Sphinx, doctree) -> None:
    _page_reads(app)[app.env.docname] = []  # read again: what it reads now, not what it read before
    _record(app, app.env.docname)


def _written(app: Sphinx, doctree, docname: str) -> None:
    """Note a page written, with its resolved doctree when it is a chapter's: its notebook is made of
    it (resolving it again would take a second per edition)."""
    if not hasattr(app, "jinchang_written"):
        app.jinchang_written = {}
    app.jinchang_written[docname] = doctree if docname in getattr(app.env, "jinchang_notebooks", ()) else None


def _save_page_reads(app: Sphinx, exception: Exception | None) -> None:
    if exception is None:
        (Path(app.doctreedir) / PAGE_READS).write_text(json.dumps(_page_reads(app), sort_keys=True), encoding="utf-8")


def outdated(app, env, added, changed, removed) -> list[str]:
    """Pages to re-read: re-executed chapters, the pages that read a changed row or table, and
    every page when the package changed (the extensions that render the pages are in it)."""
    touched = getattr(env, "jinchang_changed", set())
    if any(map(dependencies.is_code, touched)):
        return sorted(env.found_docs)
    pages = _page_reads(app)
    due = getattr(env, "jinchang_reexecuted", set())
    if touched:
        due = due | {d for d in env.found_docs if d not in pages or touched & set(pages[d])}
    return sorted(due & env.found_docs)


def offer_notebook(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Make the theme's download button offer the executed .ipynb beside the .md source."""
    if pagename in getattr(app.env, "jinchang_notebooks", ()):
        context["ipynb_source"] = f"{pagename}.ipynb"


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", execute_stale_chapters, priority=900)
    app.connect("env-get-outdated", outdated)
    app.connect("source-read", _start_recording, priority=0)
    app.connect("doctree-read", _read, priority=999)
    app.connect("doctree-resolved", _start_recording, priority=0)
    app.connect("doctree-resolved", lambda app, doctree, docname: _record(app, docname), priority=999)
    app.connect("doctree-resolved", _written)
    app.connect("build-finished", _save_page_reads)
    app.connect("html-page-context", offer_notebook, priority=400)  # before the theme builds its buttons
    app.connect("build-finished", write_notebooks)
