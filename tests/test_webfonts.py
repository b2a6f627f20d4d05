"""The book's CJK web font: cut to exactly the pages' Chinese characters, reproducibly, declared
after the system CJK fonts; a page with a character the bundled font lacks fails the build."""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from jinchang.editions import EDITIONS
from jinchang import typeface
from jinchang.sphinxext import webfonts

from .conftest import copy_project, run_build
from .test_browser import families

STATIC = Path(webfonts.__file__).parent / "static"


def test_unicode_range_joins_consecutive_code_points():
    assert webfonts.unicode_range("丁一七金") == "U+4E00-4E01,U+4E03,U+91D1"


def test_a_subset_holds_exactly_its_characters_and_is_reproducible():
    characters = "金昌镍都，。"
    data = webfonts.woff2(typeface.bundled("Regular"), characters)
    font = TTFont(BytesIO(data))
    assert font.flavor == "woff2"
    assert {chr(code) for code in font.getBestCmap()} == set(characters)
    assert font["name"].getDebugName(1) == typeface.FAMILY
    assert webfonts.woff2(typeface.bundled("Regular"), characters) == data


def test_a_subset_is_compressed_at_the_books_quality_and_holds_the_same_font(monkeypatch):
    """Brotli's quality is QUALITY, below fontTools' (the highest): bigger, the same font inside, and
    brotli left as it was for any other caller."""
    from fontTools.ttLib import woff2 as writer

    compress = writer.brotli.compress
    characters = "".join(sorted(typeface.characters()))[:800]
    ours = webfonts.woff2(typeface.bundled("Regular"), characters)
    assert writer.brotli.compress is compress
    assert webfonts.QUALITY < 11
    monkeypatch.setattr(webfonts, "QUALITY", 11)
    highest = webfonts.woff2(typeface.bundled("Regular"), characters)
    assert len(ours) > len(highest)
    font, other = TTFont(BytesIO(ours)), TTFont(BytesIO(highest))
    assert sorted(font.keys()) == sorted(other.keys())
    assert all(font.getTableData(tag) == other.getTableData(tag) for tag in font.keys() if tag != "GlyphOrder")


def test_system_cjk_fonts_come_first_and_the_books_last():
    css = (STATIC / "jinchang.css").read_text(encoding="utf-8")
    stack = families(re.search(r"--jinchang-cjk:([^;]*);", css)[1])
    assert stack[0] == "Noto Sans CJK SC" and stack[-1] == typeface.FAMILY
    assert re.search(r'--jinchang-cjk-fallback: var\(--jinchang-cjk\), "Jinchang Placeholder";', css)
    assert re.search(r':where\(:root:not\(:lang\(zh\)\)\) \[lang\|="zh"\] \{ font-family: var\(--jinchang-cjk-fallback\), sans-serif; \}', css)


def test_the_placeholder_draws_nothing_with_the_fonts_advances_and_line_metrics():
    characters = "金昌，。"
    source = TTFont(typeface.bundled("Regular"))
    data = webfonts.placeholder(typeface.bundled("Regular"), characters)
    placeholder = TTFont(BytesIO(data))
    assert placeholder["name"].getDebugName(1) == webfonts.PLACEHOLDER
    cmap, source_cmap = placeholder.getBestCmap(), source.getBestCmap()
    assert {chr(code) for code in cmap} == set(characters)
    for code, glyph in cmap.items():
        assert placeholder["hmtx"][glyph][0] == source["hmtx"][source_cmap[code]][0]
        assert placeholder["glyf"][glyph].numberOfContours == 0
    for table, field in (("hhea", "ascent"), ("hhea", "descent"), ("OS/2", "sTypoAscender"), ("OS/2", "usWinDescent")):
        assert getattr(placeholder[table], field) == getattr(source[table], field)
    assert webfonts.placeholder(typeface.bundled("Regular"), characters) == data


@pytest.mark.build
@pytest.mark.parametrize("edition", EDITIONS, ids=lambda e: e.code)
def test_each_edition_serves_exactly_the_chinese_characters_of_its_pages(book: Path, edition):
    site = book / edition.folder
    declared = webfonts.subset_characters(site / "_static" / webfonts.CSS)
    others = tuple(f"{e.folder}/" for e in EDITIONS if e.folder and e != edition)
    used = set()
    for path in webfonts.shown_files(site, edition.code):  # the pages, and the words their scripts show
        if not path.relative_to(site).as_posix().startswith(others):
            used |= set(webfonts.CHINESE.findall(webfonts.shown_text(path)))
    assert used <= declared
    assert len(declared - used) < 0.02 * len(declared)  # nearly all of them are shown on some page
    css = (site / "_static" / webfonts.CSS).read_text(encoding="utf-8")
    for style in webfonts.WEIGHTS:
        font = TTFont(site / "_static" / "fonts" / f"JinchangSans-{style}.woff2")
        assert {chr(code) for code in font.getBestCmap()} == declared
        assert "font-display:swap" in css and f"fonts/JinchangSans-{style}.woff2?v=" in css


@pytest.mark.build
def test_a_character_the_bundled_font_lacks_fails_the_build(book: Path, tmp_path: Path):
    missing = "龘"  # U+9F98, in no GB 2312 level and in no text of the project
    assert missing not in typeface.characters()
    root = copy_project(tmp_path / "book", book)
    methods = root / "chapters" / "methods.md"
    methods.write_text(methods.read_text(encoding="utf-8") + f"\nA rare character: {missing}.\n", encoding="utf-8")
    failed = run_build(root)
    assert failed.returncode != 0
    assert f"chapters/methods.html: Jinchang Sans lacks the characters {missing}" in failed.stdout + failed.stderr


@pytest.mark.build
def test_fonts_a_stopped_build_did_not_cut_are_cut_by_the_next(book: Path, tmp_path: Path):
    root = copy_project(tmp_path / "book", book)
    assert run_build(root, "--no-pdf").returncode == 0
    stage = root / "_build" / ".stage"
    font = Path("_static") / "fonts" / "JinchangSans-Bold.woff2"
    (stage / "en" / "html" / font).unlink()  # as a build stopped while the fonts were cut leaves its stage
    for stamp in (stage / "inputs.sha256", stage / "en" / "inputs.sha256"):
        stamp.unlink()  # else nothing is built again
    rebuilt = run_build(root, "--no-pdf")
    assert rebuilt.returncode == 0, rebuilt.stdout + rebuilt.stderr
    assert TTFont(root / "_build" / "html" / font).flavor == "woff2"
