"""Numbers computed from the data, each with the text the book shows for it.

A chapter glues these into its prose (``{glue:text}`key```), so no computed number is
typed by hand. ``Shown`` is a float whose repr is its display text, which is what
myst-nb's glue renders.
"""

from __future__ import annotations

import math

from .data import source, tables
from .formatting import number


class Shown(float):
    """A float that displays as ``text`` (in notebooks, glue and f-strings)."""

    text: str

    def __new__(cls, value: float, text: str) -> "Shown":
        self = super().__new__(cls, value)
        self.text = text
        return self

    def __repr__(self) -> str:
        return self.text

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return self.text if not spec else float.__format__(self, spec)


def base(row_id: str) -> float:
    """A row's value in its base unit (CNY, t, μm, %...)."""
    row = source(row_id)
    return tables().base_value(row.value, row.unit)


def remainder(row_id: str) -> Shown:
    """100% minus a share."""
    value = 100 - source(row_id).value
    return Shown(value, f"{number(value)}%")


def ratio(numerator: str, denominator: str, digits: int = 0) -> Shown:
    """How many times the first row's value is the second's, in a common base unit."""
    value = base(numerator) / base(denominator)
    return Shown(value, number(value, digits))


def total(*row_ids: str) -> Shown:
    value = sum(source(i).value for i in row_ids)
    return Shown(value, number(value))


def points(first: str, second: str, digits: int = 1) -> Shown:
    """Difference between two percentages, in percentage points."""
    value = source(first).value - source(second).value
    return Shown(value, f"{number(value, digits)} percentage points")


def percent(value: float, digits: int = 1) -> Shown:
    return Shown(value, f"{number(value, digits)}%")


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
