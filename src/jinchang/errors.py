"""The one error type for bad input, formatted as file:line:column: problem."""

from __future__ import annotations

from pathlib import Path

from .paths import relative


class DataError(ValueError):
    """Bad input data. The message names the file, line, column and what is wrong."""

    def __init__(self, path: Path | str, line: int | None, column: int | str | None, problem: str):
        self.path, self.line, self.column, self.problem = Path(path), line, column, problem
        where = relative(self.path)
        if line is not None:
            where += f", line {line}"
        if column is not None:
            where += f", column {column}"
        super().__init__(f"{where}: {problem}")
