"""Numbers in words, in English and in Chinese: the issue's examples, and the article's own wording."""

from datetime import date

import pytest

from jinchang import computed, data, formatting
from jinchang.formatting import shown

# Where the article does not print the number as the book shows it in Chinese: Chinese numerals
# (两, 七, 六, 四, 十), another word order (每天10万只, 年产26000吨), a misprint (第6十五位) or a
# superlative without a number (领跑全省). The book's form, from the claims table's value and unit.
WORDED_OTHERWISE = {
    "zone-national-rank": "第65位",
    "jinhongxiang-cells-per-day": "10万只/日",  # units.csv: 10k cells/day is 万只/日
    "jinhongxiang-new-products": "2款",
    "chain-mechanisms": "7项",
    "six-must-visits": "6种情形",
    "rubai-recycling-capacity": "26000吨/年",
    "zone-investment-title": "前10",
    "zone-four-zones": "4个",
    "industrial-growth-rank": "第1位（最高级表述）",
    "pgm-line-rank": "第1位（最高级表述）",
}


def test_the_issues_examples_in_chinese():
    assert shown("zone-tax-2024", "zh") == "1.11亿元"
    assert shown("zone-tax-2020", "zh") == "3707万元"
    assert shown("industrial-growth-h1", "zh") == "22.5%"
    assert shown("zone-national-rank", "zh") == "第65位"
    assert shown("jinhongxiang-cells-per-day", "zh") == "10万只/日"


def test_chinese_keeps_qualifiers_and_classes():
    assert shown("zone-signed-amount", "zh") == "超400亿元"
    assert shown("infrastructure-investment", "zh") == "近20亿元"
    assert shown("approval-time-cut", "zh") == "近68%"
    assert shown("zone-jobs", "zh") == "超9600人"
    assert shown("cluster-jinchang-share", "zh") == "66%"  # 达66%: "reached" adds nothing
    assert shown("system-major-scale", "zh") == "千亿级"
    assert shown("system-minor-scale", "zh") == "百亿级"
    rounded = data.context().query("qualifier == 'rounded'").id.iloc[0]
    assert shown(rounded, "zh").startswith("约") and shown(rounded).startswith("about ")


def test_every_claim_reads_in_chinese_as_the_article_prints_it():
    for claim in data.claims().itertuples():
        if claim.id in WORDED_OTHERWISE:
            assert shown(claim.id, "zh") == WORDED_OTHERWISE[claim.id], claim.id
            assert shown(claim.id, "zh") not in claim.quote, f"{claim.id} is printed as shown: not an exception"
        else:
            assert shown(claim.id, "zh") in claim.quote, (claim.id, shown(claim.id, "zh"), claim.quote)


def test_computed_amounts_in_chinese_use_wan_and_yi():
    assert computed.money(3.09e9, lang="zh").text == "30.9亿元"
    assert computed.money(3.09e9).text == "CNY 3.09 billion"
    assert computed.money(37_070_000, 4, lang="zh").text == "3707万元"
    assert computed.money(53_037, 5, lang="zh").text == "5.3037万元"
    assert computed.money(1e12, lang="zh").text == "1万亿元"
    assert computed.money(800, lang="zh").text == "800元"
    assert formatting.amount(1e6, "t", "zh") == "100万吨" and formatting.amount(1e6, "t") == "1,000,000 t"


def test_computed_numbers_in_chinese():
    assert computed.per("zone-signed-amount", "zone-projects", lang="zh").text == "超3.8亿元"
    assert computed.per("standard-land-area", "standard-land-parcels", lang="zh").text == "4.92公顷"
    assert computed.points("cluster-output-growth", "industrial-growth-h1", lang="zh").text == "0.3个百分点"
    assert computed.after_cut("approval-time-cut", lang="zh").text == "略高于32"
    assert computed.remainder("cluster-jinchang-share", lang="zh").text == "34%"
    assert computed.converted("standard-land-area", 1e6, "km²", lang="zh").text == "2.46平方公里"
    assert computed.square_side(10_000, lang="zh").text == "100米"
    assert computed.per_day("rubai-recycling-capacity", lang="zh").text == "每天71吨"
    readings = computed.growth_readings("zone-tax-2020", "zone-tax-2024", "zone-tax-growth", lang="zh")
    assert readings["years"].text == "4年" and readings["claimed_end"].text == "1.62亿元"


