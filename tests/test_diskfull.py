"""A disk that fills while a command writes: a real full file system (a small tmpfs, mounted in a
mount namespace of its own), filled to the last page and then given back k pages, for k = 0, 1, 2, …
until the command succeeds. Each k fails at a later step (the journal's note, the order file, git's
objects, its index, the commit, the ref), and at every one the order file is as it was, byte for
byte, git's index holds nothing the command staged, its status and log are as they were, the cache
is still there, and the message says the disk is full."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

# Runs inside the namespace: argv = the office to copy, the mount point, the repairctl executable, the command.
PROBE = r'''
import hashlib, json, os, shutil, subprocess, sys

source, mount, executable, command = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
office = os.path.join(mount, "office")
shutil.copytree(source, office, symlinks=True)
env = {**os.environ, "REPAIRCTL_ROOT": office}


def git(*args):
    return subprocess.run(["git", "-C", office, *args], capture_output=True, text=True).stdout


def state():
    files = {}
    for folder, dirs, names in os.walk(office):
        dirs[:] = [d for d in dirs if d not in (".git", ".repairctl")]
        for name in names:
            with open(os.path.join(folder, name), "rb") as handle:
                files[os.path.relpath(os.path.join(folder, name), office)] = hashlib.sha1(handle.read()).hexdigest()
    return {"files": files, "status": git("status", "--porcelain"), "log": git("log", "--format=%H %s"),
            "index": git("ls-files", "--stage"), "lock": os.path.exists(os.path.join(office, ".git", "index.lock")),
            "cache": inode(os.path.join(office, ".repairctl", "cache.sqlite"))}


def inode(path):
    return os.stat(path).st_ino if os.path.exists(path) else None


def fill(left):
    """Fill the file system, then give back `left` pages."""
    filler = os.path.join(mount, "filler")
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    for size in (1 << 16, 4096):
        try:
            while True:
                os.write(fd, b"\0" * size)
        except OSError:
            pass
    os.close(fd)
    os.truncate(filler, max(os.path.getsize(filler) - left * 4096, 0))
    return filler


subprocess.run([executable, "list"], env=env, capture_output=True, check=True)  # the cache, up to date
if os.environ.get("PROBE_HOLD_CACHE"):  # a reader keeps the cache's write-ahead log and shared memory open
    import sqlite3
    reader = sqlite3.connect(os.path.join(office, ".repairctl", "cache.sqlite"))
    reader.execute("SELECT COUNT(*) FROM orders").fetchall()
before, results = state(), []
for left in range(40):
    filler = fill(left)
    done = subprocess.run([executable, *command], env=env, capture_output=True, text=True)
    shown = subprocess.run([executable, "show", "HQ-000001"], env=env, capture_output=True, text=True)
    results.append({"left": left, "status": done.returncode, "stderr": done.stderr, "state": state(),
                    "show": shown.returncode})
    os.unlink(filler)
    if done.returncode == 0:
        break
print(json.dumps({"before": before, "results": results, "head": git("show", "--name-only", "--format=%s", "HEAD")}))
'''


def _namespace() -> list[str] | None:
    """How to run a command in a mount namespace of its own here (root: unshare -m; else a user
    namespace too), or None when this machine allows neither."""
    if not shutil.which("unshare"):
        return None
    for prefix in (["unshare", "-m"], ["unshare", "-rm"]):
        tried = subprocess.run([*prefix, "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"], capture_output=True)
        if tried.returncode == 0:
            return prefix
    return None


NAMESPACE = _namespace()
needs_namespace = pytest.mark.skipif(NAMESPACE is None, reason="this machine cannot mount a small tmpfs in a mount "
                                     "namespace (no unshare, or neither root nor user namespaces)")


def fill_and_run(clerk, tmp_path, executable, *command: str, hold_cache: bool = False) -> dict:
    """The probe's findings for command, on a copy of the clerk's office in a 3 MB tmpfs (hold_cache:
    while another reader holds the cache open, so that opening it needs no new page)."""
    shutil.rmtree(clerk.root / ".repairctl", ignore_errors=True)
    (tmp_path / "probe.py").write_text(PROBE, encoding="utf-8")
    mount = tmp_path / "mount"
    mount.mkdir()
    script = 'mount -t tmpfs -o size=3m tmpfs "$1" && shift && exec "$@"'
    done = subprocess.run([*NAMESPACE, "sh", "-c", script, "sh", str(mount), sys.executable, str(tmp_path / "probe.py"),
                           str(clerk.root), str(mount), executable, *command],
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PROBE_HOLD_CACHE": "1" if hold_cache else ""})
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def check_every_refusal(found: dict, order: str) -> list[str]:
    """Assert what each refusal must leave and say; return the messages, one per page count."""
    before, results = found["before"], found["results"]
    assert results[-1]["status"] == 0, "the command never succeeded: the tmpfs is too small"
    assert len(results) > 5  # it failed at several steps first
    for result in results[:-1]:
        assert result["status"] == 1, result
        assert result["stderr"].startswith("Error: the disk is full (") and result["stderr"].count("\n") == 1
        assert result["state"]["files"] == before["files"]  # the order file back, byte for byte
        assert result["state"]["index"] == before["index"]  # nothing the command staged
        assert result["state"]["status"] == before["status"] and result["state"]["log"] == before["log"]
        assert not result["state"]["lock"]
        assert result["state"]["cache"] == before["cache"] and result["show"] == 0  # the cache kept; reads go on
    after = results[-1]["state"]
    assert after["status"] == "" and found["head"].split("\n")[2:] == [order, ""]
    return [result["stderr"] for result in results[:-1]]


@needs_namespace
def test_a_full_disk_during_assign_changes_nothing_and_says_so(clerk, tmp_path, executable):
    oid = clerk.new()
    order = str(clerk.order_file(oid).relative_to(clerk.root))
    messages = check_every_refusal(fill_and_run(clerk, tmp_path, executable, "assign", oid, "--to", "李师傅"), order)
    assert any("writing .repairctl/journal.json" in m for m in messages)  # the journal's note
    assert any(f"writing {order}" in m for m in messages)  # the order file itself
    assert any("said git" in m for m in messages)  # git's objects and index
    assert not any("index.lock" in m for m in messages)


@needs_namespace
def test_a_full_disk_during_new_changes_nothing_and_says_so(clerk, tmp_path, executable):
    """`new` opens the cache first, which needs pages of its own (its write-ahead log and shared
    memory) unless another reader holds it open, as here: what the cache does on a full disk is
    the next test's."""
    clerk.new()
    found = fill_and_run(clerk, tmp_path, executable, "new", "--unit", "1-102", "--name", "李四", "--phone",
                         "13900000000", "--desc", "灯不亮", "--item", "E01", "--at", "2026-10-06 09:00",
                         hold_cache=True)
    messages = check_every_refusal(found, "records/orders/2026/10/HQ-000002.yaml")
    assert any("writing .repairctl/journal.json" in m for m in messages) and any("said git" in m for m in messages)


@needs_namespace
def test_a_full_disk_while_the_cache_opens_keeps_the_cache_and_says_so(clerk, tmp_path, executable):
    clerk.new()
    found = fill_and_run(clerk, tmp_path, executable, "new", "--unit", "1-102", "--name", "李四", "--phone",
                         "13900000000", "--desc", "灯不亮", "--item", "E01", "--at", "2026-10-06 09:00")
    check_every_refusal(found, "records/orders/2026/10/HQ-000002.yaml")
