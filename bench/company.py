"""The company of the rollup row: 50 offices of 20,000 orders each, made from one generated office.

One office is generated as the big office is (office.generate), its cache built by one
`repairctl monthly`, and copied with `cp -a` (its .git and its cache with it); each copy gets a
site and name of its own in office.yaml, committed, as a company's offices have. A company file
lists them. With --company DIR the company is made there and kept, and reused by the next run
that names DIR (it is made only when DIR holds no company.yaml).
"""

from __future__ import annotations

import subprocess
import tempfile
import time
from pathlib import Path

from measure import median_of, say, timed
from office import generate, git

COMPANY_FILE = "company.yaml"


def site(number: int) -> str:
    """The site code of the company's office number (1-based): S01, S02 …"""
    return f"S{number:02d}"


def make_company(folder: Path, offices: int, orders: int, years: int, seed: int, exe: str) -> dict:
    """Generate one office in folder, copy it offices - 1 times, and write the company file."""
    started = time.perf_counter()
    first = folder / site(1)
    timings = generate(first, orders, years, seed, site=site(1), name=f"基准管理处{site(1)}")
    warm = subprocess.run([exe, "--root", str(first), "monthly", "2026-10"], capture_output=True, text=True)
    if warm.returncode:
        raise SystemExit(f"bench: the first office's cache could not be built: {warm.stderr.strip()[-300:]}")
    for number in range(2, offices + 1):
        copy = folder / site(number)
        subprocess.run(["cp", "-a", str(first), str(copy)], check=True)
        config = copy / "office.yaml"
        text = config.read_text("utf-8").replace(f"site: {site(1)}", f"site: {site(number)}", 1)
        config.write_text(text.replace(f"name: 基准管理处{site(1)}", f"name: 基准管理处{site(number)}", 1), "utf-8")
        git(copy, "commit", "-q", "--no-verify", "-m", f"bench: office {site(number)}", "--", "office.yaml")
    lines = ["name: 基准物业公司", "offices:", *(f"  - {site(n)}" for n in range(1, offices + 1))]
    (folder / COMPANY_FILE).write_text("\n".join(lines) + "\n", "utf-8")
    timings["company"] = time.perf_counter() - started
    return timings


def open_company(args, exe: str) -> tuple[Path, list[Path], Path | None]:
    """The company file of --company (made there when it holds none) or of a temporary company; its offices'
    folders; and the temporary folder to remove at the end (or None)."""
    temporary = None
    if args.company:
        folder = args.company.expanduser().resolve()
    else:
        temporary = folder = Path(tempfile.mkdtemp(prefix="repairctl-bench-company-"))
    company = folder / COMPANY_FILE
    if company.is_file():
        say(f"reusing the company in {folder}")
    else:
        if folder.exists() and any(folder.iterdir()):
            raise SystemExit(f"bench: {folder} holds no {COMPANY_FILE} and is not empty; name an empty or new folder")
        folder.mkdir(parents=True, exist_ok=True)
        say(f"making a company of {args.company_offices} offices of about {args.company_orders} orders in {folder}")
        timings = make_company(folder, args.company_offices, args.company_orders, args.years, args.seed, exe)
        say("made the company in {company:.0f} s (the first office written in {write:.0f} s)".format(**timings))
    offices = [folder / line.strip()[2:] for line in company.read_text("utf-8").splitlines()
               if line.strip().startswith("- ")]
    for office in offices:
        if not (office / "office.yaml").is_file():
            raise SystemExit(f"bench: {office} (listed in {company}) is no office folder")
    return company, offices, temporary


def git_status_each(offices: list[Path]) -> None:
    """(h) `git status` in each office, one after another: what git takes to look at every office once."""
    for office in offices:
        subprocess.run(["git", "-C", str(office), "status"], stdout=subprocess.DEVNULL, check=True)


def company_floor(offices: list[Path], runs: int) -> float:
    """The median of runs timings of (h), after a warm-up run."""
    seconds = median_of(runs, timed(git_status_each, offices))
    say(f"floor (h) git status in each of {len(offices)} offices: {seconds:.3f} s")
    return seconds
