"""What the desk does to orders: each action locks the office, edits one file, commits it.

Every change is written atomically and committed alone, authored as the acting
person at the event's time (an import: all its new files in one commit). If git
refuses the commit, every file is put back as it was, so a refused command leaves no trace.

A hand edit of the order left uncommitted is committed first, as its own commit authored by
the git user, once it passes the rules and the step fits it: the command's commit never carries
someone else's change. An order file that is a symbolic link is refused.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from repairctl.errors import RepairError
from repairctl.office import desks
from repairctl.office.folder import Office
from repairctl.orders import lifecycle, numbering, records
from repairctl.store import commits, files, gitlog, journal, progress, yamlio
from repairctl.text import clock
from repairctl.text.i18n import _, ngettext
from repairctl.text.inputs import check_text


@dataclass
class Outcome:
    """What a command did: the order as it now stands, a summary, and warnings for stderr."""

    order: records.Order
    summary: str
    warnings: list[str] = field(default_factory=list)
    suggestions: list = field(default_factory=list)


def actor(office: Office, by: str | None) -> str:
    """The acting person: --by, else the git user."""
    name = check_text("--by", by) or gitlog.user_name(office.root)
    if not name:
        raise RepairError(_("who is acting? pass --by NAME (e.g. --by 刘芳), or set your name with: "
                            "git config user.name 'Your Name'"))
    return name


def event_time(office: Office, at: dt.datetime | None) -> dt.datetime:
    """The event's time in the office timezone: --at, else now; never far in the future, nor further back
    than office.yaml's backdate_days."""
    now = office.now()
    if at is None:
        return now
    at = clock.localise(at, office.tz)
    # compared as instants: two times of one zone compare on the wall clock, wrong the night it falls back
    if at.timestamp() > (now + office.future_tolerance).timestamp():
        # a time typed without its date takes today's: one later than now most often meant yesterday
        if at.date() == now.date():
            raise RepairError(_("--at {at} is in the future; give the time the event happened (yesterday? type 昨天 "
                                "{time})").format(at=clock.show(at), time=f"{at:%H:%M}"))
        raise RepairError(_('--at {at} is in the future; give the time the event happened, e.g. --at "11月24日 09:30"')
                          .format(at=clock.show(at)))
    # further back than backdate: a year typo (2025 for 2026), not a paper slip of last month
    if at.timestamp() < (now - office.backdate).timestamp():
        raise RepairError(ngettext("--at {at} is more than {n} day ago (office.yaml backdate_days); check the year, "
                                   "or raise backdate_days to enter older records",
                                   "--at {at} is more than {n} days ago (office.yaml backdate_days); check the year, "
                                   "or raise backdate_days to enter older records", office.backdate.days)
                          .format(at=clock.show(at), n=office.backdate.days))
    return at


def _refuse_broken(office: Office, path: Path) -> None:
    """Refuse to change an order whose file breaks the rules (a hand edit gone wrong): fix it first."""
    # reading and rules: ms of imports that `new`, which checks nothing already on file, need not pay
    from repairctl.orders import conflict, reading, rules

    data = reading.load(path)
    if held := conflict.reason_of(data):  # two versions stand in the file: a change would pick one unseen
        order_id = data.get("id") or path.stem
        raise RepairError(_("{id} holds an unresolved conflict ({reason}); keep one version first: "
                            "`repairctl resolve {id} --take ours|theirs`").format(id=order_id, reason=held))
    findings = rules.check_order_data(data, path, office.tz, office.catalogue)
    if findings:
        first = reading.place(path, findings, path)[0]
        if len(findings) > 1:
            raise RepairError(_("{problem} and {n} more problem(s); fix the file first (`repairctl check` lists every "
                                "problem, `git checkout -- FILE` undoes an uncommitted edit)")
                              .format(problem=first, n=len(findings) - 1))
        raise RepairError(_("{problem}; fix the file first (`repairctl check` lists every problem, "
                            "`git checkout -- FILE` undoes an uncommitted edit)").format(problem=first))


def _refuse_link(office: Office, path: Path) -> None:
    """Refuse an order file that is a symbolic link, or lies in a linked folder: a change would be
    written wherever the link points, perhaps outside the office, and commit that file's contents."""
    if _unlinked(office, path):
        return
    shown = path.relative_to(office.root)
    if path.is_symlink():
        raise RepairError(_("{path} is a symbolic link (to {target}), not an order file: replace the link with a "
                            "copy of the file it points to, and commit that")
                          .format(path=shown, target=os.readlink(path)))
    raise RepairError(_("{path} lies in a folder that is a symbolic link: replace the linked folder with a real one "
                        "holding the files, and commit that").format(path=shown))


def _unlinked(office: Office, path: Path) -> bool:
    """Whether no link lies on the way from the orders folder to path (which need not exist yet)."""
    return os.path.realpath(path) == os.path.join(os.path.realpath(office.orders_dir),
                                                  path.relative_to(office.orders_dir))


