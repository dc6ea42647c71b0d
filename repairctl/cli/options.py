"""Command-line types and options, defined once and shared by every command."""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

import click

from repairctl.cli import completion
from repairctl.cli.session import office_of
from repairctl.cli.timetypes import DATE, DURATION, MONTH, TIME, WEEK, office_today  # noqa: F401 (shared here)
from repairctl.errors import RepairError
from repairctl.text import money, terms
from repairctl.text.i18n import _
from repairctl.text.inputs import check_text


class OrderIdType(click.ParamType):
    """An order ID: HQ-000123, HQ-000123B, ＨＱ－０００１２３ or the bare number 123; completes from the files."""

    name = "ID"

    def convert(self, value, param, ctx):
        # the orders layer and what it imports (11 ms): for a command that runs, not for --help
        from repairctl.orders import records

        try:
            # a bare number (17, １７) is the office's series: the only form that needs the office
            bare = re.fullmatch(r"\d+[A-Za-z]?", unicodedata.normalize("NFKC", str(value)).strip())
            office = office_of(ctx) if bare else None
            if office is None:
                return records.check_id(str(value))
            return records.typed_id(str(value), office.orders_dir, office.site, _desk_letter(office))
        except RepairError as exc:
            self.fail(str(exc), param, ctx)

    def shell_complete(self, ctx, param, incomplete):
        return completion.order_ids(ctx, incomplete)


def _desk_letter(office) -> str:
    """This clone's desk letter for a bare order number; none when it has no desk yet (the command says so)."""
    from repairctl.office import desks

    try:
        return desks.letter(office.root)
    except RepairError:
        return ""


class AmountType(click.ParamType):
    """An amount in yuan, zero or more, to the fen."""

    name = "AMOUNT"

    def convert(self, value, param, ctx):
        try:
            return money.parse(value, "amount")
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


class MaterialType(click.ParamType):
    """A material used: NAME:QTY:UNIT_PRICE, e.g. 水龙头:1:35 (or 水龙头：1：35元)."""

    name = "NAME:QTY:UNIT_PRICE"

    def convert(self, value, param, ctx):
        if isinstance(value, tuple):
            return value
        parts = str(value).replace("：", ":").rsplit(":", 2)  # 水龙头：1：35, as a Chinese keyboard types it
        if len(parts) != 3 or not parts[0].strip():
            self.fail(_("material {value} needs a name, a quantity and a unit price: NAME:QTY:UNIT_PRICE, "
                        "e.g. 水龙头:1:35").format(value=repr(value)), param, ctx)
        name, qty, price = (part.strip() for part in parts)
        try:
            name = check_text(_("material name"), name, required=True)
            quantity = money.parse(qty, _("quantity of {name}").format(name=name), yuan=False)
            if quantity == 0:
                raise ValueError(_("quantity of {name} must be more than zero, e.g. {name}:1:35").format(name=name))
            return name, quantity, money.parse(price, _("unit price of {name}").format(name=name))
        except (ValueError, RepairError) as exc:
            self.fail(str(exc), param, ctx)


class WordChoice(click.Choice):
    """One of a terms table's codes, typed as the code (phone) or as the desk's word (电话); the code is kept.

    A clerk answers 电话 as readily as phone: both are the same choice, and a refusal lists both."""

    def __init__(self, table: dict, *extra: str):
        super().__init__([*table, *extra])
        self.words = {unicodedata.normalize("NFKC", word).casefold(): code
                      for code, label in table.items() for word in (label, *label.split("/"))}
        self.table = table

    def convert(self, value, param, ctx):
        if isinstance(value, str):
            value = self.words.get(unicodedata.normalize("NFKC", value).strip().casefold(), value.strip())
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            shown = _(", ").join(f"{code}（{self.table[code]}）" if code in self.table else code
                                 for code in self.choices)
            self.fail(_("{value} is not one of {choices}").format(value=repr(value), choices=shown), param, ctx)


class DeskLetterType(click.ParamType):
    """A desk's letter: one of A–Z (lower case accepted), checked before anything is cloned or claimed."""

    name = "LETTER"

    def convert(self, value, param, ctx):
        letter = str(value).strip().upper()
        if len(letter) != 1 or not "A" <= letter <= "Z":
            self.fail(_("{value} is not a desk letter: one letter A-Z, e.g. B").format(value=repr(value)), param, ctx)
        return letter


class WorkbookPathType(click.Path):
    """A path for an Excel workbook: it must end in .xlsx, since that is what is written."""

    def __init__(self):
        super().__init__(dir_okay=False, path_type=Path)

    def convert(self, value, param, ctx):
        path = super().convert(value, param, ctx)
        if path.suffix.lower() != ".xlsx":
            self.fail(_("{value} does not end in .xlsx; the workbook is an Excel file, e.g. monthly-2026-10.xlsx"
                        ).format(value=repr(value)), param, ctx)
        return path


