"""The appendix tables rendered from data: claims, sources, the glossary, corrections and units.

Each row of the Claims, Sources and Glossary tables has its own anchor, which the ``{claim}``,
``{source}`` and ``{gloss}`` roles link to, and a "Used in" cell filled once every page has been
read. The Sources page also lists the context rows that no page or check uses, with the reason
the data give; a used row with a reason, or an unused one without, fails the build. Headers and
the words around the data are the edition's (labels: ``tables``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from .. import factcheck, formatting, glossary, paths
from ..data import tables, text
from ..labels import Labels, labels
from .claims import CLAIMS_DOC, SOURCES_DOC, _labels, _uses, anchor, zh
from .edition import current
from .figures import sentence
from .terms import GLOSSARY_DOC
from .terms import anchor as term_anchor

logger = logging.getLogger(__name__)


def _cell(*children: nodes.Node) -> nodes.entry:
    """A cell; one with nothing to show (no element, blank text) is left empty, so its card has no label
    over nothing (``_table``)."""
    if all(isinstance(c, nodes.Text) and not c.strip() for c in children):
        return nodes.entry()
    return nodes.entry("", nodes.paragraph("", "", *children))


def _words(directive: SphinxDirective) -> Labels:
    return labels("tables", current(directive.env.app).code)


def _table(headers: list[str], rows: list[nodes.row]) -> nodes.container:
    """A table whose rows read as cards where its box is too narrow for its columns (static/jinchang.css),
    their cells labelled with their headers; an empty cell has no label, and a card leaves it out. The
    browser sizes the columns to their content (docutils' column widths reach the HTML only for tables
    that ask for them, which these do not)."""
    for row in rows:
        for header, entry in zip(headers[1:], row.children[1:]):  # the first cell heads the card
            if entry.children:
                entry[0].insert(0, nodes.inline(header, header, classes=["card-label"]))
    group = nodes.tgroup(cols=len(headers))
    group += [nodes.colspec(colwidth=1) for _ in headers]
    group += nodes.thead("", nodes.row("", *(_cell(nodes.Text(h)) for h in headers)))
    group += nodes.tbody("", *rows)
    return nodes.container("", nodes.table("", group, classes=["data-table", "cards"]), classes=["table-scroll"])


class used_in(nodes.inline):
    """Placeholder filled with links to the pages that use a row, once every page is read."""


def _terms(chinese: str, words: Labels) -> list[nodes.Node]:
    """' Terms: ' and a link to the glossary row of each term of a quote, as the glossary renders it."""
    terms = [glossary.entry(t) for t in dict.fromkeys(glossary.terms_in(chinese))]
    if not terms:
        return []
    links = [nodes.reference(t.english, "", zh(t.term, t.term), nodes.Text(f" {t.english}"),
                             refuri=f"{Path(GLOSSARY_DOC).name}.html#{term_anchor(t.id)}") for t in terms]
    return [nodes.Text(words["terms"]), *[n for link in links for n in (link, nodes.Text("; "))][:-1], nodes.Text(".")]


def _where(row, lang: str) -> str:
    """What a context row measures, where and when, in the edition's language."""
    return labels("tables", lang)("where_context", indicator=text(row, "indicator_en", lang),
                                  geography=text(row, "geography", lang), period=formatting.period(row.period, lang))


class ClaimsTable(SphinxDirective):
    """Every claim of the article, one row each, with an anchor ``claim-<id>``."""

    def run(self):
        rows, words, sections = [], _words(self), _labels(self.env)["sections"]
        lang = current(self.env.app).code
        english = lang == "en"  # the Chinese edition's readers read the quote itself, untranslated
        for row in tables().rows("claims"):  # the cells it shows only: a note edit in one language leaves the other
            period = formatting.period(row.period, lang)
            period = words("inferred", period=period) if row.period_inferred else period
            value = formatting.shown(row.id, lang)
            rows.append(nodes.row(
                "",
                _cell(nodes.literal(row.id, row.id)),
                _cell(zh(row.quote, row.quote)),
                *([_cell(nodes.Text(row.translation), *_terms(row.quote, words))] if english else []),
                _cell(nodes.Text(words("as_printed", value=value, numeral=row.numeral or words["no_numeral"]))),
                _cell(nodes.Text(words("what", subject=text(row, "subject", lang), indicator=text(row, "indicator", lang),
                                       period=period, kind=words["kinds"][row.kind]))),
                _cell(nodes.Text(words("where", section=sections[row.section], paragraph=row.paragraph))),
                _cell(nodes.Text(text(row, "notes", lang))),
                _cell(used_in(row_id=row.id)),
                ids=[anchor(row.id)],
            ))
        headers = list(words["claims"].values())
        return [_table(headers, rows)]


