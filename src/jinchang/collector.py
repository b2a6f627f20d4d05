"""Python's garbage collector, set for a build.

A build makes millions of small objects that live until its end (doctree nodes, matplotlib's
artists, font tables), and the collector, at its default threshold (a collection every 700 new
objects), walks them again and again: a sixth of the CPU of a Sphinx build of an edition. Every
10 000 new objects instead, with what is already imported frozen (never walked), it takes a
fraction of that, for a few more megabytes held between collections. The processes a build forks
(its editions, the fonts, the PDFs' finishing, the kernels' server and its kernels) keep the setting.
"""

import gc

THRESHOLD = (10_000, 10, 10)  # new objects before a collection; collections before an older generation's


def tune() -> None:
    gc.collect()  # what is garbage now is not frozen with the rest (a process may build more than once)
    gc.freeze()
    gc.set_threshold(*THRESHOLD)
