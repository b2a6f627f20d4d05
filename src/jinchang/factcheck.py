"""The fact-check: each checkable claim, the kind of evidence that tests it, and a rating computed from the data.

Each check declares its kind of evidence (``KINDS``), and the kind caps the rating in code: only an exact
comparison with an independent source can rate "verified". A comparison sets like beside like: the
measure, area and period of both sides come from the data's own fields (``measure``, ``subject_type`` or
``area``, ``period`` or ``period_end``), and a difference is stated in the result and lowers the rating.
Tolerances are those of the printed numbers (``jinchang.bounds``). Every sentence of a result is written
from the same comparisons as its rating. ``Table`` renders the checks with schema.org ClaimReview JSON-LD.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html import escape

import pandas as pd

from . import RELEASED, bounds, chinese, citation, computed
from .data import record, source, tables
from .formatting import money, number, shown

RATINGS = {
    "verified": "An independent source of high reliability gives the same figure for the same measure, area "
                "and period, within the precision of the printed numbers.",
    "consistent with": "Nothing in the book's sources contradicts the claim, but the test cannot establish it: "
                       "a recomputation, a necessary condition or a plausibility test, or a match with a source "
                       "that differs in measure, area or period or is not of high reliability.",
    "inconsistent": "The claim disagrees with a like-for-like source, with a recomputation from the article's own "
                    "numbers or with a condition it must meet, beyond the precision of the printed numbers.",
    "cannot be checked": "No source or computation in this book can confirm or refute it.",
    "error in the source": "The printed text itself contains a slip; the intended reading is given.",
}
POSITIVE = ("verified", "consistent with")  # the ratings a kind can cap, strongest first


@dataclass(frozen=True)
class Kind:
    name: str
    ceiling: str  # the strongest rating this kind of evidence can give
    description: str


KINDS = {k.name: k for k in (
    Kind("exact comparison with an independent source", "verified",
         "The claim set beside a figure from another publication for the same measure, area and period."),
    Kind("recomputation from the article's own numbers", "consistent with",
         "Shows whether the article's numbers agree with each other, not whether they are true."),
    Kind("necessary condition", "consistent with",
         "A condition the claim must meet if it is true; meeting it does not prove the claim."),
    Kind("range or plausibility test", "consistent with",
         "Whether the claim lies in the range that other figures make plausible; any figure in the range passes."),
    Kind("reading of the printed text", "consistent with",
         "Whether the text is printed as intended; it says nothing about whether the number is true."),
)}
TEXT_KIND = "reading of the printed text"
SUMMARY_LENGTH = 75  # Google's limit for ClaimReview's claimReviewed
ORDER_OF_MAGNITUDE = 10  # a gap that survives comparing unlike measures, years and areas

AREAS = {"city": "the city", "zone": "the development zone", "firm": "one firm", "cluster": "the cross-city cluster",
         "province": "the whole province", "country": "the whole country",
         "zone or city": "the zone or the city (the source does not make clear which)"}
GRADES = {"medium": "a copy of official or press text on an unrelated site",
          "low": "an aggregator or content farm", "unreliable": "a source contradicted by better ones"}


@dataclass
class Check:
    id: str
    claims: list[str]  # the first is the claim reviewed
    summary: str  # the claim in short, for ClaimReview's claimReviewed
    question: str  # what was checked
    kind: str
    computation: str  # the comparison or computation, with its numbers
    result: str
    proposed: str  # the rating the evidence gives, before the kind caps it
    tolerance: str
    context: list[str] = field(default_factory=list)
    since: str = "1.0.0"  # the version that first published the check
    rating: str = field(init=False)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"{self.id}: unknown kind of check {self.kind!r}")
        if self.proposed not in RATINGS:
            raise ValueError(f"{self.id}: unknown rating {self.proposed!r}")
        if self.proposed == "error in the source" and self.kind != TEXT_KIND:
            raise ValueError(f"{self.id}: only a reading of the printed text can find an error in the source")
        if len(self.summary) > SUMMARY_LENGTH:
            raise ValueError(f"{self.id}: the summary has {len(self.summary)} characters, more than {SUMMARY_LENGTH}")
        self.rating = capped(self.kind, self.proposed)


def capped(kind: str, proposed: str) -> str:
    """The rating, no stronger than the kind of evidence allows."""
    ceiling = KINDS[kind].ceiling
    if proposed in POSITIVE and POSITIVE.index(proposed) < POSITIVE.index(ceiling):
        return ceiling
    return proposed


# --- comparing like with like --------------------------------------------------------------------

def period_end(row_id: str) -> str | None:
    """The end of the period a row describes (YYYY or YYYY-MM), or None when it has no date."""
    row = source(row_id)
    if row_id[:4] == "ctx-":
        return row.period_end or None
    half = re.fullmatch(r"(\d{4})-H1", row.period)
    if half:
        return f"{half.group(1)}-06"
    return row.period if re.fullmatch(r"\d{4}", row.period) else None


def _period(row_id: str) -> str:
    row = source(row_id)
    if row_id[:4] == "ctx-":
        return row.period
    return f"{row.period} (inferred)" if row.period_inferred else row.period


def _area(row_id: str) -> str:
    row = source(row_id)
    return row.area if row_id[:4] == "ctx-" else row.subject_type


def _indicator(row_id: str) -> str:
    row = source(row_id)
    return f"{row.indicator_en.lower()} ({row.indicator_zh})" if row_id[:4] == "ctx-" else row.indicator.lower()


def differences(claim: str, other: str, dims: tuple[str, ...] = ("measure", "area", "period")) -> list[str]:
    """How ``other`` differs from ``claim`` in measure, area and period, each in words; empty when alike."""
    found = []
    if "measure" in dims and source(claim).measure != source(other).measure:
        found.append(f"{other} measures {_indicator(other)}, the article {_indicator(claim)}")
    if "area" in dims and _area(claim) != _area(other):
        found.append(f"{other} covers {AREAS[_area(other)]}, the article {AREAS[_area(claim)]}")
    if "period" in dims and period_end(claim) != period_end(other):
        found.append(f"{other} describes {_period(other)}, the article {_period(claim)}")
    return found


def _grade(row_id: str, agree: bool) -> str:
    grade = source(row_id).reliability
    if grade == "high":
        return ""
    return f"{row_id} is graded {grade} ({GRADES[grade]})" + (", so a match with it cannot verify the claim."
                                                               if agree else ".")


def _unlike(diffs: list[str]) -> str:
    return f"The two are not like with like: {'; '.join(diffs)}." if diffs else ""


def rated(holds: bool, unlike: bool, verifiable: bool = False) -> str:
    """A test that holds rates 'verified' only if it can verify and its sides are alike, else 'consistent with';
    one that fails rates 'inconsistent' if its sides are alike, else 'cannot be checked': the difference may
    explain the failure."""
    if holds:
        return "verified" if verifiable and not unlike else "consistent with"
    return "cannot be checked" if unlike else "inconsistent"


def compared(claim: str, other: str, dims: tuple[str, ...] = ("measure", "area", "period")) -> tuple[str, str]:
    """The rating a comparison of ``claim`` with the context row ``other`` gives, and the result in words:
    agreement within the printed precision verifies only with a source of high reliability."""
    agree = bounds.of(claim).overlaps(bounds.of(other))
    diffs = differences(claim, other, dims)
    high = source(other).reliability == "high"
    sentences = [f"The article's {shown(claim)} and the {shown(other)} of {other} "
                 f"{'agree within' if agree else 'differ by more than'} the precision of the printed numbers.", _unlike(diffs)]
    if not agree and diffs:
        sentences.append("The difference may come from how they differ, so it does not refute the claim.")
    sentences.append(_grade(other, agree))
    return rated(agree, bool(diffs), verifiable=high), " ".join(s for s in sentences if s)


def _comparison(check_id: str, claim: str, other: str, summary: str, question: str, computation: str,
                tolerance: str = "", since: str = "1.0.0") -> Check:
    """A check that sets a claim beside one independent context row."""
    rating, result = compared(claim, other)
    return Check(check_id, [claim], summary, question, "exact comparison with an independent source", computation,
                 result, rating, tolerance or _precision(claim, other), [other], since=since)


def alike(claim: str) -> list[str]:
    """Context rows of the claim's measure and area, oldest first."""
    rows = tables().context
    found = rows[(rows.measure == source(claim).measure) & (rows.area == _area(claim)) & ~rows.target]
    return list(found.sort_values("period_end").id)


