"""Build benchmark: median wall time, CPU time and peak memory of `jinchang build`, by scenario.

Every run copies a snapshot of the project into a temporary folder and builds there, with the
copy's own package (PYTHONPATH), so the real ``_build`` is never touched. In each copy, in order:

  clean        no build folder, no execution cache
  no change    the same command again
  Sphinx no-op the same again without the up-to-date stamp, so Sphinx runs (its incremental path)
  prose edit   a sentence added to one chapter (the Figures page should not be rewritten)
  Chinese prose edit  the same in the Chinese edition (the English one should be left alone)
  code edit    a code cell added to one chapter (that chapter runs again)
  note edit    one claim's note changed in data/claims.csv: the chapters that read that claim run again
  full data edit  another note changed, with the execution cache removed: every chapter runs again, as
               before chapters recorded what they read (what the note edit is compared with)
  floor        every notebook of both editions' tables of contents executed by nbclient alone, one
               after another, without Sphinx: what the clean build of the web book (both editions,
               without the PDFs, whose target is what they add to it) is compared with
  prose edit, preview  another sentence added to the same chapter, built as the live preview builds
               (``jinchang build --no-pdf``, forked from the preview's warm process, which is ready
               before the edit; timed from the edit to the moment the preview reloads the page, when
               the build's process has ended): what a writer waits for between saving and reading

and before them, each in a fresh copy, just before the clean build (so that each run's ratio
compares builds made one after the other, as the machine's speed drifts over minutes):

  clean, English only  a clean build of the English edition alone, as before the Chinese
               edition: what the Chinese edition adds is the clean build over this one
  clean, no PDF  a clean build without the PDF (``jinchang build --no-pdf``): what the PDF adds
               to a clean build is the clean build over this one; then, in the same copy, the note
               edit and the full data edit built without the PDF (``note edit, no PDF``, ``full data
               edit, no PDF``): their ratio is the note edit's without the PDF's cost (printing the
               pieces of the English PDF that the change touches, then joining the whole PDF)

Wall time is the median of the runs; CPU time is user + system of the whole process tree (not
measured for the preview's build, a descendant of its warm process, not of the command); peak
memory is the largest sum of the resident memory of the build and all its descendants (kernels,
Chromium), sampled every 50 ms. That sum counts a page shared by several processes (the forked
kernels', Chromium's) once per process; the peak proportional memory (PSS, sampled every half
second) shares each such page among them, and is what the build takes from the machine. The table is printed and written to bench/REPORT-build.md (``--report``).

    .venv/bin/python bench/build.py --runs 3        # or: make bench
"""

from __future__ import annotations

import argparse
import csv
import io
import itertools
import math
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.conftest import copy_project  # noqa: E402

CHAPTER = "chapters/04-context.md"  # the chapter whose prose and code are edited
# The clean build's target is the web book's, both editions (--no-pdf): the build the target was set
# for, before the PDFs, whose own target is what they add to it. The whole build's bound is the two's product.
TARGETS = {"clean / floor": 0.6, "note / full data edit": 0.35, "prose edit (s)": 3.0, "no change (s)": 3.0,
           "clean / clean without PDF": 1.25, "clean / clean English only": 1.6, "peak memory (MB)": 1536}
WHOLE = TARGETS["clean / floor"] * TARGETS["clean / clean without PDF"]  # the clean build with the PDFs / floor
FIGURES_PAGE = "_build/.stage/en/html/chapters/figures.html"
# Proportional memory is read every 10th sample (every half second): the kernel walks every page of
# every process for it, some 30 ms for a tree with Chromium, which would take a core from the build.
PSS_EVERY = 10
WARM = "[bench] warm"  # printed by a command once what comes before it is not to be timed
BUILT = "[bench] built"  # printed by a command once what comes after it is not to be timed
SCENARIOS = {  # name: what it does, in the report's order (the last five run first, see run)
    "clean": "no build folder, no cache",
    "no change": "same command again",
    "Sphinx no-op": "again, up-to-date stamp removed",
    "prose edit": "a sentence added to one chapter",
    "Chinese prose edit": "a sentence added to one chapter of the Chinese edition",
    "code edit": "a code cell added to one chapter",
    "note edit": "one note in claims.csv",
    "full data edit": "another note, execution cache removed",
    "prose edit, preview": "another sentence, built as the live preview builds (`--no-pdf`, from its warm process)",
    "floor": "nbclient alone, notebooks in turn",
    "clean, no PDF": "fresh copy, `jinchang build --no-pdf`",
    "note edit, no PDF": "then one note in claims.csv, `--no-pdf`",
    "full data edit, no PDF": "then another note, execution cache removed, `--no-pdf`",
    "clean, English only": "fresh copy, the English edition alone",
}


