"""Bare numbers in chapter prose: numbers typed by hand instead of rendered from data.

Prose is every piece of text a reader sees that is written in the Markdown source: headings,
paragraphs, lists, tables, link and image text, raw HTML (its text and its alt, title and
aria-label attributes), directive titles, bodies and options, the content of roles such as
``{abbr}``, ``{sub}`` and ``{math}``, and substitutions defined in the front matter. Not prose:
roles that render data or a target (``{claim}``, ``{gloss}``, ``{glue:text}``, ``{ref}`` without a title),
inline code, code cells and comments. A digit is any decimal digit (Arabic-Indic, full-width and
the rest, not only 0-9), and Chinese numerals count inside Chinese text. The exceptions are
listed here and only here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser

import yaml
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser

from .numerals import NUMERAL

# Years (1900-2099) and the names below may appear in prose; nothing else with a digit may.
YEAR = re.compile(r"(?<![\d.,])(19|20)[0-9][0-9](?!\d|[.,]\d|%)")
ALLOWED = re.compile(
    r"“?2\+4”?"  # the name of the '2+4' industrial system
    r"|1\+N"  # the name of the '1+N' service mechanism
    r"|\b5G\b"  # a network technology in a photo caption
    r"|\bH1\b"  # first half of a year, as in 'H1 2025'
    r"|\bWCAG 2\.2\b"  # the accessibility standard
    r"|\bGB/T 7714\b"  # the Chinese national standard for references
)
# Dates in Chinese: a year, with its month and day (2023年11月, 2025年7月24日), as English names them.
CHINESE_DATE = re.compile(r"(?<![\d.,])(?:19|20)[0-9]{2}年(?:(?:1[0-2]|[1-9])月(?:(?:3[01]|[12][0-9]|[1-9])日)?)?")
# Chinese words whose numeral characters count nothing: 统一 (unified), 进一步 (further), 之一
# (one of), 下一 (next), 十分 (very), 百分点 (percentage point), 万元 (the unit) ...
CHINESE_WORDS = re.compile(
    "统一|一致|一般|一样|一起|一些|一直|一定|一并|一旦|一体|一贯|一律|一切|一系列|一站式|一览|逐一|唯一|同一|单一"
    "|专一|之一|进一步|下一|另一|万一|千万|十分|百分点|百分比|万元|亿元|万吨|万千瓦|万人")
# Directives whose body is code or data, not prose (their argument is not prose either).
CODE_DIRECTIVES = {"code-cell", "code-block", "code", "sourcecode", "raw", "glue", "glue:figure", "glue:any",
                   "glue:text", "glue:math", "glue:md", "bibliography", "toctree", "tableofcontents", "eval-rst"}
# Directives whose argument is a name, a path or row ids; for the others it is a title readers see.
NAME_ARGUMENT = {"figure", "image", "include", "literalinclude", "claim-quote", "only"}
# Directives whose body is a verbatim passage of the article, checked by the directive itself
# (which refuses passages holding a claim's numeral); only their options are prose.
VERBATIM_DIRECTIVES = {"article-quote"}
# Options that hold names, sizes or switches, not prose.
NAME_OPTION = re.compile(r"^:(label|name|class|tags|filter|width|height|scale|align|figwidth|figclass|widths|"
                         r"header-rows|stub-columns|linenos|lineno-start|emphasize-lines|number-lines|"
                         r"target|selected|sync|key):.*$", re.M)
# Roles whose content is a row id, a key or a target: what they show comes from data or the target.
DATA_ROLES = re.compile(r"claim|source|quote|gloss|glue(:.*)?|cite(:.*)?|footcite(:.*)?|code")
# Roles whose content is a target, optionally after a title readers see: {ref}`Title <target>`.
REFERENCE_ROLES = re.compile(r"ref|numref|doc|eq|download|term|any|external(:.*)?|prf:ref")
# Attributes of raw HTML whose values readers see (or hear).
SEEN_ATTRIBUTES = {"alt", "title", "aria-label", "aria-description", "placeholder", "label", "value"}


@dataclass(frozen=True)
class BareNumber:
    line: int  # 1-based, in the Markdown source
    column: int  # 1-based
    text: str
    context: str

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}: bare number {self.text!r} in {self.context!r}"


_PARSER = create_md_parser(MdParserConfig(enable_extensions={"colon_fence", "substitution"}), RendererHTML)
# Digits of any script (\d is Unicode), number forms such as Roman numerals and fractions, circled digits.
_DIGIT = r"[\d\u2150-\u218B\u2460-\u249B\u24EA-\u24FF\u2776-\u2793\u3220-\u3229\u3280-\u3289]"
_DIGITS = re.compile(rf"{_DIGIT}+(?:[.,٫٬]{_DIGIT}+)*[%٪％]?")


def _numbers(text: str) -> list[str]:
    """Digits, and Chinese numerals inside Chinese text, that are neither years nor allowed names."""
    masked = text
    for allowed in (CHINESE_DATE, CHINESE_WORDS, YEAR, ALLOWED):
        masked = allowed.sub(lambda m: " " * len(m.group()), masked)
    found = _DIGITS.findall(masked)
    found += [n for n in NUMERAL.findall(masked) if not n[0].isdigit()]
    return found


class _SeenText(HTMLParser):
    """The text of raw HTML that a reader sees: character data outside script and style, and the
    values of attributes shown or read out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.seen: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hidden += tag in ("script", "style", "template")
        self.seen += [value for name, value in attrs if name in SEEN_ATTRIBUTES and value]

    def handle_endtag(self, tag: str) -> None:
        self.hidden -= tag in ("script", "style", "template") and self.hidden > 0

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.seen.append(data)


