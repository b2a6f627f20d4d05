"""Everything a reader can take away: a reuse kit per figure, the whole data, the package.

Under each figure, a "Reuse this figure" link leads to its kit, ``figures/<name>/``: a small
page with the chart alone in each layout that exists (``figures/<name>.svg`` and, for phones,
``figures/<name>-narrow.svg``), an ``<iframe>`` snippet of ``figures/<name>/embed.html`` with
a fixed aspect ratio and the credit line, the figure's data as a Frictionless data package in
``figures/<name>/<name>.zip``, and the citation in every format.

The site also offers ``downloads/jinchang-data.zip`` (the whole data package) and the book's
wheel, ``downloads/jinchang-<version>-py3-none-any.whl``; pages link to them, and to the book's
PDF (``jinchang.pdf``), with the ``{book-download}`` role (``{book-download}`data```,
``{book-download}`wheel``` or ``{book-download}`pdf```).

Kits are written when the build finishes, after the figure files, so that they show what
exists; a kit is written again only when what it is made of changed (``_made_of``: a prose edit
rewrites none, nor does an edit to data it did not read), and the wheel likewise.
"""

from __future__ import annotations

import hashlib
import json
from html import escape
from importlib.metadata import version
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import ReferenceRole

from .. import archive, chartfiles, chinese, citation, dependencies, kit, pdf, reads, wheel
from ..editions import ENGLISH, edition
from ..labels import Labels, labels
from . import figures
from .edition import current

DOWNLOADS = "downloads"
# Paths from the site's root; the link's text: labels kits.targets.
TARGETS = {"data": f"{DOWNLOADS}/{kit.DATA_ZIP}", "wheel": f"{DOWNLOADS}/{wheel.FILE_NAME}", "pdf": pdf.FILENAME}
LAYOUTS = (("", "wide"), ("-narrow", "narrow"))  # file suffix, key of labels kits.layouts


def _html(words: Labels, key: str, **html: str) -> str:
    """The text ``key`` as HTML: its words escaped, its placeholders filled with ``html`` as given."""
    text = escape(words(key, **{name: f"\0{name}\0" for name in html}))
    for name, value in html.items():
        text = text.replace(f"\0{name}\0", value)
    return text


def kit_page(name: str) -> str:
    return f"{figures.FOLDER}/{name}/index"


class BookDownload(ReferenceRole):
    """``{book-download}`data```, ``{book-download}`wheel``` or ``{book-download}`pdf```, with an optional title."""

    def run(self):
        if self.target not in TARGETS:
            message = f"{{book-download}} takes one of {', '.join(TARGETS)}, not {self.target!r}"
            return [], [self.inliner.reporter.error(message, line=self.lineno)]
        # The data and the package are the same in every edition, published once at the site's root;
        # each edition has its own PDF.
        here = edition(self.config.jinchang_edition)
        up = "" if self.target == "pdf" else here.up
        uri = figures._to_root(self.env.docname) + up + TARGETS[self.target]
        title = self.title if self.has_explicit_title else labels("kits", here.code)["targets"][self.target]
        return [nodes.reference(title, title, refuri=uri, classes=["book-download"])], []


