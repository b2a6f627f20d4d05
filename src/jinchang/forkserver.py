"""Kernels forked from one process that has already imported what the chapters import.

Starting a kernel and importing IPython, pandas, matplotlib and the book's package take seconds,
once per chapter. Here a server process imports them, and validates the data, once per build;
each kernel is a fork of it. The kernel manager still starts one process per kernel, but a small
one (this module run with the kernel's arguments: the standard library only) that hands its
arguments, working folder, environment and standard streams to the server. The server forks a
kernel with them; the small process forwards signals to it, waits for its end and exits with its
status. When the small process dies first (killed by the kernel manager), the server kills the
kernel. The kernels are ipykernel's own: each chapter's outputs are those of a fresh kernel.

    python -m jinchang.forkserver --serve SOCKET   # the server: preloads, then forks on request
    python -m jinchang.forkserver -f CONNECTION    # a kernel, through the server at $JINCHANG_FORKSERVER

A build of both editions starts one server before the editions' builds (``Server``): it preloads
while they start, and serves the kernels of both (``shared``).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager

VARIABLE = "JINCHANG_FORKSERVER"
# What chapters import, with the matplotlib backend a kernel would choose (ipykernel sets it so).
PRELOAD = ("IPython", "ipykernel.kernelapp", "matplotlib.pyplot", "pandas", "myst_nb", "jinchang.computed",
           "jinchang.factcheck", "jinchang.bounds", "jinchang.geo", "jinchang.charts.clusters", "jinchang.charts.parks",
           "jinchang.charts.environment", "jinchang.charts.context", "jinchang.charts.maps")
FORWARDED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT)


def _lines(connection: socket.socket) -> str:
    data = b""
    while not data.endswith(b"\n"):
        chunk = connection.recv(4096)
        if not chunk:
            raise ConnectionError("the other end closed the connection")
        data += chunk
    return data.decode()


# --- the small process the kernel manager starts ---------------------------------------------------

def kernel(argv: list[str]) -> int:
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    connection.connect(os.environ[VARIABLE])
    request = json.dumps({"argv": argv, "cwd": os.getcwd(), "env": dict(os.environ)}).encode() + b"\n"
    socket.send_fds(connection, [request], [0, 1, 2])
    pid = int(_lines(connection))
    for number in FORWARDED:
        signal.signal(number, lambda received, _: os.kill(pid, received))
    try:
        status = int(_lines(connection))
    except ConnectionError:
        return 1
    return status


# --- the server ------------------------------------------------------------------------------------

def _become_kernel(request: dict, fds: list[int]) -> None:
    """In the forked child: take the small process's streams, folder and environment, run the kernel."""
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    # ipykernel reads its parent's pid from the environment when it is imported, here in the server
    sys.argv = [sys.argv[0], *request["argv"], f"--IPKernelApp.parent_handle={os.environ.get('JPY_PARENT_PID') or 0}"]
    sys.path[0] = request["cwd"]  # as `python -m ipykernel_launcher` started there would have it
    for number in FORWARDED:
        signal.signal(number, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()


def serve(path: str) -> None:
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    import importlib

    for name in PRELOAD:
        importlib.import_module(name)
    from jinchang import collector
    from jinchang.data import tables
    from jinchang.errors import DataError

    try:
        tables()  # validated once, not once per chapter
    except DataError:
        return  # the build validates the data too, and says what is wrong (started meanwhile, this server is not used)
    # What is preloaded stays out of the garbage collector's walks: a kernel neither spends time on it
    # nor copies the pages the walks would write to; and a kernel collects less often (see jinchang.collector).
    collector.tune()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(f"{path}.new")
    listener.listen()
    os.rename(f"{path}.new", path)  # ready: the socket is there only once it listens
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ)
    children: dict[int, socket.socket] = {}
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        while True:
            for key, _ in selector.select(timeout=0.05):
                if key.fileobj is listener:
                    connection, _ = listener.accept()
                    message, fds, _, _ = socket.recv_fds(connection, 1 << 20, 3)
                    while not message.endswith(b"\n"):
                        message += connection.recv(1 << 20)
                    pid = os.fork()
                    if pid == 0:
                        try:
                            listener.close()
                            for other in children.values():
                                other.close()
                            selector.close()
                            _become_kernel(json.loads(message), fds)
                        finally:
                            sys.stdout.flush()
                            sys.stderr.flush()
                            os._exit(0)
                    for fd in fds:
                        os.close(fd)
                    children[pid] = connection
                    selector.register(connection, selectors.EVENT_READ, pid)
                    connection.sendall(f"{pid}\n".encode())
                elif not key.fileobj.recv(1):  # the small process is gone: so goes its kernel
                    os.kill(key.data, signal.SIGKILL)
            while children:
                pid, status = os.waitpid(-1, os.WNOHANG)
                if pid == 0:
                    break
                connection = children.pop(pid)
                selector.unregister(connection)
                try:
                    connection.sendall(f"{os.waitstatus_to_exitcode(status)}\n".encode())
                except OSError:
                    pass
                connection.close()
    finally:
        for pid in children:
            os.kill(pid, signal.SIGKILL)


class Server:
    """A server started now, preloading while its starter goes on; ``wait()`` until it is ready. Also
    used from processes forked from its starter (the editions' builds), ``users`` of them: it stops
    when each has said it is ``done()`` (it would hold its memory while they read and write pages)."""

    def __init__(self, users: int = 1) -> None:
        self._folder = tempfile.mkdtemp(prefix="jinchang-forkserver-")
        self.path = f"{self._folder}/socket"
        self._users = multiprocessing.get_context("fork").Value("i", users)
        self._process = subprocess.Popen([sys.executable, "-m", __name__, "--serve", self.path])

    def done(self) -> None:
        with self._users.get_lock():
            self._users.value -= 1
            if self._users.value == 0:
                os.kill(self._process.pid, signal.SIGTERM)

    def wait(self) -> str:
        """The path of its socket, once it listens."""
        while not os.path.exists(self.path):
            if self._ended():
                raise RuntimeError("the kernel server stopped before it was ready; its messages are in the build's log")
            time.sleep(0.02)
        return self.path

    def _ended(self) -> bool:
        try:  # also from a process that is not its parent, which cannot wait for it
            with open(f"/proc/{self._process.pid}/stat", encoding="utf-8") as stat:
                return stat.read().rpartition(")")[2].split()[0] in ("Z", "X")
        except FileNotFoundError:
            return True

    def stop(self) -> None:
        self._process.terminate()
        self._process.wait()
        shutil.rmtree(self._folder, ignore_errors=True)

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *_) -> None:
        self.stop()


shared: Server | None = None  # set by a build of both editions, for the editions' processes


def done() -> None:
    """This process has no more kernels to start."""
    if shared is not None:
        shared.done()


@contextmanager
def running() -> Iterator[str]:
    """The server of this build's kernels, ready; yields the path of its socket. The build's shared
    server when there is one, else one for the block."""
    if shared is not None:
        yield shared.wait()
        return
    with Server() as server:
        yield server.wait()


if __name__ == "__main__":
    if sys.argv[1:2] == ["--serve"]:
        serve(sys.argv[2])
    else:
        sys.exit(kernel(sys.argv[1:]))
