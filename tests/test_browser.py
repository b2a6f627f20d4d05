"""The built book in a real Chromium: every page loads cleanly, offline, readable and accessible.

The session's book (the ``book`` fixture) is served on 127.0.0.1. Each page is opened once at a
desktop width in light mode and once at 390 px in dark mode, each time in a fresh browser
context, and what the checks need is recorded in a ``Visit``; axe-core runs last in both.
Requests that leave 127.0.0.1 are aborted and reported. Without Chromium these tests are
skipped, except in CI (``CI`` set), where they fail.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from jinchang import style
from jinchang.chinese import HAN
from jinchang.data import source
from jinchang.serve import served
from jinchang.sphinxext import webfonts


pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 390, "height": 844}
# axe-core rule tags for WCAG 2.2 level A and AA (axe tags each rule with the version that added it).
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# Query -> a page that must be among its results.
SEARCHES = {
    "镍": "chapters/01-clusters.html",
    "铜": "chapters/01-clusters.html",
    "铜箔": "chapters/01-clusters.html",
    "硫酸镍": "chapters/01-clusters.html",
    "经开区": "chapters/02-parks.html",
    "金昌经开区税收": "chapters/02-parks.html",
    "nickel": "chapters/01-clusters.html",
    "smelting": "chapters/01-clusters.html",
    "battery": "chapters/01-clusters.html",
    "batteries": "chapters/01-clusters.html",
    "金昌 nickel": "chapters/01-clusters.html",
    # The Chinese edition's own search: Chinese words, single characters, unspaced phrases, and
    # English words that the glossary glosses (规模以上: above designated size); its results are its pages.
    "zh:镍": "zh/chapters/01-clusters.html",
    "zh:铜箔": "zh/chapters/01-clusters.html",
    "zh:金昌经开区税收": "zh/chapters/02-parks.html",
    "zh:designated size": "zh/chapters/01-clusters.html",
    "zh:localisation rate": "zh/chapters/04-context.html",
}

# Each text node with Han characters (outside scripts and styles): its text, the nearest lang, whether
# it is code (pre, code: mixed and machine-readable, where per-word lang would break highlighting),
# and its element's font stack (the computed font-family).
HAN_TEXT_JS = """(han) => {
  const isHan = new RegExp("[" + han + "]", "u");
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!isHan.test(node.data) || parent.closest("script, style, template")) continue;
    found.push({text: node.data.trim().slice(0, 80), lang: parent.closest("[lang]").getAttribute("lang").toLowerCase(),
                code: Boolean(parent.closest("pre, code")),
                stack: getComputedStyle(parent).fontFamily});
  }
  return found;
}"""

# Every element whose own text holds Han characters, shown (closed disclosures opened, source
# tooltips made visible), marked data-han="<how many>", once the CJK stack's fonts (``cjk``) that
# its text needs are loaded; returns the counts in document order.
MARK_CHINESE_JS = """async ([han, cjk]) => {
  for (const details of document.querySelectorAll("details")) details.open = true;
  const reveal = document.createElement("style");
  reveal.textContent = ".data-tip { display: block !important; }";
  document.head.append(reveal);
  const isHan = new RegExp("[" + han + "]", "gu");
  const counts = new Map();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const found = node.data.match(isHan)?.length ?? 0;
    const parent = node.parentElement;
    if (found && !parent.closest("script, style, template")) counts.set(parent, (counts.get(parent) ?? 0) + found);
  }
  for (const [element, count] of counts) element.dataset.han = count;
  // Load the stack's faces for this text now, rather than race the loads that layout starts, then
  // let one frame lay the text out again with them. The faces of a stylesheet whose media was just
  // switched (jinchang.js) are in document.fonts only after a style pass: until then load() finds
  // none, so ask again, after forcing one, until a face loads (for 10 s at most). A page with no
  // Han text (an embed snippet) has nothing to wait for.
  const text = [...counts.keys()].map((element) => element.textContent).join("");
  for (let tries = 0; counts.size && tries < 200; tries++) {
    document.body.getBoundingClientRect();
    const loaded = await Promise.all(cjk.map((family) => document.fonts.load(`1em "${family}"`, text).catch(() => [])));
    if (loaded.some((faces) => faces.length)) break;
    await new Promise((done) => setTimeout(done, 50));
  }
  await document.fonts.ready;
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  return Array.from(document.querySelectorAll("[data-han]"), (element) => Number(element.dataset.han));
}"""

# Two frames and a tenth of a second later: a layout with whatever faces have loaded since.
NEXT_FRAMES_JS = """() => new Promise((done) => setTimeout(
  () => requestAnimationFrame(() => requestAnimationFrame(done)), 100))"""

# The CJK font stack of jinchang.css (system CJK fonts, then the book's own), as the page has it.
CJK_STACK_JS = """() => getComputedStyle(document.documentElement).getPropertyValue("--jinchang-cjk")"""


def families(stack: str) -> list[str]:
    """A font stack's family names: '"Noto Sans CJK SC", system-ui' -> ['Noto Sans CJK SC', 'system-ui']."""
    return [name.strip().strip("\"'") for name in stack.split(",")]


