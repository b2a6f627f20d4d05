"""Jinchang by the numbers: the article's claims as validated data, charts and checks.

Data flows one way: ``data/`` -> :mod:`jinchang.data` (validated, typed tables)
-> chapter cells -> HTML. Chapters import from here and never read files.
"""

__version__ = "1.3.14"
# The date each version was published (CHANGELOG.md gives the same dates, with what changed).
RELEASED = {"1.0.0": "2026-11-27", "1.1.0": "2026-12-01", "1.2.0": "2026-12-01", "1.2.1": "2026-12-03",
            "1.2.2": "2026-12-03", "1.2.3": "2026-12-03", "1.3.0": "2026-12-03",
            "1.3.1": "2026-12-04", "1.3.2": "2026-12-04", "1.3.3": "2026-12-04", "1.3.4": "2026-12-04",
            "1.3.5": "2026-12-04", "1.3.6": "2026-12-04", "1.3.7": "2026-12-05", "1.3.8": "2026-12-05",
            "1.3.9": "2026-12-05", "1.3.10": "2026-12-05", "1.3.11": "2026-12-05",
            "1.3.12": "2026-12-05", "1.3.13": "2026-12-05", "1.3.14": "2026-12-05"}