def _precision(*row_ids: str) -> str:
    """The tolerance, in words: each number's printed precision."""
    return "; ".join(f"{shown(i)}, printed {bounds.printed(i)}, stands for ±{_amount(i, bounds.of(i).step)}"
                     for i in row_ids)


def _amount(row_id: str, base_value: float) -> str:
    unit = tables().units.loc[source(row_id).unit]
    if unit.quantity == "money":
        return money(base_value)
    if unit.base_unit == "%":
        return f"{number(base_value)} percentage points"
    return f"{number(base_value)} {unit.base_unit}"


# --- the checks, in the order of the article --------------------------------------------------------

def industrial_growth() -> Check:
    claim = "industrial-growth-h1"
    rows = alike(claim)
    same = [i for i in rows if period_end(i) == period_end(claim)]
    if same:
        rating, result = compared(claim, same[0])
        computation = f"The article's {shown(claim)} against {shown(same[0])} ({same[0]})."
    else:
        rating = "cannot be checked"
        others = ", ".join(f"{shown(i)} for {source(i).period} ({i})" for i in rows)
        computation = f"Context rows of the same measure for Jinchang: {others or 'none'}."
        spread = sorted(rows, key=lambda i: source(i).value)
        span = (f"; for other periods the sources give {shown(spread[0])} to {shown(spread[-1])}, which shows the "
                "range such rates have taken, not the rate of this period" if len(spread) > 1 else "")
        result = (f"No source in the book gives Jinchang's {_indicator(claim)} for {_period(claim)}, so the rate "
                  f"cannot be compared{span}.")
    return Check(
        "industrial-growth", [claim], f"Jinchang's industrial value added grew {shown(claim)} in the first half",
        f"Does an independent source give Jinchang's industrial growth of {shown(claim)}?",
        "exact comparison with an independent source", computation, result, rating,
        _precision(claim), same or rows, since="1.1.0",
    )


