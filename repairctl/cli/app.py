"""The ``repairctl`` group: its global options, the edge where library errors become one-line
messages, and the commands of record.py, read.py, upkeep.py and sharing.py.

Commands import the library inside their bodies, so `--help` loads no more than click
(0.052 s beside `import click` 0.035 s, bench/README.md) and `show` only what it reads.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from repairctl import __version__
from repairctl.cli import calendar as calendars
from repairctl.cli import (
    complaints,
    completion,
    conflicts,
    inspection,
    layout,
    placeholders,
    plans,
    read,
    record,
    sharing,
    upkeep,
)
from repairctl.cli import report as reporting
from repairctl.cli.session import Quiet, Session
from repairctl.errors import Incomplete, RepairError
from repairctl.text import oserrors
from repairctl.text.i18n import _

layout.install()  # Chinese help measured in terminal columns


class RepairGroup(click.Group):
    """Turns the library's errors into one-line messages and exit status 1, at the edge only; gives each
    command it hands out its placeholders in the reader's words (placeholders.py)."""

    def get_command(self, ctx, cmd_name):
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            placeholders.translate(command)
        return command

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


for command in (*record.COMMANDS, *read.COMMANDS, *upkeep.COMMANDS, *sharing.COMMANDS):
    cli.add_command(command)
for command in conflicts.COMMANDS:  # one order changed on two machines
    cli.add_command(command)
for command in inspection.COMMANDS:  # the supervisor's check of finished work
    cli.add_command(command)
for command in reporting.COMMANDS:  # a week's or a month's figures (`report --week`)
    cli.add_command(command)
for command in complaints.COMMANDS:  # 投诉, issue 15 §3
    cli.add_command(command)
cli.add_command(completion.completion)  # the shell's Tab
for command in plans.COMMANDS:  # planned maintenance (计划性维修)
    cli.add_command(command)
for command in calendars.COMMANDS:  # working days, holidays and duty (calendar.yaml)
    cli.add_command(command)
# --to 姓名, [选项]: click's placeholders in the reader's words; the group's own here, a command's as it is run
placeholders.translate(cli, deep=False)


def main() -> None:
    """Entry point of the repairctl executable."""
    cli(prog_name="repairctl")