# When a build's phases end: lines of its log that end each phase (the last such line counts). The
# editions are built side by side, so their phases overlap: the times are from the build's start.
# Both PDFs are printed by a thread of the build's own process, whose lines have no prefix.
PHASES = {f"{name} {what}": f"{prefix}{marker}" for name, prefix in (("English", "English: "), ("中文", "中文: "))
          for what, marker in (("chapters executed", "executing chapters"), ("pages read", "reading pages"),
                               ("pages written", "writing pages"))}
PHASES |= {"PDFs printed": "printing the PDFs"}
# What a build's CPU goes to, by process: kernels (the kernel server and its forks), Chromium (with
# Playwright's driver), and the build's own processes (each edition's Sphinx, the fonts, the PDFs' finishing).
PARTS = ("kernels", "build's own processes", "Chromium")


def part(process: psutil.Process) -> str:
    command = " ".join(process.cmdline())
    if "jinchang.forkserver" in command:
        return PARTS[0]
    if process.name().startswith("chromium") or "playwright/driver" in command:
        return PARTS[2]
    return PARTS[1]


@dataclass
class Measure:
    wall: float
    cpu: float
    peak_mb: float  # the largest sum of the resident memory of the build's processes
    peak_pss_mb: float  # the same, each page shared between processes counted once (proportional set size)
    phases: dict[str, float] = field(default_factory=dict)  # when each ended, when the log shows them all
    parts: dict[str, float] = field(default_factory=dict)  # CPU seconds by part (PARTS), as last sampled
    figures_rewritten: bool = False  # whether the build wrote the Figures page again


@dataclass
class Scenario:
    name: str
    what: str
    runs: list[Measure] = field(default_factory=list)

    def median(self, attribute: str) -> float:
        return statistics.median(getattr(m, attribute) for m in self.runs)


def measured(command: list[str], env: dict[str, str], cwd: Path) -> Measure:
    """Run ``command``; its wall time, the CPU time of its process tree and the tree's peak memory."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = [0, 0]  # resident, proportional
    used: dict[tuple[int, float], tuple[str, float]] = {}  # (pid, start) -> part, CPU seconds when last sampled

    def sample() -> None:
        for count in itertools.count():
            if process.poll() is not None:
                return
            tree = []
            try:
                root = psutil.Process(process.pid)
                tree = [root, *root.children(recursive=True)]
                peak[0] = max(peak[0], sum(p.memory_info().rss for p in tree))
                if count % PSS_EVERY == 0:
                    peak[1] = max(peak[1], sum(p.memory_full_info().pss for p in tree))
            except psutil.Error:  # a process ended between listing and reading
                pass
            for p in tree:
                try:
                    key, times = (p.pid, p.create_time()), p.cpu_times()
                    used[key] = (used[key][0] if key in used else part(p), times.user + times.system)
                except psutil.Error:
                    pass
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, ends, ended = [], {}, None
    for line in process.stdout:
        output.append(line)
        if line.rstrip() == WARM:  # what came before is not timed (see preview_build)
            started = time.perf_counter()
        if line.rstrip() == BUILT:  # nor what comes after
            ended = time.perf_counter()
        ends.update({phase: time.perf_counter() - started for phase, marker in PHASES.items() if line.startswith(marker)})
    process.wait()
    wall = (ended or time.perf_counter()) - started
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed in {cwd}:\n{''.join(output)[-3000:]}")
    # Kernels are waited for by the build, so their CPU time is in the build's children's.
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if any(line.rstrip() == WARM for line in output):
        cpu = math.nan  # the build is the warm process's child, not the command's
    phases = {**ends, "published": wall} if len(ends) == len(PHASES) else {}
    parts = {name: sum(seconds for p, seconds in used.values() if p == name) for name in PARTS}
    return Measure(wall, cpu, peak[0] / 2**20, peak[1] / 2**20, phases, parts)


def environment(root: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(root / "src"), "JINCHANG_ROOT": str(root),
            "JINCHANG_BUILD_DIR": str(root / "_build"), "PYTHONUNBUFFERED": "1"}  # log lines as they happen


def build(root: Path, *options: str) -> Measure:
    return measured([sys.executable, "-m", "jinchang", "build", *options], environment(root), root)


def build_preview(root: Path) -> Measure:
    return measured([sys.executable, __file__, "--preview-build", str(root)], environment(root), root)


def preview_build(root: Path) -> None:
    """Build ``root`` as the live preview does after an edit, timed from when its warm process is ready
    (in the preview, long before the edit) to when the preview would reload the page: the lines
    ``WARM`` and ``BUILT`` start and stop the clock."""
    from jinchang import preview

    ready = preview.warm().Process(target=time.sleep, args=(0,))  # forked once the warm process is ready
    ready.start()
    ready.join()
    print(WARM, flush=True)
    built = preview.rebuild(preview.State())
    print(BUILT, flush=True)  # the preview reloads the page now; this process's own ending is not waited for
    raise SystemExit(0 if built else 1)


def build_english(root: Path) -> Measure:
    return measured([sys.executable, __file__, "--english-build", str(root)], environment(root), root)


def english_build(root: Path) -> None:
    """``jinchang build`` in ``root`` of the English edition alone, as the book was built before its
    Chinese edition."""
    from jinchang import build as building
    from jinchang.editions import ENGLISH

    building.EDITIONS = (ENGLISH,)
    building.build()


def floor(root: Path) -> Measure:
    return measured([sys.executable, __file__, "--execute-notebooks", str(root)], environment(root), root)


def execute_notebooks(root: Path) -> None:
    """The floor: each notebook of each edition's toc, read as myst-nb reads it, executed by nbclient in turn."""
    import yaml
    from myst_parser.config.main import MdParserConfig

    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    markdown = MdParserConfig(enable_extensions=set(config["parse"]["myst_enable_extensions"]))
    for source in (root, root / "zh"):
        toc = yaml.safe_load((source / "_toc.yml").read_text(encoding="utf-8"))
        for docname in [toc["root"]] + [c["file"] for part in toc["parts"] for c in part["chapters"]]:
            execute_notebook(source / f"{docname}.md", markdown, config["execute"]["timeout"])


