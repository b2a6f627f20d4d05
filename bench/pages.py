"""Page weight and Lighthouse scores of every page of the book, beside a default Jupyter Book.

Not a test: it measures. Each site is served with gzip on 127.0.0.1 (as a static host serves
it), and Lighthouse (mobile, simulated throttling, the machine's Chromium) audits every HTML
page ``--runs`` times. The report gives, per page, the medians of the bytes transferred and of
the four category scores, checks them against the targets, and lists the audits that cost
points. The default book is made by ``jupyter-book create`` and built by the same Jupyter Book.

Setup, once:  npm ci --prefix bench   (Lighthouse 12.8.2, the last for Node 20; package.json's
              "overrides" pin two dependencies that Lighthouse's trace engine asks for as
              "latest", which npm ci would otherwise refuse to take from the lock)
Run:          JINCHANG_BUILD_DIR=/tmp/bench-build .venv/bin/python bench/pages.py --cjk-fonts DIR
Options:      --site DIR (a built site instead of building the book), --default-site DIR,
              --runs N (default 3), --out FILE (default bench/REPORT-pages.md),
              --cjk-fonts DIR (a folder of CJK fonts, such as those of Debian's fonts-noto-cjk
              extracted with dpkg-deb -x: the web-font bytes are also measured as on a machine
              that has them)

The web-font bytes of a first visit are measured apart, with Playwright and the same Chromium:
each page opened in a fresh profile as the machine is, and again with ``--cjk-fonts`` added to its
fonts (a fontconfig file that includes the machine's and lists that folder).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from jinchang.serve import served

BENCH = Path(__file__).resolve().parent
LIGHTHOUSE = BENCH / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run"]
CATEGORIES = {"performance": "Performance", "accessibility": "Accessibility",
              "best-practices": "Best practices", "seo": "SEO"}
# Targets: a chapter page transfers at most 1 MB; performance >= 90, the other three 100.
MAX_CHAPTER_BYTES = 1_000_000
MIN_SCORES = {"performance": 90, "accessibility": 100, "best-practices": 100, "seo": 100}


def html_pages(site: Path) -> list[str]:
    """Every HTML page of a site, relative to its root (theme files and source copies left out)."""
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                  if not {"_static", "_sources"} & set(p.relative_to(site).parts))  # the Chinese edition's too


def lighthouse(url: str) -> dict:
    """One Lighthouse run on ``url`` (mobile, the default): its JSON report."""
    result = subprocess.run(
        [str(LIGHTHOUSE), url, "--quiet", "--output=json", "--output-path=stdout",
         f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={' '.join(CHROME_FLAGS)}"],
        env={**os.environ, "CHROME_PATH": CHROMIUM}, capture_output=True, text=True, check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"lighthouse failed on {url}:\n{result.stderr[-2000:]}")
    return json.loads(result.stdout)


@dataclass
class PageResult:
    page: str
    transferred: float  # bytes, median over runs
    requests: float
    scores: dict[str, float]  # category id -> 0..100, median over runs
    lost: dict[str, str]  # audit id -> title and value, for audits that cost points in any run


def measure(site: Path, runs: int) -> list[PageResult]:
    """Lighthouse ``runs`` times on every page of ``site``, served with gzip."""
    results = []
    with served(site, compress=True) as base:
        for page in html_pages(site):
            reports = [lighthouse(base + page) for _ in range(runs)]
            results.append(PageResult(
                page=page,
                transferred=statistics.median(r["audits"]["total-byte-weight"]["numericValue"] for r in reports),
                requests=statistics.median(len(r["audits"]["network-requests"]["details"]["items"]) for r in reports),
                scores={c: statistics.median(100 * (r["categories"][c]["score"] or 0) for r in reports)
                        for c in CATEGORIES},
                lost={audit["id"]: f"{audit['title']}{_value(audit)}"
                      for r in reports for audit in _costly(r)},
            ))
            print(f"{page}: {results[-1].transferred / 1000:.0f} kB, "
                  + ", ".join(f"{c} {s:.0f}" for c, s in results[-1].scores.items()), file=sys.stderr)
    return results


def _costly(report: dict) -> Iterator[dict]:
    """The scored audits of a report that did not get full marks."""
    for category in report["categories"].values():
        for ref in category["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] > 0 and audit["score"] is not None and audit["score"] < 1:
                yield audit


def _value(audit: dict) -> str:
    """The audit's measure, or for console errors the messages themselves."""
    if audit["id"] == "errors-in-console":
        messages = dict.fromkeys(item["description"][:120] for item in audit["details"]["items"])
        return ": " + "; ".join(f"“{message}”" for message in messages)
    return f" ({audit['displayValue']})" if audit.get("displayValue") else ""


