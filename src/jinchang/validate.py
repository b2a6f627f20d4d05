"""Validation of the data package: schema checks by frictionless, then the checks
a schema cannot express (quotes against the archived article, numerals, units).

Before frictionless, every file must be UTF-8, every header must name the schema's columns,
in every table every number must be finite and written in ASCII digits and every date
written in a cell must exist: frictionless reads 'NaN', 'inf' and '１２' as numbers, checks
dates only by pattern, and reads columns by position. Every failure raises one DataError
naming the file, line, column and problem.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
import math
import os
import re
import sys
from pathlib import Path

import frictionless

from . import paths
from .article import Article, read_article
from .errors import DataError
from .numerals import NUMERAL, value_of

TEXT_RESOURCE = "article"


# Numbers are written with ASCII digits: frictionless and Python also read "NaN", "inf",
# "1_000" and full-width or Arabic-Indic digits as numbers, which a reader must never see.
NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
INTEGER = re.compile(r"[+-]?[0-9]+")
# A date written in a cell (2025-06, 2023-04-30), in any digits; it must be a real date in ASCII digits.
DATE = re.compile(r"(?<![\w.-])(\d{4})-(\d{2})(?:-(\d{2}))?(?![\w-]|\.\d)")


def _text(path: Path) -> str:
    """The file's text; a byte that is not UTF-8 is reported at its own line and column."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line_start = raw.rfind(b"\n", 0, error.start) + 1
        column = len(raw[line_start:error.start].decode("utf-8", errors="replace")) + 1
        raise DataError(path, raw.count(b"\n", 0, error.start) + 1, column,
                        f"byte 0x{raw[error.start]:02X} is not UTF-8 (the file was saved in another encoding); "
                        "save it as UTF-8") from None


def _csv_lines(path: Path) -> list[int]:
    """Physical line on which each record starts; index 0 is the header."""
    reader, starts, line = csv.reader(io.StringIO(_text(path), newline="")), [], 1
    for _ in reader:
        starts.append(line)
        line = reader.line_num + 1
    return starts


def _where_in_json(path: Path, needle: str) -> tuple[int, int]:
    text = path.read_text(encoding="utf-8")
    offset = max(text.find(needle), 0)
    line = text.count("\n", 0, offset) + 1
    return line, offset - text.rfind("\n", 0, offset)


def date_problem(text: str) -> str | None:
    """Why a date written in ``text`` is not a date, or None when every date in it is real."""
    for match in DATE.finditer(text):
        if not match.group().isascii():
            return f"the date {match.group()!r} is written with non-ASCII digits; write it with 0-9"
        year, month, day = (int(g) if g else 1 for g in match.groups())
        try:
            datetime.date(year, month, day)
        except ValueError as error:
            return f"{match.group()!r} is not a date ({error}); write a real date as YYYY, YYYY-MM or YYYY-MM-DD"
    return None


def number_problem(cell: str, kind: str) -> str | None:
    """Why a cell of a number or integer field cannot be shown to a reader, or None."""
    if not cell:
        return None
    if not (INTEGER if kind == "integer" else NUMBER).fullmatch(cell):
        return f"{cell!r} is not a valid {kind}; write it with the ASCII digits 0-9, as in " + (
            "12" if kind == "integer" else "12 or 0.5")
    if not math.isfinite(float(cell)):
        return f"{cell!r} is too large to be a number; write it in a larger unit"
    return None


def _describe(error: frictionless.errors.Error, column: str | None, cell: str | None) -> str:
    """A plain-language sentence for a frictionless error."""
    note = error.note
    if error.type == "type-error":
        kind = re.search(r'type is "(\w+)', note)
        return f"{cell!r} is not a valid {kind.group(1) if kind else 'value'}"
    if error.type == "constraint-error":
        if "enum" in note:
            allowed = re.search(r"\[(.*)\]", note)
            return f"{cell!r} is not one of the allowed values: {allowed.group(1) if allowed else note}"
        if "required" in note:
            return "a value is required but the cell is empty"
        if "pattern" in note:
            pattern = re.search(r'is "(.*)"', note)
            return f"{cell!r} does not match the pattern {pattern.group(1) if pattern else note}"
        return f"{cell!r} breaks the {note}"
    if error.type in ("unique-error", "primary-key"):
        return f"duplicate value {cell!r} ({note})" if cell else f"duplicate key ({note})"
    if error.type == "foreign-key":
        return f"{cell!r} is not listed in {error.reference_name}.csv; add it there first"
    if error.type == "extra-cell":
        return "the row has more cells than the header (a comma in text? put the cell in double quotes)"
    if error.type == "missing-cell":
        return "the row has fewer cells than the header"
    return error.message


