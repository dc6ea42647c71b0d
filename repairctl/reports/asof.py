"""Reports as the office stood at a past commit (`monthly --as-of`): made from git history, not the work tree.

The commit's office.yaml, catalogue and the order files the report can read are copied out of
git into a temporary folder, which is then an office like any other: stats.monthly makes the
report there, as it would have at the commit, and the folder goes. The files copied:

- every file of the period's month folders, and every file under records/orders outside a month
  folder (a report names those as left out);
- of the other month folders, each file with an event time (``at:``) the report could count: in
  an earlier folder, on or after the warranty's start before the first month of the workbook's
  12-month trend (its months' orders, and an earlier job of a unit finished then that decides
  rework, query.for_month), in a later one, up to the period's end (an order filed in the wrong
  folder still counts by when it was received); and each file of an earlier folder still open
  (``status:`` received, assigned or arrived), which may have been open at the period's end
  (backlog.py). git grep finds them in the commit's blobs, so a report of one month copies and
  reads a year and the warranty before it, not ten years of orders.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from dateutil.relativedelta import relativedelta

from repairctl.errors import Incomplete, OfficeError, RepairError
from repairctl.office.folder import load_office
from repairctl.orders import complaints, reading, sla
from repairctl.reports import provenance, stats, trend
from repairctl.store import files, history
from repairctl.store.files import ORDERS
from repairctl.text import clock
from repairctl.text.i18n import _

SHORT = 12  # a commit's hash as messages give it
TIME_RE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}(?:[ T].*)?|\d{1,2}:\d{2}")  # what --as-of reads as a time
AT = r"at['\"]?[[:space:]]*:[[:space:]]*['\"]?"  # an event's time key in an order file, any YAML style
OPEN = r"^['\"]?status['\"]?[[:space:]]*:[[:space:]]*['\"]?(received|assigned|arrived)['\"]?[[:space:]]*(#.*)?$"


@dataclass(frozen=True)
class Point:
    """A moment of the office's history: the commit, and the time open clocks are judged at."""

    commit: str
    when: dt.datetime


def point(office, given: str) -> Point:
    """What --as-of names: a time (the last commit on HEAD's first-parent line by then, judged then) or a
    commit (any name git accepts, judged at its commit time)."""
    need_history(office, "--as-of")
    text = given.strip()
    if not TIME_RE.fullmatch(text):
        found = history.commit_of(office.root, text)
        if found is None:
            raise RepairError(_("--as-of {given} is no commit git knows here, nor a time; give a commit "
                                "(a hash, HEAD~3, a tag) or a time such as '2026-10-31 18:00'").format(
                given=repr(given)))
        return Point(found[0], found[1].astimezone(office.tz))
    try:
        when = clock.parse_time(text, office.tz)
    except RepairError as exc:
        raise RepairError(_("--as-of: {problem}").format(problem=exc)) from None
    if when > office.now() + office.future_tolerance:
        raise RepairError(_("--as-of {given} is in the future; give a time up to now").format(given=repr(given)))
    commit = history.last_before(office.root, when)
    if commit is None:
        first = history.first_commit(office.root)[1].astimezone(office.tz)
        raise RepairError(_("--as-of {given} is before the office's first commit ({first}); give a later time").format(
            given=repr(given), first=clock.show(first)))
    return Point(commit, when)


def need_history(office, what: str) -> None:
    """Refuse (one line) what reads the office's git history when it has none."""
    if not office.in_git or office.git_head[0] is None:
        raise OfficeError((_("{what} reads the office's git history, and {root} has none (no commit yet)")
                           if office.in_git else
                           _("{what} reads the office's git history, and {root} has none (not in a git repository)")
                           ).format(what=what, root=office.root))


def monthly(office, month: str, at: Point, *, allow_broken: bool = False,
            notes: list[str] | None = None) -> tuple[dict, list[dict]]:
    """stats.monthly's report and detail rows of month as the office stood at the commit, judged at its time;
    notes, if given, gets the lines that name each file left out (as git names it: COMMIT:path)."""
    with tempfile.TemporaryDirectory(prefix="repairctl-as-of-") as name:
        folder, copy = Path(name), None
        try:
            copy, blob = _copy(office, at.commit, month, folder)
            report, rows = stats.monthly(copy, month, as_of=at.when, allow_broken=allow_broken)
            if notes is not None:
                lines = reading.left_out(copy, report["period"]["months"]).lines()
                notes.extend(line.replace(f"{folder}/", f"{at.commit[:SHORT]}:") for line in lines)
        except (RepairError, OSError) as exc:  # OSError: a link the commit holds that points nowhere here
            raise _moved(exc, folder, at.commit) from None
        finally:
            if copy is not None:
                copy.stop_looking()  # closes its cache before the folder goes
    report.update(commit=at.commit, settings={"path": provenance.SETTINGS, "blob": blob}, uncommitted=[])
    return report, rows


