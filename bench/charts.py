"""Chart benchmark: the time to render every chart, in one warm process.

Imports and a first call of every chart function are not timed (fonts, data and matplotlib warm
up). Then every chart function is called once per language it takes, per round; the median round
is printed, as wall time and as the CPU time of this process (which other work on the machine
disturbs less), with each chart's CPU time. To compare with another checkout, run this file with
that checkout's package first on the path:

    .venv/bin/python bench/charts.py --rounds 3
    PYTHONPATH=/path/to/other/src .venv/bin/python bench/charts.py --rounds 3
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import pkgutil
import statistics
import time
from collections.abc import Callable, Iterator

import matplotlib

matplotlib.use("Agg")

import jinchang.charts  # noqa: E402
from jinchang.figure import Chart  # noqa: E402

LANGUAGES = ("en", "zh")


def calls() -> Iterator[tuple[str, Callable[[], Chart]]]:
    """Every chart function, once per language it takes (a function without ``lang`` is English only)."""
    for info in pkgutil.iter_modules(jinchang.charts.__path__):
        module = importlib.import_module(f"jinchang.charts.{info.name}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if (function.__module__ != module.__name__ or name.startswith("_")
                    or inspect.signature(function).return_annotation not in (Chart, "Chart")):
                continue
            if "lang" in inspect.signature(function).parameters:
                for lang in LANGUAGES:
                    yield f"{info.name}.{name} [{lang}]", lambda f=function, lang=lang: f(lang=lang)
            else:
                yield f"{info.name}.{name}", function


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    rounds = parser.parse_args().rounds
    todo = list(calls())
    for _, call in todo:
        call()
    wall, cpu, each = [], [], {name: [] for name, _ in todo}
    for _ in range(rounds):
        start, start_cpu = time.perf_counter(), time.process_time()
        for name, call in todo:
            before = time.process_time()
            call()
            each[name].append(time.process_time() - before)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    for name, times in each.items():
        print(f"{name:45s} {statistics.median(times):6.3f} s CPU")
    print(f"{len(todo)} charts, median of {rounds} rounds: {statistics.median(wall):.2f} s wall, "
          f"{statistics.median(cpu):.2f} s CPU")


if __name__ == "__main__":
    main()
