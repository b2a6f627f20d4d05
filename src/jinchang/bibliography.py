"""references.bib, generated from the data: the article, one entry per source page and one per dataset.

Context rows that share a page share an entry, keyed by the first row's id
(``source-ctx-010``), so a chapter cites the page with ``{cite:p}`source-ctx-010```.
Each edition has its own file, its notes in its language: ``references.bib`` and
``zh/references.bib``. ``jinchang bib`` rewrites them; a test checks that they are up to date.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from . import formatting, paths
from .data import record, tables, text
from .editions import EDITIONS, Edition
from .labels import labels

ARTICLE_KEY = "article"

# pybtex reads fields (not urls) as LaTeX: "%" would cut the rest of a title off as a comment, "~" would
# become a no-break space and a backslash start a command. (citation._latex escapes for LaTeX itself,
# which pybtex renders wrongly.)
_LATEX = {"\\": r"\textbackslash{}", "%": r"\%", "~": r"\textasciitilde{}"}


def _field(name: str, value: str, literal: bool = False) -> str:
    """One BibTeX field; braces in data become parentheses, ``literal`` keeps a name from being split."""
    value = value.replace("{", "(").replace("}", ")")
    if name != "url":
        value = "".join(_LATEX.get(c, c) for c in value)
    return f"  {name} = {{{{{value}}}}}," if literal else f"  {name} = {{{value}}},"


def key_for(row_id: str) -> str:
    """The BibTeX key of the page a context or reference row was read from."""
    return _keys()[row_id]


def _pages() -> list[pd.DataFrame]:
    rows = pd.concat([tables().context, tables().references], ignore_index=True)
    return [group for _, group in rows.groupby("source_url", sort=False)]


def _keys() -> dict[str, str]:
    pages = {row_id: f"source-{group.id.iloc[0]}" for group in _pages() for row_id in group.id}
    return {**pages, **{row_id: f"source-{row_id}" for row_id in tables().datasets.id}}


def bibtex(lang: str = "en") -> str:
    rec, words = record(), labels("bibliography", lang)
    grades = labels("common", lang)["grades"]
    not_stated = words["separator"].join(words["not_stated"][part] for part in ("outlet", "date") if not rec[part]["stated_in_text"])
    entries = ["\n".join([
        f"@misc{{{ARTICLE_KEY},",
        _field("author", " and ".join(rec["authors"])),
        _field("title", f"{rec['title']} {rec['subtitle']}", literal=True),
        _field("year", words["no_date"]),  # the article states no date
        _field("note", words("article", not_stated=not_stated, path="data/source/article.zh.txt")),
        "}",
    ])]
    for group in _pages():
        first = group.iloc[0]
        year = re.match(r"\d{4}", first.source_date)
        ids = ", ".join(group.id)
        entries.append("\n".join([
            f"@misc{{source-{first.id},",
            _field("author", text(first, "publisher", lang), literal=True),
            _field("title", text(first, "source_title", lang), literal=True),  # braces keep the case and the CJK spacing
            _field("year", year.group() if year else words["no_date"]),
            _field("url", first.source_url),
            _field("note", words("source", reliability=grades[first.reliability],
                                          date=formatting.period(first.source_date, lang), ids=ids)),
            "}",
        ]))
    for row in tables().datasets.itertuples():
        entries.append("\n".join([
            f"@misc{{{key_for(row.id)},",
            _field("author", text(row, "publisher", lang), literal=True),
            _field("title", text(row, "title", lang), literal=True),
            _field("year", words["no_date"]),  # the package does not date the layer
            _field("howpublished", words("dataset", package=row.package, version=row.version, licence=row.licence)),
            _field("url", row.package_url),
            _field("note", words("dataset_note", reliability=grades[row.reliability], url=row.source_url, ids=row.id)),
            "}",
        ]))
    return "\n\n".join(entries) + "\n"


def path(edition: Edition) -> Path:
    return edition.source / "references.bib"


def write() -> str:
    """Rewrite every edition's references.bib; the paths written, for the command line."""
    for edition in EDITIONS:
        path(edition).write_text(bibtex(edition.code), encoding="utf-8")
    return ", ".join(paths.relative(path(edition)) for edition in EDITIONS)
