"""Build the book strictly into a staging folder, and publish it only if the whole build succeeded.

The staging folder keeps Sphinx's doctrees and the execution cache between builds, so an
unchanged rebuild is quick; ``_build/html`` is replaced only after a build with no error
and no warning, so a failed build leaves the previous site as it was. A build whose inputs
are those of the published site (same files, packages and settings) returns at once.

One build at a time: a lock on ``_build/.lock`` covers the whole build, staging and
publishing; a second build waits for it. ``_build/html`` is a symbolic link to a complete
site folder beside it (``_build/.html-<time>``): publishing copies the new site into a new
folder and swaps the link with one atomic rename, so a reader, or a crash at any moment,
finds the old site or the new one, never none and never a mix. Folders a crash left behind
are removed by the next build.
"""

from __future__ import annotations

import fcntl
import hashlib
import multiprocessing
import os
import shutil
import sys
import sysconfig
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager, redirect_stderr
from pathlib import Path

import yaml

from . import collector, dependencies, forkserver, paths, pdf, progress
from .editions import EDITIONS, ENGLISH, Edition, config
from .errors import BookError, from_os_error

STAGE = paths.BUILD / ".stage"
PUBLISHED = paths.BUILD / "html"
STAMP = "inputs.sha256"  # in the stage: the inputs of the published site
LOG = "build.log"  # beside the published site: everything the last build wrote
CACHE = ".jupyter_cache"  # in each edition's stage: its execution cache (myst-nb's usual place)
ANCHORS = "anchors.json"  # in the stage: the English sections' anchors, which the other editions take
# Folders that hold builds, caches or environments, not inputs.
NOT_INPUTS = {".git", ".venv", "_build", "node_modules", "__pycache__", ".pytest_cache", ".hypothesis",
              ".ipynb_checkpoints"}


class BuildFailed(BookError):
    hint = "Fix what the messages above name, then build again."


def sphinx_build(edition: Edition, out: Path, *, fresh: bool = False,
                 warnings: list[str] | None = None) -> int | BaseException:
    """Run Jupyter Book's Sphinx build of ``edition`` into ``out`` with warnings as errors; return
    Sphinx's status, or the exception that stopped it (Jupyter Book returns it). Sphinx's warnings
    are added to ``warnings``."""
    from jupyter_book.sphinx import build_sphinx
    from sphinx.util.console import nocolor

    from .sphinxext.translations import forget_other_runs

    if not sys.stdout.isatty():
        nocolor()  # no colour codes in the log file

    out.mkdir(parents=True, exist_ok=True)
    settings = out / "_config.yml"  # the edition's whole configuration, merged (see jinchang.editions)
    settings.write_text(yaml.safe_dump(config(edition), allow_unicode=True, sort_keys=True), encoding="utf-8")
    recorded = progress.Recorded(sys.stderr)
    forget_other_runs()
    with redirect_stderr(recorded):  # Jupyter Book gives Sphinx sys.stderr as its warning stream
        status = build_sphinx(
            str(edition.source), str(out / "html"), doctreedir=str(out / "doctrees"),
            noconfig=True, path_config=str(settings),
            confoverrides={"external_toc_path": str(edition.toc), "nitpicky": True,
                           "latex_individualpages": False, "jinchang_edition": edition.code,
                           "jinchang_anchors": str(out.parent / ANCHORS), "jinchang_templates": templates_digest(),
                           "nb_execution_cache_path": str(out / CACHE)},
            warningiserror=True, keep_going=True, freshenv=fresh,
        )
    if status != 0:
        # Sphinx saves its environment even when a warning failed the build, and reads again only the
        # pages changed since: removed, the next build reads every page again, and fails again.
        (out / "doctrees" / "environment.pickle").unlink(missing_ok=True)
    if warnings is not None:
        warnings += recorded.lines
    return status


