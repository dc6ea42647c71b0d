"""The command line's types of time: a time, a day, a month, an ISO week and a length of time, each read
as the clerk types it (Chinese words too) in the office's timezone, validated and completed in the shell.
cli/options.py hands them on with the other types."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from types import MappingProxyType

import click

from repairctl.cli import completion
from repairctl.cli.session import office_of
from repairctl.errors import RepairError
from repairctl.text.i18n import _

# a time written in full (2026-11-23 14:05, ISO 8601): nothing was inferred, nothing to echo
FULL_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2})?(?:[+-]\d{2}:\d{2}|Z)?")


class TimeType(click.ParamType):
    """A time such as '2026-11-23 14:00', '14:00', '下午2点' or '昨天 16:30', read in the office timezone.

    A year outside 2000..2099 and a wall time the clocks skip are refused; a wall time they show
    twice is read as the first, with a warning on stderr saying how to give the second.
    """

    name = "TIME"

    def convert(self, value, param, ctx):
        if isinstance(value, dt.datetime):
            return value
        from repairctl.text import clock

        office = office_of(ctx)
        tz = office.tz if office else clock.zone(clock.DEFAULT_ZONE)
        notes: list[str] = []
        try:
            result = clock.parse_time(str(value), tz, notes=notes)
        except RepairError as exc:
            self.fail(str(exc), param, ctx)
        option = param.opts[0] if param else "time"
        if not FULL_TIME.fullmatch(str(value).strip()):  # 14:05, 下午2点, 11/23 9:20: say what was understood
            click.echo(f"{option} {value} = {clock.show(result)}", err=True)
        for note in notes:
            click.echo(_("warning: {option} {note}").format(option=option, note=note), err=True)
        return result


def office_today(ctx) -> dt.date:
    """Today in the office's timezone (the default zone outside an office)."""
    from repairctl.text import clock

    office = office_of(ctx)
    return office.now().date() if office else clock.now(clock.zone(clock.DEFAULT_ZONE)).date()


class MonthType(click.ParamType):
    """A calendar month: 2026-11, 2026年11月, or 11月 (the latest November up to now)."""

    name = "YYYY-MM"

    def convert(self, value, param, ctx):
        text = unicodedata.normalize("NFKC", str(value)).strip()
        match = re.fullmatch(r"(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*月?|(\d{1,2})\s*月", text)
        month = match and int(match[2] or match[3])
        if not match or not 1 <= month <= 12:
            self.fail(_("{value} is not a month; write it as 2026-11").format(value=repr(value)), param, ctx)
        year = int(match[1]) if match[1] else self._this_year(ctx, month)
        return f"{year:04d}-{month:02d}"

    @staticmethod
    def _this_year(ctx, month: int) -> int:
        """The year of 11月 typed alone: this year's, or last year's when that month is still to come."""
        today = office_today(ctx)
        return today.year if month <= today.month else today.year - 1

    def shell_complete(self, ctx, param, incomplete):
        return completion.months(ctx, incomplete)


class WeekType(click.ParamType):
    """An ISO week: 2026-W45, 2026w45, 2026年第45周, or 第45周 / W45 (this ISO year, the office's today)."""

    name = "YYYY-Www"

    def convert(self, value, param, ctx):
        text = unicodedata.normalize("NFKC", str(value)).strip()
        match = re.fullmatch(r"(?:(\d{4})\s*-?\s*)?[Ww]\s*(\d{1,2})|(?:(\d{4})\s*年\s*)?第\s*(\d{1,2})\s*周", text)
        if not match:
            self.fail(_("{value} is not a week; write it as 2026-W45 (ISO week 45 of 2026)").format(
                value=repr(value)), param, ctx)
        from repairctl.reports import period  # the weeks a year has: ISO 8601's, checked once, there

        year = match[1] or match[3]
        try:
            return period.week_label(int(year) if year else office_today(ctx).isocalendar().year,
                                     int(match[2] or match[4]))
        except RepairError as exc:
            self.fail(str(exc), param, ctx)

    def shell_complete(self, ctx, param, incomplete):
        """This week and the seven before it, latest first, each with its Monday and Sunday."""
        from click.shell_completion import CompletionItem

        monday = office_today(ctx) - dt.timedelta(days=office_today(ctx).weekday())
        found = []
        for back in range(8):
            day = monday - dt.timedelta(weeks=back)
            year, week, _weekday = day.isocalendar()
            label = f"{year:04d}-W{week:02d}"
            if label.lower().startswith(incomplete.strip().lower()):
                found.append(CompletionItem(label, help=f"{day:%m-%d} – {day + dt.timedelta(days=6):%m-%d}"))
        return found


class DateType(click.ParamType):
    """A day written YYYY-MM-DD, or today/今天, tomorrow/明天 (the office's day)."""

    name = "YYYY-MM-DD"
    WORDS = MappingProxyType({"today": 0, "今天": 0, "tomorrow": 1, "明天": 1})

    def convert(self, value, param, ctx):
        if isinstance(value, dt.date):
            return value
        text = str(value).strip().lower()
        if text in self.WORDS:
            return office_today(ctx) + dt.timedelta(days=self.WORDS[text])
        try:
            if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", text):
                year, month, day = map(int, text.split("-"))
                return dt.date(year, month, day)
        except ValueError:
            pass
        self.fail(_("{value} is not a day; write it as 2026-11-25 (or today, tomorrow)").format(value=repr(value)),
                  param, ctx)


class DurationType(click.ParamType):
    """A length of time in days, hours and minutes: 90m, 2h, 1d, 1h30m, or 2小时, 1天, 30分钟, 1小时30分."""

    name = "DURATION"
    PATTERN = re.compile(r"(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?")
    # 2小时30分钟, 1天, 半小时: the Chinese units, folded to d, h and m
    UNITS = (("个小时", "h"), ("小时", "h"), ("钟头", "h"), ("分钟", "m"), ("分", "m"), ("天", "d"), ("日", "d"),
             ("时", "h"))

    def convert(self, value, param, ctx):
        if isinstance(value, dt.timedelta):
            return value
        text = unicodedata.normalize("NFKC", str(value)).strip().lower().replace(" ", "")
        text = text.replace("半小时", "30m").replace("半天", "12h")
        for word, unit in self.UNITS:
            text = text.replace(word, unit)
        match = self.PATTERN.fullmatch(text)
        if not text or not match:  # a bare number is refused: minutes or hours would be a guess
            self.fail(_("{value} is not a duration; write it as 90m, 2h, 1d, 1h30m or 2小时, 1天, 30分钟")
                      .format(value=repr(value)), param, ctx)
        days, hours, minutes = (int(part or 0) for part in match.groups())
        return dt.timedelta(days=days, hours=hours, minutes=minutes)


TIME = TimeType()
MONTH = MonthType()
WEEK = WeekType()
DATE = DateType()
DURATION = DurationType()
