"""The appendix tables rendered from data: claims, sources, corrections and units.

Each row of the Claims and Sources tables has its own anchor, which the ``{claim}`` and
``{source}`` roles link to, and a "Used in" cell filled once every page has been read.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from .. import formatting, paths
from ..data import tables
from .claims import CLAIMS_DOC, SECTION_NAMES, SOURCES_DOC, _uses, anchor, zh


def _cell(*children: nodes.Node) -> nodes.entry:
    return nodes.entry("", nodes.paragraph("", "", *children))


def _table(headers: list[str], rows: list[nodes.row], widths: list[int], *, cards: bool = False) -> nodes.container:
    """A table that scrolls inside its box when too wide; with ``cards``, on a narrow screen each
    row reads as a card instead (static/jinchang.css), its cells labelled with their headers."""
    if cards:
        for row in rows:
            for header, entry in zip(headers[1:], row.children[1:]):  # the first cell heads the card
                entry[0].insert(0, nodes.inline(header, header, classes=["card-label"]))
    group = nodes.tgroup(cols=len(headers))
    group += [nodes.colspec(colwidth=w) for w in widths]
    group += nodes.thead("", nodes.row("", *(_cell(nodes.Text(h)) for h in headers)))
    group += nodes.tbody("", *rows)
    classes = ["data-table", *(["cards"] if cards else [])]
    return nodes.container("", nodes.table("", group, classes=classes), classes=["table-scroll"])


class used_in(nodes.inline):
    """Placeholder filled with links to the pages that use a row, once every page is read."""


class ClaimsTable(SphinxDirective):
    """Every claim of the article, one row each, with an anchor ``claim-<id>``."""

    def run(self):
        rows = []
        for row in tables().claims.itertuples():
            period = f"{row.period} (inferred)" if row.period_inferred else row.period
            value = formatting.shown(row.id)
            rows.append(nodes.row(
                "",
                _cell(nodes.literal(row.id, row.id)),
                _cell(zh(row.quote, row.quote)),
                _cell(nodes.Text(row.translation)),
                _cell(nodes.Text(f"{value} · as printed: {row.numeral or '(no numeral)'}")),
                _cell(nodes.Text(f"{row.subject}: {row.indicator}. {period}. {row.kind}.")),
                _cell(nodes.Text(f"{SECTION_NAMES[row.section]} ¶{row.paragraph}")),
                _cell(nodes.Text(row.notes)),
                _cell(used_in(row_id=row.id)),
                ids=[anchor(row.id)],
            ))
        headers = ["Claim", "Quote", "Translation", "Value", "What and when", "Where", "Notes", "Used in"]
        return [_table(headers, rows, [10, 16, 18, 10, 16, 6, 18, 6], cards=True)]


class SourcesTable(SphinxDirective):
    """Every context statistic and familiar reference with its source and grade, one row each,
    anchored by its id (``ctx-NNN``, ``ref-NNN``)."""

    def run(self):
        rows = []
        for table in (tables().context, tables().references):
            for row in table.itertuples():
                is_context = row.id.startswith("ctx-")
                quote = row.quote_zh if is_context else row.quote
                where = f"{row.indicator_en}, {row.geography}, {row.period}" if is_context else row.indicator_en
                printed = f" · as printed: {row.value_as_printed} {row.unit_as_printed}" if is_context else ""
                target = " (target)" if is_context and row.target else ""
                link = nodes.reference(row.source_url, row.publisher, refuri=row.source_url)
                rows.append(nodes.row(
                    "",
                    _cell(nodes.literal(row.id, row.id)),
                    _cell(nodes.Text(where)),
                    _cell(nodes.Text(f"{formatting.shown(row.id)}{target}{printed}")),
                    _cell(zh(quote, quote) if is_context else nodes.Text(quote)),
                    _cell(link, nodes.Text(f", {row.source_date}. "),
                          zh(row.source_title, row.source_title) if is_context else nodes.Text(row.source_title)),
                    _cell(nodes.Text(row.reliability)),
                    _cell(nodes.Text(row.note)),
                    _cell(used_in(row_id=row.id)),
                    ids=[anchor(row.id)],
                ))
        headers = ["Row", "Indicator", "Value", "Quote", "Source", "Reliability", "Note", "Used in"]
        return [_table(headers, rows, [6, 16, 12, 16, 20, 6, 18, 6], cards=True)]


def fill_used_in(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    titles = app.env.titles
    for node in doctree.findall(used_in):
        pages = sorted(d for d in _uses(app.env).get(node["row_id"], ()) if d not in (CLAIMS_DOC, SOURCES_DOC))
        links = []
        for page in pages:
            uri = app.builder.get_relative_uri(docname, page)
            title = titles[page].astext() if page in titles else page
            # a class of their own: links alone in a cell need a 24 px target (WCAG 2.5.8)
            links += [nodes.reference(title, title, refuri=uri, classes=["used-in"]), nodes.Text(" ")]
        node.replace_self(links or [nodes.Text("—")])


class CorrectionsLog(SphinxDirective):
    """The corrections log (data/corrections.csv), or a sentence saying it is empty."""

    def run(self):
        log = tables().corrections
        if log.empty:
            return [nodes.paragraph("", "No corrections have been published.")]
        rows = [nodes.row("", *(_cell(nodes.Text(str(v))) for v in (r.date, r.page, r.what_changed, r.why)))
                for r in log.itertuples()]
        return [_table(["Date", "Page", "What changed", "Why"], rows, [10, 15, 40, 35])]


class UnitsTable(SphinxDirective):
    """The units of data/units.csv with their Chinese multipliers and conversion factors."""

    def run(self):
        rows = [nodes.row("", _cell(nodes.literal(u.unit, u.unit)), _cell(zh(u.chinese, u.chinese)),
                          _cell(nodes.Text(formatting.number(u.multiplier))),
                          _cell(nodes.Text(f"{formatting.number(u.factor)} {u.base_unit}")),
                          _cell(nodes.Text(u.description)))
                for u in tables().units.itertuples()]
        return [_table(["Unit", "Chinese", "Multiplier", "One unit is", "Description"], rows, [12, 10, 12, 18, 48])]


def publish_data(app: Sphinx, exception: Exception | None) -> None:
    """Put the data package (the archived article included) in the site, at data/, for download."""
    if exception is None and app.builder.format == "html":
        shutil.copytree(paths.DATA, Path(app.outdir) / "data", dirs_exist_ok=True)


def setup(app: Sphinx) -> None:
    app.add_node(used_in)
    app.add_directive("claims-table", ClaimsTable)
    app.add_directive("sources-table", SourcesTable)
    app.add_directive("corrections-log", CorrectionsLog)
    app.add_directive("units-table", UnitsTable)
    app.connect("doctree-resolved", fill_used_in)
    app.connect("build-finished", publish_data)
