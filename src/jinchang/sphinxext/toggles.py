"""myst-nb's code-cell toggles as valid HTML.

myst-nb writes the two titles of a toggle ("Show code cell source" / "Hide …") as ``<p>`` inside
``<summary>``, which allows only phrasing content, so the Nu HTML Checker reports an error for
each toggle. The same markup with ``<span>`` in place of ``<p>``; ``static/jinchang.css`` gives
the spans the rules that myst-nb's stylesheet gives the paragraphs. Their words are the edition's
(labels: ``toggles``): myst-nb is given the bare type of what a toggle hides ("{type}" becomes
"source"), which the toggle writes in words.
"""

from __future__ import annotations

from html import escape

from myst_nb.sphinx_ import HideCodeCellNode, depart_HideCellInput
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util.docutils import SphinxTranslator

from ..labels import labels
from .edition import current


def visit_toggle(self: SphinxTranslator, node: HideCodeCellNode) -> None:
    words = labels("toggles", current(self.builder.app).code)
    show, hide = (words(key, type=words["types"][node[f"prompt_{key}"]]) for key in ("show", "hide"))
    self.body.append(f'<details class="admonition hide {" ".join(node["classes"])}">\n'
                     f'<summary aria-label="{escape(words["toggle"])}">\n'
                     f'<span class="collapsed admonition-title">{escape(show)}</span>\n'
                     f'<span class="expanded admonition-title">{escape(hide)}</span>\n'
                     "</summary>\n")


def bare_prompts(app: Sphinx, config: Config) -> None:
    config.nb_code_prompt_show = config.nb_code_prompt_hide = "{type}"


def setup(app: Sphinx) -> None:
    app.connect("config-inited", bare_prompts)
    app.add_node(HideCodeCellNode, override=True, html=(visit_toggle, depart_HideCellInput))
