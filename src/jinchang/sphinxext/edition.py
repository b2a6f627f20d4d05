"""The edition a Sphinx run builds, and the links between the editions.

The build sets ``jinchang_edition`` ("en" or "zh", see :mod:`jinchang.editions`). Every page then
gets the edition's language tag on ``<html lang>``, a visible switch to the other edition in the
article header (``_templates/components/edition-switch.html``) and, when the book's address is known,
a ``<link rel="alternate" hreflang>`` to itself and to its counterpart in every other edition (search
engines read only full addresses there). Generated pages (search, index) have counterparts too:
every edition builds them.

Sections have the same anchors in every edition: the English build records the anchors of each
page's sections, in order, in ``jinchang_anchors`` (a JSON file of the build), and the other
editions give their sections those anchors by position. A page whose sections do not match the
English page's, in number and level, fails the build. The anchors are written once the English
pages are read, before they are written: an edition built beside the English one, in a process of
its own (see ``jinchang.build``), executes its chapters, then awaits them before it reads its pages.
"""

from __future__ import annotations

import json
from html import escape
from collections.abc import Callable
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ExtensionError
from sphinx.transforms import SphinxTransform

from ..editions import EDITIONS, ENGLISH, Edition, counterpart, edition
from .perpage import recorded, track

SWITCH = "components/edition-switch.html"
# Set by jinchang.build when editions are built side by side: what the English build calls once its
# anchors are written, and what another edition calls to wait for them.
anchors_written: list[Callable[[], None]] = []
await_anchors: Callable[[], None] | None = None


def current(app: Sphinx) -> Edition:
    return edition(app.config.jinchang_edition)


def configure(app: Sphinx, config: Config) -> None:
    """The edition's published address is the book's, plus the edition's folder; its article
    header starts with the language switch."""
    ed = edition(config.jinchang_edition)
    if config.html_baseurl and ed.folder:
        config.html_baseurl = config.html_baseurl.rstrip("/") + f"/{ed.folder}/"
    if ed != ENGLISH:  # search finds the pages of a glossary term by its English rendering too
        config.html_search_options = {**(config.html_search_options or {}), "glosses": "yes"}
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
        if base:
            url = base.rstrip("/") + "/" + ed.path(page)
            alternates.append(f'<link rel="alternate" hreflang="{ed.tag}" href="{escape(url)}" />')
        if ed != here:
            others.append({"url": counterpart(page, here, ed), "name": ed.name, "tag": ed.tag})
    context["metatags"] = context.get("metatags", "") + "\n" + "\n".join(alternates) + "\n"
    context["language"] = here.tag  # <html lang>: Sphinx would write its locale ("zh-CN")
    context["jinchang_editions"] = others


def page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    links(app, pagename, context)


def _sections(document: nodes.document) -> list[nodes.section]:
    return list(document.findall(nodes.section))


def _ancestors(section: nodes.section):
    parent = section.parent
    while parent is not None:
        if isinstance(parent, nodes.section):
            yield parent
        parent = parent.parent


class SectionAnchors(SphinxTransform):
    """English: record each section's anchors and level. Other editions: take them by position."""

    default_priority = 700  # after explicit targets have moved onto their sections (260)

    def apply(self, **kwargs) -> None:
        sections, env = _sections(self.document), self.env
        levels = [sum(1 for _ in _ancestors(s)) + 1 for s in sections]
        if current(self.app) == ENGLISH:
            recorded(env, "anchors")[env.docname] = [[level, *section["ids"]] for level, section in zip(levels, sections)]
            return
        english = _english(self.app).get(env.docname)
        if english is None:
            return  # a page of this edition alone: search, genindex
        if [entry[0] for entry in english] != levels:
            raise ExtensionError(
                f"{env.doc2path(env.docname)}: its sections (levels {levels}) do not match those of the "
                f"English page (levels {[entry[0] for entry in english]}): the editions must have the same "
                "sections in the same order")
        for section, (_, *ids) in zip(sections, english):
            explicit = [i for i in section["ids"] if i in self.document.nameids.values() and i not in ids]
            section["ids"] = [*ids, *explicit]
            for anchor in ids:
                self.document.ids[anchor] = section
        env.note_dependency(self.app.config.jinchang_anchors)


def _english(app: Sphinx) -> dict[str, list]:
    path = Path(app.config.jinchang_anchors)
    if not path.is_file():
        raise ExtensionError(f"{path}: no anchors of the English edition: build it first (jinchang build)")
    return json.loads(path.read_text(encoding="utf-8"))


def write_anchors(app: Sphinx, env) -> None:
    """The English build's anchors for the other editions, once its pages are read; rewritten only
    when they change, so that their pages are read again only then."""
    if current(app) != ENGLISH or not app.config.jinchang_anchors:
        return
    path = Path(app.config.jinchang_anchors)
    text = json.dumps(recorded(env, "anchors"), ensure_ascii=False, indent=1, sort_keys=True)
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    for written in anchors_written:
        written()


def wait_for_anchors(app: Sphinx) -> None:
    if current(app) != ENGLISH and await_anchors is not None:
        await_anchors()


def setup(app: Sphinx) -> None:
    app.add_config_value("jinchang_edition", "en", "env", [str])
    app.add_config_value("jinchang_anchors", "", "", [str])  # set by jinchang.build
    app.add_config_value("jinchang_templates", "", "html", [str])  # set by jinchang.build: templates_digest
    app.add_transform(SectionAnchors)
    track(app, "anchors")
    app.connect("env-updated", write_anchors)
    app.connect("builder-inited", wait_for_anchors, priority=950)  # after its chapters are executed (900)
    app.connect("config-inited", configure, priority=600)  # after the published address is known
    app.connect("html-page-context", page_context)
