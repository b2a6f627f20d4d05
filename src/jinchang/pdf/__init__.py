"""The print edition: a PDF of an edition of the book, made from its built site.

``write(edition, site)`` puts ``jinchang-by-the-numbers.pdf`` at the root of the edition's site.
In a build, ``prepare(edition, site)`` writes the print document and its fonts, and a ``Printer``
prints it in the background, while the build goes on. What the PDF says of
itself (title, author, subject, published address) is what the edition's landing page says;
its words (contents, notes, dates) are those of the edition's language:

1. :mod:`.document` makes one HTML document of the site's pages, in the navigation's order,
   with a title page, a table of contents, notes for every number from data, and the print
   stylesheet ``book.css``;
2. :mod:`.fonts` makes TrueType copies of the bundled font holding the book's characters: the
   PDF uses no other font, so it does not depend on the fonts of the machine that built it;
3. :mod:`.render` prints the document with Chromium, in pieces (a page of the site each, the
   ones printed before for the same taken from the last printing), after a draft that numbers
   the contents when the last printing's pages no longer hold;
4. :mod:`.finish` joins the pieces (:mod:`.merge`), adds the bookmarks and the metadata and
   writes the file reproducibly.

The words of the print edition are the ``pdf`` section of the book's labels (:mod:`jinchang.labels`).
Printing is skipped when the document, its images, its fonts and its metadata are those of the
last PDF made in the same folder.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
import multiprocessing
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Awaitable, Callable, Coroutine
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__, paths
from ..errors import BookError

if TYPE_CHECKING:
    from ..editions import Edition
    from .document import Part
    from .finish import Metadata
    from .render import Chromium

FILENAME = "jinchang-by-the-numbers.pdf"  # at the root of each edition's site


class PrintError(BookError):
    """The PDF could not be made: the message says why, the hint what to do."""

    hint = "Fix what the message names, then build again."


def source_date() -> dt.datetime | None:
    """When the book's source was last changed: $SOURCE_DATE_EPOCH, else the date of the commit checked
    out (``git log -1 --format=%ct``), else None (no git, or not a clone): then no date is printed."""
    if (epoch := os.environ.get("SOURCE_DATE_EPOCH")) is not None:
        if not epoch.strip().isdigit():
            raise PrintError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, not {epoch!r}",
                             "Set it to the commit's time (git log -1 --format=%ct), or unset it.")
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    if not (paths.ROOT / ".git").exists():
        return None
    try:
        found = subprocess.run(["git", "-C", str(paths.ROOT), "log", "-1", "--format=%ct"],
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return dt.datetime.fromtimestamp(int(found), dt.UTC) if found.isdigit() else None


def keywords() -> tuple[str, ...]:
    """The book's keywords, as its citation file gives them."""
    import yaml

    return tuple(yaml.safe_load((paths.ROOT / "CITATION.cff").read_text(encoding="utf-8"))["keywords"])


@dataclass(frozen=True)
class Landing:
    """What an edition's landing page says of the book, in the edition's language."""

    title: str
    author: str
    description: str
    url: str  # the edition's published address, "" when not known (its PDF's address is then relative)

    @classmethod
    def read(cls, site: Path) -> Landing:
        import lxml.html

        head = lxml.html.parse(site / "index.html").getroot().find("head")
        meta = {node.get("name"): node.get("content", "") for node in head.iter("meta") if node.get("name")}
        if missing := [name for name in ("citation_title", "citation_author") if not meta.get(name)]:
            raise PrintError(f"{site / 'index.html'}: no {', '.join(missing)} to print on the title page")
        pdf_url = meta.get("citation_pdf_url", "")
        return cls(meta["citation_title"], meta["citation_author"], meta.get("description", ""),
                   pdf_url.rsplit("/", 1)[0] if pdf_url.startswith(("https://", "http://")) else "")


def _digest(html: str, images: list[Path], meta: Metadata) -> str:
    """What the PDF is made from: the document, the files it shows, the bundled fonts, the metadata."""
    from .. import typeface

    digest = hashlib.sha256(html.encode())
    for path in images:
        digest.update(path.read_bytes())
    digest.update(typeface.digest().encode())
    digest.update(repr(meta).encode())
    return digest.hexdigest()


def write(edition: Edition, site: Path, fonts: Path | None = None) -> Path:
    """Print ``edition``, built in ``site``, to ``site / FILENAME`` (see ``prepare`` for ``fonts``).
    Raises PrintError."""
    job = prepare(edition, site, fonts)
    with Printer() as printer:
        printer.submit(job)
        return printer.wait()[0]


@dataclass(frozen=True)
class Job:
    """A PDF ready to print: its document and fonts written in ``work``, beside the site."""

    site: Path
    work: Path
    targets: list[str]  # the ids whose page the PDF gives (see document.Document.targets)
    parts: list[Part]
    meta: Metadata
    inputs: str  # the digest of what the PDF is made from

    @property
    def stamp(self) -> Path:
        """Records the inputs of the last PDF made in ``work``."""
        return self.work / "inputs.sha256"

    @property
    def pages(self) -> Path:
        """Records the page of each of the targets in the last PDF made in ``work``."""
        return self.work / "pages.json"

    def made(self) -> bool:
        """Whether the last PDF made in ``work`` was made from the same inputs."""
        return (self.work / FILENAME).is_file() and self.stamp.is_file() and self.stamp.read_text() == self.inputs


