"""Numbers computed from the data, each with the text the book shows for it, in English or Chinese.

A chapter glues these into its prose (``{glue:text}`key```), so no computed number is
typed by hand. ``Shown`` is a float that displays as its text: glue renders its repr,
which is that text quoted. Every function that makes text takes the language (``lang``,
"en" or "zh"; see ``jinchang.formatting``).
"""

from __future__ import annotations

import math

from .bounds import CEILING, FLOOR
from .data import source, tables
from .formatting import money as money_words
from .formatting import number, with_unit, words


class Shown(float):
    """A float that displays as ``text`` (in notebooks, glue and f-strings)."""

    text: str

    def __new__(cls, value: float, text: str) -> "Shown":
        self = super().__new__(cls, value)
        self.text = text
        return self

    def __repr__(self) -> str:
        # quoted, because myst-nb's glue evaluates text/plain as a literal ('2,000' would become a tuple)
        return repr(self.text)

    def __str__(self) -> str:
        return self.text

    def __format__(self, spec: str) -> str:
        return self.text if not spec else float.__format__(self, spec)


def _bounded(value: float, decimals: int, numerator: str, denominator: str, lang: str) -> tuple[float, str]:
    """A quotient of two rows' values as shown, and the words its bound takes (a template). A bound of the
    numerator bounds the quotient the same way ('over'); one of the denominator turns round ('under');
    with both bounded, or either rounded, the quotient is only 'about'. A bound is rounded to
    ``decimals`` places (negative: to tens, hundreds...) so that it still holds: a floor down, a
    ceiling up. Any other quotient is left to the caller's rounding."""
    top, bottom, w = source(numerator).qualifier, source(denominator).qualifier, words(lang)
    bounded = (FLOOR, CEILING)
    if top in bounded and bottom in bounded or "rounded" in (top, bottom):
        return value, w.qualifiers["rounded"]
    if top in bounded:
        floor, template = top == FLOOR, w.qualifiers[top]
    elif bottom in bounded:
        floor, template = bottom == CEILING, w.after_cut[bottom]
    else:
        return value, "{}"
    scaled = round(value * 10 ** decimals, 9)  # no float noise (0.1 * 3) decides the direction
    return (math.floor(scaled) if floor else math.ceil(scaled)) / 10 ** decimals, template


def base(row_id: str) -> float:
    """A row's value in its base unit (CNY, t, μm, %...)."""
    row = source(row_id)
    return tables().base_value(row.value, row.unit)


def remainder(row_id: str, lang: str = "en") -> Shown:
    """100% minus a share."""
    return percent(100 - source(row_id).value, None, lang)


def ratio(numerator: str, denominator: str, digits: int = 0, lang: str = "en") -> Shown:
    """How many times the first row's value is the second's, in a common base unit."""
    value = base(numerator) / base(denominator)
    return Shown(value, number(value, digits, lang))


def share(part: str, whole: str, digits: int = 1, lang: str = "en") -> Shown:
    """The first row's value as a percentage of the second's, in a common base unit, with the words of
    its bound: 1.11亿 of over 110亿 is 'under 1.1%'."""
    value = base(part) / base(whole) * 100
    rounded, template = _bounded(value, digits, part, whole, lang)
    return Shown(value, template.format(percent(rounded, digits, lang).text))


def total(*row_ids: str, lang: str = "en") -> Shown:
    value = sum(source(i).value for i in row_ids)
    return Shown(value, number(value, lang=lang))


def points(first: str, second: str, digits: int = 1, lang: str = "en") -> Shown:
    """Difference between two percentages, in percentage points."""
    value = source(first).value - source(second).value
    return Shown(value, words(lang).points.format(number(value, digits, lang)))


def percent(value: float, digits: int | None = 1, lang: str = "en") -> Shown:
    return Shown(value, f"{number(value, digits, lang)}%")


def compound_growth(start: float, end: float, years: float) -> float:
    """Average annual growth rate, in %, that takes ``start`` to ``end`` in ``years`` years."""
    return ((end / start) ** (1 / years) - 1) * 100


def implied_years(start: float, end: float, rate: float) -> float:
    """Years of compound growth at ``rate`` % that take ``start`` to ``end``."""
    return math.log(end / start) / math.log(1 + rate / 100)


def implied_start(end: float, rate: float, years: float) -> float:
    """The starting level from which ``rate`` % a year for ``years`` years reaches ``end``."""
    return end / (1 + rate / 100) ** years


def simple_growth(start: float, end: float, years: float) -> float:
    """Total growth divided evenly over the years, in % a year (no compounding)."""
    return (end / start - 1) / years * 100


