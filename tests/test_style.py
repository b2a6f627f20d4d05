"""The house chart style: bundled font, layout of the texts, reproducible SVG and PNG."""

import json
import os
import re
import struct
import subprocess
import sys
import zlib
from pathlib import Path
from xml.etree import ElementTree

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.font_manager import FontProperties  # noqa: E402
from matplotlib.textpath import text_to_path  # noqa: E402

from jinchang import style  # noqa: E402
from jinchang.chartfiles import size_attributes  # noqa: E402

FONTS = Path(style.__file__).parent / "fonts"
TITLE = "金昌 镍 铜箔 经开区 税收 硫酸镍"

# Renders one chart in a fresh process whose matplotlib knows no system font
# at all (only those it ships, none of them CJK), as on a bare build machine.
RENDER = r"""
import json, logging, sys, warnings
from pathlib import Path

import matplotlib
from matplotlib import font_manager
from matplotlib.font_manager import FontProperties

shipped = Path(matplotlib.get_data_path()).resolve()
font_manager.fontManager.ttflist = [
    entry for entry in font_manager.fontManager.ttflist if Path(entry.fname).resolve().is_relative_to(shipped)
]
logged = []
handler = logging.Handler(logging.WARNING)
handler.emit = lambda record: logged.append(record.getMessage())
logging.getLogger("matplotlib").addHandler(handler)

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    from jinchang import style

    fig, ax = style.figure()
    ax.bar(["镍", "铜箔", "硫酸镍", "经开区"], [3.2, -1.5, 2.8, 4.1], color=[style.MUTED] * 3 + [style.ACCENT])
    ax.set_ylabel("税收（亿元）")
    ax.annotate("≈ 4.1‰ → ↑ ▲ ● ■ ≤ ≥ × μ ² ³ ·", (3, 4.1))
    style.finalise(fig, title=sys.argv[2], subtitle="2019–2023年，“金昌”的税收……", source="金昌市统计局")
    svg = style.svg_bytes(fig, {"Title": sys.argv[2], "Identifier": "test-chart"})
    png = style.png_bytes(fig, {"Title": sys.argv[2]})

out = Path(sys.argv[1])
(out / "chart.svg").write_bytes(svg)
(out / "chart.png").write_bytes(png)
find = lambda **kw: str(font_manager.findfont(FontProperties(family=style.FAMILY, **kw), fallback_to_default=False))
print(json.dumps({
    "warnings": [str(w.message) for w in caught],
    "logged": logged,
    "regular": find(),
    "bold": find(weight="bold"),
    "fonts": sorted({Path(entry.fname).name for entry in font_manager.fontManager.ttflist}),
}))
"""


@pytest.fixture(scope="module")
def renders(tmp_path_factory):
    """The same chart rendered in two separate processes, each with an empty font cache."""
    results = []
    for run in ("first", "second"):
        out = tmp_path_factory.mktemp(run)
        env = {**os.environ, "MPLCONFIGDIR": str(out / "mplconfig"), "MPLBACKEND": "Agg"}
        done = subprocess.run(
            [sys.executable, "-c", RENDER, str(out), TITLE], env=env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stderr
        report = json.loads(done.stdout)
        results.append((report, (out / "chart.svg").read_bytes(), (out / "chart.png").read_bytes()))
    return results


@pytest.fixture(autouse=True)
def _isolated():
    """Keep the style's rcParams and figures out of other tests."""
    with matplotlib.rc_context():
        yield
    plt.close("all")


def _png_chunks(png: bytes):
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos = 8
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos : pos + 8])
        yield kind, png[pos + 8 : pos + 8 + length]
        pos += 12 + length


def _png_size(png: bytes) -> tuple[int, int]:
    kind, data = next(_png_chunks(png))
    assert kind == b"IHDR"
    return struct.unpack(">II", data[:8])


def _png_text(png: bytes) -> dict[str, str]:
    """tEXt (Latin-1) and iTXt (UTF-8, maybe compressed) chunks as a dict."""
    text = {}
    for kind, data in _png_chunks(png):
        if kind == b"tEXt":
            key, value = data.split(b"\0", 1)
            text[key.decode("latin-1")] = value.decode("latin-1")
        elif kind == b"iTXt":
            key, rest = data.split(b"\0", 1)
            _language, _translated, value = rest[2:].split(b"\0", 2)
            text[key.decode("latin-1")] = (zlib.decompress(value) if rest[0] else value).decode("utf-8")
    return text


