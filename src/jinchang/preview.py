"""Live preview: serve the published book, rebuild it when a source file is saved, reload the page.

Each rebuild is ``jinchang build --no-pdf`` in a new process (the data and the package are read
afresh), so an edit is never shadowed by what an earlier build held in memory. The process is forked
from one that has imported the libraries every build needs and loaded jieba's dictionary, once, when
the preview started (see :mod:`jinchang.warm`): a second or two less per edit. The PDFs, which
are printed again on every edit and are not what a writer reads while writing, are left to the next
``jinchang build`` (``make book``), which prints them. Pages served here carry a
small script that asks ``/_preview/status`` every half second for the site last published and
the error of the last failed build: a newly published site reloads the page (a build that found
nothing to do does not); a failed build
shows its error over the page, and the page, the last good one, stays readable beneath.
"""

from __future__ import annotations

import atexit
import importlib
import json
import multiprocessing
import multiprocessing.forkserver
import os
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from watchfiles import DefaultFilter, watch

from . import paths
from .serve import QuietHandler, served

STATUS = "/_preview/status"
SCRIPT = """<script>(() => {
  let seen = null;
  const show = (error) => {
    let box = document.getElementById("preview-error");
    if (!error) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("pre");
      box.id = "preview-error";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;left:0;right:0;bottom:0;max-height:45vh;overflow:auto;margin:0;"
        + "padding:1em;background:#fff4f4;color:#5c0000;border-top:3px solid #b00020;z-index:9999;white-space:pre-wrap";
      document.body.append(box);
    }
    box.textContent = "The last build failed; this is the last good page.\\n\\n" + error;
  };
  const poll = async () => {
    try {
      const status = await (await fetch("%s", {cache: "no-store"})).json();
      if (seen !== null && status.generation !== seen) { location.reload(); return; }
      seen = status.generation;
      show(status.error);
    } catch (e) {}
    setTimeout(poll, 500);
  };
  poll();
})();</script>""" % STATUS


def published() -> str:
    """The site folder ``_build/html`` links to: a new one for each build that published."""
    site = paths.BUILD / "html"
    return os.readlink(site) if site.is_symlink() else ""


@dataclass
class State:
    generation: str = field(default_factory=published)
    error: str = ""  # what the last build printed, when it failed
    lock: threading.Lock = field(default_factory=threading.Lock)

    def json(self) -> bytes:
        with self.lock:
            return json.dumps({"generation": self.generation, "error": self.error}).encode()


class PreviewHandler(QuietHandler):
    """The published site, each page with the preview script, and the build's status."""

    state: State

    def send_file_head(self):
        if self.path.split("?")[0] == STATUS:
            return self._answer(self.state.json(), "application/json")
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            page = path.read_text(encoding="utf-8")
            at = page.rfind("</body>")
            return self._answer((page[:at] + SCRIPT + page[at:]).encode("utf-8"), "text/html; charset=utf-8")
        return super().send_file_head()

    def _answer(self, body: bytes, kind: str):
        from io import BytesIO

        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        return BytesIO(body)


class Sources(DefaultFilter):
    """Changes that can change the book: not builds, caches, environments or editors' files."""

    ignore_dirs = (*DefaultFilter.ignore_dirs, "_build", ".venv", "node_modules", ".hypothesis", ".ipynb_checkpoints")

    def __call__(self, change, path: str) -> bool:
        return super().__call__(change, path) and not Path(path).is_relative_to(paths.BUILD)


def warm() -> multiprocessing.context.BaseContext:
    """Where builds are forked from: a process that imports what they import, started now (a build
    asked for meanwhile waits until it is ready)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["jinchang.warm"])
    multiprocessing.forkserver.ensure_running()
    return context


def _build(root: str, build_dir: str, log: str) -> None:
    """In a process forked from the warm one: ``jinchang build --no-pdf``, its output to ``log``, the
    book's own modules imported afresh (those the fork brought along are forgotten first)."""
    for name in [n for n in sys.modules if n == "jinchang" or n.startswith("jinchang.")]:
        del sys.modules[name]
    os.environ.update(JINCHANG_ROOT=root, JINCHANG_BUILD_DIR=build_dir)
    with open(log, "w", encoding="utf-8") as out:
        os.dup2(out.fileno(), 1)
        os.dup2(out.fileno(), 2)
    status = importlib.import_module("jinchang.cli").main(["build", "--no-pdf"])
    atexit._run_exitfuncs()  # noqa: SLF001 - the process ends with os._exit, which skips them
    sys.exit(status)


def rebuild(state: State, log=sys.stdout) -> bool:
    """One ``jinchang build --no-pdf``, forked from the warm process; its outcome recorded in ``state``."""
    with tempfile.TemporaryDirectory(prefix="jinchang-preview-") as folder:
        output = Path(folder) / "build.log"
        process = warm().Process(target=_build, args=(str(paths.ROOT), str(paths.BUILD), str(output)),
                                 name="jinchang-build")
        process.start()
        process.join()
        text = output.read_text(encoding="utf-8") if output.is_file() else ""
    print(text, end="", file=log, flush=True)
    with state.lock:
        if process.exitcode == 0:
            state.generation = published()
            state.error = ""
        else:
            state.error = text.strip() or f"the build ended with status {process.exitcode}"
    return process.exitcode == 0


@contextmanager
def previewing(port: int = 0, stop: threading.Event | None = None) -> Iterator[tuple[str, State]]:
    """Serve the book with live reload; rebuild on every change until ``stop`` is set."""
    state = State()
    handler = type("Handler", (PreviewHandler,), {"state": state})
    stop = stop or threading.Event()

    def loop() -> None:
        for _ in watch(paths.ROOT, watch_filter=Sources(), stop_event=stop, debounce=300, rust_timeout=500):
            rebuild(state)

    warm()  # now, so that the first edit's build finds it ready
    with served(paths.BUILD / "html", port=port, handler=handler) as url:
        watcher = threading.Thread(target=loop, daemon=True)
        watcher.start()
        try:
            yield url, state
        finally:
            stop.set()
            watcher.join(timeout=5)
