"""Build the book strictly into a staging folder, and publish it only if the whole build succeeded.

The staging folder keeps Sphinx's doctrees and the execution cache between builds, so an
unchanged rebuild is quick; ``_build/html`` is replaced only after a build with no error
and no warning, so a failed build leaves the previous site as it was. A build whose inputs
are those of the published site (same files, packages and settings) returns at once.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import sysconfig
from pathlib import Path

from . import paths

STAGE = paths.BUILD / ".stage"
PUBLISHED = paths.BUILD / "html"
STAMP = "inputs.sha256"  # in the stage: the inputs of the published site
# Folders that hold builds, caches or environments, not inputs.
NOT_INPUTS = {".git", ".venv", "_build", "node_modules", "__pycache__", ".pytest_cache", ".ipynb_checkpoints"}


class BuildFailed(RuntimeError):
    pass


def sphinx_build(out: Path, *, fresh: bool = False) -> int | BaseException:
    """Run Jupyter Book's Sphinx build into ``out`` with warnings as errors; return Sphinx's status,
    or the exception that stopped it (Jupyter Book returns it)."""
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
    # .buildinfo is Sphinx's record of the configuration (absolute paths included), not part of the site
    shutil.copytree(staged, fresh, ignore=shutil.ignore_patterns(".buildinfo"))
    if target.exists():
        os.replace(target, old)
    os.replace(fresh, target)
    shutil.rmtree(old, ignore_errors=True)


def _files(folder: Path):
    for parent, folders, names in os.walk(folder):
        folders[:] = sorted(f for f in folders if f not in NOT_INPUTS and not f.endswith(".egg-info")
                            and Path(parent, f) != paths.BUILD)
        yield from (Path(parent, name) for name in sorted(names))


def inputs_digest(target: Path) -> str:
    """sha256 of what a build reads: the project's files (the package wherever it is imported
    from), the installed distributions, the Python version, JINCHANG_* settings and the target."""
    digest = hashlib.sha256()
    package = Path(__file__).parent
    for folder in (paths.ROOT, *([] if package.is_relative_to(paths.ROOT) else [package])):
        for path in _files(folder):
            digest.update(f"{path.relative_to(folder).as_posix()}\0".encode() + path.read_bytes())
    installed = sorted(os.listdir(sysconfig.get_paths()["purelib"]))  # dist-info names carry versions
    settings = sorted((k, v) for k, v in os.environ.items() if k.startswith("JINCHANG_") or k == "SOURCE_DATE_EPOCH")
    digest.update(repr((installed, sys.version, settings, str(target))).encode())
    return digest.hexdigest()


def build(*, fresh: bool = False, stage: Path = STAGE, target: Path = PUBLISHED) -> Path:
    """Validate the data, build into ``stage``, publish to ``target``. Raises BuildFailed.

    When nothing was changed since ``target`` was published, there is nothing to do: the stamp in
    ``stage`` records the inputs of the published site (``fresh`` builds anyway)."""
    stamp, inputs = stage / STAMP, inputs_digest(target)
    if not fresh and (target / "index.html").is_file() and stamp.is_file() and stamp.read_text() == inputs:
        return target
    stamp.unlink(missing_ok=True)
    from .data import tables  # only now: pandas takes a second to import

    tables()  # bad data stops here, before any notebook runs
    status = sphinx_build(stage, fresh=fresh)
    if status != 0:
        reason = f"status {status}" if isinstance(status, int) else status
        raise BuildFailed(f"the build failed ({reason}); {paths.relative(target)} was left as it was")
    publish(stage / "html", target)
    stamp.write_text(inputs)
    return target
