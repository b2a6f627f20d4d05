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
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from html import escape

import pandas as pd

from . import RELEASED, bounds, chinese, citation, computed, editions, reads
from .data import record, source, tables
from .formatting import grade_note, grade_words, money, number, shown, with_unit, words
from .labels import Labels, labels

RATINGS = ("verified", "consistent with", "inconsistent", "cannot be checked", "error in the source")
POSITIVE = ("verified", "consistent with")  # the ratings a kind can cap, strongest first


@dataclass(frozen=True)
class Kind:
    name: str  # its id; its name and description in words are in the labels
    ceiling: str  # the strongest rating this kind of evidence can give


SOURCE_KIND = "comparison with an independent source"  # the one kind that can verify
TEXT_KIND = "reading of the printed text"
KINDS = {k.name: k for k in (
    Kind(SOURCE_KIND, "verified"),
    Kind("recomputation from the article's own numbers", "consistent with"),
    Kind("necessary condition", "consistent with"),
    Kind("range or plausibility test", "consistent with"),
    Kind(TEXT_KIND, "consistent with"),
)}
PAGE = "chapters/05-fact-check"  # the page that publishes the checks (its Sphinx docname)
SUMMARY_LENGTH = 75  # Google's limit for ClaimReview's claimReviewed
ORDER_OF_MAGNITUDE = 10  # a gap that survives comparing unlike measures, years and areas
# The forms of the data's periods, each with the key of its words in the labels (factcheck.periods; the
# charts' titles and subtitles: common.periods).
PERIODS = {
    "year": r"(?P<year>\d{4})", "first_half": r"(?P<year>\d{4})-H1", "three_quarters": r"(?P<year>\d{4})-Q1-Q3",
    "months": r"(?P<year>\d{4})-(?P<first>\d\d)\.\.(?P<last>\d\d)",
    "month": r"(?P<year>\d{4}) \((?P<month>[A-Z][a-z]{2})\)",
    "as_of": r"(?P<year>\d{4}) \(as of (?P<month>[A-Z][a-z]{2})\)",
    "end_of": r"(?P<year>\d{4}) \(end (?P<month>[A-Z][a-z]{2})\)",
    "years": r"(?P<year>\d{4})-(?P<end>\d{4})", "since": r"since (?P<year>\d{4})",
}


def words_of(lang: str) -> Labels:
    """The fact-check's words in ``lang``."""
    return labels("factcheck", lang)


def rating_name(rating: str, lang: str = "en") -> str:
    return words_of(lang)["ratings"][rating]


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
    lang: str = "en"  # the language of its texts
    rating: str = field(init=False)  # one of RATINGS, the same in every language

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

    @property
    def verdict(self) -> str:
        """The rating's name in the check's language."""
        return rating_name(self.rating, self.lang)


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


def period(text: str, lang: str = "en", forms: dict[str, str] | None = None) -> str:
    """A period of the data in words: '2023-H1' (Chinese: 2023年上半年), in the fact-check's words for its
    form or in ``forms`` (the charts' prose: 'first half of 2023'). An unknown form fails by name."""
    forms = forms or words_of(lang)["periods"]
    for key, pattern in PERIODS.items():
        found = re.fullmatch(pattern, text)
        if found:
            if key not in forms:
                raise ValueError(f"no words for the form {key!r} of the period {text!r}: add them to the periods")
            parts = {k: int(v) for k, v in found.groupdict().items() if k != "month"}
            when = datetime.strptime(f"{found['year']} {found.groupdict().get('month') or 'Jan'}", "%Y %b").date()
            return forms[key].format(**parts, date=when)
    raise ValueError(f"the period {text!r} has no form in factcheck.PERIODS: add it, with its words in the labels")


def _period(row_id: str, lang: str = "en") -> str:
    row = source(row_id)
    text = period(row.period, lang)
    if row_id[:4] != "ctx-" and row.period_inferred:
        return words_of(lang)("inferred", period=text)
    return text


def _year(row_id: str) -> int:
    """The year in which a row's period ends."""
    return int((period_end(row_id) or re.search(r"\d{4}", source(row_id).period).group())[:4])


def _day(text: str) -> date:
    """A date of the data (YYYY-MM-DD, YYYY-MM or YYYY)."""
    return datetime.strptime(text, {10: "%Y-%m-%d", 7: "%Y-%m", 4: "%Y"}[len(text)]).date()