def prepare(edition: Edition, site: Path, fonts: Path | None = None) -> Job:
    """The print document of ``edition``, built in ``site``, and its fonts, written beside the site
    (unless the last PDF there was made from the same); the fonts are subset from those converted in
    ``fonts`` for more characters, when they hold the document's (see ``fonts.truetype``). Raises
    PrintError."""
    # Only now: pikepdf and fontTools take a while to import, and a build with nothing to do needs
    # only source_date.
    from .document import assemble
    from .finish import Metadata
    from .fonts import files, missing, truetype
    from ..formatting import day
    from ..labels import labels

    site = site.resolve()
    work = site.parent / "print"  # beside the site, not in it: the document, its fonts, the last PDF
    work.mkdir(parents=True, exist_ok=True)
    words, landing, date = labels("pdf", edition.code), Landing.read(site), source_date()
    document = assemble(site, work, language=edition.tag, title=landing.title, author=landing.author,
                        version=__version__, date=day(date.date(), edition.code) if date else None, url=landing.url,
                        labels=words, fonts=files(work))
    meta = Metadata(title=landing.title, author=landing.author, language=edition.tag,
                    subject=landing.description, keywords=keywords(), date=date)
    if lacking := missing(document.text):
        where = {page or "the title page": "".join(sorted(lacking & set(text)))
                 for page, text in document.texts.items() if lacking & set(text)}
        raise PrintError(f"the bundled font (src/jinchang/fonts) has no glyph for {''.join(sorted(lacking))}, "
                         f"which the PDF would draw as empty boxes: {where}",
                         "Add the characters to the font (see src/jinchang/fonts/README.md), then build again.")
    job = Job(site, work, document.targets, document.parts, meta, _digest(document.html, document.images, meta))
    if not job.made():
        truetype(document.text, work, fonts)
        (work / "book.html").write_text(document.html, encoding="utf-8")
    return job


async def _print(job: Job, chromium: Callable[[], Awaitable[Chromium]], finishing: ProcessPoolExecutor) -> Path:
    """Print ``job`` to its site (or copy the last PDF made from the same), with ``chromium`` giving
    the open Chromium if printing is needed, and finish it in a process of ``finishing``."""
    from .finish import finish
    from .fonts import files

    started, out, made, printings = time.perf_counter(), job.site / FILENAME, None, 1
    if not job.made():
        job.stamp.unlink(missing_ok=True)
        known = json.loads(job.pages.read_text(encoding="utf-8")) if job.pages.is_file() else None
        pieces, pages, made, printings = await (await chromium()).print(job.work / "book.html", job.targets, known,
                                                                        job.work / "pieces")
        await asyncio.get_running_loop().run_in_executor(finishing, finish, pieces, job.parts, job.meta,
                                                         job.work / FILENAME, list(files(job.work).values()))
        job.pages.write_text(json.dumps(pages, sort_keys=True), encoding="utf-8")
        job.stamp.write_text(job.inputs)
    shutil.copyfile(job.work / FILENAME, out)
    again = f", in {printings} printings: page numbers moved the text" if printings > 1 else ""
    reprinted = "" if made is None else f" (printed {made} of its {len(pieces)} pieces{again})"
    print(f"[jinchang] printed {paths.relative(out)}{reprinted} in {time.perf_counter() - started:.1f} s", flush=True)
    return out


class Printer:
    """Prints editions in a thread of its own, with one Chromium, while the build goes on: each as
    soon as it is submitted, so two editions print at the same time, one per core. Chromium starts
    at the first PDF to print, or sooner when ``start()`` says one is coming: started with the build,
    it would hold memory while pages are read and written. (The thread runs Playwright's event loop,
    away from any event loop the caller runs.) Each PDF is finished (:mod:`.finish`, a second and a
    half of a core) in a process of its own: two PDFs printed together are finished together, where
    threads would take turns, holding the interpreter's lock.::

        with Printer() as printer:
            printer.start()  # optional: Chromium starts while the caller prepares the first PDF
            printer.submit(prepare(edition, site))  # returns at once
            ...
            printer.wait()  # the PDFs, or the first PrintError
    """

    def __init__(self):
        # Forked first, while this process runs no thread of its own (a fork copies only the thread
        # that forks): a fork pool starts all its processes at the first task.
        self._finishing = ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("fork"),
                                              initializer=_import_finish)
        self._finishing.submit(int)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="jinchang-pdf", daemon=True)
        self._thread.start()
        self._chromium: asyncio.Task[Chromium] | None = None  # used only from the loop
        self._jobs: list[Future[Path]] = []

    async def _open(self) -> Chromium:
        if self._chromium is None:
            from .render import Chromium

            self._chromium = asyncio.ensure_future(Chromium.start())
        return await asyncio.shield(self._chromium)  # a job cancelled does not stop it mid-start

    async def _close(self) -> None:
        """Close Chromium once it has started (if it was starting)."""
        if self._chromium is not None:
            await asyncio.wait([self._chromium])
            if not self._chromium.exception():  # else it never started, and a job reports why
                await self._chromium.result().close()

    def _run(self, work: Coroutine) -> Future:
        return asyncio.run_coroutine_threadsafe(work, self._loop)

    def start(self) -> None:
        self._run(self._open())

    def submit(self, job: Job) -> None:
        self._jobs.append(self._run(_print(job, self._open, self._finishing)))

    def wait(self) -> list[Path]:
        return [job.result() for job in self._jobs]

    def __enter__(self) -> Printer:
        return self

    def __exit__(self, *_) -> None:
        for job in self._jobs:
            job.cancel()  # when the build failed: what has not ended does not go on
        try:
            self._run(self._close()).result()
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join()
            self._loop.close()
            self._finishing.shutdown(cancel_futures=True)


def _import_finish() -> None:
    from . import finish  # noqa: F401 - pikepdf, while the first PDF is printed
