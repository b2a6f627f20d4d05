"""Every chart in both languages and both layouts, its words from the tables of labels, the
chart alone for the page and with its texts for downloads, a CSV per edition, a data table."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import typing
import warnings
from collections.abc import Callable
from xml.etree import ElementTree

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import jinchang.charts  # noqa: E402
from jinchang import formatting, labels, style  # noqa: E402
from jinchang.figure import PAGE, Chart  # noqa: E402
from jinchang.formatting import LANGUAGES  # noqa: E402

from .test_labels import entries, latin_words  # noqa: E402

SAME_IN_BOTH = ("claim_id", "context_id", "value", "unit", "base_value", "base_unit", "reliability", "period_inferred")
SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}href"


def chart_functions() -> dict[str, Callable[..., Chart]]:
    """Every public function of the chart modules that returns a Chart, by module and name."""
    found = {}
    for info in pkgutil.iter_modules(jinchang.charts.__path__):
        module = importlib.import_module(f"jinchang.charts.{info.name}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if (function.__module__ == module.__name__ and not name.startswith("_")
                    and typing.get_type_hints(function).get("return") is Chart):
                found[f"{info.name}.{name}"] = function
    return found


def test_every_chart_function_takes_the_language_and_defaults_to_english():
    for name, function in chart_functions().items():
        parameter = inspect.signature(function).parameters.get("lang")
        assert parameter is not None and parameter.default == "en", name


# A date typed into a chart's words would not follow an edit of the row it belongs to: a four-digit
# number, a month's name or a month in Chinese there is one typed by hand, not rendered from the data.
TYPED_DATE = re.compile(r"(?<!\d)\d{4}(?!\d)|\d+月|\b(?:January|February|March|April|May|June|July|August"
                        r"|September|October|November|December)\b")


def chart_sections() -> set[str]:
    """The sections of the tables of labels that the chart modules read: labels("cluster_map", lang)."""
    return {section for info in pkgutil.iter_modules(jinchang.charts.__path__)
            for section in re.findall(r'(?:labels|section)\("(\w+)"',
                                      inspect.getsource(importlib.import_module(f"jinchang.charts.{info.name}")))}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_charts_words_type_no_date_by_hand(lang):
    sections = chart_sections()
    assert {"common", "cluster_map", "growth_h1", "zone_rounds", "parcel"} <= sections  # the search finds them
    table = labels.table(lang)
    typed = [(section, *path, value) for section in sorted(sections) for path, value in entries(table[section])
             if TYPED_DATE.search(str(value))]
    assert not typed, typed


# --- every chart, drawn ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def charts() -> tuple[dict[tuple[str, str], Chart], list[str]]:
    """Every chart in every language, and the warnings drawing them raised (a missing glyph warns)."""
    drawn = {}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for name, function in chart_functions().items():
            for lang in LANGUAGES:
                drawn[name, lang] = function(lang=lang)
    return drawn, [str(w.message) for w in caught]


def test_no_glyph_is_missing_in_either_language(charts):
    _, caught = charts
    assert caught == []


def test_each_chart_is_drawn_in_both_layouts_and_cut_to_whole_pixels_for_the_page(charts):
    drawn, _ = charts
    for (name, lang), chart in drawn.items():
        for layout in style.LAYOUTS:
            base = f"{chart.name}{layout.suffix}"
            assert {f"{base}.svg", f"{base}.png", f"{PAGE}/{base}.svg"} <= set(chart.images), (name, lang)
            download = ElementTree.fromstring(chart.images[f"{base}.svg"])
            page = ElementTree.fromstring(chart.images[f"{PAGE}/{base}.svg"])
            width, height = (float(page.get(key).removesuffix("pt")) * 4 / 3 for key in ("width", "height"))
            assert width == int(layout.width * 96) and height == int(height), (name, lang, layout.name, height)
            assert chart.sizes[layout.name] == (width, height)
            ids = {e.get("id") for e in page.iter()}
            assert not {"jinchang-title", "jinchang-subtitle", "jinchang-source"} & ids, (name, lang)
            assert {"jinchang-title", "jinchang-subtitle", "jinchang-source"} <= {e.get("id") for e in download.iter()}
            used = {e.get(XLINK).removeprefix("#") for e in page.iter(f"{SVG}use")}
            assert used and used <= ids, (name, lang, used - ids)  # every glyph the page draws is defined in it
            assert float(download.get("height").removesuffix("pt")) > float(page.get("height").removesuffix("pt"))


def test_no_chart_draws_text_beyond_the_edges_of_its_figure(charts, monkeypatch):
    """Every text a chart draws (its own, and the title, subtitle and source ``finalise`` adds) lies
    within the figure, as the downloads draw it, in either layout and language: a line too long for
    its layout would be cut off at the edge (within a CSS pixel, for antialiasing)."""
    drawn, _ = charts
    seen = []  # the texts matplotlib draws (not, say, the labels of ticks outside the axis' limits)
    draw = matplotlib.text.Text.draw
    monkeypatch.setattr(matplotlib.text.Text, "draw", lambda text, renderer: (seen.append(text), draw(text, renderer)))
    outside = []
    for (name, lang), chart in drawn.items():
        for layout in style.LAYOUTS:
            fig = chart.draw(layout)
            style.finalise(fig, title=chart.title, subtitle=chart.subtitle, source=chart.source)
            seen.clear()
            style.png_bytes(fig)  # laid out and drawn as the build does; the figure keeps the PNG's dpi
            renderer = fig.canvas.get_renderer()
            edges, tolerance = fig.bbox, fig.dpi / 96  # a CSS pixel
            for text in dict.fromkeys(seen):
                if not (text.get_visible() and text.get_text().strip()):
                    continue
                box = text.get_window_extent(renderer)
                over = max(edges.x0 - box.x0, box.x1 - edges.x1, edges.y0 - box.y0, box.y1 - edges.y1)
                if over > tolerance:
                    outside.append(f"{chart.name}{layout.suffix} ({lang}): {text.get_text()!r} runs "
                                   f"{over / fig.dpi * 96:.1f} CSS px past the figure's edge")
            matplotlib.pyplot.close(fig)
    assert not outside, "\n".join(outside)


def test_the_csv_of_each_edition_differs_only_in_its_words(charts):
    drawn, _ = charts
    for name in chart_functions():
        english, chinese = drawn[name, "en"].data, drawn[name, "zh"].data
        assert list(english.columns) == list(chinese.columns) and len(english) == len(chinese), name
        for column in (c for c in SAME_IN_BOTH if c in english.columns):
            pd.testing.assert_series_equal(english[column], chinese[column], obj=f"{name}: {column}")
        if "period" in english.columns:  # the period as its source gives it, in each edition's words
            assert list(chinese.period) == [formatting.period(p, "zh") if p else p for p in english.period], name
        sourced = english.get("reliability", pd.Series("article", english.index)) != "computed"
        pd.testing.assert_series_equal(english.quote[sourced], chinese.quote[sourced], obj=f"{name}: quote")
        for column in ("label", "shown"):
            assert not any(latin_words(str(v)) for v in chinese[column]), (name, column, list(chinese[column]))


def test_the_chinese_texts_of_each_chart_are_chinese(charts):
    drawn, _ = charts
    for (name, lang), chart in drawn.items():
        if lang == "zh":
            for part in (chart.title, chart.subtitle, chart.alt, chart.description):
                assert not latin_words(part), (name, part)


def test_the_data_table_has_a_row_per_row_of_the_csv_linked_to_its_sources(charts):
    drawn, _ = charts
    for (name, lang), chart in drawn.items():
        table = chart.data_table()
        assert len(table["rows"]) == len(chart.data) and table["caption"], name
        for row, (_, plotted) in zip(table["rows"], chart.data.iterrows()):
            assert len(row["cells"]) == len(table["headings"]) - 1, name
            assert row["cells"][0] == style.unbreak(str(plotted[chart.table[0]])), name
            ids = " ".join(str(plotted[c]) for c in ("claim_id", "context_id") if pd.notna(plotted[c])).split()
            assert row["ids"] == ids, name


INFERRED = {"en": "(year inferred)", "zh": "（年份为推断）"}


def test_a_period_whose_year_the_book_inferred_says_so_in_the_csv_and_the_data_table(charts):
    """The article gives no year for most of its numbers: a row plotting one flags it in the CSV
    (period_inferred, as data/claims.csv does) and says it in the data table's period; no other row does."""
    from jinchang.data import tables

    claims = tables().claims.set_index("id")
    drawn, _ = charts
    checked = 0
    for (name, lang), chart in drawn.items():
        if "period" not in chart.data or "period" not in chart.table:
            continue
        periods = [row["cells"][list(chart.table).index("period")] for row in chart.data_table()["rows"]]
        for (_, plotted), period in zip(chart.data.iterrows(), periods):
            if not plotted.period:  # computed rows have no period
                assert pd.isna(plotted.get("period_inferred")) and INFERRED[lang] not in period, name
                continue
            ids = str(plotted.claim_id).split() if pd.notna(plotted.claim_id) else []
            expected = len(ids) == 1 and bool(claims.loc[ids[0], "period_inferred"])
            assert plotted.get("period_inferred") == expected, (name, lang, ids)
            assert period.endswith(INFERRED[lang]) == expected, (name, lang, period)
            checked += expected
    assert checked > 20  # the article's numbers of 2025 are plotted in most charts


