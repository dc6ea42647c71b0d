"""China's public holidays and make-up working days (调休) for calendar.yaml, from the chinese-calendar library.

Why a library: the State Council (国务院办公厅) publishes each year's schedule in the autumn or winter
before, and it follows no rule a program could compute (a make-up Saturday here, a Sunday there);
chinese-calendar is maintained to follow those notices. Why a file: the library only knows the
years of its release (1.11.0: 2004-2026), so the office's calendar.yaml is the truth, seeded from
the library, and a year the library lacks is typed in by hand from the notice.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from repairctl.errors import OfficeError
from repairctl.office import calendar
from repairctl.office.values import date_of
from repairctl.store import files, yamlio
from repairctl.text.i18n import N_, _

DEFAULTS = Path(__file__).parent.parent / "defaults"
# the library's holidays (its Holiday enum) by the names on the State Council's notices
NAMES = {"new_years_day": "元旦", "spring_festival": "春节", "tomb_sweeping_day": "清明节", "labour_day": "劳动节",
         "dragon_boat_festival": "端午节", "national_day": "国庆节", "mid_autumn_festival": "中秋节",
         "anti_fascist_70th_day": "抗战胜利70周年纪念日"}
# the hint of a year typed by hand: a make-up workday is a Saturday or Sunday (2027-02-20 is a Saturday)
FORMAT = N_("holidays: {{2027-01-01: 元旦}} and workdays: {{2027-02-20: 春节}}, one day a line")


def known_years() -> set[int]:
    """The years the installed chinese-calendar has holidays for."""
    import chinese_calendar  # 20 ms: only init and `calendar seed` pay it

    return {day.year for day in chinese_calendar.holidays}


def from_library(year: int) -> tuple[dict[dt.date, str], dict[dt.date, str]]:
    """The holidays and make-up workdays of year by the library, each day with its holiday's name;
    OfficeError (one line: type it by hand, in this format) when the library lacks the year."""
    import chinese_calendar

    if year not in known_years():
        raise OfficeError(_("chinese-calendar has no holidays for {year} yet; type the State Council's schedule into "
                            "{file} by hand ({format})").format(year=year, file=calendar.FILE,
                                                                format=_(FORMAT).format()))
    # the library names a day by its Holiday enum's English value ('National Day'): the notices' names instead
    chinese = {member.value: NAMES.get(member.name, member.value) for member in chinese_calendar.Holiday}

    def named(days: dict) -> dict[dt.date, str]:
        return {day: chinese.get(holiday, str(holiday)) for day, holiday in sorted(days.items()) if day.year == year}

    return named(chinese_calendar.holidays), named(chinese_calendar.workdays)


def new_file(root: Path, years: list[int]) -> Path:
    """Write a new calendar.yaml in root from the shipped one, with the holidays of those of years the library
    has (init: this year and next); returns its path."""
    path = calendar.path_of(root)
    doc = yamlio.load_round_trip(path, (DEFAULTS / calendar.FILE).read_text("utf-8"))
    for year in sorted(set(years) & known_years()):
        _add(doc, *from_library(year))
    files.write_atomic(path, _text(doc))
    return path


def seed(root: Path, year: int) -> tuple[Path, int, int]:
    """Add year's holidays and make-up workdays from the library to the office's calendar.yaml (made if it has
    none); returns (path, holidays added, workdays added). Refused when the file lists the year already."""
    path = calendar.path_of(root)
    holidays, workdays = from_library(year)  # refused first, before any file is made
    if not path.is_file():
        new_file(root, [])
    doc = yamlio.load_round_trip(path)
    if not isinstance(doc, dict):
        raise OfficeError(_("{path}: not a calendar (a mapping); `repairctl check` says why").format(path=path))
    for key in ("holidays", "workdays"):
        if any(date_of(day) and date_of(day).year == year for day in (doc.get(key) or {})):
            raise OfficeError(_("{file} already lists {key} of {year}; edit them there by hand").format(
                file=calendar.FILE, key=key, year=year))
    _add(doc, holidays, workdays)
    files.write_atomic(path, _text(doc))
    return path, len(holidays), len(workdays)


def _add(doc, holidays: dict[dt.date, str], workdays: dict[dt.date, str]) -> None:
    """Put each day in its mapping of doc, in date order among the days already there."""
    for key, days in (("holidays", holidays), ("workdays", workdays)):
        mapping = doc.get(key)
        if not isinstance(mapping, dict):
            mapping = yamlio.block_map()
            doc[key] = mapping
        for day, name in days.items():
            later = [n for n, old in enumerate(mapping) if (date_of(old) or dt.date.max) > day]
            if later and hasattr(mapping, "insert"):
                mapping.insert(later[0], day, name)
            else:
                mapping[day] = name


def _text(doc) -> str:
    # ruamel writes an empty top-level key (`duty:` with nothing under it yet) as `duty: null`; keep it as typed
    return re.sub(r"(?m)^(\w+): null$", r"\1:", yamlio.dump_text(doc))
