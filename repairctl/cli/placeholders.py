"""The placeholders of usage lines, help and refusals (ID, NAME, TEXT, [OPTIONS] …) in the reader's language.

click prints a parameter by its metavar: `--to NAME`, `用法: repairctl assign [OPTIONS] ID`, and a refusal
names an argument by it (`'ID' 的值无效`). Those words are English wherever a command left them to click
(TEXT for any text, an argument's name upper-cased), so `translate` gives every command's parameters
their placeholder in the catalog's words once the commands are built: `--to 姓名`, `[选项]`, `'单号' 的值无效`.
A choice's list ([phone|visit]) and a format written with digits (YYYY-MM) are the values to type, and stay.
"""

from __future__ import annotations

import re

import click

from repairctl.text import i18n
from repairctl.text.i18n import N_, _

WORDS = frozenset((
    N_("ID"), N_("NAME"), N_("TEXT"), N_("CODE"), N_("TIME"), N_("COMMIT"), N_("DURATION"), N_("AMOUNT"),
    N_("NAME:QTY:UNIT_PRICE"), N_("LETTER"), N_("FILE.xlsx"), N_("FILE"), N_("NO"), N_("OFFICE"), N_("PATH"),
    N_("PHONE"), N_("QUANTITY"), N_("REASON"), N_("MONTH"), N_("REMOTE"), N_("DIRECTORY"), N_("DIR"),
    N_("SHELL"), N_("INTEGER"), N_("FLOAT"), N_("YEAR"), N_("DATE"), N_("ITEM"), N_("N:NOTE"), N_("N")))
OPTIONS, SUBCOMMAND = N_("[OPTIONS]"), N_("COMMAND [ARGS]...")
WORD = re.compile(r"[A-Z][A-Z_:]*(?:\.xlsx)?")


def translate(command: click.Command, *, deep: bool = True) -> None:
    """Give a command (and a group's commands, if deep) their placeholders in this process's language, once;
    none in English. The group calls it for the one command it runs (RepairGroup.get_command), not all forty."""
    if i18n.language() == "en" or getattr(command, "_placeholders_translated", False):
        return
    command._placeholders_translated = True
    command.options_metavar = _(OPTIONS)
    if isinstance(command, click.Group):
        command.subcommand_metavar = _(SUBCOMMAND)
        for sub in command.commands.values() if deep else ():
            translate(sub)
    context = click.Context(command, info_name=command.name)
    for param in command.params:
        if isinstance(param, click.Option) and (param.is_flag or param.count):
            continue
        shown = param.make_metavar(context)
        said = WORD.sub(lambda m: _(m[0]) if m[0] in WORDS else m[0], shown)
        if said != shown:
            param.metavar = said
