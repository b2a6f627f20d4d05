"""Bad input fails loudly: one message naming the file, the line, the column and the problem.

Each fixture is the project's data copied to a temporary folder with one cell broken.
"""

import csv
import shutil

import pytest

from jinchang import data, paths
from jinchang.errors import DataError


@pytest.fixture
def copy(tmp_path):
    shutil.copytree(paths.DATA, tmp_path / "data")
    return tmp_path / "data"


def _edit(folder, table, row_id, column, value):
    """Set one cell; return the physical line of that row (header is line 1)."""
    path = folder / table
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    header = list(rows[0])
    index = next(i for i, r in enumerate(rows) if r[header[0]] == row_id)
    rows[index][column] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return index + 2, header.index(column) + 1


ROW = "zone-tax-2020"
BREAKS = {  # column -> (bad value, words the message must contain)
    "id": ("Zone Tax!", "does not match the pattern"),
    "section": ("epilogue", "not one of the allowed values"),
    "paragraph": ("eleven", "not a valid integer"),
    "quote": ("园区税收从2020年的3707万美元", "not in the archived article"),
    "numeral": ("3707", "not a numeral of the quote"),
    "translation": ("", "a value is required"),
    "subject": ("", "a value is required"),
    "subject_type": ("planet", "not one of the allowed values"),
    "indicator": ("", "a value is required"),
    "value": ("3,707 or so", "not a valid number"),
    "unit": ("kg", "not one of the allowed values"),
    "period": ("", "a value is required"),
    "period_inferred": ("perhaps", "not a valid boolean"),
    "kind": ("guess", "not one of the allowed values"),
    "qualifier": ("roughly", "not one of the allowed values"),
}


@pytest.mark.parametrize("column", BREAKS)
def test_breaking_any_claim_field_names_file_line_and_column(copy, column):
    bad, words = BREAKS[column]
    line, number = _edit(copy, "claims.csv", ROW, column, bad)
    with pytest.raises(DataError) as caught:
        data.load(copy)
    message = str(caught.value)
    assert message.startswith(f"{copy / 'claims.csv'}, line {line}, column {number} ({column}): ")
    assert words in message


@pytest.mark.parametrize("column,bad,words", [
    ("value", "37.07", "does not match the numeral '3707万'"),
    ("unit", "CNY", "carries the multiplier 1, but the numeral '3707万' carries 10000"),
    ("paragraph", "10", "not in parks paragraph 10; it is in parks paragraph 11"),
])
def test_claims_must_agree_with_the_text(copy, column, bad, words):
    line, number = _edit(copy, "claims.csv", ROW, column, bad)
    with pytest.raises(DataError, match=f"line {line}, column {number} \\({column}\\): .*{words}"):
        data.load(copy)


def test_duplicate_id(copy):
    line, number = _edit(copy, "claims.csv", "zone-tax-2024", "id", ROW)
    with pytest.raises(DataError, match=f"claims.csv, line {line}, column {number} \\(id\\): duplicate value 'zone-tax-2020'"):
        data.load(copy)


def test_missing_required_column(copy):
    path = copy / "exclusions.csv"
    rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows([r[:-1] for r in rows])
    with pytest.raises(DataError, match=r"exclusions.csv, line 1, column 7 \(reason\): the header lacks the required column 'reason'"):
        data.load(copy)


def test_context_unit_must_match_the_multiplier_in_the_source_quote(copy):
    line, _ = _edit(copy, "context.csv", "ctx-002", "unit", "10k CNY")
    with pytest.raises(DataError, match=f"context.csv, line {line}, column 8 \\(value\\): .*multiplier 10000.*428.6亿"):
        data.load(copy)


def test_context_value_must_be_a_number(copy):
    line, number = _edit(copy, "context.csv", "ctx-071", "value", "10.2%")
    with pytest.raises(DataError, match=f"context.csv, line {line}, column {number} \\(value\\): '10.2%' is not a valid number"):
        data.load(copy)


def test_tampered_archive_fails_on_its_hash(copy):
    with (copy / "source" / "article.zh.txt").open("a", encoding="utf-8") as handle:
        handle.write("补记。")
    with pytest.raises(DataError) as caught:
        data.load(copy)
    message = str(caught.value)
    assert message.startswith(f"{copy / 'source' / 'article.zh.txt'}: the file's sha256 does not match datapackage.json (line ")
    assert "c7afc2a954469ba103723dd4c3bee64d9c04b814484d562acac2fd11b2f044bb" in message


def test_uncovered_numeral_is_reported_with_its_place(copy):
    path = copy / "exclusions.csv"
    rows = [r for r in csv.reader(path.open(encoding="utf-8", newline="")) if r[0] != "parks-label-1n"]
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    uncovered = data.uncovered_numerals(copy)
    assert len(uncovered) == 1 and uncovered[0].startswith("parks paragraph 9, line ") and "'1'" in uncovered[0]


def test_error_paths_are_relative_inside_the_project():
    error = DataError(paths.DATA / "claims.csv", 3, "4 (quote)", "broken")
    assert str(error) == "data/claims.csv, line 3, column 4 (quote): broken"
