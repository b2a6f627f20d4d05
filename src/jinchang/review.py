"""The sentences of a page's prose, as the fidelity review (data/reviews.csv) records them.

Prose is what prose.py scans: paragraphs and list items, roles included as written. Headings,
code cells and directives are left out: quotes are checked against the archive by their
directives, and numbers in code by the tests of the code.
"""

from __future__ import annotations

import re

from .prose import _PARSER

# The end of a sentence: . ! or ? and any closing quote or bracket.
SENTENCE_END = r"[.!?][\"”’)]*"
# In the source, a sentence ends there before a space and a capital, a role, an opening quote or a bracket.
_END = re.compile(SENTENCE_END + r"(?=\s+[A-Z{\"“(\[*])")


def _split(text: str) -> list[str]:
    parts, start = [], 0
    for end in _END.finditer(text):
        parts.append(text[start:end.end()].strip())
        start = end.end()
    return [p for p in parts + [text[start:].strip()] if p]
PAGES = ("index.md", "chapters/01-clusters.md", "chapters/02-parks.md", "chapters/03-environment.md",
         "chapters/04-context.md", "chapters/05-fact-check.md")


def sentences(markdown: str) -> list[str]:
    """Each sentence of the prose, in order, with its roles and links as written."""
    found, heading = [], False
    for token in _PARSER.parse(markdown):
        if token.type == "heading_open":
            heading = True
        elif token.type == "heading_close":
            heading = False
        elif token.type == "inline" and not heading:
            text = " ".join(token.content.split())
            if text.startswith("Next:"):
                continue
            found += _split(text)
    return found


ROLE = re.compile(r"\{(claim|source|quote|gloss|glue:text)\}`([^`]+)`")


def roles(sentence: str) -> list[tuple[str, str]]:
    """(role, target) of each data role in a sentence: ('claim', 'zone-tax-2024'), ('glue:text', 'tax-years')."""
    return ROLE.findall(sentence)