def _area(row_id: str) -> str:
    row = source(row_id)
    return row.area if row_id[:4] == "ctx-" else row.subject_type


def _indicator(row_id: str, lang: str = "en") -> str:
    """What a row measures: a context row's indicator (in English, with its Chinese), a claim's indicator."""
    row = source(row_id)
    if row_id[:4] == "ctx-":
        return words_of(lang)("indicator", english=row.indicator_en.lower(), chinese=row.indicator_zh)
    return row.indicator.lower() if lang == "en" else _chinese_indicator(row_id)


def _chinese_indicator(claim: str) -> str:
    """A claim's indicator in Chinese: that of the context rows of its measure, else the claim's own words."""
    rows = tables().context
    same = rows[(rows.measure == source(claim).measure) & ~rows.target]
    return same.indicator_zh.iloc[0] if len(same) else f"“{source(claim).quote}”所说的指标"


def _join(items: list[str], lang: str, how: str = "list") -> str:
    return words_of(lang)[how].join(items)


def _sentences(parts: list[str], lang: str) -> str:
    return _join([p for p in parts if p], lang, "sentence")


def _cited(row_id: str, lang: str) -> str:
    """A row's id for brackets, with its grade note inside them: '(ctx-021, low-reliability source)', not
    '(low-reliability source) (ctx-021)'."""
    note = grade_words(row_id, lang)
    return words_of(lang)("cited", id=row_id, note=note) if note else row_id


def differences(claim: str, other: str, dims: tuple[str, ...] = ("measure", "area", "period"),
                lang: str = "en") -> list[str]:
    """How ``other`` differs from ``claim`` in measure, area and period, each in words; empty when alike."""
    w, found = words_of(lang), []
    if "measure" in dims and source(claim).measure != source(other).measure:
        found.append(w("measure_differs", other=other, other_measure=_indicator(other, lang),
                       claim_measure=_indicator(claim, lang)))
    if "area" in dims and _area(claim) != _area(other):
        found.append(w("area_differs", other=other, other_area=w["areas"][_area(other)],
                       claim_area=w["areas"][_area(claim)]))
    if "period" in dims and period_end(claim) != period_end(other):
        found.append(w("period_differs", other=other, other_period=_period(other, lang),
                       claim_period=_period(claim, lang)))
    return found


def _grade(row_id: str, agree: bool, lang: str = "en") -> str:
    w, grade = words_of(lang), source(row_id).reliability
    if grade == "high":
        return ""
    graded = w("graded", id=row_id, grade=w["grade_names"][grade], meaning=w["grades"][grade])
    return w("graded_match" if agree else "graded_other", graded=graded)


def _unlike(diffs: list[str], lang: str = "en") -> str:
    return words_of(lang)("unlike", differences=_join(diffs, lang, "semicolon")) if diffs else ""


def rated(holds: bool, unlike: bool, verifiable: bool = False) -> str:
    """A test that holds rates 'verified' only if it can verify and its sides are alike, else 'consistent with';
    one that fails rates 'inconsistent' if its sides are alike, else 'cannot be checked': the difference may
    explain the failure."""
    if holds:
        return "verified" if verifiable and not unlike else "consistent with"
    return "cannot be checked" if unlike else "inconsistent"


def compared(claim: str, other: str, dims: tuple[str, ...] = ("measure", "area", "period"),
             lang: str = "en") -> tuple[str, str]:
    """The rating a comparison of ``claim`` with the context row ``other`` gives, and the result in words:
    agreement within the printed precision verifies only with a source of high reliability."""
    w = words_of(lang)
    agree = bounds.of(claim).overlaps(bounds.of(other))
    diffs = differences(claim, other, dims, lang)
    high = source(other).reliability == "high"
    sentences = [w("agree" if agree else "disagree", claim=shown(claim, lang), other=shown(other, lang), id=other),
                 _unlike(diffs, lang)]
    if not agree and diffs:
        sentences.append(w["may_explain"])
    sentences.append(_grade(other, agree, lang))
    return rated(agree, bool(diffs), verifiable=high), _sentences(sentences, lang)


