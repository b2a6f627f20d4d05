"""The edition a Sphinx run builds, and the links between the editions.

The build sets ``jinchang_edition`` ("en" or "zh", see :mod:`jinchang.editions`). Every page then
gets the edition's language tag on ``<html lang>``, a ``<link rel="alternate" hreflang>`` to itself
and to its counterpart in every other edition, and a visible switch to the other edition in the
article header (``_templates/components/edition-switch.html``). Generated pages (search, index)
have counterparts too: every edition builds them.
"""

from __future__ import annotations

from html import escape

from sphinx.application import Sphinx
from sphinx.config import Config

from ..editions import EDITIONS, Edition, counterpart, edition

SWITCH = "components/edition-switch.html"


def current(app: Sphinx) -> Edition:
    return edition(app.config.jinchang_edition)


def configure(app: Sphinx, config: Config) -> None:
    """The edition's published address is the book's, plus the edition's folder; its article
    header starts with the language switch."""
    ed = edition(config.jinchang_edition)
    if config.html_baseurl and ed.folder:
        config.html_baseurl = config.html_baseurl.rstrip("/") + f"/{ed.folder}/"
    options = config.html_theme_options
    ends = options.get("article_header_end") or ["article-header-buttons.html"]
    options["article_header_end"] = [SWITCH, *[e for e in ends if e != SWITCH]]


def _base(app: Sphinx) -> str:
    """The book's published address (the English edition's root), or "" when it is not known."""
    here = current(app)
    base = app.config.html_baseurl
    return base.rstrip("/").removesuffix(f"/{here.folder}") + "/" if base and here.folder else base


def links(app: Sphinx, pagename: str, context: dict) -> None:
    """hreflang links and the switch's targets for the page being written."""
    here, page, base = current(app), app.builder.get_target_uri(pagename), _base(app)
    alternates, others = [], []
    for ed in EDITIONS:
        url = base.rstrip("/") + "/" + ed.path(page) if base else counterpart(page, here, ed)
        alternates.append(f'<link rel="alternate" hreflang="{ed.tag}" href="{escape(url)}" />')
        if ed != here:
            others.append({"url": counterpart(page, here, ed), "name": ed.name, "tag": ed.tag})
    context["metatags"] = context.get("metatags", "") + "\n" + "\n".join(alternates) + "\n"
    context["language"] = here.tag  # <html lang>: Sphinx would write its locale ("zh-CN")
    context["jinchang_editions"] = others


def page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    links(app, pagename, context)


def setup(app: Sphinx) -> None:
    app.add_config_value("jinchang_edition", "en", "env", [str])
    app.connect("config-inited", configure, priority=600)  # after the published address is known
    app.connect("html-page-context", page_context)