# Every image, lazy ones included, loaded and decoded; returns the sources that failed.
BROKEN_IMAGES_JS = """async () => {
  const broken = [];
  for (const img of document.images) {
    img.loading = "eager";
    try { await img.decode(); } catch (error) { broken.push(img.getAttribute("src")); continue; }
    if (!img.naturalWidth) broken.push(img.getAttribute("src"));
  }
  return broken;
}"""


@pytest.fixture(scope="session")
def site(book: Path) -> Iterator[str]:
    """The built book, served for the whole session; yields its base URL."""
    with served(book) as base:
        yield base


def site_pages(book: Path) -> list[str]:
    """Every HTML page of the site, as paths relative to its root (theme and source copies left out)."""
    return sorted(p.relative_to(book).as_posix() for p in book.rglob("*.html")
                  if not {"_static", "_sources"} & set(p.relative_to(book).parts))  # in every edition


@dataclass
class Visit:
    """What one page did in the browser."""

    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)
    broken_images: list[str] = field(default_factory=list)
    unsized_images: list[str] = field(default_factory=list)
    html_lang: str | None = None
    untagged_chinese: list[str] = field(default_factory=list)
    latin_first_chinese: list[str] = field(default_factory=list)
    fonts: list[str] = field(default_factory=list)
    chinese_runs: int = 0  # elements with Han text that the browser drew
    chinese_without_cjk_font: list[str] = field(default_factory=list)
    axe_violations: list[str] = field(default_factory=list)
    overflow: int = 0  # how many px the page is wider than the viewport
    lazy_first_screen: list[str] = field(default_factory=list)  # images a phone's first screen shows, loaded lazily
    recording: bool = True  # whether the page's console messages and requests are still noted

    def note(self, items: list[str], item: str) -> None:
        if self.recording:
            items.append(item)

    def troubles(self) -> list[str]:
        return self.console_errors + self.failed_requests + self.external_requests


# The images a page's first screen shows that wait to be laid out before they load.
LAZY_FIRST_SCREEN_JS = """() => [...document.images].filter((img) => img.loading === "lazy" && img.checkVisibility()
  && img.getBoundingClientRect().top < innerHeight && img.getBoundingClientRect().bottom > 0)
  .map((img) => img.getAttribute("src"))"""
# Every URL but the test server's: matched in the browser, so local requests are not intercepted.
NOT_LOCAL = re.compile(r"^(?!http://127\.0\.0\.1[:/])")


def _local(url: str) -> bool:
    return urlsplit(url).hostname == "127.0.0.1"


