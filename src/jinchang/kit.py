"""The book's data for reuse, as Frictionless data packages in byte-reproducible zips.

Two packages, one way of making them:

- each figure's data (``figure_package``): the CSV published beside the chart, a
  ``datapackage.json`` with its schema, its sources and its licence, and a README with the
  citation in every format;
- the whole data folder (``data_package``): ``data/`` with its own ``datapackage.json``,
  and a README that adds the book's citation to ``data/README.md``.

Words for readers come from the tables of labels (``kit``), in the book's language; a figure's
CSV columns are described under ``kit: columns``: the same names mean the same in every figure.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path

import frictionless

from . import citation, formatting, paths
from .archive import files_under
from .data import source, text
from .labels import labels

DATA_ZIP = "jinchang-data.zip"  # the whole data package, in the site's downloads/ folder
DATA_FOLDER = "jinchang-data"  # the folder the zip unpacks to
def _readme(heading: str, intro: list[str], files: dict[str, str], texts: dict[str, str], language: str) -> str:
    words = labels("kit", language)
    key, name, _, url = citation.DATA_LICENCE
    what = labels("citation", language)["licences"][key]
    lines = [f"# {heading}", "", *intro, ""]
    if files:
        lines += [f"## {words['files']}", "", *(f"- `{file}`: {about}" for file, about in files.items()), ""]
    lines += [f"## {words['cite']}", ""]
    for style, text in texts.items():
        lines += [f"{style}:", "", f"```{citation.FORMATS[style]}", text, "```", ""]
    lines += [f"## {words['licence']}", "",
              words("licence_text", what=what, name=name, url=url, article=citation.article_use(language)), ""]
    return "\n".join(lines)


def _sources(claims: list[str], context: list[str], language: str) -> list[dict]:
    """The article (for claims), each context source page and each dataset, in the order the figure uses them."""
    found, words = [], labels("kit", language)
    if claims:
        found.append({"title": citation.original_source(language)})
    for row_id in context:
        row = source(row_id)
        publisher = text(row, "publisher", language)
        entry = ({"title": words("dataset", title=text(row, "title", language), publisher=publisher,
                                 package=row.package, version=row.version, licence=row.licence), "path": row.package_url}
                 if row_id.startswith("dat-") else
                 {"title": words("source", title=text(row, "source_title", language), publisher=publisher,
                                 date=formatting.period(row.source_date, language)),
                  "path": row.source_url})
        if entry not in found:
            found.append(entry)
    return found


def _schema(csv: bytes, name: str, language: str) -> dict:
    """The CSV's schema as frictionless infers it, each field with its description (labels: kit.columns)."""
    columns = labels("kit", language)["columns"]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, f"{name}.csv")
        path.write_bytes(csv)
        schema = frictionless.describe(str(path), type="schema").to_descriptor()
    for field in schema["fields"]:
        if field["name"] in columns:
            field["description"] = columns[field["name"]]
    return schema


def _licences(language: str) -> list[dict]:
    _, name, spdx, url = citation.DATA_LICENCE
    return [{"name": spdx, "path": url, "title": labels("kit", language)("licence_title", name=name)}]


def _json(descriptor: dict) -> bytes:
    return (json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n").encode()


def figure_package(b: citation.Book, work: citation.Work, payload: dict, page_url: str | None) -> dict[str, bytes]:
    """A figure's data package, in the book's language: file name (under a folder named after the
    figure) -> bytes."""
    name, csv, language = payload["name"], payload["csv"].encode(), b.lang
    words, texts = labels("kit", language), citation.citations(b, work)
    title = words("title", label=citation.figure_label(work, language), title=payload["title"])
    descriptor = {
        "name": name,
        "title": title,
        "description": payload["subtitle"],
        "version": b.version,
        **({"homepage": page_url} if page_url else {}),
        "contributors": [{"title": b.author, "role": "author"}],
        "licenses": _licences(language),
        "sources": _sources(payload["claims"], payload["context"], language),
        "resources": [{
            "name": name, "path": f"{name}.csv", "type": "table", "format": "csv", "mediatype": "text/csv",
            "encoding": "utf-8", "bytes": len(csv), "hash": f"sha256:{hashlib.sha256(csv).hexdigest()}",
            "schema": _schema(csv, name, language),
        }],
    }
    readme = _readme(title, [words("from", book=b.title, version=b.version) + (f" {page_url}" if page_url else ""),
                             "", payload["subtitle"]],
                     {f"{name}.csv": words["csv"], "datapackage.json": words["datapackage"]}, texts, language)
    return {f"{name}/{name}.csv": csv, f"{name}/datapackage.json": _json(descriptor),
            f"{name}/README.md": readme.encode()}


def data_package(b: citation.Book) -> dict[str, bytes]:
    """The whole data folder, with a README in the book's language that starts with its citation."""
    files = files_under(paths.DATA, prefix=f"{DATA_FOLDER}/")
    words = labels("kit", b.lang)
    texts = citation.citations(b, citation.whole(b))
    readme = _readme(b.title, [words("data_readme", book=b.title, version=b.version)], {}, texts, b.lang)
    about = files.pop(f"{DATA_FOLDER}/README.md", b"").decode()
    files[f"{DATA_FOLDER}/README.md"] = (readme + f"\n## {words['about']}\n\n"
                                         + about.split("\n", 1)[-1].lstrip("\n")).encode()
    return files