@contextmanager
def locked(build_dir: Path = paths.BUILD) -> Iterator[None]:
    """Hold the build lock of ``build_dir``; wait, saying so, while another build holds it.
    The lock is the kernel's (flock): it goes with the process, however the process ends."""
    build_dir.mkdir(parents=True, exist_ok=True)
    with open(build_dir / ".lock", "a+", encoding="utf-8") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.seek(0)
            holder = lock.read().strip() or "another process"
            print(f"waiting for the build already running in {paths.relative(build_dir)} ({holder}) to finish",
                  file=sys.stderr, flush=True)
            fcntl.flock(lock, fcntl.LOCK_EX)
        lock.truncate(0)
        lock.write(f"process {os.getpid()}")
        lock.flush()
        yield


def _versions(target: Path) -> list[Path]:
    """Complete site folders beside ``target``, oldest first (their names carry the time of publishing)."""
    return sorted(p for p in target.parent.glob(f".{target.name}-*") if p.is_dir() and p.suffix != ".partial")


def _remove(path: Path) -> None:
    """Remove a file, link or folder tree, even one made read-only; warn, and go on, when that fails."""
    def writable_then_retry(function, name, _):
        for folder in {os.path.dirname(name), *([name] if os.path.isdir(name) else [])}:
            os.chmod(folder, 0o755)
        function(name)

    try:
        if path.is_symlink() or path.is_file():
            path.unlink()
        elif path.exists():
            shutil.rmtree(path, onerror=writable_then_retry)
    except OSError as error:
        print(f"warning: could not remove {paths.relative(path)} ({error.strerror}); the next build tries again",
              file=sys.stderr)


def _point(target: Path, site: Path) -> None:
    """Make ``target`` a link to ``site`` in one atomic step (a rename over the old link)."""
    link = target.with_name(f".{target.name}.link")
    _remove(link)
    os.symlink(site.name, link)
    os.replace(link, target)


def _current(target: Path) -> Path | None:
    """The site folder ``target`` links to, if it links to one that exists."""
    return target.parent / os.readlink(target) if target.is_symlink() and target.exists() else None


def recover(target: Path = PUBLISHED) -> None:
    """Repair what an interrupted build left: a site published as a plain folder (before links were
    used) or no link at all, links and folders of builds that did not finish, sites no link points to."""
    if target.is_dir() and not target.is_symlink():
        os.rename(target, target.with_name(f".{target.name}-{time.time_ns()}"))
    versions = _versions(target)
    if _current(target) is None and versions:  # a crash between the two steps above, or a removed link
        _point(target, versions[-1])
    for leftover in (*target.parent.glob(f".{target.name}-*"), target.with_name(f".{target.name}.link"),
                     target.with_name(target.name + ".new"), target.with_name(target.name + ".old")):
        if leftover != _current(target) and (leftover.exists() or leftover.is_symlink()):
            _remove(leftover)


@contextmanager
def new_site(target: Path = PUBLISHED) -> Iterator[Path]:
    """An empty folder to fill with a whole site; when the block ends without error, the site
    replaces ``target`` at once, and the site it replaced is removed."""
    recover(target)
    site = target.with_name(f".{target.name}-{time.time_ns()}")
    partial = site.with_suffix(".partial")
    partial.mkdir()
    try:
        yield partial
    except BaseException:
        _remove(partial)
        raise
    os.rename(partial, site)
    previous = _current(target)
    _point(target, site)
    if previous is not None:
        _remove(previous)


def _unchanged(staged: os.stat_result, published: Path) -> bool:
    try:
        found = published.stat()
    except FileNotFoundError:
        return False
    return (found.st_size, found.st_mtime_ns) == (staged.st_size, staged.st_mtime_ns)  # copy2 kept the time


def copy_site(staged: Path, site: Path, previous: Path | None = None) -> None:
    """Copy a site Sphinx built, less ``.buildinfo`` (its record of the configuration, absolute paths
    included); stops at the first error (copytree would go on and report them all at the end). A file
    that ``previous``, the site published before, holds as it was staged is linked to it instead: a
    published site is never written to, only removed."""
    for folder, _, names in os.walk(staged):
        relative = Path(folder).relative_to(staged)
        into = site / relative
        into.mkdir(exist_ok=True)
        for name in names:
            if name == ".buildinfo":
                continue
            source, old = Path(folder, name), previous / relative / name if previous else None
            if old is not None and _unchanged(source.stat(), old):
                try:
                    os.link(old, into / name)
                    continue
                except OSError:  # a file system without hard links: copied
                    pass
            shutil.copy2(source, into / name)


