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
from sphinx.transforms import SphinxTransform
from sphinx.util.docutils import SphinxDirective, SphinxRole

from .. import formatting
from ..labels import Labels
from ..data import claimed_numerals, source, tables
from ..data import text as in_edition

CLAIMS_DOC = "chapters/claims"
SOURCES_DOC = "chapters/sources"


def _labels(env) -> Labels:
    """The words around numbers, in the language of the edition being built."""
    return Labels("claims", env.config.jinchang_edition)


class zh(nodes.inline):
    """Chinese text, marked lang="zh" for screen readers, fonts and search."""


class en(nodes.inline):
    """Latin-script words in Chinese text (the Chinese edition), marked lang="en"."""


class data_ref(nodes.inline):
    """A link to a row of the Claims or Sources page (attributes: row_id, target_doc, tip_id)."""


class tooltip(nodes.inline):
    """The hover/focus text of a data_ref."""


def visit_zh(self, node):
    self.body.append(self.starttag(node, "span", "", lang="zh"))


def visit_en(self, node):
    self.body.append(self.starttag(node, "span", "", lang="en"))


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
    """Context (ctx-NNN), reference (ref-NNN) and dataset (dat-NNN) rows live on the Sources page;
    claims on the Claims page."""
    return row_id[:4] in ("ctx-", "ref-", "dat-")


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
        words, lang = _labels(env), env.config.jinchang_edition
        grade = Labels("common", lang)["grades"].get(row.get("reliability"))
        if row_id[:4] == "dat-":
            quote = in_edition(row, "title", lang)
            described = words("dataset_tip", publisher=in_edition(row, "publisher", lang), package=row.package,
                              version=row.version, licence=row.licence, grade=grade)
        elif is_source:
            quote = formatting.quote(row_id)
            described = words("source_tip", indicator=in_edition(row, "indicator_en", lang),
                              publisher=in_edition(row, "publisher", lang), grade=grade)
        else:
            quote = formatting.quote(row_id)
            described = words("claim_tip", translation=row.translation)
        node["tip_id"] = tip_id
        said = zh(quote, quote) if row_id[:4] not in ("ref-", "dat-") else nodes.inline(quote, quote)
        node += tooltip("", "", said, *([nodes.inline(described, described)] if described else []), ids=[tip_id])
    return node


class DataRole(SphinxRole):
    """``{claim}`id``` and ``{source}`ctx-NNN```: the formatted value with its quote on hover."""

    def run(self):
        row_id = self.text.strip()
        try:
            lang = self.env.config.jinchang_edition
            text = formatting.shown(row_id, lang) + formatting.grade_note(row_id, lang)
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


# Between two quotes of one paragraph, the article's own words are kept when they are this short
# and hold no claimed numeral; longer gaps become an ellipsis.
GAP = 24
ELLIPSIS = "……"


class quote_part(nodes.Element):
    """One quote of the article, before adjacent quotes of its paragraph are merged into one block
    (attributes: paragraph (a Paragraph), start, end, translation, claims)."""


def _part(paragraph, start: int, end: int, translation: str, claims: list[str]) -> quote_part:
    return quote_part(paragraph=paragraph, start=start, end=end, translation=translation, claims=claims)


class ClaimQuote(SphinxDirective):
    """``{claim-quote} id [id ...]``: the claims' quotes as a block, with translations."""

    required_arguments = 1
    final_argument_whitespace = True

    def run(self):
        out = []
        article = tables().article
        for row_id in self.arguments[0].split():
            row = source(row_id)
            paragraph = article.paragraph(row.section, row.paragraph)
            start = paragraph.start + paragraph.text.index(row.quote)
            out.append(_part(paragraph, start, start + len(row.quote), row.translation, [row_id]))
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
        if "translation" not in self.options and self.config.jinchang_edition == "en":
            raise self.error("article-quote: the :translation: option is required")
        start = article.text.index(chinese, paragraph.start)
        if claimed := _claimed(start, start + len(chinese)):
            raise self.error(f"article-quote: the passage holds the numerals {claimed} of claims; "
                             "quote them with {claim-quote} so they render from data")
        return [_part(paragraph, start, start + len(chinese), self.options.get("translation", ""), [])]


