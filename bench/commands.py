"""The timed commands: the installed repairctl on the office, each row beside its floor and target.

Each command is a child process timed from spawn to exit, the median of --runs runs after a
warm-up run; overdue after 100 hand edits and the first runs in a fresh clone are timed once per
cycle. new, assign, close and callback record real orders, which are reset away afterwards.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from measure import CLONE_RUNS, Run, plain_ok, run, say
from office import AT, git, put_back
from report import Result, fmt

MONTH = "2026-10"  # the month of the workbook: about 850 orders at 100,000 orders in ten years
WEEK = "2026-W44"  # a week across MONTH's end (10-26 to 11-01): two month folders read for ~200 orders
TECH = "李师傅"
ID_RE = re.compile(r"\b[A-Z][A-Z0-9]{0,9}-\d{6,}[A-Z]?\b")  # an order ID in what new prints

COMMANDS = ["help", "show", "overdue", "overdue-100", "overdue-clone", "monthly",
            "new", "assign", "close", "callback", "check", "check-clone", "rollup",
            "dispatch", "slip-date", "fees", "workload", "report-week"]


def repairctl_exe() -> Path:
    """The repairctl executable next to this Python, as a user of its environment runs it."""
    return Path(sys.executable).parent / "repairctl"


def done(row: Result) -> None:
    """Progress: a row's median and verdict, once it is measured."""
    say(f"{row.name}: {fmt(row.median)} s  {row.verdict}")


def overdue_ok(result: Run) -> str | None:
    """overdue exits 1 when something is late: fine, as long as it printed its table."""
    if result.returncode not in (0, 1):
        return result.reason()
    if not result.stdout.startswith("单号"):
        return result.reason() if result.returncode else "output is not the overdue table"
    return None



def _now() -> str:
    """The time now, to the second with its offset, as --arrived-at takes it."""
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")