def fontconfig_with(folder: Path, conf: Path) -> Path:
    """A fontconfig file at ``conf``: the machine's fonts and those of ``folder``."""
    conf.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n'
                    '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
                    f"  <dir>{folder.resolve()}</dir>\n  <cachedir>{conf.parent / 'fontconfig-cache'}</cachedir>\n"
                    "</fontconfig>\n", encoding="utf-8")
    return conf


def web_font_bytes(site: Path, fontconfig: Path | None = None) -> dict[str, int]:
    """Per page, the bytes of the web fonts a first visit downloads (a fresh profile each time)."""
    from playwright.sync_api import sync_playwright

    env = {**os.environ, **({"FONTCONFIG_FILE": str(fontconfig)} if fontconfig else {})}
    out = {}
    with served(site, compress=True) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROME_FLAGS[1:], env=env)
        for page_path in html_pages(site):
            context = browser.new_context(viewport={"width": 412, "height": 823})  # Lighthouse's phone
            page = context.new_page()
            fonts = []
            page.on("response", lambda response: response.request.resource_type == "font" and fonts.append(response))
            page.goto(base + page_path, wait_until="load")
            page.evaluate("document.fonts.ready")
            out[page_path] = sum(len(response.body()) for response in fonts)
            context.close()
        browser.close()
    return out


def font_table(without: dict[str, int], with_cjk: dict[str, int] | None) -> list[str]:
    """Markdown rows: the web-font bytes of a first visit to each page, without and with a CJK font."""
    lines = ["| page | without a CJK system font (kB) | with one (kB) |", "|---|---:|---:|"]
    for page, size in without.items():
        other = f"{with_cjk[page] / 1000:,.0f}" if with_cjk is not None else "not measured"
        lines.append(f"| {page} | {size / 1000:,.0f} | {other} |")
    return lines


def build_book() -> Path:
    from jinchang.build import build

    return build()


def build_default_book(folder: Path) -> Path:
    """``jupyter-book create`` + ``jupyter-book build`` in ``folder``, with this Python's Jupyter Book."""
    jupyter_book = str(Path(sys.executable).parent / "jupyter-book")
    book = folder / "default-book"
    subprocess.run([jupyter_book, "create", str(book)], check=True, capture_output=True)
    subprocess.run([jupyter_book, "build", str(book)], check=True, capture_output=True)
    return book / "_build" / "html"


def table(results: list[PageResult], chapters: bool) -> list[str]:
    """Markdown rows: page, kB, requests, the four scores, and whether the page meets the targets."""
    lines = ["| page | kB transferred | requests | " + " | ".join(CATEGORIES.values()) + " | targets |",
             "|---|---:|---:|" + "---:|" * len(CATEGORIES) + "---|"]
    for r in results:
        misses = [name for c, name in CATEGORIES.items() if r.scores[c] < MIN_SCORES[c]]
        if chapters and r.page.startswith("chapters/") and r.transferred > MAX_CHAPTER_BYTES:
            misses.insert(0, "weight")
        lines.append(f"| {r.page} | {r.transferred / 1000:,.0f} | {r.requests:.0f} | "
                     + " | ".join(f"{r.scores[c]:.0f}" for c in CATEGORIES)
                     + f" | {'missed: ' + ', '.join(misses) if misses else 'met'} |")
    return lines