def execute_notebook(path: Path, markdown, timeout: int) -> None:
    from myst_nb.core.read import is_myst_markdown_notebook, read_myst_markdown_notebook
    from nbclient import NotebookClient

    text = path.read_text(encoding="utf-8")
    if not is_myst_markdown_notebook(text):
        return
    notebook = read_myst_markdown_notebook(text, config=markdown, path=path)
    NotebookClient(notebook, timeout=timeout, allow_errors=False,
                   resources={"metadata": {"path": str(path.parent)}}).execute()


def edit_prose(root: Path, chapter: str = CHAPTER, sentence: str = "This sentence was added by the benchmark.") -> None:
    path = root / chapter
    text = path.read_text(encoding="utf-8")
    heading = text.index("\n# ")
    end = text.index("\n", heading + 1)
    path.write_text(text[:end] + f"\n\n{sentence}" + text[end:], encoding="utf-8")


def edit_prose_again(root: Path) -> None:
    edit_prose(root, sentence="This second sentence was added by the benchmark.")


def edit_chinese_prose(root: Path) -> None:
    edit_prose(root, f"zh/{CHAPTER}", "这句话是基准测试加的。")


def edit_code(root: Path) -> None:
    chapter = root / CHAPTER
    text = chapter.read_text(encoding="utf-8")
    cell = "```{code-cell} ipython3\n:tags: [remove-cell]\n\nbenchmark_edit = True\n```\n\n"
    methods = text.index("## Data and methods")
    chapter.write_text(text[:methods] + cell + text[methods:], encoding="utf-8")


def edit_note(root: Path, row: int = 1) -> None:
    claims = root / "data" / "claims.csv"
    rows = list(csv.reader(io.StringIO(claims.read_text(encoding="utf-8"))))
    notes = rows[0].index("notes")
    rows[row][notes] += " Edited by the benchmark."
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    claims.write_text(out.getvalue(), encoding="utf-8")


def edit_note_without_cache(root: Path) -> None:
    edit_note(root, row=2)
    for cache in (root / "_build" / ".stage").glob("*/.jupyter_cache"):
        shutil.rmtree(cache)


def remove_stamp(root: Path) -> None:
    from jinchang.build import STAMP

    for stamp in (root / "_build" / ".stage").glob(f"**/{STAMP}"):  # the build's and each edition's
        stamp.unlink()


