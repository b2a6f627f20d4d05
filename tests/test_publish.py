"""Publishing and the build lock: one build at a time, and the reader sees the old site or the new one.

``_build/html`` is a link to a complete site folder, swapped by one atomic rename. These tests
publish small sites of many files, crash the publishing process at random moments, break the
copy halfway, make old sites read-only, and hold the lock while another process wants it.
"""

from __future__ import annotations

import errno
import hashlib
import multiprocessing
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from jinchang import build, cli


def raising(error: BaseException):
    def fail(*args, **kwargs):
        raise error
    return fail


def make_site(folder: Path, version: str, files: int = 300) -> Path:
    for i in range(files):
        page = folder / f"part{i % 7}" / f"page{i}.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(f"<p>{version} {i}</p>" * 50, encoding="utf-8")
    (folder / "index.html").write_text(f"<p>{version}</p>", encoding="utf-8")
    (folder / ".buildinfo").write_text("config record", encoding="utf-8")
    return folder


def fingerprint(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


@pytest.fixture
def sites(tmp_path):
    staged = {v: make_site(tmp_path / "stage" / v, v) for v in ("v1", "v2")}
    return staged, tmp_path / "_build" / "html"


def leftovers(target: Path) -> list[str]:
    """Everything beside ``target`` other than the site it links to."""
    return sorted(p.name for p in target.parent.iterdir() if p != target and p != target.resolve())


def expected(staged: Path) -> str:
    """The fingerprint of a staged site as published (without .buildinfo)."""
    copy = staged.with_name(staged.name + "-published")
    shutil.copytree(staged, copy, ignore=shutil.ignore_patterns(".buildinfo"), dirs_exist_ok=True)
    return fingerprint(copy)


def test_publishing_swaps_a_link_to_a_whole_site_and_removes_the_old_one(sites):
    staged, target = sites
    target.parent.mkdir()
    build.publish(staged["v1"], target)
    assert target.is_symlink() and not Path(os.readlink(target)).is_absolute()
    assert fingerprint(target) == expected(staged["v1"])
    build.publish(staged["v2"], target)
    assert fingerprint(target) == expected(staged["v2"])
    assert not (target / ".buildinfo").exists()
    assert leftovers(target) == []


def test_a_file_staged_as_it_was_published_is_linked_to_the_old_site_which_can_go(tmp_path):
    stage, target = make_site(tmp_path / "stage", "v1"), tmp_path / "_build" / "html"
    target.parent.mkdir()
    build.publish(stage, target)
    first = target.resolve()
    changed = stage / "part0" / "page0.html"
    changed.write_text("<p>v2</p>", encoding="utf-8")
    build.publish(stage, target)
    assert target.resolve() != first and not first.exists()  # the old site is removed...
    kept = target / "part1" / "page1.html"
    assert kept.stat().st_nlink == 1 and kept.read_text(encoding="utf-8").startswith("<p>v1 1</p>")  # ...not its files
    assert fingerprint(target) == expected(stage)
    # while both sites stand, the unchanged files are one file, the changed one is a copy
    build.publish(stage, target)
    published = target.resolve()
    changed.write_text("<p>v3</p>", encoding="utf-8")
    with build.new_site(target) as site:
        build.copy_site(stage, site, published)
        assert (site / "part1" / "page1.html").samefile(published / "part1" / "page1.html")
        assert not (site / "part0" / "page0.html").samefile(published / "part0" / "page0.html")
        assert (site / "part0" / "page0.html").read_text(encoding="utf-8") == "<p>v3</p>"
        assert (published / "part0" / "page0.html").read_text(encoding="utf-8") == "<p>v2</p>"


def test_a_site_published_as_a_plain_folder_is_taken_over(sites):
    staged, target = sites
    shutil.copytree(staged["v1"], target)
    build.publish(staged["v2"], target)
    assert target.is_symlink() and fingerprint(target) == expected(staged["v2"])
    assert leftovers(target) == []


def test_a_crash_between_taking_over_the_folder_and_linking_it_is_repaired(sites):
    staged, target = sites
    target.parent.mkdir()
    shutil.copytree(staged["v1"], target.with_name(".html-1"))  # renamed, then the process died
    (target.with_name(".html-2.partial")).mkdir()  # and a copy that never finished
    build.recover(target)
    assert target.is_symlink() and (target / "index.html").read_text(encoding="utf-8") == "<p>v1</p>"
    assert leftovers(target) == []


def test_a_failure_at_the_swap_keeps_the_old_site_and_the_next_build_cleans_up(sites, monkeypatch):
    staged, target = sites
    target.parent.mkdir()
    build.publish(staged["v1"], target)

    monkeypatch.setattr(build.os, "replace", raising(OSError(errno.EIO, "simulated crash")))
    with pytest.raises(OSError, match="simulated crash"):
        build.publish(staged["v2"], target)
    assert fingerprint(target) == expected(staged["v1"])
    monkeypatch.undo()
    build.publish(staged["v2"], target)
    assert fingerprint(target) == expected(staged["v2"]) and leftovers(target) == []


def test_a_full_disk_while_copying_keeps_the_old_site_and_leaves_nothing(sites, monkeypatch):
    staged, target = sites
    target.parent.mkdir()
    build.publish(staged["v1"], target)
    copied = []

    def copy_until_full(source, destination):
        if len(copied) == 100:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(destination))
        copied.append(destination)
        return shutil.copyfile(source, destination)

    monkeypatch.setattr(build.shutil, "copy2", copy_until_full)
    with pytest.raises(OSError) as caught:
        build.publish(staged["v2"], target)
    assert caught.value.errno == errno.ENOSPC
    assert fingerprint(target) == expected(staged["v1"]) and leftovers(target) == []


