"""Sharing an office through a git server: a clerk's own clone of it (clone), an existing clone or
the original office made a desk (join), and fetch, merge and push in one command (sync).

Every clone needs the same setup, whichever way it was made: git told to merge order files with
repairctl's driver (store/driver.py) and desks.yaml by union, `check` as the pre-commit hook, and a
desk letter of its own (office/desks.py). clone and join do all of it, and sync registers the
driver again, so an office that began before sharing mends itself. docs/sharing.md tells the story.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass, field
from pathlib import Path

from repairctl.errors import RepairError
from repairctl.office import desks
from repairctl.office.folder import CONFIG, Office, load_office
from repairctl.orders import records
from repairctl.store import commits, driver, gitlog, journal, sync
from repairctl.store.files import ORDERS
from repairctl.text.i18n import _, ngettext


@dataclass
class Joined:
    """A clone made a desk: its folder, its letter, the next ID it would issue, and what to tell the clerk."""

    root: Path
    desk: str
    next_id: str
    already: bool = False
    notes: list[str] = field(default_factory=list)


@dataclass
class Synced:
    """What sync did, and each order the merge left contradicting itself: (ID, reason)."""

    upstream: sync.Upstream
    done: sync.Exchanged
    contradictions: list[tuple[str, str]] = field(default_factory=list)

    def lines(self) -> list[str]:
        """One line per outcome: up to date, pulled, retried, pushed; then each contradiction and its command."""
        done, where = self.done, self.upstream.shown
        lines = [ngettext("pulled {n} change from {where}", "pulled {n} changes from {where}", done.pulled)
                 .format(n=done.pulled, where=where)] if done.pulled else []
        lines += [_("retried after a concurrent push ({n}×)").format(n=done.retried)] if done.retried else []
        if done.pushed or (done.upstream_set and not done.pulled):
            if done.upstream_set:
                pushed = ngettext("pushed {n} change to {where}, now this branch's upstream",
                                  "pushed {n} changes to {where}, now this branch's upstream", done.pushed)
            else:
                pushed = ngettext("pushed {n} change to {where}", "pushed {n} changes to {where}", done.pushed)
            lines.append(pushed.format(n=done.pushed, where=where))
        lines = lines or [_("已是最新 up to date with {where}").format(where=where)]
        choose = _("{id}: {reason}; choose one with `repairctl resolve {id} --take ours|theirs`")
        # a reason begins with its order's ID (HQ-000017：…; an older merge's in English, HQ-000017: …)
        return lines + [choose.format(id=order, reason=reason.removeprefix(f"{order}：").removeprefix(f"{order}: "))
                        for order, reason in self.contradictions]


def prepare(root: Path, *, hook: bool = True) -> list[str]:
    """The setup every clone needs: the merge driver registered, .gitattributes committed, the check hook
    (sync does all but the hook: a clerk who chose to have none keeps none)."""
    from repairctl.orders import check  # the rules: only the commands that set a clone up

    driver.register(root)
    existed = (root / driver.ATTRIBUTES).exists()
    if driver.write_attributes(root) | desks.write_attributes(root):
        commits.commit(root, [driver.ATTRIBUTES], "sharing: 维修单文件由 repairctl 的合并驱动合并",
                       author=None, existing=existed)
    if not hook or check.hook_path(root) is None:
        return []
    try:
        check.install_hook(root)
    except RepairError as exc:  # a hook of the clerk's own: kept, and said
        return [str(exc)]
    return []


def join(root: Path, wanted: str | None = None, *, remote: str | None = None) -> Joined:
    """Make this clone of an office (a plain `git clone`, or the office itself once it has a remote) a
    desk: the setup, and a desk letter claimed through the remote, which must be reachable. remote, when
    given to an office with no remote yet, becomes its origin (and is taken back if joining fails)."""
    gitlog.check_identity(root)
    if not gitlog.in_repo(root):
        raise RepairError(_("{root} is not in a git repository: `repairctl init` makes one, "
                            "`repairctl clone` copies one").format(root=root))
    journal.require_settled(root)
    if remote is None:
        return _join(root, wanted)
    present = gitlog.run(root, "remote", check=False).stdout.split()
    if present:
        url = gitlog.run(root, "remote", "get-url", present[0], check=False).stdout.strip()
        if len(present) > 1 or url != remote:
            raise RepairError(_("this office shares through {remote} ({url}) already: run `repairctl join` without "
                                "a remote").format(remote=present[0], url=url))
        return _join(root, wanted)
    gitlog.run(root, "remote", "add", "origin", remote)
    try:
        return _join(root, wanted)
    except RepairError:
        gitlog.run(root, "remote", "remove", "origin", check=False)  # nothing joined: the office as it was
        raise


def _join(root: Path, wanted: str | None) -> Joined:
    office = load_office(root)
    desk, _ = desks.settings(root)
    up = sync.upstream(root)  # refused here when there is no remote: nothing changed yet
    if desk and wanted and wanted.strip().upper() != desk.upper():
        raise RepairError(_("this clone is desk {desk} already; a desk keeps its letter").format(desk=desk.upper()))
    sync.refuse_busy(root)
    if not desk:
        sync.fetch(root, up)  # unreachable: refused before anything changes
    with office.lock():  # no command of this clone commits between the claim's commit and its push
        notes = prepare(root)
        if not desk:
            clerk = gitlog.user_name(root) or "?"
            desks.claim(root, wanted, clerk, socket.gethostname(), office.now().isoformat(timespec="seconds"))
    letter = desks.letter(root)
    return Joined(root, letter, records.next_id(office.orders_dir, office.site, letter), bool(desk), notes)


def clone(remote: str, target: Path, wanted: str | None = None) -> Joined:
    """A clerk's own clone of a shared office: `git clone`, then join."""
    import shutil

    here = Path.cwd()  # git clone reads a relative REMOTE and DIR from here, as the clerk typed them
    gitlog.check_identity(here)
    target = target.expanduser()
    if target.exists() and not (target.is_dir() and not any(target.iterdir())):
        raise RepairError(_("{target} exists and is not empty: name a new folder for the clone").format(target=target))
    made = not target.exists()  # an empty folder the clerk made stays, as git clone leaves it

    def undo(root: Path) -> None:
        for child in [root] if made else list(root.iterdir()):
            shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()

    done = gitlog.run(here, "clone", "-q", "--", remote, str(target), check=False)
    if done.returncode:
        raise RepairError(_("cannot clone {remote}: {error}; nothing was made").format(
            remote=remote, error=sync.first_line(done.stderr)))
    root = target.resolve()
    if not (root / CONFIG).is_file():
        undo(root)
        raise RepairError(_("{remote} holds no office (no {file} at its top): the clone was removed; make the "
                            "office with `repairctl init`, then push it there (`repairctl join`)")
                          .format(remote=remote, file=CONFIG))
    try:
        return join(root, wanted)
    except RepairError as exc:  # no desk, no clone: what was made is the server's, nothing of the clerk's
        undo(root)
        raise RepairError(_("{error} (the clone was removed)").format(error=exc)) from None


