"""Settling a contradiction a merge left in an order file: keep our version, or theirs, and commit that.

The merge (merging.py) left our version standing with a top-level ``conflict:`` holding the
reason and their whole text. `resolve ID --take ours` removes the block; `--take theirs` writes
their text in its place. Either is one commit, authored by the git user, like every change.
"""

from __future__ import annotations

from pathlib import Path

from repairctl.errors import RepairError
from repairctl.office.folder import Office
from repairctl.orders import conflict, desk, reading, records, rules
from repairctl.store import files, gitlog, journal, yamlio
from repairctl.text.i18n import N_, _

TAKE = {"ours": "保留本机的版本", "theirs": "采用另一台的版本"}  # the commit message's, Chinese like the others
DONE = {"ours": N_("kept this version (ours)"), "theirs": N_("took the other version (theirs)")}


def resolve(office: Office, order_id: str, take: str, by: str | None = None) -> desk.Outcome:
    """Keep one of the two versions of a conflicted order (take: ours or theirs), and commit it."""
    by, at = desk.actor(office, by), office.now()
    order_id = records.check_id(order_id)
    message = f"resolve {order_id}: {TAKE[take]} ({take})"
    with office.lock():
        path = records.locate(office.orders_dir, order_id)
        data = reading.load(path)
        if conflict.reason_of(data) is None:
            raise RepairError(_("{id} holds no conflict: nothing to resolve (`repairctl check` names any that do)")
                              .format(id=order_id))
        _refuse_edited(office, path, order_id)
        text = conflict.stored(data) if take == "theirs" else None
        if take == "theirs":
            _check_theirs(office, path, order_id, text)
        with journal.recorded(office.root, office.in_git, [path], message, by, at) as warnings:
            if text is None:
                with yamlio.edit(path) as doc:
                    del doc[conflict.KEY]
            else:
                files.write_atomic(path, text)
    return desk.Outcome(reading.read(path, office.tz), _(DONE[take]), warnings)


def _refuse_edited(office: Office, path: Path, order_id: str) -> None:
    """Refuse while the file holds an uncommitted edit: taking a version would lose it, or commit it unseen."""
    relpath = str(path.relative_to(office.root))
    if office.in_git and gitlog.differs_from_head(office.root, relpath, path.read_bytes()):
        raise RepairError(_("{path} holds an uncommitted edit: commit it (`git commit {path}`) or undo it "
                            "(`git checkout -- {path}`) before `resolve {id}`").format(path=relpath, id=order_id))


def _check_theirs(office: Office, path: Path, order_id: str, text: str | None) -> None:
    """Refuse their version unless it is a readable order of this ID (the block may have been edited by hand)."""
    if text is None:
        raise RepairError(_("{id}'s conflict holds no text of the other version; `--take ours` keeps this one")
                          .format(id=order_id))
    try:
        data = yamlio.parse(text, path)
    except RepairError as exc:
        raise RepairError(_("the other version of {id} cannot be read ({error}); `--take ours` keeps this one")
                          .format(id=order_id, error=exc)) from None
    found = rules.check_order_data(data, path, office.tz, office.catalogue, only=rules.UNREADABLE)
    if found or not isinstance(data, dict) or data.get("id") != order_id:
        why = found[0].message if found else _("it is not order {id}").format(id=order_id)
        raise RepairError(_("the other version of {id} cannot be taken ({why}); `--take ours` keeps this one")
                          .format(id=order_id, why=why))
