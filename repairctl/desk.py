"""What the desk does to orders: each action locks the office, edits one file, commits it.

Every change is written atomically and committed alone, authored as the acting
person at the event's time. If git refuses the commit, the file is put back as it
was, so a refused command leaves no trace.
"""

from __future__ import annotations

import datetime as dt
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Iterator

from ruamel.yaml.comments import CommentedMap

from repairctl import clock, gitlog, journal, lifecycle, records, yamlio
from repairctl.errors import RepairError
from repairctl.office import Office

PHONE_RE = re.compile(r"^\+?[0-9][0-9\- ]{5,18}[0-9]$")
MAX_TEXT = 1000
NO_AUDIT = "not a git repository: the change is saved but there is no audit trail; run `git init` in the office folder"


@dataclass
class Outcome:
    """What a command did: the order as it now stands, a summary, and warnings for stderr."""

    order: records.Order
    summary: str
    warnings: list[str] = field(default_factory=list)
    suggestions: list = field(default_factory=list)


def actor(office: Office, by: str | None) -> str:
    """The acting person: --by, else the git user."""
    name = (by or "").strip() or gitlog.user_name(office.root)
    if not name:
        raise RepairError("who is acting? pass --by NAME, or set your name with: git config user.name 'Your Name'")
    return name


def event_time(office: Office, at: dt.datetime | None) -> dt.datetime:
    """The event's time in the office timezone: --at, else now; never far in the future."""
    now = office.now()
    if at is None:
        return now
    at = clock.localise(at, office.tz)
    if at > now + office.future_tolerance:
        raise RepairError(f"--at {clock.show(at)} is in the future; give the time the event happened")
    return at


def check_text(option: str, value: str | None, *, required: bool = False) -> str | None:
    """Refuse empty (when required) or overlong free text."""
    text = (value or "").strip()
    if required and not text:
        raise RepairError(f"{option} is empty; say what is wrong, e.g. {option} 厨房水龙头漏水")
    if len(text) > MAX_TEXT:
        raise RepairError(f"{option} is {len(text)} characters long; keep it under {MAX_TEXT}")
    return text or None


def check_phone(phone: str) -> str:
    """Return a phone number as typed, or refuse one that cannot be dialled."""
    phone = phone.strip()
    digits = re.sub(r"\D", "", phone)
    if not PHONE_RE.match(phone) or not 7 <= len(digits) <= 15:
        raise RepairError(f"--phone {phone!r} is not a phone number; write digits, like 13812345678 or 0755-12345678")
    return phone


@contextmanager
def _recorded(office: Office, path: Path, message: str, by: str, at: dt.datetime) -> Iterator[list[str]]:
    """Around the block that writes path: refuse if an earlier change is unfinished; then commit path alone.

    If git refuses the commit, the file is put back as it was (a new one removed) and the
    error re-raised. Yields the list of warnings the command should print.
    """
    warnings: list[str] = []
    if not gitlog.in_repo(office.root):
        warnings.append(NO_AUDIT)
        yield warnings
        return
    journal.require_settled(office.root)
    before = path.read_bytes() if path.exists() else None
    with journal.entry(office.root, path, message, by, at):
        yield warnings
        try:
            gitlog.commit(office.root, [str(path.relative_to(office.root))], message, author=by, when=at)
        except gitlog.GitError:
            if before is None:
                path.unlink(missing_ok=True)
            else:
                yamlio.write_atomic(path, before.decode("utf-8"))
            raise


def change(office: Office, order_id: str, step: lifecycle.Step, *, by: str | None = None,
           at: dt.datetime | None = None) -> Outcome:
    """Perform one step on an order file under the office lock, and commit it alone."""
    by = actor(office, by)
    at = event_time(office, at)
    order_id = records.check_id(order_id)
    message = f"{lifecycle.COMMAND.get(step.action, step.action)} {order_id}: {step.summary}"
    with office.lock():
        path = records.locate(office.orders_dir, order_id)
        with _recorded(office, path, message, by, at) as warnings:
            with yamlio.edit(path) as doc:
                if not isinstance(doc, CommentedMap):
                    raise RepairError(f"{path}: not an order (expected a mapping); `repairctl check` says more")
                lifecycle.perform(doc, step, at, by, office.tz)
    return Outcome(records.read(path, office.tz), step.summary, warnings)


def create(office: Office, fields: dict, *, by: str, at: dt.datetime, extra_event: dict | None = None) -> Outcome:
    """Write a new order with the next ID of the office's series, and commit it."""
    with office.lock():
        order_id = records.next_id(office.orders_dir, office.site)
        doc = lifecycle.new_order(order_id, fields, at, by)
        if extra_event:
            details = {k: v for k, v in extra_event.items() if k != "action"}
            lifecycle.apply(doc, extra_event["action"], at, by, office.tz, **details)
        path = records.order_path(office.orders_dir, order_id, at)
        path.parent.mkdir(parents=True, exist_ok=True)
        summary = f"{fields.get('unit')} {fields.get('description')}"
        with _recorded(office, path, f"new {order_id}: {summary}", by, at) as warnings:
            yamlio.write_atomic(path, yamlio.dump_text(doc), exclusive=True)
    return Outcome(records.read(path, office.tz), summary, warnings)


def money_total(materials: list[tuple[str, Decimal, Decimal]], labour: Decimal | None) -> Decimal:
    """Materials plus labour, before any waiver."""
    return sum((qty * price for _, qty, price in materials), Decimal(0)) + (labour or Decimal(0))


def number(value: Decimal):
    """An amount as YAML should hold it: an int when whole, else a float to the fen."""
    return int(value) if value == value.to_integral() else float(round(value, 2))