def _comparison(check_id: str, claim: str, other: str, lang: str, tolerance: str = "", since: str = "1.0.0",
                dims: tuple[str, ...] = ("measure", "area", "period"), notes: Sequence[str] = (),
                **values: object) -> Check:
    """A check that sets a claim beside one independent context row, alike in ``dims``; its words are the
    labels' section ``check-<check_id>``, filled with ``values``; ``notes`` end its result."""
    w = labels(f"check-{check_id}", lang)
    rating, result = compared(claim, other, dims, lang)
    result = _sentences([result, *notes], lang)
    return Check(check_id, [claim], w("summary", claim=shown(claim, lang), **values), w["question"],
                 SOURCE_KIND,
                 w("computation", claim=shown(claim, lang), other=shown(other, lang), id=other, **values),
                 result, rating, tolerance or _precision(lang, claim, other), [other], since=since, lang=lang)


def alike(claim: str) -> list[str]:
    """Context rows of the claim's measure and area, oldest first."""
    rows = tables().context
    found = rows[(rows.measure == source(claim).measure) & (rows.area == _area(claim)) & ~rows.target]
    return list(found.sort_values("period_end").id)


def _precision(lang: str, *row_ids: str) -> str:
    """The tolerance, in words: the values each number stands for, from its printed precision (a
    bound: from the lowest value it stands for up, or up to the highest)."""
    w = words_of(lang)

    def stands_for(i: str) -> str:
        found, qualifier = bounds.of(i), source(i).qualifier
        if qualifier in (bounds.FLOOR, bounds.CEILING):
            template, level = ("floor", found.low) if qualifier == bounds.FLOOR else ("ceiling", found.high)
            return w(f"precision_{template}", shown=shown(i, lang), printed=bounds.printed(i),
                     level=_amount(i, level, lang, level=True))
        return w("precision", shown=shown(i, lang), printed=bounds.printed(i), amount=_amount(i, found.step, lang))

    return _join([stands_for(i) for i in row_ids], lang, "semicolon")


def _amount(row_id: str, base_value: float, lang: str, level: bool = False) -> str:
    """An amount in the row's base unit; of a percentage, in percentage points, or a ``level`` in %."""
    unit = tables().units.loc[source(row_id).unit]
    if unit.quantity == "money":
        return money(base_value, lang)
    if unit.base_unit == "%" and level:
        return computed.percent(base_value, None, lang).text
    if unit.base_unit == "%":
        return words(lang).points.format(number(base_value, lang=lang))
    return with_unit(number(base_value, lang=lang), unit.base_unit, lang)


# --- the checks, in the order of the article --------------------------------------------------------

def industrial_growth(lang: str = "en") -> Check:
    w = labels("check-industrial-growth", lang)
    claim = "industrial-growth-h1"
    rows = alike(claim)
    same = [i for i in rows if period_end(i) == period_end(claim)]
    if same:
        rating, result = compared(claim, same[0], lang=lang)
        computation = w("computation_same", claim=shown(claim, lang), other=shown(same[0], lang), id=same[0])
    else:
        rating = "cannot be checked"
        others = _join([w("row", value=shown(i, lang), period=period(source(i).period, lang), id=_cited(i, lang))
                        for i in rows], lang)
        computation = w("computation_rows", rows=others or w["none"])
        spread = sorted(rows, key=lambda i: source(i).value)
        span = w("span", low=shown(spread[0], lang), high=shown(spread[-1], lang)) if len(spread) > 1 else ""
        result = w("result", indicator=_indicator(claim, lang), period=_period(claim, lang), span=span)
    return Check(
        "industrial-growth", [claim], w("summary", claim=shown(claim, lang)), w("question", claim=shown(claim, lang)),
        SOURCE_KIND, computation, result, rating,
        _precision(lang, claim), same or rows, since="1.1.0", lang=lang,
    )


def provincial_growth(lang: str = "en") -> Check:
    w = labels("check-provincial-growth", lang)
    claim, city, province = "industrial-growth-rank", "industrial-growth-h1", "ctx-071"
    reports = ["ctx-012", "ctx-015", "ctx-024"]
    faster = bounds.of(city).low > bounds.of(province).high
    diffs = differences(city, province, ("measure", "period"), lang)  # the areas differ by design
    pair = dict(city=shown(city, lang), province=shown(province, lang))
    finding = (w("faster", **pair, times=computed.ratio(city, province, 1, lang)) if faster
               else w("not_faster", **pair))
    flagged = [i + grade_note(i, lang) for i in reports]
    history = w("history", until=max(_day(source(i).period_end) for i in reports), year=_year(city),
                ids=_join(flagged[:-1], lang) + words_of(lang)["and"] + flagged[-1])
    inferred = w["inferred"] if source(city).period_inferred else ""
    rating = rated(faster, bool(diffs))
    return Check(
        "provincial-growth", [claim, city], w["summary"], w["question"], "necessary condition",
        w("computation", **pair, id=province, period=_period(province, lang)),
        _sentences([finding, _unlike(diffs, lang), history, inferred], lang), rating,
        _precision(lang, city, province), [province, *reports], lang=lang,
    )


