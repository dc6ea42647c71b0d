"""The company's month (`rollup`): each office's monthly figures side by side, their total and a ranking.

Each office's figures are ``stats.monthly``'s, read from its own cache as `monthly` reads them
(never every YAML file); git looks for hand-edited files in the next offices while one office's
figures are made, and many offices are shared between worker processes, one a core. The total
(``total.py``) has monthly's keys for the company as a whole. An office that cannot be read, or
whose period holds a file that cannot be read, refuses the rollup unless allow_broken: then it is
left out (or counted without the file), and named.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import NamedTuple

from repairctl.errors import Incomplete, OfficeError, Problem, RepairError
from repairctl.office.company import Company, Listed
from repairctl.orders import query, reading
from repairctl.reports import stats
from repairctl.reports.total import total
from repairctl.store import progress
from repairctl.text import cjk, terms
from repairctl.text.i18n import _

LOOK_AHEAD = 4  # offices whose `git status` runs while one office's figures are made
PARALLEL_FROM = 8  # offices a worker process takes at least: fewer are read in-process


@dataclass
class Rollup:
    """The company's month: each office's report (monthly's, with site, folder and rank), the total, and
    what was left out (lines to name on stderr)."""

    name: str
    month: str
    offices: list[dict]
    total: dict
    warnings: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        """What `rollup --format json` prints."""
        return {"company": {"name": self.name, "offices": len(self.offices)}, "month": self.month,
                "offices": self.offices, "total": self.total}


def rollup(company: Company, month: str, *, allow_broken: bool = False) -> Rollup:
    """Each office's monthly report for month, their total and ranks; Incomplete (naming each office and file)
    when one cannot be read, unless allow_broken."""
    reports, failed, broken, warnings, sites = [], [], [], [], {}
    for listed, read in zip(company.offices, _read_all(list(company.offices), month, allow_broken), strict=True):
        if read.site in sites:  # wrong input, whatever --allow-broken says: their IDs may be the same
            raise OfficeError(str(listed.problem(
                _("its site {site} is also the site of {other}; each office's site must differ").format(
                    site=read.site, other=sites[read.site]))))
        if read.site is None:
            failed += read.lines
            continue
        sites[read.site] = listed.written
        broken += read.broken
        warnings += read.lines
        if read.report is not None:
            reports.append(read.report)
    if (failed or broken) and not allow_broken:
        _refuse(failed, broken, month)
    if not reports:
        raise OfficeError(_("no office could be read (the lines above say why); there is nothing to roll up"))
    rank(reports)
    return Rollup(company.name, month, reports, total(reports, company.name, failed), [*warnings, *failed])


class Read(NamedTuple):
    """One office read: its site (None when it cannot be read), its report (None when a file of the period
    cannot be read: broken says which), and the lines to name on stderr (for an unread office: why)."""

    site: str | None
    report: dict | None
    broken: list[Problem]
    lines: list[str]


def _read_all(offices: list[Listed], month: str, allow_broken: bool) -> list[Read]:
    """Every office read, in order: by one worker process a core (each taking every n-th office) when there are
    many, since making the figures and git's looking at the files both want a core."""
    workers = min(os.cpu_count() or 1, len(offices) // PARALLEL_FROM)
    meter = progress.Meter(len(offices), _("reading offices"))
    if workers < 2:
        with meter:
            return _read(offices, month, allow_broken, meter.update)
    import multiprocessing  # 15 ms of imports: only for many offices
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    done = multiprocessing.Value("i", 0)  # offices read, by every worker: the parent shows the count
    with ProcessPoolExecutor(workers, initializer=_count_into, initargs=(done,)) as pool, meter:
        futures = [pool.submit(_read, offices[k::workers], month, allow_broken, _counted) for k in range(workers)]
        while not all(future.done() for future in futures):
            wait(futures, timeout=progress.EVERY, return_when=FIRST_COMPLETED)
            meter.update(done.value)
        parts = [future.result() for future in futures]
    found: list = [None] * len(offices)
    for k, part in enumerate(parts):
        found[k::workers] = part
    return found


_done = None  # in a worker process: the count of offices read, shared with the parent


def _count_into(counter) -> None:
    global _done
    _done = counter


def _counted(_index: int) -> None:
    with _done.get_lock():
        _done.value += 1


def _read(offices: list[Listed], month: str, allow_broken: bool, read=lambda done: None) -> list[Read]:
    """Read each office in turn, git already looking at the next LOOK_AHEAD offices' files meanwhile;
    read(n) after the n-th."""
    found, opened = [], {}
    try:
        for index, listed in enumerate(offices):
            read(index)
            for ahead in range(index, min(index + 1 + LOOK_AHEAD, len(offices))):
                if ahead not in opened:
                    opened[ahead] = _open(offices[ahead])
            office = opened.pop(index)
            if isinstance(office, str):
                found.append(Read(None, None, [], [office]))
                continue
            try:
                report, _rows = stats.monthly(office, month, allow_broken=allow_broken, detail=False)
                found.append(Read(office.site, {"site": office.site, "folder": str(office.root), **report}, [],
                                  _left_out(office, report).lines()))
            except Incomplete as exc:
                found.append(Read(office.site, None, exc.problems, []))
            except (RepairError, OSError) as exc:
                found.append(Read(None, None, [], [str(listed.problem(str(exc)))]))
            finally:
                office.stop_looking()
    finally:
        for office in opened.values():
            if not isinstance(office, str):
                office.stop_looking()
    return found


def _open(listed: Listed):
    """The office, with git already looking for its edited files; or, when it cannot be read, why (a line)."""
    try:
        office = listed.load()
        office.look_for_edits()
        return office
    except (RepairError, OSError) as exc:
        return str(exc)


def _left_out(office, report: dict) -> reading.LeftOut:
    """What the office's figures left out, to name: the files (only with allow_broken), and the IDs two files
    claim among the period's orders (counted once)."""
    months = report["period"]["months"]
    if report["left_out"]["count"]:
        return reading.left_out(office, months)
    return reading.LeftOut(twice=query.twice_used_in(office, months))  # a look-up per order, not per ID


def _refuse(failed: list[str], broken: list, month: str):
    """Refuse the rollup: one line for one office that cannot be read, else every problem and a summary."""
    if len(failed) == 1 and not broken:
        raise OfficeError(_("{problem}; fix it, or pass --allow-broken to roll up without it").format(
            problem=failed[0]))
    # whole sentences, one for each mix: the Chinese puts the counts elsewhere
    said = (_("{offices} office(s) and {files} order file(s) of {month} cannot be read, so the company's figures "
              "would be wrong; fix them (the lines above say where), or pass --allow-broken to roll up without them")
            if failed and broken else
            _("{offices} office(s) cannot be read, so the company's figures would be wrong; fix them (the lines "
              "above say where), or pass --allow-broken to roll up without them") if failed else
            _("{files} order file(s) of {month} cannot be read, so the company's figures would be wrong; fix them "
              "(the lines above say where), or pass --allow-broken to roll up without them"))
    raise Incomplete(said.format(offices=len(failed), files=len(broken), month=month),
                     [*broken, *(Problem(None, 0, "", line) for line in failed)])


def results(report: dict) -> tuple[int, int]:
    """How many of a report's targets are met, and how many missed."""
    passed = [target["passed"] for target in report["targets"]]
    return passed.count(True), passed.count(False)


def _score(report: dict) -> tuple:
    """What ranks an office: targets met, then fewest missed, then completion rate, then satisfaction."""
    met, missed = results(report)
    rates = (report["completion_rate"], report["satisfaction_rate"])
    return (-met, missed, *(-1 if rate is None else -rate for rate in rates))


def rank(reports: list[dict]) -> None:
    """Give each report its rank (1 best); offices that score the same share a rank (1, 2, 2, 4)."""
    ordered = sorted(reports, key=lambda report: (_score(report), report["site"]))
    for place, report in enumerate(ordered, 1):
        tied = place > 1 and _score(report) == _score(ordered[place - 2])
        report["rank"] = ordered[place - 2]["rank"] if tied else place


TEXT_MEASURES = ("satisfaction", "on_time_arrival", "on_time_finish", "rework_rate")


def rollup_text(done: Rollup) -> str:
    """The company's month for the terminal: a row per office, ranked, and the total."""
    def m(key):
        return terms.shown(terms.MEASURE, key)

    def c(key):
        return terms.shown(terms.COMPANY, key)

    def percent(rate):
        return "—" if rate is None else f"{rate:.1%}"

    def row(report: dict, rank: str, site: str, name: str) -> list:
        values = {t["measure"]: t["value"] for t in report["targets"]}
        met, missed = results(report)
        return [rank, site, name, *(report[k] for k in stats.COUNTS[:3]), percent(report["completion_rate"]),
                *(percent(values.get(k)) for k in TEXT_MEASURES), f"{met}/{met + missed}"]

    heads = [c("rank"), c("site"), c("office"), *(m(k) for k in stats.COUNTS[:3]), m("completion_rate"),
             *(m(k) for k in TEXT_MEASURES), c("met")]
    rows = [row(o, str(o["rank"]), o["site"], o["office"]["name"])
            for o in sorted(done.offices, key=lambda o: (o["rank"], o["site"]))]
    rows.append(row(done.total, "", "", c("total")))
    title = _("{company} monthly repair statistics of all offices {month}").format(company=done.name, month=done.month)
    title = title.strip()
    lines = [title, cjk.table(heads, rows)]
    left = done.total["left_out"]
    if left["count"] or left["offices"]:
        lines.append(_("note: {offices} office(s) and {files} order file(s) cannot be read and are not counted "
                       "above").format(offices=len(left["offices"]), files=left["count"]))
    return "\n".join(lines)
