"""Build the book strictly into a staging folder, and publish it only if the whole build succeeded.

The staging folder keeps Sphinx's doctrees and the execution cache between builds, so an
unchanged rebuild is quick; ``_build/html`` is replaced only after a build with no error
and no warning, so a failed build leaves the previous site as it was.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from . import paths
from .data import tables

STAGE = paths.BUILD / ".stage"
PUBLISHED = paths.BUILD / "html"


class BuildFailed(RuntimeError):
    pass


def sphinx_build(out: Path, *, fresh: bool = False) -> int:
    """Run Jupyter Book's Sphinx build into ``out`` with warnings as errors; return Sphinx's status."""
    from jupyter_book.sphinx import build_sphinx

    return build_sphinx(
        str(paths.ROOT), str(out / "html"), doctreedir=str(out / "doctrees"),
        noconfig=True, path_config=str(paths.ROOT / "_config.yml"),
        confoverrides={"external_toc_path": str(paths.ROOT / "_toc.yml"), "nitpicky": True,
                       "latex_individualpages": False},
        warningiserror=True, keep_going=True, freshenv=fresh,
    )


def publish(staged: Path, target: Path = PUBLISHED) -> None:
    """Swap ``staged`` in for ``target``: copy beside it, then two renames."""
    fresh, old = target.with_name(target.name + ".new"), target.with_name(target.name + ".old")
    for leftover in (fresh, old):
        shutil.rmtree(leftover, ignore_errors=True)
    shutil.copytree(staged, fresh)
    if target.exists():
        os.replace(target, old)
    os.replace(fresh, target)
    shutil.rmtree(old, ignore_errors=True)


def build(*, fresh: bool = False, stage: Path = STAGE, target: Path = PUBLISHED) -> Path:
    """Validate the data, build into ``stage``, publish to ``target``. Raises BuildFailed."""
    tables()  # bad data stops here, before any notebook runs
    status = sphinx_build(stage, fresh=fresh)
    if status != 0:
        raise BuildFailed(f"the build failed (status {status}); {paths.relative(target)} was left as it was")
    publish(stage / "html", target)
    return target