def test_shapes_that_alt_text_cannot_carry_have_a_long_description_from_the_data(charts):
    drawn, _ = charts
    for lang in LANGUAGES:
        timeline = drawn["parks.timeline", lang]  # every event, in time order
        positions = [timeline.description.index(style.unbreak(event)) for event in timeline.data.event]
        assert positions == sorted(positions), lang
        rank = drawn["parks.national_rank", lang].data.set_index("label").shown  # where the square is, in the grid
        assert all(shown in drawn["parks.national_rank", lang].description for shown in rank.iloc[1:4]), lang
        path = drawn["parks.tax_path", lang].data  # where each path ends
        assert all(shown in drawn["parks.tax_path", lang].description for shown in path.shown.iloc[[0, 1, 6]]), lang
        land = drawn["environment.land", lang].data  # how many squares, how big
        assert all(shown in drawn["environment.land", lang].description for shown in land.shown.iloc[[2, 4]]), lang
    assert "22 years later, 2010" in drawn["parks.timeline", "en"].description  # the gaps, from the years
    assert "22年后，2010年" in drawn["parks.timeline", "zh"].description


# --- what a chart refuses --------------------------------------------------------------------------

def test_a_chart_may_not_draw_text_smaller_than_the_house_minimum():
    frame = pd.DataFrame({"label": ["a"], "shown": ["1"], "claim_id": ["zone-tax-2024"], "context_id": [None],
                          "quote": ["q"]})

    def tiny(layout: style.Layout):
        fig, ax = layout.figure(1.0)
        ax.text(0.5, 0.5, "8 pt", fontsize=8)
        return fig

    with pytest.raises(ValueError, match="draws text of 8 pt; charts draw no text smaller than 9 pt"):
        Chart("fig-x", "t", "s", "Sources: x", "alt", frame, tiny)


