"""A check's words follow its rating: when the data move a rating, no sentence of the result
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
OUTCOME = re.compile(r"\b(faster|slower|above|below|higher|lower|exceeds?|more|less|equal|same|agrees?|differ|"
                     r"fits?|within|beyond|consistent|inconsistent)\b", re.I)
SCRIPT = ("import json; from jinchang import factcheck; "
          "print(json.dumps({c.id: [c.rating, c.result] for c in factcheck.checks()}))")


def sentences(text: str) -> set[str]:
    return {s.strip() for s in re.split(r"(?<=[.;])\s+", text) if s.strip()}


@pytest.fixture(scope="module")
def flipped(tmp_path_factory) -> dict[str, list[str]]:
    root = copy_project(tmp_path_factory.mktemp("flipped") / "book")
    for row_id, cells in FLIPS.values():
        edit_context(root, row_id, **cells)
    done = subprocess.run([sys.executable, "-c", SCRIPT], env={**os.environ, "JINCHANG_ROOT": str(root)},
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


@pytest.mark.parametrize("check_id", list(FLIPS))
def test_no_sentence_of_the_result_survives_a_flip_of_the_rating(flipped, check_id):
    before = next(c for c in factcheck.checks() if c.id == check_id)
    rating, result = flipped[check_id]
    assert rating != before.rating, "the edit must flip the rating"
    kept = [s for s in sentences(before.result) & sentences(result) if OUTCOME.search(s)]
    assert not kept, f"{check_id} is now {rating!r} but still says: {kept}"