def test_a_computed_bound_is_rounded_so_that_it_still_holds():
    # over CNY 40 billion over 105 projects is over CNY 380.95 million: "over 381 million" would claim more
    average = computed.base("zone-signed-amount") / computed.base("zone-projects")
    assert 380e6 < average < 381e6
    assert computed.per("zone-signed-amount", "zone-projects").text == "over CNY 380 million"
    assert float(computed.per("zone-signed-amount", "zone-projects")) == average  # the figure plots the bound itself
    # CNY 111 million of over CNY 11 billion is at most 1.009%: a ceiling, rounded up
    share = computed.share("zone-tax-2024", "ctx-040")
    assert data.context().set_index("id").qualifier["ctx-040"] == "over" and 1.0 < share < 1.01
    assert share.text == "under 1.1%" and computed.share("zone-tax-2024", "ctx-040", lang="zh").text == "不足1.1%"
    # neither bounded: to the nearest, with no words
    plain = computed.share("zone-tax-2020", "ctx-061", 2)
    assert plain.text == "0.34%" and float(plain) == pytest.approx(3707e4 / 110.5e8 * 100)  # 3707万 of 110.5亿


def test_english_is_unchanged():
    assert shown("zone-tax-2020") == "CNY 37.07 million"
    assert shown("zone-signed-amount") == "over CNY 40 billion"
    assert shown("system-major-scale") == "CNY 100 billion class"
    assert shown("copper-electrolysis-capacity") == "400,000 t"
    assert shown("zone-national-rank") == "65th"
    assert computed.after_cut("approval-time-cut").text == "just over 32"
    assert computed.growth_readings("zone-tax-2020", "zone-tax-2024", "zone-tax-growth")["years"].text == "4 years"


def test_plain_numbers_dates_and_languages():
    assert formatting.number(1_234_567) == "1,234,567" and formatting.number(1_234_567, lang="zh") == "1234567"
    assert formatting.number(37.07) == "37.07" and formatting.number(2.46, 1, "zh") == "2.5"
    assert formatting.ordinal(65) == "65th" and formatting.ordinal(12) == "12th" and formatting.ordinal(22) == "22nd"
    assert formatting.month(date(2023, 6, 29)) == "June 2023"
    assert formatting.month(date(2023, 6, 29), "zh") == "2023年6月"
    assert formatting.day("2025-07-04") == "4 July 2025"
    assert formatting.day(date(2025, 7, 4), "zh") == "2025年7月4日"
    assert formatting.scale(1.86e8) == (1e6, "million") and formatting.scale(1.86e8, "zh") == (1e8, "亿")
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        shown("zone-tax-2020", "fr")


@pytest.mark.parametrize("written,chinese", [
    ("2025-H1", "2025年上半年"), ("2025", "2025年"), ("since 2020", "2020年以来"), ("by end-2025", "2025年底前"),
    ("2020–2024", "2020—2024年"), ("plan", "规划"), ("not stated", "未说明"), ("c. 2021-2025", "约2021—2025年"),
    ("2023-Q1-Q3", "2023年前三季度"), ("2025-Q1", "2025年第一季度"), ("2024-01..05", "2024年1—5月"),
    ("2021 (as of c. Aug)", "2021年（约截至8月）"), ("2023 (end Oct)", "2023年（10月末）"), ("2024 (end)", "2024年末"),
    ("2014 (27 Nov)", "2014年（11月27日）"), ("2023 assessment (2022 data)", "2023年评价（2022年度数据）"),
    ("not shown (after 2024-01-31)", "未显示（2024年1月31日之后）"), ("2021-08 (from URL)", "2021年8月（据网址）"),
    ("—", "—"),
])
def test_a_period_of_the_data_in_chinese_keeps_its_uncertainty(written, chinese):
    assert formatting.period(written, "zh") == chinese
    assert formatting.period(written) == written  # the English edition shows the data's own words


def test_every_period_and_source_date_of_the_data_reads_in_chinese():
    t = data.tables()
    written = [*t.claims.period, *t.context.period, *t.context.source_date, *t.references.source_date]
    assert [w for w in written if any(c.isascii() and c.isalpha() for c in formatting.period(w, "zh"))] == []


def test_a_period_without_chinese_words_is_refused_by_name():
    with pytest.raises(ValueError, match="'sometime soon'.*ZH_PERIODS"):
        formatting.period("sometime soon", "zh")
