"""Serve a built site on 127.0.0.1: for reading the book, for the browser tests and for the benchmark.

Every request gets an HTTP answer: a path the file system cannot take (a NUL byte, bytes that
are not UTF-8, a name longer than the file system allows) is a bad request, not a crash.
"""

from __future__ import annotations

import errno
import functools
import gzip
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from pathlib import Path

from .errors import OS_HINTS, BookError

COMPRESSIBLE = ("text/", "application/javascript", "application/json", "application/xml", "image/svg+xml")


class QuietHandler(SimpleHTTPRequestHandler):
    """Static files, without a log line per request; a path no file can have gets 400, 404 or 414."""

    def log_message(self, format: str, *args) -> None:
        pass

    def send_head(self):
        try:
            os.stat(self.translate_path(self.path))
        except ValueError:  # a NUL byte, or a name the file system cannot encode
            self.send_error(400, "Bad request: the path cannot name a file")
            return None
        except OSError as error:  # a missing file is answered 404 below
            if error.errno == errno.ENAMETOOLONG:
                self.send_error(414, "A name in the path is longer than a file name can be")
                return None
        return self.send_file_head()

    def send_file_head(self):
        return super().send_head()


class GzipHandler(QuietHandler):
    """Static files, gzip-compressed for clients that accept it, as a web host would serve them."""

    def send_file_head(self):
        path = Path(self.translate_path(self.path))
        kind = self.guess_type(str(path))
        if not (path.is_file() and kind.startswith(COMPRESSIBLE) and "gzip" in self.headers.get("Accept-Encoding", "")):
            return super().send_file_head()
        body = _gzip(path, path.stat().st_mtime_ns)
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return BytesIO(body)


@functools.lru_cache(maxsize=None)
def _gzip(path: Path, mtime_ns: int) -> bytes:  # mtime_ns: a changed file is compressed again
    return gzip.compress(path.read_bytes(), compresslevel=9, mtime=0)


class QuietServer(ThreadingHTTPServer):
    """A threaded server that says nothing when a client hangs up before an answer is sent."""

    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextmanager
def served(folder: Path, *, compress: bool = False, port: int = 0,
           handler: type[QuietHandler] | None = None) -> Iterator[str]:
    """``folder`` served on 127.0.0.1 (any free port by default) by ``handler``; yields the base URL."""
    handler = handler or (GzipHandler if compress else QuietHandler)
    try:
        server = QuietServer(("127.0.0.1", port), functools.partial(handler, directory=str(folder)))
    except OSError as error:
        raise BookError(f"cannot serve on 127.0.0.1, port {port}: {error.strerror}",
                        OS_HINTS.get(error.errno, "Choose another port with --port.")) from None
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
