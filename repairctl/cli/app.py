"""The ``repairctl`` group: its global options, the edge where library errors become one-line
messages, and where each command lives (record.py, read.py, upkeep.py, sharing.py …).

A command's module is imported when the command is run (or listed by --help), not before: `show`
builds no other command's options and help. Commands import the library inside their bodies, so
`--help` loads no more than click and the command modules, and `show` only what it reads.
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

import click

from repairctl import __version__
from repairctl.cli import layout, placeholders
from repairctl.cli.session import Quiet, Session
from repairctl.errors import Incomplete, RepairError
from repairctl.text import oserrors
from repairctl.text.i18n import _

layout.install()  # Chinese help measured in terminal columns


# Each command's module in repairctl/cli, which lists it in its COMMANDS (tests/test_app.py checks the two agree).
WHERE = {
    **dict.fromkeys(("new", "assign", "visit", "close", "fee", "callback", "followup", "cancel", "refer", "import",
                     "quote", "pay", "edit", "delay"), "record"),
    **dict.fromkeys(("show", "list", "export", "slip", "log", "overdue", "monthly", "rollup", "dispatch", "fees",
                     "workload"), "read"),
    **dict.fromkeys(("init", "check", "recover"), "upkeep"),
    **dict.fromkeys(("clone", "join", "sync"), "sharing"),  # several clerks, one office
    **dict.fromkeys(("merge-driver", "resolve"), "conflicts"),  # one order changed on two machines
    **dict.fromkeys(("inspect", "reopen"), "inspection"),  # the supervisor's check of finished work
    "report": "report",  # a week's or a month's figures
    "complaint": "complaints",  # 投诉
    "plan": "plans",  # planned maintenance (计划性维修)
    "calendar": "calendar",  # working days, holidays and duty (calendar.yaml)
    "completion": "completion",  # the shell's Tab
}


class RepairGroup(click.Group):
    """Turns the library's errors into one-line messages and exit status 1, at the edge only; gives each
    command it hands out its placeholders in the reader's words (placeholders.py)."""

    def list_commands(self, ctx):
        return sorted({*self.commands, *WHERE})

    def get_command(self, ctx, cmd_name):
        if cmd_name not in self.commands and cmd_name in WHERE:
            for command in importlib.import_module(f"repairctl.cli.{WHERE[cmd_name]}").COMMANDS:
                self.add_command(command)
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            placeholders.translate(command)
        return command

    def loaded(self) -> dict[str, click.Command]:
        """Every command, each module imported: for what needs them all (the docs' tests)."""
        for name in WHERE:
            self.get_command(None, name)
        return self.commands

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except Incomplete as exc:
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            raise click.ClickException(str(exc)) from None
        except RepairError as exc:
            raise click.ClickException(str(exc)) from None
        except BrokenPipeError:
            # the reader went away (`| head`): stop quietly, as Unix tools do; stdout goes nowhere now
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise Quiet() from None
        except OSError as exc:
            why = oserrors.reason(exc)  # the system's English reason, in the clerk's language
            raise click.ClickException(f"{exc.filename or ''}: {why}".lstrip(": ")) from None


@click.group(cls=RepairGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
             help=_("The repair desk of a property-management office (管理处): one YAML file per work order, "
                    "git as the audit trail."))
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), envvar="REPAIRCTL_ROOT",
              help=_("The office folder (default: $REPAIRCTL_ROOT, else the nearest folder up with office.yaml)."))
@click.version_option(__version__, prog_name="repairctl")
@click.pass_context
def cli(ctx, root):
    ctx.obj = Session(root)
    ctx.call_on_close(ctx.obj.close)


# --to 姓名, [选项]: click's placeholders in the reader's words; the group's own here, a command's as it is run
placeholders.translate(cli, deep=False)


def main() -> None:
    """Entry point of the repairctl executable."""
    cli(prog_name="repairctl")
