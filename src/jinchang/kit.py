"""The book's data for reuse, as Frictionless data packages in byte-reproducible zips.

Two packages, one way of making them:

- each figure's data (``figure_package``): the CSV published beside the chart, a
  ``datapackage.json`` with its schema, its sources and its licence, and a README with the
  citation in every format;
- the whole data folder (``data_package``): ``data/`` with its own ``datapackage.json``,
  and a README that adds the book's citation to ``data/README.md``.

Words for readers come from ``WORDS``, one entry per edition language.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path

import frictionless

from . import citation, paths
from .archive import files_under
from .data import source

DATA_ZIP = "jinchang-data.zip"  # the whole data package, in the site's downloads/ folder
DATA_FOLDER = "jinchang-data"  # the folder the zip unpacks to
# What each column of a figure's CSV holds: the same names mean the same in every figure.
COLUMNS = {
    "label": "What the row shows, as labelled on the chart.",
    "series": "The line or group of the chart the row belongs to.",
    "tier": "The tier of the plan the row belongs to.",
    "role": "What the place is on the map: the province, a neighbouring province, a city of the cluster.",
    "lat": "Latitude in degrees north of the point where the map writes the place's name: the point "
           "farthest inside its boundary (pole of inaccessibility), not its centre.",
    "lon": "Longitude in degrees east of that point.",
    "rated": "The year of performance the national assessment round rated, as its source dates it; empty for the article's count.",
    "year": "The year the value refers to.",
    "date": "The date the value refers to, as drawn on the chart.",
    "date_earliest": "The earliest date the value can refer to, when its date is uncertain.",
    "date_latest": "The latest date the value can refer to, when its date is uncertain.",
    "is_target": "True when the value is a target, not an outcome.",
    "event": "What happened on that date.",
    "value": "The number as printed by its source, in the unit of the unit column.",
    "unit": "The unit of value; multipliers such as 万 (10k) and 亿 (100m) are part of the unit.",
    "base_value": "The value converted to the unit's base unit (for example CNY rather than 100m CNY).",
    "base_unit": "The base unit of base_value.",
    "class_low_cny": "The lower bound of the scale class, in CNY.",
    "class_high_cny": "The upper bound of the scale class, in CNY.",
    "shown": "The value as the book shows it, in words and rounded as on the chart.",
    "period": "The period the value describes, as its source gives it.",
    "reliability": "article for the article's own claims, computed for rows computed by the book, "
                   "else the reliability grade of the context source (high, medium, low).",
    "claim_id": "The ids of the article's claims the row comes from (data/claims.csv of the book's data package), "
                "separated by spaces.",
    "context_id": "The ids of the context statistics the row comes from (data/context.csv), separated by spaces.",
    "quote": "The verbatim sentence the number comes from, quoted for criticism and review, "
             "or how the book computed it.",
}
WORDS = {
    "en": {
        "from": "From *{book}*, version {version}.",
        "files": "Files",
        "csv": "exactly the data plotted, one row per mark, with the claim and context ids and the quotes "
               "each number came from.",
        "datapackage": "the Frictionless data package: the CSV's schema, its sources and its licence. "
                       "Check it with `frictionless validate datapackage.json`.",
        "data_readme": "This is the complete data of *{book}*, version {version}: the archived article, the "
                       "claims table, the context statistics and the tables they rely on. `datapackage.json` "
                       "describes every file; check it with `frictionless validate datapackage.json`.",
        "cite": "How to cite",
        "licence": "Licence",
        "licence_text": "{what}: {name} ({url}). {article}",
        "about": "About the files",
    },
}


def _readme(heading: str, intro: list[str], files: dict[str, str], texts: dict[str, str], language: str) -> str:
    words = WORDS[language]
    what, name, _, url = citation.DATA_LICENCE
    lines = [f"# {heading}", "", *intro, ""]
    if files:
        lines += [f"## {words['files']}", "", *(f"- `{file}`: {about}" for file, about in files.items()), ""]
    lines += [f"## {words['cite']}", ""]
    for style, text in texts.items():
        lines += [f"{style}:", "", f"```{citation.FORMATS[style]}", text, "```", ""]
    lines += [f"## {words['licence']}", "",
              words["licence_text"].format(what=what, name=name, url=url, article=citation.ARTICLE_USE), ""]
    return "\n".join(lines)


def _sources(claims: list[str], context: list[str]) -> list[dict]:
    """The article (for claims), each context source page and each dataset, in the order the figure uses them."""
    found = []
    if claims:
        found.append({"title": citation.original_source()})
    for row_id in context:
        row = source(row_id)
        entry = ({"title": f"{row.title} ({row.publisher}; {row.package} {row.version}, {row.licence} licence)",
                  "path": row.package_url} if row_id.startswith("dat-")
                 else {"title": f"{row.source_title} ({row.publisher}, {row.source_date})", "path": row.source_url})
        if entry not in found:
            found.append(entry)
    return found


def _schema(csv: bytes, name: str) -> dict:
    """The CSV's schema as frictionless infers it, each field with its description from ``COLUMNS``."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, f"{name}.csv")
        path.write_bytes(csv)
        schema = frictionless.describe(str(path), type="schema").to_descriptor()
    for field in schema["fields"]:
        if field["name"] in COLUMNS:
            field["description"] = COLUMNS[field["name"]]
    return schema


