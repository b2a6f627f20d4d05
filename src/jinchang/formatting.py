"""Numbers as the book shows them, in English or Chinese: one place that turns (value, unit,
qualifier) into words.

English expands the Chinese multipliers (3707万元 -> CNY 37.07 million); Chinese keeps the unit
the source printed (3707万元), with the unit words of data/units.csv, and writes computed amounts
of yuan in 万 and 亿 (CNY 3.09 billion -> 30.9亿元). Other units are shown as printed (0.05 mm,
0.05毫米). Qualifiers that carry uncertainty are kept (over / 超, nearly / 近, about / 约).
Every function takes the language (``lang``, "en" or "zh"); what differs between the languages
is data, in ``WORDS``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from .chinese import HAN
from .data import source, tables

LANGUAGES = ("en", "zh")

# English nouns for count-like units; units not listed are shown with their own symbol.
NOUNS = {"persons": "people", "10k persons": "people", "t/yr": "t a year", "10k cells/day": "cells a day",
         "10k t": "t", "10k m²": "m²", "10k kW": "kW", "10k CNY per person": "CNY per person"}
# Chinese words for the units that computations use and units.csv does not list.
CHINESE_UNITS = {"m": "米", "m²": "平方米", "km²": "平方公里", "cells/day": "只/日", "count": "个", "year-month": "年月"}
_CHINESE_POWERS = {1: "", 10: "十", 100: "百", 1000: "千"}


def _english_ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _chinese_order(amount: float) -> str:
    """A power of ten in Chinese order words: 1e11 -> 千亿, 1e10 -> 百亿, 1e5 -> 十万."""
    for scale, word in ((1e8, "亿"), (1e4, "万"), (1, "")):
        lead = round(amount / scale)
        if lead in _CHINESE_POWERS and abs(lead * scale - amount) < 1e-9 * amount:
            return _CHINESE_POWERS[lead] + word
    raise ValueError(f"{amount:g} is not an order of magnitude that Chinese names (十, 百, 千, 万, 亿)")


_MONTHS = {m: n for n, m in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(), 1)}
_MONTH = "(" + "|".join(_MONTHS) + ")"
_QUARTERS = "一二三四"
# Periods and dates as the data write them, in Chinese words: rules applied in order, words first,
# then the dates they leave ('2023 (end Oct)' -> '2023 （10月末）' -> '2023年（10月末）').
ZH_PERIODS: tuple[tuple[str, str | Callable[[re.Match], str]], ...] = (
    (r" ?\(end\)", "年末"),
    (rf" ?\(end {_MONTH}\)", lambda m: f"（{_MONTHS[m[1]]}月末）"),
    (rf" ?\(as of c\. {_MONTH}\)", lambda m: f"（约截至{_MONTHS[m[1]]}月）"),
    (rf" ?\(as of {_MONTH}\)", lambda m: f"（截至{_MONTHS[m[1]]}月）"),
    (rf" ?\((\d{{1,2}}) {_MONTH}\)", lambda m: f"（{_MONTHS[m[2]]}月{m[1]}日）"),
    (rf" ?\({_MONTH}, target\)", lambda m: f"（{_MONTHS[m[1]]}月，目标）"),
    (rf" ?\({_MONTH}\)", lambda m: f"（{_MONTHS[m[1]]}月）"),
    (r" ?\(implied\)", "（推定）"), (r" ?\(as reported\)", "（据报道）"), (r" ?\(as labelled\)", "（按标注）"),
    (r" ?\(period not specified\)", "（时期未说明）"), (r" ?\(last modified\)", "（最后修改）"),
    (r" ?\(from URL\)", "（据网址）"), (r" ?\(update time\)", "（更新时间）"),
    (r" ?\(meeting (.+?)\)", r"（会议于\1）"), (r" ?\(text says (.+?); year from context\)", r"（文中作\1；年份据上下文）"),
    (r" ?\(after (.+?)\)", r"（\1之后）"), (r" ?\(early (\d{4})\)", r"（\1年初）"),
    (r" ?\(late (\d{4})\)", r"（\1年晚些时候）"), (r" ?\(c\. (\d{4})\)", r"（约\1年）"), (r" ?\((\d{4})\)", r"（\1年）"),
    (r"^not shown", "未显示"), (r"^not stated$", "未说明"), (r"^plan$", "规划"), (r"^in recent years$", "近年来"),
    (r"^since (\d{4})$", r"\1年以来"), (r"^by end-(\d{4})$", r"\1年底前"), (r"^cumulative to (\d{4})$", r"截至\1年累计"),
    (r"^as of early (\d{4})$", r"截至\1年初"), (r"^as of ", "截至"), (r"^c\. ", "约"),
    (r"(\d{4}) assessment \((\d{4}) data\)", r"\1年评价（\2年度数据）"), (r"(\d{4}) assessment", r"\1年评价"),
    (r"(\d{4})-H1", r"\1年上半年"), (r"(\d{4})-H2", r"\1年下半年"), (r"(\d{4})-Q1-Q3", r"\1年前三季度"),
    (r"(\d{4})-Q([1-4])", lambda m: f"{m[1]}年第{_QUARTERS[int(m[2]) - 1]}季度"),
    (r"(\d{4})-(\d{2})\.\.(\d{4})-(\d{2})", lambda m: f"{m[1]}年{int(m[2])}月至{m[3]}年{int(m[4])}月"),
    (r"(\d{4})-(\d{2})\.\.(\d{2})", lambda m: f"{m[1]}年{int(m[2])}—{int(m[3])}月"),
    (r"(\d{4})-(\d{2})-(\d{2})", lambda m: f"{m[1]}年{int(m[2])}月{int(m[3])}日"),
    (r"(\d{4})-(\d{2})(?!\d)", lambda m: f"{m[1]}年{int(m[2])}月"),
    (r"(\d{4})[–-](\d{4})", r"\1—\2年"),
    (r"(?<!\d)(\d{4})(?![\d年—])", r"\1年"),
)


@dataclass(frozen=True)
class Words:
    """How one language writes numbers."""

    group: str  # thousands separator
    expand: bool  # True: 万/亿 units in their base unit (English); False: as the source printed them
    unit: str  # a number {n} and its unit word {u}
    unit_word: Callable[[str], str]  # the word for a unit symbol
    large: tuple[tuple[float, str], ...]  # names of large numbers, largest first: (1e9, "billion") / (1e8, "亿")
    large_units: bool  # whether amounts of other units than yuan take these names too
    money: str  # an amount of yuan {n}, already in words
    ordinal: Callable[[int], str]  # a place in a ranking
    year: str
    month: Callable[[date], str]  # a month of a year
    day: Callable[[date], str]  # a day of a month of a year
    qualifiers: dict[str, str]  # a qualifier of data/claims.csv -> template around the value
    classes: Callable[[float, str], str]  # an order-of-magnitude class: (amount in base unit, amount in words)
    top: str  # "top ten"
    points: str  # a difference of percentages
    years: Callable[[str], str]  # a span of years, the number already in words
    per_day: str  # a rate per day, {n} {u}
    after_cut: dict[str, str]  # what a qualified cut leaves: its qualifier turned round
    periods: tuple[tuple[str, str | Callable[[re.Match], str]], ...]  # rules from the data's periods to words


WORDS: dict[str, Words] = {
    "en": Words(
        group=",", expand=True, unit="{n} {u}", unit_word=lambda unit: NOUNS.get(unit, unit),
        large=((1e12, "trillion"), (1e9, "billion"), (1e6, "million")), large_units=False, money="CNY {n}",
        ordinal=_english_ordinal, year="{}", month=lambda day: f"{day:%B %Y}",
        day=lambda day: f"{day.day} {day:%B %Y}",
        qualifiers={"over": "over {}", "nearly": "nearly {}", "rounded": "about {}",
                    "superlative": "{} (a superlative)"},
        classes=lambda amount, words: f"{words} class", top="top {}", points="{} percentage points",
        years=lambda n: f"{n} year" if n == "1" else f"{n} years", per_day="{n} {u} a day",
        after_cut={"nearly": "just over {}", "over": "under {}"}, periods=()),
    "zh": Words(
        group="", expand=False, unit="{n}{u}",
        unit_word=lambda unit: CHINESE_UNITS.get(unit) or tables().units.loc[unit, "chinese"],
        large=((1e12, "万亿"), (1e8, "亿"), (1e4, "万")), large_units=True, money="{n}元",
        ordinal=lambda n: f"第{n}位", year="{}年", month=lambda day: f"{day.year}年{day.month}月",
        day=lambda day: f"{day.year}年{day.month}月{day.day}日",
        qualifiers={"over": "超{}", "nearly": "近{}", "rounded": "约{}", "superlative": "{}（最高级表述）"},
        classes=lambda amount, words: f"{_chinese_order(amount)}级", top="前{}", points="{}个百分点",
        years=lambda n: f"{n}年", per_day="每天{n}{u}", after_cut={"nearly": "略高于{}", "over": "不足{}"},
        periods=ZH_PERIODS),
}


def words(lang: str) -> Words:
    if lang not in WORDS:
        raise ValueError(f"unknown language {lang!r}: the book is written in {', '.join(LANGUAGES)}")
    return WORDS[lang]


def number(x: float, digits: int | None = None, lang: str = "en") -> str:
    """1234567.0 -> '1,234,567' (Chinese: '1234567'); 37.07 -> '37.07'; ``digits`` fixes the decimals.
    Refuses NaN and infinities: a reader must never see 'nan' or 'inf'."""
    if not math.isfinite(x):
        raise ValueError(f"{x!r} is not a number that can be shown")
    if digits is not None:
        text = f"{x:,.{digits}f}"
    else:
        rounded = float(f"{x:.10g}")  # ten significant digits; near the largest float that rounds up to inf
        text = f"{rounded if math.isfinite(rounded) else x:,.10f}".rstrip("0").rstrip(".")
    return text.replace(",", words(lang).group)


def ordinal(n: int, lang: str = "en") -> str:
    """65 -> '65th' (Chinese: '第65位')."""
    return words(lang).ordinal(n)


def scale(x: float, lang: str = "en") -> tuple[float, str]:
    """The largest named large number that *x* reaches, and its name: 186e6 -> (1e6, 'million')
    (Chinese: (1e8, '亿')); (1, '') below them all. For axes in millions, 亿, ..."""
    return next(((s, n) for s, n in words(lang).large if abs(x) >= s), (1, ""))


def _large(x: float, lang: str) -> str:
    """*x* with the name of the largest large number it reaches: 37070000 -> '37.07 million' (3707万)."""
    size, name = scale(x, lang)
    return words(lang).unit.format(n=number(x / size, lang=lang), u=name).rstrip()


def money(cny: float, lang: str = "en") -> str:
    """Yuan in words: CNY 37.07 million, CNY 40 billion, CNY 53,037 (Chinese: 3707万元, 400亿元, 5.3037万元)."""
    return words(lang).money.format(n=_large(cny, lang))


def amount(x: float, unit: str, lang: str = "en") -> str:
    """A computed amount in a base unit: yuan as ``money``; other units in full in English
    (1,000,000 t), with 万 and 亿 in Chinese (100万吨)."""
    if unit == "CNY":
        return money(x, lang)
    return with_unit(_large(x, lang) if words(lang).large_units else number(x, lang=lang), unit, lang)


def with_unit(n: str, unit: str, lang: str = "en") -> str:
    """A number already in words and a unit symbol: ('2.46', 'km²') -> '2.46 km²' (Chinese: '2.46平方公里')."""
    w = words(lang)
    return w.unit.format(n=n, u=w.unit_word(unit))


def quantity(value: float, unit: str, lang: str = "en") -> str:
    """A value in one of the units of units.csv."""
    w, row = words(lang), tables().units.loc[unit]
    if unit == "%":
        return f"{number(value, lang=lang)}%"
    if unit == "rank":
        return ordinal(int(value), lang)
    if unit == "year":
        return w.year.format(int(value))
    if w.expand and row.quantity == "money":
        return money(value * row.factor, lang)
    return with_unit(number(value * row.multiplier if w.expand else value, lang=lang), unit, lang)


def month(day: date, lang: str = "en") -> str:
    """The month of a date: 'June 2023' (Chinese: '2023年6月')."""
    return words(lang).month(day)


# What data/context.csv notes beside a printed unit, in Chinese.
_PRINTED_NOTES = {"lower bound": "下限", "rounded": "约数", "target": "目标"}


def printed_unit(text: str, lang: str = "en") -> str:
    """A unit as data/context.csv records its source printing it, in ``lang``: English as recorded
    ('100m CNY (亿元), lower bound'); Chinese as printed, with the notes in Chinese ('亿元（下限）')."""
    if lang == "en":
        return text
    unit = re.split(r" \(|, ", text, maxsplit=1)[0]
    printed = re.search(r"\(([^()A-Za-z']+)\)", text)  # the source's own unit: (亿元), (万支/日)
    chinese = printed.group(1) if printed else CHINESE_UNITS.get(unit) or (
        tables().units.loc[unit, "chinese"] if unit in tables().units.index else unit)
    notes = [word for english, word in _PRINTED_NOTES.items() if english in text]
    notes += re.findall(f"'([{HAN}]+)'", text)  # the source's own word: '以上', '突破'
    return chinese + (f"（{'，'.join(notes)}）" if notes else "")


def day(value: date | str, lang: str = "en") -> str:
    """A date: '24 July 2025' (Chinese: '2025年7月24日'); an ISO date string is read first."""
    return words(lang).day(date.fromisoformat(value) if isinstance(value, str) else value)


def period(text: str, lang: str = "en") -> str:
    """A period or date as the data write it, in the language: '2025-H1', 'since 2020', '2023 (end Oct)',
    'not shown' (Chinese: '2025年上半年', '2020年以来', '2023年（10月末）', '未显示'). English keeps the data's words."""
    out = text
    for pattern, replacement in words(lang).periods:
        out = re.sub(pattern, replacement, out)
    if lang != "en" and re.search("[A-Za-z]", out):
        raise ValueError(f"no {lang} words for the period {text!r} (left: {out!r}); add a rule to formatting.ZH_PERIODS")
    return out


