"""The book in a browser: nothing from other sites, no megabyte of icons, Chinese marked as Chinese.

- Icons: pydata-sphinx-theme puts ``fontawesome.js`` (1.5 MB) on every page to turn its
  ``<i class="fa-solid fa-…">`` icons into SVG, and without it its CSS draws them, and the
  icons of download links and admonitions, with a 150 kB webfont.
  ``_templates/static/webpack-macros.html`` drops the script, and ``jinchang-icons.css``
  draws the icons of ``ICONS`` and those of the theme's CSS as CSS masks, with the SVG paths
  read at build time from the theme's own copy of Font Awesome Free.
- ``_templates/layout.html`` leaves Sphinx's search scripts and index to search.html: the theme
  loads them in the head of every page for a search-as-you-type this book does not turn on.
- A favicon (``static/favicon.svg``), so browsers do not ask for a missing ``/favicon.ico``.
- Colour mode "auto" unless configured: without a mode the theme logs a console error on
  every page, then falls back to "auto".
- Text in the other language that no element marks: in the English edition, Han text (headings,
  glosses such as "Jinchang (金昌)", page titles in the Claims table) is wrapped in ``lang="zh"``
  spans; in the Chinese edition, Latin-script words (names, units, glosses) in ``lang="en"``
  spans, for screen readers, fonts and search.
- Citations (the bibliography) are a list of ``listitem`` roles: docutils 0.19 gives them the
  deprecated ``doc-biblioentry``, which is not a list item, so axe-core flags the list.
- A page that would load a script or stylesheet from another site is a build error.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote, urlsplit

import pydata_sphinx_theme
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging
from sphinx.writers.html5 import HTML5Translator

from .. import chinese
from .claims import en, zh

logger = logging.getLogger(__name__)

FAVICON = Path(__file__).parent / "static" / "favicon.svg"
ICONS_CSS = "jinchang-icons.css"
THEME_STATIC = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static"
FONTAWESOME_JS = THEME_STATIC / "scripts" / "fontawesome.js"
THEME_CSS = THEME_STATIC / "styles" / "pydata-sphinx-theme.css"
# Every solid icon in the theme's templates and scripts that this book shows (the browser
# tests fail on an icon left to the webfont).
ICONS = ("angle-left", "angle-right", "arrow-up", "bars", "book", "circle-half-stroke", "code", "download",
         "file", "file-pdf", "list", "magnifying-glass", "moon", "outdent", "sun", "xmark")
# In fontawesome.js each icon is  name:[width,height,[aliases],"unicode","svg path"].
_ICON = re.compile(r'"?(?P<name>[\w-]+)"?:\[(?P<width>\d+),(?P<height>\d+),\[[^\]]*\],"(?P<code>\w+)","(?P<path>[^"]+)"\]')
# In the theme's CSS, icons of pseudo-elements are  selector{...content:var(--pst-icon-…)...}
# with  --pst-icon-…:"<glyph>"  or  --pst-icon-…:var(--pst-icon-…). Rules are matched one by one,
# then searched for the content: one pattern for both backtracks over the whole file (a second).
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_GLYPH_CONTENT = re.compile(r"content:var\((--pst-[\w-]+)\)")
_VARIABLE = re.compile(r"(--pst-[\w-]+):([^;}]+)")

# A run of Chinese: Han characters with the punctuation and numbers in and before them (6月4日).
# Text that is code, markup or already marked keeps its language.
_KEEP = (en, nodes.FixedTextElement, nodes.literal, nodes.raw, nodes.math)


def solid_icons() -> dict[str, re.Match]:
    """The theme's Font Awesome "solid" pack: name -> match with width, height, code and path."""
    script = FONTAWESOME_JS.read_text(encoding="utf-8")
    end = script.index('d("fas",p)')  # the pack registers itself as "fas" after its icon table
    return {m["name"]: m for m in _ICON.finditer(script[script.rindex("var p={", 0, end):end])}


def glyph_rules() -> dict[str, str]:
    """Selectors of the theme's CSS that draw a glyph of the icon font -> its code point ("f019")."""
    css = THEME_CSS.read_text(encoding="utf-8")
    variables = dict(_VARIABLE.findall(css))
    rules = {}
    for selector, variable in ((rule[1], content[1]) for rule in _RULE.finditer(css)
                               if (content := _GLYPH_CONTENT.search(rule[2]))):
        value = variables.get(variable, "")
        while value.startswith("var("):
            value = variables.get(value[4:-1], "")
        glyph = value.strip('"')
        rules[selector.strip()] = f"{ord(glyph):x}" if len(glyph) == 1 else glyph.lstrip("\\")
    return rules