def _copy(office, commit: str, month: str, folder: Path):
    """Write the commit's files a report of month reads into folder; the office there, and office.yaml's blob."""
    # a link is read through, as the work tree's would be (examples/office links to the package's defaults)
    settings = history.followed(office.root, commit, history.listing(office.root, commit, list(provenance.READ)))
    blob = next((e.blob for e in settings if e.path == provenance.SETTINGS), None)
    if blob is None:
        raise OfficeError(_("commit {commit} holds no {settings} in {root}: the office was not there yet; give a "
                            "later commit or time").format(commit=commit[:SHORT], settings=provenance.SETTINGS,
                                                           root=office.root))
    history.write(office.root, settings, folder)
    copy = load_office(folder)
    copy.git_head = None  # no repository's folder, even when the temporary folder lies in one
    months = stats._months(copy, month)[1]
    end = stats.period(month, copy.tz, stats.cutoff_day(copy.config))[1]
    start = stats._months(copy, trend.window(month)[0])[0]  # the workbook's trend reaches 11 months back
    since = start - relativedelta(months=sla.schedule(copy.config, copy.tz).longest("warranty_months"))
    history.write(office.root, _orders(office.root, commit, months, since, end)
                  + _complaints(office.root, commit, months), folder)
    return copy, blob


def _complaints(root: Path, commit: str, months: list[str]) -> list:
    """The commit's complaint files filed in months' folders: the report's `complaints` (issue 15 §3)."""
    folders = {f"{complaints.FOLDER}/{month.replace('-', '/')}/" for month in months}
    cut = len(complaints.FOLDER) + 9  # records/complaints/YYYY/MM/
    return [entry for entry in history.listing(root, commit, [complaints.FOLDER]) if entry.path[:cut] in folders]


def _orders(root: Path, commit: str, months: list[str], since: dt.datetime, end: dt.datetime) -> list:
    """The commit's order files a report of months can read (see the module's docstring)."""
    taken, others, earlier, later = [], {}, set(), set()
    for entry in history.listing(root, commit, [ORDERS]):
        parts = entry.path.split("/")  # records, orders, YYYY, MM, ...
        if len(parts) < 5 or not files.is_month(parts[2], parts[3]):
            taken.append(entry)
            continue
        month = f"{int(parts[2]):04d}-{int(parts[3]):02d}"
        if month in months:
            taken.append(entry)
        else:
            others[entry.path] = entry
            (earlier if month < months[0] else later).add("/".join(parts[:4]))
    # a day either side: a stored time may carry another offset than the office's
    # earlier: a time since, or still open (it may have been open at the end): one pass of git grep for both
    recent_or_open = f"({AT}{_at_least(since - dt.timedelta(days=1))})|({OPEN})"
    wanted = (history.matching(root, commit, recent_or_open, sorted(earlier))
              | history.matching(root, commit, AT + _at_most(end + dt.timedelta(days=1)), sorted(later)))
    return taken + [others[path] for path in sorted(wanted) if path in others]


def _digits(digits: str, up: bool) -> str:
    """An extended regex for the digit strings of digits' length at least (up) or at most digits."""
    alternatives = [digits]
    for i, d in enumerate(map(int, digits)):
        if (d < 9) if up else (d > 0):
            span = f"[{d + 1}-9]" if up else f"[0-{d - 1}]"
            alternatives.append(digits[:i] + span + "[0-9]" * (len(digits) - i - 1))
    return "(" + "|".join(alternatives) + ")"


def _at_least(when: dt.datetime) -> str:
    """A regex for a stored time on when's day or later (ISO 8601, the dashes optional as ISO allows)."""
    year, month, day = when.year, when.month, when.day
    return (f"({_digits(str(year + 1), True)}-?[0-9]{{2}}-?[0-9]{{2}}|{year}-?{_digits(f'{month + 1:02d}', True)}"
            f"-?[0-9]{{2}}|{year}-?{month:02d}-?{_digits(f'{day:02d}', True)})")


def _at_most(when: dt.datetime) -> str:
    """A regex for a stored time on when's day or earlier."""
    year, month, day = when.year, when.month, when.day
    return (f"({_digits(str(year - 1), False)}-?[0-9]{{2}}-?[0-9]{{2}}|{year}-?{_digits(f'{month - 1:02d}', False)}"
            f"-?[0-9]{{2}}|{year}-?{month:02d}-?{_digits(f'{day:02d}', False)})")


def _moved(exc: RepairError | OSError, folder: Path, commit: str) -> RepairError:
    """exc naming the commit's files as git does (COMMIT:office.yaml), not the temporary folder that held them."""
    at = f"{commit[:SHORT]}:"

    def where(path):
        try:
            return f"{at}{Path(path).relative_to(folder)}"
        except ValueError:
            return path

    message = str(exc) if isinstance(exc, RepairError) else f"{exc.filename}: {exc.strerror or exc}"
    message = message.replace(f"{folder}/", at)
    if isinstance(exc, Incomplete):
        return Incomplete(message, [dataclasses.replace(p, path=where(p.path)) if p.path else p for p in exc.problems])
    return RepairError(message)
