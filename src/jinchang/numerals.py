"""Numerals as printed in Chinese text: finding them and reading their value."""

from __future__ import annotations

import re

# A numeral: Arabic digits with any Chinese numerals or multipliers glued to them
# (10万, 1.11亿, the mixed 6十五; multipliers last, so 235.7万千瓦 reads 235.7万),
# or a run of Chinese numerals (两, 七, 千亿).
NUMERAL = re.compile(r"[0-9]+(?:\.[0-9]+)?[零一二两三四五六七八九十百千]*[万亿]*|[零一二两三四五六七八九十百千万亿]+")

DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
UNITS = {"十": 10, "百": 100, "千": 1000}
MULTIPLIERS = {"万": 10_000, "亿": 100_000_000}


def split_multiplier(numeral: str) -> tuple[str, int]:
    """'3707万' -> ('3707', 10000); '千亿' -> ('千', 100000000); '65' -> ('65', 1)."""
    multiplier = 1
    while numeral and numeral[-1] in MULTIPLIERS:
        multiplier *= MULTIPLIERS[numeral[-1]]
        numeral = numeral[:-1]
    return numeral, multiplier


def _chinese(body: str) -> int:
    """Value of a run of Chinese numerals below 10,000: 六十五 = 65, 十 = 10, 千 = 1000."""
    total, digit = 0, None
    for char in body:
        if char in DIGITS:
            digit = DIGITS[char]
        else:
            total += (1 if digit is None else digit) * UNITS[char]
            digit = None
    return total + (digit or 0)


def value_of(numeral: str) -> tuple[float, int]:
    """The printed numeral's value and its Chinese multiplier.

    A digit mixed with Chinese numerals (第6十五位) is read digit by digit as the
    Chinese numeral it stands for: 6十五 = 六十五 = 65.
    """
    body, multiplier = split_multiplier(numeral)
    if re.fullmatch(r"[0-9]+(\.[0-9]+)?", body):
        return float(body), multiplier
    if not body:  # a bare multiplier, as in 万 alone
        return 1.0, multiplier
    body = re.sub(r"[0-9]", lambda m: "零一二三四五六七八九"[int(m.group())], body)
    return float(_chinese(body)), multiplier