@contextmanager
def open_page(browser, url: str, viewport: dict, visit: Visit, **options) -> Iterator:
    """``url`` loaded in a fresh context; console errors, failed and external requests go to ``visit``."""
    context = browser.new_context(viewport=viewport, **options)

    def block(route) -> None:  # never let a page reach the network
        visit.note(visit.external_requests, route.request.url)
        route.abort()

    context.route(NOT_LOCAL, block)
    page = context.new_page()
    page.on("console", lambda message: message.type == "error" and visit.note(
        visit.console_errors, f"{message.text} ({message.location.get('url')})"))
    page.on("pageerror", lambda error: visit.note(visit.console_errors, str(error)))
    # ERR_ABORTED: cancelled by the page or by leaving it (a favicon still loading), not failed.
    page.on("requestfailed", lambda request: _local(request.url) and request.failure != "net::ERR_ABORTED"
            and visit.note(visit.failed_requests, f"{request.url}: {request.failure}"))
    page.on("request", lambda request: request.resource_type == "font" and visit.note(visit.fonts, request.url))
    page.on("response", lambda response: response.status >= 400 and visit.note(
        visit.failed_requests, f"{response.url}: HTTP {response.status}"))
    try:
        page.goto(url, wait_until="load")
        yield page
    finally:
        context.close()


def check_chinese_fonts(page, visit: Visit) -> None:
    """Each drawn element with Han text: its Han characters are drawn with a font of the CJK stack,
    as Chromium reports the fonts it used for the element's own text (CDP CSS.getPlatformFontsForNode)."""
    # jinchang.js applies the web font after the first paint (pages of the book; not embed snippets)
    page.wait_for_function("document.getElementById('jinchang-fonts')?.media !== 'print'")
    cjk = families(page.evaluate(CJK_STACK_JS))
    counts = page.evaluate(MARK_CHINESE_JS, [HAN, cjk])
    cjk = set(cjk)
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    node_ids = cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": "[data-han]"})["nodeIds"]
    assert len(node_ids) == len(counts)

    def fonts_of(node_id: int) -> list[dict]:  # none: not drawn (a hidden menu or dialog)
        return cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node_id})["fonts"]

    def short(fonts: list[dict], han: int) -> bool:  # fewer glyphs from the CJK stack than Han characters
        return sum(font["glyphCount"] for font in fonts if font["familyName"] in cjk) < han

    drawn = {node_id: (han, fonts) for node_id, han in zip(node_ids, counts) if (fonts := fonts_of(node_id))}
    visit.chinese_runs = len(drawn)
    # A face that has just loaded draws from a later layout on (font-display: swap): an element still
    # drawn with a fallback is looked at again, 50 times, a tenth of a second and two frames apart (5 s
    # and more), before it counts as wrong.
    wrong = {node_id: fonts for node_id, (han, fonts) in drawn.items() if short(fonts, han)}
    for _ in range(50):
        if not wrong:
            break
        page.evaluate(NEXT_FRAMES_JS)
        wrong = {node_id: fonts for node_id in wrong if short(fonts := fonts_of(node_id), drawn[node_id][0])}
    for node_id, fonts in wrong.items():
        html = cdp.send("DOM.getOuterHTML", {"nodeId": node_id})["outerHTML"]
        used = ", ".join(f"{font['familyName']} ({font['glyphCount']} glyphs)" for font in fonts)
        visit.chinese_without_cjk_font.append(f"{html[:120]} drawn with {used}")
    cdp.detach()


def axe_violations(page, visit: Visit) -> list[str]:
    """axe-core's WCAG 2.2 AA violations on ``page``, one line per rule with the elements it flags."""
    # axe-core fetches @import-ed stylesheets itself, resolving them against the page (404s):
    # from here on, requests are axe's, not the page's.
    visit.recording = False
    options = {"runOnly": {"type": "tag", "values": WCAG_AA}, "resultTypes": ["violations"]}
    return [f"{v['id']} ({v['impact']}): {v['help']}: " + "; ".join(
                " ".join(node["target"]) + " -- " + node["failureSummary"].replace("\n", " ") for node in v["nodes"])
            for v in Axe().run(page, options=options).response["violations"]]


