"""The fidelity review: every factual sentence of the landing page and the story chapters, with what supports it."""

from __future__ import annotations

import re

from jinchang import data, factcheck, paths, review

REVIEWS = data.tables().reviews
GLUED = re.compile(r"""glue\(\s*f?["']([^"']+)["']""")


def test_every_sentence_of_the_story_pages_is_reviewed_and_no_review_is_stale():
    """An edited sentence needs its row in data/reviews.csv edited, with what supports it now."""
    for page in review.PAGES:
        written = review.sentences((paths.ROOT / page).read_text(encoding="utf-8"))
        reviewed = list(REVIEWS[(REVIEWS.page == page) & (REVIEWS.reviewer == "editor")].sentence)
        unreviewed = [s for s in written if s not in reviewed]
        stale = [s for s in reviewed if s not in written]
        assert not unreviewed and not stale, f"{page}: not reviewed: {unreviewed}; reviewed but gone: {stale}"
        assert len(written) == len(reviewed), f"{page}: a sentence is written or reviewed twice"


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
