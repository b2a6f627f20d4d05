"""The charts in a real Chromium, at phone and desktop widths: each page shows the layout that
fits, scaled down so little that the chart's smallest text stays at 11 CSS px or more."""

from __future__ import annotations

from pathlib import Path

import pytest

from jinchang import style

from .test_book import toc_docnames
from .test_browser import Visit, browser, open_page, site  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser

# Phones (360 to 414 px), tablets, laptops, desktops; 390 px and 1280 px are those of the browser suite.
WIDTHS = (360, 375, 390, 414, 768, 1024, 1200, 1280, 1440)
PHONES = 414  # up to this width a page shows the narrow layout
SMALLEST_TEXT = 11  # CSS px
NATURAL_TEXT = style.MIN_TEXT * 96 / 72  # CSS px of a chart's smallest text at its natural size

# Every chart image loaded and decoded (lazy ones too); then, per image, the file shown, its
# natural width and the width it is shown at.
SHOWN_JS = """async () => {
  const images = [...document.querySelectorAll("figure.jinchang-figure img")];
  for (const img of images) { img.loading = "eager"; await img.decode(); }
  return images.map(img => [img.closest("figure").id, img.currentSrc, img.naturalWidth,
                            img.getBoundingClientRect().width]);
}"""


@pytest.fixture(scope="module")
def chapters(book: Path) -> list[str]:
    """The pages of the book that show charts."""
    return [f"{docname}.html" for docname in toc_docnames()
            if 'class="jinchang-figure' in (book / f"{docname}.html").read_text(encoding="utf-8")]


@pytest.mark.parametrize("width", WIDTHS)
def test_each_chart_shows_the_layout_that_fits_at_no_less_than_its_text_allows(width, browser, site, chapters):
    assert chapters
    visit, problems = Visit(), []
    for path in chapters:
        with open_page(browser, site + path, {"width": width, "height": 900}, visit) as page:
            for name, source, natural, shown in page.evaluate(SHOWN_JS):
                narrow = source.endswith(f"{name}-narrow.svg")
                if width <= PHONES and not narrow:
                    problems.append(f"{path}#{name}: the wide layout on a {width} px screen")
                if shown / natural < SMALLEST_TEXT / NATURAL_TEXT:
                    problems.append(f"{path}#{name}: {'narrow' if narrow else 'wide'} layout at "
                                    f"{shown / natural:.0%} of its size, text {NATURAL_TEXT * shown / natural:.1f} px")
    assert not problems, "\n".join(problems)
    assert not visit.troubles()
