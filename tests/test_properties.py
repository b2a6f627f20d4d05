"""Properties of the validator and of number formatting, tried on generated input (hypothesis).

A context row (it has a number, a unit, dates and free text) is copied into a small data package
with the real schema and the real units, and one cell is replaced by generated text: numbers in
every spelling Python or frictionless might accept, digits of other scripts, dates possible and
impossible. Either the validator refuses the row, with a message naming the file, line and
column, or every number of the row renders in ASCII digits with no 'nan' or 'inf', and every date
in it is one the charts can read.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import unicodedata

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from jinchang import data, formatting, paths, validate
from jinchang.errors import DataError

QUICK = settings(max_examples=60, deadline=None, database=None, derandomize=True,
                 suppress_health_check=[HealthCheck.function_scoped_fixture])
ROW = "ctx-071"
SPELLINGS = ["NaN", "nan", "-nan", "inf", "-Infinity", "1e400", "-1e999", "１２", "٤٠", "१२", "1_000", " 12", "12 ",
             "12.", ".5", "+3", "0x10", "1e5", "1,000", "12%", "", "²", "Ⅻ", "〇"]
digits = st.characters(categories=["Nd"]) | st.sampled_from("0123456789.-+eE_,% ")
numbers = (st.sampled_from(SPELLINGS) | st.floats().map(repr) | st.floats().map(str)
           | st.integers().map(str) | st.text(digits, max_size=8))
dates = (st.from_regex(r"[0-9]{4}-[0-9]{2}(-[0-9]{2})?", fullmatch=True)
         | st.from_regex(r"\d{4}-\d{2}(-\d{2})?", fullmatch=True)  # in any script's digits
         | st.builds("not shown (after {}-{:02d}-{:02d})".format, st.integers(1900, 2099), st.integers(0, 13),
                     st.integers(0, 32)))
CELLS = {"value": numbers, "period_end": dates, "source_date": dates, "note": dates | st.text(max_size=20),
         "unit": st.sampled_from(["%", "rank", "10k t", "kg", "１０k t", ""])}


@pytest.fixture(scope="module")
def package(tmp_path_factory):
    """A data package of two tables, the real units and one row of the real context table."""
    folder = tmp_path_factory.mktemp("package")
    descriptor = json.loads((paths.DATA / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] in ("units", "context")]
    (folder / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    shutil.copy(paths.DATA / "units.csv", folder)
    with (paths.DATA / "context.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return folder, next(r for r in rows if r["id"] == ROW)


def shown_plainly(text: str) -> bool:
    """No 'nan' or 'inf', and every digit an ASCII digit (units such as m² and μm are text)."""
    return not re.search(r"nan|inf", text, re.I) and all(
        c.isascii() for c in text if unicodedata.category(c) == "Nd")


def write(folder, row: dict) -> None:
    out = io.StringIO()
    writer = csv.DictWriter(out, list(row), lineterminator="\n")
    writer.writeheader()
    writer.writerow(row)
    (folder / "context.csv").write_text(out.getvalue(), encoding="utf-8")


@QUICK
@given(cells=st.fixed_dictionaries({}, optional=CELLS))
@example(cells={"value": "NaN"})
@example(cells={"value": "１２"})
@example(cells={"period_end": "2025-13-01"})
def test_a_row_is_refused_at_its_place_or_renders_in_ascii_digits(package, cells):
    folder, original = package
    row = {**original, **cells}
    write(folder, row)
    try:
        schema = validate.check_schema(folder)
    except DataError as error:
        refused = re.fullmatch(rf"{re.escape(str(folder / 'context.csv'))}, line 2, column (\d+) \((\w+)\): .+",
                               str(error), re.S)
        assert refused, str(error)
        assert list(row)[int(refused.group(1)) - 1] == refused.group(2)
        return
    typed = data._read(schema, folder, "context").iloc[0]
    shown = formatting.with_qualifier(formatting.quantity(typed.value, typed.unit), typed.qualifier)
    assert shown_plainly(shown), shown
    if typed.period_end:  # the charts read it as a year, a month or a day
        pd.Period(typed.period_end, {4: "Y", 7: "M", 10: "D"}[len(typed.period_end)])
    for text in (typed.source_date, typed.note):
        for date in re.findall(r"\d{4}-\d{2}(?:-\d{2})?", text):
            assert date.isascii() and pd.Timestamp(date)


@QUICK
@given(x=st.floats())
def test_numbers_are_shown_in_ascii_digits_or_refused(x):
    if x != x or x in (float("inf"), float("-inf")):
        with pytest.raises(ValueError):
            formatting.number(x)
        return
    for digits in (None, 0, 2):
        shown = formatting.number(x, digits)
        assert re.fullmatch(r"-?[0-9]{1,3}(,[0-9]{3})*(\.[0-9]+)?", shown), shown


@QUICK
@given(x=st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15),
       unit=st.sampled_from(sorted(data.tables().units.index)))
def test_every_unit_shows_any_finite_value_in_ascii(x, unit):
    value = float(int(x)) if unit in ("rank", "year") else x
    assert shown_plainly(formatting.quantity(value, unit))
