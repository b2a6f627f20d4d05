"""Chinese runs inside mixed text, so that they can be marked lang="zh" wherever they appear."""

from __future__ import annotations

import re
from html import escape

_HAN = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
# A run of Chinese characters and CJK punctuation, allowing spaces and quotes between them.
RUN = re.compile(rf"[{_HAN}]+(?:[\s“”‘’]*[{_HAN}]+)*")


def split(text: str) -> list[tuple[str, bool]]:
    """'Jinchang 金昌 city' -> [('Jinchang ', False), ('金昌', True), (' city', False)]."""
    parts, last = [], 0
    for match in RUN.finditer(text):
        if match.start() > last:
            parts.append((text[last:match.start()], False))
        parts.append((match.group(), True))
        last = match.end()
    if last < len(text):
        parts.append((text[last:], False))
    return parts


def html(text: str) -> str:
    """Escaped HTML with each Chinese run in <span lang="zh">."""
    return "".join(f'<span lang="zh">{escape(part)}</span>' if chinese else escape(part)
                   for part, chinese in split(text))
