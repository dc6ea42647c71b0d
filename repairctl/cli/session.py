"""What every command shares while it runs: the office it works on, and how it tells the user.

Exit status 1 leaves a command one way: a click.ClickException. The library's RepairError
becomes one at the group's edge (app.py); a command whose answer is already printed (check's
problems, overdue's late clocks) raises Quiet, which prints nothing more.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

import click

from repairctl.errors import RepairError
from repairctl.text.i18n import _


class Session:
    """The context every command shares: the --root option and, once asked for, the office."""

    def __init__(self, root: Path | None):
        self.root = root

    @cached_property
    def office_root(self) -> Path:
        from repairctl.office.folder import (
            find_root,  # 11 ms with YAML and zoneinfo: --help needs none
        )

        return find_root(self.root)

    @cached_property
    def office(self):
        from repairctl.office.folder import load_office

        return load_office(self.office_root)

    @property
    def office_to_read(self):
        """The office, for a command answering from the cache: git starts looking for edited order
        files at once, on the other core, while the command imports what it needs."""
        self.office.look_for_edits()
        return self.office

    def close(self) -> None:
        """At the command's end: stop any git status its office started and nobody waited for."""
        if "office" in self.__dict__:
            self.office.stop_looking()


def office_of(ctx: click.Context | None):
    """The office of a command line being completed or converted, or None when there is none yet."""
    session = ctx.find_object(Session) if ctx else None
    if session is None and ctx is not None:  # a Tab: the group's callback never ran, its --root was read
        root = ctx.find_root()
        session = root.obj = Session(root.params.get("root"))
    try:
        return session.office if session else None
    except RepairError:
        return None  # the command itself will report the missing office


pass_session = click.make_pass_decorator(Session)


class Quiet(click.ClickException):
    """Exit status 1 (or code) with nothing more to say: the answer printed already says why."""

    def __init__(self, code: int = 1):
        super().__init__("")
        self.exit_code = code

    def show(self, file=None) -> None:
        pass


def tell(outcome, message: str) -> None:
    """Print what a command did, and its warnings on stderr."""
    for warning in outcome.warnings:
        click.echo(_("warning: {message}").format(message=warning), err=True)
    click.echo(message)


def perform(session: Session, order_id: str, step, at, by, message=None) -> None:
    """Carry out one step on an order (lock, edit, commit) and print what was done.

    message is the line to print, or a function of the outcome giving it; default: the summary.
    """
    from repairctl.orders.desk import change

    outcome = change(session.office, order_id, step, at=at, by=by)
    text = message(outcome) if callable(message) else message
    tell(outcome, text or f"{order_id} {outcome.summary}")


def name_left_out(office, months: list[str] | None = None, *, among_open: bool = False) -> int:
    """Name on stderr each order file an answer had to leave out, as `check` names it (FILE:LINE:COL: why),
    and each ID two files claim (counted once); return how many files were left out."""
    from repairctl.orders import reading

    found = reading.left_out(office, months, among_open=among_open)
    for line in found.lines():
        click.echo(line, err=True)
    return len(found.files)
