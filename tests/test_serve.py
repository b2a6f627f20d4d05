"""``jinchang serve``: every request gets an HTTP answer, and the command refuses what it cannot do."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest

from jinchang.serve import served


def status(base: str, target: bytes) -> int:
    """The status code of a raw ``GET target``, sent byte for byte (no client-side quoting)."""
    host, port = base.removeprefix("http://").strip("/").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(b"GET " + target + b" HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n")
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    assert answer.startswith(b"HTTP/1."), answer[:200]  # an answer, not a dropped connection
    return int(answer.split(b" ", 2)[1])


@pytest.fixture
def site(tmp_path):
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "index.html").write_text("<!doctype html><title>t</title>", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("not served", encoding="utf-8")
    return tmp_path / "html"


REQUESTS = {  # request target -> expected status
    b"/": 200,
    b"/index.html": 200,
    b"/a%00b": 400,
    b"/index.html%00.txt": 400,
    b"/%00": 400,
    b"/" + b"a" * 300: 414,  # one segment longer than a file name can be
    b"/x/" + b"b" * 5000 + b"/index.html": 414,
    b"/missing.html": 404,
    b"/../secret.txt": 404,
    b"/%2e%2e/secret.txt": 404,
    b"/%2e%2e%2fsecret.txt": 404,
    b"/%ff%fe.html": 404,
}


@pytest.mark.parametrize("compress", [False, True], ids=["plain", "gzip"])
def test_every_request_gets_an_answer_and_no_traceback(site, compress, capfd):
    with served(site, compress=compress) as base:
        answers = {target: status(base, target) for target in REQUESTS}
    assert answers == REQUESTS
    assert "Traceback" not in capfd.readouterr().err


def serve(build_dir, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "JINCHANG_BUILD_DIR": str(build_dir)}
    return subprocess.run([sys.executable, "-m", "jinchang", "serve", *args], env=env, capture_output=True,
                          text=True, timeout=60)


def test_serve_refuses_to_start_when_nothing_is_built(tmp_path):
    done = serve(tmp_path)
    assert done.returncode == 1
    assert f"error: nothing to serve: {tmp_path / 'html'} holds no built book" in done.stderr
    assert "jinchang build" in done.stderr and "Traceback" not in done.stderr
    assert "serving" not in done.stdout


def test_serve_refuses_a_busy_port(site):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = serve(site.parent, "--port", str(port))
    assert done.returncode == 1
    assert f"error: cannot serve on 127.0.0.1, port {port}: Address already in use" in done.stderr
    assert "--port" in done.stderr and "Traceback" not in done.stderr
