"""The words of the print edition, in each edition's language: the one place to translate them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Labels:
    contents: str
    notes: str
    version: str  # "{version}"
    built: str  # "{date}": the date of the commit the book was built from
    claim: str  # before a claim's id in a note
    source: str  # before a context row's id in a note
    term: str  # before a glossary term's id in a note
    download: str  # the download menu's entry for the book's PDF
    download_tip: str
    months: tuple[str, ...] = ()

    def date(self, day: dt.date) -> str:
        if self.months:
            return f"{day.day} {self.months[day.month - 1]} {day.year}"
        return f"{day.year}年{day.month}月{day.day}日"


ENGLISH = Labels(
    contents="Contents", notes="Notes", version="Version {version}", built="Built from the commit of {date}",
    claim="claim", source="source", term="glossary", download="Book .pdf", download_tip="Download the whole book as a PDF",
    months=("January", "February", "March", "April", "May", "June", "July", "August", "September",
            "October", "November", "December"),
)
CHINESE = Labels(
    contents="目录", notes="注释", version="版本 {version}", built="构建自{date}的提交",
    claim="断言", source="来源", term="术语", download="全书 .pdf", download_tip="下载全书 PDF",
)


def labels(language: str) -> Labels:
    """The labels of a language tag or Sphinx language ("en", "zh", "zh_CN", "zh-Hans")."""
    return CHINESE if language.lower().startswith("zh") else ENGLISH
