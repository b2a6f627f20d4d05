"""The fact-check: each checkable claim, the computation, and a verdict computed from the data.

Verdicts use a small published scale (``VERDICTS``). No verdict is written by hand: each
check compares numbers from the data with a stated tolerance, so a change in the data
moves the verdict. ``table()`` renders the checks with schema.org ClaimReview JSON-LD.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html import escape

import pandas as pd

from . import chinese, citation, computed
from .data import record, source, tables
from .formatting import number, shown

VERDICTS = {
    "consistent": "The claim agrees with the computation or with independent sources, within the stated tolerance.",
    "inconsistent": "The claim disagrees with the computation or with independent sources beyond the stated tolerance.",
    "cannot be checked": "No independent source or computation in this book can confirm or refute it.",
    "error in the source": "The text itself contains a slip (a misprint); the intended reading is given.",
}
POINTS = 0.5  # tolerance for rates and shares, in percentage points: beyond rounding of one decimal


@dataclass
class Check:
    id: str
    claims: list[str]
    question: str  # what was checked
    computation: str  # the computation or comparison, with its numbers
    result: str
    verdict: str
    tolerance: str
    context: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise ValueError(f"{self.id}: unknown verdict {self.verdict!r}")


def _agree(a: float, b: float, tolerance: float = POINTS) -> str:
    return "consistent" if abs(a - b) <= tolerance else "inconsistent"


def tax_growth() -> Check:
    r = computed.growth_readings("zone-tax-2020", "zone-tax-2024", "zone-tax-growth")
    claimed = source("zone-tax-growth").value
    return Check(
        "tax-growth", ["zone-tax-growth", "zone-tax-2020", "zone-tax-2024"],
        "Does the zone's tax revenue, from 2020 to 2024, grow by the stated average annual rate?",
        f"({shown('zone-tax-2024')} ÷ {shown('zone-tax-2020')})^(1/{r['years']:.0f}) − 1 = {r['compound']} a year, "
        f"compounded over the {r['years']} from 2020 to 2024, against the stated {shown('zone-tax-growth')}.",
        f"The stated rate is {number(claimed - r['compound'], 1)} percentage points above the compound rate of "
        f"the article's own endpoints. Readings that would give about {shown('zone-tax-growth')}: compounding over "
        f"{r['years_short']} ({r['compound_short']}; the stated rate needs {r['implied_years']}); a 2020 level of "
        f"{r['implied_start']} instead of {shown('zone-tax-2020')}; or an average of yearly rates, which exceeds "
        f"the compound rate when growth is uneven but cannot be computed without the intermediate years. A simple "
        f"average of the total growth gives {r['simple']} a year.",
        _agree(claimed, r["compound"]), f"{POINTS} percentage points",
    )


def zone_count() -> Check:
    claimed, assessed = source("etdz-national-count"), source("ctx-067")
    return Check(
        "zone-count", ["etdz-national-count"],
        "Were there as many national development zones in the 2023 ranking as the article says?",
        f"The article's {shown('etdz-national-count')} against the {shown('ctx-067')} that the Ministry of "
        f"Commerce's 2023 assessment covered ({assessed.indicator_en}).",
        "The counts are equal. The round published in 2023 rated the zones' performance in 2022, so the "
        "article's 2023 rank describes 2022.",
        "consistent" if claimed.value == assessed.value else "inconsistent", "exact match", ["ctx-067"],
    )


def zone_rank() -> Check:
    ranked = tables().context[tables().context.indicator_en.str.contains("rank", case=False)
                               & (tables().context.geography == "Jinchang ETDZ")]
    return Check(
        "zone-rank", ["zone-national-rank"],
        "Was the zone ranked as the article says in the 2023 national assessment?",
        f"Context rows giving the zone's rank in any round: {len(ranked)}.",
        "None of the sources in this book lists the ranking, so the rank cannot be compared. The round published "
        "in 2023 assessed 2022 (see the check of the number of zones).",
        "cannot be checked" if ranked.empty else "consistent", "exact match",
    )


def mixed_numeral() -> Check:
    rank = source("zone-national-rank")
    mixed = re.search(r"[0-9][零一二两三四五六七八九十百千]", rank.numeral)
    return Check(
        "mixed-numeral", ["zone-national-rank"],
        "Is the rank printed as a well-formed number?",
        f"The numeral {rank.numeral!r} mixes an Arabic digit with Chinese numerals; read digit by digit as "
        f"Chinese it is {int(rank.value)}.",
        f"A printing slip: the only sensible reading of 第{rank.numeral}位 is {shown('zone-national-rank')}.",
        "error in the source" if mixed else "consistent", "well-formed numeral",
    )


def graphene() -> Check:
    quote = source("graphene-powder-project").quote
    dropped = re.search(r"(?<!石)墨烯", quote)
    return Check(
        "graphene-typo", ["graphene-powder-project"],
        "Is the product name printed correctly?",
        f"The quote {quote!r} contains 墨烯 without the 石 of 石墨烯 (graphene).",
        "A character is missing: 墨烯粉体 is almost certainly 石墨烯粉体, graphene powder.",
        "error in the source" if dropped else "consistent", "exact spelling",
    )


def cells_per_day() -> Check:
    output, capacity = computed.base("jinhongxiang-cells-per-day"), computed.base("ctx-059")
    return Check(
        "cells-per-day", ["jinhongxiang-cells-per-day"],
        "Is the cell maker's daily output possible on the line earlier reports described?",
        f"{shown('jinhongxiang-cells-per-day')} against a design capacity of {shown('ctx-059')} reported in 2023: "
        f"{number(output / capacity * 100, 0)}% of it.",
        "The output is below the design capacity of the project as earlier reported, so the two agree; the "
        "article's figure is a rate of output, not of capacity.",
        "consistent" if output <= capacity else "inconsistent", "output at most the design capacity", ["ctx-059"],
    )


def localisation() -> Check:
    claimed = source("battery-material-localisation").value
    earlier = [i for i in ("ctx-055", "ctx-017", "ctx-057") if not source(i).target]
    target = source("ctx-056")
    highest = max(source(i).value for i in earlier)
    return Check(
        "localisation", ["battery-material-localisation"],
        f"Does the {shown('battery-material-localisation')} localisation rate fit earlier reports, and was it reached or only targeted?",
        f"The article's {shown('battery-material-localisation')} against the earlier reports "
        f"({', '.join(f'{shown(i)} in {source(i).period_end}' for i in earlier)}) and the target "
        f"{shown('ctx-056')} set in {target.period_end}.",
        f"The rate is at least the highest earlier report and equals the level that was still a target in "
        f"{target.period_end[:4]}. Definitions may differ between reports (by value, tonnage or number of materials).",
        "consistent" if highest <= claimed <= 100 and claimed >= target.value else "inconsistent",
        "at least the earlier lower bounds and the target", earlier + ["ctx-056"],
    )


def new_energy() -> Check:
    series = ["ctx-045", "ctx-047", "ctx-049"]
    dates = [pd.Timestamp(source(i).period_end) for i in series]
    values = [source(i).value for i in series]
    window = record()["date"]
    written = pd.Timestamp(window["earliest"]) + (pd.Timestamp(window["latest_likely"]) - pd.Timestamp(window["earliest"])) / 2
    years = lambda a, b: (b - a).days / 365.25  # noqa: E731
    paces = [(v2 - v1) / years(d1, d2) for (d1, v1), (d2, v2) in zip(zip(dates, values), zip(dates[1:], values[1:]))]
    claimed = source("new-energy-share").value
    needed = (claimed - values[-1]) / years(dates[-1], written)
    return Check(
        "new-energy-share", ["new-energy-share"],
        f"Does the {shown('new-energy-share')} new-energy share continue the earlier series for Jinchang?",
        f"From {shown(series[-1])} ({source(series[-1]).period_end}) to {shown('new-energy-share')} (mid-point "
        f"of the article's writing window) takes {number(needed, 1)} points a year; earlier the share rose by "
        f"{' and '.join(number(p, 1) for p in paces)} points a year.",
        "The share continues to rise at a pace within the earlier range, so the figure fits the series.",
        "consistent" if 0 <= needed <= max(paces) + POINTS else "inconsistent",
        "a pace between zero and the fastest earlier pace", series,
    )


def provincial_growth() -> Check:
    city, province = source("industrial-growth-h1").value, source("ctx-071").value
    return Check(
        "provincial-growth", ["industrial-growth-h1", "industrial-growth-rank"],
        "Does the city's industrial growth exceed the province's, as 'leads the province' requires?",
        f"{shown('industrial-growth-h1')} for Jinchang against {shown('ctx-071')} for Gansu in the first half "
        f"of 2025: {number(city / province, 1)} times as fast.",
        "The city grew faster than the province as a whole, which a city leading the province must. No "
        "city-by-city ranking for the period was in the sources, so 'leads the province' itself is not confirmed.",
        "consistent" if city > province else "inconsistent", "city rate above the provincial rate", ["ctx-071"],
    )


def _same(check_id: str, claim: str, context: str, question: str) -> Check:
    """A claim that an independent row states directly."""
    return Check(
        check_id, [claim], question,
        f"The article's {shown(claim)} against {shown(context)} ({source(context).indicator_en}"
        f"{'' if source(context).period == '—' else ', ' + source(context).period}).",
        "Both give the same figure." if source(claim).value == source(context).value else "The figures differ.",
        "consistent" if source(claim).value == source(context).value else "inconsistent", "exact match", [context],
    )


def funds_growth() -> Check:
    zone, city = source("zone-funds-growth"), source("ctx-042")
    comparable = city.geography.startswith("Jinchang ETDZ") and zone.period == city.period
    return Check(
        "funds-growth", ["zone-funds-growth"],
        "Does the zone's growth of investment funds in place fit the city's?",
        f"The zone's {shown('zone-funds-growth')} a year ({zone.period}) against {city.geography}: "
        f"{shown('ctx-042')} a year ({city.period}).",
        "The independent figure covers a different area or period, and the zone's base year is not stated, so "
        "the two cannot confirm or refute each other." if not comparable else "Same area and period.",
        _agree(zone.value, city.value) if comparable else "cannot be checked", "same area and period required",
        ["ctx-042"],
    )


def checks() -> list[Check]:
    return [
        tax_growth(), zone_count(), zone_rank(), mixed_numeral(), graphene(), cells_per_day(), localisation(),
        new_energy(), provincial_growth(), funds_growth(),
        _same("founding-year", "zone-founding-year", "ctx-063", "Was the zone founded in the year the article says?"),
        _same("cell-makers", "zone-cell-makers", "ctx-058", "Does the zone have as many cell makers as the article says?"),
    ]


def claim_review(check: Check, url: str) -> dict:
    """schema.org ClaimReview for one check."""
    rec = record()
    first = source(check.claims[0])
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": url,
        "claimReviewed": f"{first.quote} ({first.translation})",
        "itemReviewed": {
            "@type": "Claim",
            "author": [{"@type": "Person", "name": name} for name in rec["authors"]],
            "appearance": {"@type": "CreativeWork", "headline": rec["title"], "inLanguage": "zh"},
        },
        "author": {"@type": "Organization", "name": "Jinchang by the numbers"},
        "reviewRating": {"@type": "Rating", "alternateName": check.verdict, "ratingExplanation": check.result},
        "reviewBody": f"{check.question} {check.computation}",
    }


def _json_ld(data: dict) -> str:
    """JSON for a <script> element: '<', '>' and '&' escaped so no text can close the element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