def publish(staged: Path, target: Path = PUBLISHED) -> None:
    """Publish the site built in ``staged`` as ``target``, atomically."""
    previous = _current(target)
    with new_site(target) as site:
        copy_site(staged, site, previous)


def publish_editions(stage: Path, target: Path = PUBLISHED) -> None:
    """Publish the editions built in ``stage`` as one site at ``target``, atomically: the English
    edition at its root, each other edition in its folder."""
    previous = _current(target)
    with new_site(target) as site:
        for edition in EDITIONS:
            copy_site(stage / edition.code / "html", site / edition.folder,
                      previous / edition.folder if previous else None)


def _files(folder: Path):
    for parent, folders, names in os.walk(folder):
        folders[:] = sorted(f for f in folders if f not in NOT_INPUTS and not f.endswith(".egg-info")
                            and Path(parent, f) != paths.BUILD)
        yield from (p for p in map(Path, (parent,) * len(names), sorted(names)) if p.is_file())  # not sockets


def templates_digest() -> str:
    """What the page templates hold. Sphinx writes a page again when a template is newer than it, which
    a template moved, or restored, with its old time is not: given to Sphinx as a setting that rewrites
    every page when it changes, the digest makes a changed template always do so."""
    digest = hashlib.sha256()
    for path in _files(paths.ROOT / "_templates"):
        digest.update(f"{path.relative_to(paths.ROOT).as_posix()}\0".encode() + path.read_bytes())
    return digest.hexdigest()


def _inputs() -> Iterator[tuple[Path, Path]]:
    """(folder, file) for every file of the project, and of the package wherever it is imported from."""
    package = Path(__file__).parent
    for folder in (paths.ROOT, *([] if package.is_relative_to(paths.ROOT) else [package])):
        for path in _files(folder):
            yield folder, path


class Fonts:
    """The PDFs' fonts, converted for every character of the project's text files (a superset of what
    either edition prints), in a process of its own: each edition's print fonts are subset from them
    instead of converted, later, when both cores are busy (see jinchang.pdf.prepare). When the process
    fails, the fonts are not there, and each edition converts its own. Forked before any thread of the
    build, it converts at ``idle()``: when the Chinese edition waits for the English anchors, a core is
    idle, while both run chapters before (the conversion takes two seconds of a core); or when the
    fonts are needed."""

    def __init__(self, folder: Path) -> None:
        context = multiprocessing.get_context("fork")
        self._folder, self._go = folder, context.Event()
        self._process = context.Process(target=self._convert, name="jinchang-fonts", daemon=True)
        self._process.start()

    def idle(self) -> None:
        self._go.set()

    def _convert(self) -> None:
        from .pdf.fonts import truetype

        self._go.wait()
        characters: set[str] = set()
        for _, path in _inputs():
            try:
                characters |= set(path.read_bytes().decode())
            except UnicodeDecodeError:  # not a text file
                continue
        truetype("".join(characters), self._folder)

    def __enter__(self) -> Fonts:
        return self

    def __exit__(self, *_) -> None:
        """Stopped if not ended: when no PDF was printed, or the build failed. Left waiting, it would
        hold the build's files open (a pipe its caller reads to the end, for one)."""
        self._process.terminate()
        self._process.join()

    def ready(self) -> Path:
        """Their folder, once the process has ended."""
        self.idle()
        self._process.join()
        return self._folder


def pages(edition: Edition) -> set[Path]:
    """The files only ``edition`` reads: its table of contents and the pages it lists."""
    def files(entries) -> Iterator[str]:
        for entry in entries if isinstance(entries, list) else [entries]:
            if isinstance(entry, dict):
                yield from ([entry["file"]] if "file" in entry else [])
                for key in ("parts", "chapters", "sections"):
                    yield from files(entry.get(key, []))

    toc = yaml.safe_load(edition.toc.read_text(encoding="utf-8"))
    return {edition.toc, edition.source / f"{toc['root']}.md",
            *(edition.source / f"{name}.md" for name in files(toc))}