@pytest.fixture(scope="session")
def visits(browser, site: str, book: Path) -> dict[str, Visit]:
    """Every page opened at a desktop width in light mode and at 390 px in dark mode, axe-core last."""
    out = {}
    for path in site_pages(book):
        out[path] = desktop = Visit()
        with open_page(browser, site + path, DESKTOP, desktop, color_scheme="light") as page:
            desktop.html_lang = page.evaluate("document.documentElement.lang")
            desktop.broken_images = page.evaluate(BROKEN_IMAGES_JS)
            desktop.unsized_images = page.eval_on_selector_all(
                "img:not([width][height])", "images => images.map(img => img.getAttribute('src'))")
            runs = [run for run in page.evaluate(HAN_TEXT_JS, HAN) if not run["code"]]
            desktop.untagged_chinese = [run["text"] for run in runs if not run["lang"].startswith("zh")]
            cjk = families(page.evaluate(CJK_STACK_JS))
            desktop.latin_first_chinese = [f"{run['text']} ({first} first)" for run in runs
                                           if (first := families(run["stack"])[0]) != cjk[0]]
            desktop.axe_violations = [f"light, desktop: {v}" for v in axe_violations(page, desktop)]
            check_chinese_fonts(page, desktop)  # last: it opens every disclosure and tooltip
        phone = Visit()
        with open_page(browser, site + path, MOBILE, phone, color_scheme="dark") as page:
            desktop.overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            desktop.lazy_first_screen = page.evaluate(LAZY_FIRST_SCREEN_JS)
            desktop.axe_violations += [f"dark, {MOBILE['width']}px: {v}" for v in axe_violations(page, phone)]
        for name in ("console_errors", "failed_requests", "external_requests", "fonts"):
            getattr(desktop, name).extend(f"{MOBILE['width']}px: {item}" for item in getattr(phone, name))
    return out


def per_page(visits: dict[str, Visit], name: str) -> str:
    """The pages whose ``name`` is not empty, one line per item: '' when every page is clean."""
    return "\n".join(f"{path}: {item}" for path, visit in visits.items()
                     for item in getattr(visit, name))


def test_every_page_is_visited(visits: dict[str, Visit]) -> None:
    assert {"index.html", "search.html", "chapters/01-clusters.html", "zh/index.html", "zh/chapters/01-clusters.html"} <= set(visits)


def test_no_console_errors(visits: dict[str, Visit]) -> None:
    assert not (bad := per_page(visits, "console_errors")), f"console errors:\n{bad}"


def test_no_failed_requests(visits: dict[str, Visit]) -> None:
    assert not (bad := per_page(visits, "failed_requests")), f"failed requests:\n{bad}"


def test_no_external_requests(visits: dict[str, Visit]) -> None:
    assert not (bad := per_page(visits, "external_requests")), f"requests outside 127.0.0.1:\n{bad}"


def test_every_image_loads_and_has_a_size(visits: dict[str, Visit]) -> None:
    assert not (bad := per_page(visits, "broken_images")), f"images that do not load:\n{bad}"
    assert not (bad := per_page(visits, "unsized_images")), f"images without width and height:\n{bad}"


def test_icons_need_no_webfont(visits: dict[str, Visit]) -> None:
    """Each icon is drawn by jinchang-icons.css; an icon class missing from it belongs in
    jinchang.sphinxext.offline.ICONS."""
    webfont = {path: [url for url in visit.fonts if "fontawesome" in url] for path, visit in visits.items()}
    assert not any(webfont.values()), f"pages that download the Font Awesome webfont: {webfont}"