class Table:
    """The fact-check table, as HTML with one ClaimReview per row (display it in a notebook)."""

    def __init__(self, page: str = "chapters/05-fact-check.html"):
        self.checks = checks()
        self.page = page
        self.book = citation.configured_book()  # the page's absolute URL when the book's address is known

    def __repr__(self) -> str:
        """Stored as the text/plain output in the published notebook: no memory address, so it is reproducible."""
        return f"<fact-check table: {len(self.checks)} checks>"

    def counts(self) -> dict[str, int]:
        return {v: sum(c.verdict == v for c in self.checks) for v in VERDICTS}

    def _repr_html_(self) -> str:
        """A summary table (claim, question, verdict) and, below it, one block per check with
        its computation, result, sources and ClaimReview. All data text is escaped."""
        verdict = lambda c: (f'<strong class="verdict verdict-{c.verdict.replace(" ", "-")}">'  # noqa: E731
                             f"{escape(c.verdict)}</strong>")
        summary, details = [], []
        for c in self.checks:
            quote = escape(source(c.claims[0]).quote)
            summary.append(f'<tr><td><span lang="zh">{quote}</span></td><td>{chinese.html(c.question)}</td>'
                           f'<td>{verdict(c)}</td><td><a href="#check-{escape(c.id)}">details</a></td></tr>')
            claims = ", ".join(f'<a href="claims.html#claim-{escape(i)}">{escape(i)}</a>' for i in c.claims)
            context = ", ".join(f'<a href="sources.html#{escape(i)}">{escape(i)}</a> ({escape(source(i).reliability)})'
                                for i in c.context) or "none"
            review = _json_ld(claim_review(c, self.book.url(f"{self.page}#check-{c.id}")))
            details.append(
                f'<section class="fact-check-item" id="check-{escape(c.id)}" aria-labelledby="check-{escape(c.id)}-title">'
                f'<p class="fact-check-title" id="check-{escape(c.id)}-title"><strong>{chinese.html(c.question)}</strong> '
                f"{verdict(c)}</p>"
                f'<blockquote><span lang="zh">{quote}</span></blockquote><dl>'
                f"<dt>Computation</dt><dd>{chinese.html(c.computation)}</dd>"
                f"<dt>Result</dt><dd>{chinese.html(c.result)}</dd>"
                f"<dt>Tolerance</dt><dd>{escape(c.tolerance)}</dd>"
                f"<dt>Claims</dt><dd>{claims}</dd><dt>Independent sources</dt><dd>{context}</dd></dl>"
                f'<script type="application/ld+json">{review}</script></section>'
            )
        head = "".join(f"<th>{h}</th>" for h in ("Claim", "What was checked", "Verdict", ""))
        return (f'<div class="table-scroll"><table class="data-table fact-check"><thead><tr>{head}</tr></thead>'
                f"<tbody>{''.join(summary)}</tbody></table></div>{''.join(details)}")
