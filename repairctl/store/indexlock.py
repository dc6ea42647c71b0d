"""Git's index lock, taken as git takes it, so that a clerk's own git and a command never share the index.

git's rule: the process that created ``.git/index.lock`` (O_CREAT|O_EXCL) owns the index until it
renames that file onto ``.git/index`` (its new index) or removes it; `git add` holds it for a
moment, `git commit` from its start to its end. repairctl takes it the same way for the whole of
its commit (commits.py), so a `git commit` typed meanwhile waits for nothing and sweeps nothing
in: git refuses it at once ("index.lock: File exists"), and the clerk runs it again.

The lock is made as a hard link to the index, which is creating it exclusively and copying the
index in one step; git then builds the new index in it (GIT_INDEX_FILE). A lock whose owner was
killed stays behind: holders() says which processes of this repository could own it, advice()
says so in one line, and clear_stale() removes it when none could.
"""

from __future__ import annotations

import errno
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from repairctl.errors import RepairError
from repairctl.text.i18n import _

# seconds a lock must have stood before recover calls it stale: a tool that is not git holds it for ms
STALE_AFTER = 2.0


class Busy(RepairError):
    """index.lock is held (or was left behind); the message says by whom, and what to do."""


class IndexLock:
    """The index lock of one repository, held while a command commits: rename onto the index, or roll back."""

    def __init__(self, index: Path):
        self.index, self.path = index, index.with_name(index.name + ".lock")
        self.held = False

    def take(self, pauses: Iterable[float]) -> bool:
        """Create the lock as a copy of the index, waiting out another holder for pauses (seconds);
        False when there is no index to copy (a new repository: git commit makes one)."""
        pauses = iter(pauses)
        while True:
            try:
                os.link(self.index, self.path)  # exclusive, like O_EXCL; a second name of the index, not a copy
                break
            except FileExistsError:
                pause = next(pauses, None)
                if pause is None:
                    raise Busy(advice(self.index)) from None
                time.sleep(pause)
            except FileNotFoundError:
                return False
            except OSError as exc:
                if exc.errno not in (errno.EPERM, errno.EXDEV, errno.ENOTSUP, errno.EMLINK):
                    raise
                self._copy()  # a file system without hard links
                break
        self.held = True
        # git's own lock on the lock file, left by a killed command of ours: nobody else can own it now
        Path(f"{self.path}.lock").unlink(missing_ok=True)
        return True

    def _copy(self) -> None:
        import shutil  # 2 ms of imports, for file systems without hard links only

        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            with os.fdopen(fd, "wb") as out, open(self.index, "rb") as source:
                shutil.copyfileobj(source, out)
        except BaseException:
            self.path.unlink(missing_ok=True)
            raise

    def install(self) -> None:
        """The lock becomes the index, in one rename: what git does when its command succeeds."""
        if os.path.samefile(self.path, self.index):
            self.path.unlink()  # git found nothing to change in it: still the index's second name
        else:
            os.replace(self.path, self.index)
        self.held = False

    def roll_back(self) -> None:
        """Give the lock up, the index unchanged (a refused command)."""
        if self.held:
            self.path.unlink(missing_ok=True)
            self.held = False


# --- a lock left behind ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Holder:
    """A process that may hold a repository's index lock: git, or repairctl, working in it."""

    pid: int
    command: str
    known: bool  # its working folder could be read (another user's process: it could not)


def _command(pid: str) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return handle.read().replace(b"\0", b" ").decode("utf-8", "replace").strip()
    except OSError:
        return ""


def holders(folders: Iterable[Path]) -> list[Holder] | None:
    """The processes on this machine whose name is git (or git-…) or whose command line runs
    repairctl, and whose working folder lies in one of folders (or cannot be read); None when
    processes cannot be listed (no /proc)."""
    folders = [os.path.realpath(folder) for folder in folders]
    try:
        pids = [entry for entry in os.listdir("/proc") if entry.isdigit()]
    except OSError:
        return None
    found = []
    for pid in pids:
        if int(pid) == os.getpid():
            continue
        try:
            with open(f"/proc/{pid}/comm") as handle:
                name = handle.read().strip()
        except OSError:
            continue  # ended meanwhile
        command = _command(pid)
        if not (name == "git" or name.startswith("git-") or "repairctl" in command):
            continue
        try:
            cwd = os.readlink(f"/proc/{pid}/cwd")
        except FileNotFoundError:
            continue
        except OSError:  # another user's process: it could be working here
            found.append(Holder(int(pid), command or name, False))
            continue
        if any(cwd == folder or cwd.startswith(folder + os.sep) for folder in folders):
            found.append(Holder(int(pid), command or name, True))
    return found


def _repository(index: Path) -> list[Path]:
    """The folders a process working in index's repository would have as its working folder."""
    git_dir = index.parent
    return [git_dir, git_dir.parent] if git_dir.name == ".git" else [git_dir]


def _plain_age(seconds: float) -> str:
    seconds = max(int(seconds), 0)
    if seconds < 120:
        return _("{n} s").format(n=seconds)
    if seconds < 7200:
        return _("{n} min").format(n=seconds // 60)
    return _("{n} h").format(n=seconds // 3600)


def advice(index: Path) -> str:
    """One line on a held index lock: how old it is, which process holds it, how to clear it safely."""
    lock = index.with_name(index.name + ".lock")
    try:
        age = time.time() - lock.stat().st_ctime  # ctime: a link made now is new, whatever the index's mtime
    except FileNotFoundError:
        return _("git was busy ({lock} existed); run the command again").format(lock=lock)
    found = holders(_repository(index))
    if found is None:
        return _("git's index is locked ({lock}, {age} old); if no git command is running, "
                 "remove it: rm '{lock}'").format(lock=lock, age=_plain_age(age))
    if found:
        holder = found[0]
        who = (f"pid {holder.pid}: {holder.command[:60]}" if holder.known
               else _("pid {pid}, another user's").format(pid=holder.pid))
        return _("git is busy: {lock} is held ({age}) and a git command is running in this repository "
                 "({who}); let it finish, then run the command again").format(lock=lock, age=_plain_age(age), who=who)
    return _("a killed git command left {lock} ({age} old; no git process is running in this "
             "repository): run `repairctl recover` to remove it, or rm '{lock}'").format(lock=lock,
                                                                                         age=_plain_age(age))


def clear_stale(index: Path) -> str | None:
    """Remove index's lock if no process could hold it (see holders()) and it has stood unchanged for
    STALE_AFTER seconds (waited for): what was done, or None when there is no lock. Raises Busy,
    with advice(), if a process may hold it."""
    lock = index.with_name(index.name + ".lock")
    try:
        seen = lock.stat()
    except FileNotFoundError:
        return None
    age = time.time() - seen.st_ctime
    if age < STALE_AFTER:  # a tool that is not git may hold it for a moment: let that moment pass
        time.sleep(STALE_AFTER - age)
    found = holders(_repository(index))
    if found is None or found:
        raise Busy(advice(index))
    try:
        now = lock.stat()
    except FileNotFoundError:
        return None  # its owner was alive after all, and is done
    if (now.st_ino, now.st_ctime_ns) != (seen.st_ino, seen.st_ctime_ns):
        raise Busy(advice(index))  # a new lock, taken meanwhile
    lock.unlink()
    Path(f"{lock}.lock").unlink(missing_ok=True)
    return _("removed {lock}, left {age} ago by a killed command "
             "(no git or repairctl process was running in this repository)").format(
        lock=lock, age=_plain_age(max(age, STALE_AFTER)))
