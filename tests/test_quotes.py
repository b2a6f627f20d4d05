"""Quotes of the article: the quotes of one paragraph read as one block that lists all their claims."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from jinchang.data import source, tables
from jinchang.sphinxext.claims import ELLIPSIS, GAP, passage, quote_part


def part(row_id: str) -> quote_part:
    """The quote of a claim, as its {claim-quote} directive records it."""
    row = source(row_id)
    paragraph = tables().article.paragraph(row.section, row.paragraph)
    start = paragraph.start + paragraph.text.index(row.quote)
    return quote_part(paragraph=paragraph, start=start, end=start + len(row.quote),
                      translation=row.translation, claims=[row_id])


def passage_part(chinese: str) -> quote_part:
    """A passage without claims, as its {article-quote} directive records it."""
    article = tables().article
    paragraph = next(p for p in article.paragraphs if chinese in p.text)
    start = article.text.index(chinese, paragraph.start)
    return quote_part(paragraph=paragraph, start=start, end=start + len(chinese), translation="", claims=[])


def test_adjacent_quotes_read_as_the_articles_own_sentence():
    merged = passage([part("zone-tax-growth"), part("zone-tax-2020"), part("zone-tax-2024")])
    assert merged == "园区税收从2020年的3707万元跃升至2024年的1.11亿元，年均增速达44.5%"


def test_identical_quotes_are_shown_once():
    assert passage([part("system-major-count"), part("system-major-scale")]) == source("system-major-count").quote


def test_words_between_quotes_are_kept_when_short_and_free_of_claims():
    merged = passage([part("nickel-sulphate-project"), part("conductive-paste-project"),
                      part("graphene-powder-project")])
    assert merged == "28万吨动力电池用硫酸镍、2万吨导电浆料和200吨墨烯粉体"


def test_a_gap_with_another_claims_number_becomes_an_ellipsis():
    # between the tax of 2020 and the jobs stand the tax of 2024 and its growth rate
    merged = passage([part("zone-tax-2020"), part("zone-jobs")])
    assert merged == source("zone-tax-2020").quote + ELLIPSIS + source("zone-jobs").quote


def test_a_long_gap_becomes_an_ellipsis():
    first, last = passage_part("金昌气候干燥，戈壁荒滩广布。"), passage_part("正是看中这里的气候条件和完整的产业配套。")
    assert last["start"] - first["end"] > GAP
    assert passage([first, last]) == "金昌气候干燥，戈壁荒滩广布。" + ELLIPSIS + "正是看中这里的气候条件和完整的产业配套。"


@pytest.mark.build
def test_each_paragraph_quoted_in_a_row_is_one_block(book: Path):
    soup = BeautifulSoup((book / "chapters" / "01-clusters.html").read_text(encoding="utf-8"), "html.parser")
    batteries = ["nickel-sulphate-project", "conductive-paste-project", "graphene-powder-project",
                 "manganese-sulphate-project"]
    blocks = [quote for quote in soup.select("blockquote.article-quote")
              if any(f"#claim-{claim}" in a["href"] for claim in batteries for a in quote.select("a"))]
    assert len(blocks) == 1
    listed = [a["href"].partition("#claim-")[2] for a in blocks[0].select(".attribution a")]
    assert listed == batteries
    chinese = blocks[0].select_one('p [lang="zh"]').get_text()
    assert all(source(claim).quote in chinese for claim in batteries)
    for quote in soup.select("blockquote.article-quote"):
        following = quote.find_next_sibling()
        if following is not None and following.name == "blockquote":
            where = quote.select_one(".attribution").get_text().split("·")[0]
            assert where != following.select_one(".attribution").get_text().split("·")[0], where
