"""The bare-number rule: every piece of text a reader sees is scanned, in any script's digits."""

from __future__ import annotations

import pytest

from jinchang.prose import bare_numbers


def found(markdown: str) -> list[tuple[int, int, str]]:
    return [(n.line, n.column, n.text) for n in bare_numbers(markdown)]


@pytest.mark.parametrize("markdown,number", [
    ("<div>Output grew 44 per cent.</div>\n", "44"),  # a raw HTML block
    ("<p>\n<img src=\"a.png\" alt=\"a rise of 44\">\n</p>\n", "44"),  # its alt text
    ("<span title=\"44 in all\">zones</span>\n", "44"),  # and its title
    ("Text with <abbr title=\"x\">44 zones</abbr> inline.\n", "44"),  # inline raw HTML
    ("The {abbr}`ETDZ (44 zones)` grew.\n", "44"),
    ("CO{sub}`44` fell.\n", "44"),
    ("Area in km{sup}`44`.\n", "44"),
    ("The rule {math}`x = 44` holds.\n", "44"),
    ("$$\nx = 44\n$$\n", "44"),  # dollar math is not enabled: plain text, still scanned
    ("```{math}\nx = 44\n```\n", "44"),
    (":::{note} The 44 zones\nText.\n:::\n", "44"),  # an admonition's title
    ("```{admonition} Ranked 44th\nText.\n```\n", "44"),
    ("![A bar of 44 units](chart.png)\n", "44"),  # image alt text
    ("![chart](chart.png \"44 units\")\n", "44"),  # image title
    ("[the report](https://example.org \"44 pages\")\n", "44"),  # link title
    ("See {ref}`the 44 zones <fig-zones>`.\n", "44"),  # a reference's own title
    ("Output grew ٤٤ per cent.\n", "٤٤"),  # Arabic-Indic digits
    ("Output grew ۴۴ per cent.\n", "۴۴"),  # Extended Arabic-Indic (Persian) digits
    ("Output grew ４４％.\n", "４４％"),  # full-width digits and percent sign
    ("Output grew ४४ per cent.\n", "४४"),  # Devanagari digits
    ("Chapter Ⅻ of the plan.\n", "Ⅻ"),  # a Roman numeral character
    ("Step ④ of the plan.\n", "④"),  # a circled digit
    ("```{figure} chart.png\n:alt: A bar of 44 units\n\nCaption.\n```\n", "44"),  # a directive's alt option
    ("| a | b |\n|---|---|\n| x | 44 |\n", "44"),  # a table cell
    ("金昌有两个园区。\n", "两"),  # Chinese numerals in Chinese text
    ("设立了十项机制。\n", "十"),
    ("第六十五位，统一口径。\n", "六十五"),  # a count beside a word whose 一 counts nothing
    ("2023年13月。\n", "13"),  # not a month: not a date
    ("截至11月底。\n", "11"),  # a month without its year is not a date
])
def test_numbers_anywhere_a_reader_sees_them_are_found(markdown, number):
    assert number in [text for _, _, text in found(markdown)], found(markdown)


def test_numbers_in_substitutions_are_found_where_they_are_defined():
    markdown = "---\nmyst:\n  substitutions:\n    zones: \"44 zones\"\n    ok: \"{claim}`zone-tax-2024`\"\n---\n\n# Title\n\nThere are {{ zones }}.\n"
    assert found(markdown) == [(4, 13, "44")]


@pytest.mark.parametrize("markdown", [
    "Grew {claim}`zone-tax-2024` and {source}`ctx-071` by {glue:text}`ratio-2:.1f`.\n",
    "Cited {cite:p}`ctx-071`; see {numref}`fig-44` and {ref}`fig-44`.\n",
    "The article says {quote}`industrial-growth-h1`.\n",
    "Code `x = 44` and {code}`y = 44` are not prose.\n",
    "```python\nx = 44\n```\n",
    "```{code-cell} ipython3\nx = 44\n```\n",
    "```{figure} fig-44.png\n:name: fig-44\n:width: 80%\n\nCaption.\n```\n",
    ":::{claim-quote} zone-tax-2020 zone-tax-2024\n:::\n",
    "<!-- a comment with 44 -->\n",
    "<script>var x = 44;</script>\n",
    "In 2024 the \"2+4\" plan and the 1+N mechanism (H1 2025, 5G, WCAG 2.2).\n",
    "2023年11月，2025年7月24日之后；统一口径，进一步说明，见下一章，榜单之一，单位为万元。\n",
])
def test_data_roles_code_names_and_years_are_not_bare_numbers(markdown):
    assert found(markdown) == []


def test_each_number_is_placed_at_its_own_line_and_column():
    markdown = "# Title\n\nFirst {abbr}`A (7)` then 7 again,\nand on the next line ٧.\n"
    assert found(markdown) == [(3, 17, "7"), (3, 26, "7"), (4, 22, "٧")]
