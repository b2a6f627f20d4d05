"""How to cite the book and each of its figures: APA 7 text, BibTeX, RIS and CSL-JSON.

The one place for citation logic: the Sphinx extension ("Cite this figure", the Figures
page, the meta tags) and the tests call these pure functions. Two conventions hold in
every format, and the Figures page explains them to readers:

- the access date is left as ``[date of access]``, for whoever cites to fill in;
- URLs are the book's published address (``html: baseurl`` in ``_config.yml``, or the
  ``JINCHANG_BASEURL`` environment variable at build time) plus a stable path and anchor.
  When no address is configured the book does not guess one: URLs start with
  ``[book URL]/``, a placeholder like the access date.

Every citation names the article the book retells as the original source, as its
record gives it: no outlet or date is stated there, and none is invented here.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import __version__, paths
from .data import record

ACCESS_DATE = "[date of access]"
BOOK_URL = "[book URL]"
BASEURL_VARIABLE = "JINCHANG_BASEURL"
# (what, licence, SPDX id or None, licence URL)
LICENCES = (
    ("Code", "MIT", "MIT", "https://opensource.org/license/mit"),
    ("Text and data written for this book", "CC BY 4.0", "CC-BY-4.0", "https://creativecommons.org/licenses/by/4.0/"),
    ("Bundled font subset", "SIL Open Font License 1.1", None, "https://openfontlicense.org/"),
)
ARTICLE_USE = ("The archived article is quoted for criticism and review; "
               "its copyright stays with its authors and publisher.")
# Format name -> Pygments language of its code block.
FORMATS = {"APA": "text", "BibTeX": "bibtex", "RIS": "text", "CSL-JSON": "json"}


@dataclass(frozen=True)
class Book:
    title: str
    author: str  # a group author: the project has no named people
    year: str  # "n.d." when the configuration gives none
    version: str
    base_url: str = ""  # "" when the published address is not known

    def url(self, path: str = "") -> str:
        """The absolute URL of ``path`` (relative to the book's root), or ``[book URL]/path``."""
        if not self.base_url:
            return f"{BOOK_URL}/{path}" if path else BOOK_URL
        return f"{self.base_url.rstrip('/')}/{path}"


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


def book(*, title: str, author: str, copyright: str, baseurl: str = "") -> Book:
    """The book as configured; ``copyright`` (e.g. "2026") gives the year."""
    year = re.search(r"\b(19|20)\d\d\b", copyright)
    return Book(title=title, author=author, year=year.group() if year else "n.d.", version=__version__,
                base_url=base_url(baseurl))


def configured_book(config: Path | None = None) -> Book:
    """The book as ``_config.yml`` describes it (outside a Sphinx build, e.g. in tests)."""
    settings = yaml.safe_load((config or paths.ROOT / "_config.yml").read_text(encoding="utf-8"))
    return book(title=settings["title"], author=settings["author"], copyright=str(settings["copyright"]),
                baseurl=(settings.get("html") or {}).get("baseurl") or "")


def figure(name: str, title: str, page: str, number: str | None) -> Work:
    """A figure: its chart ``name`` is the anchor on ``page`` (e.g. "chapters/01-clusters.html")."""
    return Work(key=f"jinchang-{name}", title=title, path=f"{page}#{name}", figure=number or "")


def whole(b: Book) -> Work:
    return Work(key="jinchang-by-the-numbers", title=b.title)


def _plain(text: str) -> str:
    return " ".join(text.split())


def _figure_label(work: Work) -> str:
    return f"Figure {work.figure}" if work.figure else "Figure"


def _not_stated(rec: dict) -> str:
    missing = [part for part in ("outlet", "date") if not rec[part]["stated_in_text"]]
    return f"{' and '.join(missing).capitalize()} not stated in the text" if missing else ""


def original_source(rec: dict | None = None) -> str:
    """The article, APA-style, with what its record does not state said as such."""
    rec = rec or record()
    date = "" if rec["date"]["stated_in_text"] else " (n.d.)."
    missing = _not_stated(rec)
    return (f"{' & '.join(rec['authors'])}.{date} {rec['title']} [{rec['title_en']}]."
            + (f" {missing}." if missing else ""))


def _what(b: Book, work: Work) -> str:
    """'Figure 1.3 in <book>, version X' or '<book>, version X'."""
    where = f"{_figure_label(work)} in {b.title}" if work.figure is not None else b.title
    return f"{where}, version {b.version}"


def _note(b: Book, work: Work, rec: dict) -> str:
    return f"{_what(b, work)}. Original source: {original_source(rec)}"


def apa(b: Book, work: Work, rec: dict | None = None) -> str:
    """APA 7: group author, year, title with a bracketed description, the book, version, retrieval."""
    title = _plain(work.title).rstrip(".")
    if work.figure is not None:
        cited = f"{title} [{_figure_label(work)}]. In {b.title} (Version {b.version})."
    else:
        cited = f"{title} (Version {b.version})."
    return (f"{b.author}. ({b.year}). {cited} Retrieved {ACCESS_DATE}, from {b.url(work.path)}. "
            f"Original source: {original_source(rec)}")


_LATEX = {"\\": r"\textbackslash{}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
          **{c: "\\" + c for c in "&%$#_{}"}}
_LATEX_SPECIAL = re.compile("[" + re.escape("".join(_LATEX)) + "]")


def _latex(text: str) -> str:
    r"""Text safe in a BibTeX field: LaTeX's special characters escaped (``%`` -> ``\%``)."""
    return _LATEX_SPECIAL.sub(lambda m: _LATEX[m.group()], _plain(text))


def bibtex(b: Book, work: Work, rec: dict | None = None) -> str:
    """A ``@misc`` entry for a figure, ``@book`` for the book; ``urldate`` is the access-date placeholder."""
    kind = "misc" if work.figure is not None else "book"
    fields = [
        ("author", f"{{{_latex(b.author)}}}"),  # double braces: a group, not a family name
        ("title", f"{{{_latex(work.title)}}}"),
        *([("howpublished", f"{_latex(_figure_label(work))} in \\emph{{{_latex(b.title)}}}")]
          if work.figure is not None else []),
        *([("year", b.year)] if b.year != "n.d." else []),
        ("version", b.version),
        ("url", b.url(work.path)),
        ("urldate", ACCESS_DATE),
        ("note", _latex(_note(b, work, rec or record()))),
    ]
    width = max(len(name) for name, _ in fields)
    body = ",\n".join(f"  {name.ljust(width)} = {{{value}}}" for name, value in fields)
    return f"@{kind}{{{work.key},\n{body},\n}}"


def ris(b: Book, work: Work, rec: dict | None = None) -> str:
    """RIS: ``TY  - FIGURE`` (or BOOK) ... ``ER  - ``; Y2 is the access date."""
    tags = [
        ("TY", "FIGURE" if work.figure is not None else "BOOK"),
        ("AU", b.author),
        ("TI", _plain(work.title)),
        *([("T2", b.title)] if work.figure is not None else []),
        *([("PY", b.year)] if b.year != "n.d." else []),
        ("ET", b.version),
        ("UR", b.url(work.path)),
        ("Y2", ACCESS_DATE),
        ("LA", "en"),
        ("N1", _note(b, work, rec or record())),
        ("ER", ""),
    ]
    return "\n".join(f"{tag}  - {value}" for tag, value in tags)


def csl_item(b: Book, work: Work, rec: dict | None = None) -> dict:
    """One CSL-JSON item (``type`` "figure" or "book"); the access date is ``{"raw": "[date of access]"}``."""
    return {
        "id": work.key,
        "type": "figure" if work.figure is not None else "book",
        "title": _plain(work.title),
        "author": [{"literal": b.author}],
        **({"issued": {"date-parts": [[int(b.year)]]}} if b.year != "n.d." else {}),
        **({"container-title": b.title} if work.figure is not None else {}),
        **({"number": work.figure} if work.figure else {}),
        "version": b.version,
        "URL": b.url(work.path),
        "accessed": {"raw": ACCESS_DATE},
        "language": "en",
        "note": _note(b, work, rec or record()),
    }


def csl_json(b: Book, work: Work, rec: dict | None = None) -> str:
    """CSL-JSON as citation managers import it: a list of one item."""
    return json.dumps([csl_item(b, work, rec)], ensure_ascii=False, indent=2)


def citations(b: Book, work: Work, rec: dict | None = None) -> dict[str, str]:
    """The four formats, keyed by the names in ``FORMATS``."""
    rec = rec or record()
    return {"APA": apa(b, work, rec), "BibTeX": bibtex(b, work, rec), "RIS": ris(b, work, rec),
            "CSL-JSON": csl_json(b, work, rec)}
