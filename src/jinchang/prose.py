"""Bare numbers in chapter prose: numbers typed by hand instead of rendered from data.

Prose is everything a reader sees that is written in the Markdown source: headings,
paragraphs, lists, directive bodies and options. Roles (``{claim}``, ``{glue:text}``),
inline code and code cells are not prose. The exceptions are listed here and only here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it.renderer import RendererHTML
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser

from .numerals import NUMERAL

# Years (1900-2099) and the names below may appear in prose; nothing else with a digit may.
YEAR = re.compile(r"(?<![\d.,])(19|20)\d\d(?!\d|[.,]\d|%)")
ALLOWED = re.compile(
    r"“?2\+4”?"  # the name of the '2+4' industrial system
    r"|1\+N"  # the name of the '1+N' service mechanism
    r"|\b5G\b"  # a network technology in a photo caption
    r"|\bH1\b"  # first half of a year, as in 'H1 2025'
    r"|\bWCAG 2\.2\b"  # the accessibility standard
)
# Directives whose body is code or data, not prose.
CODE_DIRECTIVES = {"code-cell", "code-block", "code", "raw", "glue", "glue:figure", "bibliography"}
# Option lines that hold names, not prose.
NAME_OPTION = re.compile(r"^:(label|name|class|tags|filter):.*$", re.M)
# Directives whose body is a verbatim passage of the article, checked by the directive itself
# (which refuses passages holding a claim's numeral); only their options are prose.
VERBATIM_DIRECTIVES = {"article-quote"}


@dataclass(frozen=True)
class BareNumber:
    line: int  # 1-based, in the Markdown source
    column: int  # 1-based
    text: str
    context: str

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}: bare number {self.text!r} in {self.context!r}"


_PARSER = create_md_parser(MdParserConfig(enable_extensions={"colon_fence", "substitution"}), RendererHTML)
_DIGITS = re.compile(r"[0-9０-９]+(?:[.,][0-9０-９]+)*%?")


def _numbers(text: str) -> list[str]:
    """Digits, and Chinese numerals inside Chinese text, that are neither years nor allowed names."""
    masked = ALLOWED.sub(lambda m: " " * len(m.group()), YEAR.sub(lambda m: " " * len(m.group()), text))
    found = _DIGITS.findall(masked)
    found += [n for n in NUMERAL.findall(masked) if not n[0].isdigit()]
    return found


def bare_numbers(markdown: str, first_line: int = 1) -> list[BareNumber]:
    lines = markdown.splitlines()
    found: list[BareNumber] = []
    for token in _PARSER.parse(markdown):
        if token.type in ("fence", "colon_fence"):
            name = token.info.strip().split()[0].strip("{}") if token.info.strip() else ""
            if token.info.strip().startswith("{") and name not in CODE_DIRECTIVES:
                body = NAME_OPTION.sub("", token.content)
                if name in VERBATIM_DIRECTIVES:  # keep the option lines, blank the passage, keep line numbers
                    body = "\n".join(line if line.startswith(":") else "" for line in body.split("\n"))
                found += bare_numbers(body, first_line + token.map[0] + 1)
            continue
        if token.type != "inline":
            continue
        texts = [c.content for c in token.children or [] if c.type == "text"]
        for text in texts:
            for number in _numbers(text):
                start, stop = token.map
                row = next((i for i in range(start, stop) if number in lines[i]), start)
                column = lines[row].find(number) + 1 if number in lines[row] else 1
                found.append(BareNumber(first_line + row, column, number, text.strip()[:80]))
    return found
