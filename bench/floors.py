"""The floors: what the machine, git and Python cannot do faster, measured in the same run.

(a), (c) and (d) walk the office in the bench's own process; (b) and (e)-(g) are child
processes, timed like the commands. Each is the median of --runs runs after a warm-up run.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Callable
from pathlib import Path

from measure import median_of, run, say, timed
from office import git, restore, scan

FLOORS = {
    "list": "(a) list + stat every order file (os.scandir, entry.stat)",
    "status": "(b) git status",
    "read": "(c) list + read every order file's bytes",
    "parse": "(d) list + read + yaml.CSafeLoader parse of every order file (one core)",
    "python": "(e) python -c pass",
    "click": '(f) python -c "import click"',
    "commit": "(g) git add FILE && git commit -q -m x (one changed order)",
    "company": "(h) git status in each office of the company, one after another (company.py)",
}


def floor_list(root: Path) -> int:
    """(a) List every order file and stat it; the bytes of all of them."""
    total = 0
    for entry in scan(root):
        total += entry.stat().st_size
    return total


def floor_read(root: Path) -> int:
    """(c) List every order file and read its bytes; how many bytes were read."""
    total = 0
    for entry in scan(root):
        with open(entry.path, "rb") as handle:
            total += len(handle.read())
    return total


def floor_parse(root: Path) -> int:
    """(d) List, read and parse every order file with libyaml, keeping nothing; how many."""
    import yaml

    count = 0
    for entry in scan(root):
        with open(entry.path, "rb") as handle:
            yaml.load(handle.read(), Loader=yaml.CSafeLoader)
        count += 1
    return count


def child(argv: list[str]) -> Callable[[], float]:
    """A measure for median_of: the seconds of a child process that must succeed."""
    def measure() -> float:
        result = run(argv)
        if result.returncode != 0:
            raise SystemExit(f"bench: floor {' '.join(argv)} failed: {result.reason()}")
        return result.seconds

    return measure


def commit_one(root: Path, files: list[Path], rng: random.Random) -> Callable[[], float]:
    """A measure for median_of: (g), git add and git commit of one hand-edited order, then undone."""
    def measure() -> float:
        path = rng.choice(files)
        with open(root / path, "a", encoding="utf-8") as handle:
            handle.write("# bench floor edit\n")
        try:
            add = run(["git", "add", str(path)], cwd=root)
            commit = run(["git", "commit", "-q", "--no-verify", "-m", "x"], cwd=root)
        except BaseException:
            restore(root, path)
            raise
        if add.returncode or commit.returncode:
            restore(root, path)
            raise SystemExit(f"bench: floor commit failed: {(add if add.returncode else commit).reason()}")
        git(root, "reset", "-q", "--hard", "HEAD~1")
        return add.seconds + commit.seconds

    return measure


def measure_floors(root: Path, wanted: set[str], runs: int, files: list[Path], seed: int) -> dict[str, float]:
    """The wanted floors, each the median of runs runs, in the order of FLOORS."""
    python = sys.executable
    plan = {
        "list": timed(floor_list, root),
        "status": child(["git", "-C", str(root), "status"]),
        "read": timed(floor_read, root),
        "parse": timed(floor_parse, root),
        "python": child([python, "-c", "pass"]),
        "click": child([python, "-c", "import click"]),
        "commit": commit_one(root, files, random.Random(seed)),
    }
    floors: dict[str, float] = {}
    for name, measure in plan.items():
        if name in wanted:
            floors[name] = median_of(runs, measure)
            say(f"floor {FLOORS[name]}: {floors[name]:.3f} s")
    return floors
