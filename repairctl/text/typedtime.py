"""Times as a Chinese keyboard types them: 14点05, 下午2点半, 2026年11月25日 09:20, 昨天 16:30.

clock.parse_time asks here first for any text that is not ISO 8601; what this reads it hands back
as a naive wall time for clock's year and daylight-saving checks. Full-width digits, colons and
spaces (１４：０５) are folded by NFKC before reading. Hours and minutes may be written in Chinese
numerals too (下午两点, 三点一刻 is not taken: a quarter is rare at the desk and 15 is quicker).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from repairctl.errors import RepairError
from repairctl.text.i18n import N_, _

# the day before the time: a word counted back (or on, for an appointment) from today
DAYS = {"今天": 0, "今日": 0, "昨天": -1, "昨日": -1, "前天": -2, "明天": 1, "明日": 1, "后天": 2}
# a part of the day: afternoon and evening hours 1..11 are 13..23; 凌晨12点 is midnight
AFTERNOON = ("下午", "中午", "晚上", "傍晚", "夜里", "夜间")
MORNING = ("上午", "早上", "早晨", "凌晨", "清晨")
NUMBER = r"\d{1,2}|[零〇一二两三四五六七八九十]{1,3}"
FORM = re.compile(
    r"(?:(?P<word>" + "|".join(DAYS) + r")"
    r"|(?:(?P<year>\d{4})\s*年\s*)?(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*[日号]?"
    r"|(?P<iso>\d{4}[-/.]\d{1,2}[-/.]\d{1,2})|(?P<short>\d{1,2}[-/]\d{1,2}))?\s*"
    r"(?P<period>" + "|".join(AFTERNOON + MORNING) + r")?\s*"
    r"(?:(?P<h1>\d{1,2}):(?P<m1>\d{2})(?::(?P<s1>\d{2}))?"
    r"|(?P<h2>" + NUMBER + r")\s*[点时]\s*(?:(?P<half>半)|(?P<m2>" + NUMBER + r")\s*分?)?)"
)
DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
EXPECTED = N_("write it as 2026-11-23 14:05, 14:05, 14点05, 下午2点半 or 昨天 16:30")


def fold(text: str) -> str:
    """Text with full-width digits, colons and spaces made ASCII (NFKC), trimmed."""
    return unicodedata.normalize("NFKC", text).strip()


def read(text: str, base: dt.datetime) -> dt.datetime | None:
    """The naive wall time text names, the parts left out taken from base (now); None if it is no such form."""
    match = FORM.fullmatch(fold(text))
    if not match:
        return None
    part = match.groupdict()
    day = base.date()
    if part["word"]:
        day += dt.timedelta(days=DAYS[part["word"]])
    elif part["month"] or part["iso"] or part["short"]:
        if part["iso"]:  # 2026-11-23, 2026/11/23, 2026.11.23
            year, month, date = re.split(r"[-/.]", part["iso"])
        elif part["short"]:  # 11/23, 11-23: this year's
            year, (month, date) = base.year, re.split(r"[-/]", part["short"])
        else:
            year, month, date = part["year"] or base.year, part["month"], part["day"]
        try:
            day = dt.date(int(year), int(month), int(date))
        except ValueError:
            raise RepairError(_("time {text} names no day of the calendar; {expected}")
                              .format(text=repr(text), expected=_(EXPECTED))) from None
    hour = _number(part["h1"] or part["h2"])
    minute = 30 if part["half"] else _number(part["m1"] or part["m2"] or "0")
    second = int(part["s1"] or 0)
    hour = _in_the_day(hour, part["period"], text)
    if hour is None or minute is None or not (0 <= hour <= 23 and 0 <= minute <= 59 and second <= 59):
        raise RepairError(_("time {text} has no such hour or minute; {expected}")
                          .format(text=repr(text), expected=_(EXPECTED)))
    return dt.datetime.combine(day, dt.time(hour, minute, second))


def _in_the_day(hour: int | None, period: str | None, text: str) -> int | None:
    """The hour on the 24-hour clock, given the part of the day it was said with."""
    if hour is None or period is None:
        return hour
    if period in AFTERNOON:
        if hour == 12 and period in ("晚上", "夜里", "夜间"):  # midnight: which day is a guess
            raise RepairError(_("time {text} is midnight: write 00:00 with the next day, or 23:59")
                              .format(text=repr(text)))
        return hour + 12 if 1 <= hour <= 11 else hour
    if hour > 12:  # 上午14点: one of the two is a slip
        raise RepairError(_("time {text} puts {hour}:00 in the {period}; write 14:00 or 下午2点")
                          .format(text=repr(text), hour=hour, period=period))
    return 0 if hour == 12 and period == "凌晨" else hour


def _number(text: str) -> int | None:
    """A number of up to 59 in digits or Chinese numerals (五, 十五, 二十, 四十五); None if it is none."""
    if text.isdigit():
        return int(text)
    tens, _, units = text.partition("十")
    if "十" not in text:
        return DIGITS.get(text) if len(text) == 1 else None
    if (tens and tens not in DIGITS) or (units and units not in DIGITS):
        return None
    return (DIGITS[tens] if tens else 1) * 10 + (DIGITS[units] if units else 0)
