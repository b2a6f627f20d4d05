"""Byte-reproducible archives: the same files give the same zip, build after build.

A zip records a time and permissions for every member. Here every member gets the release
date of the book's version (``date-released`` in CITATION.cff, or $SOURCE_DATE_EPOCH when
set, as reproducible builds do), mode 644, and the members come in sorted order.
"""

from __future__ import annotations

import os
import time
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import yaml

from . import paths

FILE_MODE = 0o644


def epoch() -> int:
    """Seconds since 1970 of the release date: $SOURCE_DATE_EPOCH, else CITATION.cff's ``date-released``."""
    if value := os.environ.get("SOURCE_DATE_EPOCH"):
        return int(value)
    released = yaml.safe_load((paths.ROOT / "CITATION.cff").read_text(encoding="utf-8"))["date-released"]
    return int(datetime.fromisoformat(str(released)).replace(tzinfo=timezone.utc).timestamp())


def files_under(folder: Path, prefix: str = "") -> dict[str, bytes]:
    """Every file under ``folder``, by its path relative to it (with ``prefix``), as bytes."""
    return {prefix + p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file() and "__pycache__" not in p.parts}


def write_zip(target: Path, files: dict[str, bytes]) -> Path:
    """Write ``files`` (member name -> bytes) to ``target`` as a reproducible zip."""
    stamp = time.gmtime(epoch())[:6]
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w") as archive:
        for name in sorted(files):
            member = zipfile.ZipInfo(name, date_time=stamp)
            member.external_attr = (0o100000 | FILE_MODE) << 16  # a regular file, rw-r--r--
            member.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(member, files[name], compresslevel=9)
    return target
