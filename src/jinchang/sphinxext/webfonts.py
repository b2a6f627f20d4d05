"""The book's own CJK font on the web, for readers who have none.

The font stack (``--jinchang-cjk`` in ``static/jinchang.css``) names the common system CJK
fonts first, so most readers download nothing; after them comes "Jinchang Sans", declared in
``jinchang-fonts.css`` with ``unicode-range`` and ``font-display: swap``. Each build cuts its
WOFF2 files (Regular and Bold) from the bundled fonts (``jinchang/fonts``) to exactly the
Chinese characters its pages use: those of every page's text and title, of the theme's
settings, and of the page sources that search results quote. A browser downloads a file
only when a page shows such a character in that weight and no earlier font has it.

Pages link that stylesheet for print only, and ``static/jinchang.js`` applies it to the screen
after the first paint (``_templates/layout.html`` links it for readers without JavaScript): so
the font, for a reader who needs it, never delays the first paint or competes with the page's
own files. Until it arrives, "Jinchang Placeholder" (inline in ``jinchang-placeholder.css``, about
3 kB, loaded before the first layout by ``_templates/layout.html``) holds its place: it draws
nothing, with the web font's advance for each character and its line metrics, so the text does
not move when the font comes (no layout shift).

Once every page is written, each is read back: a Chinese character that the bundled font
lacks, or that the subset missed, fails the build with the page and the characters.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import multiprocessing
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

import sphinx_copybutton
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

from .. import chinese
from ..data import chinese_cells
from ..labels import table
from .edition import current
from .perpage import recorded, track
from .. import typeface
from ..typeface import FAMILY

logger = logging.getLogger(__name__)

CSS = "jinchang-fonts.css"
PLACEHOLDER_CSS = "jinchang-placeholder.css"
PLACEHOLDER = "Jinchang Placeholder"
# Brotli's quality for the subsets: at 10 rather than the highest (11), the Chinese edition's two files
# take 1.7 s of a core instead of 2.7 s to cut, at the end of its build, for 0.8 % more bytes (1.3 kB each).
QUALITY = 10
# Regular serves weights up to 500, Bold those from 600 (the theme's bold text and headings).
WEIGHTS = {"Regular": "100 500", "Bold": "600 900"}
CHINESE = re.compile(f"[{chinese.HAN}{chinese.PUNCTUATION}]")
# The licence, copyright and trademark names stay in the subsets (OFL 1.1).
NAME_IDS = [0, 1, 2, 3, 4, 5, 6, 7, 13, 14]
# The words of the theme's templates: _("Back to top") and the like, translated for the edition.
TEMPLATE_WORDS = re.compile(r"""\b(?:_|translate)\(\s*(['"])(.+?)\1\s*\)""", re.S)
TEMPLATE_BLOCKS = re.compile(r"{%-?\s*trans\s*-?%}(.+?){%-?\s*endtrans\s*-?%}", re.S)
# sphinx-copybutton's script: its only Chinese words are those it shows on Chinese pages.
COPYBUTTON = Path(sphinx_copybutton.__file__).parent / "_static" / "copybutton.js_t"
# A character escaped in a script's string: Sphinx writes its catalog of the scripts' words so ("\u5339").
ESCAPED = re.compile(r"\\u([0-9a-fA-F]{4})")


def page_characters(app: Sphinx) -> str:
    """The Chinese characters of every page, sorted: text, titles, theme settings, sources, and the
    edition's table of labels (the words code writes once the pages are read: citations, kits, toggles)
    and the Chinese columns of the data."""
    env, read = app.env, recorded(app.env, "chinese")
    texts = [read[name] if name in read else env.get_doctree(name).astext() for name in sorted(env.found_docs)]
    texts.append(json.dumps(table(current(app).code), ensure_ascii=False))
    texts += [title.astext() for title in env.titles.values()]
    texts += [str(value) for value in (app.config.project, app.config.html_title, app.config.html_theme_options)]
    texts += theme_words(app)
    texts += script_words(app)
    texts += [Path(env.doc2path(docname)).read_text(encoding="utf-8") for docname in sorted(env.found_docs)]
    if current(app).code == "zh":  # tables fill some rows (the unused sources) only once the pages are resolved
        texts += chinese_cells()
    return "".join(sorted(set(CHINESE.findall("".join(texts))) & typeface.characters()))


def record(app: Sphinx, doctree) -> None:
    """Note the Chinese characters of a page as read: a build that reads one page need not load every
    other page's doctree to know theirs."""
    recorded(app.env, "chinese")[app.env.docname] = "".join(sorted(set(CHINESE.findall(doctree.astext()))))


def theme_words(app: Sphinx) -> list[str]:
    """The words of the templates of the theme (and the themes it extends), as the edition's
    translations of Sphinx and the themes render them."""
    from sphinx.locale import get_translation

    folders = [Path(folder) for folder in app.builder.theme.get_theme_dirs()]
    templates = [page.read_text(encoding="utf-8") for folder in folders for page in sorted(folder.rglob("*.html"))]
    words = {m.group(2) for text in templates for m in TEMPLATE_WORDS.finditer(text)}
    words |= {" ".join(m.group(1).split()) for text in templates for m in TEMPLATE_BLOCKS.finditer(text)}
    catalogs = [get_translation("sphinx"), get_translation("booktheme")]
    return [catalog(word) for catalog in catalogs for word in sorted(words)]


def script_words(app: Sphinx) -> list[str]:
    """The words the pages' scripts show: Sphinx's catalog of them for the edition's language
    (``translations.js``: 搜索完成，匹配到 %s 页), which the builder copies to ``_static``, and in
    Chinese sphinx-copybutton's (复制到剪贴板), which jinchang.js picks. (The theme's scripts show none.)"""
    catalog = app.builder._get_translations_js()  # where Sphinx finds the one it copies; "" when none
    scripts = [Path(catalog)] if catalog else []
    if current(app).code == "zh":
        scripts.append(COPYBUTTON)
    return [shown_text(path) for path in scripts]


def shown_text(path: Path) -> str:
    """A page's text, or a script's, its escaped characters written out."""
    text = path.read_text(encoding="utf-8")
    return ESCAPED.sub(lambda found: chr(int(found[1], 16)), text) if path.suffix == ".js" else text


def woff2(source: Path, characters: str) -> bytes:
    """``source`` cut to ``characters`` as WOFF2, byte for byte the same for the same input, compressed
    at ``QUALITY``."""
    from fontTools import subset  # only when the characters changed: a tenth of a second to import

    options = subset.Options(flavor="woff2", layout_features=["*"], name_IDs=NAME_IDS, desubroutinize=True)
    font = TTFont(source, recalcTimestamp=False)  # keeps the bundled font's own date
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters)
    subsetter.subset(font)
    out = io.BytesIO()
    with _brotli_quality(QUALITY):
        subset.save_font(font, out, options)
    return out.getvalue()


@contextmanager
def _brotli_quality(quality: int) -> Iterator[None]:
    """Meanwhile, ``brotli.compress`` compresses at ``quality`` by default, for whoever calls it in this
    process: fontTools' WOFF2 writer asks for brotli's default, the highest quality, and has no setting
    for it. (The subsets are cut in a process of their own; see ``write_fonts``.)"""
    from fontTools.ttLib import woff2 as writer

    compress = writer.brotli.compress
    writer.brotli.compress = partial(compress, quality=quality)
    try:
        yield
    finally:
        writer.brotli.compress = compress


def placeholder(source: Path, characters: str) -> bytes:
    """WOFF2 of a font that draws nothing: each of ``characters`` with its advance in ``source``,
    and the line metrics of ``source``; byte for byte the same for the same input."""
    font = TTFont(source, lazy=True)
    cmap, advances = font.getBestCmap(), font["hmtx"]
    widths = {code: advances[cmap[code]][0] for code in sorted(map(ord, characters))}
    glyphs = {width: f"blank{width}" for width in sorted(set(widths.values()))}
    order = [".notdef", *glyphs.values()]
    em, hhea, os2 = font["head"].unitsPerEm, font["hhea"], font["OS/2"]
    built = FontBuilder(em, isTTF=True)
    built.font.recalcTimestamp = False
    built.updateHead(created=font["head"].created, modified=font["head"].modified)
    built.setupGlyphOrder(order)
    built.setupCharacterMap({code: glyphs[width] for code, width in widths.items()})
    notdef = TTGlyphPen(None)  # never drawn (no character maps to it), but browsers refuse an empty glyf table
    notdef.moveTo((0, 0)), notdef.lineTo((0, em)), notdef.lineTo((em // 2, em)), notdef.lineTo((em // 2, 0))
    notdef.closePath()
    built.setupGlyf({".notdef": notdef.glyph(), **{name: TTGlyphPen(None).glyph() for name in glyphs.values()}})
    built.setupHorizontalMetrics({".notdef": (em // 2, 0), **{name: (width, 0) for width, name in glyphs.items()}})
    built.setupHorizontalHeader(ascent=hhea.ascent, descent=hhea.descent, lineGap=hhea.lineGap)
    built.setupOS2(sTypoAscender=os2.sTypoAscender, sTypoDescender=os2.sTypoDescender,
                   sTypoLineGap=os2.sTypoLineGap, usWinAscent=os2.usWinAscent, usWinDescent=os2.usWinDescent,
                   fsSelection=os2.fsSelection)
    built.setupNameTable({"familyName": PLACEHOLDER, "styleName": "Regular"})
    built.setupPost()
    built.font.flavor = "woff2"
    out = io.BytesIO()
    built.save(out)
    return out.getvalue()


def unicode_range(characters: str) -> str:
    """'一丁七' -> 'U+4E00-4E01,U+4E03': consecutive code points as ranges."""
    spans: list[list[int]] = []
    for code in sorted(map(ord, characters)):
        if spans and code == spans[-1][1] + 1:
            spans[-1][1] = code
        else:
            spans.append([code, code])
    return ",".join(f"U+{a:X}" if a == b else f"U+{a:X}-{b:X}" for a, b in spans)


def write_fonts(app: Sphinx, env) -> None:
    """Write ``jinchang-fonts.css`` before any page is written, so that pages link it with its
    checksum, and start cutting the subsets it names, in a process of its own while the pages are
    written (seconds of a core: see ``fonts_cut``); unchanged characters and fonts leave the files as
    they were."""
    if app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    characters = page_characters(app)
    key = hashlib.sha256(Path(__file__).read_bytes() + typeface.digest().encode() + characters.encode()).hexdigest()
    stamp = f"/* {FAMILY} (SIL Open Font License 1.1), cut to the book's {len(characters)} Chinese characters; key {key} */"
    css = static / CSS
    # The fonts too: a build stopped while it cut them leaves the stylesheet that names them.
    if css.is_file() and css.read_text(encoding="utf-8").startswith(stamp) and (static / PLACEHOLDER_CSS).is_file() \
            and all((static / _file(style)).is_file() for style in WEIGHTS):
        return
    shutil.rmtree(static / "fonts", ignore_errors=True)  # no font of an earlier build stays
    (static / "fonts").mkdir(parents=True)
    # The files' address changes with the key, which covers what they are cut from and to.
    css.write_text("\n".join([stamp, *(
        f'@font-face{{font-family:"{FAMILY}";font-style:normal;font-weight:{weights};font-display:swap;'
        f'src:url("{_file(style)}?v={key[:8]}") format("woff2");unicode-range:{unicode_range(characters)}}}'
        for style, weights in WEIGHTS.items())]) + "\n", encoding="utf-8")
    app.jinchang_fonts = multiprocessing.get_context("fork").Process(
        target=_cut, args=(static, characters), name="jinchang-webfonts", daemon=True)
    app.jinchang_fonts.start()
    data = base64.b64encode(placeholder(typeface.bundled("Regular"), characters)).decode()
    (static / PLACEHOLDER_CSS).write_text(
        f"/* {PLACEHOLDER}: the place of {FAMILY} until it arrives (jinchang.sphinxext.webfonts) */\n"
        f'@font-face{{font-family:"{PLACEHOLDER}";font-style:normal;font-weight:100 900;font-display:block;'
        f'src:url("data:font/woff2;base64,{data}") format("woff2");unicode-range:{unicode_range(characters)}}}\n',
        encoding="utf-8")


def _file(style: str) -> str:
    return f"fonts/JinchangSans-{style}.woff2"


def _cut(static: Path, characters: str) -> None:
    for style in WEIGHTS:
        path = static / _file(style)
        partial = path.with_suffix(".partial")
        partial.write_bytes(woff2(typeface.bundled(style), characters))
        partial.replace(path)  # whole or not there


def fonts_cut(app: Sphinx, exception: Exception | None) -> None:
    """Wait for the subsets, before anything reads the site's files; a failure fails the build."""
    cutting = getattr(app, "jinchang_fonts", None)
    if cutting is None:
        return
    del app.jinchang_fonts
    if exception is not None:
        cutting.terminate()
    cutting.join()
    if exception is None and cutting.exitcode != 0:
        raise ExtensionError(f"cutting the web fonts failed (status {cutting.exitcode}); its error is in the log above")


def subset_characters(css: Path) -> set[str]:
    """The characters that ``jinchang-fonts.css`` declares (its first unicode-range)."""
    ranges = re.search(r"unicode-range:([^}]*)", css.read_text(encoding="utf-8"))[1]
    out = set()
    for span in ranges.split(","):
        a, _, b = span.removeprefix("U+").partition("-")
        out |= {chr(code) for code in range(int(a, 16), int(b or a, 16) + 1)}
    return out


def shown_files(site: Path, edition: str) -> list[Path]:
    """The pages of an edition's site (``edition``: its code), and the scripts that hold the words they
    show (see ``script_words``)."""
    pages = [p for p in sorted(site.rglob("*.html")) if p.relative_to(site).parts[0] not in ("_static", "_sources")]
    scripts = ["translations.js", *(["copybutton.js"] if edition == "zh" else [])]
    return pages + [script for script in (site / "_static" / name for name in scripts) if script.is_file()]


def check_pages(app: Sphinx, exception: Exception | None) -> None:
    """Every Chinese character of every written page, and of the words its scripts show, is in the
    bundled font and in the subset."""
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    served = subset_characters(out / "_static" / CSS)
    for page in shown_files(out, current(app).code):
        name = page.relative_to(out).as_posix()
        used = set(CHINESE.findall(shown_text(page)))
        if lacking := "".join(sorted(used - typeface.characters())):
            logger.warning(f"{name}: {FAMILY} lacks the characters {lacking}: add them to EXTRA in "
                           "src/jinchang/fonts/README.md and regenerate the fonts as it says",
                           type="jinchang", subtype="font")
        elif missed := "".join(sorted(used - served)):
            logger.warning(f"{name}: the web font ({CSS}) lacks the characters {missed}: "
                           "jinchang.sphinxext.webfonts.page_characters missed where they come from",
                           type="jinchang", subtype="font")


def setup(app: Sphinx) -> None:
    app.add_css_file(PLACEHOLDER_CSS)
    app.add_css_file(CSS, media="print", id=CSS.removesuffix(".css"))
    app.connect("doctree-read", record, priority=900)  # after the handlers that change the doctree
    track(app, "chinese")
    app.connect("env-updated", write_fonts)
    app.connect("build-finished", fonts_cut, priority=100)  # before the handlers that read the site
    app.connect("build-finished", check_pages)