def refuse_uncommitted(office: Office) -> None:
    """Refuse to sync while order files have changes git has not committed: a merge must not mix them in."""
    journal.require_settled(office.root)
    found = gitlog.run(office.root, "status", "--porcelain", "--untracked-files=all", "--", ORDERS).stdout.splitlines()
    if found:
        first = found[0][3:]
        then = _("uncommitted changes to order files; commit them (`git commit`) or undo them "
                 "(`git checkout -- FILE`), then sync; nothing was changed")
        if len(found) > 1:
            raise RepairError(_("{path} and {n} more: {problem}").format(path=first, n=len(found) - 1, problem=then))
        raise RepairError(_("{path}: {problem}").format(path=first, problem=then))


def share(office: Office) -> Synced:
    """Fetch, merge and push (again, after a concurrent push), under the office lock; then name each
    order the merge left contradicting itself."""
    from repairctl.orders import merging

    if not office.in_git:
        raise RepairError(_("{root} is not in a git repository: there is nothing to sync").format(root=office.root))
    sync.refuse_busy(office.root)  # first: a merge under way has its files staged
    refuse_uncommitted(office)
    with office.lock():
        up = sync.upstream(office.root)
        prepare(office.root, hook=False)
        done = sync.exchange(office.root, up)
    prefix = office.git_head[1] if office.git_head else ""
    found = []
    for relpath in sorted(done.changed):
        path = office.root / relpath[len(prefix):]
        reason = merging.contradiction(path) if path.is_file() else None
        if reason:
            found.append((path.stem, reason))
    return Synced(up, done, found)