def test_language_markup(visits: dict[str, Visit]) -> None:
    """Each edition's pages declare its language (zh-Hans under zh/); Chinese text elsewhere is marked."""
    expected = {path: "zh-Hans" if path.startswith("zh/") else "en" for path in visits}
    wrong = {path: visit.html_lang for path, visit in visits.items() if visit.html_lang != expected[path]}
    assert not wrong, f"<html lang> is not the edition's: {wrong}"
    assert not (bad := per_page(visits, "untagged_chinese")), f"Chinese text outside lang='zh':\n{bad}"


def test_chinese_is_drawn_with_a_cjk_font(visits: dict[str, Visit]) -> None:
    """With or without a CJK font on the machine: the system's, or else the book's own web font."""
    assert not (bad := per_page(visits, "chinese_without_cjk_font")), f"Chinese drawn without a CJK font:\n{bad}"
    assert visits["chapters/sources.html"].chinese_runs > 100


def test_chinese_text_puts_the_cjk_fonts_first(visits: dict[str, Visit]) -> None:
    """Every Han run but code, in both editions (the English pages' edition switch, "中文", included),
    has the CJK stack before the Latin fonts: with Latin fonts first, Chromium left Chinese drawn with
    a fallback font (empty boxes) on about 1 page in 25, after the web font had loaded."""
    assert not (bad := per_page(visits, "latin_first_chinese")), f"Chinese with Latin fonts first:\n{bad}"


def test_the_font_check_reports_chinese_drawn_with_a_font_outside_the_stack(browser, site: str) -> None:
    """The check above can fail: with the CJK stack set to a font that no machine has, the Han text
    of a page (its edition switch) is drawn with some other font, and is reported."""
    visit = Visit()
    with open_page(browser, site + "search.html", DESKTOP, visit) as page:
        page.evaluate("""document.documentElement.style.setProperty("--jinchang-cjk", '"No Such Font"')""")
        check_chinese_fonts(page, visit)
    assert visit.chinese_runs and len(visit.chinese_without_cjk_font) == visit.chinese_runs, visit


def test_no_image_of_a_phones_first_screen_waits_to_be_laid_out(visits: dict[str, Visit]) -> None:
    """A lazy image loads only once the page is laid out: in the first screen it is the largest thing
    painted, and paints late (Lighthouse's mobile run put the Chinese landing page's preview at 4.1 s)."""
    assert not (bad := per_page(visits, "lazy_first_screen")), f"lazy images in the first screen at 390 px:\n{bad}"


def test_no_horizontal_scroll_on_a_phone(visits: dict[str, Visit]) -> None:
    wide = {path: f"{visit.overflow}px too wide" for path, visit in visits.items() if visit.overflow > 0}
    assert not wide, f"pages that scroll sideways at {MOBILE['width']}px: {wide}"


# The right edge of the article's column (inside its padding) and of each table built from the data.
TABLE_EDGES_JS = """() => {
  const article = document.querySelector("article.bd-article");
  const column = article.getBoundingClientRect().right - parseFloat(getComputedStyle(article).paddingRight);
  return [column, Array.from(document.querySelectorAll("table.data-table"), (table) => table.getBoundingClientRect().right)];
}"""
# Each cell of a table of cards with nothing but its card's label, if any: whether its table is laid out as
# cards (no header row), and the cell's display.
BLANK_CELLS_JS = """() => Array.from(document.querySelectorAll("table.cards td"))
  .filter((td) => td.textContent.trim() === (td.querySelector(".card-label")?.textContent ?? "").trim())
  .map((td) => [getComputedStyle(td.closest("table").querySelector("thead")).display === "none",
                getComputedStyle(td).display])"""


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=lambda v: f"{v['width']}px")
@pytest.mark.parametrize("path", [f"{edition}chapters/{page}.html" for edition in ("", "zh/")
                                  for page in ("sources", "claims", "glossary", "methods")])