def cluster_scale(lang: str = "en") -> Check:
    w = labels("check-cluster-scale", lang)
    claim, first_half, three_quarters = "nonferrous-cluster-scale", "ctx-013", "ctx-016"
    clusters = computed.total("system-major-count", "system-minor-count", lang=lang)
    holds = bounds.of(three_quarters).high >= bounds.of(claim).low
    diffs = differences(claim, three_quarters, ("area", "period"), lang)
    finding = w("holds" if holds else "fails", clusters=clusters, three_quarters=shown(three_quarters, lang),
                year=_year(three_quarters))
    rating = rated(holds, bool(diffs))
    return Check(
        "cluster-scale", [claim], w["summary"], w["question"], "necessary condition",
        w("computation", clusters=clusters, first_half=shown(first_half, lang), year=_year(first_half),
          first_half_id=first_half, three_quarters=shown(three_quarters, lang), three_quarters_id=three_quarters,
          bottom=money(bounds.of(claim).low, lang)),
        _sentences([finding, _unlike(diffs, lang), w["caveat"], w("label", plan="system-major-scale")], lang), rating,
        w("tolerance", bottom=money(bounds.of(claim).low, lang), top=money(bounds.of(claim).high, lang)),
        [first_half, three_quarters], since="1.1.0", lang=lang,
    )


def cells_per_day(lang: str = "en") -> Check:
    w = labels("check-cells-per-day", lang)
    claim, capacity = "jinhongxiang-cells-per-day", "ctx-059"
    fits = bounds.of(claim).low <= bounds.of(capacity).high
    diffs = differences(claim, capacity, ("area", "period"), lang)  # output against capacity, by design
    share = computed.share(claim, capacity, 0, lang)
    finding = w("fits" if fits else "exceeds", share=share, capacity=shown(capacity, lang), year=_year(capacity))
    rating = rated(fits, bool(diffs))
    return Check(
        "cells-per-day", [claim], w("summary", claim=shown(claim, lang)), w["question"], "necessary condition",
        w("computation", claim=shown(claim, lang), capacity=shown(capacity, lang), id=capacity, share=share),
        _sentences([finding, _unlike(diffs, lang), w["caveat"]], lang), rating,
        _precision(lang, claim, capacity), [capacity], lang=lang,
    )


def export_share(lang: str = "en") -> Check:
    w = labels("check-export-share", lang)
    claim, other = "jinhongxiang-export-share", "ctx-060"
    published = _day(source(other).source_date)
    # Compared in measure and area only: the article's year is when it was written, not a period of account.
    when = w("when", year=_year(claim), id=other, date=published, earliest=_day(record()["date"]["earliest"]))
    return _comparison("export-share", claim, other, lang, since="1.1.0", dims=("measure", "area"),
                       notes=[when, w("said", id=other)], date=published)


def graphene(lang: str = "en") -> Check:
    w = labels("check-graphene-typo", lang)
    quote = source("graphene-powder-project").quote
    dropped = re.search(r"(?<!石)墨烯", quote)
    return Check(
        "graphene-typo", ["graphene-powder-project"], w("summary", quote=quote), w["question"], TEXT_KIND,
        w("dropped" if dropped else "whole", quote=quote), w["result_dropped" if dropped else "result_whole"],
        "error in the source" if dropped else "consistent with", w["tolerance"], lang=lang,
    )


LOCAL_RATES = ("battery-materials-localisation-rate", "battery-materials-local-supply-rate",
               "battery-base-materials-local-supply-rate")


