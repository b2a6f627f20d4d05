"""The words of Sphinx and the themes in the edition's language where their catalogs leave them in
English, or give them in another variety of the language.

The edition's catalogs, ``locale/<language>/LC_MESSAGES/<catalog>.po`` beside this module, are read
before Sphinx's and the themes' (``sphinx``, ``booktheme``); a word they lack is looked up in those.
Words the theme writes in English without ``_()`` are wrapped in it by the templates in ``_templates``.

Sphinx keeps every catalog in one dictionary per process: whatever runs Sphinx calls
``forget_other_runs`` first (``jinchang.build.sphinx_build`` does), or a run in one language would
read the catalogs of a run in another before its own.
"""

from __future__ import annotations

import gettext
import io
from pathlib import Path

from babel.messages import mofile, pofile
from sphinx import locale
from sphinx.application import Sphinx

LOCALE = Path(__file__).with_name("locale")


def forget_other_runs() -> None:
    """Sphinx keeps its catalogs in one dictionary per process, by catalog but not by language, and adds
    each run's to those already there: a run after one in another language would read that one's first."""
    locale.translators.clear()


def _translations(po: Path) -> gettext.GNUTranslations:
    with po.open("rb") as file:
        catalog = pofile.read_po(file)
    compiled = io.BytesIO()
    mofile.write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def setup(app: Sphinx) -> None:
    """Put the edition's catalogs first. Sphinx has loaded its own by now (before any extension), and
    the theme's catalogs loaded later are added behind them."""
    for po in sorted((LOCALE / app.config.language / "LC_MESSAGES").glob("*.po")):
        ours, key = _translations(po), ("general", po.stem)
        if (theirs := locale.translators.get(key)) is not None:
            ours.add_fallback(theirs)
        locale.translators[key] = ours
        if po.stem == "sphinx":
            app.translator = ours  # what the templates' _() reads