def icons_css() -> str:
    """CSS that draws the theme's icons as masks in the text colour, in place of the webfont glyphs."""
    pack = solid_icons()
    if missing := [name for name in ICONS if name not in pack]:
        raise ExtensionError(f"offline: no Font Awesome solid icon {missing} in {FONTAWESOME_JS}")
    by_code = {icon["code"]: icon for icon in pack.values()}
    drawn = {f".fa-{name}::before": pack[name] for name in ICONS}
    drawn |= {selector: by_code[code] for selector, code in glyph_rules().items() if code in by_code}
    rules = [
        "/* Font Awesome Free icons (CC BY 4.0, https://fontawesome.com/license/free), from the SVG paths"
        " in pydata-sphinx-theme's fontawesome.js; written by jinchang.sphinxext.offline. */",
        # Even an empty box in the icon font makes the browser download the font.
        ",".join(f".fa-{name}" for name in ICONS) + "{font-family:inherit}",
        ",".join(drawn) + '{content:"";font-family:inherit;display:inline-block;height:1em;vertical-align:-0.125em;'
        "background-color:currentColor;-webkit-mask:var(--jinchang-icon) center/contain no-repeat;"
        "mask:var(--jinchang-icon) center/contain no-repeat}",
    ]
    for name in dict.fromkeys(icon["name"] for icon in drawn.values()):  # each icon once
        icon = pack[name]
        width, height = int(icon["width"]), int(icon["height"])
        svg = quote(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}"><path d="{icon["path"]}"/></svg>')
        rules.append(",".join(selector for selector, other in drawn.items() if other["name"] == name)
                     + f'{{width:{width / height:.4g}em;--jinchang-icon:url("data:image/svg+xml,{svg}")}}')
    return "\n".join(rules) + "\n"


def write_icons_css(app: Sphinx, *_) -> None:
    """Write ``jinchang-icons.css`` before any page is, so that pages link it with its checksum."""
    if app.builder.format == "html":
        static = Path(app.outdir) / "_static"
        static.mkdir(parents=True, exist_ok=True)
        (static / ICONS_CSS).write_text(icons_css(), encoding="utf-8")


def mark_languages(doctree: nodes.Node, edition: str) -> None:
    """Wrap each run of the other language, in text not yet marked, in a ``zh`` node (lang="zh") in
    the English edition, in an ``en`` node (lang="en") in the Chinese one."""
    run, node_class = (chinese.RUN, zh) if edition == "en" else (chinese.LATIN, en)
    keep = (*_KEEP, zh) if edition == "en" else _KEEP  # in Chinese text, a quote's Latin words are marked too
    for text in list(doctree.findall(nodes.Text)):
        parent = text.parent
        if not run.search(text) or any(isinstance(node, keep) for node in _ancestors(parent)):
            continue
        parent.replace(text, [node_class(part, part) if marked else nodes.Text(part)
                              for part, marked in chinese.split(text, run)])


def _ancestors(node: nodes.Node | None):
    while node is not None:
        yield node
        node = node.parent


def check_page(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Give the theme a colour mode and the print heading its lang spans; fail on assets from other sites."""
    context.setdefault("default_mode", "auto")
    if "pagetitle" in context:  # sphinx-book-theme's print heading: the title as HTML, lang spans kept
        context["pagetitle"] = context["title"]
    for asset in [*context.get("script_files", ()), *context.get("css_files", ())]:
        url = getattr(asset, "filename", asset) or ""
        if urlsplit(url).netloc:
            logger.warning(f"{url} would be loaded from another site: ship it with the book instead",
                           location=pagename, type="jinchang", subtype="external-asset")


def visit_citation(self: HTML5Translator, node: nodes.citation) -> None:
    """docutils' own visit_citation, with role "listitem" in place of "doc-biblioentry"."""
    if not isinstance(node.previous_sibling(), nodes.citation):
        self.body.append('<div role="list" class="citation-list">\n')
    self.body.append(self.starttag(node, "div", classes=[node.tagname], role="listitem"))


def use_favicon(app: Sphinx, config) -> None:
    if not config.html_favicon:
        config.html_favicon = str(FAVICON)


def setup(app: Sphinx) -> None:
    app.add_css_file(ICONS_CSS)
    app.add_node(nodes.citation, override=True, html=(visit_citation, HTML5Translator.depart_citation))
    app.connect("config-inited", use_favicon)
    # Before the collectors (priority 500) take titles and tables of contents, and again once
    # references and generated text are resolved.
    app.connect("doctree-read", lambda app, doctree: mark_languages(doctree, app.config.jinchang_edition),
                priority=400)
    app.connect("doctree-resolved",
                lambda app, doctree, docname: mark_languages(doctree, app.config.jinchang_edition), priority=900)
    app.connect("html-page-context", check_page, priority=900)
    app.connect("env-updated", write_icons_css)
