"""The archived article: its paragraphs and every numeral in it.

Paragraphs are blank-line-separated blocks that are not headings, numbered from 1
within each section. The lead is everything before the first ``##`` heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .errors import DataError
from .numerals import NUMERAL

# Section headings as printed (with their trailing " >") and the ids used in the data.
SECTIONS = {"集群崛起": "clusters", "园区提质": "parks"}


@dataclass(frozen=True)
class Paragraph:
    section: str
    number: int
    start: int  # offset of the first character in the article text
    text: str

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass(frozen=True)
class Numeral:
    text: str
    start: int
    paragraph: Paragraph

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass(frozen=True)
class Article:
    path: Path
    text: str

    @cached_property
    def paragraphs(self) -> tuple[Paragraph, ...]:
        found, section, number = [], "lead", 0
        for block in re.finditer(r"[^\n](?:.|\n(?!\s*\n))*", self.text):
            body = block.group().strip()
            if body.startswith("## "):
                section, number = self._section(body[3:].rstrip(" >"), block.start()), 0
            elif not body.startswith("#"):
                number += 1
                found.append(Paragraph(section, number, block.start(), block.group()))
        return tuple(found)

    def _section(self, heading: str, at: int) -> str:
        if heading not in SECTIONS:
            line = self.text.count("\n", 0, at) + 1
            raise DataError(self.path, line, 1, f"the section {heading!r} has no id: add it to jinchang.article.SECTIONS")
        return SECTIONS[heading]

    def paragraph(self, section: str, number: int) -> Paragraph | None:
        return next((p for p in self.paragraphs if (p.section, p.number) == (section, number)), None)

    @cached_property
    def numerals(self) -> tuple[Numeral, ...]:
        return tuple(
            Numeral(m.group(), p.start + m.start(), p)
            for p in self.paragraphs
            for m in NUMERAL.finditer(p.text)
        )

    def numerals_in(self, paragraph: Paragraph, quote: str) -> list[Numeral]:
        """Numerals lying inside any occurrence of ``quote`` within ``paragraph``."""
        spans = [(paragraph.start + m.start(), paragraph.start + m.end())
                 for m in re.finditer(re.escape(quote), paragraph.text)]
        return [n for n in self.numerals if any(a <= n.start and n.end <= b for a, b in spans)]

    def line_of(self, offset: int) -> int:
        return self.text.count("\n", 0, offset) + 1


def read_article(path: Path) -> Article:
    return Article(Path(path), Path(path).read_text(encoding="utf-8"))