class SourcesTable(SphinxDirective):
    """Every context statistic and familiar reference with its source and grade, one row each,
    anchored by its id (``ctx-NNN``, ``ref-NNN``)."""

    def run(self):
        rows, words, lang = [], _words(self), current(self.env.app).code
        grades = labels("common", lang)["grades"]
        for table in ("context", "references"):
            for row in tables().rows(table):
                is_context = row.id.startswith("ctx-")
                quote = row.quote_zh if is_context else row.quote
                where = _where(row, lang) if is_context else text(row, "indicator_en", lang)
                value = formatting.shown(row.id, lang)
                if is_context:
                    value = words("target", value=value) if row.target else value
                    unit = formatting.printed_unit(row.unit_as_printed, lang)
                    value = words("as_printed", value=value, numeral=f"{row.value_as_printed} {unit}")
                publisher = text(row, "publisher", lang)
                link = nodes.reference(row.source_url, publisher, refuri=row.source_url)
                title = text(row, "source_title", lang)
                title = zh(title, title) if is_context else nodes.Text(title)
                rows.append(nodes.row(
                    "",
                    _cell(nodes.literal(row.id, row.id)),
                    _cell(nodes.Text(where)),
                    _cell(nodes.Text(value)),
                    _cell(zh(quote, quote) if is_context else nodes.Text(quote)),
                    _cell(*sentence(words, "source", publisher=link, date=formatting.period(row.source_date, lang),
                                    title=title)),
                    _cell(nodes.Text(grades[row.reliability])),
                    _cell(nodes.Text(text(row, "note", lang)),
                          *([nodes.Text(words("book_note", note=text(row, "book_note", lang)))]
                            if is_context and row.book_note else [])),
                    _cell(used_in(row_id=row.id)),
                    ids=[anchor(row.id)],
                ))
        headers = list(words["sources"].values())
        return [_table(headers, rows)]


class DatasetsTable(SphinxDirective):
    """Every outside dataset with its publisher, package, version, licence and grade, one row each,
    anchored by its id (``dat-NNN``)."""

    def run(self):
        rows, words, lang = [], _words(self), current(self.env.app).code
        grades = labels("common", lang)["grades"]
        for row in tables().rows("datasets"):
            package = f"{row.package} {row.version}"
            rows.append(nodes.row(
                "",
                _cell(nodes.literal(row.id, row.id)),
                _cell(nodes.Text(text(row, "title", lang))),
                _cell(nodes.reference(row.publisher, text(row, "publisher", lang), refuri=row.source_url)),
                _cell(nodes.reference(package, package, refuri=row.package_url),
                      nodes.Text(words("licence", licence=row.licence)), nodes.literal(row.folder, row.folder),
                      nodes.Text(", " + ", ".join(row.files.split()))),
                _cell(nodes.Text(grades[row.reliability])),
                _cell(nodes.Text(text(row, "note", lang))),
                _cell(used_in(row_id=row.id)),
                ids=[anchor(row.id)],
            ))
        return [_table(list(words["datasets"].values()), rows)]