def inputs_digest(target: Path, edition: Edition | None = None) -> str:
    """sha256 of what a build reads: the project's files (the package wherever it is imported
    from), the installed distributions, the Python version, JINCHANG_* settings and the target.
    For one ``edition``: less the pages of the other editions."""
    digest = hashlib.sha256()
    others = set().union(*(pages(e) for e in EDITIONS if e != edition)) if edition else set()
    for folder, path in _inputs():
        if path not in others:
            digest.update(f"{path.relative_to(folder).as_posix()}\0".encode() + path.read_bytes())
    installed = sorted(os.listdir(sysconfig.get_paths()["purelib"]))  # dist-info names carry versions
    settings = sorted((k, v) for k, v in os.environ.items() if k.startswith("JINCHANG_") or k == "SOURCE_DATE_EPOCH")
    # the commit's date is printed in the PDF
    digest.update(repr((installed, sys.version, settings, str(target), pdf.source_date())).encode())
    return digest.hexdigest()


@contextmanager
def printing(target: Path, report: progress.Progress,
             fonts: Fonts | None) -> Iterator[Callable[[Edition, Path], None]]:
    """``print_edition(edition, site)`` prints the PDF of ``edition``, built in ``site``, in the
    background (see jinchang.pdf), from the print document it writes with ``fonts``; Chromium starts
    while the first document is written. The block ends when every PDF is printed. A PDF that fails
    fails the build. Without ``fonts`` (a build without the PDF), the site is left without its PDF
    (not with an older one)."""
    if fonts is None:
        yield lambda _edition, site: (site / pdf.FILENAME).unlink(missing_ok=True)
        return

    def print_edition(edition: Edition, site: Path) -> None:
        printer.start()
        printer.submit(pdf.prepare(edition, site, fonts.ready()))

    with pdf.Printer() as printer:
        try:
            yield print_edition
            with report.phase("printing the PDFs"):
                printer.wait()
        except pdf.PrintError as error:
            raise BuildFailed(f"the PDF failed: {error}; {paths.relative(target)} was left as it was",
                              error.hint) from error


def build(*, fresh: bool = False, verbose: bool = False, with_pdf: bool = True, stage: Path = STAGE,
          target: Path = PUBLISHED) -> Path:
    """Validate the data, build into ``stage``, publish to ``target``, holding the build lock.
    Raises BuildFailed, DataError, or OSError when the machine fails (a full disk, no permission).

    The terminal shows one line per phase and a last line saying what was published; the rest
    goes to ``build.log`` beside ``target`` (to the terminal as well with ``verbose``).
    When nothing was changed since ``target`` was published, there is nothing to do: the stamp in
    ``stage`` records the inputs of the published site (``fresh`` builds anyway). Without ``with_pdf``
    (the live preview's quicker build), the site is published without its PDFs; the next build
    with them prints them (or copies the last ones printed from the same pages)."""
    started = time.perf_counter()
    collector.tune()  # for the build's processes, and those it forks
    with locked(target.parent):
        stamp, inputs = stage / STAMP, inputs_digest(target) + _without(with_pdf)
        if not fresh and (target / "index.html").is_file() and stamp.is_file() and stamp.read_text() == inputs:
            print(f"up to date: {paths.relative(target.parent)}/{target.name} already holds this book")
            return target
        stamp.unlink(missing_ok=True)
        log = target.parent / LOG
        with progress.logged(log, verbose=verbose) as report:
            _build_editions(report, fresh, with_pdf, stage, target, log if not verbose else None)
        stamp.write_text(inputs)
        where = f"{paths.relative(target.parent)}/{target.name}/index.html"  # the link, not the folder it points to
        print(f"published {', '.join(e.name for e in EDITIONS)}{_without(with_pdf)} to {where} "
              f"in {time.perf_counter() - started:.1f} s" + ("" if verbose else f"; full log in {paths.relative(log)}"))
        return target


def _without(with_pdf: bool) -> str:
    """What the stamp of the published site adds for a build without the PDFs, and the last line says."""
    return "" if with_pdf else " without the PDF"


