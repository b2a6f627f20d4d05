"""Bad input fails loudly: one message naming the file, the line, the column and the problem.

Each fixture is the project's data copied to a temporary folder with one cell broken.
"""

import csv
import os
import shutil
import subprocess
import sys

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


# --- numbers a reader must never see, dates that do not exist, in every table -------------------


@pytest.mark.parametrize("table,row_id,column,bad", [
    ("claims.csv", ROW, "value", "NaN"),
    ("claims.csv", ROW, "value", "nan"),
    ("claims.csv", ROW, "value", "-Infinity"),
    ("claims.csv", ROW, "value", "３７０７"),  # full-width digits
    ("claims.csv", ROW, "value", "٣٧٠٧"),  # Arabic-Indic digits
    ("claims.csv", ROW, "value", "3_707"),  # Python reads it as 3707
    ("claims.csv", ROW, "paragraph", "１１"),
    ("context.csv", "ctx-071", "value", "NaN"),
    ("context.csv", "ctx-071", "value", "inf"),
    ("references.csv", "ref-001", "value", "５０"),
    ("units.csv", "%", "factor", "NaN"),
    ("units.csv", "%", "multiplier", "１"),
])
def test_numbers_are_finite_and_written_in_ascii_digits_in_every_table(copy, table, row_id, column, bad):
    line, number = _edit(copy, table, row_id, column, bad)
    with pytest.raises(DataError) as caught:
        data.load(copy)
    assert str(caught.value).startswith(f"{copy / table}, line {line}, column {number} ({column}): {bad!r} is not a valid ")
    assert "ASCII digits 0-9" in str(caught.value)


def test_a_number_too_large_for_a_float_is_refused(copy):
    line, number = _edit(copy, "claims.csv", ROW, "value", "1e400")  # finite text, infinite float
    with pytest.raises(DataError, match=f"line {line}, column {number} \\(value\\): '1e400' is too large"):
        data.load(copy)


@pytest.mark.parametrize("column,bad,words", [
    ("period_end", "2025-13-01", "'2025-13-01' is not a date"),
    ("period_end", "2025-02-30", "'2025-02-30' is not a date"),
    ("period_end", "2025-00", "'2025-00' is not a date"),
    ("source_date", "2025-02-29", "'2025-02-29' is not a date"),  # not a leap year
    ("source_date", "not shown (after 2024-13-31)", "'2024-13-31' is not a date"),
    ("source_date", "２０２５-０７-２０", "the date '２０２５-０７-２０' is written with non-ASCII digits"),
    ("note", "Updated on 2025-04-31.", "'2025-04-31' is not a date"),
])
def test_every_date_written_in_a_cell_is_a_real_date(copy, column, bad, words):
    line, number = _edit(copy, "context.csv", "ctx-071", column, bad)
    with pytest.raises(DataError, match=f"context.csv, line {line}, column {number} \\({column}\\): {words}"):
        data.load(copy)


def test_an_impossible_correction_date_is_refused(copy):
    path = copy / "corrections.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "2026-02-30,1.1.0,Context,ctx-071,A slip.,Fixed.,Why.\n", encoding="utf-8")
    line = len(text.splitlines()) + 1
    with pytest.raises(DataError, match=rf"corrections.csv, line {line}, column 1 \(date\): '2026-02-30' is not a date"):
        data.load(copy)


def test_an_impossible_date_in_the_record_is_refused(copy):
    path = copy / "source" / "record.json"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"latest_likely": "2025-12-31"', '"latest_likely": "2025-12-32"'), encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if '"latest_likely"' in row)
    with pytest.raises(DataError, match=f"record.json, line {line}, column \\d+: '2025-12-32' is not a date"):
        data.load(copy)


def test_broken_json_in_the_record_is_refused_at_its_place(copy):
    path = copy / "source" / "record.json"
    path.write_text(path.read_text(encoding="utf-8").replace('"language": "zh-Hans",', '"language": "zh-Hans"', 1),
                    encoding="utf-8")
    with pytest.raises(DataError, match=r"record.json, line 5, column 3: not valid JSON"):
        data.load(copy)


def test_broken_json_in_the_data_package_is_refused_at_its_place(copy):
    path = copy / "datapackage.json"
    text = path.read_text(encoding="utf-8")
    line = text[:text.index('"version"')].count("\n") + 1
    path.write_text(text.replace('"version": ', '"version" ', 1), encoding="utf-8")
    with pytest.raises(DataError, match=rf"datapackage.json, line {line}, column \d+: not valid JSON"):
        data.load(copy)


