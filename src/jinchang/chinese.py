"""Runs of one language inside text of the other: Chinese in English text, marked lang="zh", and
Latin-script words in Chinese text, marked lang="en"."""

from __future__ import annotations

import re
from html import escape

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # Han ideographs
PUNCTUATION = "\u3000-\u303f\uff00-\uffef"  # CJK and full-width punctuation
# A run of Chinese: ideographs with the punctuation and digits inside it (6月4日, 第6十五位, 22.5%).
RUN = re.compile(f"[0-9.{PUNCTUATION}]*[{HAN}](?:[{HAN}{PUNCTUATION}0-9.%]*[{HAN}{PUNCTUATION}])?")
# A run of Latin script: words, with the spaces, digits and marks between them (GB/T 7714, km², CC BY).
LATIN = re.compile(r"[A-Za-z](?:[A-Za-z0-9²³.'’/+\- ]*[A-Za-z0-9²³])?")


def split(text: str, run: re.Pattern[str] = RUN) -> list[tuple[str, bool]]:
    """'Jinchang 金昌 city' -> [('Jinchang ', False), ('金昌', True), (' city', False)]; with
    ``run=LATIN``, the Latin runs are the marked parts."""
    parts, last = [], 0
    for match in run.finditer(text):
        if match.start() > last:
            parts.append((text[last:match.start()], False))
        parts.append((match.group(), True))
        last = match.end()
    if last < len(text):
        parts.append((text[last:], False))
    return parts


def html(text: str, lang: str = "en") -> str:
    """Escaped HTML with each run of the other language marked: in English text (``lang`` "en") each
    Chinese run in <span lang="zh">, in Chinese text each Latin run in <span lang="en">."""
    run, other = (RUN, "zh") if lang == "en" else (LATIN, "en")
    return "".join(f'<span lang="{other}">{escape(part)}</span>' if marked else escape(part)
                   for part, marked in split(text, run))