def run(snapshot: Path, workspace: Path, scenarios: dict[str, Scenario], number: int) -> None:
    root = workspace / f"run-{number}" / "book"
    without_pdf = lambda: build(root, "--no-pdf")  # noqa: E731
    for steps in ([("clean, English only", None, lambda: build_english(root))],
                  [("clean, no PDF", None, without_pdf), ("note edit, no PDF", edit_note, without_pdf),
                   ("full data edit, no PDF", edit_note_without_cache, without_pdf)]):
        shutil.copytree(snapshot, root)  # a fresh copy for each list of steps
        for name, edit, build_it in steps:
            if edit is not None:
                edit(root)
            scenarios[name].runs.append(measure := build_it())
            print(f"  run {number} {name}: {measure.wall:.1f} s", flush=True)
        shutil.rmtree(root.parent)
    shutil.copytree(snapshot, root)
    steps = [("clean", None), ("no change", None), ("Sphinx no-op", remove_stamp), ("prose edit", edit_prose),
             ("Chinese prose edit", edit_chinese_prose), ("code edit", edit_code), ("note edit", edit_note),
             ("full data edit", edit_note_without_cache), ("prose edit, preview", edit_prose_again)]
    for name, edit in steps:
        if edit is not None:
            edit(root)
        figures_page = (root / FIGURES_PAGE).stat().st_mtime_ns if (root / FIGURES_PAGE).exists() else None
        scenarios[name].runs.append(measure := build_preview(root) if "preview" in name else build(root))
        measure.figures_rewritten = figures_page != (root / FIGURES_PAGE).stat().st_mtime_ns
        print(f"  run {number} {name}: {measure.wall:.1f} s", flush=True)
    scenarios["floor"].runs.append(measure := floor(root))
    print(f"  run {number} floor: {measure.wall:.1f} s", flush=True)
    shutil.rmtree(root.parent)


def table(scenarios: dict[str, Scenario]) -> str:
    lines = ["| scenario | wall time, median (s) | runs (s) | CPU time, median (s) | peak memory, median (MB) "
             "| peak proportional memory, median (MB) |",
             "|---|---:|---|---:|---:|---:|"]
    for s in scenarios.values():
        runs = ", ".join(f"{m.wall:.1f}" for m in s.runs)
        cpu = "—" if math.isnan(s.median("cpu")) else f"{s.median('cpu'):.1f}"
        lines.append(f"| {s.name}: {s.what} | {s.median('wall'):.1f} | {runs} | {cpu} "
                     f"| {s.median('peak_mb'):.0f} | {s.median('peak_pss_mb'):.0f} |")
    return "\n".join(lines)


def breakdown(scenario: Scenario) -> str:
    """When each phase of a build that executes chapters ended: median seconds from its start."""
    runs = [m.phases for m in scenario.runs if m.phases]
    if not runs:
        return ""
    ends = sorted((statistics.median(r[phase] for r in runs), phase) for phase in runs[0])
    cells = " | ".join(f"{phase} {end:.1f}" for end, phase in ends)
    return f"When each phase of the {scenario.name} build ended (median s from its start): {cells}."


def cpu_parts(clean: Scenario, floor: Scenario) -> str:
    """What the clean build's CPU went to, beside what the clean build / floor target leaves on this machine's cores."""
    used = {name: statistics.median(m.parts[name] for m in clean.runs) for name in PARTS}
    cells = " | ".join(f"{name} {seconds:.1f}" for name, seconds in used.items())
    allowed = WHOLE * floor.median("wall") * os.cpu_count()
    return (f"What the clean build's CPU went to (median s, each process sampled every 50 ms; more than the table's "
            f"CPU time, which counts only processes whose parents waited for them, and so leaves out much of "
            f"Chromium's): {cells} | in all {sum(used.values()):.1f}. A clean build with the PDFs within the "
            f"targets ({WHOLE:.2f} × the floor's {floor.median('wall'):.1f} s) has at most "
            f"{allowed:.1f} s of CPU on {os.cpu_count()} cores, with none idle at any moment.")


