"""What a build tells the writer: one line per phase with its progress, the full log in a file.

Sphinx's configuration dumps, its per-page lines and the kernels' messages are for finding a
fault, not for following a build: :func:`logged` sends everything the process and its children
write (file descriptors 1 and 2) to a log file, and gives a :class:`Progress` that writes to
the terminal. On a terminal a phase's line is redrawn in place as it advances; elsewhere (a log,
CI) each phase prints one line when it ends.
"""

from __future__ import annotations

import io
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO


class Phase:
    """A step of the build that counts its items: ``advance()`` per item, ``note`` for its ending."""

    def __init__(self, progress: Progress, label: str, total: int | None) -> None:
        self.progress, self.label, self.total, self.done = progress, label, total, 0
        self.note = ""
        self.started = time.perf_counter()

    def text(self) -> str:
        count = f"{self.done}/{self.total}" if self.total is not None else str(self.done or "")
        return " ".join(filter(None, (f"{self.progress.prefix}{self.label}", count, self.note)))

    def advance(self, item: str = "") -> None:
        self.done += 1
        if self.progress.live:
            self.progress.draw(self.text() + (f" ({item})" if item else ""))


class Progress:
    def __init__(self, out: TextIO | None = None) -> None:
        self.out = out if out is not None else io.StringIO()  # none: a build outside `jinchang build`
        self.live = self.out.isatty()
        self.prefix = ""  # the edition being built, when there are several

    def draw(self, text: str) -> None:
        self.out.write(f"\r\033[K{text}")
        self.out.flush()

    def line(self, text: str) -> None:
        if self.live:
            self.out.write("\r\033[K")
        self.out.write(self.prefix + text + "\n")
        self.out.flush()

    @contextmanager
    def phase(self, label: str, total: int | None = None) -> Iterator[Phase]:
        step = Phase(self, label, total)
        if self.live:
            self.draw(step.text())
        yield step
        seconds = time.perf_counter() - step.started
        self.line(step.text().removeprefix(self.prefix) + (f" in {seconds:.1f} s" if seconds >= 0.1 else ""))


current = Progress()  # the build's reporter; Sphinx extensions report their phases to it


@contextmanager
def logged(log: os.PathLike, *, verbose: bool = False) -> Iterator[Progress]:
    """Set :data:`current` to a reporter on the terminal, for the duration of a build; unless
    ``verbose``, send all other output of this process and of the processes it starts to ``log``."""
    global current
    previous = current
    if verbose:
        current = Progress(sys.stdout)
        try:
            yield current
        finally:
            current = previous
        return
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    with open(os.dup(saved[0]), "w", encoding="utf-8", buffering=1) as terminal, \
            open(log, "w", encoding="utf-8") as file:
        os.dup2(file.fileno(), 1)
        os.dup2(file.fileno(), 2)
        current = Progress(terminal)
        try:
            yield current
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            for fd, original in zip((1, 2), saved):
                os.dup2(original, fd)
                os.close(original)
            current = previous


class Recorded(io.TextIOBase):
    """A text stream that passes what it is given on to ``stream`` and keeps the lines: Sphinx's
    warning stream, whose lines a failed build shows on the terminal."""

    def __init__(self, stream: TextIO) -> None:
        self.stream, self.lines = stream, []

    def write(self, text: str) -> int:
        self.stream.write(text)
        self.lines += [line for line in text.splitlines() if line.strip()]
        return len(text)

    def flush(self) -> None:
        self.stream.flush()
