"""Validation of the data package: schema checks by frictionless, then the checks
a schema cannot express (quotes against the archived article, numerals, units).

Every failure raises one DataError naming the file, line, column and problem.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import frictionless

from .article import Article, read_article
from .errors import DataError
from .numerals import NUMERAL, value_of

TEXT_RESOURCE = "article"


def _csv_lines(path: Path) -> list[int]:
    """Physical line on which each record starts; index 0 is the header."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader, starts, line = csv.reader(handle), [], 1
        for _ in reader:
            starts.append(line)
            line = reader.line_num + 1
    return starts


def _where_in_json(path: Path, needle: str) -> tuple[int, int]:
    text = path.read_text(encoding="utf-8")
    offset = max(text.find(needle), 0)
    line = text.count("\n", 0, offset) + 1
    return line, offset - text.rfind("\n", 0, offset)


def _describe(error: frictionless.errors.Error, column: str | None) -> str:
    """A plain-language sentence for a frictionless error."""
    cell, note = getattr(error, "cell", None), error.note
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
    if error.type == "missing-label":
        return f"the header lacks the required column {column!r}"
    return error.message


def check_schema(data_dir: Path) -> frictionless.Package:
    """Validate every resource against data/datapackage.json; raise the first error."""
    descriptor = data_dir / "datapackage.json"
    try:
        package = frictionless.Package(str(descriptor))
    except frictionless.FrictionlessException as exc:
        raise DataError(descriptor, None, None, f"not a valid data package: {exc.error.note}") from None
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
        line = _csv_lines(path)[row - 1] if row else 1
        name = names[field - 1] if field and field <= len(names) else None
        raise DataError(path, line, f"{field} ({name})" if name else None, _describe(error, name))
    return package


class _Rows:
    """Rows of one CSV with the line and column of each cell, for error messages."""

    def __init__(self, path: Path):
        self.path = path
        with path.open(encoding="utf-8", newline="") as handle:
            self.rows = list(csv.DictReader(handle))
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


def validate(data_dir: Path) -> Article:
    """Check the whole package; return the archived article. Raises DataError."""
    package = check_schema(data_dir)
    article = read_article(data_dir / package.get_resource(TEXT_RESOURCE).path)
    units = {row["unit"]: row for row in _Rows(data_dir / "units.csv").rows}
    claims, exclusions = _Rows(data_dir / "claims.csv"), _Rows(data_dir / "exclusions.csv")
    for table in (claims, exclusions):
        check_quotes(table, article, units)
    for name in ("context.csv", "references.csv"):
        check_source_quotes(_Rows(data_dir / name), units)
    return article
