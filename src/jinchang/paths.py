"""Where the project's files are: the one place that knows the layout."""

from __future__ import annotations

import os
from pathlib import Path


def _find_root() -> Path:
    """The project root: $JINCHANG_ROOT, or the first parent holding pyproject.toml and data/datapackage.json."""
    if env := os.environ.get("JINCHANG_ROOT"):
        return Path(env).resolve()
    for start in (Path.cwd(), Path(__file__).resolve()):
        for folder in (start, *start.parents):
            if (folder / "data" / "datapackage.json").is_file() and (folder / "pyproject.toml").is_file():
                return folder
    raise FileNotFoundError(
        "Cannot find the project root (a folder with pyproject.toml and data/datapackage.json); "
        "run from inside a clone or set JINCHANG_ROOT."
    )


ROOT = _find_root()
DATA = ROOT / "data"
CHAPTERS = ROOT / "chapters"
# Where builds go; JINCHANG_BUILD_DIR lets tests and benchmarks build beside the real site.
BUILD = Path(os.environ.get("JINCHANG_BUILD_DIR") or ROOT / "_build").resolve()


def relative(path: Path) -> str:
    """A path as shown in messages: relative to the root when inside it."""
    path = Path(path).resolve()
    try:
        return path.relative_to(ROOT).as_posix()
    except ValueError:
        return path.as_posix()
