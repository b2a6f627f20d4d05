"""Print the print document to PDF with Chromium, in pieces: the front matter, then each page of
the site, each numbered from the page where the one before ends. A piece printed before for the
same HTML, files, first page and links into and out of it is taken from the last printing's (a
claim's note edited reprints the Claims page alone), and :mod:`.merge` joins them: the same bytes
either way.

Chromium lays out paged media itself (``@page`` sizes, margin boxes with ``counter(page)``,
named pages, repeated table headers, ``break-inside``) but has no ``target-counter()``. Its PDF
has a named destination for every element a link points to, so a first printing (a draft of the
whole document) tells on which page each entry of the contents starts; the numbers are written
into their boxes, and the pieces printed then are checked to agree. The boxes of the contents
and the tables are as wide as any page number, so filling them moves nothing; those after a
cross-reference in the text or a note's row are not (a gap inside "(p. 7)" would show), so a
number's width can move the text after it. In the draft they hold two digits, the width of most
page numbers; a number of another width that moves the text gets the pieces printed again with
the pages they give, until the pages agree, as LaTeX is run again (both editions agree at the
first printing).
The draft draws nothing (no text, images, backgrounds or tags): only where things land counts.
When the pages of the last printing of the same edition still hold (the usual case after an
edit), there is no draft.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
from importlib.metadata import version
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import pikepdf
from playwright.async_api import Browser, Page, Playwright, async_playwright
from playwright.async_api import Error as PlaywrightError

from . import PrintError

# Debian's Chromium, driven by Playwright (whose own browser download is not needed). Its headless shell
# prints: the same engine as the browser, without a browser's windows. The browser (which the tests drive,
# as readers have it) opens a window for each document, with the web page of an address bar's
# suggestions (half a second of a core) and a process for each printing; the shell opens none. The shell
# sets glyphs unhinted, at the font's own advances (not rounded to a screen's pixels), as it is told;
# the browser hints as the machine's font settings say, and its lines, and pages, moved with them.
SHELL = "/usr/bin/chromium-headless-shell"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run"]
SHELL_ARGS = [*ARGS, "--font-render-hinting=none"]
PASSES = 4  # printings of the pieces, at most, before page numbers that still move fail the PDF
PDF_OPTIONS = {"prefer_css_page_size": True, "print_background": True, "tagged": True, "outline": False}
DRAFT_OPTIONS = {**PDF_OPTIONS, "print_background": False, "tagged": False}
# Hidden boxes keep their place (and the destinations of their ids): the draft paints nothing, in
# half the time of one painting transparent text.
DRAFT_STYLE = "* { visibility: hidden !important; }"
# What the draft's boxes hold: as wide as most page numbers, digits being all of one width, so that the
# text they push on lands in the draft as it will in print.
DRAFT_PAGE = "00"
# Loads every font and image (a font is asked for only by text laid out, and the document lays out
# nothing on screen: see book.css); returns what failed to load.
READY = """async () => {
  await Promise.allSettled([...document.fonts].map((font) => font.load()));
  const failed = [...document.fonts].filter((font) => font.status === "error").map((font) => font.family);
  for (const image of document.images) {
    try { await image.decode(); } catch { failed.push(image.getAttribute("src")); }
  }
  return failed;
}"""
FILL = """(pages) => {
  for (const box of document.querySelectorAll(".toc-page")) box.textContent = pages[box.dataset.target] ?? "";
}"""
# Each piece, marked: its HTML, the ids in it that a link of the document points to (Chromium gives
# those, and only those, a named destination, whichever piece the link is in), and the ids outside it
# that its links point to. The pieces are the front matter (whatever comes before the first page of
# the site), then each page (.page-doc); a document without pages is one piece.
PIECES = """() => {
  const pages = [...document.querySelectorAll("body > .page-doc")];
  const front = [...document.body.children].filter((node) => !node.classList.contains("page-doc"));
  const pieces = pages.length ? [front, ...pages.map((page) => [page])] : [[document.body]];
  const target = (link) => decodeURIComponent(link.getAttribute("href").slice(1));
  const linked = new Set([...document.querySelectorAll("a[href^='#']")].map(target));
  const ids = (nodes) => nodes.flatMap((node) => [node, ...node.querySelectorAll("[id]")]).map((node) => node.id);
  const all = new Set(ids([document.body]));
  return pieces.map((nodes, index) => {
    nodes.forEach((node) => node.dataset.piece = index);
    const own = new Set(ids(nodes));
    const links = nodes.flatMap((node) => [...node.querySelectorAll("a[href^='#']")].map(target));
    return {html: nodes.map((node) => node.outerHTML).join(""), linked: [...own].filter((id) => linked.has(id)).sort(),
            outside: [...new Set(links)].filter((id) => all.has(id) && !own.has(id)).sort()};
  });
}"""
# Leaves one piece alone in the body, its pages numbered from ``first``. The others are taken out
# (and kept, to be put back by ``WHOLE``), not hidden: Chromium tags, and so walks, every element of
# the document, hidden or not, and the English pieces print in 1.8 s instead of 2.9 s. Chromium writes
# a link only to an element of the document, and names an element's destination only if a link of
# the document points to it: so, hidden and empty, there stay the elements outside the piece that
# its links point to, and a link to each element of the piece that links point to.
ONLY = """([index, first, outside, linked]) => {
  const style = document.getElementById("jinchang-piece") ?? document.head.appendChild(
    Object.assign(document.createElement("style"), {id: "jinchang-piece"}));
  style.textContent = `html { counter-reset: page ${first - 1}; }`;
  window.jinchangWhole ??= [...document.body.children];
  const stand = document.createElement("div");
  stand.style.setProperty("display", "none", "important");  // whatever the document's styles say of a div
  stand.append(...outside.map((id) => Object.assign(document.createElement("span"), {id})),
               ...linked.map((id) => Object.assign(document.createElement("a"), {href: `#${id}`})));  // as .document writes them
  document.body.replaceChildren(...window.jinchangWhole.filter((node) => node.dataset.piece === String(index)), stand);
}"""
# Puts the whole document back, as it was before ``ONLY``.
WHOLE = """() => {
  document.getElementById("jinchang-piece")?.remove();
  if (window.jinchangWhole) document.body.replaceChildren(...window.jinchangWhole);
  delete window.jinchangWhole;
}"""
FILE = re.compile(r'"(file:///[^"]+)"')


def installed(path: str, why: str) -> str:
    """``path``, or else the first program of its name on PATH. Raises PrintError, saying ``why`` it is needed."""
    name = Path(path).name
    if (found := path if os.access(path, os.X_OK) else shutil.which(name)) is None:
        raise PrintError(f"{why}, and none was found ({path}, or {name} on PATH)",
                         f"Install Debian's {name} package (apt-get install {name}), then build again.")
    return found


def shell() -> str:
    """The path of Chromium's headless shell, which prints."""
    return installed(SHELL, "the PDF is printed by Chromium's headless shell")