def localisation(lang: str = "en") -> Check:
    w = labels("check-localisation", lang)
    claim = "battery-material-localisation"
    rows = tables().context[tables().context.measure.isin(LOCAL_RATES)].sort_values("period_end")
    reports, targets = rows[~rows.target], rows[rows.target]
    here = [i for i in reports.id if _area(i) == _area(claim)]
    elsewhere = [i for i in reports.id if _area(i) != _area(claim)]
    # Below it for sure, or possibly (a lower bound, '75%以上', may have been higher), or not.
    claimed = bounds.of(claim)
    below = ["below" if bounds.of(i).high <= claimed.low else "may_be_below" if bounds.of(i).low < claimed.high
             else "not_below" for i in here]
    fits = bool(here) and "not_below" not in below
    diffs = sorted({d for i in here for d in differences(claim, i, ("measure",), lang)})
    earlier = _join([w(b, value=shown(i, lang), period=period(source(i).period, lang), id=i)
                     for i, b in zip(here, below)], lang, "semicolon")
    stated = source(claim).value
    holds = "" if not fits else w["holds"] if set(below) == {"below"} else w["not_contradicted"]
    parts = [
        w("earlier", rows=earlier or w["no_rows"], holds=holds),
        _unlike(diffs, lang),
        w("elsewhere", rows=_join([w("elsewhere_row", value=shown(i, lang), id=i) for i in elsewhere], lang, "and"))
        if elsewhere else "",
        *(w("target_reached" if source(t).value == stated else "target_other", date=_day(source(t).period_end),
            target=shown(t, lang), id=t) for t in targets.id),
        w("unquoted", year=_year("ctx-055"), id="ctx-055"),
    ]
    rating = rated(fits, bool(diffs) or not here)
    return Check(
        "localisation", [claim], w("summary", claim=shown(claim, lang)), w("question", claim=shown(claim, lang)),
        "necessary condition",
        w("computation", claim=shown(claim, lang),
          rows=_join([w("computation_row", value=shown(i, lang), period=period(source(i).period, lang), id=i)
                      for i in here], lang) or w["none"]),
        _sentences(parts, lang), rating, _precision(lang, claim, *here), list(rows.id), lang=lang,
    )


def _years(start: pd.Timestamp, end: pd.Timestamp) -> float:
    return (end - start).days / 365.25


def _ends(row_id: str) -> pd.Timestamp:
    """The last day of a context row's period_end (a year, month or day)."""
    end = source(row_id).period_end
    return pd.Period(end, {4: "Y", 7: "M", 10: "D"}[len(end)]).end_time.normalize()


def new_energy(lang: str = "en") -> Check:
    w = labels("check-new-energy-share", lang)
    claim = "new-energy-share"
    series = alike(claim)
    paces = [(source(b).value - source(a).value) / _years(_ends(a), _ends(b)) for a, b in zip(series, series[1:])]
    last = series[-1]
    window = record()["date"]
    earliest, latest = pd.Timestamp(window["earliest"]), pd.Timestamp(window["latest_likely"])
    step = bounds.of(claim).step
    low = source(last).value + min(paces) * _years(_ends(last), earliest) - step
    high = source(last).value + max(paces) * _years(_ends(last), latest) + step
    shown_range = dict(low=number(low, 1, lang), high=number(high, 1, lang))
    stated = bounds.of(claim)
    within = stated.overlaps(bounds.Bounds(low, high, step))
    where = "within" if within else ("above" if stated.low > high else "below")
    approx = [i for i in series if source(i).period_end_approx]
    dated = (w("approximate_one" if len(approx) == 1 else "approximate_many", ids=_join(approx, lang, "and"))
             if approx else "")
    return Check(
        "new-energy-share", [claim], w("summary", claim=shown(claim, lang)), w("question", claim=shown(claim, lang)),
        "range or plausibility test",
        w("computation", last=shown(last, lang), period=period(source(last).period, lang), id=last,
          paces=_join([number(p, 1, lang) for p in paces], lang, "and"), **shown_range,
          earliest=earliest.date(), latest=latest.date()),
        _sentences([w(where, claim=shown(claim, lang), **shown_range), dated], lang),
        "consistent with" if within else "inconsistent",
        _precision(lang, claim), series, lang=lang,
    )


def cell_makers(lang: str = "en") -> Check:
    claim, other = "zone-cell-makers", "ctx-058"
    return _comparison("cell-makers", claim, other, lang, labels("check-cell-makers", lang)["tolerance"],
                       period=period(source(other).period, lang))


def funds_growth(lang: str = "en") -> Check:
    claim, other = "zone-funds-growth", "ctx-042"
    return _comparison("funds-growth", claim, other, lang, year=_since(claim), claim_period=_period(claim, lang),
                       area=words_of(lang)["areas"][_area(other)], period=period(source(other).period, lang))


def _since(claim: str) -> int:
    """The first year of a period 'since YYYY'."""
    return int(re.fullmatch(PERIODS["since"], source(claim).period)["year"])


