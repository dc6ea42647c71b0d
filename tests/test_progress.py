"""Long work shows its progress on a terminal's stderr, and nowhere else."""

from __future__ import annotations

import os
import pty
import subprocess
import sys

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


def _on_a_terminal(executable, *args) -> tuple[subprocess.CompletedProcess, str]:
    """repairctl args in Chinese with stderr a terminal, as at the desk: (the result, what the terminal showed)."""
    main, secondary = pty.openpty()
    done = subprocess.run([executable, *args], stdout=subprocess.PIPE, stderr=secondary,
                          env={**os.environ, "REPAIRCTL_LANG": "zh_CN"})
    os.close(secondary)
    shown = os.read(main, 65536).decode("utf-8", errors="replace")
    os.close(main)
    return done, shown


def test_an_import_counts_the_rows_it_checks_and_the_files_it_writes(clerk, executable, tmp_path):
    sheet = tmp_path / "day.csv"
    rows = [f"{n // 30 + 1}栋{n % 30 + 101},业户{n},138{n:08d},水龙头漏水" for n in range(120)]
    sheet.write_text("\n".join(["单元,业户姓名,电话,维修内容", *rows]) + "\n", encoding="utf-8")
    done, shown = _on_a_terminal(executable, "--root", str(clerk.root), "import", str(sheet))
    assert done.returncode == 0, shown
    assert "正在检查表格各行 " in shown and "/120" in shown and "正在写入维修单 " in shown
    assert done.stdout.decode().count("HQ-") >= 120  # the answer itself is untouched on stdout


def test_a_rollup_counts_the_offices_read_in_worker_processes_too(tmp_path, templates, monkeypatch):
    from repairctl.office.company import Listed
    from repairctl.reports import rollup

    roots = []
    for name in ("a", "b", "c"):
        templates.put("new", lambda clerk: None, tmp_path / name)
        roots.append(tmp_path / name)
    listed = [Listed(root, str(root)) for root in roots]
    screen = Terminal()
    monkeypatch.setattr(sys, "stderr", screen)
    assert len(rollup._read_all(listed, "2026-11", False)) == 3  # in this process
    assert "reading offices 0/3" in screen.text
    screen.text = ""
    monkeypatch.setattr(rollup, "PARALLEL_FROM", 1)  # two worker processes, counted here
    assert len(rollup._read_all(listed, "2026-11", False)) == 3
    assert "reading offices " in screen.text and "/3" in screen.text and screen.text.endswith("\r")


class Terminal:
    """A stderr that says it is a terminal and keeps what was written to it."""

    def __init__(self):
        self.text = ""

    def isatty(self) -> bool:
        return True

    def write(self, text: str) -> None:
        self.text += text

    def flush(self) -> None:
        pass