def destinations(pdf: bytes) -> dict[str, int]:
    """Named destination -> page number (1 for the first page) in a PDF from Chromium."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        return _destinations(document)


def _destinations(document: pikepdf.Pdf) -> dict[str, int]:
    pages = {page.objgen: number for number, page in enumerate(document.pages, start=1)}
    dests = document.Root.get("/Dests", pikepdf.Dictionary())
    return {str(name)[1:]: pages[target[0].objgen] for name, target in dests.items()}


class Chromium:
    """One Chromium for as many documents as are printed, at the same time if they come together (each
    in a browser context of its own, so in a renderer process of its own: two PDFs print in about
    two thirds of the time they take one after the other); used from the event loop that started it."""

    def __init__(self, playwright: Playwright, browser: Browser, path: str):
        self._playwright, self._browser, self._path = playwright, browser, path  # path: the program launched

    @classmethod
    async def start(cls) -> Chromium:
        path = shell()  # before Playwright's driver starts: a missing shell leaves nothing running
        playwright = await async_playwright().start()
        try:
            return cls(playwright, await playwright.chromium.launch(executable_path=path, args=SHELL_ARGS), path)
        except PlaywrightError as error:
            await playwright.stop()
            raise PrintError(f"Chromium did not start: {error.message}") from error

    async def close(self) -> None:
        await self._browser.close()
        await self._playwright.stop()

    async def print(self, document: Path, targets: list[str], known: dict[str, int] | None = None,
                    pieces: Path | None = None) -> tuple[list[bytes], dict[str, int], int, int]:
        """The PDFs of the pieces of ``document`` (an HTML file) that give the page of each of ``targets``
        (ids, in its boxes ``.toc-page``), those pages, how many pieces were printed (the others were
        kept) and how many printings it took (see the module's docstring). ``known``: the pages of the
        last printing of the same edition; when they still hold, the boxes are filled with them,
        without a draft. ``pieces``: the folder of the pieces printed last
        (kept there for the next printing)."""
        context = await self._browser.new_context()
        try:
            page = await context.new_page()
            await page.goto(document.as_uri(), wait_until="load")
            if failed := await page.evaluate(READY):
                raise PrintError(f"{document}: fonts or images that did not load: {failed}")
            if known is not None and sorted(known) == sorted(targets):
                numbers = known
            else:
                draft = await page.add_style_tag(content=DRAFT_STYLE)
                await page.evaluate(FILL, dict.fromkeys(targets, DRAFT_PAGE))
                numbers = _pages(document, destinations(await page.pdf(**DRAFT_OPTIONS)), targets)
                await draft.evaluate("(style) => style.remove()")
            printer = _digest(f"{self._path}\n{self._browser.version}\n{version('playwright')}\n{SHELL_ARGS}\n{PDF_OPTIONS}\n"
                              f"{ONLY}\n" + document.read_text(encoding="utf-8").split("<body", 1)[0])  # styles, fonts
            printed, placed, made = await _pieces(page, document, numbers, pieces, printer)
            for printings in range(1, PASSES):
                if (found := _pages(document, placed, targets)) == numbers:
                    break
                numbers = found  # moved since the last printing (or the draft): the boxes filled with them, again
                printed, placed, again = await _pieces(page, document, numbers, pieces, printer)
                made |= again
            else:
                printings = PASSES
        except PlaywrightError as error:
            raise PrintError(f"{document}: Chromium failed: {error.message}") from error
        finally:
            await context.close()
        moved = {t: (numbers[t], placed.get(t)) for t in targets if placed.get(t) != numbers[t]}
        if moved:
            raise PrintError(f"{document}: page numbers still moved when filled in, after {PASSES} printings "
                             f"(target: (page given, page found)): {moved}")
        if pieces is not None:
            for old in {*pieces.glob("*.pdf"), *pieces.glob("*.part")} - {pieces / f"{key}.pdf" for key, _ in printed}:
                old.unlink()
        return [raw for _, raw in printed], numbers, len(made), printings


async def _pieces(page: Page, document: Path, numbers: dict[str, int], pieces: Path | None,
                  printer: str) -> tuple[list[tuple[str, bytes]], dict[str, int], set[int]]:
    """Each piece of the loaded ``document``, its contents filled with ``numbers``: (its key, its PDF),
    taken from ``pieces`` when printed before (``printer``: the digest of how it is printed, which the
    key holds); the page of each destination of the whole; which were printed (their indices)."""
    await page.evaluate(FILL, numbers)
    found = await page.evaluate(PIECES)
    printed, placed, first, made = [], {}, 1, set()
    for index, piece in enumerate(found):
        key = _digest(f"{printer}\n{first}\n{piece['linked']}\n{piece['outside']}\n{piece['html']}")
        kept = pieces / f"{key}.pdf" if pieces is not None else None
        raw = kept.read_bytes() if kept is not None and kept.is_file() else b""
        if not raw.rstrip().endswith(b"%%EOF"):  # not printed before (or cut short)
            if len(found) > 1:
                await page.evaluate(ONLY, [index, first, piece["outside"], piece["linked"]])
            raw = await page.pdf(**PDF_OPTIONS)
            made.add(index)
            if kept is not None:
                kept.parent.mkdir(parents=True, exist_ok=True)
                kept.with_suffix(".part").write_bytes(raw)
                kept.with_suffix(".part").replace(kept)
        printed.append((key, raw))
        with pikepdf.open(io.BytesIO(raw)) as pdf:
            placed |= {name: first - 1 + number for name, number in _destinations(pdf).items()}
            first += len(pdf.pages)
    await page.evaluate(WHOLE)
    return printed, placed, made


def _digest(text: str) -> str:
    """Of ``text`` and of the files it names (file: URLs, images and fonts)."""
    digest = hashlib.sha256(text.encode())
    for url in sorted(set(FILE.findall(text))):
        digest.update(Path(url2pathname(urlsplit(url).path)).read_bytes())
    return digest.hexdigest()


def _pages(document: Path, placed: dict[str, int], targets: list[str]) -> dict[str, int]:
    """The page of each of ``targets`` among the destinations Chromium ``placed``."""
    if missing := [t for t in targets if t not in placed]:
        raise PrintError(f"{document}: Chromium placed no destination for {missing[:5]}")
    return {t: placed[t] for t in targets}