# --- messages that name the real place ---------------------------------------------------------


def _rewrite(path, rows):
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def _rows(path):
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


@pytest.mark.parametrize("table,column", [("claims.csv", "unit"), ("claims.csv", "id"), ("claims.csv", "value"),
                                          ("exclusions.csv", "reason")])
def test_a_missing_column_is_named_not_the_column_after_it(copy, table, column):
    path = copy / table
    rows = _rows(path)
    index = rows[0].index(column)
    _rewrite(path, [r[:index] + r[index + 1:] for r in rows])
    with pytest.raises(DataError, match=f"{table}, line 1, column {index + 1} \\({column}\\): "
                                        f"the header lacks the required column '{column}'"):
        data.load(copy)


def test_an_unknown_or_misplaced_column_is_named(copy):
    path = copy / "claims.csv"
    rows = _rows(path)
    _rewrite(path, [rows[0] + ["extra"]] + [r + ["x"] for r in rows[1:]])
    with pytest.raises(DataError, match=rf"claims.csv, line 1, column {len(rows[0]) + 1}: the column 'extra' is not in the schema"):
        data.load(copy)
    swapped = [r[:2] + [r[3], r[2]] + r[4:] for r in rows]
    _rewrite(path, swapped)
    with pytest.raises(DataError, match=r"claims.csv, line 1, column 3 \(quote\): the columns are out of order"):
        data.load(copy)


def test_a_byte_that_is_not_utf8_is_reported_at_its_own_line_and_column(copy):
    path = copy / "claims.csv"
    lines = path.read_bytes().split(b"\n")
    start = lines[39].index(b",") + 1  # line 40: the start of its second cell
    lines[39] = lines[39][:start] + b"\xe9" + lines[39][start:]
    path.write_bytes(b"\n".join(lines))
    column = len(lines[39][:start].decode("utf-8")) + 1
    with pytest.raises(DataError, match=f"claims.csv, line 40, column {column}: byte 0xE9 is not UTF-8"):
        data.load(copy)


def test_a_byte_order_mark_is_named(copy):
    path = copy / "units.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    with pytest.raises(DataError, match=r"units.csv, line 1, column 1: the file starts with a byte-order mark"):
        data.load(copy)


def test_a_unit_of_the_schema_missing_from_units_csv_is_named(copy):
    units = copy / "units.csv"
    rows = _rows(units)
    _rewrite(units, [r for r in rows if r[0] != "rank"])
    claims = _rows(copy / "claims.csv")
    line = next(n for n, r in enumerate(claims, 1) if r[claims[0].index("unit")] == "rank")
    with pytest.raises(DataError, match=f"claims.csv, line {line}, column 11 \\(unit\\): 'rank' is not listed in "
                                        f"units.csv; add it there first"):
        data.load(copy)


def test_a_row_with_an_unquoted_comma_is_named(copy):
    path = copy / "exclusions.csv"
    text = path.read_text(encoding="utf-8").splitlines(keepends=True)
    text[2] = text[2].rstrip("\n") + ",stray\n"
    path.write_text("".join(text), encoding="utf-8")
    with pytest.raises(DataError, match=r"exclusions.csv, line 3: the row has more cells than the header"):
        data.load(copy)


@pytest.mark.parametrize("row_id,bad,column,words", [
    ("ctx-045", "", "period_end", "the period .* needs its end"),  # a row the Context chapter charts
    ("ctx-063", "1990", "period", "an undated fact"),
])
def test_a_context_row_has_an_end_of_period_exactly_when_it_is_dated(copy, row_id, bad, column, words):
    line, _ = _edit(copy, "context.csv", row_id, "period_end", bad)
    number = ["period", "period_end"].index(column) + 5
    with pytest.raises(DataError, match=f"context.csv, line {line}, column {number} \\({column}\\): {words}"):
        data.load(copy)


