"""What running code has read of the data, so that an edit re-executes only the code that read it.

Names: a table (``claims``: the whole table), the ids of its rows (``claims#ids``), a cell of a
row (``claims/<id>:<column>``), or a data resource read whole (``article``, ``record``,
``package``). :mod:`jinchang.data` notes each read as it happens; a cached function replays the
reads of its first call on every call, so each caller is charged with what it depends on, not
only the first one.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

READ: set[str] = set()

T = TypeVar("T")


def note(name: str) -> None:
    READ.add(name)


def cached(function: Callable[[], T]) -> Callable[[], T]:
    """``functools.cache`` for a function of no arguments that notes the reads of its first call again on every call."""
    @functools.cache
    def first() -> tuple[T, frozenset[str]]:
        before = set(READ)
        READ.clear()
        try:
            result = function()
            return result, frozenset(READ)
        finally:
            READ.update(before)

    @functools.wraps(function)
    def wrapper() -> T:
        result, names = first()
        READ.update(names)
        return result

    wrapper.cache_clear = first.cache_clear  # type: ignore[attr-defined]
    return wrapper