def test_chinese_chart_is_drawn_with_the_bundled_font_on_a_machine_without_cjk_fonts(renders):
    report, svg, _ = renders[0]
    assert report["warnings"] == []
    assert report["logged"] == []
    assert not any("CJK" in name for name in report["fonts"] if not name.startswith("JinchangSans"))
    assert Path(report["regular"]) == FONTS / "JinchangSans-Regular.otf"
    assert Path(report["bold"]) == FONTS / "JinchangSans-Bold.otf"
    # Glyph outlines in the SVG are named after the font that drew them.
    glyph_fonts = set(re.findall(rb'<path id="([A-Za-z]+-[A-Za-z]+)-[0-9a-f]+"', svg))
    assert glyph_fonts == {b"JinchangSans-Regular", b"JinchangSans-Bold"}
    bold = matplotlib.ft2font.FT2Font(str(FONTS / "JinchangSans-Bold.otf"))
    for char in TITLE.replace(" ", ""):
        assert f'id="JinchangSans-Bold-{bold.get_char_index(ord(char)):x}"'.encode() in svg, char


def test_svg_text_is_outlines_and_undated(renders):
    _, svg, _ = renders[0]
    assert b"<text" not in svg
    assert b"<dc:date>" not in svg
    assert not re.search(rb"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", svg)


def test_svg_and_png_are_byte_identical_across_processes(renders):
    (_, svg1, png1), (_, svg2, png2) = renders
    assert svg1 == svg2
    assert png1 == png2


def test_png_pixels_are_figsize_times_dpi():
    fig, ax = style.figure()
    ax.plot([1, 2, 3], [3, 1, 2])
    width, height = fig.get_size_inches()
    assert (width, height) == (7.2, 4.2)
    assert _png_size(style.png_bytes(fig)) == (round(width * 200), round(height * 200))
    assert _png_size(style.png_bytes(fig, dpi=100)) == (720, 420)


def test_metadata_is_written_into_svg_and_png():
    fig, ax = style.figure()
    ax.plot([1, 2, 3], [3, 1, 2])
    svg = style.svg_bytes(fig, {"Title": TITLE, "Description": "金昌经开区税收", "Source": "NBS 2023"})
    assert f"<title>{TITLE}</title>".encode() in svg
    assert f"<dc:title>{TITLE}</dc:title>".encode() in svg
    assert "<dc:description>金昌经开区税收</dc:description>".encode() in svg
    assert b"<dc:source>NBS 2023</dc:source>" in svg
    text = _png_text(style.png_bytes(fig, {"Title": TITLE, "Source": "NBS 2023"}))
    assert text == {"Title": TITLE, "Source": "NBS 2023"}  # and no Software stamp


def test_size_attributes_are_whole_css_pixels():
    fig, _ = style.figure()
    assert size_attributes(style.svg_bytes(fig)) == (691, 403)  # 7.2 x 4.2 in: 691.2 x 403.2 px
    fig, _ = style.figure(figsize=(3, 2))
    assert size_attributes(style.svg_bytes(fig)) == (288, 192)


@pytest.mark.parametrize("layout", style.LAYOUTS, ids=lambda layout: layout.name)
def test_finalise_adds_title_subtitle_and_source_around_the_chart_without_overlap(layout):
    fig, ax = layout.figure(2.5)
    ax.bar(["2021年", "2022年", "2023年"], [1, 2, 3])
    ax.set_xlabel("年份")
    subtitle = "金昌经济技术开发区税收收入（亿元），铜箔和硫酸镍项目投产后连续三年保持两位数增长。" * 2
    finished = style.finalise(fig, title=TITLE, subtitle=subtitle, source="Sources: 金昌市统计局")

    title, sub, source = finished.texts
    assert title.get_text() == TITLE and title.get_fontweight() == "bold"
    assert "\n" in sub.get_text() and sub.get_text().replace("\n", "") == subtitle
    assert source.get_text() == "Sources: 金昌市统计局"
    assert sub.get_color() == source.get_color() != title.get_color()
    # The chart keeps its size: the figure grows by the texts; the region, in points, is the chart's.
    width, height = fig.get_size_inches()
    x, top, region_width, region_height = finished.region
    assert (x, region_width) == (0, int(layout.width * 96) * 0.75)
    assert region_height == pytest.approx(2.5 * 72, abs=0.4) and height * 72 > top + region_height and top > 0

    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    boxes = [text.get_window_extent(renderer) for text in finished.texts]
    axes = ax.get_tightbbox(renderer)
    assert boxes[0].y0 > boxes[1].y1 and boxes[1].y0 > axes.y1 and axes.y0 > boxes[2].y1 > boxes[2].y0 > 0
    assert all(0 < box.x0 and box.x1 < fig.bbox.width for box in boxes)
    assert boxes[0].x0 == pytest.approx(boxes[1].x0) == pytest.approx(boxes[2].x0)
    # The axes and their labels lie inside the chart's region, the texts outside it.
    per_point = fig.dpi / 72
    chart_top, chart_bottom = (height * 72 - top) * per_point, (height * 72 - top - region_height) * per_point
    assert chart_bottom <= axes.y0 and axes.y1 <= chart_top
    assert boxes[1].y0 >= chart_top and boxes[2].y1 <= chart_bottom


