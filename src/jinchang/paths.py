"""Where the project's files are: the one place that knows the layout."""

from __future__ import annotations

import os
from pathlib import Path


# In an installed wheel the package carries the book's data and settings here (see jinchang.wheel).
BUNDLED = Path(__file__).resolve().parent / "bundled"
MARKER = Path("data") / "datapackage.json"


def _find_root() -> Path:
    """The project root: $JINCHANG_ROOT; else, installed from the book's wheel, the data it carries;
    else the first parent, of the working folder or of this file, holding pyproject.toml and data/."""
    if env := os.environ.get("JINCHANG_ROOT"):
        return Path(env).resolve()
    if (BUNDLED / MARKER).is_file():
        return BUNDLED
    for start in (Path.cwd(), Path(__file__).resolve()):
        for folder in (start, *start.parents):
            if (folder / MARKER).is_file() and (folder / "pyproject.toml").is_file():
                return folder
    raise FileNotFoundError(
        "Cannot find the book's data: run from inside a clone, set JINCHANG_ROOT, "
        "or install the book's wheel (pip install jinchang-<version>-py3-none-any.whl from the book's site)."
    )


ROOT = _find_root()
DATA = ROOT / "data"
CHAPTERS = ROOT / "chapters"
# The book's published address, when set here rather than in _config.yml (see jinchang.citation).
BASEURL_VARIABLE = "JINCHANG_BASEURL"
# Where builds go; JINCHANG_BUILD_DIR lets tests and benchmarks build beside the real site.
BUILD = Path(os.environ.get("JINCHANG_BUILD_DIR") or ROOT / "_build").resolve()


def relative(path: Path) -> str:
    """A path as shown in messages: relative to the root when inside it."""
    path = Path(path).resolve()
    try:
        return path.relative_to(ROOT).as_posix()
    except ValueError:
        return path.as_posix()