def provincial_growth() -> Check:
    claim, city, province = "industrial-growth-rank", "industrial-growth-h1", "ctx-071"
    faster = bounds.of(city).low > bounds.of(province).high
    diffs = differences(city, province, ("measure", "period"))  # the areas differ by design
    if faster:
        finding = (f"Jinchang's {shown(city)} is above Gansu's {shown(province)}, "
                   f"{computed.ratio(city, province, 1)} times as fast. A city that leads the province must grow "
                   "faster than the province as a whole, so the claim passes this test; it would pass too if "
                   "another city grew faster still, and no city-by-city ranking for the period is in the book's "
                   "sources.")
    else:
        finding = (f"Jinchang's {shown(city)} is not above Gansu's {shown(province)}: a city that grows no faster "
                   "than its province cannot lead it.")
    history = ("Reports up to May 2024 said the city's industrial growth had led the province for months on end "
               "(the notes of ctx-012, ctx-015 and ctx-024); none covers 2025.")
    inferred = " The year of the article's figure is inferred." if source(city).period_inferred else ""
    rating = rated(faster, bool(diffs))
    return Check(
        "provincial-growth", [claim, city], "Jinchang's industrial growth leads the province of Gansu",
        "Does the city's industrial growth exceed the province's, as 'leads the province' requires?",
        "necessary condition",
        f"{shown(city)} for Jinchang against {shown(province)} for Gansu ({province}), both for "
        f"{_period(province)}, both the growth of industrial value added above designated size.",
        " ".join(s for s in (finding, _unlike(diffs), history) if s) + inferred, rating,
        _precision(city, province), [province, "ctx-012", "ctx-015", "ctx-024"],
    )


def cluster_scale() -> Check:
    claim, first_half, three_quarters = "nonferrous-cluster-scale", "ctx-013", "ctx-016"
    clusters = computed.total("system-major-count", "system-minor-count")
    holds = bounds.of(three_quarters).high >= bounds.of(claim).low
    diffs = differences(claim, three_quarters, ("area", "period"))
    finding = (f"The nonferrous cluster is one of the {clusters} '2+4' clusters, so its output cannot exceed theirs "
               f"together. Together they produced {shown(three_quarters)} in the first three quarters of "
               + ("2023, already at the bottom of the class, so the condition holds; it says nothing of the "
                  "nonferrous cluster's own share, which no source in the book gives."
                  if holds else "2023, below the bottom of the class, so the nonferrous cluster alone could not "
                                "have reached it then."))
    caveat = ("The article does not say what the class measures; if it is value added, which is smaller than "
              "output, the test says less still.")
    rating = rated(holds, bool(diffs))
    return Check(
        "cluster-scale", [claim], "Jinchang's nonferrous cluster is of the hundred-billion-yuan class",
        "Could the nonferrous new-materials cluster be of the hundred-billion-yuan class, as the article now says?",
        "necessary condition",
        f"The output of all {clusters} '2+4' clusters together: {shown(first_half)} in the first half of 2023 "
        f"({first_half}) and {shown(three_quarters)} in the first three quarters ({three_quarters}), against the "
        f"bottom of the class, {money(bounds.of(claim).low)}.",
        " ".join(s for s in (finding, _unlike(diffs), caveat) if s), rating,
        "the class runs from CNY 100 billion to CNY 1 trillion", [first_half, three_quarters], since="1.1.0",
    )


