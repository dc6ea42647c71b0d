"""The benchmark of issue 5: repairctl on a ten-year office of 100,000 orders, beside its floors.

    python bench/run.py                          # 100,000 orders over 10 years, 5 runs each
    python bench/run.py --orders 5000 --runs 3   # a quick try
    python bench/run.py --keep /tmp/bench-office # keep the generated office for later
    python bench/run.py --reuse /tmp/bench-office --only overdue,overdue-100
    python bench/run.py --markdown               # the tables also as Markdown, for bench/README.md

It generates a seeded, realistic office with repairctl's own simulator and writer into a
temporary git repository (one commit), measures the floors (what the machine, git and Python
cannot do faster) and then times the installed `repairctl` executable, each command beside
its floor and the target of the issue: PASS or FAIL. Every figure is the median of --runs runs.
Run it with the Python of the virtual environment repairctl is installed in; `repairctl`
is looked for next to that Python. Not part of the test suite.

The office is left as it was found: edits are put back with git, and the orders the bench
records (new, assign, close, callback) are removed again with `git reset --hard`.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

# The bench's modules sit beside this file and import each other by their plain names, as the
# modules of a script folder do. Python puts the script's folder first on sys.path, but not
# under -I, -P or PYTHONSAFEPATH, nor when this file is loaded some other way: put it there.
BENCH_DIR = str(Path(__file__).resolve().parent)
if sys.path[:1] != [BENCH_DIR]:
    sys.path.insert(0, BENCH_DIR)

from measure import CLONE_RUNS, Run, plain_ok, run, say  # noqa: E402
from floors import FLOORS, floor_list, measure_floors  # noqa: E402
from report import Result, fmt, print_report  # noqa: E402
from office import AT, bench_lock, git, open_office, order_files, put_back, unwind_on_kill  # noqa: E402

MONTH = "2026-10"  # the month of the workbook: about 850 orders at 100,000 orders in ten years
TECH = "李师傅"
ID_RE = re.compile(r"\b[A-Z][A-Z0-9]{0,9}-\d{6,}\b")

COMMANDS = ["help", "show", "overdue", "overdue-100", "overdue-clone", "monthly",
            "new", "assign", "close", "callback", "check", "check-clone"]
NEEDS = {  # what a measurement is judged against, measured too when it is asked for alone
    "help": ["click"], "show": ["click"], "overdue": ["status"], "overdue-100": ["overdue"],
    "overdue-clone": ["parse"], "check-clone": ["parse"],
    "new": ["commit"], "assign": ["commit"], "close": ["commit"], "callback": ["commit"],
}


# ---------------------------------------------------------------- commands


def overdue_ok(result: Run) -> str | None:
    """overdue exits 1 when something is late: fine, as long as it printed its table."""
    if result.returncode not in (0, 1):
        return result.reason()
    if not result.stdout.startswith("单号"):
        return result.reason() if result.returncode else "output is not the overdue table"
    return None


class Bench:
    def __init__(self, root: Path, args, files: list[Path], floors: dict[str, float]):
        self.root, self.args, self.files, self.floors = root, args, files, floors
        self.exe = str(Path(sys.executable).parent / "repairctl")
        self.results: dict[str, Result] = {}
        self.work = Path(tempfile.mkdtemp(prefix="repairctl-bench-"))

    def repairctl(self, *args: str, root: Path | None = None) -> list[str]:
        return [self.exe, "--root", str(root or self.root), *args]

    def result(self, name: str, command: str, target: str, floor_name: str | None = None,
               factor: float | None = None, limit: float | None = None, strict: bool = False) -> Result:
        """A row; its limit is factor x the floor, or limit seconds, or the smaller of both."""
        row = Result(name, command, target, floor_name=floor_name, strict=strict)
        row.floor = self.floors.get(floor_name) if floor_name else None
        limits = [limit] if limit is not None else []
        if factor is not None and row.floor is not None:
            limits.append(factor * row.floor)
        row.limit = min(limits) if limits and (factor is None or row.floor is not None) else None
        self.results[name] = row
        return row

    def repeat(self, row: Result, argv: list[str], ok=None) -> str | None:
        """Warm up once, then time --runs runs; the stdout of the last good run."""
        output = None
        for index in range(1 + self.args.runs):
            result = row.add(run(argv), timed=index >= 1, ok=ok)
            if not result.timed_out and not (ok or plain_ok)(result):
                output = result.stdout
            if row.failure and not row.times and index >= 1:
                break  # it fails every time: say so and go on
        say(f"{row.name}: {fmt(row.median)} s  {row.verdict}")
        return output

    # -- the measurements

    def help(self):
        row = self.result("help", "repairctl --help", "<= 2x (f)", "click", factor=2)
        self.repeat(row, self.repairctl("--help"))

    def show(self):
        order_id = self.files[len(self.files) // 2].stem
        row = self.result("show", f"repairctl show {order_id}", "<= 2x (f)", "click", factor=2)
        # as in any office where a command has run: the cache exists (show reads it, never builds it)
        run(self.overdue_argv())
        self.repeat(row, self.repairctl("show", order_id))

    def overdue_argv(self, root: Path | None = None) -> list[str]:
        # the table a clerk reads, as printed by default: laying it out is part of the answer
        return self.repairctl("overdue", "--at", AT, root=root)

    def overdue(self):
        row = self.result("overdue", f"repairctl overdue --at '{AT}' (nothing changed, warm)",
                          "<= 1.5x (b) and < 0.6 s", "status", factor=1.5, limit=0.6, strict=True)
        self.overdue_output = self.repeat(row, self.overdue_argv(), ok=overdue_ok)

    def same_as_warm(self, row: Result, output: str | None) -> None:
        """A cache must not change the answer: the rows must be those of the warm run."""
        expected = getattr(self, "overdue_output", None)
        if output is not None and expected is not None and not row.failure and output != expected:
            row.failure = "output differs from the nothing-changed run"

    def overdue_100(self):
        base = self.results.get("overdue")
        target = "<= nothing changed + 0.2 s"
        row = self.result("overdue-100", "repairctl overdue ... after 100 order files edited by hand", target)
        if base and base.median is not None:
            row.floor_name, row.floor, row.limit = "overdue", base.median, base.median + 0.2
        rng = random.Random(self.args.seed + 100)
        for cycle in range(self.args.runs):
            try:
                for path in rng.sample(self.files, min(100, len(self.files))):
                    with open(self.root / path, "a", encoding="utf-8") as handle:
                        handle.write(f"# bench edit {cycle}\n")
                result = row.add(run(self.overdue_argv()), ok=overdue_ok)
                self.same_as_warm(row, result.stdout if not overdue_ok(result) else None)
            finally:
                git(self.root, "checkout", "--", "records")
            row.add(run(self.overdue_argv()), timed=False, ok=overdue_ok)  # re-warm after the put-back
            if row.failure and not row.times:
                break
        say(f"{row.name}: {fmt(row.median)} s  {row.verdict}")

    def fresh_clone(self) -> Path:
        target = Path(tempfile.mkdtemp(prefix="clone-", dir=self.work))
        shutil.rmtree(target)
        started = time.perf_counter()
        subprocess.run(["git", "clone", "-q", str(self.root), str(target)], check=True)
        say(f"  cloned the office in {time.perf_counter() - started:.1f} s")
        return target

    def cold(self, name: str, command: str, args: Callable[[Path], list[str]], ok=None) -> None:
        row = self.result(name, command, "<= (d)", "parse", factor=1)
        for _ in range(min(CLONE_RUNS, self.args.runs)):
            clone = self.fresh_clone()
            try:
                result = row.add(run(args(clone)), ok=ok)
                if name == "overdue-clone":
                    self.same_as_warm(row, result.stdout if not overdue_ok(result) else None)
            finally:
                shutil.rmtree(clone, ignore_errors=True)
            if row.failure and not row.times:
                break
        say(f"{row.name}: {fmt(row.median)} s  {row.verdict}")

    def overdue_clone(self):
        self.cold("overdue-clone", "repairctl overdue ... first run in a fresh clone", self.overdue_argv,
                  ok=overdue_ok)

    def check_clone(self):
        self.cold("check-clone", "repairctl check, first run in a fresh clone",
                  lambda clone: self.repairctl("check", root=clone))

    def monthly(self):
        out = self.work / f"monthly-{MONTH}.xlsx"
        row = self.result("monthly", f"repairctl monthly {MONTH} --out X.xlsx", "< 2 s", limit=2, strict=True)
        self.repeat(row, self.repairctl("monthly", MONTH, "--out", str(out)))

    def check(self):
        row = self.result("check", "repairctl check (nothing changed, warm)", "< 2 s", limit=2, strict=True)
        self.repeat(row, self.repairctl("check"))

    def changes(self, wanted: set[str]):
        """new, assign, close, callback on fresh orders; the orders are removed again afterwards."""
        rows = {
            "new": self.result("new", "repairctl new --unit 3栋1201 ... --item W01 --force", "<= 1.5x (g)", "commit", factor=1.5),
            "assign": self.result("assign", f"repairctl assign ID --to {TECH}", "<= 1.5x (g)", "commit", factor=1.5),
            "close": self.result("close", "repairctl close ID --work x", "<= 1.5x (g)", "commit", factor=1.5),
            "callback": self.result("callback", "repairctl callback ID --method phone --satisfied", "<= 1.5x (g)",
                                    "commit", factor=1.5),
        }
        with put_back(self.root):  # the bench's orders and commits go again
            for index in range(1 + self.args.runs):  # the first round warms up
                timed = index > 0
                result = rows["new"].add(run(self.repairctl(
                    "new", "--unit", "3栋1201", "--name", "张三", "--phone", "13812345678",
                    "--desc", "厨房水龙头漏水", "--item", "W01", "--force")), timed=timed)
                found = ID_RE.search(result.stdout) if result.returncode == 0 else None
                if not found:
                    rows["new"].failure = rows["new"].failure or f"no order ID in the output of new: {result.reason()}"
                    for name in ("assign", "close", "callback"):
                        rows[name].failure = rows[name].failure or "no fresh order (new failed)"
                    break
                order_id = found.group(0)
                for name, args in (("assign", ["assign", order_id, "--to", TECH]),
                                   ("close", ["close", order_id, "--work", "x"]),
                                   ("callback", ["callback", order_id, "--method", "phone", "--satisfied"])):
                    result = rows[name].add(run(self.repairctl(*args)), timed=timed)
                    if result.returncode:
                        break  # the next step needs this one
        for name, row in rows.items():
            if name not in wanted:
                del self.results[name]
            else:
                say(f"{row.name}: {fmt(row.median)} s  {row.verdict}")


# ---------------------------------------------------------------- output


# ---------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=100_000, help="about this many orders (default 100000)")
    parser.add_argument("--years", type=int, default=10, help=f"spread over this many years up to {AT} (default 10)")
    parser.add_argument("--seed", type=int, default=7, help="seed of the simulator and of the bench's picks")
    parser.add_argument("--runs", type=int, default=5, help="runs per figure; the median is reported (default 5)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--keep", type=Path, metavar="DIR", help="generate the office into DIR and keep it")
    where.add_argument("--reuse", type=Path, metavar="DIR", help="skip generation: use the office in DIR")
    parser.add_argument("--only", metavar="NAME,...",
                        help="only these measurements: " + ",".join([*FLOORS, *COMMANDS]))
    parser.add_argument("--markdown", action="store_true", help="also print the tables as Markdown")
    args = parser.parse_args()
    if args.runs < 1 or args.orders < 1 or args.years < 1:
        parser.error("--runs, --orders and --years must be at least 1")

    wanted = set(FLOORS) | set(COMMANDS)
    if args.only:
        wanted = {name.strip() for name in args.only.split(",") if name.strip()}
        unknown = wanted - set(FLOORS) - set(COMMANDS)
        if unknown:
            parser.error(f"unknown measurement(s) {', '.join(sorted(unknown))}; "
                         f"choose from {', '.join([*FLOORS, *COMMANDS])}")
    while True:  # and what they are judged against
        more = {need for name in wanted for need in NEEDS.get(name, [])} - wanted
        if not more:
            break
        wanted |= more

    exe = Path(sys.executable).parent / "repairctl"
    if not exe.exists():
        say(f"warning: no repairctl next to {sys.executable}; every command will FAIL")

    unwind_on_kill()
    root, temporary, generation = open_office(args)
    bench = None
    try:
        with bench_lock(root):
            files = order_files(root)
            if not files:
                raise SystemExit(f"bench: no order files in {root}/records/orders")
            total_bytes = floor_list(root)
            floors = measure_floors(root, wanted, args.runs, files, args.seed)
            bench = Bench(root, args, files, floors)
            for name in ("help", "show", "overdue", "overdue-100", "monthly", "check"):
                if name in wanted:
                    getattr(bench, name.replace("-", "_"))()
            if wanted & {"new", "assign", "close", "callback"}:
                bench.changes(wanted)
            for name in ("overdue-clone", "check-clone"):
                if name in wanted:
                    getattr(bench, name.replace("-", "_"))()

            results = [bench.results[name] for name in COMMANDS if name in bench.results]
            print_report(args, files, total_bytes, generation, floors, results)
            if args.keep:
                print(f"office kept in {root}; run again with --reuse {root}")
    finally:
        if bench:
            shutil.rmtree(bench.work, ignore_errors=True)
        if temporary:
            shutil.rmtree(temporary, ignore_errors=True)


if __name__ == "__main__":
    main()
