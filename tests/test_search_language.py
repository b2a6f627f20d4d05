"""The "zh" search language of jinchang.sphinxext.search (no browser).

Python side through Sphinx's own IndexBuilder; JS side (stemmer, splitter and
the AND fix) evaluated in Node, the latter together with Sphinx's real
searchtools.js.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest
import sphinx
from docutils.core import publish_doctree
from sphinx.application import Sphinx
from sphinx.search import IndexBuilder, languages

from jinchang.sphinxext import search

from .conftest import require

SPLITTER = Path(search.__file__).parent / "search_splitter.js"
SEARCHTOOLS = Path(sphinx.__file__).parent / "themes" / "basic" / "static" / "searchtools.js"

CHINESE = "金昌经开区税收从2020年的3707万元跃升至2024年的1.11亿元。园区生产铜箔和硫酸镍，金昌是镍都。"
ENGLISH = "The smelter smelts nickel; smelting feeds batteries. A battery needs gas as a key input."
PAGE = f"""\
Nickel 镍
=========

{CHINESE}

{ENGLISH} Jinchang 金昌 nickel镍 copper铜.
"""


@pytest.fixture
def zh(monkeypatch):
    """Register the language the way Sphinx does when loading the extension."""
    monkeypatch.setitem(languages, "zh", languages["zh"])  # restored afterwards
    app = SimpleNamespace(add_search_language=lambda cls: Sphinx.add_search_language(app, cls),
                          connect=lambda event, handler: None)
    meta = search.setup(app)
    assert meta["parallel_read_safe"] and meta["parallel_write_safe"]
    return languages["zh"]


@pytest.fixture
def index(zh):
    """Feed PAGE through Sphinx's IndexBuilder; return (terms, titleterms)."""
    builder = index_builder()
    assert isinstance(builder.lang, search.SearchChineseEnglish)
    builder.feed("page", "page.rst", "Nickel 镍", publish_doctree(PAGE))
    return builder._mapping, builder._title_mapping


def index_builder() -> IndexBuilder:
    """Sphinx's IndexBuilder for "zh" on a bare stand-in for the environment."""
    env = SimpleNamespace(**{f"_search_index_{n}": {} for n in (
        "titles", "filenames", "mapping", "title_mapping", "all_titles",
        "index_entries", "objtypes", "objnames")})
    return IndexBuilder(env, "zh", {}, "")