def tax_growth(lang: str = "en") -> Check:
    w = labels("check-tax-growth", lang)
    start_id, end_id, rate_id = "zone-tax-2020", "zone-tax-2024", "zone-tax-growth"
    r = computed.growth_readings(start_id, end_id, rate_id, lang)
    years = float(r["years"])
    start, end, stated = bounds.of(start_id), bounds.of(end_id), bounds.of(rate_id)
    lowest = computed.compound_growth(start.high, end.low, years)
    highest = computed.compound_growth(start.low, end.high, years)
    agree = stated.overlaps(bounds.Bounds(lowest, highest, 0))
    gap = source(rate_id).value - highest
    ends = dict(start_year=_year(start_id), end_year=_year(end_id))
    finding = w("within" if agree else "above", lowest=number(lowest, 1, lang), highest=number(highest, 1, lang),
                gap=number(gap, 1, lang))
    readings = w("readings", rate=shown(rate_id, lang), start=shown(start_id, lang), **ends,
                 **{k: r[k] for k in ("years_short", "compound_short", "implied_years", "implied_start", "simple")})
    return Check(
        "tax-growth", [rate_id, start_id, end_id], w("summary", rate=shown(rate_id, lang), **ends),
        w("question", **ends), "recomputation from the article's own numbers",
        w("computation", end=shown(end_id, lang), start=shown(start_id, lang), years=number(years, 0, lang),
          compound=r["compound"], span=r["years"], rate=shown(rate_id, lang), **ends),
        finding if agree else _sentences([finding, readings], lang),
        "consistent with" if agree else "inconsistent", _precision(lang, start_id, end_id, rate_id), lang=lang,
    )


def tax_scale(lang: str = "en") -> Check:
    w = labels("check-tax-scale", lang)
    tax, gdp, output, fiscal, city_gdp = "zone-tax-2020", "ctx-061", "ctx-062", "ctx-040", "ctx-035"
    of_gdp, of_output = computed.share(tax, gdp, 2, lang), computed.share(tax, output, 2, lang)
    city = computed.share(fiscal, city_gdp, 0, lang)
    times = float(city) / float(of_gdp)
    if times >= ORDER_OF_MAGNITUDE:  # too small to be all the tax: only a measure the article does not define fits
        verdict, finding = "cannot be checked", w("narrow", times=number(times, 0, lang))
    elif times >= 1:
        verdict, finding = "consistent with", w["plausible"]
    else:
        verdict, finding = "cannot be checked", w["undecided"]
    return Check(
        "tax-scale", [tax], w("summary", tax=shown(tax, lang), year=_year(tax)), w["question"],
        "range or plausibility test",
        w("computation", tax=shown(tax, lang), of_gdp=of_gdp, year=_year(gdp), gdp=shown(gdp, lang), gdp_id=gdp,
          of_output=of_output, output=shown(output, lang), output_id=output, city=city, city_year=_year(city_gdp),
          fiscal=shown(fiscal, lang), city_gdp=shown(city_gdp, lang), fiscal_id=fiscal, city_gdp_id=city_gdp),
        finding, verdict, w("tolerance", times=number(ORDER_OF_MAGNITUDE, lang=lang)),
        [gdp, output, fiscal, city_gdp], since="1.1.0", lang=lang,
    )


def zone_count(lang: str = "en") -> Check:
    w = labels("check-zone-count", lang)
    claim, other = "etdz-national-count", "ctx-067"
    rating, result = compared(claim, other, ("measure", "area"), lang)
    row = source(other)
    reported = _day(row.source_date)
    if str(reported.year) == source(claim).period:
        suggests = w["suggests"] if bounds.of(claim).overlaps(bounds.of(other)) else ""
        dating = w("dated", year=_year(claim), reported=reported, rated=period(row.period_end, lang), suggests=suggests)
    else:
        dating = w("reported", year=_year(claim), reported=reported)
    return Check(
        "zone-count", [claim], w("summary", claim=shown(claim, lang)), w["question"],
        SOURCE_KIND,
        w("computation", claim=shown(claim, lang), other=shown(other, lang), id=other),
        _sentences([result, dating], lang), rating, w["tolerance"], [other], lang=lang,
    )


