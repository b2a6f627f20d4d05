"""The book's editions. English is published at the site's root; each edition is built and
printed on its own, and its PDF is published at the root of its folder."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Edition:
    code: str  # the language parameter of formatting, charts and labels: "en" or "zh"
    language: str  # Sphinx's language: its own translations and those of the theme
    tag: str  # the BCP 47 tag of <html lang> and hreflang
    folder: str  # where its sources are, and where it is published, relative to the root
    name: str  # how the language switch names it, in its own language


ENGLISH = Edition(code="en", language="en", tag="en", folder="", name="English")
EDITIONS = (ENGLISH,)