def _claimed(start: int, end: int) -> list[str]:
    """The claimed numerals of the article between offsets ``start`` and ``end``."""
    return [n.text for n in tables().article.numerals if start <= n.start < end and n.start in claimed_numerals()]


def passage(parts: list[quote_part]) -> str:
    """The quotes of one paragraph in the article's order, overlaps merged; the article's words
    between two quotes when short and free of claimed numerals, else an ellipsis."""
    text = tables().article.text
    spans: list[list[int]] = []
    for part in sorted(parts, key=lambda p: (p["start"], p["end"])):
        if spans and part["start"] <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], part["end"])
        else:
            spans.append([part["start"], part["end"]])
    out = text[spans[0][0]:spans[0][1]]
    for (_, end), (start, stop) in zip(spans, spans[1:]):
        gap = text[end:start]
        out += (gap if len(gap) <= GAP and not _claimed(end, start) else ELLIPSIS) + text[start:stop]
    return out


def quote_block(env, parts: list[quote_part]) -> nodes.block_quote:
    """One block for the quotes of one paragraph: the Chinese once, the translations, every claim."""
    parts = sorted(parts, key=lambda p: p["start"])
    paragraph = parts[0]["paragraph"]
    chinese, words = passage(parts), _labels(env)
    # Readers of the Chinese edition read the article's own words; the English edition translates.
    english = " … ".join(dict.fromkeys(p["translation"] for p in parts if p["translation"]))
    claims = list(dict.fromkeys(c for p in parts for c in p["claims"]))
    attribution: list[nodes.Node] = [nodes.Text(words("attribution", section=words["sections"][paragraph.section],
                                                      number=paragraph.number))]
    if claims:
        attribution.append(nodes.Text(words["claims" if len(claims) > 1 else "claim"]))
        for i, row_id in enumerate(claims):
            if i:
                attribution.append(nodes.Text(words["separator" if i < len(claims) - 1 else "last_separator"]))
            attribution.append(reference(env, row_id, row_id, tip=False))
    translation = [nodes.paragraph("", "", nodes.inline(english, english, classes=["translation"]))] \
        if env.config.jinchang_edition == "en" else []
    return nodes.block_quote("", nodes.paragraph("", "", zh(chinese, chinese)), *translation,
                             nodes.attribution("", "", *attribution), classes=["article-quote"])


class MergeQuotes(SphinxTransform):
    """Quotes of one paragraph that follow each other, from one directive or several, read as one block."""

    default_priority = 200

    def apply(self, **kwargs) -> None:
        merged: set[int] = set()
        for part in list(self.document.findall(quote_part)):
            if id(part) in merged:  # already in an earlier block
                continue
            group = [part]
            while isinstance(following := group[-1].next_node(descend=False, siblings=True), quote_part) \
                    and following["paragraph"] == part["paragraph"]:
                group.append(following)
            for other in group[1:]:
                merged.add(id(other))
                other.parent.remove(other)
            part.replace_self(quote_block(self.env, group))


def purge(app, env, docname):
    for pages in _uses(env).values():
        pages.discard(docname)


def merge(app, env, docnames, other):
    for row_id, pages in _uses(other).items():
        _uses(env)[row_id] |= pages


def setup(app: Sphinx) -> None:
    app.add_node(zh, html=(visit_zh, depart_span))
    app.add_node(en, html=(visit_en, depart_span))
    app.add_node(data_ref, html=(visit_data_ref, depart_data_ref))
    app.add_node(tooltip, html=(visit_tooltip, depart_span))
    app.add_role("claim", DataRole())
    app.add_role("source", DataRole())
    app.add_role("quote", QuoteRole())
    app.add_directive("claim-quote", ClaimQuote)
    app.add_directive("article-quote", ArticleQuote)
    app.add_node(quote_part)
    app.add_transform(MergeQuotes)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
