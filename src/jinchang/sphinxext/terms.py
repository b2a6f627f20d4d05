"""The ``{gloss}`` role: a Chinese term of the glossary, shown as its one English rendering.

``{gloss}`规模以上``` shows "above designated size"; hovering or focusing it shows the Chinese
and the glossary's note; it links to the term's row on the Glossary page. The rendering comes
from data/glossary.csv alone, so the prose cannot render a term two ways. The Chinese edition
shows the term itself (in the form of the glossary's ``chinese`` column where it has one, 规上 ->
规模以上), and its English rendering and the note in Chinese in the tooltip.
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxRole

from .. import glossary
from ..data import text
from ..review import SENTENCE_END
from .claims import _labels, _uses, en, tooltip, zh

GLOSSARY_DOC = "chapters/glossary"
ENDS_A_SENTENCE = re.compile(SENTENCE_END + r"\s+$")  # text before a term that opens the next one


def anchor(term_id: str) -> str:
    return f"term-{term_id}"


class term_ref(nodes.inline):
    """A link to a term's row on the Glossary page (attributes: term_id, tip_id)."""


def visit_term_ref(self, node):
    href = self.builder.get_relative_uri(self.builder.current_docname, GLOSSARY_DOC) + f"#{anchor(node['term_id'])}"
    self.body.append(f'<a class="data-ref term" href="{href}" aria-describedby="{node["tip_id"]}">')


def depart_term_ref(self, node):
    self.body.append("</a>")


class TermRole(SphinxRole):
    def run(self):
        try:
            row = glossary.entry(self.text.strip())
        except KeyError as exc:
            msg = self.inliner.reporter.error(f"gloss: {exc.args[0]}", line=self.lineno)
            return [self.inliner.problematic(self.rawtext, self.rawtext, msg)], [msg]
        _uses(self.env)[anchor(row.id)].add(self.env.docname)
        tip_id = f"tip-{anchor(row.id)}-{self.env.new_serialno('data-tip')}"
        note = text(row, "note", self.config.jinchang_edition)
        note = _labels(self.env)("term_tip", note=note) if note else ""
        if self.config.jinchang_edition == "en":
            shown, said = nodes.inline(row.english, row.english, classes=["data-value"]), zh(row.term, row.term)
        else:
            chinese = row.chinese or row.term
            shown, said = nodes.inline(chinese, chinese, classes=["data-value"]), en(row.english, row.english)
        node = term_ref("", "", shown, tooltip("", "", said, nodes.inline(note, note), ids=[tip_id]),
                        term_id=row.id, tip_id=tip_id)
        return [node], []


def capitalise_sentence_starts(app: Sphinx, doctree: nodes.document) -> None:
    """An English rendering that opens a paragraph or a sentence starts with a capital ("Standard land
    is ..."): the glossary gives each as it reads inside a sentence."""
    if app.config.jinchang_edition != "en":
        return
    for node in doctree.findall(term_ref):
        before = node.previous_sibling()
        if isinstance(node.parent, nodes.paragraph) and (before is None or ENDS_A_SENTENCE.search(before.astext())):
            shown = node[0]
            words = shown.astext()
            shown.replace(shown[0], nodes.Text(words[:1].upper() + words[1:]))


def setup(app: Sphinx) -> None:
    app.add_node(term_ref, html=(visit_term_ref, depart_term_ref))
    app.add_role("gloss", TermRole())
    app.connect("doctree-read", capitalise_sentence_starts)
