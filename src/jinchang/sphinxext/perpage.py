"""What an extension records for each page in Sphinx's environment: kept from build to build with
the environment, dropped when its page is read again or removed, merged from parallel readers."""

from __future__ import annotations

from sphinx.application import Sphinx


def recorded(env, name: str) -> dict:
    """docname -> what was recorded under ``name`` (the environment's attribute ``jinchang_<name>``)."""
    attribute = f"jinchang_{name}"
    if not hasattr(env, attribute):
        setattr(env, attribute, {})
    return getattr(env, attribute)


def track(app: Sphinx, name: str) -> None:
    """Keep what is recorded under ``name`` in step with the pages Sphinx reads."""
    app.connect("env-purge-doc", lambda _app, env, docname: recorded(env, name).pop(docname, None))
    app.connect("env-merge-info", lambda _app, env, _docnames, other: recorded(env, name).update(recorded(other, name)))