def cells_per_day() -> Check:
    claim, capacity = "jinhongxiang-cells-per-day", "ctx-059"
    fits = bounds.of(claim).low <= bounds.of(capacity).high
    diffs = differences(claim, capacity, ("area", "period"))  # output against capacity, by design
    share = computed.share(claim, capacity, 0)
    if fits:
        finding = (f"The output is {share} of the design capacity of {shown(capacity)} reported in 2023 for a "
                   "Jinhongxiang project, so it does not exceed it.")
    else:
        finding = (f"The output is {share} of the design capacity of {shown(capacity)} reported in 2023 for a "
                   "Jinhongxiang project: more than the line could make, if it is the same line.")
    caveat = ("This is a weak, necessary condition: the report does not say whether it describes the line the "
              "article saw.")
    rating = rated(fits, bool(diffs))
    return Check(
        "cells-per-day", [claim], f"Jinhongxiang's line turns out {shown(claim)}",
        "Is the cell maker's daily output possible on the line an earlier report described?",
        "necessary condition",
        f"{shown(claim)} against a design capacity of {shown(capacity)} ({capacity}): {share}.",
        " ".join(s for s in (finding, _unlike(diffs), caveat) if s), rating,
        _precision(claim, capacity), [capacity],
    )


def export_share() -> Check:
    claim, other = "jinhongxiang-export-share", "ctx-060"
    return _comparison(
        "export-share", claim, other, f"Jinhongxiang exports {shown(claim)} of its products",
        "Does another report give the cell maker's export share as the article does?",
        f"The article's {shown(claim)} against {shown(other)} in a report of {source(other).source_date} ({other}).",
        since="1.1.0",
    )


def graphene() -> Check:
    quote = source("graphene-powder-project").quote
    dropped = re.search(r"(?<!石)墨烯", quote)
    return Check(
        "graphene-typo", ["graphene-powder-project"], "A project in Jinchang makes graphene powder",
        "Is the product name printed correctly?", TEXT_KIND,
        f"The quote {quote!r} contains 墨烯 " + ("without the 石 of 石墨烯 (graphene)." if dropped else "as part of 石墨烯."),
        "A character is missing: 墨烯粉体 is almost certainly 石墨烯粉体, graphene powder." if dropped
        else "The name is printed as 石墨烯, graphene.",
        "error in the source" if dropped else "consistent with", "exact spelling",
    )


LOCAL_RATES = ("battery-materials-localisation-rate", "battery-materials-local-supply-rate",
               "battery-base-materials-local-supply-rate")


def localisation() -> Check:
    claim = "battery-material-localisation"
    rows = tables().context[tables().context.measure.isin(LOCAL_RATES)].sort_values("period_end")
    reports, targets = rows[~rows.target], rows[rows.target]
    here = [i for i in reports.id if _area(i) == _area(claim)]
    elsewhere = [i for i in reports.id if _area(i) != _area(claim)]
    below = [bounds.of(i).low < bounds.of(claim).high for i in here]
    fits = bool(here) and all(below)
    diffs = sorted({d for i in here for d in differences(claim, i, ("measure",))})
    earlier = "; ".join(f"{shown(i)} in {source(i).period} ({i}) is {'below' if b else 'not below'} it"
                        for i, b in zip(here, below))
    parts = [
        f"提升至 ('risen to') requires the rate to have been lower before. Of the earlier reports for the city, "
        f"{earlier or 'there are none'}{': the condition holds' if fits else ''}.",
        _unlike(diffs),
        f"Reports for another or an unclear area ({' and '.join(f'{shown(i)} in {i}' for i in elsewhere)}) are not "
        "used in the test." if elsewhere else "",
        *(f"In {pd.Timestamp(source(t).period_end):%B %Y} a report gave {shown(t)} as "
          f"a target for when the planned projects were built ({t}); the article reports "
          f"{'that level' if source(t).value == source(claim).value else 'its rate'} as reached. Whether it was "
          "reached cannot be checked with these sources."
          for t in targets.id),
        "A target for the end of 2022 in the note of ctx-055 has no quote in the book, so it is not used.",
    ]
    rating = rated(fits, bool(diffs) or not here)
    return Check(
        "localisation", [claim], f"Battery-material localisation has risen to {shown(claim)}",
        f"Does the {shown(claim)} localisation rate fit the earlier reports, as 'risen to' requires?",
        "necessary condition",
        f"The article's {shown(claim)} against the earlier reports for the city "
        f"({', '.join(f'{shown(i)} in {source(i).period}, {i}' for i in here) or 'none'}).",
        " ".join(p for p in parts if p), rating, _precision(claim, *here), list(rows.id),
    )


