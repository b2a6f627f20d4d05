"""The book as an installable package: one wheel with its data inside, byte-reproducible.

``pip install`` of that one file lets the book's notebooks run in any folder, without a
clone: the wheel carries ``data/`` and ``_config.yml`` inside the package, at
``jinchang/bundled/``, where ``jinchang.paths`` looks when no clone is around. It is built by
setuptools (the project's build backend) from a staging copy laid out that way, with every
timestamp set to the release date (``jinchang.archive.epoch``) and fixed permissions.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from . import __version__, paths
from .archive import FILE_MODE, epoch, files_under

PACKAGE = Path(__file__).resolve().parent
PROJECT_FILES = ("pyproject.toml", "README.md", "LICENSE")
# setuptools' PEP 517 hook, run in the staging copy; prints the wheel's file name.
BUILD_WHEEL = "import sys, setuptools.build_meta as backend; print(backend.build_wheel(sys.argv[1]))"


FILE_NAME = f"jinchang-{__version__}-py3-none-any.whl"


class WheelFailed(RuntimeError):
    pass


def digest() -> str:
    """sha256 of everything the wheel is made of, and its timestamp: equal digests, equal wheels."""
    files = {**files_under(PACKAGE, "src/jinchang/"), **files_under(paths.DATA, "data/"),
             **{name: (paths.ROOT / name).read_bytes() for name in (*PROJECT_FILES, "_config.yml")}}
    hasher = hashlib.sha256(str(epoch()).encode())
    for name in sorted(files):
        hasher.update(name.encode() + b"\0" + files[name])
    return hasher.hexdigest()


def _stage(stage: Path) -> None:
    for name in PROJECT_FILES:
        shutil.copyfile(paths.ROOT / name, stage / name)
    package = stage / "src" / "jinchang"
    shutil.copytree(PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "bundled"))
    shutil.copytree(paths.DATA, package / "bundled" / "data", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copyfile(paths.ROOT / "_config.yml", package / "bundled" / "_config.yml")
    for path in stage.rglob("*"):  # the same permissions whatever the checkout's umask
        path.chmod(0o755 if path.is_dir() else FILE_MODE)


class Building:
    """The wheel, built into ``out`` in a process of its own while the caller goes on: ``result()``
    waits for it and returns its path, ``cancel()`` stops it. Raises WheelFailed with setuptools' output."""

    def __init__(self, out: Path) -> None:
        out.mkdir(parents=True, exist_ok=True)
        self._out = out
        self._folder = tempfile.TemporaryDirectory(prefix="jinchang-wheel-")
        stage = Path(self._folder.name)
        _stage(stage)
        env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch())}
        self._process = subprocess.Popen([sys.executable, "-c", BUILD_WHEEL, str(out.resolve())], cwd=stage, env=env,
                                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def result(self) -> Path:
        try:
            stdout, stderr = self._process.communicate()
        finally:
            self._folder.cleanup()
        if self._process.returncode != 0:
            raise WheelFailed(f"building the wheel failed:\n{stdout[-2000:]}\n{stderr[-2000:]}")
        built = self._out / stdout.strip().splitlines()[-1]
        if built.name != FILE_NAME:
            raise WheelFailed(f"the wheel is {built.name}, not {FILE_NAME}: pyproject.toml and jinchang.__version__ differ")
        return built

    def cancel(self) -> None:
        self._process.kill()
        self._process.communicate()
        self._folder.cleanup()


def build(out: Path) -> Path:
    """Build the wheel into ``out``; returns its path. Raises WheelFailed with setuptools' output."""
    return Building(out).result()