def test_the_appendix_tables_keep_to_the_article_column(path: str, viewport: dict, browser, site: str) -> None:
    """Beside both sidebars at 1280 px, as on a phone, each table of data (Sources, Claims, Glossary, the
    units of Methods) ends inside the article's column (its rows as cards where they must be), not under
    the "on this page" sidebar or scrolled sideways in its box, and the page does not scroll sideways.
    A blank cell keeps its column in a table and shows nothing in a card."""
    visit = Visit()
    with open_page(browser, site + path, viewport, visit) as page:
        column, edges = page.evaluate(TABLE_EDGES_JS)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        blanks = page.evaluate(BLANK_CELLS_JS)
    assert edges and all(edge <= column + 0.5 for edge in edges), f"tables end at {edges}, the column at {column}"
    assert all(display == ("none" if cards else "table-cell") for cards, display in blanks), blanks
    assert overflow <= 0, f"the page scrolls {overflow} px sideways"
    assert not visit.troubles()


def test_no_wcag_aa_violations(visits: dict[str, Visit]) -> None:
    assert not (bad := per_page(visits, "axe_violations")), f"axe-core, WCAG 2.2 AA:\n{bad}"


def search_results(page) -> list[str]:
    """The pages listed once the search page has finished, relative to the site's root."""
    # Sphinx writes the heading once the search is done: "Search Results", or its translation.
    page.wait_for_function("['Search Results', '搜索结果'].includes(document.querySelector('#search-results h2')?.textContent)")
    links = page.eval_on_selector_all("#search-results ul.search li > a", "links => links.map(a => a.href)")
    return [urlsplit(link).path.lstrip("/") for link in links]


@pytest.mark.parametrize(("query", "expected"), SEARCHES.items())
def test_search(query: str, expected: str, browser, site: str, book: Path) -> None:
    visit = Visit()
    folder, _, words = query.rpartition(":")
    with open_page(browser, f"{site}{folder and folder + '/'}search.html?q={quote(words)}", DESKTOP, visit) as page:
        found = search_results(page)
    assert expected in found, f"{query!r} should find {expected}; found {found}"
    assert not [page for page in found if not (book / page).is_file()], f"results that do not exist: {found}"
    assert all(page.startswith("zh/") == (folder == "zh") for page in found), f"results of another edition: {found}"
    assert not visit.troubles()


# Query -> the result whose snippet is checked: prose with terms' tooltips (a hidden note) and, in the
# Chinese edition, a closed code toggle after it; the Claims table's cards (labels hidden on a wide screen).
SNIPPETS = {
    "nickel capital": "chapters/01-clusters.html",
    "zh:镍都": "zh/chapters/01-clusters.html",
    "hand-tearable": "chapters/claims.html",
}


@pytest.mark.parametrize(("query", "result"), SNIPPETS.items())
def test_search_snippet_is_the_text_the_page_shows(query: str, result: str, browser, site: str) -> None:
    """The snippet under a result is the page's text as shown: the query's words, no tooltip's text."""
    visit = Visit()
    folder, _, words = query.rpartition(":")
    with open_page(browser, f"{site}{folder and folder + '/'}search.html?q={quote(words)}", DESKTOP, visit) as page:
        search_results(page)
        link = f'a[href^="{result.removeprefix(folder + "/")}"]'
        snippet = page.locator("#search-results li").filter(has=page.locator(link)).locator("p.context").text_content()
        page.goto(site + result)
        tips = page.eval_on_selector_all(".data-tip", "tips => tips.map((tip) => tip.textContent)")
        # a table's headers, or its cards' labels, depending on the width: snippets give neither
        shown = page.eval_on_selector('[role="main"]', "main => { main.querySelectorAll('.card-label, table.cards thead')"
                                                        ".forEach((label) => label.remove()); return main.innerText; }")
    assert words in snippet, snippet
    assert not [tip for tip in tips if tip in snippet], f"tooltip text in the snippet: {snippet!r}"
    assert "".join(snippet.strip(".").split()) in "".join(shown.split()), f"not the page's text as shown: {snippet!r}"
    assert not visit.troubles()


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["desktop", "phone"])
def test_the_search_pages_box_shows_the_query_beside_its_magnifier(viewport: dict, browser, site: str) -> None:
    """The theme placed the magnifier over the query's first letters."""
    with open_page(browser, site + "search.html?q=nickel", viewport, Visit()) as page:
        search_results(page)
        icon, text = page.eval_on_selector(".bd-search-container form.bd-search", """(form) => {
          const input = form.querySelector("input");
          return [form.querySelector("i.fa-magnifying-glass").getBoundingClientRect().right,
                  input.getBoundingClientRect().left + parseFloat(getComputedStyle(input).paddingLeft)];
        }""")
    assert icon <= text, f"the magnifier ends at {icon} px, the query starts at {text} px"


