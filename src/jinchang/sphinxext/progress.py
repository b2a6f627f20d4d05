"""Sphinx's reading and writing of pages, as phases of the build's progress (see ``jinchang.progress``)."""

from __future__ import annotations

from contextlib import ExitStack

from sphinx.application import Sphinx

from .. import progress

_phases = ExitStack()


def reading(app: Sphinx, env, docnames: list[str]) -> None:
    app.jinchang_reading = _phases.enter_context(progress.current.phase("reading pages", len(docnames)))


def read(app: Sphinx, doctree) -> None:
    if (phase := getattr(app, "jinchang_reading", None)) is not None:
        phase.advance(app.env.docname)


def writing(app: Sphinx, builder) -> None:
    _phases.close()  # the reading phase, now ended
    app.jinchang_writing = _phases.enter_context(progress.current.phase("writing pages"))


def wrote(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if (phase := getattr(app, "jinchang_writing", None)) is not None and pagename in app.env.all_docs:
        phase.advance(pagename)


def finished(app: Sphinx, exception: Exception | None) -> None:
    _phases.close()


def setup(app: Sphinx) -> None:
    app.connect("env-before-read-docs", reading)
    app.connect("doctree-read", read)
    app.connect("write-started", writing)
    app.connect("html-page-context", wrote)
    app.connect("build-finished", finished, priority=900)
