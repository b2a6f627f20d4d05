"""Problems the user can fix, each reported as one message: where, what is wrong, what to do.

``BookError`` is what the ``jinchang`` command prints without a traceback; a traceback is
left for bugs in the book's own code. ``DataError`` is bad input data, formatted as
file, line, column: problem. ``from_os_error`` names the environment's faults (no
permission, a full disk, a busy port) the same way.
"""

from __future__ import annotations

import errno
from pathlib import Path

from .paths import relative


class BookError(Exception):
    """A problem the user can fix. ``hint`` says what to do; ``status`` is the command's exit status."""

    hint = ""
    status = 1

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        if hint is not None:
            self.hint = hint


class DataError(BookError, ValueError):
    """Bad input data. The message names the file, line, column and what is wrong."""

    hint = "Correct the file, then check it with `jinchang validate`."
    status = 2

    def __init__(self, path: Path | str, line: int | None, column: int | str | None, problem: str):
        self.path, self.line, self.column, self.problem = Path(path), line, column, problem
        where = relative(self.path)
        if line is not None:
            where += f", line {line}"
        if column is not None:
            where += f", column {column}"
        super().__init__(f"{where}: {problem}")


# Faults of the machine, not of the book's code: what the user can do about each.
_WRITABLE = "Make it writable (or build elsewhere: set JINCHANG_BUILD_DIR to a writable folder), then run the command again."
_SPACE = "Free some space on that disk (or set JINCHANG_BUILD_DIR to a folder on another disk), then run the command again."
OS_HINTS = {
    errno.EACCES: _WRITABLE,
    errno.EPERM: _WRITABLE,
    errno.EROFS: _WRITABLE,
    errno.ENOSPC: _SPACE,
    errno.EDQUOT: _SPACE,
    errno.EADDRINUSE: "Stop the program using it, or choose another port with --port.",
}


def from_os_error(error: OSError) -> BookError | None:
    """The machine's fault behind ``error`` as a BookError, or None when it is not one the user can fix."""
    hint = OS_HINTS.get(error.errno)
    if hint is None:
        return None
    where = f"{relative(Path(error.filename))}: " if error.filename else ""
    return BookError(f"{where}{error.strerror or error}", hint)