def test_the_chart_alone_is_cut_from_the_same_svg():
    fig, ax = style.NARROW.figure(2)
    ax.bar(["镍", "铜"], [1, 2])
    finished = style.finalise(fig, title=TITLE, subtitle="硫酸镍", source="Sources: 金昌市统计局")
    svg = style.svg_bytes(fig, {"Title": TITLE})
    alone = style.chart_alone(svg, finished)
    root = ElementTree.fromstring(alone)
    assert (root.get("width"), root.get("height")) == ("252pt", "144pt")  # 336 x 192 CSS px
    assert root.get("viewBox").split()[2:] == ["252", "144"]
    ids = {element.get("id") for element in root.iter()}
    assert not {"jinchang-title", "jinchang-subtitle", "jinchang-source"} & ids
    used = {e.get("{http://www.w3.org/1999/xlink}href").removeprefix("#")
            for e in root.iter("{http://www.w3.org/2000/svg}use")}
    assert used and used <= ids  # the title's glyphs went with it, and nothing else uses them
    assert f"<title>{TITLE}</title>".encode() in alone  # the metadata stays
    with pytest.raises(ValueError, match="found 0 of the 3 texts"):
        style.chart_alone(alone, finished)


def test_saving_lays_the_figure_out_once():
    fig, ax = style.WIDE.figure(2)
    ax.plot([1, 2, 3], [3, 1, 2])
    style.finalise(fig, title="t", subtitle="s", source="Sources: x")
    first = style.svg_bytes(fig)
    position = ax.get_position().bounds
    style.png_bytes(fig)
    assert fig.get_layout_engine() is None and ax.get_position().bounds == position
    assert style.svg_bytes(fig) == first


def test_wrapping_breaks_greedily_where_the_font_says():
    style.use()
    prop = FontProperties(size=9)

    def width(line: str) -> float:
        return text_to_path.get_text_width_height_descent(line, prop, ismath=False)[0]

    for text in ("New-energy battery-material makers 新能源电池材料生产企业", "人的头发直径通常为50微米至100微米，" * 3,
                 "The dates the article gives for the Jinchang Economic and Technological Development Zone"):
        for limit in (80, 150, 240):
            lines = style.NARROW.wrap(text, limit).split("\n")
            assert all(width(line) <= limit + 0.5 for line in lines), (text, limit)
            assert "".join(lines).replace(" ", "") == text.replace(" ", "")
            for line, after in zip(lines, lines[1:]):  # the next line's first word would not have fitted
                word = style._TOKEN.findall(after)[0].rstrip()  # a word, or a hanzi with its punctuation
                if line[-1].isascii() and not word.isascii():
                    continue  # a label in two languages breaks between them first
                assert width(f"{line} {word}" if word.isascii() else line + word) > limit, (line, after)
    # Two languages on one line where they fit, else a line each before any word is broken off.
    assert style.NARROW.wrap("Copper smelting 铜冶炼", 200) == "Copper smelting 铜冶炼"
    assert style.NARROW.wrap("New energy and new-energy batteries 新能源和新能源电池", 200) == \
        "New energy and new-energy batteries\n新能源和新能源电池"


def test_unbreak_joins_lines_as_each_script_does():
    assert style.unbreak("Lithium-battery cell makers\n锂电池电芯生产企业") == "Lithium-battery cell makers 锂电池电芯生产企业"
    assert style.unbreak("人的头发直径通常为\n50微米") == "人的头发直径通常为50微米"
    assert style.unbreak("Upgraded to\nnational level") == "Upgraded to national level"


def test_western_quotes_are_proportional_not_full_width():
    style.use()

    def width(text):
        return text_to_path.get_text_width_height_descent(text, FontProperties(size=10), ismath=False)[0]

    assert width("Jinchang’s “claim”") == pytest.approx(width("Jinchang's \"claim\""), rel=0.1)
    assert width("金昌") == pytest.approx(20, rel=0.01)  # hanzi stay one em wide


def test_use_registers_the_bundled_fonts_once_and_they_win_over_installed_ones():
    def bundled():
        return [entry for entry in font_manager.fontManager.ttflist if Path(entry.fname).parent == FONTS]

    style.use()
    first = len(bundled())
    style.use()
    assert len(bundled()) == first
    assert {entry.weight for entry in bundled()} == {400, 700}
    # Even where the full Noto Sans CJK is installed, the family name finds the subset.
    found = font_manager.findfont(FontProperties(family=plt.rcParams["font.family"][0]), fallback_to_default=False)
    assert Path(found) == FONTS / "JinchangSans-Regular.otf"