def _check_header(path: Path, schema: frictionless.Schema) -> None:
    """The header names the schema's columns in the schema's order, before frictionless reads by position."""
    header = next(csv.reader(io.StringIO(_text(path), newline="")), [])
    expected = [f.name for f in schema.fields]
    if header and header[0].startswith("\ufeff"):
        raise DataError(path, 1, 1, "the file starts with a byte-order mark; save it as UTF-8 without BOM")
    for number, name in enumerate(expected, 1):
        if name not in header:
            raise DataError(path, 1, f"{number} ({name})", f"the header lacks the required column {name!r}; "
                            f"the header must read: {','.join(expected)}")
    for number, label in enumerate(header, 1):
        if label not in expected:
            raise DataError(path, 1, number, f"the column {label!r} is not in the schema "
                            f"(datapackage.json); remove it or add it to the schema")
        if label != expected[number - 1]:
            raise DataError(path, 1, f"{number} ({label})", f"the columns are out of order: column {number} "
                            f"must be {expected[number - 1]!r}; the header must read: {','.join(expected)}")


def _check_cells(path: Path, schema: frictionless.Schema) -> None:
    """Every number is finite and written in ASCII digits; every date written in a cell is real.
    Runs before frictionless, which reads 'NaN', 'inf' and full-width digits as numbers."""
    rows = _Rows(path)
    kinds = {f.name: f.type for f in schema.fields}
    for i, row in enumerate(rows.rows):
        for column, cell in row.items():
            if not isinstance(cell, str):  # a row longer or shorter than the header: frictionless says so
                continue
            problem = (number_problem(cell, kinds[column]) if kinds.get(column) in ("number", "integer")
                       else date_problem(cell))
            if problem:
                raise rows.fail(i, column, problem)


def english_of(column: str, columns: list[str]) -> str | None:
    """The English column that a Chinese column ``X_zh`` translates: ``X``, or ``X_en``; None if neither."""
    if not column.endswith("_zh"):
        return None
    return next((c for c in (column[:-3], f"{column[:-3]}_en") if c in columns), None)


def check_translations(path: Path, schema: frictionless.Schema) -> None:
    """Each English text a reader sees has its Chinese for the Chinese edition, and no Chinese
    text stands without its English: ``X_zh`` is filled exactly where ``X`` (or ``X_en``) is."""
    rows = _Rows(path)
    columns = [f.name for f in schema.fields]
    pairs = [(english, chinese) for chinese in columns if (english := english_of(chinese, columns))]
    for i, row in enumerate(rows.rows):
        for english, chinese in pairs:
            if (row.get(english) or "").strip() and not (row.get(chinese) or "").strip():
                raise rows.fail(i, chinese, f"{english} is filled in but {chinese} is empty; write the Chinese "
                                            "that the Chinese edition shows")
            if (row.get(chinese) or "").strip() and not (row.get(english) or "").strip():
                raise rows.fail(i, chinese, f"{chinese} is filled in but {english} is empty; write the English "
                                            "that the English edition shows, or empty both")