def exactly_one(**given) -> str:
    """The name of the one option given among options that exclude each other; else a usage error."""
    chosen = [name for name, value in given.items() if value not in (None, False)]
    if len(chosen) != 1:
        raise click.UsageError(_("give exactly one of {options}").format(
            options=", ".join("--" + name for name in given)))
    return chosen[0]


def answer_options(func):
    """--satisfied or --unsatisfied, exactly one, handed on as satisfied=True|False: two flags, not click's flag
    pair, which silently keeps the last when both are typed (and the wrong answer enters the figures)."""
    @functools.wraps(func)
    def answered(*args, said_satisfied: bool, said_unsatisfied: bool, **kwargs):
        chosen = exactly_one(satisfied=said_satisfied, unsatisfied=said_unsatisfied)
        return func(*args, satisfied=chosen == "satisfied", **kwargs)

    answered = click.option("--unsatisfied", "said_unsatisfied", is_flag=True, help=_("Not satisfied."))(answered)
    return click.option("--satisfied", "said_satisfied", is_flag=True, help=_("Satisfied."))(answered)


ORDER_ID = OrderIdType()
AMOUNT = AmountType()
MATERIAL = MaterialType()
WORKBOOK = WorkbookPathType()
DESK = DeskLetterType()

order_id_argument = click.argument("order_id", type=ORDER_ID, metavar="ID")
at_option = click.option("--at", type=TIME,
                         help=_("When it happened (default now), e.g. '2026-11-23 14:05', 14:05, 下午2点, "
                                 "'昨天 16:30'."))
by_option = click.option("--by", metavar="NAME", help=_("Who did it (default: your git user.name)."))


def format_option(*choices: str):
    """A --format option offering choices, the first being the default."""
    return click.option("--format", "fmt", type=click.Choice(choices), default=choices[0], show_default=True,
                        help=_("Output format."))


def report_options(func):
    """--out, --full-contacts, --allow-broken, --as-of, --verify and --format: the report's options, of
    `monthly` and `report` alike."""
    for option in reversed((
        click.option("--out", type=WORKBOOK, help=_("Also write the Excel workbook to FILE.xlsx.")),
        click.option("--full-contacts", is_flag=True,
                     help=_("Show owners' phone numbers in full in the workbook (default: masked).")),
        click.option("--allow-broken", is_flag=True,
                     help=_("Report even when order files of the period cannot be read: they are left out, and "
                            "named.")),
        click.option("--as-of", "as_of", metavar="TIME|COMMIT",
                     help=_("Make the report from git history, as the office stood at COMMIT or at TIME (its last "
                            "commit then).")),
        click.option("--verify", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="FILE.xlsx",
                     help=_("Say whether a workbook still matches the commit it names: figures edited since, records "
                            "changed.")),
        format_option("text", "json"),
    )):
        func = option(func)
    return func


def event_options(func):
    """--at and --by, the contract every command that records an event honours."""
    return at_option(by_option(func))


def order_filters(func):
    """--status, --month, --tech, --unit, --q, --name and --phone: which orders a listing or an export takes."""
    for option in reversed((
        click.option("--status", type=WordChoice(terms.STATUS, "open"),
                     shell_complete=completion.statuses,
                     help=_("Only orders in this state ('open': received, assigned or arrived).")),
        click.option("--month", type=MONTH, help=_("Only orders received in this month.")),
        click.option("--tech", metavar="NAME", shell_complete=completion.technicians,
                     help=_("Only orders of this technician.")),
        click.option("--unit", help=_("Only orders of this unit.")),
        click.option("--q", metavar="TEXT", help=_("Only orders with TEXT in the ID, unit, name, phone or "
                                                   "description.")),
        click.option("--name", metavar="NAME", help=_("Only orders of a caller whose name holds NAME.")),
        click.option("--phone", metavar="PHONE", help=_("Only orders whose phone holds these digits (138-1234-5678).")),
    )):
        func = option(func)
    return func


class ComplaintIdType(click.ParamType):
    """A complaint ID: HQ-T000001, HQ-T000001B, hq-t1, or 1 / T1 (this office's); completes from the files."""

    name = "ID"

    def convert(self, value, param, ctx):
        from repairctl.orders import complaints

        try:
            office = office_of(ctx)
            if office is None:
                return complaints.check_id(str(value))
            return complaints.typed_id(str(value), office.root, office.site)  # 2 or T2: this office's series
        except RepairError as exc:
            self.fail(str(exc), param, ctx)

    def shell_complete(self, ctx, param, incomplete):
        from click.shell_completion import CompletionItem

        from repairctl.orders import complaints

        office = office_of(ctx)
        typed = unicodedata.normalize("NFKC", incomplete).strip().upper()
        return [CompletionItem(path.stem) for path in complaints.paths(office.root)
                if path.stem.startswith(typed)] if office else []


COMPLAINT_ID = ComplaintIdType()
