"""The big simulated office the bench runs in: generated (or reused), listed, locked, put back.

A new office is filled by repairctl's own seeded simulator and writer and committed once, as a
desk migrating its history would. The bench locks the office while it runs and leaves it as it
found it: hand edits are checked out again and the bench's commits are reset away, also when it
is interrupted.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import itertools
import os
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from measure import say

import repairctl

AT = "2026-11-20 10:00"  # the moment the generated desk is frozen at; overdue is judged there
SITE = "HQ"
CHUNK = 5000  # orders generated and written per step (memory stays bounded, progress is shown)


def git(root: Path, *args: str) -> str:
    """Run git in root; raise with git's message if it fails (for the bench's own housekeeping)."""
    result = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"bench: git {' '.join(args)} failed in {root}: {result.stderr.strip()}")
    return result.stdout


def restore(root: Path, *paths: Path | str) -> None:
    """Put files back as committed, staged or not (after a failed or interrupted step)."""
    names = [str(path) for path in paths]
    subprocess.run(["git", "-C", str(root), "reset", "-q", "--", *names], capture_output=True, check=False)
    subprocess.run(["git", "-C", str(root), "checkout", "--", *names], capture_output=True, check=False)


@contextmanager
def put_back(root: Path):
    """The commits made inside the block go again: the office is reset to the commit it was at."""
    head = git(root, "rev-parse", "HEAD").strip()
    try:
        yield
    finally:
        git(root, "reset", "-q", "--hard", head)


@contextmanager
def bench_lock(root: Path):
    """One bench at a time per office: two would undo each other's edits and commits."""
    state = root / ".repairctl"  # git-ignored: repairctl's own derived state lives there
    state.mkdir(exist_ok=True)
    with open(state / "bench.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise SystemExit(f"bench: another bench is running on {root}; wait for it to finish") from None
        yield


def unwind_on_kill() -> None:
    """A kill (SIGTERM, SIGHUP) unwinds like Ctrl-C, so the office is put back on the way out."""
    for number in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, lambda signum, frame: sys.exit(128 + signum))


def per_day(orders: int, days: int) -> tuple[int, int]:
    """A (low, high) daily count whose mean is closest to orders/days, spread ±20% like the default mix."""
    total = max(1, round(2 * orders / days))  # low + high
    half = total // 2
    spread = max(1, round(0.2 * total / 2))
    low = max(0, half - spread)
    return low, total - low


def generate(root: Path, orders: int, years: int, seed: int, site: str = SITE, name: str = "基准管理处") -> dict:
    """A new office in root with about `orders` orders over `years` years up to AT, committed once."""
    from repairctl.office.folder import init_office, load_office
    from repairctl.orders import simulate
    from repairctl.text import clock

    timings = {}
    start_time = time.perf_counter()
    init_office(root, site, name)
    git(root, "config", "user.name", "王小红")
    git(root, "config", "user.email", "bench@example.com")
    office = load_office(root)
    now = clock.parse_time(AT, office.tz)
    end = now.date() + dt.timedelta(days=1)  # the last day's orders after AT are skipped
    start = end.replace(year=end.year - years)
    mix = simulate.Mix(per_day=per_day(orders, (end - start).days))
    say(f"generating about {orders} orders from {start} to {AT}, seed {seed}, per day {mix.per_day}")
    docs = simulate.Simulator(office, seed=seed, mix=mix).orders(start, end, now)
    written = 0
    while True:
        paths = simulate.write(office, itertools.islice(docs, CHUNK))
        if not paths:
            break
        written += len(paths)
        elapsed = time.perf_counter() - start_time
        say(f"  {written} orders written ({elapsed:.0f} s, up to {paths[-1].parent.relative_to(office.orders_dir)})")
    timings["write"] = time.perf_counter() - start_time
    step = time.perf_counter()
    git(root, "add", "-A")
    timings["git add"] = time.perf_counter() - step
    step = time.perf_counter()
    git(root, "commit", "-q", "--no-verify", "-m", f"bench: {written} simulated orders, seed {seed}")
    timings["git commit"] = time.perf_counter() - step
    timings["orders"] = written
    return timings


def _current_templates(root: Path) -> None:
    """Give a reused office the templates this repairctl ships (one made by an older one keeps its own, and
    `slip --date` refuses a slip template older than it), committed, so its timings are of today's code."""
    shipped = Path(repairctl.__file__).parent / "defaults" / "templates"
    for template in shipped.iterdir():
        (root / "templates" / template.name).write_bytes(template.read_bytes())
    if git(root, "status", "--porcelain", "--", "templates").strip():
        git(root, "add", "templates")
        git(root, "commit", "-q", "-m", "bench: the templates repairctl ships")
        say("the reused office's templates were brought up to date")


def open_office(args) -> tuple[Path, Path | None, dict | None]:
    """The office of --reuse, or a new one in --keep's folder or a temporary one.

    Returns its root, the temporary folder to remove at the end (or None) and the generation's
    timings (None when reused).
    """
    if args.reuse:
        root = args.reuse.expanduser().resolve()
        if not (root / "office.yaml").is_file():
            raise SystemExit(f"bench: {root} is not an office folder (no office.yaml)")
        if git(root, "status", "--porcelain", "--", "records").strip():
            raise SystemExit(f"bench: {root}/records has uncommitted changes; the bench would discard them")
        say(f"reusing the office in {root}")
        _current_templates(root)
        return root, None, None
    temporary = None
    if args.keep:
        root = args.keep.expanduser().resolve()
        if root.exists() and any(root.iterdir()):
            raise SystemExit(f"bench: {root} exists and is not empty; use --reuse {root} or another DIR")
    else:
        temporary = Path(tempfile.mkdtemp(prefix="repairctl-bench-office-"))
        root = temporary / "office"
    generation = generate(root, args.orders, args.years, args.seed)
    say("generated {orders} orders: write {write:.1f} s, git add {git add:.1f} s, "
        "git commit {git commit:.1f} s".format(**generation))
    return root, temporary, generation


def scan(root: Path):
    """Every order file's DirEntry, as a command that lists the office would find them."""
    orders = os.path.join(root, "records", "orders")
    for year in os.scandir(orders):
        if year.is_dir() and year.name.isdigit():
            for month in os.scandir(year.path):
                if month.is_dir() and month.name.isdigit():
                    for entry in os.scandir(month.path):
                        if entry.name.endswith(".yaml"):
                            yield entry


def order_files(root: Path) -> list[Path]:
    """Every order file of the office, relative to root, oldest month first."""
    return sorted(Path(entry.path).relative_to(root) for entry in scan(root))


def month(path: Path) -> str:
    """The YYYY-MM folder an order file is filed under."""
    return f"{path.parent.parent.name}-{path.parent.name}"