def _with_anchors(edition: Edition, inputs: str, stage: Path) -> str:
    """The inputs of ``edition``'s build: those of an edition other than English include the English
    sections' anchors, which it takes."""
    if edition != ENGLISH and (stage / ANCHORS).is_file():
        inputs += hashlib.sha256((stage / ANCHORS).read_bytes()).hexdigest()
    return inputs


def _checked(edition: Edition, status: int | BaseException, warnings: list[str], report: progress.Progress,
             target: Path, log: Path | None) -> None:
    """Raise the error of an edition's build that did not succeed, its warnings shown."""
    if isinstance(status, OSError) and from_os_error(status):
        raise status  # the machine's fault, reported as such
    if status != 0:
        for line in warnings:
            report.line(line.replace(f"{paths.ROOT}/", ""))
        reason = f"status {status}" if isinstance(status, int) else status
        raise BuildFailed(f"the {edition.name} edition failed ({reason}); {paths.relative(target)} was left as it was"
                          + (f"; full log in {paths.relative(log)}" if log else ""))


def _sphinx_build(edition: Edition, out: Path, fresh: bool, report: progress.Progress) -> tuple:
    """``sphinx_build``, its phases reported under the edition's name: its status and warnings."""
    previous, report.prefix = report.prefix, f"{edition.name}: "
    warnings: list[str] = []
    try:
        return sphinx_build(edition, out, fresh=fresh, warnings=warnings), warnings
    finally:
        report.prefix = previous


class Apart:
    """An edition built in a process of its own, when the editions are built side by side, one per
    core. The English build tells the others when its sections' anchors are written; another edition
    executes its chapters at once, and waits for those anchors before it reads its pages (see
    ``jinchang.sphinxext.edition``). The English edition is built apart too, so that the build's own
    process never holds a Sphinx build's memory: it ends with its process, before the PDFs print.

    Started before any thread of the build (a fork copies only the thread that forks)."""

    def __init__(self, edition: Edition, out: Path, fresh: bool, report: progress.Progress,
                 others: Sequence[Apart] = (), idle: Callable[[], None] | None = None) -> None:
        context = multiprocessing.get_context("fork")
        self.edition, self.written, self.abandoned = edition, context.Event(), context.Event()
        self._idle = idle  # called when it starts waiting for the English anchors: a core is idle
        self._result, send = context.Pipe(duplex=False)
        out.mkdir(parents=True, exist_ok=True)
        self._log = out / LOG
        self._process = context.Process(target=self._run, args=(out, fresh, report, send, others),
                                        name=f"jinchang-{edition.code}")
        self._process.start()
        send.close()

    def _run(self, out: Path, fresh: bool, report: progress.Progress, send, others: Sequence[Apart]) -> None:
        """In the process of its own: build, and send back Sphinx's status and its warnings."""
        from .sphinxext import edition as links

        report.live = False  # one line per phase: the other edition's lines are drawn meanwhile
        report.prefix = f"{self.edition.name}: "
        sys.stdout.flush()
        sys.stderr.flush()
        with open(self._log, "w", encoding="utf-8") as log:  # whole, once the build has ended (see result)
            os.dup2(log.fileno(), 1)
            os.dup2(log.fileno(), 2)
        links.anchors_written = [other.written.set for other in others]
        links.await_anchors = self._await_anchors
        try:
            status, warnings = _sphinx_build(self.edition, out, fresh, report)
        except BaseException as error:  # noqa: BLE001 - the parent reports it
            status, warnings = error, []
        if isinstance(status, BaseException) and not isinstance(status, OSError):
            status = f"{type(status).__name__}: {status}"  # what pickles of any exception
        send.send((status, warnings))

    def _await_anchors(self) -> None:
        if self._idle is not None:
            self._idle()
        while not self.written.wait(0.2):
            if self.abandoned.is_set():
                raise BuildFailed("the English edition failed")

    def result(self) -> tuple[int | BaseException | str, list[str]]:
        """Its Sphinx status (or error) and warnings, once it has ended."""
        try:
            outcome = self._result.recv()
        except EOFError:  # it died without a word (killed)
            outcome = (f"its process ended with status {self._process.exitcode}", [])
        self._process.join()
        if self._log.is_file():  # its output, to where the build's goes (the build's log)
            sys.stdout.write(self._log.read_text(encoding="utf-8"))
            sys.stdout.flush()
        return outcome


