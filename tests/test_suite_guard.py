"""The suite's own guard: a run that writes into the repository or the package fails (conftest.py)."""

from __future__ import annotations

import os


def test_the_guard_sees_a_file_created_changed_or_removed(tmp_path, tree_guard):
    (tmp_path / "kept.txt").write_text("a", encoding="utf-8")
    (tmp_path / "edited.txt").write_text("b", encoding="utf-8")
    (tmp_path / "gone.txt").write_text("c", encoding="utf-8")
    before = tree_guard.state(tmp_path)
    assert tree_guard.changes(before, tree_guard.state(tmp_path)) == []
    (tmp_path / ".repairctl").mkdir()  # an empty folder counts
    (tmp_path / "edited.txt").write_text("B", encoding="utf-8")  # same size: the mtime tells
    os.utime(tmp_path / "edited.txt", ns=(0, 10**9))
    (tmp_path / "gone.txt").unlink()
    (tmp_path / "__pycache__").mkdir()  # what Python itself keeps is left out
    (tmp_path / "__pycache__" / "x.pyc").write_bytes(b"")
    assert tree_guard.changes(before, tree_guard.state(tmp_path)) == [
        "created .repairctl/", "changed edited.txt", "removed gone.txt"]