def _commit_hand_edit(office: Office, path: Path, order_id: str, step: lifecycle.Step, command: str,
                      at: dt.datetime, by: str) -> list[str]:
    """Commit an uncommitted hand edit of the order first, as its own commit by the git user, once
    it passes the rules and the step fits it; the warning that says so (none without an edit)."""
    relpath = str(path.relative_to(office.root))
    committed = gitlog.start_committed(office.root, relpath)  # while the journal is looked at
    try:
        journal.require_settled(office.root)  # a killed command's file is no hand edit: recover says so
        edited = gitlog.differs_from_head(office.root, relpath, path.read_bytes(), committed)
    finally:
        committed.stop()
    if not edited:
        return []
    _refuse_broken(office, path)
    lifecycle.perform(yamlio.load_round_trip(path), step, at, by, office.tz)  # refused here: nothing committed
    message = f"hand edit {order_id}: 手工修改，在 {command} 之前提交"  # the audit trail's words: Chinese
    commits.commit(office.root, [relpath], message, author=None, existing=True)
    return [_("{path} held an uncommitted edit: committed it first, in git's user's name, as '{message}'")
            .format(path=relpath, message=message)]


def change(office: Office, order_id: str, step: lifecycle.Step, *, by: str | None = None,
           at: dt.datetime | None = None) -> Outcome:
    """Perform one step on an order file under the office lock, and commit it alone."""
    by = actor(office, by)
    at = event_time(office, at)
    order_id = records.check_id(order_id)
    command = lifecycle.COMMAND.get(step.action, step.action)
    message = f"{command} {order_id}: {step.summary}"
    if office.in_git:  # a plain `git clone` that changed an order would merge it with git's text merge
        desks.letter(office.root)
    with office.lock():
        path = records.locate(office.orders_dir, order_id)
        _refuse_link(office, path)
        notes = _commit_hand_edit(office, path, order_id, step, command, at, by) if office.in_git else []
        try:
            with journal.recorded(office.root, office.in_git, [path], message, by, at) as warnings:
                _refuse_broken(office, path)
                with yamlio.edit(path) as doc:
                    lifecycle.perform(doc, step, at, by, office.tz)
        except RepairError as exc:
            if not notes:
                raise
            # refused after all (git busy, a full disk): the hand edit's own commit stands, and is told
            raise RepairError(_("{error} (the hand edit was committed first, as its own commit)").format(error=exc)) \
                from None
    from repairctl.orders import reading  # with the rules, loaded by _refuse_broken already

    return Outcome(reading.read(path, office.tz), step.summary, notes + warnings)


def create(office: Office, fields: dict, *, by: str, at: dt.datetime, extra_event: dict | None = None) -> Outcome:
    """Write a new order with the next ID of the office's series, and commit it."""
    draft = Draft(fields, by, at, extra_event)
    return create_many(office, [draft], message=lambda ids: f"new {ids[0]}: {draft.summary}")[0]


@dataclass
class Draft:
    """A new order checked and ready to write: its fields, who received it and when, and any second event."""

    fields: dict
    by: str
    at: dt.datetime
    extra_event: dict | None = None
    suggestions: list = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        return f"{self.fields.get('unit')} {self.fields.get('description')}"


def create_many(office: Office, drafts: list[Draft], *, message, by: str | None = None,
                at: dt.datetime | None = None, ids: list[str] | None = None) -> list[Outcome]:
    """Write new orders with consecutive IDs and commit them all in one commit (or none of them).

    message is the commit message, or a function of the new IDs giving it; the commit is
    authored by `by` at `at` (default: the first draft's). ids: given, not numbered (a planned job's,
    orders/planned.py: derived from its plan and due day).
    """
    with office.lock():
        ids = ids or numbering.next_ids(office, len(drafts))
        paths = [files.order_path(office.orders_dir, order_id, draft.at)
                 for order_id, draft in zip(ids, drafts, strict=True)]
        for path in {path.parent for path in paths}:
            _refuse_linked_folder(office, path)
        text = message(ids) if callable(message) else message
        with journal.recorded(office.root, office.in_git, paths, text, by or drafts[0].by,
                              at or drafts[0].at) as warnings:
            docs = [_new_document(office, order_id, draft) for order_id, draft in zip(ids, drafts, strict=True)]
            written = zip(paths, docs, strict=True)
            if len(paths) > 1:  # an import: a long sheet takes a while
                written = progress.shown(written, len(paths), _("writing order files"))
            for path, doc in written:
                path.parent.mkdir(parents=True, exist_ok=True)
                files.write_atomic(path, yamlio.dump_text(doc), exclusive=True)
    # the orders as a reader will see them, without importing a YAML parser to read them back
    return [Outcome(records.Order(path, yamlio.plain(doc), office.tz), draft.summary, list(warnings))
            for path, doc, draft in zip(paths, docs, drafts, strict=True)]


def _refuse_linked_folder(office: Office, folder: Path) -> None:
    """Refuse to file a new order in a month folder that is (or lies in) a symbolic link."""
    if not _unlinked(office, folder):
        raise RepairError(_("{path} is, or lies in, a symbolic link: new orders are filed only in real folders of "
                            "the office; replace the link with a real folder, and commit that")
                          .format(path=folder.relative_to(office.root)))


def _new_document(office: Office, order_id: str, draft: Draft):
    """The document of a new order: the received event, and any second event (a referral)."""
    doc = lifecycle.new_document(order_id, draft.fields, draft.at, draft.by)
    if draft.extra_event:
        details = {k: v for k, v in draft.extra_event.items() if k != "action"}
        lifecycle.apply(doc, draft.extra_event["action"], draft.at, draft.by, office.tz, **details)
    return doc