def link_kits(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """A "Reuse this figure" link under each figure, before its citation, and in each entry of the
    Figures page, after its downloads."""
    words, known = labels("kits", current(app).code), figures.figures(app.env)

    def link(name: str) -> nodes.paragraph:
        uri = app.builder.get_relative_uri(docname, kit_page(name))
        return nodes.paragraph("", "", nodes.reference(words["reuse"], words["reuse"], refuri=uri),
                               classes=["figure-reuse"])

    for node in list(doctree.findall(nodes.figure)):
        if "jinchang-figure" in node["classes"] and node["ids"][0] in known:
            node.parent.insert(node.parent.index(node) + 1, link(node["ids"][0]))
    for entry in doctree.findall(nodes.list_item):
        if "figure-entry" in entry["classes"]:
            citation_block = next(entry.findall(figures.details))
            citation_block.parent.insert(citation_block.parent.index(citation_block), link(entry["ids"][0][len("entry-"):]))


def _layouts(outdir: Path, name: str, words: Labels) -> list[tuple[str, str]]:
    """(file suffix, description) of each layout whose files were written."""
    return [(suffix, words["layouts"][key]) for suffix, key in LAYOUTS
            if (outdir / figures.FOLDER / f"{name}{suffix}.svg").is_file()]


def embed_snippet(b: citation.Book, work: citation.Work, payload: dict) -> str:
    """The HTML to paste, in the book's language: an iframe of the embed page at the chart's
    aspect ratio, and the credit line."""
    words, name = labels("kits", b.lang), payload["name"]
    label = citation.figure_label(work, b.lang)
    width, height = round(float(payload["width"])), round(float(payload["height"]))
    credit = _html(words, "credit", label=escape(label), title=escape(payload["title"]), book=escape(b.title),
                   version=escape(b.version), author=escape(b.author), licence=escape(citation.DATA_LICENCE[1]))
    title = labels("kit", b.lang)("title", label=label, title=payload["title"])
    return (f'<figure style="margin:0">\n'
            f'  <iframe src="{escape(b.url(f"{figures.FOLDER}/{name}/embed.html"))}" title="{escape(title)}" '
            f'width="{width}" height="{height}" loading="lazy"\n'
            f'    style="width:100%;height:auto;aspect-ratio:{width}/{height};border:0"></iframe>\n'
            f'  <figcaption><a href="{escape(b.url(f"{figures.FOLDER}/{name}/"))}">{credit}</a></figcaption>\n'
            f"</figure>")


def embed_page(b: citation.Book, payload: dict, title: str, icon: str = "") -> str:
    """A page with the chart and nothing else, sized to its frame; the chart links to the book. Like
    the book's pages, it has a description and names the book's icon (``icon``, relative to the page),
    which browsers otherwise look for at /favicon.ico."""
    name = payload["name"]
    canonical = b.link(f"{figures.FOLDER}/{name}/")
    description = labels("kits", b.lang)("description", title=title, subtitle=payload["subtitle"])
    return (
        f'<!DOCTYPE html>\n<html lang="{edition(b.lang).tag}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n"
        f'<meta name="description" content="{escape(description)}">\n'
        + (f'<link rel="icon" href="{escape(icon)}">\n' if icon else "")
        + (f'<link rel="canonical" href="{escape(canonical)}">\n' if canonical else "")
        + "<style>html,body{margin:0;background:#fff}img{display:block;width:100%;height:auto}</style>\n"
        "</head>\n<body>\n"
        f'<a href="index.html" target="_blank" rel="noopener"><img src="../{escape(name)}.svg" '
        f'alt="{escape(payload["alt"])}" width="{round(float(payload["width"]))}" '
        f'height="{round(float(payload["height"]))}"></a>\n</body>\n</html>\n'
    )


def _block(app: Sphinx, *parts: nodes.Node) -> str:
    return "".join(app.builder.render_partial(part)["fragment"] for part in parts)


def write_kit(app: Sphinx, payload: dict) -> None:
    """The kit of one figure, in the edition's language: its page, its embed page and its data package."""
    outdir, b, name = Path(app.outdir), figures.book(app), payload["name"]
    words = labels("kits", b.lang)
    work = figures.figure_work(app, payload)
    label = citation.figure_label(work, b.lang)
    folder = outdir / figures.FOLDER / name
    folder.mkdir(parents=True, exist_ok=True)
    files = kit.figure_package(b, work, payload, b.link(f"{figures.FOLDER}/{name}/"))
    archive.write_zip(folder / f"{name}.zip", files)
    title = words("reuse_title", label=label, title=payload["title"])
    icon = f"../../_static/{Path(app.config.html_favicon).name}" if app.config.html_favicon else ""
    (folder / "embed.html").write_text(
        embed_page(b, payload, labels("kit", b.lang)("title", label=label, title=payload["title"]), icon), encoding="utf-8")

    page = kit_page(name)
    chapter = app.env.titles[payload["docname"]].astext()
    to_figure = app.builder.get_relative_uri(page, payload["docname"]) + f"#{name}"
    images = []
    for suffix, layout in _layouts(outdir, name, words):
        links = " · ".join(f'<a href="../{escape(name)}{suffix}.{ext}" download>{ext.upper()}</a>'
                           for ext in ("svg", "png") if (outdir / figures.FOLDER / f"{name}{suffix}.{ext}").is_file())
        width, height = chartfiles.size_attributes((outdir / figures.FOLDER / f"{name}{suffix}.svg").read_bytes())
        # Loaded at once, not lazily: the layouts are what the page's first screen shows.
        images.append(f'<figure class="kit-layout"><img src="../{escape(name)}{suffix}.svg" '
                      f'alt="{escape(payload["alt"])}" width="{width}" height="{height}" decoding="async">'
                      f"<figcaption>{_html(words, 'layout', layout=escape(layout), links=links)}</figcaption></figure>")
    snippet = embed_snippet(b, work, payload)
    chapter_link = f'<a href="{escape(to_figure)}">{chinese.html(chapter)}</a>'
    blank = "" if b.base_url else f"<p>{escape(words('blank', blank=citation.book_url(b.lang)))}</p>"
    intro = _html(words, "in", chapter=chapter_link, book=f"<em>{escape(b.title)}</em>", version=escape(b.version))
    sections = {
        "chart": "".join(images),
        "embed": f"<p>{escape(words['embed_text'])}</p>\n"
                 + _block(app, nodes.literal_block(snippet, snippet, language="html")) + blank,
        "data": "<p>" + _html(words, "data_text", zip=f'<a href="{escape(name)}.zip" download>{escape(name)}.zip</a>',
                              csv=f'<a href="../{escape(name)}.csv" download>{escape(name)}.csv</a>') + "</p>",
        "cite": _block(app, figures.cite_block(app, work, page, words["every_format"], unfolded=True)),
    }
    body = (f'<section id="{escape(name)}-kit" class="figure-kit">\n<h1>{chinese.html(title)}</h1>\n<p>{intro}</p>\n'
            + "".join(f'<section id="{key}"><h2>{escape(words[key])}</h2>\n{html}\n</section>\n'
                      for key, html in sections.items())
            + "</section>\n")
    app.builder.handle_page(page, {"title": chinese.html(title), "body": body, "toc": "", "display_toc": False,
                                   "jinchang_description": words("description", title=title, subtitle=payload["subtitle"])},
                            "page.html")


def _made_of(app: Sphinx, payload: dict, book: str, data: dict[str, str | None]) -> str:
    """A digest of what a figure's kit is made of: the figure, its chart files, the book (``book``:
    the package, the configuration, and the navigation of the page around it), and the data it read
    (``data``: their digests, by name)."""
    digest = hashlib.sha256(book.encode())
    digest.update(json.dumps(data, sort_keys=True).encode())
    digest.update(json.dumps(payload, sort_keys=True, default=str).encode())
    digest.update(repr(figures.figure_work(app, payload)).encode())
    for chart in sorted((Path(app.outdir) / figures.FOLDER).glob(f"{payload['name']}*.*")):
        digest.update(chart.name.encode() + b"\0" + chart.read_bytes())
    return digest.hexdigest()


def _book(app: Sphinx, now: dict[str, str]) -> str:
    """What every kit page is made of but the data: the package (its code, labels and templates), the
    configuration, the themes, and the titles and tables of contents its navigation shows."""
    env = app.env
    package = {name: digest for name, digest in now.items() if dependencies.is_code(name)}
    return json.dumps([
        package, repr(figures.book(app)), app.builder.build_info.config_hash, app.builder.build_info.tags_hash,
        [version(theme) for theme in ("sphinx", "sphinx-book-theme", "pydata-sphinx-theme")],
        {doc: title.astext() for doc, title in sorted(env.titles.items())},
        {doc: list(included) for doc, included in sorted(env.toctree_includes.items())},
    ], sort_keys=True, default=str)


def write_kits(app: Sphinx) -> None:
    """Write every figure's kit whose inputs changed since it was written (or that is missing). What
    each kit read of the data is recorded as it is written: an edit to other rows rewrites none."""
    stamps = Path(app.doctreedir) / "kit-inputs.json"
    made = json.loads(stamps.read_text(encoding="utf-8")) if stamps.is_file() else {}
    now = dependencies.current()
    book, kits = _book(app, now), {}
    for name, payload in sorted(figures.figures(app.env).items()):
        before = made.get(name, {})
        read = before.get("read", [])
        digest = _made_of(app, payload, book, {n: now.get(n) for n in read})
        folder = Path(app.outdir) / figures.FOLDER / name
        if before.get("digest") != digest \
                or not all((folder / f).is_file() for f in ("index.html", "embed.html", f"{name}.zip")):
            reads.READ.clear()
            write_kit(app, payload)
            read = sorted(reads.READ)
            digest = _made_of(app, payload, book, {n: now.get(n) for n in read})
        kits[name] = {"digest": digest, "read": read}
    stamps.write_text(json.dumps(kits, indent=1, sort_keys=True), encoding="utf-8")


def start_wheel(app: Sphinx, env) -> None:
    """The English edition starts building the wheel, when what it is made of changed, once its pages
    are read: it builds in a process of its own while the pages are written."""
    if app.config.jinchang_edition != ENGLISH.code or app.builder.format != "html":
        return
    downloads, digest = Path(app.outdir) / DOWNLOADS, wheel.digest()
    stamp = Path(app.doctreedir) / "wheel.sha256"
    if (downloads / wheel.FILE_NAME).is_file() and stamp.is_file() and stamp.read_text() == digest:
        return
    stamp.unlink(missing_ok=True)
    for old in downloads.glob("*.whl"):
        old.unlink()
    app.jinchang_wheel = wheel.Building(downloads), stamp, digest


def write_downloads(app: Sphinx, exception: Exception | None) -> None:
    """Every figure's kit, the whole data package and the wheel, once the pages are written."""
    building = getattr(app, "jinchang_wheel", None)
    if exception is not None or app.builder.format != "html":
        if building is not None:
            building[0].cancel()
        return
    try:
        if hasattr(app.builder, "globalcontext"):  # else no page was out of date: the last build's kit pages stand
            write_kits(app)
        if app.config.jinchang_edition == ENGLISH.code:  # it publishes the data and the package for every edition
            archive.write_zip(Path(app.outdir) / DOWNLOADS / kit.DATA_ZIP, kit.data_package(figures.book(app)))
    except BaseException:
        if building is not None:
            building[0].cancel()  # not left running when the build fails
        raise
    if building is not None:
        process, stamp, digest = building
        process.result()
        stamp.write_text(digest)


def setup(app: Sphinx) -> None:
    app.add_role("book-download", BookDownload())
    app.connect("doctree-resolved", link_kits, priority=600)  # after figures.resolve, which adds the citation
    app.connect("env-updated", start_wheel)
    app.connect("build-finished", write_downloads, priority=600)  # after the other files of the build are written
