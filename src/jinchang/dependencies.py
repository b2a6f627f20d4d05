"""What executed chapters can depend on, by name, with a digest of its content now.

A chapter's execution records the names it read (see :mod:`jinchang.reads`), and its code the
package modules it imports, directly or through other modules (read from the source, so that a
kernel forked from a process that imported them already is charged the same), with their digests; it is executed again when one of those digests changes,
and only then. Names: a table (``claims``), a cell of a table with a primary key
(``claims/<id>:notes``: rows are read cell by cell), the ids of such a table's rows (``claims#ids``),
a data resource read whole (``article``, ``record``, ``package``), a module of the package
(``module:charts/draw.py``) and the package's other files together (``package-files``), which
every chapter depends on.
"""

from __future__ import annotations

import ast
import csv
import hashlib
import io
import json
import os
from functools import cache
from pathlib import Path

from . import paths

PACKAGE = Path(__file__).resolve().parent
ALWAYS = ("package-files",)
IDS = "#ids"  # after a table's name: the ids of its rows, in order (how many there are, which)
CELL = ":"  # between a row's name and a column's: no id has one (units have '/' and spaces)


def _sha(*parts: bytes) -> str:
    return hashlib.sha256(b"\0".join(parts)).hexdigest()


def _data(data_dir: Path) -> dict[str, str]:
    package = (data_dir / "datapackage.json").read_bytes()
    found = {"package": _sha(package), "record": _sha((data_dir / "source" / "record.json").read_bytes())}
    schema = found["package"].encode()  # the schema types every table: in each digest below
    for resource in json.loads(package)["resources"]:
        content = (data_dir / resource["path"]).read_bytes()
        name = resource["name"]
        found[name] = _sha(schema, content)
        key = resource.get("schema", {}).get("primaryKey") or []
        if len(key) == 1 and resource["path"].endswith(".csv"):
            rows = csv.reader(io.StringIO(content.decode("utf-8")))
            header = next(rows)
            at, ids = header.index(key[0]), []
            for row in rows:
                ids.append(row[at])
                found |= {f"{name}/{row[at]}{CELL}{column}": _sha(schema, column.encode(), cell.encode())
                          for column, cell in zip(header, row)}
            found[f"{name}{IDS}"] = _sha(schema, "\0".join(ids).encode())
    return found


def _package(package: Path) -> dict[str, str]:
    files = sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    found = {f"module:{p.relative_to(package).as_posix()}": _sha(p.read_bytes()) for p in files if p.suffix == ".py"}
    found["package-files"] = _sha(*(p.relative_to(package).as_posix().encode() + b"\0" + p.read_bytes()
                                    for p in files if p.suffix != ".py"))
    return found


def current(data_dir: Path | None = None, package: Path = PACKAGE) -> dict[str, str]:
    """Every name a chapter can depend on, with the digest of its content now."""
    return {**_data(Path(data_dir or paths.DATA)), **_package(package)}


def is_code(name: str) -> bool:
    """Whether ``name`` is of the package (a module, or its other files), not of the data."""
    return name.startswith("module:") or name in ALWAYS


def changed(recorded: dict[str, str], now: dict[str, str]) -> list[str]:
    """The names among ``recorded`` whose content is not what it was (or is gone)."""
    return sorted(name for name, digest in recorded.items() if now.get(name) != digest)


def _file(module: str, package: Path) -> Path | None:
    """The source file of a module of the package (``jinchang.charts.draw``), if there is one."""
    base = package.joinpath(*module.split(".")[1:])
    return next((p for p in (base.with_suffix(".py"), base / "__init__.py") if p.is_file()), None)


def _imports(code: str, module: str = "", is_package: bool = False) -> set[str]:
    """The absolute names of the modules ``code`` imports, or may import (``from a import b``: a and a.b)."""
    lines = [line for line in code.splitlines() if not line.lstrip().startswith(("%", "!"))]  # IPython magics
    found = set()
    for node in ast.walk(ast.parse("\n".join(lines))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            parts = module.split(".")[: len(module.split(".")) - node.level + is_package] if node.level else []
            base = ".".join([*parts, *([node.module] if node.module else [])])
            found |= {base, *(f"{base}.{alias.name}" for alias in node.names)}
    return found


@cache
def _closure(name: str, package: Path) -> frozenset[Path]:
    """The files of the package that importing ``name`` runs: its parents' ``__init__``, what they import,
    and so on, modules that import each other included."""
    files: set[Path] = set()
    todo = [name]
    while todo:
        parts = todo.pop().split(".")
        for depth in range(1, len(parts) + 1):
            module = ".".join(parts[:depth])
            path = _file(module, package)
            if path is None or path in files:
                continue
            files.add(path)
            todo += [other for other in _module_imports(path, module)
                     if other.split(".")[0] == package.name and other != module]
    return frozenset(files)


@cache
def _module_imports(path: Path, module: str) -> frozenset[str]:
    """What the module ``module``, in ``path``, imports: parsed once, where chapters' closures share modules."""
    return frozenset(_imports(path.read_text(encoding="utf-8"), module, path.name == "__init__.py"))


def modules(code: str, package: Path = PACKAGE) -> set[str]:
    """The names (``module:charts/draw.py``) of the package's modules that running ``code`` imports."""
    files = set().union(*(_closure(name, package) for name in _imports(code) if name.split(".")[0] == package.name))
    return {f"module:{p.relative_to(package).as_posix()}" for p in files}


# Run in a chapter's kernel after its last cell: what the chapter read, as one line of JSON.
REPORT = "import jinchang.reads as _reads; print(__import__('json').dumps(sorted(_reads.READ)))"


def recorded(report: str, code: str, now: dict[str, str]) -> dict[str, str]:
    """The digests of what a chapter's ``REPORT`` says it read, and of the modules its ``code`` imports."""
    names = [*json.loads(report), *modules(code), *ALWAYS]
    return {name: now.get(name, "") for name in names}


# In an edition's execution cache: what its chapters, as last executed, stand on.
SETTLED = "jinchang-settled.json"


def digests(files: list[Path]) -> dict[str, str]:
    """sha256 of each of ``files``, by its path relative to the root ("" for one that is not there)."""
    return {paths.relative(f): _sha(f.read_bytes()) if f.is_file() else "" for f in sorted(files)}


def settle(cache_dir: Path, files: dict[str, str], inputs: dict[str, dict[str, str]]) -> None:
    """Record in ``cache_dir`` that its chapters are executed for the files they come from (``files``:
    the table of contents and its pages, with their ``digests``) and the book's address (their outputs
    carry it), each chapter having read its ``inputs`` (by docname)."""
    record = {"files": files, "baseurl": os.environ.get(paths.BASEURL_VARIABLE, ""), "inputs": inputs}
    (cache_dir / SETTLED).write_text(json.dumps(record, sort_keys=True), encoding="utf-8")


def settled(cache_dir: Path, now: dict[str, str]) -> bool:
    """Whether no chapter can be due in ``cache_dir`` (see ``settle``): the same files, address and
    digests of what each chapter read. Not known (no record: a chapter failed, or the cache was
    removed): one may be."""
    try:
        record = json.loads((cache_dir / SETTLED).read_text(encoding="utf-8"))
        return (record["baseurl"] == os.environ.get(paths.BASEURL_VARIABLE, "")
                and record["files"] == digests([paths.ROOT / f for f in record["files"]])
                and not any(changed(inputs, now) for inputs in record["inputs"].values()))
    except (OSError, ValueError, KeyError):  # no record, or not one this writes
        return False