@contextmanager
def _shared_server(editions: Sequence[Edition]) -> Iterator[None]:
    """One kernel server for the editions built side by side, started before their builds: it preloads
    while they start, once for both (see ``jinchang.forkserver``), and stops when both have executed
    their chapters, or found none to execute."""
    if len(editions) < 2:
        yield
        return
    print(f"[jinchang] one kernel server for {', '.join(e.name for e in editions)}: a chapter may be due", flush=True)
    with forkserver.Server(users=len(editions)) as forkserver.shared:
        try:
            yield
        finally:
            forkserver.shared = None


def _build_editions(report: progress.Progress, fresh: bool, with_pdf: bool, stage: Path, target: Path,
                    log: Path | None) -> None:
    with ExitStack() as stack:
        fonts = stack.enter_context(Fonts(stage / "fonts")) if with_pdf else None  # first: a fork
        files = {e: inputs_digest(target, e) for e in EDITIONS}  # before building: an edit meanwhile is not built

        def due(edition: Edition) -> bool:
            stamp = stage / edition.code / STAMP
            return fresh or not stamp.is_file() or stamp.read_text() != _with_anchors(edition, files[edition], stage)

        todo = [e for e in EDITIONS if due(e)]
        apart = [e for e in todo if e != ENGLISH] if ENGLISH in todo else []
        # Started before the data are validated, and before pandas is imported here: it preloads meanwhile.
        # Not when no chapter can be due (an edit to what no chapter reads): it would take a core from
        # the builds for nothing.
        sharing = [ENGLISH, *apart] if apart else []
        now = dependencies.current() if sharing else {}
        if not all(dependencies.settled(stage / e.code / CACHE, now) for e in sharing):
            stack.enter_context(_shared_server(sharing))
        from .data import tables  # only now: pandas takes a second to import

        with report.phase("validating data"):
            tables()  # bad data stops here, before any notebook runs
        for edition in todo:
            (stage / edition.code / STAMP).unlink(missing_ok=True)
        idle = fonts.idle if fonts else None
        beside = [Apart(e, stage / e.code, fresh, report, idle=idle) for e in apart]
        if idle and not beside:
            idle()  # no edition waits for another: no core is sure to be idle before the PDFs
        english = Apart(ENGLISH, stage / ENGLISH.code, fresh, report, beside) if beside else None
        report.live = report.live and not beside
        built: list[Edition] = []
        with printing(target, report, fonts) as print_edition:
            def done(edition: Edition, status, warnings: list[str]) -> None:
                _checked(edition, status, warnings, report, target, log)
                print_edition(edition, stage / edition.code / "html")
                built.append(edition)

            try:
                if english is not None:
                    done(ENGLISH, *english.result())
                else:
                    for edition in todo:
                        done(edition, *_sphinx_build(edition, stage / edition.code, fresh, report))
            finally:
                for other in beside:
                    other.abandoned.set()  # when the English build failed: no anchors are coming
                    outcome = other.result()
                    if ENGLISH in built:
                        done(other.edition, *outcome)
            for edition in EDITIONS:  # its pages unchanged, but the English anchors it takes changed
                if edition not in todo and ENGLISH in built and due(edition):
                    done(edition, *_sphinx_build(edition, stage / edition.code, fresh, report))
            # An edition left unchanged: its PDF left out, or put back after a build without it.
            for edition in [e for e in EDITIONS if e not in built]:
                site = stage / edition.code / "html"
                if not with_pdf or not (site / pdf.FILENAME).is_file():
                    print_edition(edition, site)
    for edition in EDITIONS:
        if edition in built:  # only once its PDF is printed too
            (stage / edition.code / STAMP).write_text(_with_anchors(edition, files[edition], stage))
        else:
            report.line(f"{edition.name}: unchanged")  # an edit to the other edition's pages only
    with report.phase("publishing"):
        publish_editions(stage, target)
