"""The benchmark of issue 5: repairctl on a ten-year office of 100,000 orders, beside its floors.

    python bench/run.py                          # 100,000 orders over 10 years, 5 runs each
    python bench/run.py --orders 5000 --runs 3   # a quick try
    python bench/run.py --keep /tmp/bench-office # keep the generated office for later
    python bench/run.py --reuse /tmp/bench-office --only overdue,overdue-100
    python bench/run.py --markdown               # the tables also as Markdown, for bench/README.md
    python bench/run.py --only rollup --company /tmp/bench-company   # 50 offices x 20,000 orders, kept

It generates a seeded, realistic office with repairctl's own simulator and writer into a
temporary git repository (one commit), measures the floors (what the machine, git and Python
cannot do faster) and then times the installed `repairctl` executable, each command beside
its floor and the target of the issue: PASS or FAIL. Every figure is the median of --runs runs.
Run it with the Python of the virtual environment repairctl is installed in; `repairctl`
is looked for next to that Python. Not part of the test suite.

The office is left as it was found: edits are put back with git, and the orders the bench
records (new, assign, close, callback) are removed again with `git reset --hard`.

This file is the entry point: the options and the sequence. The rest lives beside it in bench/:
measure.py (timing a child process, medians), office.py (the office: generated or reused,
locked, put back), company.py (the 50 offices of the rollup row), floors.py (the floors),
commands.py (the timed repairctl commands) and report.py (verdicts and tables).
"""

from __future__ import annotations

import argparse
import shutil
import sys
from contextlib import nullcontext
from pathlib import Path

# The bench's modules sit beside this file and import each other by their plain names, as the
# modules of a script folder do. Python puts the script's folder first on sys.path, but not
# under -I, -P or PYTHONSAFEPATH, nor when this file is loaded some other way: put it there.
BENCH_DIR = str(Path(__file__).resolve().parent)
if sys.path[:1] != [BENCH_DIR]:
    sys.path.insert(0, BENCH_DIR)

from commands import COMMANDS, Bench, repairctl_exe  # noqa: E402
from company import company_floor, open_company  # noqa: E402
from floors import FLOORS, floor_list, measure_floors  # noqa: E402
from measure import say  # noqa: E402
from office import AT, bench_lock, open_office, order_files, unwind_on_kill  # noqa: E402
from report import print_report  # noqa: E402

NEEDS = {  # what a measurement is judged against, measured too when it is asked for alone
    "help": ["click"], "show": ["click"], "overdue": ["status"], "overdue-100": ["overdue"],
    "overdue-clone": ["parse"], "check-clone": ["parse"],
    "new": ["commit"], "assign": ["commit"], "close": ["commit"], "callback": ["commit"], "rollup": ["company"],
}
COMPANY = {"rollup", "company"}  # measured on the company of --company, not on the big office


def options() -> tuple[argparse.Namespace, set[str]]:
    """The command line's options, and the measurements to make (with what they are judged against)."""
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
    parser.add_argument("--company", type=Path, metavar="DIR",
                        help="the rollup's company: made in DIR and kept, or reused if DIR holds company.yaml")
    parser.add_argument("--company-offices", type=int, default=50, metavar="N", help="offices of the company (50)")
    parser.add_argument("--company-orders", type=int, default=20_000, metavar="N",
                        help="about this many orders in each office of the company (20000)")
    args = parser.parse_args()
    if min(args.runs, args.orders, args.years, args.company_offices, args.company_orders) < 1:
        parser.error("--runs, --orders, --years, --company-offices and --company-orders must be at least 1")

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
    return args, wanted


def main() -> None:
    """Generate or reuse the office (and the company), measure the floors and the commands, report, clean up."""
    args, wanted = options()
    if not repairctl_exe().exists():
        say(f"warning: no repairctl next to {sys.executable}; every command will FAIL")

    unwind_on_kill()
    root, temporary, generation = open_office(args) if wanted - COMPANY else (None, None, None)
    company, offices, company_temporary = open_company(args, str(repairctl_exe())) if "rollup" in wanted else \
        (None, [], None)
    bench = None
    try:
        with bench_lock(root) if root else nullcontext():
            files = order_files(root) if root else []
            if root and not files:
                raise SystemExit(f"bench: no order files in {root}/records/orders")
            total_bytes = floor_list(root) if root else None
            floors = measure_floors(root, wanted, args.runs, files, args.seed) if root else {}
            if company:
                floors["company"] = company_floor(offices, args.runs)
            bench = Bench(root, args, files, floors)
            for name in ("help", "show", "overdue", "overdue-100", "monthly", "check", "dispatch", "slip-date",
                         "fees", "workload", "report-week"):
                if name in wanted:
                    getattr(bench, name.replace("-", "_"))()
            if wanted & {"new", "assign", "close", "callback"}:
                bench.changes(wanted)
            for name in ("overdue-clone", "check-clone"):
                if name in wanted:
                    getattr(bench, name.replace("-", "_"))()
            if company:
                bench.rollup(company, len(offices))

            results = [bench.results[name] for name in COMMANDS if name in bench.results]
            print_report(args, files, total_bytes, generation, floors, results, offices)
            if args.keep:
                print(f"office kept in {root}; run again with --reuse {root}")
    finally:
        if bench:
            shutil.rmtree(bench.work, ignore_errors=True)
        for folder in (temporary, company_temporary):
            if folder:
                shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
