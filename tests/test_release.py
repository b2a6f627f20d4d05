"""The version and its date are the same everywhere: package, data package, citation file and changelog."""

from __future__ import annotations

import json
import re
import tomllib

import yaml

from jinchang import RELEASED, __version__, paths


def test_the_version_is_the_same_everywhere_and_the_changelog_dates_each_release():
    assert tomllib.loads((paths.ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"] == __version__
    assert json.loads((paths.DATA / "datapackage.json").read_text(encoding="utf-8"))["version"] == __version__
    cff = yaml.safe_load((paths.ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["version"] == cff["preferred-citation"]["version"] == __version__
    assert str(cff["date-released"]) == RELEASED[__version__]
    headings = re.findall(r"^## (\d+\.\d+\.\d+) — (\d{4}-\d{2}-\d{2})$",
                          (paths.ROOT / "CHANGELOG.md").read_text(encoding="utf-8"), re.M)
    assert headings[0][0] == __version__
    assert dict(headings) == RELEASED