def _years(start: pd.Timestamp, end: pd.Timestamp) -> float:
    return (end - start).days / 365.25


def _ends(row_id: str) -> pd.Timestamp:
    """The last day of a context row's period_end (a year, month or day)."""
    end = source(row_id).period_end
    return pd.Period(end, {4: "Y", 7: "M", 10: "D"}[len(end)]).end_time.normalize()


def new_energy() -> Check:
    claim = "new-energy-share"
    series = alike(claim)
    paces = [(source(b).value - source(a).value) / _years(_ends(a), _ends(b)) for a, b in zip(series, series[1:])]
    last = series[-1]
    window = record()["date"]
    earliest, latest = pd.Timestamp(window["earliest"]), pd.Timestamp(window["latest_likely"])
    step = bounds.of(claim).step
    low = source(last).value + min(paces) * _years(_ends(last), earliest) - step
    high = source(last).value + max(paces) * _years(_ends(last), latest) + step
    stated = bounds.of(claim)
    within = stated.overlaps(bounds.Bounds(low, high, step))
    where = "lies within that range" if within else ("is above that range" if stated.low > high else "is below that range")
    approx = [i for i in series if source(i).period_end_approx]
    return Check(
        "new-energy-share", [claim], f"New energy is {shown(claim)} of Jinchang's installed capacity",
        f"Does the {shown(claim)} new-energy share continue the earlier series for Jinchang?",
        "range or plausibility test",
        f"Continuing from {shown(last)} ({source(last).period}, {last}) at the slowest and the fastest pace of the "
        f"earlier reports ({' and '.join(number(p, 1) for p in paces)} points a year) gives {number(low, 1)}% to "
        f"{number(high, 1)}% for the window in which the article was written ({window['earliest']} to "
        f"{window['latest_likely']}).",
        f"The article's {shown(claim)} {where}. "
        + ("The test is weak: any figure in that range would pass, and it assumes the share kept rising as it had."
           if within else "The share would have had to change faster, or otherwise, than in any earlier period.")
        + (f" The date of {' and '.join(approx)} {'is' if len(approx) == 1 else 'are'} approximate." if approx else ""),
        "consistent with" if within else "inconsistent",
        _precision(claim), series,
    )


def cell_makers() -> Check:
    claim, other = "zone-cell-makers", "ctx-058"
    return _comparison(
        "cell-makers", claim, other, f"The zone has {shown(claim)} making battery cells",
        "Does the zone have as many cell makers as the article says?",
        f"The article's {shown(claim)} against {shown(other)} ({other}, {source(other).period}).", "exact count",
    )


def funds_growth() -> Check:
    claim, other = "zone-funds-growth", "ctx-042"
    return _comparison(
        "funds-growth", claim, other, f"The zone's funds in place grew {shown(claim)} a year on average since 2020",
        "Does the zone's growth of investment funds in place fit the city's?",
        f"The zone's {shown(claim)} a year ({_period(claim)}) against {shown(other)} a year for "
        f"{AREAS[_area(other)]} ({source(other).period}, {other}).",
    )


