"""Numbers from data in prose: the ``{claim}`` and ``{source}`` roles and the quote directives.

``{claim}`zone-tax-2024``` shows the formatted value; hovering or focusing it shows the
Chinese quote and its translation; it links to the claim's row on the Claims page.
``{source}`ctx-071``` does the same for a context statistic and the Sources page.
All text from data goes through docutils Text nodes or ``html.escape``.
"""

from __future__ import annotations

from collections import defaultdict
from html import escape

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective, SphinxRole

from .. import formatting
from ..data import claimed_numerals, source, tables

CLAIMS_DOC = "chapters/claims"
SOURCES_DOC = "chapters/sources"
# A sentence that uses a weak source says so where the number is shown.
GRADE_NOTES = {"low": " (low-reliability source)", "unreliable": " (unreliable source, contradicted by better ones)"}
SECTION_NAMES = {"lead": "lead (untitled)", "clusters": "集群崛起", "parks": "园区提质"}


class zh(nodes.inline):
    """Chinese text, marked lang="zh" for screen readers, fonts and search."""


class data_ref(nodes.inline):
    """A link to a row of the Claims or Sources page (attributes: row_id, target_doc, tip_id)."""


class tooltip(nodes.inline):
    """The hover/focus text of a data_ref."""


def visit_zh(self, node):
    self.body.append(self.starttag(node, "span", "", lang="zh"))


def depart_span(self, node):
    self.body.append("</span>")


def visit_data_ref(self, node):
    href = self.builder.get_relative_uri(self.builder.current_docname, node["target_doc"]) + f"#{anchor(node['row_id'])}"
    described = f' aria-describedby="{escape(node["tip_id"])}"' if node.get("tip_id") else ""
    self.body.append(f'<a class="{" ".join(node["classes"])}" href="{escape(href)}"{described}>')


def depart_data_ref(self, node):
    self.body.append("</a>")


def visit_tooltip(self, node):
    self.body.append(f'<span class="data-tip" role="tooltip" id="{escape(node["ids"][0])}">')


def anchor(row_id: str) -> str:
    return row_id if _is_source(row_id) else f"claim-{row_id}"


def _is_source(row_id: str) -> bool:
    """Context (ctx-NNN) and reference (ref-NNN) rows live on the Sources page; claims on the Claims page."""
    return row_id[:4] in ("ctx-", "ref-")


def _uses(env) -> defaultdict[str, set[str]]:
    if not hasattr(env, "jinchang_uses"):
        env.jinchang_uses = defaultdict(set)
    return env.jinchang_uses


def reference(env, row_id: str, text: str, *, tip: bool) -> data_ref:
    """A link to ``row_id``'s row, optionally with a tooltip quoting the source."""
    row = source(row_id)
    is_source = _is_source(row_id)
    _uses(env)[row_id].add(env.docname)
    node = data_ref(
        "", "", nodes.inline(text, text, classes=["data-value"]),
        row_id=row_id, target_doc=SOURCES_DOC if is_source else CLAIMS_DOC,
        classes=["data-ref", "source" if is_source else "claim"],
    )
    if tip:
        tip_id = f"tip-{row_id}-{env.new_serialno('data-tip')}"
        quote = formatting.quote(row_id)
        english = (f" — {row.indicator_en}, {row.publisher}, reliability: {row.reliability}" if is_source
                   else f" — “{row.translation}”")
        node["tip_id"] = tip_id
        words = zh(quote, quote) if row_id[:4] != "ref-" else nodes.inline(quote, quote)
        node += tooltip("", "", words, nodes.inline(english, english), ids=[tip_id])
    return node


class DataRole(SphinxRole):
    """``{claim}`id``` and ``{source}`ctx-NNN```: the formatted value with its quote on hover."""

    def run(self):
        row_id = self.text.strip()
        try:
            text = formatting.shown(row_id) + GRADE_NOTES.get(source(row_id).get("reliability"), "")
        except KeyError as exc:
            msg = self.inliner.reporter.error(f"{self.name}: {exc.args[0]}", line=self.lineno)
            return [self.inliner.problematic(self.rawtext, self.rawtext, msg)], [msg]
        return [reference(self.env, row_id, text, tip=True)], []


class QuoteRole(SphinxRole):
    """``{quote}`id```: the claim's Chinese quote inline, marked lang="zh", linked to its row."""

    def run(self):
        row_id = self.text.strip()
        quote = formatting.quote(row_id)
        node = reference(self.env, row_id, "", tip=False)
        node.children = [zh(quote, quote, classes=["data-value"])]
        return [node], []


def _block_quote(chinese: str, english: str, attribution: list[nodes.Node]) -> nodes.block_quote:
    return nodes.block_quote(
        "", nodes.paragraph("", "", zh(chinese, chinese)),
        nodes.paragraph("", "", nodes.inline(english, english, classes=["translation"])),
        nodes.attribution("", "", *attribution),
        classes=["article-quote"],
    )


class ClaimQuote(SphinxDirective):
    """``{claim-quote} id [id ...]``: the claims' quotes as a block, with translations."""

    required_arguments = 1
    final_argument_whitespace = True

    def run(self):
        out = []
        for row_id in self.arguments[0].split():
            row = source(row_id)
            where = f"the article, {SECTION_NAMES[row.section]}, paragraph {row.paragraph} · "
            out.append(_block_quote(row.quote, row.translation,
                                    [nodes.Text(where), reference(self.env, row_id, f"claim {row_id}", tip=False)]))
        return out


class ArticleQuote(SphinxDirective):
    """A passage of the article without a claim; it must be verbatim, or the build fails."""

    has_content = True
    option_spec = {"translation": directives.unchanged_required}

    def run(self):
        chinese = "".join(line.strip() for line in self.content)
        article = tables().article
        paragraph = next((p for p in article.paragraphs if chinese in p.text), None)
        if paragraph is None:
            raise self.error(f"article-quote: not a verbatim passage of the archived article: {chinese!r}")
        if "translation" not in self.options:
            raise self.error("article-quote: the :translation: option is required")
        start = article.text.index(chinese, paragraph.start)
        claimed = [n.text for n in article.numerals
                   if start <= n.start < start + len(chinese) and n.start in claimed_numerals()]
        if claimed:
            raise self.error(f"article-quote: the passage holds the numerals {claimed} of claims; "
                             "quote them with {claim-quote} so they render from data")
        where = f"the article, {SECTION_NAMES[paragraph.section]}, paragraph {paragraph.number}"
        return [_block_quote(chinese, self.options["translation"], [nodes.Text(where)])]


def purge(app, env, docname):
    for pages in _uses(env).values():
        pages.discard(docname)


def merge(app, env, docnames, other):
    for row_id, pages in _uses(other).items():
        _uses(env)[row_id] |= pages


def setup(app: Sphinx) -> None:
    app.add_node(zh, html=(visit_zh, depart_span))
    app.add_node(data_ref, html=(visit_data_ref, depart_data_ref))
    app.add_node(tooltip, html=(visit_tooltip, depart_span))
    app.add_role("claim", DataRole())
    app.add_role("source", DataRole())
    app.add_role("quote", QuoteRole())
    app.add_directive("claim-quote", ClaimQuote)
    app.add_directive("article-quote", ArticleQuote)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
