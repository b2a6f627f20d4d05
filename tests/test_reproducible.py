"""The same commit gives the same bytes, from the same locked environment.

The project is copied once, and that copy copied again deeper in another folder, so the two
differ only in where they live. Each is built from nothing (no execution cache) with its own
copy of the package, at the same time. Every published file must be identical: pages, SVG,
PNG and CSV figures, ``searchindex.js``, the executed notebooks in ``_sources``, the PDF, everything;
and so must a rebuild. Sphinx's ``.buildinfo`` (its configuration record, with absolute paths)
is not published. ``requirements.lock`` must pin every dependency of the build and the tests.
"""

from __future__ import annotations

import difflib
import io
import os
import re
import shutil
import subprocess
import sys
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pikepdf
import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from jinchang import paths

from .conftest import copy_project


def build(root: Path, *args: str) -> subprocess.CompletedProcess:
    """``jinchang build`` for the copy at ``root``, with the copy's own package (not the checkout's)."""
    env = {**os.environ, "PYTHONPATH": str(root / "src"), "JINCHANG_ROOT": str(root),
           "JINCHANG_BUILD_DIR": str(root / "_build")}
    return subprocess.run([sys.executable, "-m", "jinchang", "build", *args], env=env, cwd=root,
                          capture_output=True, text=True)


def files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def excerpt(a: bytes, b: bytes) -> str:
    """Where two versions of a file first differ, with some bytes of context from each."""
    at = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    return (f"{len(a)} and {len(b)} bytes, first difference at byte {at}:\n"
            f"    {a[max(0, at - 80):at + 80]!r}\n    {b[max(0, at - 80):at + 80]!r}")


def drawing(a: bytes, b: bytes) -> str:
    """Where two PDFs' pages first draw differently: the page and the first lines of its content that
    differ (the bytes alone, compressed, tell nothing)."""
    def contents(page: pikepdf.Page) -> list[str]:
        streams = page.obj.Contents
        drawn = b"".join(s.read_bytes() for s in (streams if isinstance(streams, pikepdf.Array) else [streams]))
        return drawn.decode("latin-1").splitlines()

    with pikepdf.open(io.BytesIO(a)) as x, pikepdf.open(io.BytesIO(b)) as y:
        for number, (p, q) in enumerate(zip(x.pages, y.pages), start=1):
            if (left := contents(p)) != (right := contents(q)):
                lines = list(difflib.unified_diff(left, right, lineterm="", n=1))[2:40]
                return f"page {number} draws differently:\n" + "\n".join(lines)
            if len(p.get("/Annots", [])) != len(q.get("/Annots", [])):
                return f"page {number} has {len(p.get('/Annots', []))} and {len(q.get('/Annots', []))} annotations"
        return f"{len(x.pages)} and {len(y.pages)} pages, the pages draw the same"


def differences(first: Path, second: Path) -> list[str]:
    a, b = files(first), files(second)
    found = [f"{name}: only in {'the first' if name in a else 'the second'} build" for name in sorted(a.keys() ^ b.keys())]
    found += [f"{name}: {excerpt(a[name], b[name])}" + (f"\n  {drawing(a[name], b[name])}" if name.endswith(".pdf") else "")
              for name in sorted(a.keys() & b.keys()) if a[name] != b[name]]
    return found


def same(first: Path, second: Path) -> None:
    found = differences(first, second)
    assert not found, f"{len(found)} files differ:\n" + "\n".join(found[:20])


@pytest.fixture(scope="module")
def roots(tmp_path_factory) -> tuple[Path, Path]:
    first = copy_project(tmp_path_factory.mktemp("reproducible") / "book")
    second = tmp_path_factory.mktemp("elsewhere") / "a" / "deeper" / "folder" / "book"
    shutil.copytree(first, second)
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(build, (first, second)))
    for root, result in zip((first, second), results):
        assert result.returncode == 0, f"{root}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        assert "executing chapters" in result.stdout  # executed afresh, not read from a cache
    return first, second


def site(root: Path) -> Path:
    return root / "_build" / "html"


@pytest.mark.build
def test_two_clean_builds_give_the_same_bytes(roots):
    first, second = map(site, roots)
    published = files(first)
    for kind in (".html", ".svg", ".png", ".csv", ".ipynb", "searchindex.js", ".pdf"):
        assert any(name.endswith(kind) for name in published), f"no {kind} file published"
    same(first, second)


@pytest.mark.build
def test_no_published_file_names_the_folder_it_was_built_in(roots):
    for root in roots:
        for name, content in files(site(root)).items():
            assert str(root).encode() not in content, name


@pytest.mark.build
def test_a_rebuild_gives_the_same_bytes_as_a_clean_build(roots):
    first, second = roots
    for stamp in (first / "_build" / ".stage").glob("*/print/inputs.sha256"):
        assert (stamp.parent / "pages.json").is_file()
        stamp.unlink()  # the PDFs printed again, once each: the pages of the contents are those of the last printing
    again = build(first, "--fresh")  # every page read and written again, outputs from the cache
    assert again.returncode == 0, again.stderr[-3000:]
    assert "executing chapters" not in again.stdout
    same(site(first), site(second))


def test_the_lock_file_pins_every_build_and_test_dependency_with_hashes():
    project = tomllib.loads((paths.ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lock = (paths.ROOT / "requirements.lock").read_text(encoding="utf-8")
    # Each pin is "name==version \" followed by its "--hash=sha256:..." lines.
    pins = {canonicalize_name(name): (version, hashes) for name, version, hashes
            in re.findall(r"^([A-Za-z0-9_.-]+)==(\S+) \\\n((?:\s+--hash=sha256:\w+.*\n)+)", lock, re.M)}
    assert len(pins) == len(re.findall(r"^[A-Za-z0-9_.-]+==", lock, re.M)), "a pin without hashes"
    for requirement in map(Requirement, [*project["dependencies"], *project["optional-dependencies"]["test"]]):
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} is not in requirements.lock: run `make lock`"
        assert requirement.specifier.contains(pins[name][0]), f"{name}=={pins[name][0]} does not satisfy {requirement}"