def node(script: str) -> object:
    path = require(shutil.which("node"), "no node on PATH; install Debian's nodejs")
    done = subprocess.run([path], input=script, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_setup_registers_class_for_zh(zh):
    assert zh is search.SearchChineseEnglish
    assert zh.lang == "zh"


def test_indexes_single_characters_and_jieba_words(index):
    terms, titleterms = index
    for char in "镍铜箔税金":
        assert char in terms or char in titleterms, char
    for word in ("金昌", "经开区", "税收", "铜箔", "硫酸镍", "镍都"):
        assert word in terms, word
    assert "镍" in titleterms and "nickel" in titleterms


def test_skips_what_a_query_can_never_match(index):
    terms, _ = index
    # stopwords and all-digit terms are dropped from queries by searchtools.js
    assert not {"the", "as", "2020", "3707", "1.11", "11"} & terms.keys()
    assert not [t for t in terms if not t.strip() or t in "，。"]  # no punctuation/space


def test_english_inflections_share_a_stem(index):
    lang = search.SearchChineseEnglish({})
    assert lang.stem("batteries") == lang.stem("battery") == "batteri"
    assert {lang.stem(w) for w in ("smelt", "smelts", "smelting", "smelted")} == {"smelt"}
    assert lang.stem("Nickel") == "nickel"
    assert lang.stem("镍都") == "镍都"
    terms, titleterms = index
    assert {"batteri", "smelt", "nickel"} <= terms.keys() | titleterms.keys()


def test_short_stems_stay_unstemmed(index):
    lang = search.SearchChineseEnglish({})
    # Porter would cut these below 3 letters ("ga", "ev", "a")
    assert [lang.stem(w) for w in ("gas", "EVs", "as")] == ["gas", "evs", "as"]
    assert "gas" in index[0]


def test_the_words_a_build_keeps_spare_the_next_build_jieba(zh, tmp_path, monkeypatch):
    app = SimpleNamespace(doctreedir=str(tmp_path))
    monkeypatch.setattr(search, "_words", {})
    found = search._han_words(CHINESE)
    assert "金昌" in found
    search.keep_words(app, RuntimeError("a failed build"))
    assert not list(tmp_path.iterdir())  # keeps nothing
    search.keep_words(app, None)

    def refuse(text):
        raise AssertionError(f"jieba asked again for {text!r}")

    monkeypatch.setattr(search.jieba, "cut_for_search", refuse)
    monkeypatch.setattr(search, "_words", {})
    search.load_words(app)  # the next build
    assert search._han_words(CHINESE) == found
    monkeypatch.setattr(search, "_words", {})
    monkeypatch.setattr(search.jieba, "__version__", "0.1")  # another jieba: another dictionary
    search.load_words(app)
    assert search._words == {}
    (tmp_path / "jieba-words.json").write_text('{"jieba": ', encoding="utf-8")  # cut short
    search.load_words(app)
    assert search._words == {}


def test_js_stemmer_matches_python_stemmer():
    lang = search.SearchChineseEnglish({})
    words = ("batteries battery smelting smelts nickel gas key keys added general "
             "generated news days EVs as accordingly refineries sulphate cathodes "
             "Jinchang copper 镍 金昌").split()
    js = node(lang.js_stemmer_code + f"""
        const s = new Stemmer();
        console.log(JSON.stringify({json.dumps(words)}.map((w) => s.stemWord(w))));""")
    assert js == [lang.stem(w) for w in words]


def split_in_node(queries: list[str], index_terms: list[str] | None) -> list[list[str]]:
    """Run splitQuery with Search._index built from index_terms (None: no index)."""
    fake = "null" if index_terms is None else json.dumps(
        {"terms": {t: 0 for t in index_terms}, "titleterms": {}}, ensure_ascii=False)
    return node(f"var Search = {{ _index: {fake} }};\n" + SPLITTER.read_text(encoding="utf-8")
                + f"\nconsole.log(JSON.stringify({json.dumps(queries)}.map(splitQuery)));")


def test_js_splitter_uses_the_words_of_the_index(index):
    terms, titleterms = index
    got = split_in_node(["金昌经开区税收", "硫酸镍", "金昌 nickel", "nickel镍",
                         "Nickel-smelting，铜箔2020年", "镍都铜", "锌矿"],
                        sorted(terms.keys() | titleterms.keys()))
    assert got == [
        ["金昌", "经开区", "税收"],
        ["硫酸镍"],
        ["金昌", "nickel"],
        ["nickel", "镍"],
        ["Nickel", "smelting", "铜箔", "2020", "年"],
        ["镍都", "铜"],
        ["锌", "矿"],  # not in the index: single characters
    ]


def test_js_splitter_without_index_and_han_ranges():
    # Boundaries of the HAN ranges shared with search.py; 々 and ー are not Han.
    text = "\u3400\u4dbf\u4e00\u9fff\uf900\ufad9々ーab"
    assert split_in_node([text, "经开区"], None) == [
        list("\u3400\u4dbf\u4e00\u9fff\uf900\ufad9") + ["々ーab"], ["经", "开", "区"]]
    lang = search.SearchChineseEnglish({})
    assert {w for w in lang.split(text) if len(w) == 1} == set("\u3400\u4dbf\u4e00\u9fff\uf900\ufad9")
    assert "々ーab" in lang.split(text)


def test_han_terms_are_all_required_in_sphinx_searchtools(zh):
    # Sphinx's filter accepts a page matching as many terms as there are terms
    # longer than 2 characters: for "金昌 nickel" a page with just one of them.
    # searchtools.js, then language_data.js as Sphinx renders it
    context = index_builder().context_for_searchtool()
    script = "\n".join([
        "var _ready = () => {}, _ = (s) => s, SPHINX_HIGHLIGHT_ENABLED = false;",
        SEARCHTOOLS.read_text(encoding="utf-8"),
        f"var stopwords = {context['search_language_stop_words']};",
        context["search_language_stemming_code"],
        context["search_word_splitter_code"],
    ]) + """
    Search._index = {docnames: ["chinese", "english", "mixed"], titles: ["c", "e", "m"],
                     filenames: ["c", "e", "m"], titleterms: {},
                     terms: {"金昌": [0, 2], "nickel": [1, 2], "smelt": 1, "of": [1, 2]}};
    const docs = (q) => {
      const [, terms, excluded] = Search._parseQuery(q);  // splitQuery installs the fix
      return Search.performTermsSearch(terms, excluded).map((r) => r[0]).sort();
    };
    const stock = Search.performTermsSearch(new Set(["金昌", "nickel"]), new Set())
      .map((r) => r[0]).sort();
    console.log(JSON.stringify({stock, mixed: docs("金昌 nickel"), chinese: docs("金昌"),
                                english: docs("nickel smelt"), short: docs("nickel of")}));
    """
    got = node(script)
    assert got["stock"] == ["chinese", "english", "mixed"]  # what Sphinx alone does
    assert got["mixed"] == ["mixed"]
    assert got["chinese"] == ["chinese", "mixed"]
    assert got["english"] == ["english"]
    # English-only queries keep Sphinx's rule: short terms stay optional
    assert got["short"] == ["english", "mixed"]
