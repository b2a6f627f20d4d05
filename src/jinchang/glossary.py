"""The glossary: one English rendering for each Chinese term (data/glossary.csv).

Prose renders a term with the ``{gloss}`` role, which shows its English; ``misrendered``
finds the terms of a Chinese passage whose English rendering is missing from the English
beside it (a translation, a chart label), so a test can hold every rendering to the table.
"""

from __future__ import annotations

import re

import pandas as pd

from . import reads
from .data import Row, tables


def table() -> pd.DataFrame:
    return tables().glossary


@reads.cached
def _pattern() -> re.Pattern:
    """Every term, longest first, so that 国家级 is read as one term and not as 级."""
    terms = sorted(table().term, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, terms)))


@reads.cached
def _ids() -> dict[str, str]:
    """The id of each term's row (terms are unique: data/datapackage.json)."""
    return dict(zip(table().term, table().id))


def entry(term: str) -> Row:
    if term not in _ids():
        raise KeyError(f"no term {term!r} in data/glossary.csv")
    return tables().row("glossary", _ids()[term])


def english(term: str) -> str:
    return entry(term).english


def terms_in(chinese: str) -> list[str]:
    """The glossary terms of a Chinese text, longest match first, in order of appearance."""
    return _pattern().findall(chinese)


_QUOTES = str.maketrans("-", " ", "\"'“”‘’")


def _plain(text: str) -> str:
    """Lower case, hyphens as spaces, no quotation marks: 'new-energy batteries' renders 新能源 as
    'new energy', and '"hand-tearable" nickel' renders 手撕镍 as 'hand-tearable nickel'."""
    return " ".join(text.lower().translate(_QUOTES).split())


def misrendered(chinese: str, english_text: str) -> list[str]:
    """Terms of ``chinese`` whose English rendering does not appear in ``english_text``."""
    plain = _plain(english_text)
    return [t for t in dict.fromkeys(terms_in(chinese)) if _plain(english(t)) not in plain]


def avoided(english_text: str) -> list[tuple[str, str]]:
    """(term, phrase) for each rendering the glossary rules out that appears in ``english_text``."""
    lowered = english_text.lower()
    return [(row.term, phrase) for row in table().itertuples() for phrase in filter(None, row.avoid.split("; "))
            if re.search(rf"\b{re.escape(phrase.lower())}\b", lowered)]
