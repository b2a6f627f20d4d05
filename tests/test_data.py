"""The data layer: the archive, the claims and exclusions, the context table."""

import csv
import hashlib
import json
import re

import pytest

from jinchang import data, paths
from jinchang.numerals import NUMERAL

T = data.tables()
DP = json.loads((paths.DATA / "datapackage.json").read_text(encoding="utf-8"))


def test_archive_hash_matches_the_record_and_the_package():
    digest = hashlib.sha256((paths.DATA / "source" / "article.zh.txt").read_bytes()).hexdigest()
    sums = dict(reversed(line.split("  ")) for line in (paths.DATA / "source" / "SHA256SUMS").read_text().splitlines())
    assert sums["article.zh.txt"] == digest
    hashes = {r["path"]: r["hash"] for r in DP["resources"] if "hash" in r}
    assert hashes["source/article.zh.txt"] == f"sha256:{digest}"
    for name, value in sums.items():
        assert hashlib.sha256((paths.DATA / "source" / name).read_bytes()).hexdigest() == value
        if f"source/{name}" in hashes:
            assert hashes[f"source/{name}"] == f"sha256:{value}"


def test_every_quote_is_a_verbatim_substring_of_the_archive():
    for table in (T.claims, T.exclusions):
        for quote in table.quote:
            assert quote in T.article.text, quote


def test_every_numeral_of_the_article_is_a_claim_or_an_exclusion():
    assert data.uncovered_numerals() == []
    # and the scanner does see the numerals the issue lists, Chinese ones included
    seen = {n.text for n in T.article.numerals}
    assert {"两", "七", "六", "四", "十", "6十五", "3707万", "1.11亿", "0.05"} <= seen


def test_each_numeral_is_accounted_for_exactly_once():
    assigned = [(row.section, row.paragraph, row.numeral, row.quote)
                for table in (T.claims, T.exclusions) for row in table.itertuples() if row.numeral]
    starts = []
    for section, number, numeral, quote in assigned:
        paragraph = T.article.paragraph(section, number)
        starts += [n.start for n in T.article.numerals_in(paragraph, quote) if n.text == numeral][:1]
    assert len(starts) == len(set(starts)) == len(T.article.numerals)


def test_unit_enums_are_exactly_the_units_table():
    units = set(T.units.unit)
    for resource in DP["resources"]:
        for field in resource.get("schema", {}).get("fields", []):
            if field["name"] == "unit" and resource["name"] in ("claims", "context"):
                assert set(field["constraints"]["enum"]) == units


@pytest.mark.parametrize("check", DP["x_spot_checks"], ids=lambda c: c["id"])
def test_spot_checks(check):
    row = getattr(T, check["resource"]).loc[check["id"]]
    assert row[check["field"]] == pytest.approx(check["value"])
    assert row.unit == check["unit"]
    if "base_value" in check:
        assert T.base_value(row.value, row.unit) == pytest.approx(check["base_value"])


def test_tables_are_typed():
    assert T.claims.value.dtype == "float64"
    assert T.claims.paragraph.dtype == "Int64"
    assert str(T.claims.period_inferred.dtype) == "boolean"
    assert list(T.claims.unit.cat.categories) == list(T.units.unit)


def test_source_slips_are_recorded_in_the_notes():
    rank = T.claims.loc["zone-national-rank"]
    assert rank.numeral == "6十五" and rank.value == 65 and "第六十五位" in rank.notes
    graphene = T.claims.loc["graphene-powder-project"]
    assert "墨烯粉体" in graphene.quote and "石墨烯" in graphene.notes


def test_qualifiers_follow_the_chinese_text():
    marks = {"over": "超", "nearly": "近", "reached": "达"}
    for row in T.claims.itertuples():
        if row.qualifier in marks:
            assert marks[row.qualifier] in row.quote, row.id
    # and no quote carrying 超 or 近 before its numeral is recorded as exact
    for row in T.claims.itertuples():
        if row.numeral and re.search(f"[超近]{re.escape(row.numeral)}", row.quote):
            assert row.qualifier in ("over", "nearly"), row.id


def test_context_keeps_every_source_field():
    with (paths.DATA / "source" / "context.csv").open(encoding="utf-8", newline="") as handle:
        source = {row["id"]: row for row in csv.DictReader(handle)}
    assert set(source) == set(T.context.id)
    renamed = {"value": "value_as_printed", "unit": "unit_as_printed"}
    for row in T.context.itertuples():
        for field, value in source[row.id].items():
            kept = getattr(row, renamed.get(field, field))
            assert (kept if isinstance(kept, str) else "") == value, (row.id, field)


def test_the_unreliable_row_is_marked():
    assert T.context.loc["ctx-088"].reliability == "unreliable"


def test_bibliographic_record_matches_the_text():
    record = json.loads((paths.DATA / "source" / "record.json").read_text(encoding="utf-8"))
    text = T.article.text
    assert record["title"] in text and record["subtitle"] in text
    assert " ".join(record["authors"]) in text
    for caption in record["captions"]:
        start = text.index(caption["text"])
        following = text[start + len(caption["text"]):].lstrip(" \n").split("\n")[0]
        assert (following == caption["credit"]) if caption["credit"] else following != "张俊成"
    assert record["outlet"]["stated_in_text"] is False and record["date"]["stated_in_text"] is False
    assert all(line.startswith("Inference:") for line in record["outlet"]["evidence"] + record["date"]["evidence"])


def test_numeral_scanner_reads_chinese_and_mixed_numerals():
    from jinchang.numerals import value_of
    assert NUMERAL.findall("235.7万千瓦，第6十五位，两款") == ["235.7万", "千", "6十五", "两"]
    assert value_of("6十五") == (65, 1)
    assert value_of("千亿") == (1000, 100_000_000)
    assert value_of("3707万") == (3707, 10_000)


def test_a_row_notes_each_cell_read_and_can_be_read_no_other_way():
    """What a chapter reads of a row is recorded cell by cell (an edit to a cell it did not read
    re-executes nothing): so a row must have no way to be read unrecorded."""
    from jinchang import reads

    expected = tuple(T.claims.loc["zone-tax-2020", ["value", "unit", "quote"]])
    reads.READ.clear()
    row = data.source("zone-tax-2020")
    assert (row.value, row["unit"], row.get("quote")) == expected
    assert reads.READ == {"claims/zone-tax-2020:value", "claims/zone-tax-2020:unit", "claims/zone-tax-2020:quote"}
    assert "notes" in row and "no-such-column" not in row and row.get("no-such-column", "-") == "-"
    for whole in ("to_dict", "items", "values", "loc", "index"):
        with pytest.raises(AttributeError):
            getattr(row, whole)
    with pytest.raises(TypeError):
        iter(row)
    reads.READ.clear()
    assert len(T.ids("claims")) == len(T.claims) and reads.READ == {"claims#ids", "claims"}
