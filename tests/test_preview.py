"""Live preview in a real browser: `jinchang serve --watch` rebuilds a copy of the book on save and
reloads the open page; a failed build shows its error over the last good page."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from .conftest import copy_project, run_build


@pytest.fixture
def preview(book, tmp_path):
    root = copy_project(tmp_path / "book", book)
    first = run_build(root)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    env = {**os.environ, "JINCHANG_ROOT": str(root), "JINCHANG_BUILD_DIR": str(root / "_build"),
           "PYTHONPATH": str(root / "src"), "PYTHONUNBUFFERED": "1"}
    server = subprocess.Popen([sys.executable, "-m", "jinchang", "serve", "--watch", "--port", "0"], env=env,
                              cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url = re.search(r"at (http://\S+?):? ", server.stdout.readline()).group(1)
        yield root, url
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.build
def test_an_edit_reloads_the_open_page_and_a_failed_build_shows_its_error(preview, browser):
    root, url = preview
    chapter = root / "chapters" / "02-parks.md"
    text = chapter.read_text(encoding="utf-8")
    page = browser.new_page()
    try:
        page.goto(url + "chapters/02-parks.html")
        page.wait_for_timeout(1500)  # the preview script has read the status once
        chapter.write_text(text + "\nA sentence the writer just saved.\n", encoding="utf-8")
        expect(page.locator("main")).to_contain_text("A sentence the writer just saved.", timeout=300_000)

        # The book's own code, edited meanwhile, is what builds: builds are forked from a process that
        # has imported the libraries, never the book's modules.
        module = root / "src" / "jinchang" / "prose.py"
        module.write_text(module.read_text(encoding="utf-8").replace(": bare number ", ": a bare number "),
                          encoding="utf-8")
        chapter.write_text(text + "\nA sentence the writer just saved. Growth was 44.5 per cent.\n", encoding="utf-8")
        expect(page.locator("#preview-error")).to_contain_text("a bare number '44.5'", timeout=300_000)
        expect(page.locator("main")).to_contain_text("A sentence the writer just saved.")  # the last good page
    finally:
        page.close()
