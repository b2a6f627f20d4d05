"""Command line: ``jinchang validate`` checks the data; ``jinchang build`` builds and publishes the book.

Every problem the user can fix (bad data, a failed build, a full disk, a busy port) ends the
command with one message saying where and what to do; a traceback means a bug in the book's code.
"""

from __future__ import annotations

import argparse
import atexit
import os
import sys
import threading
from typing import NoReturn

from .errors import BookError, from_os_error


def _validate(_: argparse.Namespace) -> int:
    from . import data

    tables = data.tables()
    uncovered = data.uncovered_numerals()
    for line in uncovered:
        print(f"numeral neither claimed nor excluded: {line}", file=sys.stderr)
    print(f"data valid: {len(tables.claims)} claims, {len(tables.exclusions)} exclusions, "
          f"{len(tables.context)} context rows; {len(tables.article.numerals) - len(uncovered)} of "
          f"{len(tables.article.numerals)} numerals accounted for")
    return 1 if uncovered else 0


def _build(args: argparse.Namespace) -> int:
    from .build import build

    build(fresh=args.fresh, verbose=args.verbose, with_pdf=not args.no_pdf)
    return 0


def _bib(_: argparse.Namespace) -> int:
    from .bibliography import write

    print(f"wrote {write()}")
    return 0


def _serve(args: argparse.Namespace) -> int:
    from . import paths
    from .serve import served

    if not (paths.BUILD / "html" / "index.html").is_file():
        raise BookError(f"nothing to serve: {paths.relative(paths.BUILD / 'html')} holds no built book",
                        "Build it first with `jinchang build` (or `make book`).")
    if args.watch:
        from .preview import previewing

        with previewing(port=args.port) as (url, _):
            print(f"previewing {paths.relative(paths.BUILD / 'html')} at {url}: rebuilt on every save, "
                  "the open page reloaded (Ctrl+C to stop)", flush=True)
            return _wait()
    with served(paths.BUILD / "html", compress=True, port=args.port) as url:
        print(f"serving {paths.relative(paths.BUILD / 'html')} at {url} (Ctrl+C to stop)")
        return _wait()


def _wait() -> int:
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    return 0


def _in_utf8_mode() -> None:
    """Run again in Python's UTF-8 mode when the locale's encoding is not UTF-8 (LANG=C with locale
    coercion off, a Latin-1 locale): the book's files, paths and text are UTF-8, and Sphinx and the
    notebook kernels would otherwise read and write them in the locale's encoding."""
    if sys.flags.utf8_mode or sys.getfilesystemencoding().lower().replace("-", "") == "utf8":
        return
    os.execve(sys.executable, [sys.executable, "-X", "utf8", *sys.orig_argv[1:]], {**os.environ, "PYTHONUTF8": "1"})


def _report(problem: BookError) -> int:
    print(f"error: {problem}", file=sys.stderr)
    if problem.hint:
        print(f"  {problem.hint}", file=sys.stderr)
    return problem.status


def main(argv: list[str] | None = None) -> int:
    """Run the command of ``argv``, and return its status; without ``argv``, the command line's, and
    end the process."""
    if argv is not None:
        return _run(argv)
    _in_utf8_mode()
    _exit(_run(None))


def _exit(status: int) -> NoReturn:
    """End the process at once, once the exit handlers have run and the output is flushed. A build
    leaves a large heap (Sphinx's environment, pandas, matplotlib), which Python would otherwise free
    object by object before the process ends: a second or more after the last line, for nothing."""
    atexit._run_exitfuncs()  # noqa: SLF001 - what a normal exit runs first
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


def _run(argv: list[str] | None) -> int:
    parser = argparse.ArgumentParser(prog="jinchang", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("validate", help="validate data/ and report numeral coverage").set_defaults(run=_validate)
    commands.add_parser("bib", help="rewrite references.bib from the data").set_defaults(run=_bib)
    build = commands.add_parser("build", help="build the book strictly; publish _build/html only on success")
    build.add_argument("--fresh", action="store_true", help="re-read every page (executed outputs stay cached)")
    build.add_argument("--verbose", action="store_true", help="show the full log (Sphinx, kernels) as well as the phases")
    build.add_argument("--no-pdf", action="store_true",
                       help="publish the site without its PDF, sooner (the live preview's build)")
    build.set_defaults(run=_build)
    serve = commands.add_parser("serve", help="serve the built book on 127.0.0.1 for reading")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--watch", action="store_true", help="rebuild on every save and reload the open page")
    serve.set_defaults(run=_serve)
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except BookError as problem:
        return _report(problem)
    except OSError as error:
        if (problem := from_os_error(error)) is None:
            raise  # not the machine's fault: a bug, shown with its traceback
        return _report(problem)
    except KeyboardInterrupt:
        print(f"interrupted: jinchang {args.command} stopped", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