def test_search_box_of_a_chapter_leads_to_results(browser, site: str) -> None:
    """The theme's search dialog (Ctrl+K) works on pages that do not load the search index."""
    visit = Visit()
    with open_page(browser, site + "chapters/01-clusters.html", DESKTOP, visit) as page:
        page.keyboard.press("Control+k")
        page.keyboard.type("铜箔")
        page.keyboard.press("Enter")
        page.wait_for_url("**/search.html?q=*")
        assert "chapters/01-clusters.html" in search_results(page)
    assert not visit.troubles()


@pytest.mark.parametrize("edition", ["", "zh/"], ids=["en", "zh"])
def test_copy_buttons_speak_the_pages_language_in_characters_the_web_font_covers(edition: str, browser, site: str, book: Path) -> None:
    """sphinx-copybutton has Chinese words for "zh-CN" pages only, and the Chinese edition's pages
    are "zh-Hans": their buttons were named and labelled in English."""
    words = re.compile(f"^[{HAN}! ]+$" if edition else "^[A-Za-z! ]+$")  # the name holds the tooltip too
    with open_page(browser, site + edition + "chapters/figures.html", DESKTOP, Visit()) as page:
        page.evaluate("document.querySelectorAll('details').forEach((details) => details.open = true)")
        button = page.locator("button.copybtn").first
        expect(button).to_have_accessible_name(words)
        tooltip = button.get_attribute("data-tooltip")
        button.click()  # the words for a copy done (or failed) show for two seconds
        expect(button).not_to_have_attribute("data-tooltip", tooltip)
        shown = button.get_attribute("data-tooltip")
    assert words.match(tooltip) and words.match(shown)
    served = webfonts.subset_characters(book / edition / "_static" / webfonts.CSS)
    assert set(re.findall(f"[{HAN}]", tooltip + shown)) <= served


def test_claim_shows_its_quote_on_hover_and_focus(browser, site: str) -> None:
    with open_page(browser, site + "chapters/01-clusters.html", DESKTOP, Visit()) as page:
        link = page.locator("a.data-ref.claim").first
        claim_id = link.get_attribute("href").partition("#claim-")[2]
        tip = link.locator(".data-tip")
        expect(tip).to_be_hidden()
        link.hover()
        expect(tip).to_be_visible()
        expect(tip).to_contain_text(source(claim_id).quote)
        page.mouse.move(0, 0)
        expect(tip).to_be_hidden()
        link.focus()
        expect(tip).to_be_visible()


# The middle of the first occurrence of ``word`` in the chapter's first paragraph, in the viewport,
# and the element a tap there lands on.
WORD_AT_JS = """(word) => {
  const paragraph = document.querySelector("article p");
  const walker = document.createTreeWalker(paragraph, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf(word);
    if (at < 0) continue;
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + word.length);
    const box = range.getBoundingClientRect();
    const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
    return {x, y, lands_on: document.elementFromPoint(x, y) === paragraph};
  }
}"""
# Each navigation the page starts (a followed link) noted in window.leaving, and cancelled, until
# navigation.onnavigate is unset.
STAY_JS = """() => {
  window.leaving = [];
  navigation.onnavigate = (event) => { leaving.push(event.destination.url); event.preventDefault(); };
}"""


