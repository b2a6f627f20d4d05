"""Live preview: serve the published book, rebuild it when a source file is saved, reload the page.

Each rebuild is ``jinchang build --no-pdf`` in a new process (the data and the package are read
afresh), so an edit is never shadowed by what an earlier build held in memory. The PDFs, which
are printed again on every edit and are not what a writer reads while writing, are left to the next
``jinchang build`` (``make book``), which prints them. Pages served here carry a
small script that asks ``/_preview/status`` every half second for the site last published and
the error of the last failed build: a newly published site reloads the page (a build that found
nothing to do does not); a failed build
shows its error over the page, and the page, the last good one, stays readable beneath.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
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


def rebuild(state: State, log=sys.stdout) -> bool:
    """One ``jinchang build --no-pdf`` in a new process; its outcome recorded in ``state``."""
    result = subprocess.run([sys.executable, "-m", "jinchang", "build", "--no-pdf"], capture_output=True, text=True,
                            env={**os.environ, "JINCHANG_ROOT": str(paths.ROOT), "JINCHANG_BUILD_DIR": str(paths.BUILD)})
    print(result.stdout + result.stderr, end="", file=log, flush=True)
    with state.lock:
        if result.returncode == 0:
            state.generation = published()
            state.error = ""
        else:
            state.error = (result.stdout + result.stderr).strip()
    return result.returncode == 0


@contextmanager
def previewing(port: int = 0, stop: threading.Event | None = None) -> Iterator[tuple[str, State]]:
    """Serve the book with live reload; rebuild on every change until ``stop`` is set."""
    state = State()
    handler = type("Handler", (PreviewHandler,), {"state": state})
    stop = stop or threading.Event()

    def loop() -> None:
        for _ in watch(paths.ROOT, watch_filter=Sources(), stop_event=stop, debounce=300, rust_timeout=500):
            rebuild(state)

    with served(paths.BUILD / "html", port=port, handler=handler) as url:
        watcher = threading.Thread(target=loop, daemon=True)
        watcher.start()
        try:
            yield url, state
        finally:
            stop.set()
            watcher.join(timeout=5)
