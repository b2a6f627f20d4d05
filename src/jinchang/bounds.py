"""The range of values a printed number stands for, from its printed precision and qualifier.

"22.5%" stands for 22.45 to 22.55; "1.11亿" for CNY 110.5 to 111.5 million; "75%以上" for 74.5 or
more; "近68%" for up to 68.5; "千亿级" for the class from 10^11 to 10^12. The fact-check compares
ranges, not printed figures, so its tolerance is that of the numbers themselves.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from .data import source, tables

FLOOR, CEILING = "over", "nearly"  # qualifiers that make a printed number a lower, an upper bound
_DIGITS = re.compile(r"\d+(?:\.(\d+))?")
_CHINESE_UNIT = re.compile(r"\(([\u4e00-\u9fff/]+)\)")  # a source's own unit, in unit_as_printed: "... (万支/日)"


@dataclass(frozen=True)
class Bounds:
    low: float  # in the row's base unit (CNY, t, %...)
    high: float
    step: float  # half a unit of the last printed digit, in the base unit

    def overlaps(self, other: Bounds) -> bool:
        """Whether some value rounds to both: the ranges are half-open, so 230 and 231 do not meet."""
        return self.low < other.high and other.low < self.high


def printed(row_id: str) -> str:
    """The number as printed: a claim's numeral, a context row's value as printed, else the value."""
    row = source(row_id)
    unit = tables().units.loc[row.unit]
    marker = unit.chinese if unit.multiplier > 1 or row.unit == "%" else ""
    if row_id[:4] == "ctx-":  # in the source's own unit, when the data records it: 25万支/日, not 万只/日
        own = _CHINESE_UNIT.search(row.unit_as_printed)
        return row.value_as_printed + (own.group(1) if own and marker else marker)
    numeral = row.get("numeral") or f"{row.value:g}"
    return numeral + ("%" if row.unit == "%" else "")


def half_step(row_id: str) -> float:
    """Half a unit of the last printed digit, in the row's unit: 22.5 -> 0.05, 3707(万) -> 0.5."""
    digits = _DIGITS.search(printed(row_id))
    decimals = len(digits.group(1) or "") if digits else 0
    return 0.5 * 10 ** -decimals


def of(row_id: str) -> Bounds:
    """The values ``row_id`` stands for, in its base unit."""
    row = source(row_id)
    factor = float(tables().units.loc[row.unit, "factor"])
    step = half_step(row_id)
    low, high = (row.value - step) * factor, (row.value + step) * factor
    qualifier = row.qualifier
    if qualifier == FLOOR:
        high = math.inf
    elif qualifier == CEILING:
        low = -math.inf
    elif qualifier == "class":
        low, high = row.value * factor, row.value * 10 * factor
    return Bounds(low, high, step * factor)