def test_a_tap_shows_a_terms_note_on_a_phone_and_a_tap_elsewhere_or_escape_closes_it(browser, site: str) -> None:
    """On a touch screen ((hover: none): Chromium has it wherever touch is emulated), the first tap
    on a term shows its note and a second follows the link. A tap elsewhere closes the note and does
    nothing else (the note covered the next lines, links among them); so does Escape."""
    visit = Visit()
    with open_page(browser, site + "chapters/01-clusters.html", MOBILE, visit, has_touch=True, is_mobile=True) as page:
        assert page.evaluate("matchMedia('(hover: none)').matches")
        page.evaluate(STAY_JS)
        link = page.locator("a.data-ref.term").first
        tip = link.locator(".data-tip")
        expect(tip).to_be_hidden()
        link.tap()
        expect(tip).to_be_visible()
        elsewhere = page.evaluate(WORD_AT_JS, "retells")  # a line below the note, as the note is drawn
        assert elsewhere["lands_on"], elsewhere
        page.touchscreen.tap(elsewhere["x"], elsewhere["y"])
        expect(tip).to_be_hidden()
        link.tap()
        expect(tip).to_be_visible()
        page.get_by_role("link", name="Reuse this figure").first.tap()  # a link: the tap only closes the note
        expect(tip).to_be_hidden()
        link.tap()
        expect(tip).to_be_visible()
        page.keyboard.press("Escape")
        expect(tip).to_be_hidden()
        assert page.evaluate("leaving") == [], "a tap that closed a note followed a link"
        page.evaluate("navigation.onnavigate = null")
        link.tap()
        expect(tip).to_be_visible()
        target = link.get_attribute("href")
        link.tap()
        page.wait_for_url(f"**/chapters/{target}")
    assert not visit.troubles()


# --- charts at every width: the layout that fits, its text at 11 CSS px or more ----------------------

# Phones (360 to 414 px), tablets, laptops, desktops, around the theme's breakpoints.
CHART_WIDTHS = (360, 375, 390, 414, 768, 1024, 1200, 1280, 1440)
PHONES = 414  # up to this width a page shows a chart's narrow layout
SMALLEST_TEXT = 11  # CSS px
NATURAL_TEXT = style.MIN_TEXT * 96 / 72  # CSS px of a chart's smallest text at the chart's own size

# Every chart image loaded and decoded (lazy ones too); then, for each, its figure, the file
# shown, its own width and the width it is shown at.
CHARTS_SHOWN_JS = """async () => {
  const images = [...document.querySelectorAll("figure.jinchang-figure img")];
  for (const img of images) { img.loading = "eager"; await img.decode(); }
  return images.map(img => [img.closest("figure").id, img.currentSrc, img.naturalWidth,
                            img.getBoundingClientRect().width]);
}"""


@pytest.mark.parametrize("width", CHART_WIDTHS)
def test_each_chart_shows_the_layout_that_fits_at_no_less_than_its_text_allows(width, browser, site: str,
                                                                               book: Path) -> None:
    pages = [path for path in site_pages(book) if 'class="jinchang-figure' in (book / path).read_text("utf-8")]
    assert pages
    visit, problems = Visit(), []
    for path in pages:
        with open_page(browser, site + path, {"width": width, "height": 900}, visit) as page:
            for name, shown_file, natural, shown in page.evaluate(CHARTS_SHOWN_JS):
                narrow = shown_file.endswith(f"{name}-narrow.svg")
                if width <= PHONES and not narrow:
                    problems.append(f"{path}#{name}: the wide layout on a {width} px screen")
                if shown / natural < SMALLEST_TEXT / NATURAL_TEXT:
                    problems.append(f"{path}#{name}: {'narrow' if narrow else 'wide'} layout at "
                                    f"{shown / natural:.0%} of its size, text {NATURAL_TEXT * shown / natural:.1f} px")
    assert not problems, "\n".join(problems)
    assert not visit.troubles()