def test_the_command_prints_one_message_and_what_to_do(copy):
    line, number = _edit(copy, "claims.csv", ROW, "value", "NaN")
    done = subprocess.run([sys.executable, "-m", "jinchang", "validate"], capture_output=True, text=True,
                          env={**os.environ, "JINCHANG_ROOT": str(copy.parent)})
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.splitlines() == [
        f"error: data/claims.csv, line {line}, column {number} (value): 'NaN' is not a valid number; "
        "write it with the ASCII digits 0-9, as in 12 or 0.5",
        "  Correct the file, then check it with `jinchang validate`.",
    ]


@pytest.mark.parametrize("table,row_id,english,chinese,required", [
    ("claims.csv", "zone-tax-2020", "notes", "notes_zh", False),
    ("claims.csv", "zone-tax-2020", "subject", "subject_zh", True),
    ("context.csv", "ctx-038", "book_note", "book_note_zh", False),
    ("context.csv", "ctx-001", "unused_reason", "unused_reason_zh", False),
    ("glossary.csv", "grant", "note", "note_zh", False),
    ("corrections.csv", "2026-12-01", "why", "why_zh", True),
    ("references.csv", "ref-001", "note", "note_zh", False),
    ("units.csv", "%", "description", "description_zh", True),
])
def test_an_english_text_without_its_chinese_names_file_line_and_column(copy, table, row_id, english, chinese,
                                                                        required):
    line, number = _edit(copy, table, row_id, chinese, "")
    with pytest.raises(DataError) as caught:
        data.load(copy)
    message = str(caught.value)
    assert message.startswith(f"{copy / table}, line {line}, column {number} ({chinese}): ")
    # a required column is refused by the schema; an optional one by the pairing of the languages
    assert message.endswith("a value is required but the cell is empty" if required else
                            f"{english} is filled in but {chinese} is empty; write the Chinese that the Chinese "
                            "edition shows")


def test_a_chinese_text_without_its_english_is_refused(copy):
    line, number = _edit(copy, "claims.csv", "jinhongxiang-products", "notes_zh", "原文未说明。")
    with pytest.raises(DataError, match=rf"claims.csv, line {line}, column {number} \(notes_zh\): notes_zh is "
                                        "filled in but notes is empty"):
        data.load(copy)


def test_every_text_column_a_reader_sees_has_its_chinese_column():
    """Each text column that the tables render for readers is paired with a Chinese column in the schema."""
    shown = {"claims": ["subject", "indicator", "notes"], "context": ["geography", "publisher", "note", "book_note",
                                                                      "unused_reason", "indicator_en", "source_title"],
             "references": ["indicator_en", "source_title", "publisher", "note"], "units": ["description"],
             "glossary": ["note"], "corrections": ["page", "was", "now", "why"], "exclusions": ["reason"],
             "datasets": ["title", "publisher", "note"]}
    package = data.tables().package
    for name, columns in shown.items():
        fields = {f.name: f for f in package.get_resource(name).schema.fields}
        for column in columns:
            chinese = fields[column[:-3] + "_zh" if column.endswith("_en") else column + "_zh"]
            assert chinese.type == "string" and chinese.description, (name, column)
            assert chinese.constraints.get("required", False) == fields[column].constraints.get("required", False)


def test_data_that_passed_is_validated_again_only_once_a_byte_of_it_changes(copy, tmp_path, monkeypatch):
    from jinchang import validate as checks

    real, calls = checks.validate, []
    monkeypatch.setattr(checks, "validate", lambda folder: calls.append(folder) or real(folder))
    monkeypatch.setattr(paths, "BUILD", tmp_path / "_build")
    data.load(copy)
    assert not paths.BUILD.exists()  # no build folder (a wheel installed): nothing recorded, nothing made
    paths.BUILD.mkdir()
    article = data.load(copy).article
    assert data.load(copy).article == article  # the same bytes and code: the article read, not validated again
    assert calls == [copy, copy]
    _edit(copy, "claims.csv", ROW, "unit", "kg")
    with pytest.raises(DataError, match="not one of the allowed values"):
        data.load(copy)
    assert calls == [copy, copy, copy]


def test_an_article_section_without_an_id_is_named_with_its_line(tmp_path):
    from jinchang.article import read_article

    path = tmp_path / "article.zh.txt"
    path.write_text("导语\n\n## 集群崛起 >\n\n第一段\n\n## 新的一节 >\n\n第二段\n", encoding="utf-8")
    with pytest.raises(DataError) as raised:
        read_article(path).paragraphs
    assert (raised.value.line, raised.value.column) == (7, 1) and "新的一节" in raised.value.problem
