"""The book's PDF (``jinchang.pdf``) in every page's download menu, beside the page's own files and
the theme's entry that prints the page (named for what it does, not ".pdf").

The PDF is at the root of the edition's site, so its URL is known before it exists. Pages link
to it with ``{book-download}`pdf``` (see ``kits``) and name it in ``citation_pdf_url`` (see ``meta``).
"""

from __future__ import annotations

from sphinx.application import Sphinx

from ..pdf import FILENAME
from ..labels import labels
from .edition import current


def add_to_download_menu(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    words = labels("pdf", current(app).code)
    for group in context.get("header_buttons", ()):
        if group.get("label") == "download-buttons":
            for button in group["buttons"]:
                if button.get("label") == "download-pdf-button":  # the theme's, which prints the page: named so,
                    button["text"] = words["print_page"]  # not ".pdf" beside the book's PDF
            group["buttons"].append({
                "type": "link", "url": context["pathto"](FILENAME, 1), "text": words["download"],
                "tooltip": words["download_tip"], "icon": "fas fa-book", "label": "download-book-pdf-button",
            })


def setup(app: Sphinx) -> None:
    app.connect("html-page-context", add_to_download_menu, priority=600)  # after the theme's buttons (501)
