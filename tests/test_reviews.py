"""The fidelity review: every factual sentence of the landing page and the story chapters, with what supports it."""

from __future__ import annotations

import re

import pytest

from jinchang import data, factcheck, paths, review

REVIEWS = data.tables().reviews
GLUED = re.compile(r"""glue\(\s*f?["']([^"']+)["']""")


@pytest.mark.parametrize("reviewer", ["editor", "second reader"])
def test_every_sentence_of_the_story_pages_is_reviewed_by_both_readers_and_no_review_is_stale(reviewer):
    """An edited sentence needs its rows in data/reviews.csv edited, with what supports it now, by each reader."""
    for page in review.PAGES:
        written = review.sentences((paths.ROOT / page).read_text(encoding="utf-8"))
        reviewed = list(REVIEWS[(REVIEWS.page == page) & (REVIEWS.reviewer == reviewer)].sentence)
        unreviewed = [s for s in written if s not in reviewed]
        stale = [s for s in reviewed if s not in written]
        assert not unreviewed and not stale, f"{page}, {reviewer}: not reviewed: {unreviewed}; reviewed but gone: {stale}"
        assert len(written) == len(reviewed), f"{page}, {reviewer}: a sentence is written or reviewed twice"


def test_no_sentence_is_left_with_an_open_finding():
    """What a reader found overstated or unsupported is rewritten (verdict corrected, with a note), not left open."""
    assert set(REVIEWS.verdict) <= {"supported", "corrected"}, REVIEWS[~REVIEWS.verdict.isin(["supported", "corrected"])]
    assert set(REVIEWS.reviewer) == {"editor", "second reader"}


def test_a_sentence_one_reader_corrected_is_corrected_for_both():
    """A rewrite that met one reader's finding is a new text: the other reader's row says what it was too."""
    verdicts = REVIEWS.pivot(index=["page", "sentence"], columns="reviewer", values="verdict")
    second_corrected = verdicts[verdicts["second reader"] == "corrected"]
    assert (second_corrected["editor"] == "corrected").all(), second_corrected[second_corrected["editor"] != "corrected"]


def test_every_supporting_id_exists():
    tables = data.tables()
    checks = {c.id for c in factcheck.checks()}
    articles = {f"article:{p.section}:{p.number}" for p in tables.article.paragraphs}
    units = {f"units:{u.replace(' ', '-')}" for u in tables.units.unit}
    known = (set(tables.claims.id) | set(tables.context.id) | set(tables.references.id) | articles | units
             | {f"check:{c}" for c in checks} | {f"glossary:{g}" for g in tables.glossary.id}
             | {f"exclusion:{e}" for e in tables.exclusions.id} | {f"dataset:{d}" for d in tables.datasets.id}
             | {"record", "book"})
    for row in REVIEWS.itertuples():
        source = (paths.ROOT / row.page).read_text(encoding="utf-8")
        glued = {f"glue:{key}" for key in GLUED.findall(source)} | {"glue:rating-verified", "glue:rating-consistent-with",
                 "glue:rating-inconsistent", "glue:rating-cannot-be-checked", "glue:rating-error-in-the-source"}
        assert row.support, row.sentence
        for item in row.support.split():
            assert item in known or item in glued, (row.page, item, row.sentence)


def test_every_role_of_a_sentence_is_among_its_support():
    for row in REVIEWS.itertuples():
        support = set(row.support.split())
        for role, target in review.roles(row.sentence):
            if role in ("claim", "source", "quote"):
                assert target in support, (row.sentence, target)
            elif role == "glue:text":
                assert f"glue:{target}" in support, (row.sentence, target)


def test_corrected_sentences_say_what_they_were():
    corrected = REVIEWS[REVIEWS.verdict == "corrected"]
    assert len(corrected) > 0
    assert all(note.strip() for note in corrected.note)
    assert (REVIEWS.verdict != "flagged").all(), REVIEWS[REVIEWS.verdict == "flagged"].sentence.tolist()
