"""Shared fixtures: the book, built once per test session with the real strict pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def book() -> Path:
    """``_build/html`` (or $JINCHANG_BUILD_DIR/html), freshly built and published."""
    from jinchang.build import build

    return build()
