"""The house chart style: bundled font, layout of the texts, reproducible SVG and PNG."""

import json
import os
import re
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.font_manager import FontProperties  # noqa: E402
from matplotlib.textpath import text_to_path  # noqa: E402

from jinchang import style  # noqa: E402

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


def test_size_attributes_are_css_pixels():
    fig, _ = style.figure()
    assert style.size_attributes(style.svg_bytes(fig)) == pytest.approx((7.2 * 96, 4.2 * 96))
    fig, _ = style.figure(figsize=(3, 2))
    assert style.size_attributes(style.svg_bytes(fig)) == pytest.approx((288, 192))


def test_finalise_stacks_title_subtitle_axes_and_source_without_overlap():
    fig, ax = style.figure()
    ax.bar(["2021年", "2022年", "2023年"], [1, 2, 3])
    ax.set_xlabel("年份")
    subtitle = "金昌经济技术开发区税收收入（亿元），铜箔和硫酸镍项目投产后连续三年保持两位数增长。" * 2
    assert style.finalise(fig, title=TITLE, subtitle=subtitle, source="金昌市统计局") is fig

    title, sub, source = fig.texts
    assert title.get_text() == TITLE and title.get_fontweight() == "bold"
    assert "\n" in sub.get_text() and sub.get_text().replace("\n", "") == subtitle
    assert source.get_text() == "Source: 金昌市统计局"
    assert sub.get_color() == source.get_color() != title.get_color()

    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    boxes = [text.get_window_extent(renderer) for text in fig.texts]
    axes = ax.get_tightbbox(renderer)
    assert boxes[0].y0 > boxes[1].y1 and boxes[1].y0 > axes.y1 and axes.y0 > boxes[2].y1 > boxes[2].y0 > 0
    assert all(0 < box.x0 and box.x1 < fig.bbox.width for box in boxes)
    assert boxes[0].x0 == pytest.approx(boxes[1].x0) == pytest.approx(boxes[2].x0)


def test_finalise_prefixes_the_source_only_once():
    fig, _ = style.figure()
    style.finalise(fig, title="t", subtitle="s", source="Sources: NBS; 金昌市统计局")
    assert fig.texts[-1].get_text() == "Sources: NBS; 金昌市统计局"


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