def tax_growth(lang: str = "en") -> Check:
    start_id, end_id, rate_id = "zone-tax-2020", "zone-tax-2024", "zone-tax-growth"
    r = computed.growth_readings(start_id, end_id, rate_id)
    years = float(r["years"])
    start, end, stated = bounds.of(start_id), bounds.of(end_id), bounds.of(rate_id)
    lowest = computed.compound_growth(start.high, end.low, years)
    highest = computed.compound_growth(start.low, end.high, years)
    agree = stated.overlaps(bounds.Bounds(lowest, highest, 0))
    gap = source(rate_id).value - highest
    finding = (f"Allowing for the rounding of the printed levels, the two endpoints give between {number(lowest, 1)}% "
               f"and {number(highest, 1)}% a year; the stated rate "
               + ("lies within that range." if agree else f"is {number(gap, 1)} percentage points above the highest."))
    readings = (f"Readings that would give about {shown(rate_id)}: compounding over {r['years_short']} "
                f"({r['compound_short']}; the stated rate needs {r['implied_years']}); a 2020 level of "
                f"{r['implied_start']} instead of {shown(start_id)}; or an average of yearly rates, which exceeds the "
                f"compound rate when growth is uneven but cannot be computed without the intermediate years. A simple "
                f"average of the total growth gives {r['simple']} a year.")
    return Check(
        "tax-growth", [rate_id, start_id, end_id], f"The zone's tax revenue grew {shown(rate_id)} a year, 2020 to 2024",
        "Does the zone's tax revenue, from 2020 to 2024, grow by the stated average annual rate?",
        "recomputation from the article's own numbers",
        f"({shown(end_id)} ÷ {shown(start_id)})^(1/{years:.0f}) − 1 = {r['compound']} a year, compounded over the "
        f"{r['years']} from 2020 to 2024, against the stated {shown(rate_id)}.",
        f"{finding} {readings}" if not agree else finding,
        "consistent with" if agree else "inconsistent", _precision(start_id, end_id, rate_id),
    )


def tax_scale() -> Check:
    tax, gdp, output, fiscal, city_gdp = "zone-tax-2020", "ctx-061", "ctx-062", "ctx-040", "ctx-035"
    of_gdp, of_output = computed.share(tax, gdp, 2), computed.share(tax, output, 2)
    city = computed.share(fiscal, city_gdp, 0)
    times = float(city) / float(of_gdp)
    if times >= ORDER_OF_MAGNITUDE:
        verdict, finding = "consistent with", (
            f"The city's ratio is {number(times, 0)} times the zone's share: the zone's figure cannot be all the tax "
            "collected in the zone, so it must be a narrow measure, such as the revenue the zone keeps for itself, which the "
            "article does not define. Read that way, the figure is plausible; the book cannot check it further.")
    elif times >= 1:
        verdict, finding = "consistent with", ("The zone's share is below the city's, as a share of tax within broad "
                                               "fiscal revenue would be: the figure is on a plausible scale.")
    else:
        verdict, finding = "cannot be checked", (
            "The zone's share of its first-half GDP is above the city's fiscal revenue as a share of a full year's "
            "GDP; without the zone's full-year GDP the test cannot decide.")
    return Check(
        "tax-scale", [tax], f"The zone's tax revenue was {shown(tax)} in 2020",
        "Is the zone's tax revenue on the scale of the zone's economy?",
        "range or plausibility test",
        f"{shown(tax)} is {of_gdp} of the zone's GDP in the first half of 2020 alone ({shown(gdp)}, {gdp}) and "
        f"{of_output} of the gross output of its industrial firms above designated size in that half year "
        f"({shown(output)}, {output}); against a full year's GDP the share would be smaller still. For the city "
        f"as a whole, broad fiscal revenue, which includes all taxes collected, was about {city} of GDP in 2025 "
        f"({shown(fiscal)} of {shown(city_gdp)}; {fiscal}, {city_gdp}; both lower bounds, so the ratio is approximate).",
        finding, verdict,
        f"an order of magnitude: the two sides differ in year, area and measure, so only a gap of more than "
        f"{ORDER_OF_MAGNITUDE} times counts", [gdp, output, fiscal, city_gdp], since="1.1.0",
    )


def zone_count() -> Check:
    claim, other = "etdz-national-count", "ctx-067"
    rating, result = compared(claim, other, ("measure", "area"))
    row = source(other)
    reported = row.source_date[:4]
    if reported == source(claim).period:
        suggests = " as the count suggests" if bounds.of(claim).overlaps(bounds.of(other)) else ""
        dating = (f"The article dates its ranking {source(claim).period}; this round was reported in "
                  f"{pd.Timestamp(row.source_date):%B %Y} and rated the zones' performance in {row.period_end}, so the "
                  f"article's rank, if it comes from this round{suggests}, describes {row.period_end}.")
    else:
        dating = f"The article dates its ranking {source(claim).period}; this round was reported in {reported}."
    return Check(
        "zone-count", [claim], f"The national ranking of development zones covered {shown(claim)}",
        "Were there as many national development zones in the ranking as the article says?",
        "exact comparison with an independent source",
        f"The article's {shown(claim)} against the {shown(other)} that the Ministry of Commerce's assessment "
        f"covered ({other}).",
        f"{result} {dating}", rating, "exact count", [other],
    )


