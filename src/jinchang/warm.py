"""What the live preview's builds start from: the libraries every build imports, imported once, and
jieba's dictionary loaded once (about a second each), in the process the preview forks its builds
from (see :mod:`jinchang.preview`).

Only libraries are imported here, never the book's own modules: a build forked from this process
imports those afresh, so an edit to the package is built like any other.
"""

import logging

import frictionless  # noqa: F401
import jieba
import jupyter_book.sphinx  # noqa: F401
import matplotlib.pyplot  # noqa: F401
import myst_nb.sphinx_ext  # noqa: F401
import pandas  # noqa: F401
import sphinx.application  # noqa: F401
import sphinx_book_theme  # noqa: F401
import sphinx_external_toc  # noqa: F401
import sphinxcontrib.bibtex  # noqa: F401

jieba.setLogLevel(logging.WARNING)
jieba.initialize()
