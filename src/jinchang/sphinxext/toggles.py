"""myst-nb's code-cell toggles as valid HTML.

myst-nb writes the two titles of a toggle ("Show code cell source" / "Hide …") as ``<p>`` inside
``<summary>``, which allows only phrasing content, so the Nu HTML Checker reports an error for
each toggle. The same markup with ``<span>`` in place of ``<p>``; ``static/jinchang.css`` gives
the spans the rules that myst-nb's stylesheet gives the paragraphs.
"""

from __future__ import annotations

from html import escape

from myst_nb.sphinx_ import HideCodeCellNode, depart_HideCellInput
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxTranslator


def visit_toggle(self: SphinxTranslator, node: HideCodeCellNode) -> None:
    self.body.append(f'<details class="admonition hide {" ".join(node["classes"])}">\n'
                     '<summary aria-label="Toggle hidden content">\n'
                     f'<span class="collapsed admonition-title">{escape(node["prompt_show"])}</span>\n'
                     f'<span class="expanded admonition-title">{escape(node["prompt_hide"])}</span>\n'
                     "</summary>\n")


def setup(app: Sphinx) -> None:
    app.add_node(HideCodeCellNode, override=True, html=(visit_toggle, depart_HideCellInput))
