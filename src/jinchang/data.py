"""Validated, typed tables. The only way chapters and extensions get data.

``load()`` validates the whole package first, so bad input fails before any
table is used; the tables are then typed from the schema in datapackage.json.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import frictionless
import pandas as pd

from . import paths, reads
from .dependencies import CELL, IDS
from .article import Article
from .validate import article_of, check_coverage, validate, validated, _Rows

TABLES = ("claims", "exclusions", "units", "context", "references", "glossary", "reviews", "corrections",
          "datasets")


def _dtype(field: frictionless.Field) -> object:
    enum = field.constraints.get("enum")
    if enum:
        return pd.CategoricalDtype(enum)
    return {"integer": "Int64", "number": "float64", "boolean": "boolean"}.get(field.type, "string")


def _read(package: frictionless.Package, data_dir: Path, name: str) -> pd.DataFrame:
    schema = package.get_resource(name).schema
    dtypes = {f.name: _dtype(f) for f in schema.fields}
    raw = pd.read_csv(data_dir / package.get_resource(name).path, dtype=str, keep_default_na=False)
    frame = pd.DataFrame({
        column: (raw[column].map({"true": True, "false": False}).astype("boolean") if dtype == "boolean"
                 else raw[column].astype(dtype) if dtype == "string"  # optional text stays ""
                 else raw[column].replace("", None).astype(dtype))
        for column, dtype in dtypes.items()
    })
    return frame.set_index(schema.primary_key[0], drop=False).rename_axis(None) if schema.primary_key else frame


class Row:
    """A row of a table whose cells are noted as read one by one (``claims/<id>:value``): an edit to
    a cell re-executes only the chapters that read that cell. Its cells are read by attribute, by
    item or with ``get``; there is nothing else to it, so that no code reads a row unnoted."""

    __slots__ = ("_name", "_cells")
    __iter__ = None  # not iterable: its cells are read by name

    def __init__(self, name: str, cells: pd.Series) -> None:
        self._name, self._cells = name, cells

    def __getitem__(self, column: str) -> Any:
        if column not in self:
            raise KeyError(f"{self._name} has no column {column!r}")
        reads.note(f"{self._name}{CELL}{column}")
        return self._cells[column]

    def __getattr__(self, column: str) -> Any:
        try:
            return self[column]
        except KeyError as error:
            raise AttributeError(*error.args) from None

    def get(self, column: str, default: Any = None) -> Any:
        return self[column] if column in self else default

    def __contains__(self, column: str) -> bool:
        """Whether its table has ``column``: the schema's say, not a cell's."""
        return column in self._cells.index


@dataclass(frozen=True)
class Tables:
    article: Article
    claims: pd.DataFrame
    exclusions: pd.DataFrame
    units: pd.DataFrame
    context: pd.DataFrame
    references: pd.DataFrame
    glossary: pd.DataFrame
    reviews: pd.DataFrame
    corrections: pd.DataFrame
    datasets: pd.DataFrame
    package: frictionless.Package
    # Rows as ``row`` returns them, each taken from its table once: a row of a table with columns
    # of several types is a new Series at every ``.loc``, and pages read the same rows thousands of times.
    _rows: dict[tuple[str, str], pd.Series] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __getattribute__(self, name: str):
        if name in TABLES or name in ("article", "package"):
            reads.note(name)  # a whole table: any change to it may change what the reader computes
        return object.__getattribute__(self, name)

    def row(self, name: str, row_id: str) -> Row | None:
        """A row of a table by id, whose cells are noted as read one by one (None when there is none)."""
        table = object.__getattribute__(self, name)
        if row_id not in table.index:
            reads.note(f"{name}{IDS}")  # were it added, the answer would change
            return None
        if (name, row_id) not in self._rows:
            self._rows[name, row_id] = table.loc[row_id]
        return Row(f"{name}/{row_id}", self._rows[name, row_id])

    def rows(self, name: str) -> list[Row]:
        """Every row of a table, in order, each read cell by cell: a loop over the table that shows some
        of its columns reads those only."""
        return [self.row(name, row_id) for row_id in self.ids(name)]

    def ids(self, name: str) -> list[str]:
        """The ids of a table's rows, in order, noted as a read of them only (not of the rows)."""
        reads.note(f"{name}{IDS}")
        return list(object.__getattribute__(self, name).index)

    def base_value(self, value: float, unit: str) -> float:
        """A value in its unit converted to the unit's base (3707 '10k CNY' -> 37,070,000 CNY)."""
        return float(value) * float(self.units.loc[unit, "factor"])


def load(data_dir: Path | None = None) -> Tables:
    """Validate the data package in ``data_dir`` and return its tables. Raises DataError."""
    data_dir = Path(data_dir or paths.DATA)
    validated(data_dir)
    package = frictionless.Package(str(data_dir / "datapackage.json"))
    return Tables(article_of(package, data_dir), *(_read(package, data_dir, name) for name in TABLES), package=package)


@cache
def tables() -> Tables:
    """The project's tables, validated once per process."""
    return load()


@reads.cached
def record() -> dict:
    """The article's bibliographic record (data/source/record.json)."""
    reads.note("record")
    return json.loads((paths.DATA / "source" / "record.json").read_text(encoding="utf-8"))


def claims() -> pd.DataFrame:
    return tables().claims


def context() -> pd.DataFrame:
    return tables().context


def source(row_id: str) -> pd.Series:
    """A row of the claims, context, references or datasets table, by id (ctx-NNN, ref-NNN, dat-NNN or a claim id)."""
    name = {"ctx-": "context", "ref-": "references", "dat-": "datasets"}.get(row_id[:4], "claims")
    row = tables().row(name, row_id)
    if row is None:
        raise KeyError(f"no row {row_id!r} in data/{name}.csv")
    return row


def text(row: Any, column: str, lang: str = "en") -> str:
    """A text cell of a row in the edition's language: ``column`` in English; in Chinese ``column_zh``
    (``indicator_zh`` for ``indicator_en``). The validator holds the two languages paired."""
    return getattr(row, column if lang == "en" else f"{column.removesuffix('_en')}_{lang}")


def chinese_cells() -> list[str]:
    """Every cell of the tables' Chinese columns (``*_zh``), table by table."""
    frames = [getattr(tables(), name) for name in TABLES]
    return [cell for frame in frames for column in frame.columns if column.endswith("_zh") for cell in frame[column]]


@reads.cached
def claimed_numerals() -> frozenset[int]:
    """Offsets in the article of the numerals that are claims."""
    article = tables().article
    return frozenset(
        n.start for row in tables().rows("claims") if row.numeral
        for n in article.numerals_in(article.paragraph(row.section, row.paragraph), row.quote) if n.text == row.numeral
    )


def uncovered_numerals(data_dir: Path | None = None) -> list[str]:
    """Numerals of the article that are neither claims nor exclusions."""
    data_dir = Path(data_dir or paths.DATA)
    return check_coverage(tables().article if data_dir == paths.DATA else validate(data_dir),
                          _Rows(data_dir / "claims.csv"), _Rows(data_dir / "exclusions.csv"))