def money(cny: float, digits: int = 3, lang: str = "en") -> Shown:
    """A computed amount of yuan, to ``digits`` significant digits: no more precise than its inputs."""
    value = float(f"{cny:.{digits}g}")
    return Shown(value, money_words(value, lang))


def per(total_id: str, count_id: str, digits: int = 2, lang: str = "en") -> Shown:
    """A total shared evenly over a count, with the words of its bound ('over' stays 'over', and is
    rounded down): money in yuan to three significant digits (over CNY 40 billion / 105 projects is
    over CNY 380 million), anything else in the total's unit to ``digits`` places (245.87 ha / 50)."""
    total = source(total_id)
    if tables().units.loc[total.unit, "quantity"] == "money":
        value = base(total_id) / base(count_id)
        places = 2 - math.floor(math.log10(abs(value))) if value else 0  # three significant digits, as money() shows
        rounded, template = _bounded(value, places, total_id, count_id, lang)
        text = money(rounded, lang=lang).text
    else:
        value = total.value / source(count_id).value
        rounded, template = _bounded(value, digits, total_id, count_id, lang)
        text = with_unit(number(rounded, digits, lang), total.unit, lang)
    return Shown(value, template.format(text))


def per_day(row_id: str, lang: str = "en") -> Shown:
    """A yearly quantity per day of a 365-day year, in the row's base unit: '71 t a day'."""
    value = base(row_id) / 365
    w = words(lang)
    unit = tables().units.loc[source(row_id).unit, "base_unit"].removesuffix("/yr")
    return Shown(value, w.per_day.format(n=number(value, 0, lang), u=w.unit_word(unit)))


def top_share(rank_id: str, count_id: str, lang: str = "en") -> Shown:
    """The smallest whole-percent top of a ranked field that holds a rank: 65th of 230 is in the top 29%.

    Rounded up, not to the nearest: 65 / 230 is 28.3%, so the top 28% ends above the 65th.
    """
    rank, count = int(source(rank_id).value), int(source(count_id).value)
    return percent(-(-rank * 100 // count), 0, lang)


def growth_readings(start_id: str, end_id: str, rate_id: str, lang: str = "en") -> dict[str, Shown]:
    """A stated average annual growth rate beside the two money levels it joins, read several ways.

    years: years between the levels' periods; years_short: one fewer; multiple: end / start;
    compound: the rate the levels imply over ``years``; compound_short: the same over
    ``years_short``; claimed_end: where the stated rate takes the start after ``years``;
    implied_years: how long the stated rate needs; implied_start: the start it needs;
    simple: total growth divided evenly over ``years``.
    """
    start, end, rate = base(start_id), base(end_id), source(rate_id).value
    years = int(source(end_id).period) - int(source(start_id).period)
    needed = implied_years(start, end, rate)
    span = words(lang).years
    return {
        "years": Shown(years, span(number(years, lang=lang))),
        "years_short": Shown(years - 1, span(number(years - 1, lang=lang))),
        "multiple": ratio(end_id, start_id, 2, lang),
        "compound": percent(compound_growth(start, end, years), lang=lang),
        "compound_short": percent(compound_growth(start, end, years - 1), lang=lang),
        "claimed_end": money(start * (1 + rate / 100) ** years, lang=lang),
        "implied_years": Shown(needed, span(number(needed, 2, lang))),
        "implied_start": money(implied_start(end, rate, years), lang=lang),
        "simple": percent(simple_growth(start, end, years), lang=lang),
    }


def after_cut(row_id: str, lang: str = "en") -> Shown:
    """What a cut of ``row_id`` percent leaves of an index set to 100 before the cut.
    The qualifier turns round: a cut of 'nearly' 68% leaves 'just over' 32, one of 'over' x 'under' 100 - x."""
    row = source(row_id)
    value = 100 - row.value
    return Shown(value, words(lang).after_cut.get(row.qualifier, "{}").format(number(value, lang=lang)))


def converted(row_id: str, per: float, unit: str, digits: int = 2, lang: str = "en") -> Shown:
    """A row's value in another unit of its quantity: the base value over ``per`` base units each
    (245.87 ha, base 2,458,700 m², with per=1e6 and 'km²': '2.46 km²')."""
    value = base(row_id) / per
    return Shown(value, with_unit(number(value, digits, lang), unit, lang))


def square_side(area_m2: float, lang: str = "en") -> Shown:
    """The side, in metres, of a square with the given area: a way to picture an area."""
    value = math.sqrt(area_m2)
    return Shown(value, with_unit(number(value, 0, lang), "m", lang))