def zone_rank() -> Check:
    claim = "zone-national-rank"
    rows = alike(claim)
    rating, result = compared(claim, rows[0]) if rows else (
        "cannot be checked", "None of the sources in this book lists the ranking, so the rank cannot be compared. "
                             "The article does not name the ranking or its measures.")
    return Check(
        "zone-rank", [claim], f"The zone ranked {shown(claim)} among national development zones",
        "Was the zone ranked as the article says in the 2023 national assessment?",
        "exact comparison with an independent source",
        f"Context rows giving the zone's rank in any round: {len(rows)}.", result, rating, "exact rank", rows,
    )


def mixed_numeral() -> Check:
    rank = source("zone-national-rank")
    mixed = re.search(r"[0-9][零一二两三四五六七八九十百千]", rank.numeral)
    return Check(
        "mixed-numeral", ["zone-national-rank"], f"The zone ranked {shown('zone-national-rank')}",
        "Is the rank printed as a well-formed number?", TEXT_KIND,
        f"The numeral {rank.numeral!r} " + (f"mixes an Arabic digit with Chinese numerals; read digit by digit as "
                                            f"Chinese it is {int(rank.value)}." if mixed else "is well formed."),
        f"A printing slip: the only sensible reading of 第{rank.numeral}位 is {shown('zone-national-rank')}." if mixed
        else "The rank is printed as intended.",
        "error in the source" if mixed else "consistent with", "well-formed numeral",
    )


def founding_year() -> Check:
    claim, other, second = "zone-founding-year", "ctx-063", "ctx-065"
    rating, result = compared(claim, other, ("measure", "area"))  # a date of an event: no period to compare
    also = source(second)
    agrees = bounds.of(claim).overlaps(bounds.of(second))
    return Check(
        "founding-year", [claim], f"The development zone was founded in {shown(claim)}",
        "Was the zone founded in the year the article says?",
        "exact comparison with an independent source",
        f"The article's {shown(claim)} against {shown(other)} ({other}) and {also.value_as_printed} ({second}).",
        f"{result} {second}, graded {also.reliability}, {'agrees' if agrees else 'disagrees'}: it gives "
        f"{also.value_as_printed}.",
        rating, "exact year", [other, second],
    )


def checks() -> list[Check]:
    return [
        industrial_growth(), provincial_growth(), cluster_scale(), cells_per_day(), export_share(), graphene(),
        localisation(), new_energy(), cell_makers(), funds_growth(), tax_growth(), tax_scale(), zone_count(),
        zone_rank(), mixed_numeral(), founding_year(),
    ]


def used_context() -> set[str]:
    """The context rows that the checks use."""
    return {i for c in checks() for i in c.context}


# --- ClaimReview ----------------------------------------------------------------------------------

def dates(check: Check) -> tuple[str, str | None]:
    """When the check was first published, and when it was last corrected (None if never)."""
    corrected = tables().corrections
    changes = sorted(str(d) for d in corrected[corrected.item == check.id].date)
    return RELEASED[check.since], (changes[-1] if changes else None)


def claim_review(check: Check, book: citation.Book, page: str) -> dict:
    """schema.org ClaimReview for one check, with Google's required and recommended fields.

    Nothing unknown is written: with no published address the URL fields are left out (a placeholder is
    worse than nothing in machine-readable data), and the claim's datePublished and the appearance's url
    are left out because the article states neither its date nor its outlet (data/source/record.json)."""
    rec = record()
    reviewed = source(check.claims[0])
    published, modified = dates(check)
    authors = [{"@type": "Person", "name": name} for name in rec["authors"]]
    appearance = {"@type": "CreativeWork", "headline": rec["title"], "alternativeHeadline": rec["subtitle"],
                  "author": authors, "inLanguage": "zh"}
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": check.summary,
        "datePublished": published,
        **({"dateModified": modified} if modified else {}),
        "inLanguage": "en",
        "itemReviewed": {"@type": "Claim", "text": reviewed.quote, "inLanguage": "zh", "author": authors,
                         "appearance": appearance},
        "author": {"@type": "Organization", "name": book.author},
        "reviewRating": {"@type": "Rating", "name": check.rating, "alternateName": check.rating,
                         "ratingExplanation": check.result},
        "reviewBody": f"{check.question} The article: “{reviewed.quote}” ({reviewed.translation}). {check.computation}",
    }
    if url := book.link(f"{page}#check-{check.id}"):
        review["url"] = url
        review["author"]["url"] = book.link()
        appearance["archivedAt"] = book.link("data/source/article.zh.txt")
    return review


