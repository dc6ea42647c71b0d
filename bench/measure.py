"""Timing things for the bench: a child process from spawn to reap with its peak memory, the
median of runs after a warm-up run, and the progress lines on stderr."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

CLONE_RUNS = 3  # the first run after a clone is slow: at most this many runs
TIMEOUT = 1800  # seconds a child may take before it is killed
GNU_TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None


def say(text: str) -> None:
    """Progress, on stderr (the tables go to stdout)."""
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


@dataclass
class Run:
    """One child process: how long it took, how it ended, what it said, its peak memory."""

    seconds: float
    returncode: int
    stdout: str
    stderr: str
    maxrss_kb: int
    timed_out: bool = False

    def reason(self) -> str:
        """Why the run failed, in one line."""
        if self.timed_out:
            return f"timed out after {self.seconds:.0f} s"
        lines = [line for line in (self.stderr or self.stdout).splitlines() if line.strip()]
        return f"exit {self.returncode}: {lines[-1].strip() if lines else 'no output'}"[:160]


def plain_ok(result: Run) -> str | None:
    """None when the run exited 0, else why it failed."""
    return None if result.returncode == 0 else result.reason()


def run(argv: list[str], cwd: Path | None = None) -> Run:
    """Run argv, timing it from spawn to reap, with its peak RSS.

    The peak comes from /usr/bin/time (%M), which starts the command from a small process. A
    child the bench starts itself inherits the bench's own high-water mark (Linux keeps the
    maxrss of the memory a process had before exec), so wait4's figure is only the fallback.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile(prefix="rss-") as rss:
        command = [GNU_TIME, "-f", "%M", "-o", rss.name, *argv] if GNU_TIME else argv
        start = time.perf_counter()
        child = subprocess.Popen(command, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        killed = threading.Event()

        def kill():
            killed.set()
            child.kill()

        timer = threading.Timer(TIMEOUT, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(child.pid, 0)
        finally:
            timer.cancel()
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        maxrss = usage.ru_maxrss
        if GNU_TIME:  # "Command exited with non-zero status 1" may come first; the figure is last
            lines = Path(rss.name).read_text().split()
            maxrss = int(lines[-1]) if lines and lines[-1].isdigit() else 0
        return Run(seconds, child.returncode, out.read().decode("utf-8", "replace"),
                   err.read().decode("utf-8", "replace"), maxrss, killed.is_set())


def median_of(runs: int, measure: Callable[[], float]) -> float:
    """The median of runs timings of measure(), after one warm-up run."""
    measure()
    return statistics.median(measure() for _ in range(runs))


def timed(function: Callable, *args) -> Callable[[], float]:
    """A measure for median_of: the seconds function(*args) takes in this process."""
    def measure() -> float:
        start = time.perf_counter()
        function(*args)
        return time.perf_counter() - start

    return measure