def zone_rank(lang: str = "en") -> Check:
    w = labels("check-zone-rank", lang)
    claim = "zone-national-rank"
    rows = alike(claim)
    rating, result = compared(claim, rows[0], lang=lang) if rows else ("cannot be checked", w["result_none"])
    return Check(
        "zone-rank", [claim], w("summary", claim=shown(claim, lang)), w("question", year=_year(claim)),
        SOURCE_KIND,
        w("computation", count=number(len(rows), lang=lang)), result, rating, w["tolerance"], rows, lang=lang,
    )


def mixed_numeral(lang: str = "en") -> Check:
    w = labels("check-mixed-numeral", lang)
    rank = source("zone-national-rank")
    mixed = re.search(r"[0-9][零一二两三四五六七八九十百千]", rank.numeral)
    claim = shown("zone-national-rank", lang)
    return Check(
        "mixed-numeral", ["zone-national-rank"], w("summary", numeral=rank.numeral), w["question"], TEXT_KIND,
        w("mixed", numeral=rank.numeral, value=number(rank.value, 0, lang)) if mixed
        else w("well_formed", numeral=rank.numeral),
        w("result_mixed", numeral=rank.numeral, claim=claim) if mixed else w["result_well_formed"],
        "error in the source" if mixed else "consistent with", w["tolerance"], lang=lang,
    )


def founding_year(lang: str = "en") -> Check:
    w = labels("check-founding-year", lang)
    claim, other, second = "zone-founding-year", "ctx-063", "ctx-065"
    rating, result = compared(claim, other, ("measure", "area"), lang)  # a date of an event: no period to compare
    also = source(second)
    agrees = bounds.of(claim).overlaps(bounds.of(second))
    return Check(
        "founding-year", [claim], w("summary", claim=shown(claim, lang)), w["question"],
        SOURCE_KIND,
        w("computation", claim=shown(claim, lang), other=shown(other, lang), id=other, second=also.value_as_printed,
          second_id=second),
        _sentences([result, w("agrees" if agrees else "disagrees", id=second, value=also.value_as_printed,
                              grade=words_of(lang)["grade_names"][also.reliability])], lang),
        rating, w["tolerance"], [other, second], lang=lang,
    )


def checks(lang: str = "en") -> list[Check]:
    return [check(lang) for check in (
        industrial_growth, provincial_growth, cluster_scale, cells_per_day, export_share, graphene,
        localisation, new_energy, cell_makers, funds_growth, tax_growth, tax_scale, zone_count,
        zone_rank, mixed_numeral, founding_year,
    )]


@reads.cached
def used() -> frozenset[str]:
    """The claims and context rows that the checks use (once per process: every page asks)."""
    return frozenset(i for c in checks() for i in (*c.claims, *c.context))


# --- ClaimReview ----------------------------------------------------------------------------------

def dates(check: Check) -> tuple[str, str | None]:
    """When the check was first published, and when it was last corrected (None if never)."""
    corrected = tables().corrections
    changes = sorted(str(d) for d in corrected[corrected.item == check.id].date)
    return RELEASED[check.since], (changes[-1] if changes else None)


def claim_review(check: Check, book: citation.Book, page: str) -> dict:
    """schema.org ClaimReview for one check, with Google's required and recommended fields, in the check's language.

    ``page`` is the fact-check page's path from the site's root. Nothing unknown is written: with no published
    address the URL fields are left out (a placeholder is worse than nothing in machine-readable data), and the
    claim's datePublished and the appearance's url are left out because the article states neither its date nor
    its outlet (data/source/record.json)."""
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
        "inLanguage": check.lang,
        "itemReviewed": {"@type": "Claim", "text": reviewed.quote, "inLanguage": "zh", "author": authors,
                         "appearance": appearance},
        "author": {"@type": "Organization", "name": book.author},
        "reviewRating": {"@type": "Rating", "name": check.verdict, "alternateName": check.verdict,
                         "ratingExplanation": check.result},
        "reviewBody": words_of(check.lang)("review_body", question=check.question, quote=reviewed.quote,
                                           translation=reviewed.translation, computation=check.computation),
    }
    if url := book.link(f"{page}#check-{check.id}"):
        review["url"] = url
        review["author"]["url"] = book.link(editions.edition(check.lang).path(""))
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
        w, html = words_of(self.lang), lambda text: chinese.html(text, self.lang)  # noqa: E731
        ratings = "".join(f"<dt>{html(w['ratings'][r])}</dt><dd>{html(w['definitions'][r])}</dd>" for r in RATINGS)
        error = w("or_error", error=w["ratings"]["error in the source"])
        kinds = "".join(
            f"<dt>{html(w['kinds'][k.name]['name'])}</dt><dd>"
            + html(w("scale_kind", description=w["kinds"][k.name]["description"], ceiling=w["ratings"][k.ceiling],
                     or_error=error if k.name == TEXT_KIND else ""))
            + "</dd>" for k in KINDS.values())
        return (f'<dl class="fact-check-scale">{ratings}</dl>'
                f'<p>{html(w["scale_intro"])}</p>'
                f'<dl class="fact-check-kinds">{kinds}</dl>')


