"""English display of numbers: one place that turns (value, unit, qualifier) into words.

Chinese multipliers are expanded (3707万元 -> CNY 37.07 million); other units are shown
as printed (0.05 mm stays 0.05 mm). Qualifiers that carry uncertainty are kept.
"""

from __future__ import annotations

import math

from .data import source, tables

# English nouns for count-like units; units not listed are shown with their own symbol.
NOUNS = {"persons": "people", "10k persons": "people", "t/yr": "t a year", "10k cells/day": "cells a day",
         "10k t": "t", "10k m²": "m²", "10k kW": "kW", "10k CNY per person": "CNY per person"}
PREFIX = {"over": "over ", "nearly": "nearly ", "rounded": "about "}


def number(x: float, digits: int | None = None) -> str:
    """1234567.0 -> '1,234,567'; 37.07 -> '37.07'; ``digits`` fixes the decimals.
    Refuses NaN and infinities: a reader must never see 'nan' or 'inf'."""
    if not math.isfinite(x):
        raise ValueError(f"{x!r} is not a number that can be shown")
    if digits is not None:
        return f"{x:,.{digits}f}"
    rounded = float(f"{x:.10g}")  # ten significant digits; near the largest float that rounds up to inf
    return f"{rounded if math.isfinite(rounded) else x:,.10f}".rstrip("0").rstrip(".")


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def money(cny: float) -> str:
    """CNY amounts in words: CNY 37.07 million, CNY 40 billion, CNY 53,037."""
    for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if abs(cny) >= size:
            return f"CNY {number(cny / size)} {word}"
    return f"CNY {number(cny)}"


def quantity(value: float, unit: str) -> str:
    """A value in one of the units of units.csv, in English."""
    row = tables().units.loc[unit]
    if row.quantity == "money":
        return money(value * row.factor)
    if unit == "%":
        return f"{number(value)}%"
    if unit == "rank":
        return ordinal(int(value))
    if unit == "year":
        return str(int(value))
    return f"{number(value * row.multiplier)} {NOUNS.get(unit, unit)}"


def with_qualifier(text: str, qualifier: str) -> str:
    if qualifier == "class":
        return f"{text} class"
    if qualifier == "superlative":
        return f"{text} (a superlative)"
    return PREFIX.get(qualifier, "") + text


def shown(row_id: str) -> str:
    """A claim, context or reference row as the book shows it: 'over CNY 40 billion', '10.2%'."""
    row = source(row_id)
    if row.qualifier == "top":
        return f"top {int(row.value)}"
    return with_qualifier(quantity(row.value, row.unit), row.qualifier)


def quote(row_id: str) -> str:
    """The source's own words for a row: the article's quote, or the context source's."""
    row = source(row_id)
    return row.quote_zh if row_id.startswith("ctx-") else row.quote