def _html(html: str) -> list[str]:
    parser = _SeenText()
    parser.feed(html)
    parser.close()
    return parser.seen


def _role(name: str, content: str) -> list[str]:
    if DATA_ROLES.fullmatch(name):
        return []
    if REFERENCE_ROLES.fullmatch(name):
        titled = re.fullmatch(r"(.*?)\s*<[^<>]*>", content, re.S)
        return [titled.group(1)] if titled else []
    return [content]


def _inline(children: list[Token]) -> Iterator[str]:
    """Text readers see in an inline run."""
    for child in children:
        if child.type in ("text", "math_inline", "math_single", "dollarmath"):
            yield child.content
        elif child.type == "image":
            yield child.content  # the alt text
            yield child.attrs.get("title", "")
        elif child.type == "link_open":
            yield str(child.attrs.get("title", ""))
        elif child.type == "myst_role":
            yield from _role(child.meta.get("name", ""), child.content)
        elif child.type == "html_inline":
            yield from _html(child.content)


def _substitutions(front_matter: str) -> list[str]:
    try:
        matter = yaml.safe_load(front_matter) or {}
    except yaml.YAMLError:
        return []
    values = (matter.get("myst") or {}).get("substitutions") or matter.get("substitutions") or {}
    return [str(v) for v in values.values()] if isinstance(values, dict) else []


def bare_numbers(markdown: str, first_line: int = 1) -> list[BareNumber]:
    lines = markdown.splitlines()
    found: list[BareNumber] = []

    def locate(numbers: list[tuple[str, str]], start: int, stop: int) -> None:
        """Place each (number, context) in source lines start..stop, in order, each after the last."""
        region, cursor = "\n".join(lines[start:stop]), 0
        for number, context in numbers:
            at = region.find(number, cursor)
            at = at if at >= 0 else max(region.find(number), 0)
            cursor = at + len(number)
            row, column = start + region.count("\n", 0, at), at - region.rfind("\n", 0, at)
            found.append(BareNumber(first_line + row, column, number, " ".join(context.split())[:80]))

    def report(texts, start: int, stop: int) -> None:
        locate([(number, text) for text in texts for number in _numbers(text)], start, stop)

    for token in _PARSER.parse(markdown):
        start, stop = token.map or (0, 1)
        if token.type == "front_matter":  # substitutions: Markdown of their own, shown where they are used
            locate([(n.text, n.context) for value in _substitutions(token.content) for n in bare_numbers(value)],
                   start, stop)
        elif token.type in ("fence", "colon_fence"):
            info = token.info.strip()
            if not info.startswith("{"):
                continue  # a code block
            name, _, argument = info[1:].partition("}")
            if name in CODE_DIRECTIVES:
                continue
            if name not in NAME_ARGUMENT:
                report([argument], start, start + 1)
            body = NAME_OPTION.sub("", token.content)
            if name in VERBATIM_DIRECTIVES:  # keep the option lines, blank the passage, keep line numbers
                body = "\n".join(line if line.startswith(":") else "" for line in body.split("\n"))
            found += bare_numbers(body, first_line + start + 1)
        elif token.type == "inline":
            report(list(_inline(token.children or [])), start, stop)
        elif token.type == "html_block":
            report(_html(token.content), start, stop)
        elif token.type in ("math_block", "math_block_label", "amsmath"):
            report([token.content], start, stop)
    return found