class Bench:
    """The command rows of one bench run, measured in the office at root against its floors."""

    def __init__(self, root: Path, args, files: list[Path], floors: dict[str, float]):
        self.root, self.args, self.files, self.floors = root, args, files, floors
        self.exe = str(repairctl_exe())
        self.results: dict[str, Result] = {}
        self.overdue_output: str | None = None  # the warm overdue's table, the others' answer must equal
        self.work = Path(tempfile.mkdtemp(prefix="repairctl-bench-"))

    def repairctl(self, *args: str, root: Path | None = None) -> list[str]:
        """The argv of repairctl with args, in the office (or in root)."""
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
        done(row)
        return output

    # -- the measurements

    def help(self):
        """repairctl --help, against (f)."""
        row = self.result("help", "repairctl --help", "<= 2x (f)", "click", factor=2)
        self.repeat(row, self.repairctl("--help"))

    def show(self):
        """repairctl show of an order from the middle of the office, with the cache built, against (f)."""
        order_id = self.files[len(self.files) // 2].stem
        row = self.result("show", f"repairctl show {order_id}", "<= 2x (f)", "click", factor=2)
        # as in any office where a command has run: the cache exists (show reads it, never builds it)
        run(self.overdue_argv())
        self.repeat(row, self.repairctl("show", order_id))

    def overdue_argv(self, root: Path | None = None) -> list[str]:
        """overdue at AT: the table a clerk reads, as printed by default (laying it out is part of it)."""
        return self.repairctl("overdue", "--at", AT, root=root)

    def overdue(self):
        """overdue with nothing changed, warm, against (b) and 0.6 s; keeps its answer."""
        row = self.result("overdue", f"repairctl overdue --at '{AT}' (nothing changed, warm)",
                          "<= 1.5x (b) and < 0.6 s", "status", factor=1.5, limit=0.6, strict=True)
        self.overdue_output = self.repeat(row, self.overdue_argv(), ok=overdue_ok)

    def same_as_warm(self, row: Result, output: str | None) -> None:
        """A cache must not change the answer: the rows must be those of the warm run."""
        expected = self.overdue_output
        if output is not None and expected is not None and not row.failure and output != expected:
            row.failure = "output differs from the nothing-changed run"

    def overdue_100(self):
        """overdue after 100 order files are edited by hand, once per cycle, put back after each."""
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
        done(row)

    def fresh_clone(self) -> Path:
        """A git clone of the office in the work folder: no .repairctl/, no cache."""
        target = Path(tempfile.mkdtemp(prefix="clone-", dir=self.work))
        shutil.rmtree(target)
        started = time.perf_counter()
        subprocess.run(["git", "clone", "-q", str(self.root), str(target)], check=True)
        say(f"  cloned the office in {time.perf_counter() - started:.1f} s")
        return target

    def cold(self, name: str, command: str, args: Callable[[Path], list[str]], ok=None) -> None:
        """The first run of args(clone) in a new clone each time, at most CLONE_RUNS, against (d)."""
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
        done(row)

    def overdue_clone(self):
        """overdue's first run in a fresh clone; its answer must equal the warm run's."""
        self.cold("overdue-clone", "repairctl overdue ... first run in a fresh clone", self.overdue_argv,
                  ok=overdue_ok)

    def check_clone(self):
        """check's first run in a fresh clone."""
        self.cold("check-clone", "repairctl check, first run in a fresh clone",
                  lambda clone: self.repairctl("check", root=clone))

    def monthly(self):
        """The month's figures and workbook, under 2 s."""
        out = self.work / f"monthly-{MONTH}.xlsx"
        row = self.result("monthly", f"repairctl monthly {MONTH} --out X.xlsx", "< 2 s", limit=2, strict=True)
        self.repeat(row, self.repairctl("monthly", MONTH, "--out", str(out)))

    def report_week(self):
        """A week's figures and workbook (`report --week`), under 2 s as the month's."""
        out = self.work / f"report-{WEEK}.xlsx"
        row = self.result("report-week", f"repairctl report --week {WEEK} --out X.xlsx", "< 2 s", limit=2, strict=True)
        self.repeat(row, self.repairctl("report", "--week", WEEK, "--out", str(out)))

    def fees(self):
        """The finance desk's unpaid fees of every month, warm: every finished order read from the cache, under 2 s."""
        row = self.result("fees", "repairctl fees --unpaid (every month, warm)", "< 2 s", limit=2, strict=True)
        run(self.overdue_argv())  # the cache built, as in any office where a command has run
        self.repeat(row, self.repairctl("fees", "--unpaid"))

    def rollup(self, company: Path, offices: int):
        """The company's month and workbook from every office's warm cache, under 3 s; judged beside (h) too."""
        out = self.work / f"rollup-{MONTH}.xlsx"
        row = self.result("rollup", f"repairctl rollup {MONTH} company.yaml --out X.xlsx ({offices} offices)",
                          "< 3 s", "company", limit=3, strict=True)
        self.repeat(row, [self.exe, "rollup", MONTH, str(company), "--out", str(out)])

    def dispatch(self):
        """The day sheets of AT's day, every technician's, under 1 s."""
        day = AT.split()[0]
        row = self.result("dispatch", f"repairctl dispatch --date {day}", "< 1 s", limit=1, strict=True)
        self.repeat(row, self.repairctl("dispatch", "--date", day))

    def workload(self):
        """Every technician's open and done jobs of AT's day with their standards summed, from the cache, under 1 s."""
        day = AT.split()[0]
        row = self.result("workload", f"repairctl workload --date {day}", "< 1 s", limit=1, strict=True)
        self.repeat(row, self.repairctl("workload", "--date", day))

    def slip_date(self):
        """The slips of AT's day, every copy, as one HTML page, under 2 s."""
        day, out = AT.split()[0], self.work / "slips.html"
        row = self.result("slip-date", f"repairctl slip --date {day} -o X.html", "< 2 s", limit=2, strict=True)
        self.repeat(row, self.repairctl("slip", "--date", day, "-o", str(out)))

    def check(self):
        """check with nothing changed, warm, under 2 s."""
        row = self.result("check", "repairctl check (nothing changed, warm)", "< 2 s", limit=2, strict=True)
        self.repeat(row, self.repairctl("check"))

    def changes(self, wanted: set[str]):
        """new, assign, close, callback on fresh orders; the orders are removed again afterwards."""
        rows = {
            "new": self.result("new", "repairctl new --unit 3栋1201 ... --item W01 --force", "<= 1.5x (g)",
                               "commit", factor=1.5),
            "assign": self.result("assign", f"repairctl assign ID --to {TECH}", "<= 1.5x (g)", "commit", factor=1.5),
            "close": self.result("close", "repairctl close ID --work x --signed-by 业户 --arrived-at T",
                                 "<= 1.5x (g)", "commit", factor=1.5),
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
                # a close needs the sign-off and, with no visit recorded, the slip's arrival: now, after the assign
                for name, args in (("assign", ["assign", order_id, "--to", TECH]),
                                   ("close", ["close", order_id, "--work", "x", "--signed-by", "业户",
                                              "--arrived-at", _now]),
                                   ("callback", ["callback", order_id, "--method", "phone", "--satisfied"])):
                    args = [arg() if callable(arg) else arg for arg in args]  # _now: the time the step runs
                    result = rows[name].add(run(self.repairctl(*args)), timed=timed)
                    if result.returncode:
                        break  # the next step needs this one
        for name, row in rows.items():
            if name not in wanted:
                del self.results[name]
            else:
                done(row)
