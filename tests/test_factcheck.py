"""Context and fact-check: ratings capped by the kind of evidence, like-for-like comparisons, tolerances
from the printed numbers, results that follow the numbers, ClaimReview markup, graded and unused sources."""

from __future__ import annotations

import csv
import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path

import bibtexparser
import pandas as pd
import pytest
from bs4 import BeautifulSoup

from jinchang import RELEASED, bibliography, bounds, citation, data, factcheck, formatting, paths
from jinchang.editions import EDITIONS
from jinchang.figure import Chart

from .conftest import copy_project

FIXTURES = Path(__file__).parent / "fixtures"
# The ratings version 1.0.0 published, on its old scale; a change of rating needs a correction.
PUBLISHED = json.loads((FIXTURES / "ratings-1.0.0.json").read_text(encoding="utf-8"))


def raw(table: str, row_id: str) -> dict:
    with (paths.DATA / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        return next(r for r in csv.DictReader(handle) if r["id"] == row_id)


def by_id(lang: str = "en") -> dict[str, factcheck.Check]:
    return {c.id: c for c in factcheck.checks(lang)}


# --- the scale and the kinds ------------------------------------------------------------------------

def test_each_kind_caps_the_rating_in_code():
    ask = dict(id="x", claims=["zone-tax-2024"], summary="s", question="q", computation="c", result="r",
               tolerance="t")
    for kind in factcheck.KINDS:
        check = factcheck.Check(**ask, kind=kind, proposed="verified")
        assert check.rating == ("verified" if kind == factcheck.SOURCE_KIND else "consistent with")
        assert factcheck.Check(**ask, kind=kind, proposed="cannot be checked").rating == "cannot be checked"
    for kind in set(factcheck.KINDS) - {factcheck.TEXT_KIND}:
        with pytest.raises(ValueError, match="error in the source"):
            factcheck.Check(**ask, kind=kind, proposed="error in the source")
    with pytest.raises(ValueError, match="rating"):
        factcheck.Check(**ask, kind="necessary condition", proposed="probably fine")
    with pytest.raises(ValueError, match="kind"):
        factcheck.Check(**ask, kind="hunch", proposed="verified")
    with pytest.raises(ValueError, match="characters"):
        factcheck.Check(**{**ask, "summary": "x" * 76}, kind="necessary condition", proposed="verified")


def test_every_check_states_its_kind_and_none_rates_higher_than_its_kind_allows():
    checks = factcheck.checks()
    assert {"tax-growth", "tax-scale", "zone-count", "zone-rank", "mixed-numeral", "graphene-typo", "cells-per-day",
            "localisation", "new-energy-share", "provincial-growth", "industrial-growth", "cell-makers",
            "founding-year", "funds-growth", "export-share", "cluster-scale"} == {c.id for c in checks}
    order = factcheck.POSITIVE
    for check in checks:
        ceiling = factcheck.KINDS[check.kind].ceiling
        assert check.rating in factcheck.RATINGS
        if check.rating in order:
            assert order.index(check.rating) >= order.index(ceiling), check.id
        assert len(check.summary) <= factcheck.SUMMARY_LENGTH and check.rating not in check.summary.lower()
    # the ratings the issue disputed: no plausibility, condition or recomputation is 'verified'
    assert {c.id for c in checks if c.rating == "verified"} <= {
        c.id for c in checks if c.kind == factcheck.SOURCE_KIND}
    assert by_id()["provincial-growth"].claims[0] == "industrial-growth-rank"  # the rank is reviewed, not the 22.5%
    assert by_id()["industrial-growth"].rating == "cannot be checked"


# --- like with like, and the precision of the printed numbers -----------------------------------------

def test_ranges_come_from_the_printed_digits_and_qualifiers():
    tax = bounds.of("zone-tax-2024")  # 1.11亿: to the nearest CNY 1 million
    assert (tax.low, tax.high) == pytest.approx((110_500_000, 111_500_000))
    assert bounds.of("zone-tax-2020").step == pytest.approx(5_000)  # 3707万
    assert (bounds.of("industrial-growth-h1").low, bounds.of("industrial-growth-h1").high) == pytest.approx((22.45, 22.55))
    assert bounds.of("ctx-017").high == math.inf and bounds.of("ctx-017").low == pytest.approx(74.5)  # 75%以上
    assert bounds.of("approval-time-cut").low == -math.inf  # 近68%
    scale = bounds.of("system-major-scale")  # 千亿级
    assert (scale.low, scale.high) == pytest.approx((1e11, 1e12))


def test_tax_growth_is_judged_against_the_range_of_the_printed_endpoints():
    start = float(raw("claims", "zone-tax-2020")["value"]) * 10_000  # 万元, printed to the 万
    end = float(raw("claims", "zone-tax-2024")["value"]) * 100_000_000  # 亿元, printed to 0.01亿
    stated = float(raw("claims", "zone-tax-growth")["value"])
    highest = ((end + 500_000) / (start - 5_000)) ** (1 / 4) - 1
    lowest = ((end - 500_000) / (start + 5_000)) ** (1 / 4) - 1
    check = by_id()["tax-growth"]
    assert check.kind == "recomputation from the article's own numbers"
    assert f"{lowest * 100:.1f}%" in check.result and f"{highest * 100:.1f}%" in check.result
    assert stated > highest * 100 + 0.05 and check.rating == "inconsistent"  # 44.5% against at most 31.7%
    assert f"{((end / start) ** (1 / 3) - 1) * 100:.1f}%" in check.result  # the three-interval reading


def test_every_comparison_says_how_its_sides_differ():
    checks = by_id()
    # a count of November 2023 beside one of 2025: said in words, and no verification
    makers = checks["cell-makers"]
    assert makers.rating == "consistent with" and "2023 (Nov)" in makers.result and "2025 (inferred)" in makers.result
    # zone against city, and different periods: neither confirms nor refutes
    funds = checks["funds-growth"]
    assert funds.rating == "cannot be checked" and "the city" in funds.result and "the development zone" in funds.result
    # the localisation test uses only the city's reports, and says the rates are named differently
    local = checks["localisation"]
    assert "ctx-017" in local.computation and "ctx-057" not in local.computation
    assert "not like with like" in local.result and "target" in local.result
    # a like-for-like source of high reliability verifies; the same match with a medium source does not
    assert checks["founding-year"].rating == "verified"
    assert checks["zone-count"].rating == "consistent with" and "graded medium" in checks["zone-count"].result
    for check in checks.values():
        if check.kind == factcheck.SOURCE_KIND and check.rating == "consistent with":
            assert "not like with like" in check.result or "graded" in check.result, check.id


RATINGS_SCRIPT = ("import json; from jinchang import factcheck; "
                  "print(json.dumps({c.id: [c.rating, c.result] for c in factcheck.checks()}))")


def ratings(root) -> dict[str, list[str]]:
    env = {**os.environ, "JINCHANG_ROOT": str(root)}
    done = subprocess.run([sys.executable, "-c", RATINGS_SCRIPT], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def edit_context(root, row_id: str, **cells: str) -> None:
    path = root / "data" / "context.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if row["id"] == row_id:
            row.update(cells)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_ratings_and_their_explanations_move_together_when_the_data_move(tmp_path):
    root = copy_project(tmp_path / "book")
    before = ratings(root)
    # the province faster than the city; a capacity below the output; an earlier city rate above the article's;
    # the same source graded down; the cell count dated to the article's year by a high source
    edit_context(root, "ctx-071", value="30", value_as_printed="30", quote_zh="全省规模以上工业增加值同比增长30%")
    edit_context(root, "ctx-059", value="5", value_as_printed="5", quote_zh="日产5万支锂离子电池项目")
    edit_context(root, "ctx-017", value="85", value_as_printed="85", quote_zh="原材料及辅材本地供应率达到85%以上")
    edit_context(root, "ctx-063", reliability="medium")
    edit_context(root, "ctx-058", period_end="2025", reliability="high")
    after = ratings(root)
    changed = {"provincial-growth", "cells-per-day", "localisation", "founding-year", "cell-makers"}
    assert {k: v for k, v in after.items() if k not in changed} == {k: v for k, v in before.items() if k not in changed}

    assert before["provincial-growth"][0] == "consistent with" and "is above" in before["provincial-growth"][1]
    assert after["provincial-growth"][0] == "inconsistent"
    assert "is not above" in after["provincial-growth"][1] and "is above" not in after["provincial-growth"][1]

    assert after["cells-per-day"][0] == "cannot be checked"  # the capacity is of 2023, the output of 2025
    assert "more than the line could make" in after["cells-per-day"][1] and "does not exceed" not in after["cells-per-day"][1]

    assert after["localisation"][0] == "cannot be checked" and "is not below" in after["localisation"][1]
    assert "the condition holds" not in after["localisation"][1]

    assert after["founding-year"][0] == "consistent with" and "graded medium" in after["founding-year"][1]
    assert after["cell-makers"][0] == "verified" and "not like with like" not in after["cell-makers"][1]


def test_a_lower_bound_before_cannot_show_that_a_rate_rose(tmp_path):
    """'提升至80%' needs a lower rate before; 'over 75%' may have been 80% or more, so it shows nothing."""
    check = by_id()["localisation"]
    assert check.rating == "consistent with"
    assert "may or may not be below it" in check.result and "nothing shows that the rate was lower" in check.result
    assert "the condition holds" not in check.result
    assert "over 75%, printed 75%, stands for 74.5% or more" in check.tolerance  # a floor, not ±0.5 points
    root = copy_project(tmp_path / "book")  # an exact 70% before: below the article's 80% for sure
    edit_context(root, "ctx-017", value="70", value_as_printed="70", qualifier="exact", unit_as_printed="%",
                 quote_zh="原材料及辅材本地供应率达到70%")
    rating, result = ratings(root)["localisation"]
    assert "from ctx-017 is below it: the condition holds" in result and "may or may not" not in result


def test_a_context_number_is_printed_with_its_sources_own_unit():
    quote = raw("context", "ctx-059")["quote_zh"]  # 日产25万支: 支, where the units table says 只
    assert "万支" in quote and "万只" not in quote
    assert bounds.printed("ctx-059") == "25万支/日"
    assert "printed 25万支/日" in by_id()["cells-per-day"].tolerance


def test_the_tax_scale_check_sets_the_zone_tax_against_the_zone_economy(tmp_path):
    tax = float(raw("claims", "zone-tax-2020")["value"]) * 1e4  # 万元
    gdp, output = (float(raw("context", i)["value"]) * 1e8 for i in ("ctx-061", "ctx-062"))  # 亿元
    check = by_id()["tax-scale"]
    assert check.kind == "range or plausibility test" and {"ctx-061", "ctx-062"} <= set(check.context)
    assert f"{tax / gdp:.2%}" in check.computation and f"{tax / output:.2%}" in check.computation
    # far too small to be all the tax collected: only a measure the article does not define would fit
    assert check.rating == "cannot be checked" and "narrow measure" in check.result
    root = copy_project(tmp_path / "book")
    # a zone GDP a tenth as large: the zone's share is below the city's, but within an order of magnitude
    edit_context(root, "ctx-061", value="11.05", value_as_printed="11.05", quote_zh="金昌经开区实现地区生产总值11.05亿元")
    rating, result = ratings(root)["tax-scale"]
    assert rating == "consistent with" and "plausible scale" in result
    # a hundredth as large: the tax would be a third of it, above the city's share
    edit_context(root, "ctx-061", value="1.105", value_as_printed="1.105", quote_zh="金昌经开区实现地区生产总值1.105亿元")
    rating, result = ratings(root)["tax-scale"]
    assert rating == "cannot be checked" and "narrow measure" not in result


# --- the published page ---------------------------------------------------------------------------

def reviews_in(html: Path) -> list[tuple[BeautifulSoup, dict]]:
    soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
    return [(s.find_parent("section"), json.loads(s.string))
            for s in soup.select('section.fact-check-item script[type="application/ld+json"]')]


@pytest.mark.build
def test_fact_check_page_counts_each_rating_and_carries_one_claimreview_per_check(book):
    page = book / "chapters" / "05-fact-check.html"
    text = re.sub(r"\s+([;,.])", r"\1", " ".join(BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").get_text(" ").split()))
    counts = factcheck.Table().counts()
    headline = re.search(r"The (\d+) checks, by rating: verified, (\d+); consistent with, (\d+); inconsistent, (\d+); "
                         r"cannot be checked, (\d+); error in the source, (\d+)\.", text)
    assert headline and [int(n) for n in headline.groups()] == [sum(counts.values()), *counts.values()]
    checks = by_id()
    found = reviews_in(page)
    assert len(found) == len(checks)
    for section, review in found:
        check = checks[section["id"].removeprefix("check-")]
        assert review["@type"] == "ClaimReview" and review["@context"] == "https://schema.org"
        assert review["reviewRating"]["alternateName"] == review["reviewRating"]["name"] == check.rating
        assert section.select_one(".verdict").get_text() == check.rating
        assert review["claimReviewed"] == check.summary and len(review["claimReviewed"]) <= factcheck.SUMMARY_LENGTH
        assert data.source(check.claims[0]).quote in review["reviewBody"]  # the full quote, kept in the review
        assert review["datePublished"] == RELEASED[check.since]
        # built without a published address: no URL at all, and no placeholder anywhere
        assert "url" not in review and "url" not in review["author"]
        assert "archivedAt" not in review["itemReviewed"]["appearance"]
        assert citation.book_url() not in json.dumps(review, ensure_ascii=False)
        # what the record does not state is not written
        assert "datePublished" not in review["itemReviewed"] and "url" not in review["itemReviewed"]["appearance"]


@pytest.mark.build
def test_context_charts_name_their_sources_and_reliability(book):
    soup = BeautifulSoup((book / "chapters" / "04-context.html").read_text(encoding="utf-8"), "html.parser")
    figures = soup.select("figure.jinchang-figure")
    assert {"fig-growth-h1", "fig-new-energy-share", "fig-localisation", "fig-zone-rounds"} <= {f["id"] for f in figures}
    for figure in figures:
        with (book / "figures" / f"{figure['id']}.csv").open(encoding="utf-8", newline="") as handle:
            plotted = list(csv.DictReader(handle))
        linked = {a["href"].split("#")[1] for a in figure.select(".figure-sources a.data-ref")}
        for row in plotted:
            if row["context_id"]:
                assert row["context_id"] in linked and row["reliability"] in ("high", "medium", "low")
        assert "unreliable" not in {r["reliability"] for r in plotted}
    # the low-reliability row used in a sentence is flagged where it is shown
    in_prose = [a for a in soup.select('a.data-ref[href$="#ctx-051"]')
                if not a.find_parent(class_=["figure-sources", "figure-data"])]
    assert in_prose and all("(low-reliability source)" in a.get_text() for a in in_prose)


@pytest.mark.build
def test_the_sources_page_lists_each_unused_row_with_its_reason_and_no_used_row(book):
    soup = BeautifulSoup((book / "chapters" / "sources.html").read_text(encoding="utf-8"), "html.parser")
    section = soup.find("section", id="rows-the-book-does-not-use")
    for label in section.select(".card-label"):  # the cards' labels, shown on a narrow screen
        label.decompose()
    listed = {row.select_one("code").get_text(): row.select("td")[-1].get_text() for row in section.select("tbody tr")}
    context = data.context()
    for row_id, reason in listed.items():
        assert reason == context.loc[row_id].unused_reason != ""
    used_by_pages = set()
    for path in book.rglob("*.html"):
        if path.name not in ("sources.html", "claims.html"):
            page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
            used_by_pages |= {a["href"].split("#")[1] for a in page.select('a.data-ref.source[href*="#ctx-"]')}
    used = used_by_pages | factcheck.used()
    assert set(listed) == set(context.id) - used  # every unused row is listed, and no used one
    assert set(context[context.unused_reason != ""].id) == set(listed)  # no used row claims to be unused


@pytest.mark.build
def test_the_claims_and_sources_pages_list_the_fact_check_where_its_checks_use_a_row(book):
    """The fact-check's table cites its rows in its own HTML, not with the roles that fill "Used in"."""
    used = factcheck.used()
    for page, anchors in (("claims", {f"claim-{i}" for i in used if i[:4] != "ctx-"}),
                          ("sources", {i for i in used if i[:4] == "ctx-"})):
        soup = BeautifulSoup((book / "chapters" / f"{page}.html").read_text(encoding="utf-8"), "html.parser")
        for anchor in sorted(anchors):
            links = {a["href"].split("#")[0] for a in soup.find("tr", id=anchor).select("a.used-in")}
            assert "05-fact-check.html" in links, (page, anchor, links)


def test_records_that_disagreed_are_fixed():
    context = data.context()
    assert context.loc["ctx-066"].unit == "rank"  # 第二家, an ordinal
    assert context.loc["ctx-038"].period_end == "2025-12"  # January's figures come out with February's
    assert "ctx-087" in context.loc["ctx-080"].book_note and "ctx-080" in context.loc["ctx-087"].book_note
    # counts of months leading the province: ctx-012's 6 to June 2023 against two runs from January 2022
    assert {"ctx-015", "ctx-024"} <= set(re.findall(r"ctx-\d+", context.loc["ctx-012"].book_note))
    assert all("ctx-012" in context.loc[i].book_note for i in ("ctx-015", "ctx-024"))
    assert context.loc["ctx-042"].period_end == "2025-09"  # the cumulative total of its sentence ends there
    assert context.loc["ctx-067"].period_end == "2022"  # the round reported in December 2023 rated 2022
    funds = data.source("zone-funds-growth")
    assert "2020" in funds.notes and "no base year" not in funds.notes
    assert "nonferrous-cluster-scale" in data.claims().id.values  # 已发展成为: a claim, not a repeat
    assert not any("千亿" == e.numeral and e.category == "repeat" for e in data.tables().exclusions.itertuples())


# --- corrections ---------------------------------------------------------------------------------------

def test_every_changed_rating_is_in_the_corrections_log():
    log = data.tables().corrections
    now = {c.id: c.rating for c in factcheck.checks()}
    for check_id, rating in PUBLISHED.items():
        if now.get(check_id) != rating:
            assert check_id in set(log.item), f"{check_id}: {rating} -> {now.get(check_id)} is not logged"
    assert set(log.version) <= set(RELEASED)


@pytest.mark.build
def test_the_corrections_page_renders_the_log_newest_first(book):
    soup = BeautifulSoup((book / "chapters" / "corrections.html").read_text(encoding="utf-8"), "html.parser")
    entries = soup.select("div.correction")
    log = data.tables().corrections
    assert len(entries) == len(log) > 0
    first = log.iloc[-1]
    assert entries[0]["id"] == f"correction-{len(log)}" and first.was in entries[0].get_text()
    assert "No corrections have been published." not in soup.get_text()


# --- sources and the bibliography -----------------------------------------------------------------------

def test_the_unreliable_row_is_never_charted_and_low_rows_must_be_flagged():
    frame = pd.DataFrame({"claim_id": [None], "context_id": ["ctx-088"], "quote": ["q"], "reliability": ["unreliable"]})
    from jinchang import style

    with pytest.raises(ValueError, match="unreliable"):
        Chart("fig-x", "t", "s", "Source: x", "alt", frame, style.figure()[0])
    with pytest.raises(ValueError, match="low reliability"):
        Chart("fig-x", "t", "s", "Source: x", "alt", frame.assign(reliability="low"), style.figure()[0])


@pytest.mark.parametrize("edition", EDITIONS, ids=lambda e: e.code)
def test_references_bib_is_generated_from_the_data_and_parses(edition):
    text = bibliography.path(edition).read_text(encoding="utf-8")
    assert text == bibliography.bibtex(edition.code), "references.bib is stale: run `jinchang bib`"
    entries = {e["ID"]: e for e in bibtexparser.loads(text).entries}
    assert "article" in entries
    for row in data.context().itertuples():
        assert entries[bibliography.key_for(row.id)]["url"] == row.source_url


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_check_flags_a_low_reliability_row_wherever_it_names_it(lang):
    """Methods: a sentence that uses a low-reliability row says so next to its number (or its id)."""
    flagged = 0
    for check in factcheck.checks(lang):
        for row_id in check.context:
            note = formatting.grade_words(row_id, lang)
            for text in (check.computation, check.result) if note else ():
                for found in re.finditer(re.escape(row_id), text):
                    near = text[max(0, found.start() - len(note) - 30):found.end() + len(note) + 30]
                    assert note in near, (check.id, row_id, text)
                    flagged += 1
    assert flagged >= 3  # ctx-021 and ctx-015 in industrial-growth, ctx-015 in provincial-growth


def bracket_faults(text: str) -> list[str]:
    """Brackets inside brackets, and two bracket groups side by side, in either script: '(a (b))', '（a）（b）'."""
    faults, depth = [], 0
    for at, char in enumerate(text):
        if char in "(（":
            if depth:
                faults.append(text[max(0, at - 40):at + 40])
            depth += 1
        elif char in ")）":
            depth -= 1
    return faults + re.findall(r".{0,40}[)）]\s*[(（].{0,40}", text)


def test_the_bracket_faults_are_found_in_both_scripts():
    assert bracket_faults("16.9%（来源可靠性低）（ctx-021）") and bracket_faults("16.9% (low) (ctx-021)")
    assert bracket_faults("（见ctx-012、ctx-015（来源可靠性低）的注释）") and bracket_faults("(ctx-049, 2023 (end Oct))")
    assert not bracket_faults("16.9%（ctx-021，来源可靠性低）") and not bracket_faults("16.9% (ctx-021), 16.1% (ctx-012)")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_no_text_of_a_check_nests_brackets_or_sets_two_groups_side_by_side(lang):
    """A flagged row's id and its grade note share one bracket group; the {source} role, with no id beside
    the number, brackets the note alone."""
    checks = by_id(lang)
    for check in checks.values():
        for text in (check.summary, check.question, check.computation, check.result, check.tolerance):
            assert not bracket_faults(text), (check.id, bracket_faults(text))
    together = {"en": "(ctx-021, low-reliability source)", "zh": "（ctx-021，来源可靠性低）"}[lang]
    assert together in checks["industrial-growth"].computation
    assert formatting.grade_note("ctx-021", lang) == {"en": " (low-reliability source)", "zh": "（来源可靠性低）"}[lang]


def test_export_share_takes_a_report_from_the_year_of_writing_as_of_the_same_period():
    check = next(c for c in factcheck.checks() if c.id == "export-share")
    assert "not like with like" not in check.result
    assert "published on 20 July 2025" in check.result and "after 24 July 2025 (inferred)" in check.result
    assert "the firm's own word" in check.result  # the limit that remains: the two may not be independent


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_cluster_scale_gives_the_reading_of_the_class_as_the_plans_target(lang):
    check = next(c for c in factcheck.checks(lang) if c.id == "cluster-scale")
    assert "system-major-scale" in check.result and check.rating == "consistent with"