def check_schema(data_dir: Path) -> frictionless.Package:
    """Validate every resource against data/datapackage.json; raise the first error."""
    descriptor = data_dir / "datapackage.json"
    _json(descriptor)  # frictionless would name no line or column
    try:
        package = frictionless.Package(str(descriptor))
    except frictionless.FrictionlessException as exc:
        raise DataError(descriptor, None, None, f"not a valid data package: {exc.error.note}") from None
    tables = [r for r in package.resources if r.schema]
    for resource in package.resources:
        _text(data_dir / resource.path)
    for resource in tables:
        _check_header(data_dir / resource.path, resource.schema)
        _check_cells(data_dir / resource.path, resource.schema)
    report = package.validate()
    for task in report.tasks:
        if task.valid:
            continue
        resource = package.get_resource(task.name)
        path = data_dir / resource.path
        error = task.errors[0]
        if error.type in ("hash-count", "byte-count"):
            line, column = _where_in_json(descriptor, str(resource.hash))
            raise DataError(
                path, None, None,
                f"the file's sha256 does not match {descriptor.name} (line {line}, column {column}): {error.note}",
            )
        names = [f.name for f in resource.schema.fields]
        row = getattr(error, "row_number", None)
        field = getattr(error, "field_number", None)
        if error.type == "foreign-key":
            field = names.index(error.field_names[0]) + 1
        line = _csv_lines(path)[row - 1] if row else 1
        name = names[field - 1] if field and field <= len(names) else None
        cell = error.cells[field - 1] if name and error.type == "foreign-key" else getattr(error, "cell", None)
        raise DataError(path, line, f"{field} ({name})" if name else None, _describe(error, name, cell))
    for resource in tables:
        check_translations(data_dir / resource.path, resource.schema)
    return package


def _json(path: Path):
    """The JSON of ``path``; a syntax error is named at its line and column."""
    try:
        return json.loads(_text(path))
    except json.JSONDecodeError as error:
        raise DataError(path, error.lineno, error.colno, f"not valid JSON: {error.msg}") from None


def check_record(path: Path) -> dict:
    """The article's bibliographic record: valid JSON, and every date in it a real date."""
    record = _json(path)

    def strings(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, (list, dict)):
            for item in value.values() if isinstance(value, dict) else value:
                yield from strings(item)

    for text in strings(record):
        if problem := date_problem(text):
            line, column = _where_in_json(path, json.dumps(text, ensure_ascii=False))
            raise DataError(path, line, column, problem)
    return record


class _Rows:
    """Rows of one CSV with the line and column of each cell, for error messages."""

    def __init__(self, path: Path):
        self.path = path
        self.rows = list(csv.DictReader(io.StringIO(_text(path), newline="")))
        self.header = list(self.rows[0]) if self.rows else []
        self.lines = _csv_lines(path)[1:]

    def fail(self, index: int, column: str, problem: str) -> DataError:
        return DataError(self.path, self.lines[index], f"{self.header.index(column) + 1} ({column})", problem)


def check_quotes(rows: _Rows, article: Article, units: dict[str, dict]) -> None:
    """Each quote lies in its paragraph, and its numeral is a numeral of the article
    inside the quote whose value and multiplier match the value and unit columns."""
    for i, row in enumerate(rows.rows):
        quote = row["quote"]
        if quote not in article.text:
            raise rows.fail(i, "quote", f"the quote is not in the archived article ({article.path.name}): {quote!r}")
        paragraph = article.paragraph(row["section"], int(row["paragraph"]))
        if paragraph is None or quote not in paragraph.text:
            where = next(f"{p.section} paragraph {p.number}" for p in article.paragraphs if quote in p.text) \
                if any(quote in p.text for p in article.paragraphs) else "no single paragraph"
            raise rows.fail(i, "paragraph", f"the quote is not in {row['section']} paragraph {row['paragraph']}; it is in {where}")
        numeral = row["numeral"]
        inside = {n.text for n in article.numerals_in(paragraph, quote)}
        if not numeral:
            if row.get("qualifier") != "superlative":
                raise rows.fail(i, "numeral", "the numeral is empty; only superlative claims may have no numeral")
            continue
        if numeral not in inside:
            found = ", ".join(sorted(inside)) or "none"
            raise rows.fail(i, "numeral", f"{numeral!r} is not a numeral of the quote (numerals found there: {found})")
        if "value" in row:
            number, multiplier = value_of(numeral)
            unit = units[row["unit"]]
            if int(unit["multiplier"]) != multiplier:
                raise rows.fail(i, "unit", f"unit {row['unit']!r} carries the multiplier {unit['multiplier']}, "
                                           f"but the numeral {numeral!r} carries {multiplier}")
            if abs(float(row["value"]) - number) > 1e-9 * max(1.0, number):
                raise rows.fail(i, "value", f"value {row['value']} does not match the numeral {numeral!r}, read as {number:g}")


_TRADITIONAL = str.maketrans("萬億兩", "万亿两")