def fill_used_in(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    titles, checked = app.env.titles, factcheck.used()  # the fact-check's table cites its rows in HTML, not roles
    for node in doctree.findall(used_in):
        uses = _uses(app.env).get(node["row_id"], set()) | ({factcheck.PAGE} if node["row_id"] in checked else set())
        pages = sorted(d for d in uses if d not in (CLAIMS_DOC, SOURCES_DOC))
        links = []
        for page in pages:
            uri = app.builder.get_relative_uri(docname, page)
            title = titles[page].astext() if page in titles else page
            # a class of their own: links alone in a cell need a 24 px target (WCAG 2.5.8)
            links += [nodes.reference(title, title, refuri=uri, classes=["used-in"]), nodes.Text(" ")]
        node.replace_self(links or [nodes.Text("—")])


def _used(env) -> set[str]:
    """Rows that a page (other than the Claims and Sources tables) or a check uses."""
    pages = {row_id for row_id, docs in _uses(env).items() if docs - {CLAIMS_DOC, SOURCES_DOC}}
    return pages | factcheck.used()


class unused_rows(nodes.General, nodes.Element):
    """Placeholder for the table of unused context rows, filled once every page is read."""


class UnusedSources(SphinxDirective):
    """The context rows that no page or check uses, each with its reason (data/context.csv, unused_reason)."""

    def run(self):
        return [unused_rows()]


def fill_unused(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    lang = current(app).code
    words = labels("tables", lang)
    for node in doctree.findall(unused_rows):
        used, rows = _used(app.env), []
        for row in tables().rows("context"):
            if row.id in used and row.unused_reason:
                logger.warning(f"data/context.csv, row {row.id}: the row is used, but its unused_reason says why "
                               "it is not; empty the cell", location=docname)
            elif row.id not in used and not row.unused_reason:
                logger.warning(f"data/context.csv, row {row.id}: no page or check uses the row; use it, or say "
                               "why not in its unused_reason cell", location=docname)
            elif row.id not in used:
                link = nodes.reference(row.id, "", nodes.literal(row.id, row.id), refid=anchor(row.id))
                rows.append(nodes.row("", _cell(link), _cell(nodes.Text(_where(row, lang))),
                                      _cell(nodes.Text(formatting.shown(row.id, lang))),
                                      _cell(nodes.Text(text(row, "unused_reason", lang)))))
        node.replace_self(_table(list(words["unused"].values()), rows))


class GlossaryTable(SphinxDirective):
    """Every Chinese term of data/glossary.csv with its one English rendering, anchored ``term-<id>``."""

    def run(self):
        words, lang = _words(self), current(self.env.app).code
        rows = [nodes.row("", _cell(zh(t.term, t.term)), _cell(nodes.Text(t.english)),
                          _cell(nodes.Text(text(t, "note", lang)), *([nodes.Text(words["chinese_edition"]), zh(t.chinese, t.chinese)]
                                                      if t.chinese else [])),
                          _cell(used_in(row_id=term_anchor(t.id))), ids=[term_anchor(t.id)])
                for t in tables().glossary.sort_values("english", key=lambda s: s.str.lower()).itertuples()]
        return [_table(list(words["glossary"].values()), rows)]


class CorrectionsLog(SphinxDirective):
    """The corrections log (data/corrections.csv), newest first, or a sentence saying it is empty."""

    def run(self):
        log, words, lang = tables().corrections, _words(self), current(self.env.app).code
        if log.empty:
            return [nodes.paragraph("", words["no_corrections"])]
        entries = []
        for number, r in reversed(list(enumerate(log.itertuples(), 1))):
            head = [nodes.strong("", words("correction", date=r.date, version=r.version, page=text(r, "page", lang)))]
            if r.item:
                head += [nodes.Text(" · "), nodes.literal(r.item, r.item)]
            entries.append(nodes.container(
                "", nodes.paragraph("", "", *head),
                nodes.definition_list("", *(nodes.definition_list_item("", nodes.term(label, label),
                                                                       nodes.definition("", nodes.paragraph(said, said)))
                                            for label, said in zip(words["was_now_why"], (text(r, c, lang) for c in ("was", "now", "why"))))),
                ids=[f"correction-{number}"], classes=["correction"]))
        return entries


class UnitsTable(SphinxDirective):
    """The units of data/units.csv with their Chinese multipliers and conversion factors."""

    def run(self):
        lang = current(self.env.app).code
        rows = [nodes.row("", _cell(nodes.literal(u.unit, u.unit)), _cell(zh(u.chinese, u.chinese)),
                          _cell(nodes.Text(formatting.number(u.multiplier))),
                          # the base unit as the id it is, like the unit's: "1 `persons`", not "1 persons"
                          _cell(nodes.Text(f"{formatting.number(u.factor)} "), nodes.literal(u.base_unit, u.base_unit)),
                          _cell(nodes.Text(text(u, "description", lang))))
                for u in tables().units.itertuples()]
        return [_table(list(_words(self)["units"].values()), rows)]


def publish_data(app: Sphinx, exception: Exception | None) -> None:
    """Put the data package (the archived article included) in the site, at data/, for download."""
    if exception is None and app.builder.format == "html":
        shutil.copytree(paths.DATA, Path(app.outdir) / "data", dirs_exist_ok=True)


def setup(app: Sphinx) -> None:
    app.add_node(used_in)
    app.add_directive("claims-table", ClaimsTable)
    app.add_directive("sources-table", SourcesTable)
    app.add_node(unused_rows)
    app.add_directive("unused-sources", UnusedSources)
    app.add_directive("glossary-table", GlossaryTable)
    app.add_directive("datasets-table", DatasetsTable)
    app.add_directive("corrections-log", CorrectionsLog)
    app.add_directive("units-table", UnitsTable)
    app.connect("doctree-resolved", fill_used_in)
    app.connect("doctree-resolved", fill_unused)
    app.connect("build-finished", publish_data)
