"""The glossary: one English rendering for each Chinese term, in the prose, the claims, the quotes and the charts."""

from __future__ import annotations

import re

import pytest

from jinchang import data, glossary, paths, review
from jinchang import labels as text
from jinchang.chinese import split

from .test_book import page, toc_docnames
from .test_charts import chart_functions
from .test_labels import entries

TABLE = data.tables().glossary
GLOSS = re.compile(r"\{gloss\}`([^`]+)`")
OTHER_ROLES = re.compile(r"\{[a-z:-]+\}`[^`]*`|`[^`]*`")
QUOTE = re.compile(r":::\{article-quote\}\n:translation: (?P<english>.*)\n(?P<chinese>(?:(?!:::).*\n)+):::")


def as_read(markdown: str) -> str:
    """Prose as a reader sees its words: glossary roles as their English, other roles and code left out."""
    return OTHER_ROLES.sub("", GLOSS.sub(lambda m: glossary.english(m.group(1)), markdown))


def chinese_of(text: str) -> str:
    return "".join(part for part, is_chinese in split(text) if is_chinese)


def prose_pages() -> list[str]:
    return [f"{docname}.md" for docname in toc_docnames()]


def test_each_term_has_one_english_rendering_and_the_rendering_is_not_one_it_rules_out():
    assert TABLE.term.is_unique and TABLE.id.is_unique
    for row in TABLE.itertuples():
        assert row.english.strip() == row.english and row.english, row.term
        assert glossary.avoided(row.english) == [], row.term


def test_the_issue_terms_are_in_the_glossary():
    required = {"规模以上", "出让", "重要引擎", "正在打造", "牵头申报", "投资建厂", "要素", "经开区", "园区", "规上",
                "本地化率", "级", "标准地", "主导产业", "金白兰武", "有色金属新材料", "新能源和新能源电池", "数字经济",
                "化工循环", "资源综合利用", "高品质菜草畜"}
    assert required <= set(TABLE.term)


def test_the_checks_see_a_second_rendering():
    assert glossary.misrendered("规模以上工业增加值", "industrial value added of large firms") == ["规模以上"]
    assert glossary.misrendered("规模以上工业增加值", "industrial value added above designated size") == []
    assert glossary.misrendered("国家级经开区", "a national-level development zone") == []  # 国家级, not 级
    assert ("出让", "land sold") in glossary.avoided("Fifty parcels of land sold")


def test_claim_translations_render_each_term_as_the_glossary_does():
    for row in data.claims().itertuples():
        assert glossary.misrendered(row.quote, row.translation) == [], (row.id, row.translation)
        assert glossary.avoided(f"{row.translation} {row.indicator} {row.notes}") == [], row.id


def test_article_quotes_render_each_term_as_the_glossary_does():
    quotes = 0
    for name in prose_pages():
        for match in QUOTE.finditer((paths.ROOT / name).read_text(encoding="utf-8")):
            chinese, english = "".join(match["chinese"].split()), match["english"]
            assert glossary.misrendered(chinese, english) == [], (name, english)
            assert glossary.avoided(english) == [], (name, english)
            quotes += 1
    assert quotes >= 10


def test_prose_renders_each_term_one_way():
    for name in prose_pages():
        markdown = (paths.ROOT / name).read_text(encoding="utf-8")
        for term in GLOSS.findall(markdown):
            glossary.entry(term)  # every role names a term of the table
        for sentence in review.sentences(markdown):
            read = as_read(sentence)
            assert glossary.misrendered(chinese_of(read), read) == [], (name, sentence)
            assert glossary.avoided(read) == [], (name, sentence)


def test_chart_text_renders_each_term_one_way():
    for name, function in chart_functions().items():
        chart = function()  # the English edition
        labels = [str(label) for label in chart.data.get("label", [])]
        for label in labels:
            assert glossary.misrendered(chinese_of(label), label) == [], (name, label)
        assert glossary.avoided(" ".join([chart.title, chart.subtitle, *labels])) == [], name


def test_the_english_label_table_renders_each_term_one_way():
    """Every English word of the charts is in labels/en.yml: a text that gives a term in Chinese gives the
    glossary's English beside it, and no text uses a rendering the glossary rules out."""
    texts = [(key, str(value)) for key, value in entries(text.table("en"))]
    assert len(texts) > 100
    for key, value in texts:
        assert glossary.misrendered(chinese_of(value), value) == [], (key, value)
        assert glossary.avoided(value) == [], (key, value)


def test_the_chinese_label_table_writes_each_term_as_the_glossary_gives_it_for_the_chinese_edition():
    assert glossary.entry("规上").chinese == "规模以上"  # a short form the Chinese edition writes out
    for key, value in entries(text.table("zh")):
        other = [t for t in glossary.terms_in(str(value)) if glossary.entry(t).chinese]
        assert other == [], (key, value)


@pytest.mark.build
def test_a_glossary_role_shows_the_english_and_the_chinese_on_hover(book):
    soup = page(book, "index")
    terms = soup.select("a.data-ref.term")
    assert terms
    for link in terms:
        term_id = link["href"].split("#term-")[1]
        row = TABLE.loc[term_id]
        assert link.select_one(".data-value").get_text() in (row.english, row.english[:1].upper() + row.english[1:])
        tip = soup.find(id=link["aria-describedby"])
        assert tip.select_one('[lang="zh"]').get_text() == row.term
        assert link["href"].startswith("chapters/glossary.html#term-")


@pytest.mark.build
def test_the_glossary_page_lists_every_term_with_its_users(book):
    soup = page(book, "chapters/glossary")
    for row in TABLE.itertuples():
        entry = soup.find(id=f"term-{row.id}")
        assert entry is not None and entry.name == "tr", row.term
        assert row.term in entry.get_text() and row.english in entry.get_text()
    used = soup.find(id="term-above-designated-size").get_text()
    assert "Jinchang by the numbers" in used  # the landing page uses it


@pytest.mark.build
def test_the_claims_page_links_each_term_of_a_quote_to_the_glossary(book):
    soup = page(book, "chapters/claims")
    for claim in data.claims().itertuples():
        linked = {a["href"].split("#term-")[1] for a in soup.find(id=f"claim-{claim.id}").select('a[href*="#term-"]')}
        assert linked == {glossary.entry(t).id for t in glossary.terms_in(claim.quote)}, claim.id


@pytest.mark.parametrize(("before", "after", "shown"), [
    (None, " is industrial land.", "Standard land"),  # opens the paragraph
    ("It is sold. ", " is granted.", "Standard land"),  # opens a sentence
    ("The zone's ", " is granted.", "standard land"),  # inside one
])
def test_a_glossary_rendering_that_opens_a_sentence_starts_with_a_capital(before, after, shown):
    from types import SimpleNamespace

    from docutils import nodes

    from jinchang.sphinxext import terms

    term = terms.term_ref("", "", nodes.inline("standard land", "standard land"), term_id="standard-land", tip_id="t")
    paragraph = nodes.paragraph("", "", *([nodes.Text(before)] if before else []), term, nodes.Text(after))
    document = nodes.document(None, None)
    document += paragraph
    terms.capitalise_sentence_starts(SimpleNamespace(config=SimpleNamespace(jinchang_edition="en")), document)
    assert term[0].astext() == shown
    terms.capitalise_sentence_starts(SimpleNamespace(config=SimpleNamespace(jinchang_edition="zh")), document)
    assert term[0].astext() == shown  # the Chinese edition shows the Chinese term: nothing to capitalise