def check_source_quotes(rows: _Rows, units: dict[str, dict]) -> None:
    """The value, with the multiplier its unit carries, is a numeral of the source's own words
    (the column named by ``value_in``, else ``quote``)."""
    for i, row in enumerate(rows.rows):
        value, multiplier = float(row["value"]), int(units[row["unit"]]["multiplier"])
        column = row.get("value_in", "quote")
        text = row[column]
        printed = [(n, *value_of(n)) for n in NUMERAL.findall(text.translate(_TRADITIONAL))]
        if not any(abs(v - value) < 1e-9 * max(1.0, value) and m == multiplier for _, v, m in printed):
            found = ", ".join(f"{n} (multiplier {m})" for n, _, m in printed) or "none"
            raise rows.fail(i, "value", f"value {row['value']} in unit {row['unit']!r} (multiplier {multiplier}) "
                                        f"is not a numeral of the {column} column, {text!r}; numerals there: {found}")


UNDATED = "—"  # the period of a fact with no date, such as a founding year given without a source date


def check_periods(rows: _Rows) -> None:
    """A context row has an end of period exactly when it has a period: charts place rows by it."""
    for i, row in enumerate(rows.rows):
        if not row["period_end"] and row["period"] != UNDATED:
            raise rows.fail(i, "period_end", f"the period {row['period']!r} needs its end, as YYYY, YYYY-MM or "
                                             f"YYYY-MM-DD (only undated facts, period {UNDATED!r}, have none)")
        if row["period_end"] and row["period"] == UNDATED:
            raise rows.fail(i, "period", f"an undated fact (period {UNDATED!r}) cannot end on {row['period_end']}; "
                                         f"give its period, or empty period_end")


def check_coverage(article: Article, claims: _Rows, exclusions: _Rows) -> list[str]:
    """Numerals of the article that are neither a claim nor an exclusion (empty when all are covered)."""
    covered: set[int] = set()
    for table in (claims, exclusions):
        for row in table.rows:
            paragraph = article.paragraph(row["section"], int(row["paragraph"]))
            covered |= {n.start for n in article.numerals_in(paragraph, row["quote"]) if n.text == row["numeral"]}
    return [
        f"{n.paragraph.section} paragraph {n.paragraph.number}, line {article.line_of(n.start)}: "
        f"{n.text!r} in {article.text[max(0, n.start - 8):n.end + 8]!r}"
        for n in article.numerals if n.start not in covered
    ]


def article_of(package: frictionless.Package, data_dir: Path) -> Article:
    """The archived article: the package's text resource."""
    return read_article(data_dir / package.get_resource(TEXT_RESOURCE).path)


def validate(data_dir: Path) -> Article:
    """Check the whole package; return the archived article. Raises DataError."""
    package = check_schema(data_dir)
    check_record(data_dir / "source" / "record.json")
    article = article_of(package, data_dir)
    units = {row["unit"]: row for row in _Rows(data_dir / "units.csv").rows}
    claims, exclusions = _Rows(data_dir / "claims.csv"), _Rows(data_dir / "exclusions.csv")
    for table in (claims, exclusions):
        check_quotes(table, article, units)
    context = _Rows(data_dir / "context.csv")
    check_periods(context)
    for table in (context, _Rows(data_dir / "references.csv")):
        check_source_quotes(table, units)
    return article


def _fingerprint(data_dir: Path) -> str:
    """What validation depends on: the data's files, the package's code, Python's and frictionless's versions."""
    digest = hashlib.sha256(repr((sys.version, frictionless.__version__)).encode())
    for folder, pattern in ((data_dir, "*"), (Path(__file__).parent, "*.py")):
        for path in sorted(p for p in folder.rglob(pattern) if p.is_file()):
            digest.update(f"{path.relative_to(folder).as_posix()}\0".encode() + path.read_bytes())
    return digest.hexdigest()


def validated(data_dir: Path) -> None:
    """``validate(data_dir)``, once for the same files and code: a build validates the data, then each
    chapter's kernel loads it. What passed is recorded in the build folder, when there is one (not
    where the book's wheel is installed). Raises DataError."""
    stamp, key = paths.BUILD / "validated.sha256", _fingerprint(data_dir)
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == key:
        return
    validate(data_dir)
    if paths.BUILD.is_dir():
        written = stamp.with_name(f"{stamp.name}.{os.getpid()}")  # whole or not at all: kernels load at once
        written.write_text(key, encoding="utf-8")
        os.replace(written, stamp)
