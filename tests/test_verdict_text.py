"""A check's words follow its rating, in each language of the book: when the data move a rating, no sentence of the result
may still say what the old rating said.

One copy of the project gets context rows changed (with their source quotes, so the data stay
valid) until three ratings flip. A sentence the result keeps through the flip must not state
the outcome of the comparison (faster, below, equal, agree...): that sentence was written for
one rating and would contradict the other.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from jinchang import factcheck

from .conftest import copy_project
from .test_factcheck import edit_context

FLIPS = {  # check -> the context row changed to flip it, with its source quote
    "provincial-growth": ("ctx-071", {"value": "30", "value_as_printed": "30",
                                      "quote_zh": "全省规模以上工业增加值同比增长30%"}),
    "zone-count": ("ctx-067", {"value": "231", "value_as_printed": "231", "quote_zh": "對全國231家國家級經開區2022年度"}),
    "cells-per-day": ("ctx-059", {"value": "5", "value_as_printed": "5", "quote_zh": "日产5万支锂离子电池项目"}),
}
LANGUAGES = ("en", "zh")
OUTCOME = {  # words that state the outcome of a comparison, in each language
    "en": re.compile(r"\b(faster|slower|above|below|higher|lower|exceeds?|more|less|equal|same|agrees?|differ|"
                     r"fits?|within|beyond|consistent|inconsistent)\b", re.I),
    "zh": re.compile(r"高于|低于|超过|超出|不超过|吻合|相符|不符|之内|成立|一致|更快|更慢|不可能|没有超过"),
}
SPLIT = {"en": r"(?<=[.;])\s+", "zh": r"(?<=[。；])"}
SCRIPT = ("import json; from jinchang import factcheck; print(json.dumps({lang: {c.id: [c.rating, c.result] "
          f"for c in factcheck.checks(lang)}} for lang in {LANGUAGES!r}}}))")


def sentences(text: str, lang: str) -> set[str]:
    return {s.strip() for s in re.split(SPLIT[lang], text) if s.strip()}


@pytest.fixture(scope="module")
def flipped(tmp_path_factory) -> dict[str, dict[str, list[str]]]:
    root = copy_project(tmp_path_factory.mktemp("flipped") / "book")
    for row_id, cells in FLIPS.values():
        edit_context(root, row_id, **cells)
    done = subprocess.run([sys.executable, "-c", SCRIPT], env={**os.environ, "JINCHANG_ROOT": str(root)},
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("check_id", list(FLIPS))
def test_no_sentence_of_the_result_survives_a_flip_of_the_rating(flipped, check_id, lang):
    before = next(c for c in factcheck.checks(lang) if c.id == check_id)
    rating, result = flipped[lang][check_id]
    assert rating != before.rating, "the edit must flip the rating"
    kept = [s for s in sentences(before.result, lang) & sentences(result, lang) if OUTCOME[lang].search(s)]
    assert not kept, f"{check_id} is now {rating!r} but still says: {kept}"


def test_the_outcome_words_find_the_outcome_in_both_languages():
    for lang in LANGUAGES:
        results = {c.id: c.result for c in factcheck.checks(lang)}
        assert all(OUTCOME[lang].search(results[check_id]) for check_id in FLIPS), lang
