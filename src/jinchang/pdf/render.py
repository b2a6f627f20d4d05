"""Print the print document to PDF with Chromium, twice: the second time with the page numbers of
the table of contents, which only the first time's layout knows (or once, when the pages of the
last printing of the same edition still hold: the usual case after an edit).

Chromium lays out paged media itself (``@page`` sizes, margin boxes with ``counter(page)``,
named pages, repeated table headers, ``break-inside``) but has no ``target-counter()``. Its PDF
has a named destination for every element a link points to, so the first printing tells on which
page each entry of the contents starts; the numbers are written into the reserved boxes of the
contents, which leaves the layout as it was, and the second printing is checked to agree. The
first printing draws nothing (no text, images, backgrounds or tags): only where things land counts.
"""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pikepdf
from playwright.async_api import Browser, Playwright, async_playwright
from playwright.async_api import Error as PlaywrightError

from . import PrintError

# Debian's Chromium, driven by Playwright (whose own browser download is not needed).
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run"]
PDF_OPTIONS = {"prefer_css_page_size": True, "print_background": True, "tagged": True, "outline": False}
DRAFT_OPTIONS = {**PDF_OPTIONS, "print_background": False, "tagged": False}
# Hidden boxes keep their place (and the destinations of their ids): the draft paints nothing, in
# half the time of one painting transparent text.
DRAFT_STYLE = "* { visibility: hidden !important; }"
# Waits for every font and image; returns what failed to load.
READY = """async () => {
  await document.fonts.ready;
  const failed = [...document.fonts].filter((font) => font.status === "error").map((font) => font.family);
  for (const image of document.images) {
    try { await image.decode(); } catch { failed.push(image.getAttribute("src")); }
  }
  return failed;
}"""
FILL = """(pages) => {
  for (const box of document.querySelectorAll(".toc-page")) box.textContent = pages[box.dataset.target] ?? "";
}"""


def chromium() -> str:
    """The path of Chromium: Debian's, or the first ``chromium`` on PATH."""
    path = CHROMIUM if os.access(CHROMIUM, os.X_OK) else shutil.which("chromium")
    if path is None:
        raise PrintError("the PDF is printed by Chromium, and none was found (/usr/bin/chromium, or chromium on PATH)",
                         "Install Debian's chromium package (apt-get install chromium), then build again.")
    return path


def destinations(pdf: bytes) -> dict[str, int]:
    """Named destination -> page number (1 for the first page) in a PDF from Chromium."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        pages = {page.objgen: number for number, page in enumerate(document.pages, start=1)}
        dests = document.Root.get("/Dests", pikepdf.Dictionary())
        return {str(name)[1:]: pages[target[0].objgen] for name, target in dests.items()}


class Chromium:
    """One Chromium for as many documents as are printed, at the same time if they come together (each
    in a browser context of its own, so in a renderer process of its own: two PDFs print in about
    two thirds of the time they take one after the other); used from the event loop that started it."""

    def __init__(self, playwright: Playwright, browser: Browser):
        self._playwright, self._browser = playwright, browser

    @classmethod
    async def start(cls) -> Chromium:
        playwright = await async_playwright().start()
        try:
            return cls(playwright, await playwright.chromium.launch(executable_path=chromium(), args=ARGS))
        except PlaywrightError as error:
            await playwright.stop()
            raise PrintError(f"Chromium did not start: {error.message}") from error

    async def close(self) -> None:
        await self._browser.close()
        await self._playwright.stop()

    async def print(self, document: Path, targets: list[str], known: dict[str, int] | None = None) -> tuple[bytes, dict[str, int]]:
        """The PDF of ``document`` (an HTML file) that gives the page of each of ``targets`` (ids, in its
        boxes ``.toc-page``), and those pages. ``known``: the pages of the last printing of the same
        edition; when they still hold, the boxes are filled with them and printed once, without a draft."""
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
                numbers = _pages(document, destinations(await page.pdf(**DRAFT_OPTIONS)), targets)
                await draft.evaluate("(style) => style.remove()")
            await page.evaluate(FILL, numbers)
            pdf = await page.pdf(**PDF_OPTIONS)
            placed = destinations(pdf)
            if numbers is known and (found := _pages(document, placed, targets)) != numbers:
                numbers = found  # the pages moved since the last printing: the contents filled with them, again
                await page.evaluate(FILL, numbers)
                pdf = await page.pdf(**PDF_OPTIONS)
                placed = destinations(pdf)
        except PlaywrightError as error:
            raise PrintError(f"{document}: Chromium failed: {error.message}") from error
        finally:
            await context.close()
        moved = {t: (numbers[t], placed.get(t)) for t in targets if placed.get(t) != numbers[t]}
        if moved:
            raise PrintError(f"{document}: page numbers changed when the contents were filled in: {moved}")
        return pdf, numbers


def _pages(document: Path, placed: dict[str, int], targets: list[str]) -> dict[str, int]:
    """The page of each of ``targets`` among the destinations Chromium ``placed``."""
    if missing := [t for t in targets if t not in placed]:
        raise PrintError(f"{document}: Chromium placed no destination for {missing[:5]}")
    return {t: placed[t] for t in targets}
