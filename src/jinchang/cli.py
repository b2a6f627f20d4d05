"""Command line: ``jinchang validate`` checks the data; ``jinchang build`` builds and publishes the book."""

from __future__ import annotations

import argparse
import sys
import threading

from .errors import DataError


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
    from .build import BuildFailed, build

    try:
        site = build(fresh=args.fresh)
    except BuildFailed as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"built: {site}/index.html")
    return 0


def _bib(_: argparse.Namespace) -> int:
    from .bibliography import write

    print(f"wrote {write()}")
    return 0


def _serve(args: argparse.Namespace) -> int:
    from . import paths
    from .serve import served

    with served(paths.BUILD / "html", compress=True, port=args.port) as url:
        print(f"serving {paths.relative(paths.BUILD / 'html')} at {url} (Ctrl+C to stop)")
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="jinchang", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("validate", help="validate data/ and report numeral coverage").set_defaults(run=_validate)
    commands.add_parser("bib", help="rewrite references.bib from the data").set_defaults(run=_bib)
    build = commands.add_parser("build", help="build the book strictly; publish _build/html only on success")
    build.add_argument("--fresh", action="store_true", help="re-read every page (executed outputs stay cached)")
    build.set_defaults(run=_build)
    serve = commands.add_parser("serve", help="serve the built book on 127.0.0.1 for reading")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(run=_serve)
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except DataError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