def verdicts(scenarios: dict[str, Scenario]) -> str:
    def ratio(a: str, b: str) -> tuple[float, float]:
        """Of the medians, and the median of each run's ratio (a run's two builds close in time: less
        exposed to the machine's load changing)."""
        first, second = scenarios[a], scenarios[b]
        return (first.median("wall") / second.median("wall"),
                statistics.median(x.wall / y.wall for x, y in zip(first.runs, second.runs)))

    clean, per_run = ratio("clean", "floor")
    web, web_per_run = ratio("clean, no PDF", "floor")
    note, note_per_run = ratio("note edit", "full data edit")
    note_no_pdf, note_no_pdf_per_run = ratio("note edit, no PDF", "full data edit, no PDF")
    prose, preview = scenarios["prose edit"], scenarios["prose edit, preview"]
    rewritten = sum(m.figures_rewritten for m in [*prose.runs, *preview.runs])
    no_change = scenarios["no change"].median("wall")
    no_pdf, no_pdf_per_run = ratio("clean", "clean, no PDF")
    english, english_per_run = ratio("clean", "clean, English only")
    peak = max(s.median("peak_mb") for s in scenarios.values())
    peak_pss = max(s.median("peak_pss_mb") for s in scenarios.values())
    checks = [
        (f"one claim's note edited / full data edit = {note:.2f} (median of each run's ratio {note_per_run:.2f})",
         note <= TARGETS["note / full data edit"], f"≤ {TARGETS['note / full data edit']}"),
        (f"the same without the PDF (`--no-pdf`, as the live preview builds) = {note_no_pdf:.2f} (median of each "
         f"run's ratio {note_no_pdf_per_run:.2f})", note_no_pdf <= TARGETS["note / full data edit"],
         f"≤ {TARGETS['note / full data edit']}"),
        (f"prose edit, as the live preview builds = {preview.median('wall'):.2f} s (with `jinchang build`, PDFs "
         f"printed: {prose.median('wall'):.2f} s); Figures page rewritten in {rewritten} of "
         f"{len(prose.runs) + len(preview.runs)} runs",
         preview.median("wall") <= TARGETS["prose edit (s)"] and not rewritten,
         f"≤ {TARGETS['prose edit (s)']} s, not rewritten"),
        (f"clean build of the web book (`--no-pdf`: both editions) / floor = {web:.2f} (median of each "
         f"run's ratio {web_per_run:.2f})", web <= TARGETS["clean / floor"], f"≤ {TARGETS['clean / floor']}"),
        (f"what the PDFs add: clean build / clean build without the PDF = {no_pdf:.2f} (median of each run's ratio "
         f"{no_pdf_per_run:.2f}; CPU time {scenarios['clean'].median('cpu') / scenarios['clean, no PDF'].median('cpu'):.2f})",
         no_pdf <= TARGETS["clean / clean without PDF"], f"≤ {TARGETS['clean / clean without PDF']}"),
        (f"the whole clean build, both PDFs printed / floor = {clean:.2f} (median of each run's ratio {per_run:.2f}; "
         f"CPU time {scenarios['clean'].median('cpu') / scenarios['floor'].median('cpu'):.2f})",
         clean <= WHOLE, f"≤ {WHOLE:.2f}, the two targets above multiplied"),
        (f"clean build of both editions / of the English edition alone = {english:.2f} (median of each run's "
         f"ratio {english_per_run:.2f})", english <= TARGETS["clean / clean English only"],
         f"≤ {TARGETS['clean / clean English only']}"),
        (f"no-change rebuild = {no_change:.2f} s", no_change <= TARGETS["no change (s)"], f"≤ {TARGETS['no change (s)']} s"),
        (f"peak memory of any scenario = {peak_pss:.0f} MB proportional, what the build takes from the machine "
         f"({peak:.0f} MB resident, which counts a page that forked processes share once per process)",
         peak_pss < TARGETS["peak memory (MB)"], "< 1.5 GB"),
    ]
    return "\n".join(f"- {text}: {'meets' if ok else 'MISSES'} the target ({target})" for text, ok, target in checks)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="runs per scenario (default 3)")
    parser.add_argument("--report", type=Path, default=ROOT / "bench" / "REPORT-build.md", help="where to write the table")
    parser.add_argument("--execute-notebooks", type=Path, metavar="ROOT", help=argparse.SUPPRESS)
    parser.add_argument("--english-build", type=Path, metavar="ROOT", help=argparse.SUPPRESS)
    parser.add_argument("--preview-build", type=Path, metavar="ROOT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.preview_build:
        preview_build(args.preview_build)
    if args.execute_notebooks:
        execute_notebooks(args.execute_notebooks)
        return 0
    if args.english_build:
        english_build(args.english_build)
        return 0
    scenarios = {name: Scenario(name, what) for name, what in SCENARIOS.items()}
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="jinchang-bench-") as folder:
        workspace = Path(folder)
        snapshot = copy_project(workspace / "snapshot")  # one snapshot: edits elsewhere do not leak in
        for number in range(1, args.runs + 1):
            run(snapshot, workspace, scenarios, number)
    load_after = os.getloadavg()
    report = "\n\n".join([
        "# Build benchmark",
        f"Command: `.venv/bin/python bench/build.py --runs {args.runs}` (or `make bench`), {time.strftime('%Y-%m-%d')}, on {platform.machine()} with "
        f"{os.cpu_count()} cores, Python {platform.python_version()}. Load average (1 min) "
        f"{load_before[0]:.1f} before and {load_after[0]:.1f} after: other work on the machine slows every row.",
        table(scenarios),
        breakdown(scenarios["clean"]),
        cpu_parts(scenarios["clean"], scenarios["floor"]),
        verdicts(scenarios),
    ]) + "\n"
    print(report)
    args.report.write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
