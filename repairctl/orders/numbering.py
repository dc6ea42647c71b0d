"""An order ID is never given twice: not after its file was deleted and the deletion committed,
nor while a deletion is uncommitted.

The next number of a series is one above the highest it has ever had: in the work tree (the
cache, and the two newest month folders listed: records.next_ids) and in git's history, which
remembers every order file ever committed, deleted ones too. The history's highest number per
site is kept in ``.repairctl/numbers.json`` with the commit it was read up to, and brought up
to date from there (`git log OLD..HEAD`, a few ms), so `new` does not read the whole history
each time; only a first `new` in a clone does (about 0.1 ms a commit).

The series is one for every desk of a shared office (office/desks.py), Lamport's clock: each desk
takes one above the highest number it has seen, whoever issued it, and ends the ID in its own letter.
Two desks working offline may both issue number 124, as HQ-000124A and HQ-000124B: never one ID.
"""

from __future__ import annotations

import json
import os

from repairctl.office import desks
from repairctl.office.folder import Office
from repairctl.orders import query, records
from repairctl.store import files, gitlog
from repairctl.store.files import ORDERS

NAME = "numbers.json"  # in .repairctl/: {"commit": HEAD it was read up to, "highest": {site: number}}


def next_ids(office: Office, count: int) -> list[str]:
    """The next count IDs of the office's series, with this clone's desk letter (call it under the office lock)."""
    desk = desks.letter(office.root)  # refused first: a shared office's clone with no desk issues nothing
    history = History(office)  # git reads the history on the other core while the cache is asked
    try:
        highest = max(query.highest_number(office, office.site), history.highest().get(office.site, 0))
    finally:
        history.stop()
    return records.next_ids(office.orders_dir, office.site, count, highest, desk=desk)


class History:
    """The highest number of each site in the office's git history, being brought up to date."""

    def __init__(self, office: Office):
        self.office, self.kept, self.asked = office, _read(office), None
        head = office.git_head
        self.head, self.prefix = (head[0], head[1]) if head else (None, "")
        if self.head and self.kept.get("commit") != self.head:
            self.asked = gitlog.start_order_names(office.root, ORDERS, self.kept.get("commit"), self.head)

    def highest(self) -> dict[str, int]:
        """Per site, the highest number of an order file ever committed (up to HEAD)."""
        highest = dict(self.kept.get("highest") or {})
        if self.asked is None:
            return highest
        done = self.asked.result(check=False)
        if done.returncode and self.kept.get("commit"):  # the commit read up to is gone: read it all again
            done, highest = gitlog.start_order_names(self.office.root, ORDERS, None, self.head).result(), {}
        elif done.returncode:
            return highest  # git could not say (a shallow clone, say): the work tree decides
        for path in done.stdout.splitlines():
            relpath = path[len(self.prefix):]
            match = records.ID_RE.match(relpath.rpartition("/")[2].removesuffix(".yaml"))
            if match and files.is_order_path(relpath):
                highest[match["site"]] = max(highest.get(match["site"], 0), int(match["number"]))
        _write(self.office, {"commit": self.head, "highest": highest})
        return highest

    def stop(self) -> None:
        """End git's reading if nobody waited for it (the command failed first)."""
        if self.asked is not None:
            self.asked.stop()


def _file(office: Office):
    return office.root / files.STATE / NAME


def _read(office: Office) -> dict:
    try:
        kept = json.loads(_file(office).read_text("utf-8"))
    except (OSError, ValueError):
        return {}  # none yet, or cut short: read the history again
    return kept if isinstance(kept, dict) and isinstance(kept.get("highest"), dict) else {}


def _write(office: Office, kept: dict) -> None:
    # derived: written without waiting for the disk (a crash leaves it unreadable, and the history
    # is read again); a full disk or a read-only office likewise reads it again next time
    path = _file(office)
    temporary = path.with_name(f".{NAME}.{os.getpid()}")
    try:
        path.parent.mkdir(exist_ok=True)
        temporary.write_text(json.dumps(kept, sort_keys=True), encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)