def _json_ld(data: dict) -> str:
    """JSON for a <script> element: '<', '>' and '&' escaped so no text can close the element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


class Scale:
    """The ratings and the kinds of check, with the rating each kind can give at most (display it in a notebook)."""

    def __init__(self, lang: str = "en"):
        self.lang = lang

    def __repr__(self) -> str:
        return f"<fact-check scale: {len(RATINGS)} ratings, {len(KINDS)} kinds of check>"

    def _repr_html_(self) -> str:
        ratings = "".join(f"<dt>{escape(name)}</dt><dd>{escape(text)}</dd>" for name, text in RATINGS.items())
        kinds = "".join(f"<dt>{escape(k.name)}</dt><dd>{escape(k.description)} At most “{escape(k.ceiling)}”"
                        f"{' (or “error in the source”)' if k.name == TEXT_KIND else ''}.</dd>" for k in KINDS.values())
        return (f'<dl class="fact-check-scale">{ratings}</dl>'
                f'<p>Each check is one of these kinds, and its kind caps its rating:</p>'
                f'<dl class="fact-check-kinds">{kinds}</dl>')


class Table:
    """The fact-check table, as HTML with one ClaimReview per row (display it in a notebook)."""

    def __init__(self, page: str = "chapters/05-fact-check.html", lang: str = "en"):
        self.checks = checks()
        self.page, self.lang = page, lang
        self.book = citation.configured_book(lang)

    def __repr__(self) -> str:
        """Stored as the text/plain output in the published notebook: no memory address, so it is reproducible."""
        return f"<fact-check table: {len(self.checks)} checks>"

    def counts(self) -> dict[str, int]:
        return {v: sum(c.rating == v for c in self.checks) for v in RATINGS}

    def _repr_html_(self) -> str:
        """A summary table (claim, question, kind, rating) and, below it, one block per check with
        its computation, result, sources and ClaimReview. All data text is escaped."""
        rating = lambda c: (f'<strong class="verdict verdict-{c.rating.replace(" ", "-")}">'  # noqa: E731
                            f"{escape(c.rating)}</strong>")
        summary, details = [], []
        for c in self.checks:
            quote = escape(source(c.claims[0]).quote)
            summary.append(f'<tr><td><span lang="zh">{quote}</span></td><td>{chinese.html(c.question)}</td>'
                           f"<td>{escape(c.kind)}</td><td>{rating(c)}</td>"
                           f'<td><a href="#check-{escape(c.id)}">details</a></td></tr>')
            claims = ", ".join(f'<a href="claims.html#claim-{escape(i)}">{escape(i)}</a>' for i in c.claims)
            context = ", ".join(f'<a href="sources.html#{escape(i)}">{escape(i)}</a> ({escape(source(i).reliability)})'
                                for i in c.context) or "none"
            kind = KINDS[c.kind]
            review = _json_ld(claim_review(c, self.book, self.page))
            details.append(
                f'<section class="fact-check-item" id="check-{escape(c.id)}" aria-labelledby="check-{escape(c.id)}-title">'
                f'<p class="fact-check-title" id="check-{escape(c.id)}-title"><strong>{chinese.html(c.question)}</strong> '
                f"{rating(c)}</p>"
                f'<blockquote><span lang="zh">{quote}</span></blockquote><dl>'
                f"<dt>Kind of check</dt><dd>{escape(c.kind)}: {escape(kind.description)} "
                f"At most “{escape(kind.ceiling)}”.</dd>"
                f"<dt>Computation</dt><dd>{chinese.html(c.computation)}</dd>"
                f"<dt>Result</dt><dd>{chinese.html(c.result)}</dd>"
                f"<dt>Tolerance</dt><dd>{chinese.html(c.tolerance)}</dd>"
                f"<dt>Claims</dt><dd>{claims}</dd><dt>Independent sources</dt><dd>{context}</dd></dl>"
                f'<script type="application/ld+json">{review}</script></section>'
            )
        head = "".join(f"<th>{h}</th>" for h in ("Claim", "What was checked", "Kind", "Rating", ""))
        return (f'<div class="table-scroll"><table class="data-table fact-check"><thead><tr>{head}</tr></thead>'
                f"<tbody>{''.join(summary)}</tbody></table></div>{''.join(details)}")
