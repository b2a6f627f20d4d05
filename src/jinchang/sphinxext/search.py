"""Sphinx search language "zh" that finds Chinese words, single characters and English.

Stock ``sphinx.search.zh.SearchChinese`` has three gaps for this book:

* its ``word_filter`` drops one-character words, so 镍 or 铜 are never indexed;
* in the browser it uses the default ``splitQuery``, which keeps an unspaced
  Chinese query such as 金昌经开区税收 as one term that is in no index;
* it stems with snowball "english" (Porter2) in Python but the hand-written
  Porter stemmer in JavaScript, so e.g. "gas", "key", "added", "general" are
  indexed under one stem and queried under another.

This class indexes jieba words *and* every Han character, ships a JS splitter
(``search_splitter.js``) that segments Chinese queries greedily against
the words of the loaded index, and uses the snowball "porter" algorithm on both
sides (Python ``snowballstemmer`` and Sphinx's bundled, generated
``porter-stemmer.js`` come from the same snowball source). The JS file also
makes queries containing Chinese require all their terms: searchtools.js
only requires the terms longer than 2 characters, which most Chinese words
are not. And it leaves what the page does not show (tooltips, what a closed
toggle hides) out of the results' snippets; the index keeps its words.

In the Chinese edition (search option ``glosses``), a text that holds a term of the glossary
(``data/glossary.csv``) is also indexed under the words of its English rendering, so that
"above designated size" finds the pages that say 规模以上.

Load as the Sphinx extension ``jinchang.sphinxext.search`` and set
``html_search_language = "zh"``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import snowballstemmer
import sphinx
from sphinx.search.zh import JIEBA, SearchChinese

from ..chinese import HAN

if JIEBA:
    import jieba

__all__ = ["SearchChineseEnglish", "setup"]

# Han ideographs (CJK unified + extension A + compatibility). The same ranges
# are written in search_splitter.js; the tests check both sides agree.
_han_run = re.compile(f"[{HAN}]+")
_is_han = re.compile(f"[{HAN}]+").fullmatch
# A "word" in the sense of JS splitQuery ([\p{L}\p{N}_]+) with Han removed.
_other_word = re.compile(rf"[^\W{HAN}]+")
_digits = re.compile(r"[0-9]+").fullmatch  # as /^\d+$/ in JS

_HERE = Path(__file__).parent
_SPHINX_JS = Path(sphinx.__file__).parent / "search" / "minified-js"

# Wraps Sphinx's generated snowball Porter stemmer with the same rules as
# SearchChineseEnglish.stem below: Han terms pass through, and a word whose
# stem would be cut below 3 letters stays unstemmed ("evs", "as").
_JS_STEMMER_WRAPPER = """
var Stemmer = function () {
  const porter = new PorterStemmer();
  const han = /[\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff]/u;
  this.stemWord = (word) => {
    if (han.test(word)) return word;
    const stem = porter.stemWord(word.toLowerCase());
    return stem.length >= 3 ? stem : word.toLowerCase();
  };
};
"""


# jieba's Han words of each text seen, kept from one build to the next in the doctree folder (see
# ``setup``): a build that writes a few pages finds their texts there, and does not load jieba's
# dictionary (two thirds of a second) unless a text is new.
_words: dict[str, tuple[str, ...]] = {}
_WORDS_FILE = "jieba-words.json"


def _han_words(text: str) -> tuple[str, ...]:
    """jieba's Han words of ``text``: it sees the whole text for context, and its other tokens are
    punctuation, spaces, "1.11" and the like. Kept: the same texts recur (a term's note at every use)."""
    if (words := _words.get(text)) is None:
        words = _words[text] = tuple(w for w in jieba.cut_for_search(text) if _is_han(w))
    return words


def _words_file(app: Any) -> Path:
    return Path(app.doctreedir) / _WORDS_FILE


def load_words(app: Any) -> None:
    """The words kept by the last build, if made by the same jieba (its dictionary comes with it)."""
    try:
        kept = json.loads(_words_file(app).read_text(encoding="utf-8"))
    except (OSError, ValueError):  # none yet, or cut short: jieba finds the words again
        return
    if JIEBA and kept.get("jieba") == jieba.__version__:
        _words.update((text, tuple(words)) for text, words in kept["words"].items())


def keep_words(app: Any, exception: Exception | None) -> None:
    if exception is None and JIEBA and _words:
        path, text = _words_file(app), json.dumps({"jieba": jieba.__version__, "words": _words},
                                                  ensure_ascii=False, sort_keys=True)
        path.with_suffix(".partial").write_text(text, encoding="utf-8")
        path.with_suffix(".partial").replace(path)  # whole or not there


class SearchChineseEnglish(SearchChinese):
    """Chinese words + single Han characters + Porter-stemmed English."""

    lang = "zh"
    language_name = "Chinese"
    js_splitter_code = (_HERE / "search_splitter.js").read_text(encoding="utf-8")
    js_stemmer_code = "\n".join(
        [
            (_SPHINX_JS / "base-stemmer.js").read_text(encoding="utf-8"),
            (_SPHINX_JS / "porter-stemmer.js").read_text(encoding="utf-8"),
            _JS_STEMMER_WRAPPER,
        ]
    )

    def init(self, options: dict[str, str]) -> None:
        super().init(options)  # loads the optional jieba user dictionary
        # Same algorithm as the JS PorterStemmer above (not Porter2/"english").
        self.stemmer = snowballstemmer.stemmer("porter")
        self.glosses = _glosses() if options.get("glosses") else {}

    def split(self, input: str) -> list[str]:
        words: list[str] = []
        if JIEBA and _han_run.search(input):  # a text without Han has no Han word (jieba is slow on English)
            words += _han_words(input)
        for run in _han_run.findall(input):
            words += run  # every character, so 镍 or 铜 alone are found
        words += _other_word.findall(input)
        for term, english in self.glosses.items():
            if term in input:
                words += _other_word.findall(english)
        return words

    def stem(self, word: str) -> str:
        if _han_run.search(word):
            return word
        lower = word.lower()
        stem = self.stemmer.stemWord(lower)
        # Keep short words recognisable ("evs" not "ev", "as" not "a");
        # mirrored in the JS Stemmer wrapper.
        return stem if len(stem) >= 3 else lower

    def word_filter(self, word: str) -> bool:
        if _is_han(word):
            return True
        # searchtools.js drops stopwords and all-digit terms from every query,
        # so indexing them only makes searchindex.js bigger.
        return len(word) > 1 and word.lower() not in self.stopwords and not _digits(word)


def _glosses() -> dict[str, str]:
    """Each Chinese term of the glossary -> its English rendering."""
    from ..data import tables

    return dict(zip(tables().glossary["term"], tables().glossary["english"]))


def setup(app: Any) -> dict[str, Any]:
    # Same as sphinx.search.languages["zh"] = SearchChineseEnglish; the
    # mapping takes a class or a dotted-path string in Sphinx 7.4.
    app.add_search_language(SearchChineseEnglish)
    app.connect("builder-inited", load_words)
    app.connect("build-finished", keep_words)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