def _licences() -> list[dict]:
    _, name, spdx, url = citation.DATA_LICENCE
    return [{"name": spdx, "path": url, "title": f"Creative Commons Attribution 4.0 ({name})"}]


def _json(descriptor: dict) -> bytes:
    return (json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n").encode()


def figure_package(b: citation.Book, work: citation.Work, payload: dict, page_url: str | None,
                   language: str = "en") -> dict[str, bytes]:
    """A figure's data package: file name (under a folder named after the figure) -> bytes."""
    name, csv = payload["name"], payload["csv"].encode()
    texts = citation.citations(b, work, language)
    label = citation.figure_label(work, language)
    descriptor = {
        "name": name,
        "title": f"{label}: {payload['title']}",
        "description": payload["subtitle"],
        "version": b.version,
        **({"homepage": page_url} if page_url else {}),
        "contributors": [{"title": b.author, "role": "author"}],
        "licenses": _licences(),
        "sources": _sources(payload["claims"], payload["context"]),
        "resources": [{
            "name": name, "path": f"{name}.csv", "type": "table", "format": "csv", "mediatype": "text/csv",
            "encoding": "utf-8", "bytes": len(csv), "hash": f"sha256:{hashlib.sha256(csv).hexdigest()}",
            "schema": _schema(csv, name),
        }],
    }
    words = WORDS[language]
    readme = _readme(f"{label}: {payload['title']}",
                     [words["from"].format(book=b.title, version=b.version) + (f" {page_url}" if page_url else ""),
                      "", payload["subtitle"]],
                     {f"{name}.csv": words["csv"], "datapackage.json": words["datapackage"]}, texts, language)
    return {f"{name}/{name}.csv": csv, f"{name}/datapackage.json": _json(descriptor),
            f"{name}/README.md": readme.encode()}


def data_package(b: citation.Book, language: str = "en") -> dict[str, bytes]:
    """The whole data folder, with a README that starts with the book's citation."""
    files = files_under(paths.DATA, prefix=f"{DATA_FOLDER}/")
    words = WORDS[language]
    texts = citation.citations(b, citation.whole(b), language)
    readme = _readme(b.title, [words["data_readme"].format(book=b.title, version=b.version)], {}, texts, language)
    about = files.pop(f"{DATA_FOLDER}/README.md", b"").decode()
    files[f"{DATA_FOLDER}/README.md"] = (readme + f"\n## {words['about']}\n\n"
                                         + about.split("\n", 1)[-1].lstrip("\n")).encode()
    return files
