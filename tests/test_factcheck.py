"""Context and fact-check: verdicts computed from data, ClaimReview markup, graded sources."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys

import bibtexparser
import pandas as pd
import pytest
from bs4 import BeautifulSoup

from jinchang import bibliography, data, factcheck, paths
from jinchang.figure import Chart

from .conftest import copy_project


def raw(table: str, row_id: str) -> dict:
    with (paths.DATA / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        return next(r for r in csv.DictReader(handle) if r["id"] == row_id)


def test_tax_growth_is_judged_against_the_compound_rate_of_the_articles_endpoints():
    start = float(raw("claims", "zone-tax-2020")["value"]) * 10_000  # 万元
    end = float(raw("claims", "zone-tax-2024")["value"]) * 100_000_000  # 亿元
    stated = float(raw("claims", "zone-tax-growth")["value"])
    compound = ((end / start) ** (1 / 4) - 1) * 100
    check = factcheck.tax_growth()
    assert f"{compound:.1f}%" in check.computation
    assert check.verdict == ("consistent" if abs(stated - compound) <= factcheck.POINTS else "inconsistent")
    assert f"{((end / start) ** (1 / 3) - 1) * 100:.1f}%" in check.result  # the three-interval reading


def test_every_verdict_is_on_the_published_scale_and_the_required_rows_exist():
    ids = {c.id for c in factcheck.checks()}
    assert {"tax-growth", "zone-count", "zone-rank", "mixed-numeral", "graphene-typo", "cells-per-day",
            "localisation", "new-energy-share", "provincial-growth"} <= ids
    assert all(c.verdict in factcheck.VERDICTS for c in factcheck.checks())
    with pytest.raises(ValueError):
        factcheck.Check("x", [], "q", "c", "r", "probably fine", "none")


VERDICTS_SCRIPT = "import json; from jinchang import factcheck; print(json.dumps({c.id: c.verdict for c in factcheck.checks()}))"


def verdicts(root) -> dict[str, str]:
    env = {**os.environ, "JINCHANG_ROOT": str(root)}
    done = subprocess.run([sys.executable, "-c", VERDICTS_SCRIPT], env=env, capture_output=True, text=True)
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


def test_verdicts_move_when_the_data_move(tmp_path):
    root = copy_project(tmp_path / "book")
    before = verdicts(root)
    assert before["cells-per-day"] == "consistent" and before["localisation"] == "consistent"
    # a design capacity below the reported daily output, and an earlier rate above the article's
    edit_context(root, "ctx-059", value="5", value_as_printed="5", quote_zh="日产5万支锂离子电池项目")
    edit_context(root, "ctx-057", value="85", value_as_printed="85", quote_zh="本地供给率达到85%以上")
    after = verdicts(root)
    assert after["cells-per-day"] == "inconsistent" and after["localisation"] == "inconsistent"
    assert {k: v for k, v in after.items() if k not in ("cells-per-day", "localisation")} == \
        {k: v for k, v in before.items() if k not in ("cells-per-day", "localisation")}


def test_the_unreliable_row_is_never_charted_and_low_rows_must_be_flagged():
    frame = pd.DataFrame({"claim_id": [None], "context_id": ["ctx-088"], "quote": ["q"], "reliability": ["unreliable"]})
    from jinchang import style

    with pytest.raises(ValueError, match="unreliable"):
        Chart("fig-x", "t", "s", "Source: x", "alt", frame, style.figure()[0])
    with pytest.raises(ValueError, match="low reliability"):
        Chart("fig-x", "t", "s", "Source: x", "alt", frame.assign(reliability="low"), style.figure()[0])


def test_references_bib_is_generated_from_the_data_and_parses():
    text = (paths.ROOT / "references.bib").read_text(encoding="utf-8")
    assert text == bibliography.bibtex(), "references.bib is stale: run `jinchang bib`"
    entries = {e["ID"]: e for e in bibtexparser.loads(text).entries}
    assert "article" in entries
    for row in data.context().itertuples():
        assert entries[bibliography.key_for(row.id)]["url"] == row.source_url


@pytest.mark.build
def test_fact_check_page_carries_claimreview_json_ld_per_check(book):
    soup = BeautifulSoup((book / "chapters" / "05-fact-check.html").read_text(encoding="utf-8"), "html.parser")
    scripts = soup.select('section.fact-check-item script[type="application/ld+json"]')
    assert len(scripts) == len(factcheck.checks())
    for script in scripts:
        review = json.loads(script.string)
        assert review["@type"] == "ClaimReview" and review["@context"] == "https://schema.org"
        assert review["claimReviewed"] and review["url"].endswith(script.find_parent("section")["id"])
        assert review["reviewRating"]["alternateName"] in factcheck.VERDICTS
        assert review["author"]["name"] and review["itemReviewed"]["@type"] == "Claim"


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
def test_corrections_log_starts_empty(book):
    text = BeautifulSoup((book / "chapters" / "corrections.html").read_text(encoding="utf-8"), "html.parser").get_text()
    assert "No corrections have been published." in text
    assert data.tables().corrections.empty
