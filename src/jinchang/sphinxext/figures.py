"""Publishing charts: a numbered figure per Chart output, and its files at stable URLs.

A chapter cell that displays a ``jinchang.figure.Chart`` emits the ``MIME`` payload;
myst-nb hands it to ``FigureRenderer`` (registered as a myst_nb.mime_renderers entry
point), which builds a docutils figure whose id is the chart's name. The image, PNG and
CSV are kept in the environment and written to ``figures/<name>.{svg,png,csv}`` when the
build finishes, so their URLs never depend on a hash.
"""

from __future__ import annotations

import base64
import json
from html import escape
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

from ..figure import MIME
from .claims import reference

FOLDER = "figures"
FORMATS = (("svg", "SVG"), ("png", "PNG, print resolution"), ("csv", "data, CSV"))


def figures(env) -> dict[str, dict]:
    if not hasattr(env, "jinchang_figures"):
        env.jinchang_figures = {}
    return env.jinchang_figures


def _to_root(docname: str) -> str:
    return "../" * docname.count("/")


def figure_node(env, payload: dict) -> nodes.figure:
    name, docname = payload["name"], env.docname
    known = figures(env).get(name)
    if known and known["docname"] != docname:
        raise ExtensionError(f"figure name {name!r} is used twice: in {known['docname']} and {docname}")
    figures(env)[name] = {**payload, "docname": docname}
    root = _to_root(docname)
    image = (f'<img src="{root}{FOLDER}/{escape(name)}.svg" alt="{escape(payload["alt"])}" '
             f'width="{payload["width"]}" height="{payload["height"]}" loading="lazy" decoding="async">')
    source = nodes.paragraph("", "Sources: ", classes=["figure-sources"])
    ids = payload["claims"] + payload["context"]
    for i, row_id in enumerate(ids):
        source += reference(env, row_id, row_id, tip=True)
        source += nodes.Text(", " if i < len(ids) - 1 else ".")
    downloads = " · ".join(
        f'<a href="{root}{FOLDER}/{escape(name)}.{ext}" download>{label}</a>' for ext, label in FORMATS)
    node = nodes.figure(
        "",
        nodes.raw("", image, format="html"),
        nodes.caption(payload["title"], payload["title"]),
        nodes.legend(
            "",
            nodes.paragraph(payload["subtitle"], payload["subtitle"], classes=["figure-subtitle"]),
            source,
            nodes.raw("", f'<p class="figure-downloads">Download: {downloads}</p>', format="html"),
        ),
        ids=[name], names=[name], classes=["jinchang-figure"],
    )
    return node


class FigureRenderer:
    """myst-nb MIME renderer for Chart payloads (see the module docstring)."""

    mime_priority_overrides = [("*", MIME, 1)]

    @staticmethod
    def handle_mime(renderer, data, inline):
        if data.mime_type != MIME or inline:
            return None
        payload = data.content if isinstance(data.content, dict) else json.loads(data.string)
        node = figure_node(renderer.renderer.sphinx_env, payload)
        renderer.renderer.document.note_explicit_target(node, node)
        return [node]


def write_files(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    folder = Path(app.outdir) / FOLDER
    folder.mkdir(exist_ok=True)
    for name, payload in sorted(figures(app.env).items()):
        (folder / f"{name}.svg").write_text(payload["svg"], encoding="utf-8")
        (folder / f"{name}.png").write_bytes(base64.b64decode(payload["png"]))
        (folder / f"{name}.csv").write_text(payload["csv"], encoding="utf-8")


def purge(app, env, docname):
    for name in [n for n, p in figures(env).items() if p["docname"] == docname]:
        del figures(env)[name]


def merge(app, env, docnames, other):
    figures(env).update({n: p for n, p in figures(other).items() if p["docname"] in docnames})


def setup(app: Sphinx) -> None:
    app.connect("build-finished", write_files)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