def test_no_chart_gives_a_number_known_only_within_a_window_the_date_it_is_drawn_at(charts):
    """The article's numbers are undated: drawn in the middle of the window in which it was written
    (inferred), they are described by that window, never by the date where they are drawn."""
    found = 0
    for (name, lang), chart in charts[0].items():
        if "date_earliest" not in chart.data.columns:
            continue
        windowed = chart.data[chart.data.date_earliest != chart.data.date_latest]
        table = " ".join(cell for row in chart.data_table()["rows"] for cell in row["cells"])
        for row in windowed.itertuples():
            found += 1
            for text in (chart.alt, chart.description, table):
                assert row.date not in text and formatting.day(row.date, lang) not in text, (name, lang, row.date)
            assert formatting.day(row.date_earliest, lang) in chart.alt, (name, lang)
            assert formatting.day(row.date_latest, lang) in chart.alt, (name, lang)
    assert found >= 4  # the article's new-energy share and localisation rate, in both editions


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_new_energy_chart_does_not_draw_the_articles_figure_as_one_of_the_reports(lang):
    """The article's share is the claim the fact-check tests against the reports: the line through a
    series of reports stops at its last report, and the table and alt text name the article's row apart."""
    from jinchang.charts import context
    from jinchang.labels import labels

    chart = context.new_energy_share(lang)
    claimed = chart.data.claim_id.fillna("") != ""
    assert list(chart.data[claimed].series) == [labels("new_energy_share", lang)["series"]["article"]]
    assert set(chart.data[~claimed].series).isdisjoint(chart.data[claimed].series)
    fig = chart.draw(style.LAYOUTS[0])
    lines = [line.get_ydata() for line in fig.axes[0].lines if len(line.get_ydata()) > 2]  # the joined series
    assert len(lines) == 2 and all(chart.data[claimed].value.iloc[0] not in list(y) for y in lines)
    matplotlib.pyplot.close(fig)


@pytest.mark.parametrize("lang, expected", [
    ("en", {"ctx-051": "end of 2018", "ctx-049": "end of October 2023", "ctx-047": "c. August 2021",
            "ctx-050": "27 November 2014", "ctx-045": "by 9 December 2014"}),
    ("zh", {"ctx-051": "2018年末", "ctx-049": "2023年10月末", "ctx-047": "约2021年8月",
            "ctx-050": "2014年11月27日", "ctx-045": "截至2014年12月9日"}),
])
def test_a_dated_chart_states_each_date_as_its_source_gives_it(lang, expected):
    """Drawn at the last day of its period, a row is described by its period: the end of a year (ctx-051,
    '2018 (end)') or of a month (ctx-049, 'end Oct'), an approximate month (ctx-047, 'as of c. Aug'), a day
    (ctx-050), or the day of the page that printed a figure known as of then (ctx-045, 'as of Dec')."""
    from jinchang.charts import context

    data = context.new_energy_share(lang).data
    assert {i: w for i, w in zip(data.context_id, data.when) if i in expected} == expected
