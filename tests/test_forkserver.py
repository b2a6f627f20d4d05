"""Kernels forked from the preloaded server give a chapter exactly the outputs of a kernel started
afresh, and the server leaves no kernel behind."""

from __future__ import annotations

import json
import os
import tempfile

import nbformat
import psutil
import pytest
from myst_nb.core.read import read_myst_markdown_notebook
from myst_parser.config.main import MdParserConfig
from nbclient import NotebookClient

from jinchang import forkserver, paths
from jinchang.sphinxext.execute import ForkedKernelManager, _kernel_config

CHAPTER = paths.CHAPTERS / "04-context.md"


def executed(server: str) -> list:
    path = CHAPTER
    notebook = read_myst_markdown_notebook(path.read_text(encoding="utf-8"), path=path,
                                           config=MdParserConfig(enable_extensions={"colon_fence", "substitution"}))
    with tempfile.TemporaryDirectory() as sockets:
        NotebookClient(notebook, timeout=120, kernel_manager_class=ForkedKernelManager,
                       config=_kernel_config(sockets, server),
                       resources={"metadata": {"path": str(path.parent)}}).execute()
    # each reading gives the cells new random ids: compare what execution gives them
    return [(c.get("execution_count"), c.get("outputs")) for c in json.loads(nbformat.writes(notebook))["cells"]]


def test_a_forked_kernel_gives_the_outputs_of_a_fresh_one():
    fresh = executed("")  # no server: ipykernel started as Jupyter starts it
    with forkserver.running() as server:
        server_pid = next(p for p in psutil.Process().children() if "--serve" in p.cmdline()).pid
        forked = executed(server)
        assert not psutil.Process(server_pid).children(), "a kernel outlived its chapter"
    assert any("image/svg+xml" in o.get("data", {}) for _, outputs in fresh for o in outputs or [])
    assert forked == fresh
    assert not psutil.pid_exists(server_pid) or psutil.Process(server_pid).status() == psutil.STATUS_ZOMBIE


def _ends(process: psutil.Process, seconds: float = 10) -> bool:
    try:
        process.wait(seconds)
        return True
    except psutil.TimeoutExpired:
        return False


def test_a_shared_server_stops_once_each_of_its_users_is_done():
    with forkserver.Server(users=2) as server:
        path = server.wait()
        process = next(p for p in psutil.Process().children() if path in p.cmdline())
        server.done()
        assert not _ends(process, 1), "the server stopped while a user still needed it"
        server.done()
        assert _ends(process), "the server outlived its last user"
    assert not os.path.exists(path)


def test_waiting_for_a_server_that_died_before_it_was_ready_fails():
    with forkserver.Server() as server:
        next(p for p in psutil.Process().children() if server.path in p.cmdline()).kill()
        with pytest.raises(RuntimeError, match="stopped before it was ready"):
            server.wait()