def costs(results: list[PageResult]) -> list[str]:
    """What cost points, audit by audit, with the pages where it did."""
    pages: dict[str, list[str]] = {}
    for r in results:
        for audit in r.lost:
            pages.setdefault(audit, []).append(r.page)
    if not pages:
        return ["Nothing: every scored audit passed on every page and run."]
    return [f"- `{audit}`: {next(r.lost[audit] for r in results if audit in r.lost)}; "
            f"{len(where)} of {len(results)} pages ({', '.join(where[:4])}{', …' if len(where) > 4 else ''})"
            for audit, where in sorted(pages.items(), key=lambda item: -len(item[1]))]


def total(results: list[PageResult]) -> str:
    return f"All pages: {sum(r.transferred for r in results) / 1000:,.0f} kB over {len(results)} pages."


def report(ours: list[PageResult], default: list[PageResult], runs: int, command: str,
           fonts: list[str]) -> str:
    version = subprocess.run([str(LIGHTHOUSE), "--version"], capture_output=True, text=True).stdout.strip()
    chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout.strip()
    lines = [
        "# Page weight and Lighthouse scores",
        "",
        f"Made by `{command}` (see `bench/pages.py`). Lighthouse {version}, mobile preset with simulated "
        f"throttling, {chromium}; medians of {runs} run(s) per page. Each site is served with gzip from "
        "127.0.0.1; \"kB transferred\" is Lighthouse's total byte weight (compressed bytes over the wire "
        "while the page loads; lazy images below the fold are not loaded). Targets: a chapter page at most "
        f"{MAX_CHAPTER_BYTES / 1e6:.0f} MB; performance at least {MIN_SCORES['performance']}, accessibility, "
        "best practices and SEO 100.",
        "",
        "Scores on one machine vary from run to run (performance most); compare books measured in the same run.",
        "",
        "## This book",
        "",
        *table(ours, chapters=True),
        "",
        total(ours),
        "",
        "What cost points:",
        "",
        *costs(ours),
        "",
        "## The book's CJK web font: what a first visit adds",
        "",
        "Bytes of the WOFF2 files of \"Jinchang Sans\" that a first visit to each page downloads (Playwright, "
        "the same Chromium, a fresh profile per page, phone viewport). The system CJK fonts come first in the "
        "stack: a reader who has one downloads nothing; a reader who has none downloads the Regular subset, and "
        "the Bold one on pages with bold Chinese text. The kB transferred above were measured on a machine "
        "without a CJK font, so they include these bytes.",
        "",
        *fonts,
        "",
        "## A default `jupyter-book create` book, built and served the same way",
        "",
        *table(default, chapters=False),
        "",
        total(default),
        "",
        "What cost points:",
        "",
        *costs(default),
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build the book)")
    parser.add_argument("--default-site", type=Path, help="a built default Jupyter Book (default: create one)")
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page (medians are reported)")
    parser.add_argument("--out", type=Path, default=BENCH / "REPORT-pages.md")
    parser.add_argument("--cjk-fonts", type=Path, help="a folder of CJK fonts, to measure web-font bytes with them too")
    args = parser.parse_args(argv)
    if not LIGHTHOUSE.exists():
        parser.error(f"no {LIGHTHOUSE}: run `npm ci --prefix bench` first")
    if not Path(CHROMIUM).exists():
        parser.error(f"no {CHROMIUM}: install Debian's chromium")
    site = args.site or build_book()
    with tempfile.TemporaryDirectory(prefix="jinchang-bench-") as folder:
        default_site = args.default_site or build_default_book(Path(folder))
        ours, default = measure(site, args.runs), measure(default_site, args.runs)
        with_cjk = web_font_bytes(site, fontconfig_with(args.cjk_fonts, Path(folder) / "fonts.conf")) \
            if args.cjk_fonts else None
        fonts = font_table(web_font_bytes(site), with_cjk)
    build_dir = "" if args.site or "JINCHANG_BUILD_DIR" not in os.environ else \
        f"JINCHANG_BUILD_DIR={os.environ['JINCHANG_BUILD_DIR']} "
    command = build_dir + " ".join([".venv/bin/python bench/pages.py", *(argv if argv is not None else sys.argv[1:])])
    args.out.write_text(report(ours, default, args.runs, command, fonts), encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
