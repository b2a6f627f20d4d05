"""Shared fixtures: the book, built once per test session with the real strict pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest

from jinchang.pdf import PrintError
from jinchang.pdf.render import ARGS as CHROMIUM_ARGS  # Debian's Chromium, driven by Playwright, as for the PDF
from jinchang.pdf.render import installed

CHROMIUM = "/usr/bin/chromium"  # the browser, as readers have it (the PDF is printed by its headless shell)


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the session, for every test that drives a page (Playwright's sync API runs
    one instance per thread); skipped without one, a failure in CI."""
    path = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def book() -> Path:
    """``_build/html`` (or $JINCHANG_BUILD_DIR/html), freshly built and published."""
    from jinchang.build import build

    return build()


def copy_project(target: Path, book_dir: Path | None = None) -> Path:
    """A copy of the project's sources (not .git, not builds) in ``target``; with ``book_dir``,
    also its execution cache, so that an unchanged copy builds without executing anything."""
    import shutil

    from jinchang import paths

    shutil.copytree(paths.ROOT, target, ignore=shutil.ignore_patterns(
        ".git", ".venv", "_build", "__pycache__", ".pytest_cache", "node_modules", "*.egg-info"))
    if book_dir is not None:
        for cache in (book_dir.parent / ".stage").glob("*/.jupyter_cache"):  # one per edition
            shutil.copytree(cache, target / "_build" / ".stage" / cache.parent.name / ".jupyter_cache")
    return target


def run_build(root: Path, *args: str):
    """``jinchang build`` in a subprocess for the project at ``root``; returns the CompletedProcess."""
    import os
    import subprocess
    import sys

    # the copy's own package, so that an edit to the copy's src/ is what the build runs
    env = {**os.environ, "JINCHANG_ROOT": str(root), "JINCHANG_BUILD_DIR": str(root / "_build"),
           "PYTHONPATH": str(root / "src")}
    return subprocess.run([sys.executable, "-m", "jinchang", "build", *args], env=env, cwd=root,
                          capture_output=True, text=True)


def require(path: str | None, message: str) -> str:
    """``path``, the tool a test needs; without it the test is skipped, except in CI, where it fails
    (``.ci/run`` installs every tool the tests need)."""
    import os

    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{message}: CI must run this test", pytrace=False)
        pytest.skip(message)
    return path


def require_chromium() -> str:
    """The path of the Chromium browser, found as the PDF finds its shell (skipped without one, except in CI)."""
    try:
        return installed(CHROMIUM, "the browser tests are run in Chromium")
    except PrintError as missing:
        return require(None, f"{missing}. {missing.hint}")
