"""Every page of the built book is valid HTML: the Nu HTML Checker reports no error. And every page
has what browsers and search engines look for: a description, and the book's icon (else a browser
asks for /favicon.ico, which the site does not have).

The checker is npm's ``vnu-jar`` (pinned in ``tests/package.json``; ``npm ci --ignore-scripts
--prefix tests``), run with Java (Debian's ``default-jre-headless``), once over every page in a
single Java process. Without Java or the jar the test is skipped, except in CI, where it fails.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from .conftest import require
from .test_browser import site_pages

pytestmark = pytest.mark.build

VNU = Path(__file__).parent / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def test_every_page_is_valid_html(book: Path) -> None:
    java = require(shutil.which("java"), "no java on PATH; install Debian's default-jre-headless")
    jar = require(str(VNU) if VNU.is_file() else None, f"no {VNU}: run `npm ci --ignore-scripts --prefix tests`")
    pages = site_pages(book)
    done = subprocess.run([java, "-jar", jar, "--format", "json", "--errors-only", "--exit-zero-always",
                           *(str(book / page) for page in pages)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    errors = defaultdict(list)
    for message in json.loads(done.stderr)["messages"]:
        page = Path(message.get("url", "").removeprefix("file:")).resolve()
        where = page.relative_to(book.resolve()).as_posix() if page.is_relative_to(book.resolve()) else str(page)
        errors[where].append(f"line {message.get('lastLine', '?')}: {message['message']}")
    assert len(errors) == 0, f"vnu: errors on {len(errors)} of {len(pages)} pages:\n" + "\n".join(
        f"{page}: {len(found)} errors\n  " + "\n  ".join(found) for page, found in sorted(errors.items()))


def test_every_page_has_a_description_and_the_books_icon(book: Path) -> None:
    lacking = {}
    for page in site_pages(book):
        head = BeautifulSoup((book / page).read_text(encoding="utf-8"), "html.parser").head
        description = head.find("meta", attrs={"name": "description"})
        icon = head.find("link", rel="icon")
        missing = [what for what, ok in (("description", description and description["content"].strip()),
                                         ("icon", icon and ((book / page).parent / icon["href"]).is_file())) if not ok]
        if missing:
            lacking[page] = missing
    assert not lacking, f"{len(lacking)} pages lack: {lacking}"
