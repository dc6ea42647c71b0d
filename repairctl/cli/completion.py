"""`repairctl completion bash|zsh|fish`, and what the shell completes: open order IDs first,
technicians, catalogue codes with their names, months and statuses.

click does the rest: commands and options, and asking repairctl itself on each Tab through the
_REPAIRCTL_COMPLETE variable the script sets. What is offered comes from the office's cache as it
stands (no `git status`), so a Tab stays as quick as `list`; no office, nothing offered.
"""

from __future__ import annotations

import click
from click.shell_completion import CompletionItem, get_completion_class

from repairctl.cli.session import office_of
from repairctl.text.i18n import _, ngettext

SHELLS = ("bash", "zsh", "fish")
VARIABLE = "_REPAIRCTL_COMPLETE"  # click's name for it: _{PROG_NAME}_COMPLETE
DASHES = str.maketrans("\u2014\u2013\u2012\u2212", "----")


@click.command(help=_('Print the shell\'s completion script: eval "$(repairctl completion bash)" in ~/.bashrc.'))
@click.argument("shell", type=click.Choice(SHELLS))
@click.pass_context
def completion(ctx, shell):
    script = get_completion_class(shell)(ctx.find_root().command, {}, "repairctl", VARIABLE).source()
    click.echo(script)


def order_ids(ctx, incomplete: str) -> list[CompletionItem]:
    """The IDs beginning with what is typed (any case, full-width folded), open orders first with their unit."""
    from repairctl.orders import query
    from repairctl.text.inputs import clean

    office = office_of(ctx)
    if office is None:
        return []
    # as an ID is typed: any case, full-width, any dash (an em or en dash from a Chinese keyboard)
    found = query.ids_starting(office, clean(incomplete).strip().upper().translate(DASHES))
    return [CompletionItem(order_id, help=f"{unit or ''} {text or ''}".strip() if is_open else None)
            for order_id, is_open, unit, text in found]


def technicians(ctx, param, incomplete: str) -> list[CompletionItem]:
    """The technicians of records/staff.csv (with their trade), then those seen in the orders."""
    from repairctl.office import registry
    from repairctl.orders import query

    office = office_of(ctx)
    if office is None:
        return []
    staff = registry.load(office.root).staff or {}  # a broken staff.csv is check's to report, not a Tab's
    items = {name: CompletionItem(name, help=trade or "staff.csv") for name, trade in staff.items()}
    for name, count in query.technicians_seen(office):
        items.setdefault(name, CompletionItem(name, help=ngettext("{n} order", "{n} orders", count).format(n=count)))
    return [item for name, item in items.items() if name.startswith(incomplete.strip())]


def catalogue_codes(ctx, param, incomplete: str) -> list[CompletionItem]:
    """The catalogue's codes with their names (W01 更换普通水龙头); for --job the supplier jobs only."""
    office = office_of(ctx)
    if office is None:
        return []
    catalogue = office.catalogue
    entries = [*catalogue.items.values(), *catalogue.jobs.values()] if param.name != "job_code" \
        else list(catalogue.jobs.values())
    prefix = incomplete.strip().upper()
    return [CompletionItem(entry.code, help=entry.name) for entry in entries if entry.code.startswith(prefix)]


def statuses(ctx, param, incomplete: str) -> list[CompletionItem]:
    """The states an order can be in, each with its Chinese name, and 'open'."""
    from repairctl.text import terms

    shown = {**terms.STATUS, "open": _("not finished: received, assigned or arrived")}
    return [CompletionItem(key, help=label) for key, label in shown.items() if key.startswith(incomplete.strip())]


def months(ctx, incomplete: str) -> list[CompletionItem]:
    """The months orders were received in, the latest first, with how many."""
    from repairctl.orders import query

    office = office_of(ctx)
    if office is None:
        return []
    return [CompletionItem(month, help=ngettext("{n} order", "{n} orders", count).format(n=count))
            for month, count in query.months_seen(office)
            if month.startswith(incomplete.strip())]


COMMANDS = [completion]
