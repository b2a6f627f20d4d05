"""Sphinx extensions of the book, loaded together as ``jinchang.sphinxext``.

- ``edition``: the edition being built (English or Chinese) and the links between editions;
- ``claims``: the {claim}, {source} and {quote} roles and the quote directives;
- ``tables``: the Claims, Sources, Glossary, Corrections and units tables of the appendices;
- ``terms``: the {gloss} role, a Chinese term shown as its one English rendering;
- ``figures``: charts published as numbered figures with downloads at stable URLs;
- ``kits``: a reuse kit per figure, the whole data package and the book's wheel, for download;
- ``execute``: chapters executed in parallel, and again when what they read changes;
- ``progress``: the build's reading and writing of pages, as lines of its progress;
- ``search``: a search language that finds Chinese words, single characters and English inflections;
- ``meta``: meta description, Highwire and Dublin Core tags, the licence footer;
- ``offline``: no asset from another site, icons without fontawesome.js, Chinese marked lang="zh";
- ``webfonts``: the bundled CJK font as WOFF2 subsets, for readers without a CJK font;
- ``toggles``: myst-nb's code-cell toggles as valid HTML;
- ``printed``: the book's PDF in every page's download menu;
- ``translations``: the words of Sphinx and the themes that their catalogs leave in English;
- bare numbers in chapter prose are build errors (see ``jinchang.prose``).
"""

from __future__ import annotations

from pathlib import Path

from myst_nb.sphinx_ext import add_global_html_resources
from sphinx.application import Sphinx
from sphinx.util import logging

from .. import __version__
from ..prose import bare_numbers
from . import (claims, edition, execute, figures, kits, meta, offline, printed, progress, search, tables, terms, toggles,
               translations, webfonts)

logger = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"


def check_prose(app: Sphinx, docname: str, source: list[str]) -> None:
    for number in bare_numbers(source[0]):
        logger.warning(f"{number}: render it from data with {{claim}}, {{source}} or {{glue:text}}",
                       location=(docname, number.line), type="jinchang", subtype="bare-number")


def write_late_stylesheets(app: Sphinx, env) -> None:
    """Write myst-nb's stylesheet, which it writes when the build finishes, before any page is
    written: Sphinx links it with its checksum (``?v=``), or with none when the file is missing,
    so a clean build and a rebuild of the same commit would otherwise differ."""
    if app.builder.format == "html":
        Path(app.outdir, "_static").mkdir(parents=True, exist_ok=True)
        add_global_html_resources(app, None)


def _plain_text_backend_found_once() -> None:
    """sphinxcontrib-bibtex asks pybtex for its plain-text backend at every citation it resolves, and
    each time pybtex reads the entry points of every installed package: registered once, it is found
    at once."""
    import pybtex.plugin

    group, name = "pybtex.backends", "plaintext"
    pybtex.plugin.register_plugin(group, name, pybtex.plugin.find_plugin(group, name), force=True)


def compiled_templates_kept(app: Sphinx) -> None:
    """Keep the theme's templates compiled, beside the doctrees: each build (each edit in the live
    preview) would otherwise compile every template it renders again. Jinja checks each template's
    source against its compiled copy."""
    from jinja2 import FileSystemBytecodeCache

    if app.builder.format == "html":
        folder = Path(app.doctreedir) / "templates"
        folder.mkdir(parents=True, exist_ok=True)
        app.builder.templates.environment.bytecode_cache = FileSystemBytecodeCache(str(folder))


def setup(app: Sphinx) -> dict:
    _plain_text_backend_found_once()
    translations.setup(app)  # first: the words of the pages and of the errors they may raise
    edition.setup(app)
    claims.setup(app)
    tables.setup(app)
    terms.setup(app)
    figures.setup(app)
    kits.setup(app)
    meta.setup(app)
    execute.setup(app)
    progress.setup(app)
    search.setup(app)
    offline.setup(app)
    webfonts.setup(app)
    toggles.setup(app)
    printed.setup(app)
    app.connect("source-read", check_prose)
    app.connect("env-updated", write_late_stylesheets)
    app.connect("builder-inited", compiled_templates_kept)
    app.connect("config-inited", lambda app, config: config.html_static_path.append(str(STATIC)))
    app.add_css_file("jinchang.css")
    app.add_js_file("jinchang.js", loading_method="defer")
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