def test_a_read_only_old_site_is_removed_or_left_for_later_but_never_blocks_a_build(sites, monkeypatch, capsys):
    staged, target = sites
    target.parent.mkdir()
    build.publish(staged["v1"], target)
    old = target.resolve()
    for path in [*old.rglob("*"), old]:  # as a user who is not root would find it: read-only throughout
        path.chmod(0o555 if path.is_dir() else 0o444)
    build.publish(staged["v2"], target)
    assert not old.exists() and fingerprint(target) == expected(staged["v2"])

    # A folder that cannot be removed at all (another owner, say): the build warns and goes on.
    monkeypatch.setattr(build.shutil, "rmtree", raising(PermissionError(errno.EACCES, "Permission denied")))
    kept = target.resolve()
    build.publish(staged["v1"], target)
    assert fingerprint(target) == expected(staged["v1"]) and kept.exists()
    assert f"warning: could not remove {kept}" in capsys.readouterr().err
    build.publish(staged["v2"], target)  # still refused: still no failure
    monkeypatch.undo()
    build.publish(staged["v1"], target)
    assert fingerprint(target) == expected(staged["v1"]) and leftovers(target) == []


PUBLISH_FOREVER = """
import sys
from pathlib import Path
from jinchang.build import publish
stage, target = Path(sys.argv[1]), Path(sys.argv[2])
print("ready", flush=True)
while True:
    for version in ("v1", "v2"):
        publish(stage / version, target)
"""


def test_killing_the_publisher_at_any_moment_leaves_the_old_or_the_new_site(sites):
    staged, target = sites
    target.parent.mkdir()
    build.publish(staged["v1"], target)
    complete = {expected(staged["v1"]), expected(staged["v2"])}
    chance = random.Random(13)
    for _ in range(12):
        publisher = subprocess.Popen([sys.executable, "-c", PUBLISH_FOREVER, str(staged["v1"].parent), str(target)],
                                     stdout=subprocess.PIPE, text=True)
        assert publisher.stdout.readline().strip() == "ready"
        time.sleep(chance.uniform(0.01, 0.6))
        publisher.send_signal(signal.SIGKILL)
        publisher.wait()
        publisher.stdout.close()
        assert target.is_symlink() and fingerprint(target) in complete
    build.recover(target)
    assert fingerprint(target) in complete and leftovers(target) == []


HOLD_THE_LOCK = """
import sys
from pathlib import Path
from jinchang.build import locked
with locked(Path(sys.argv[1])):
    print("inside", flush=True)
"""


def test_a_second_build_waits_for_the_lock_and_says_so(tmp_path):
    with build.locked(tmp_path):
        second = subprocess.Popen([sys.executable, "-c", HOLD_THE_LOCK, str(tmp_path)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        message = second.stderr.readline()
        assert message.startswith(f"waiting for the build already running in {tmp_path} (process {os.getpid()})")
        time.sleep(1)
        assert second.poll() is None  # still waiting
    out, _ = second.communicate(timeout=60)
    assert out.strip() == "inside" and second.returncode == 0


def test_a_lock_left_by_a_killed_build_does_not_block_the_next(tmp_path):
    killed = subprocess.Popen([sys.executable, "-c", HOLD_THE_LOCK.replace('print("inside", flush=True)',
                               'print("inside", flush=True); import time; time.sleep(600)'), str(tmp_path)],
                              stdout=subprocess.PIPE, text=True)
    assert killed.stdout.readline().strip() == "inside"
    killed.kill()
    killed.wait()
    killed.stdout.close()
    again = subprocess.run([sys.executable, "-c", HOLD_THE_LOCK, str(tmp_path)], capture_output=True, text=True,
                           timeout=60)
    assert again.stdout.strip() == "inside" and "waiting" not in again.stderr


# --- the machine's faults reach the user as one message ----------------------------------------


@pytest.mark.parametrize("fault,words", [
    (PermissionError(errno.EACCES, "Permission denied", "_build/.lock"), "Make it writable"),
    (OSError(errno.EROFS, "Read-only file system", "_build/.stage/html/index.html"), "Make it writable"),
    (OSError(errno.ENOSPC, "No space left on device", "_build/.html-1/figures/x.png"), "Free some space"),
])
def test_a_read_only_or_full_disk_gives_one_message_and_what_to_do(monkeypatch, capsys, fault, words):
    monkeypatch.setattr(build, "build", raising(fault))
    assert cli.main(["build"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: {fault.filename}: {fault.strerror}\n  ") and words in err
    assert "Traceback" not in err and len(err.splitlines()) == 2


def test_a_fault_sphinx_meets_is_reported_as_the_machines(monkeypatch, tmp_path):
    full = OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "stage" / "html" / "x.html"))
    monkeypatch.setattr(build, "sphinx_build", lambda *a, **k: full)
    with pytest.raises(OSError) as caught:
        build.build(stage=tmp_path / "stage", target=tmp_path / "html", fresh=True)
    # the same fault, though it may come from an edition's own process (a copy, not the same object)
    assert (type(caught.value), caught.value.args, caught.value.filename) == (OSError, full.args, full.filename)
    assert not (tmp_path / "html").exists()
    # nor is the process left that converts the PDFs' fonts (it would hold open what the build's caller reads)
    assert [p.name for p in multiprocessing.active_children() if p.name.startswith("jinchang-")] == []


def test_an_error_of_the_books_own_code_keeps_its_traceback(monkeypatch):
    monkeypatch.setattr(build, "build", raising(FileNotFoundError(errno.ENOENT, "gone", "x")))
    with pytest.raises(FileNotFoundError):
        cli.main(["build"])
