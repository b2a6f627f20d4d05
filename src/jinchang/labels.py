"""Every word the book writes for readers from code, in English and Chinese: one table per language.

``labels/en.yml`` and ``labels/zh.yml`` have the same keys (a test checks): a section per chart
(titles, subtitles, axis labels, notes, alt text, long descriptions), ``common`` for what charts
share (source lines, data tables, computed rows), and a section per module that writes for
readers (figures, reuse kits, notebooks, appendix tables, citations, data packages, the page
footer). Their texts hold named placeholders, ``{share}``, that the caller fills with numbers
already written in that language (``jinchang.formatting``).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from string import Formatter
from typing import Any

import yaml

from .formatting import words

FOLDER = Path(__file__).parent / "labels"
# libyaml's safe loader reads the same YAML ten times faster (tenths of a second in each build)
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@cache
def table(lang: str) -> dict[str, Any]:
    """The labels of one language, as read from its YAML file."""
    words(lang)  # an unknown language fails here, by name
    path = FOLDER / f"{lang}.yml"
    with path.open(encoding="utf-8") as file:
        return yaml.load(file, Loader=SAFE_LOADER)


def placeholders(template: str) -> set[str]:
    """The names of the placeholders in ``template``: 'A {x} and {y:.1f}' -> {'x', 'y'}."""
    return {name for _, name, _, _ in Formatter().parse(template) if name}


class Labels:
    """The labels of one section (a chart, ``common``, or a module's) in one language.

    ``labels("title", share="66%")`` fills a text's placeholders; ``labels["rows"]`` gives a
    mapping as it is (for example a label per row id)."""

    def __init__(self, section: str, lang: str) -> None:
        self.section, self.lang, self.file = section, lang, f"labels/{lang}.yml"
        try:
            self.entries = table(lang)[section]
        except KeyError:
            raise KeyError(f"{self.file} has no section {section!r}") from None

    def __getitem__(self, key: str) -> Any:
        try:
            return self.entries[key]
        except KeyError:
            raise KeyError(f"{self.file} has no {self.section}.{key}") from None

    def template(self, key: str, values: dict[str, Any]) -> str:
        """The text ``key``, once it is known that ``values`` fill every placeholder."""
        template = self[key]
        missing = placeholders(template) - set(values)
        if missing:
            raise KeyError(f"{self.file}, {self.section}.{key}: no value for {sorted(missing)}")
        return template

    def __call__(self, key: str, **values: Any) -> str:
        return self.template(key, values).format(**values)

    def parts(self, key: str, **values: Any) -> list[Any]:
        """The text ``key`` cut at its placeholders, each replaced by its value as it is (not
        formatted): 'In {chapter}.' -> ['In ', chapter, '.'], for values that are not text."""
        found = []
        for text, name, _, _ in Formatter().parse(self.template(key, values)):
            found += [text, *([values[name]] if name else [])]
        return found


def labels(section: str, lang: str = "en") -> Labels:
    return Labels(section, lang)
