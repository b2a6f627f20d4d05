"""Serve a built site on 127.0.0.1: for reading the book, for the browser tests and for the benchmark."""

from __future__ import annotations

import functools
import gzip
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from pathlib import Path

COMPRESSIBLE = ("text/", "application/javascript", "application/json", "application/xml", "image/svg+xml")


class QuietHandler(SimpleHTTPRequestHandler):
    """Static files, without a log line per request."""

    def log_message(self, format: str, *args) -> None:
        pass


class GzipHandler(QuietHandler):
    """Static files, gzip-compressed for clients that accept it, as a web host would serve them."""

    def send_head(self):
        path = Path(self.translate_path(self.path))
        kind = self.guess_type(str(path))
        if not (path.is_file() and kind.startswith(COMPRESSIBLE) and "gzip" in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
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
def served(folder: Path, *, compress: bool = False, port: int = 0) -> Iterator[str]:
    """``folder`` served on 127.0.0.1 (any free port by default); yields the base URL."""
    handler = GzipHandler if compress else QuietHandler
    server = QuietServer(("127.0.0.1", port), functools.partial(handler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