class Table:
    """The fact-check table, as HTML with one ClaimReview per row (display it in a notebook)."""

    def __init__(self, page: str = f"{PAGE}.html", lang: str = "en"):
        self.checks = checks(lang)
        self.page, self.lang = editions.edition(lang).path(page), lang
        self.book = citation.configured_book(lang)

    def __repr__(self) -> str:
        """Stored as the text/plain output in the published notebook: no memory address, so it is reproducible."""
        return f"<fact-check table: {len(self.checks)} checks>"

    def counts(self) -> dict[str, int]:
        return {v: sum(c.rating == v for c in self.checks) for v in RATINGS}

    def _repr_html_(self) -> str:
        """A summary table (claim, question, kind, rating) and, below it, one block per check with
        its computation, result, sources and ClaimReview. All data text is escaped."""
        w, html = words_of(self.lang), lambda text: chinese.html(text, self.lang)  # noqa: E731
        rating = lambda c: (f'<strong class="verdict verdict-{c.rating.replace(" ", "-")}">'  # noqa: E731
                            f"{html(c.verdict)}</strong>")

        def cells(*values: str) -> str:
            """A row of the summary table; on a narrow screen a card, each cell labelled by its header."""
            return "<tr>" + "".join(f'<td><span class="card-label">{html(h)}</span>{v}</td>' if h else f"<td>{v}</td>"
                                    for h, v in zip((*w["headers"].values(), ""), values)) + "</tr>"

        summary, details = [], []
        for c in self.checks:
            claim = source(c.claims[0])
            # the English edition gives the translation after the Chinese, as the claims' tooltips do
            quote = (f'<span lang="zh">{escape(claim.quote)}</span>'
                     + html(labels("claims", self.lang)("claim_tip", translation=claim.translation)))
            kind = w["kinds"][c.kind]
            summary.append(cells(quote, html(c.question), html(kind["name"]), rating(c),
                                 f'<a href="#check-{escape(c.id)}">{html(w["details"])}</a>'))
            claims = w["list"].join(f'<a href="claims.html#claim-{escape(i)}">{html(i)}</a>' for i in c.claims)
            context = w["list"].join(
                w("source", link=f'<a href="sources.html#{escape(i)}">{html(i)}</a>',
                  grade=escape(w["grade_names"][source(i).reliability])) for i in c.context) or html(w["none"])
            review = _json_ld(claim_review(c, self.book, self.page))
            text = html(w("kind_text", kind=kind["name"], description=kind["description"],
                          ceiling=w["ratings"][KINDS[c.kind].ceiling]))
            details.append(
                f'<section class="fact-check-item" id="check-{escape(c.id)}" aria-labelledby="check-{escape(c.id)}-title">'
                f'<p class="fact-check-title" id="check-{escape(c.id)}-title"><strong>{html(c.question)}</strong> '
                f"{rating(c)}</p>"
                f"<blockquote>{quote}</blockquote><dl>"
                f"<dt>{html(w['kind'])}</dt><dd>{text}</dd>"
                f"<dt>{html(w['computation'])}</dt><dd>{html(c.computation)}</dd>"
                f"<dt>{html(w['result'])}</dt><dd>{html(c.result)}</dd>"
                f"<dt>{html(w['tolerance'])}</dt><dd>{html(c.tolerance)}</dd>"
                f"<dt>{html(w['claims'])}</dt><dd>{claims}</dd><dt>{html(w['sources'])}</dt><dd>{context}</dd></dl>"
                f'<script type="application/ld+json">{review}</script></section>'
            )
        head = "".join(f"<th>{html(h)}</th>" for h in (*w["headers"].values(), ""))
        return (f'<div class="table-scroll"><table class="data-table fact-check cards"><thead><tr>{head}</tr></thead>'
                f"<tbody>{''.join(summary)}</tbody></table></div>{''.join(details)}")
