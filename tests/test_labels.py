"""The tables of labels: the same keys and placeholders in both languages, Chinese in Chinese, and
a clear error for a missing key or value."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from jinchang import labels

LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
# Names, kept as they are in Chinese text: file formats, the ids of context rows, a citation style,
# tools and the files of a data package. Code and data identifiers are marked as `code`.
ALLOWED_LATIN = {"SVG", "PNG", "CSV", "ctx", "APA", "HTML", "Frictionless", "datapackage", "json", "README",
                 "Python", "Jupyter", "zip", "wheel"}


def entries(table: object, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], object]]:
    """Every text of a labels table, with its path of keys."""
    if isinstance(table, dict):
        for key, value in table.items():
            yield from entries(value, (*path, str(key)))
    else:
        yield path, table


def latin_words(value: str) -> set[str]:
    """Words in Latin letters in ``value``, its {placeholders} and `code` left out."""
    return set(LATIN_WORD.findall(re.sub(r"\{\w*\}|`[^`]*`", "", value))) - ALLOWED_LATIN


def test_both_tables_of_labels_have_the_same_keys_and_placeholders():
    english, chinese = dict(entries(labels.table("en"))), dict(entries(labels.table("zh")))
    assert english.keys() == chinese.keys(), english.keys() ^ chinese.keys()
    for key, value in english.items():
        assert labels.placeholders(str(value)) == labels.placeholders(str(chinese[key])), key


def test_the_chinese_labels_are_written_in_chinese():
    for key, value in entries(labels.table("zh")):
        assert not latin_words(str(value)), (key, value)


def test_a_missing_placeholder_fails_by_name():
    with pytest.raises(KeyError, match=r"labels/zh.yml, cluster_share.title: no value for \['share'\]"):
        labels.labels("cluster_share", "zh")("title")


def test_a_missing_key_or_section_fails_by_name():
    with pytest.raises(KeyError, match=r"labels/zh.yml has no cluster_share.nothing"):
        labels.labels("cluster_share", "zh")["nothing"]
    with pytest.raises(KeyError, match=r"labels/en.yml has no section 'nothing'"):
        labels.labels("nothing", "en")
