"""The book's bundled typeface, Jinchang Sans (``src/jinchang/fonts``, see its README): its files and
the characters it has. Charts, the web font and the PDF's fonts are made from it. Light to import:
the PDF is prepared in a process that has imported neither Sphinx nor matplotlib.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

FILES = tuple(sorted((Path(__file__).parent / "fonts").glob("*.otf")))
# The subset's own name (see fonts/README.md): no installed font can shadow it.
FAMILY = "Jinchang Sans"


def bundled(style: str) -> Path:
    """The file of one style (``Regular``, ``Bold``)."""
    return next(path for path in FILES if path.stem.endswith(style))


@cache
def characters() -> frozenset[str]:
    """Every character the bundled font (Regular) has."""
    from fontTools.ttLib import TTFont

    return frozenset(map(chr, TTFont(bundled("Regular"), lazy=True).getBestCmap()))


@cache
def digest() -> str:
    """sha256 of the bundled font's files: what is made from them is made again when it changes."""
    return hashlib.sha256(b"".join(path.read_bytes() for path in FILES)).hexdigest()