def with_qualifier(text: str, qualifier: str, lang: str = "en") -> str:
    """``text`` with the words of its qualifier (over / 超, nearly / 近, ...); 'exact' and 'reached' add none."""
    return words(lang).qualifiers.get(qualifier, "{}").format(text)


def shown(row_id: str, lang: str = "en") -> str:
    """A claim, context or reference row as the book shows it: 'over CNY 40 billion' (超400亿元), '10.2%'."""
    row, w = source(row_id), words(lang)
    if row.qualifier == "top":
        return w.top.format(int(row.value))
    text = quantity(row.value, row.unit, lang)
    if row.qualifier == "class":
        return w.classes(tables().base_value(row.value, row.unit), text)
    return with_qualifier(text, row.qualifier, lang)


def grade_words(row_id: str, lang: str = "en") -> str:
    """What a row of low reliability (or an unreliable one) is, unbracketed: 'low-reliability source'; else ''."""
    from .labels import labels  # labels reads this module's words

    return labels("claims", lang)["grade_notes"].get(source(row_id).get("reliability"), "")


def grade_note(row_id: str, lang: str = "en") -> str:
    """What such a row says next to its number or id: ' (low-reliability source)'; else ''."""
    from .labels import labels

    note = grade_words(row_id, lang)
    return labels("claims", lang)("grade_note", note=note) if note else ""


def quote(row_id: str) -> str:
    """The source's own words for a row: the article's quote, or the context source's."""
    row = source(row_id)
    return row.quote_zh if row_id.startswith("ctx-") else row.quote
