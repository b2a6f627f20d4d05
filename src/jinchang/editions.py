"""The book's editions: the same chapters, data, charts and checks, in English and in Chinese.

Each edition is a Jupyter Book of its own (sources, table of contents, configuration) built by
its own Sphinx run from the same data and package. The site publishes the English edition at
its root and the Chinese one under ``zh/``. Docnames, section labels, figure names and anchors
are the same in both, so a page's counterpart is the same path under the other edition's folder.

The Chinese edition's ``zh/_config.yml`` holds only what differs from the English ``_config.yml``;
:func:`config` merges the two.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import paths


@dataclass(frozen=True)
class Edition:
    code: str  # the language parameter of formatting, charts and labels: "en" or "zh"
    language: str  # Sphinx's language: its own translations and those of the theme
    tag: str  # the BCP 47 tag of <html lang> and hreflang
    folder: str  # where its sources are, and where it is published, relative to the root
    name: str  # how the language switch names it, in its own language

    @property
    def source(self) -> Path:
        return paths.ROOT / self.folder

    @property
    def toc(self) -> Path:
        return self.source / "_toc.yml"

    @property
    def up(self) -> str:
        """The relative path from this edition's root to the site's root ("" or "../")."""
        return "../" * len(Path(self.folder).parts)

    def path(self, page: str) -> str:
        """A path of this edition's output (``chapters/x.html``) as a path from the site's root."""
        return posixpath.join(self.folder, page) if self.folder else page


ENGLISH = Edition(code="en", language="en", tag="en", folder="", name="English")
CHINESE = Edition(code="zh", language="zh_CN", tag="zh-Hans", folder="zh", name="中文")
EDITIONS = (ENGLISH, CHINESE)


def edition(code: str) -> Edition:
    return next(e for e in EDITIONS if e.code == code)


def _merge(base: dict, over: dict) -> dict:
    """``over`` laid on ``base``: nested mappings merged key by key, anything else replaced."""
    merged = dict(base)
    for key, value in over.items():
        merged[key] = _merge(base[key], value) if isinstance(value, dict) and isinstance(base.get(key), dict) else value
    return merged


def config(ed: Edition) -> dict:
    """The Jupyter Book configuration of an edition: the English one, with the edition's own on top."""
    settings = yaml.safe_load((paths.ROOT / "_config.yml").read_text(encoding="utf-8"))
    if ed.folder:
        settings = _merge(settings, yaml.safe_load((ed.source / "_config.yml").read_text(encoding="utf-8")) or {})
    return settings


def counterpart(page: str, here: Edition, there: Edition) -> str:
    """The relative URL, from ``page`` of edition ``here``, of the same page in edition ``there``.
    ``page`` is relative to its edition's root (``chapters/01-clusters.html``)."""
    start = posixpath.dirname(here.path(page)) or "."
    return posixpath.relpath(there.path(page), start)
