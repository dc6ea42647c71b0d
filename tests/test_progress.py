"""Long work shows its progress on a terminal's stderr, and nowhere else."""

from __future__ import annotations

import os
import pty
import subprocess

from repairctl.store import files


def _office_of(clerk, count: int) -> None:
    """count orders in one commit, and no cache: the next command reads every file."""
    text = clerk.order_file(clerk.new()).read_text("utf-8")
    folder = clerk.order_file("HQ-000001").parent
    for n in range(2, count + 1):
        (folder / f"HQ-{n:06d}.yaml").write_text(text.replace("HQ-000001", f"HQ-{n:06d}"), encoding="utf-8")
    clerk.git("add", "-A")
    clerk.git("commit", "-q", "-m", "many")
    (clerk.root / files.STATE / "cache.sqlite").unlink()


def test_the_first_read_of_many_files_counts_them_on_a_terminal_only(clerk, executable):
    _office_of(clerk, 400)  # above PARALLEL_FROM: read by the workers
    main, secondary = pty.openpty()  # stderr a terminal, as at the desk
    done = subprocess.run([executable, "--root", str(clerk.root), "list", "--format", "csv"],
                          stdout=subprocess.PIPE, stderr=secondary, env={**os.environ, "REPAIRCTL_LANG": "zh_CN"})
    os.close(secondary)
    shown = os.read(main, 65536).decode("utf-8", errors="replace")
    os.close(main)
    assert done.returncode == 0 and done.stdout.decode().count("\n") == 401
    assert "正在读取维修单" in shown and "/400" in shown
    (clerk.root / files.STATE / "cache.sqlite").unlink()
    piped = subprocess.run([executable, "--root", str(clerk.root), "list", "--format", "csv"],
                           capture_output=True, text=True)
    assert piped.returncode == 0 and piped.stderr == ""  # a pipe, a log: nothing
