"""The report: the header, the tables of floors and commands, each row's ratio and its verdict.

A row PASSes when its median meets its target and its peak memory is under MEMORY_LIMIT_MB; a
command that failed, was not measured or has no floor to be judged against is FAIL with the
reason. The tables are printed aligned for a terminal and, with --markdown, as Markdown too.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import statistics
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from floors import FLOORS
from measure import CLONE_RUNS, GNU_TIME, Run, plain_ok
from office import AT, month, scan

MEMORY_LIMIT_MB = 300


@dataclass
class Result:
    """One command's row: its median time, the floor it is judged against, the target, the verdict."""

    name: str
    command: str
    target: str
    times: list[float] = field(default_factory=list)
    peak_kb: int = 0
    floor_name: str | None = None
    floor: float | None = None
    limit: float | None = None  # the time it must not exceed
    strict: bool = False  # the time must be below the limit, not just at most
    failure: str | None = None

    def add(self, result: Run, timed: bool = True, ok: Callable[[Run], str | None] | None = None) -> Run:
        """Record a run (its memory always, its time when timed); a failed run fails the row."""
        self.peak_kb = max(self.peak_kb, result.maxrss_kb)
        problem = result.reason() if result.timed_out else (ok or plain_ok)(result)
        if problem and not self.failure:
            self.failure = problem
        if timed and not problem:
            self.times.append(result.seconds)
        return result

    @property
    def median(self) -> float | None:
        """The median of the timed runs, None before any."""
        return statistics.median(self.times) if self.times else None

    @property
    def ratio(self) -> float | None:
        """The median over the floor, None without both."""
        return self.median / self.floor if self.median is not None and self.floor else None

    @property
    def memory_ok(self) -> bool:
        """The peak memory was measured and is under MEMORY_LIMIT_MB."""
        return 0 < self.peak_kb < MEMORY_LIMIT_MB * 1024

    @property
    def time_ok(self) -> bool:
        """The median meets the limit (below it when strict)."""
        if self.failure or self.median is None or self.limit is None:
            return False
        return self.median < self.limit if self.strict else self.median <= self.limit

    @property
    def verdict(self) -> str:
        """PASS, or FAIL with the reason."""
        if self.failure:
            return f"FAIL ({self.failure})"
        if self.median is None:
            return "FAIL (not measured)"
        if self.limit is None:
            return "FAIL (no floor measured)"
        reasons = [] if self.time_ok else ["time"]
        if not self.memory_ok:
            reasons.append(f"memory {self.peak_kb / 1024:.0f} MB")
        return f"FAIL ({', '.join(reasons)})" if reasons else "PASS"


def fmt(value: float | None, digits: int = 3) -> str:
    """A figure for a table cell; a dash for none."""
    return "—" if value is None else f"{value:.{digits}f}"


def machine(args, files: list[Path], total_bytes: int | None, offices: list[Path] = ()) -> list[str]:
    """The header's lines: the machine, Python and git, the office and how it was measured."""
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    git_version = subprocess.run(["git", "--version"], capture_output=True, text=True, check=False).stdout.strip()
    memory = ("peak memory: max RSS from /usr/bin/time -f %M" if GNU_TIME else
              "peak memory: max RSS from wait4 (no /usr/bin/time), an upper bound that includes the bench's own")
    size = f", {total_bytes / 1e6:.1f} MB of order files" if total_bytes else ""
    lines = [
        f"machine: nproc {cpus}, {model}, {platform.system()} {platform.release()}",
        f"python {platform.python_version()}, {git_version}, date {dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}",
    ]
    if files:
        lines.append(f"office: {len(files)} orders received {month(files[0])} to {month(files[-1])}, judged at {AT}"
                     f"{size}, seed {args.seed}")
    if offices:
        each = sum(1 for _ in scan(offices[0]))
        lines.append(f"company: {len(offices)} offices, copies of one of {each} orders (cp -a), in {offices[0].parent}")
    lines.append(f"median of {args.runs} runs ({min(CLONE_RUNS, args.runs)} for a fresh clone); {memory}")
    return lines


def floor_cell(row: Result) -> str:
    """The floor column of a row: the floor's letter (or overdue) and its figure."""
    if row.floor is None:
        return "—"
    label = row.floor_name if row.floor_name == "overdue" else f"({chr(ord('a') + list(FLOORS).index(row.floor_name))})"
    return f"{label} {row.floor:.3f}"


def tables(floors: dict[str, float], results: list[Result], markdown: bool) -> str:
    """The floors' table and the commands' table, aligned for a terminal or as Markdown."""
    floor_rows = [[FLOORS[name], fmt(value)] for name, value in floors.items()]
    command_rows = [[row.command, fmt(row.median), floor_cell(row), fmt(row.ratio, 2), row.target,
                     f"{row.peak_kb / 1024:.0f}" if row.peak_kb else "—", row.verdict] for row in results]
    heads = (["floor", "median s"],
             ["command", "median s", "floor s", "ratio", "target", f"peak MB (<{MEMORY_LIMIT_MB})", "PASS/FAIL"])
    parts = []
    for head, rows in zip(heads, (floor_rows, command_rows), strict=True):
        if not rows:
            continue
        if markdown:
            lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
            lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
        else:
            widths = [max(map(width, column)) for column in zip(head, *rows, strict=True)]
            lines = [" | ".join(pad(cell, w) for cell, w in zip(line, widths, strict=True)).rstrip()
                     for line in [head, *rows]]
            lines.insert(1, "-+-".join("-" * w for w in widths))
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def width(text: str) -> int:
    """Columns a string takes in a terminal: CJK characters take two."""
    return sum(2 if "\u2e80" <= char <= "\uffef" else 1 for char in text)


def pad(text: str, columns: int) -> str:
    """text padded with spaces to take columns terminal columns."""
    return text + " " * (columns - width(text))


def print_report(args, files: list[Path], total_bytes: int | None, generation: dict | None,
                 floors: dict[str, float], results: list[Result], offices: list[Path] = ()) -> None:
    """Print the header and the tables (twice with --markdown), then the count of PASS and FAIL."""
    header = machine(args, files, total_bytes, offices)
    if generation:
        header.append("generation: {orders} orders written in {write:.0f} s (simulate + write), "
                      "git add -A {git add:.1f} s, git commit {git commit:.1f} s".format(**generation))
    print("\n".join(header))
    print()
    print(tables(floors, results, markdown=False))
    if args.markdown:
        print()
        print("\n".join(f"{line}  " for line in header))
        print()
        print(tables(floors, results, markdown=True))
    failed = [row for row in results if not row.verdict.startswith("PASS")]
    print(f"\n{len(results) - len(failed)} PASS, {len(failed)} FAIL")
